"""The end-to-end tests share one `hass` process per Home Assistant version.

Each test that uses `running_hass` runs once for every version of the matrix (see
running.ha_versions); pytest groups the tests by version, so each `hass` is started
once and stopped before the next version's starts.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import pytest
import pytest_socket

from .demo_phone import register_demo_phone
from .running import HaVersion, RunningHass, environment_problem, ha_versions, run_hass

if TYPE_CHECKING:
    from collections.abc import Generator

HA_VERSIONS = ha_versions()


@pytest.fixture(scope="session", params=HA_VERSIONS, ids=[ha.id for ha in HA_VERSIONS])
def ha_version(request: pytest.FixtureRequest) -> HaVersion:
    """Return the Home Assistant of this round of the end-to-end tests."""
    ha: HaVersion = request.param
    return ha


@pytest.fixture(scope="session")
def _hass_process(
    tmp_path_factory: pytest.TempPathFactory, ha_version: HaVersion
) -> Generator[RunningHass]:
    """Start Home Assistant on the demo config once per version; stop it, always."""
    # HA's test plugin blocks sockets before each test; this fixture is set up before
    # the test's own socket_enabled, and needs a socket to find a free port.
    pytest_socket.enable_socket()
    if (problem := environment_problem()) is not None:
        pytest.skip(f"Home Assistant cannot run here: {problem}")
    with run_hass(tmp_path_factory.mktemp(ha_version.id), ha_version) as hass:
        # The demo phone registers like the companion app, as scripts/develop does.
        loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(register_demo_phone(hass.url))
        except Exception as err:  # noqa: BLE001 (shown with the log)
            pytest.fail(f"registering the demo phone: {err!r}\n{hass.log_tail()}")
        finally:
            loop.close()
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
