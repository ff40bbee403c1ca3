"""The benchmarks run in the tests' harness: real HA core, custom integrations enabled.

At the end of the session the table is printed and written (see report.py).
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from typing import TYPE_CHECKING

import freezegun.api
import pytest

# Import the project's package before HA's harness imports its own `custom_components`,
# so the package Python keeps is this repository's.
import custom_components.partner_time  # noqa: F401

from . import report
from .harness import PROCESS, SCALE, Stopwatch

if TYPE_CHECKING:
    from collections.abc import Generator

    from homeassistant.core import HomeAssistant

pytest_plugins = ["pytest_homeassistant_custom_component"]

_STARTED: list[float] = []
_SUMMARY: list[str] = []


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    enable_custom_integrations: None,  # noqa: ARG001 - requested for its effect
) -> Generator[None]:
    """Let HA load custom integrations in every benchmark."""
    return


@pytest.fixture(autouse=True)
async def enable_event_loop_debug() -> None:
    """Keep the loop out of debug mode (the harness turns it on), as in production.

    Debug mode tracks every coroutine's origin and times every callback, which would
    weigh on both contenders and is not what a household runs.
    """
    asyncio.get_running_loop().set_debug(False)


@pytest.fixture(autouse=True)
def cheap_frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let freezegun answer time calls without inspecting the caller's stack.

    It walks up to five frames on every time.time()/utcnow() to honour its ignore list
    (only pytest's own timing is on it); HA asks the time on every event and state
    write, so that walk would be a good part of what is measured. (pytest's
    --durations then read the frozen clock too; scripts/bench reports its own times.)
    """
    monkeypatch.setattr(freezegun.api, "call_stack_inspection_limit", 0)


@pytest.fixture(autouse=True)
def warnings_only() -> Generator[None]:
    """Log at WARNING like a production install, not at the harness's INFO.

    Both sides log at INFO on every transition; formatting and capturing thousands of
    lines would be measured too.
    """
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.WARNING)
    yield
    root.setLevel(level)


@pytest.fixture
def watch(hass: HomeAssistant) -> Generator[Stopwatch]:
    """Give a stopwatch for transitions in this HA."""
    stopwatch = Stopwatch(hass)
    yield stopwatch
    stopwatch.close()


def pytest_configure(config: pytest.Config) -> None:
    """Pin the process to one CPU; register the marker of the shared benchmarks.

    Pinned, HA's event loop and its executor threads take turns on one CPU, so
    handing a job to a thread (the baseline's YAML reload reads its files in one)
    costs a context switch, not the wake-up of another, sleeping virtual CPU; the
    baseline's reload time moved 15-30 % between processes unpinned. The last CPU
    this process may use is taken (PARTNER_TIME_BENCH_PIN=0 leaves it unpinned).
    """
    if os.environ.get("PARTNER_TIME_BENCH_PIN") != "0" and hasattr(
        os, "sched_setaffinity"
    ):
        os.sched_setaffinity(0, {max(os.sched_getaffinity(0))})
    config.addinivalue_line(
        "markers",
        "shared: its rounds are shared out among the processes of a run"
        " (PARTNER_TIME_BENCH_PROCESSES); the others run in the first only",
    )


def pytest_collection_modifyitems(
    config: pytest.Config,  # noqa: ARG001 - hook signature
    items: list[pytest.Item],
) -> None:
    """In the second and later process of a run, keep only the shared benchmarks."""
    if PROCESS > 1:
        items[:] = [item for item in items if item.get_closest_marker("shared")]


def pytest_sessionstart(session: pytest.Session) -> None:  # noqa: ARG001 - hook signature
    """Note when the run began."""
    _STARTED.append(time.monotonic())


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Write the results when every benchmark ran and passed."""
    seen = {row.section for row in report.ROWS}
    complete = (
        exitstatus == 0
        and not session.testsfailed
        and (seen == set(report.SECTIONS) or (PROCESS > 1 and bool(seen)))
        and SCALE == 1
    )
    seconds = time.monotonic() - (_STARTED[0] if _STARTED else time.monotonic())
    _SUMMARY.append(report.finish(complete=complete, seconds=seconds))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the table."""
    for text in _SUMMARY:
        terminalreporter.write_line(text)
