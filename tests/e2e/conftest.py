"""The end-to-end tests share one `hass` process (started once per test session)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
import pytest_socket

from .running import RunningHass, environment_problem, run_hass

if TYPE_CHECKING:
    from collections.abc import Generator


@pytest.fixture(scope="session")
def _hass_process(
    tmp_path_factory: pytest.TempPathFactory,
) -> Generator[RunningHass]:
    """Start Home Assistant on the demo config once; stop it at the end, always."""
    # HA's test plugin blocks sockets before each test; this fixture is set up before
    # the test's own socket_enabled, and needs a socket to find a free port.
    pytest_socket.enable_socket()
    if (problem := environment_problem()) is not None:
        pytest.skip(f"Home Assistant cannot run here: {problem}")
    with run_hass(tmp_path_factory.mktemp("hass")) as hass:
        yield hass


@pytest.fixture
def running_hass(socket_enabled: None, _hass_process: RunningHass) -> RunningHass:
    """Return the shared Home Assistant (fails the test if it has died)."""
    if _hass_process.process.poll() is not None:
        pytest.fail(
            f"hass exited with {_hass_process.process.returncode}:\n"
            f"{_hass_process.log_tail()}"
        )
    return _hass_process
