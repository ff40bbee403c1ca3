"""A real `hass` process on a copy of the demo household, and logging in to it.

Shared by the end-to-end tests (the `running_hass` fixture in conftest.py starts one
`hass` for the whole test session): it runs `python -m homeassistant` on a copy of
config/ (prepared like `scripts/develop` does, see demo_home.py) on a free loopback
port, and is always stopped again (terminate, then kill).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pytest

from .demo_home import DEMO_OPTIONS, DEMO_PASSWORD, DEMO_USER, prepare, write_storage

if TYPE_CHECKING:
    from collections.abc import Generator

    import aiohttp

TOP = Path(__file__).resolve().parents[2]
DEMO_CONFIG = TOP / "config"
START_TIMEOUT = 120.0
CLIENT_ID = "http://127.0.0.1/"  # any URL works as client_id for a local login


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def environment_problem() -> str | None:
    """Return why no Home Assistant can run here, or None if it can."""
    if not (DEMO_CONFIG / "configuration.yaml").is_file():
        return "the demo configuration config/configuration.yaml is missing"
    try:
        free_port()
    except OSError as err:
        return f"cannot listen on 127.0.0.1 ({err})"
    return None


def options_for_tests() -> dict[str, Any]:
    """Return the demo settings with the agreed time 12 hours away from now.

    Otherwise a run at dinner time would find partner time already on.
    """
    start = datetime.now(ZoneInfo("Europe/Berlin")) + timedelta(hours=12)
    end = start + timedelta(hours=1)
    window = {
        "name": "Dinner",
        "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
        "start": start.strftime("%H:%M:00"),
        "end": end.strftime("%H:%M:00"),
    }
    return {**DEMO_OPTIONS, "windows": [window]}


@dataclass
class RunningHass:
    """A started `hass` process."""

    port: int
    config_dir: Path
    python: str = sys.executable
    process: subprocess.Popen[bytes] = field(init=False)

    def start(self) -> None:
        """Start `hass` on config_dir (its output appended to hass.out); wait for it."""
        env = {k: v for k, v in os.environ.items() if k != "PYTEST_ADDOPTS"}
        env["PYTHONWARNINGS"] = WARNINGS
        with (self.config_dir / "hass.out").open("ab") as out:
            self.process = subprocess.Popen(  # noqa: S603 (fixed arguments)
                [
                    *(self.python, "-m", "homeassistant", "-c", str(self.config_dir)),
                    *("--skip-pip", "--log-no-color"),
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
                cwd=self.config_dir.parent,
            )
        _wait_until_up(self)

    def stop(self) -> None:
        """Stop `hass` (terminate, then kill), as a user's restart does."""
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    @property
    def url(self) -> str:
        """Return the base URL."""
        return f"http://127.0.0.1:{self.port}"

    def log_tail(self, lines: int = 60) -> str:
        """Return the end of the process's log."""
        log = self.config_dir / "hass.out"
        text = log.read_text(errors="replace") if log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def _wait_until_up(hass: RunningHass) -> None:
    """Wait until the HTTP server accepts connections."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if hass.process.poll() is not None:
            pytest.fail(
                f"hass exited with {hass.process.returncode}:\n{hass.log_tail()}"
            )
        with (
            contextlib.suppress(OSError),
            socket.create_connection(("127.0.0.1", hass.port), 1),
        ):
            return
        time.sleep(0.5)
    pytest.fail(f"hass did not come up in {START_TIMEOUT:.0f} s:\n{hass.log_tail()}")


def _listen_on(config_dir: Path, port: int) -> None:
    """Make HA serve on 127.0.0.1:port, as confirmed settings.

    An `http:` section in configuration.yaml would start as a trial that the frontend
    asks to confirm (a dialog over every page) and that HA reverts after five minutes;
    the confirmed ("stable") settings in `.storage/http` are what a user's HA has.
    """
    from homeassistant.components.http import config as http  # noqa: PLC0415
    from homeassistant.util import dt as dt_util  # noqa: PLC0415

    stable = {
        **http.HTTP_STORAGE_SCHEMA({"server_host": ["127.0.0.1"], "server_port": port}),
        "created_at": dt_util.utcnow().isoformat(),
        "error": None,
        "error_message": None,
    }
    write_storage(
        config_dir / ".storage" / "http",
        http.STORAGE_KEY,
        {"stable": stable, "pending": None, "yaml_migration_done": True},
        http.STORAGE_VERSION,
        http.STORAGE_MINOR_VERSION,
    )


@dataclass(frozen=True)
class HaVersion:
    """A Home Assistant the end-to-end tests run on: its version and its python."""

    version: str
    python: str

    @property
    def id(self) -> str:
        """Return the test id, e.g. ha-2026.10.0."""
        return f"ha-{self.version}"


def ha_versions() -> list[HaVersion]:
    """Return the Home Assistants to test on.

    scripts/lib.sh builds a venv for each version of its HA_MATRIX (the minimum that
    hacs.json allows and the newest release) and lists their pythons in
    PARTNER_TIME_HA_VENVS ("<version>=<python> ..."); without it (pytest run outside
    the scripts) the test venv's own Home Assistant is used.
    """
    listed = os.environ.get("PARTNER_TIME_HA_VENVS", "").split()
    if not listed:
        from homeassistant.const import __version__  # noqa: PLC0415

        return [HaVersion(__version__, sys.executable)]
    return [HaVersion(*item.split("=", 1)) for item in listed]


# Python's own deprecation warnings are shown (and logged by HA as py.warnings).
WARNINGS = "default::DeprecationWarning,default::PendingDeprecationWarning"


@contextlib.contextmanager
def run_hass(workdir: Path, ha: HaVersion | None = None) -> Generator[RunningHass]:
    """Start Home Assistant on a copy of the demo config; stop it afterwards, always."""
    python = ha.python if ha is not None else sys.executable
    config_dir = workdir / "config"
    config_dir.mkdir()
    port = free_port()
    for name in ("configuration.yaml", "partner_time_dashboard.yaml"):
        shutil.copy(DEMO_CONFIG / name, config_dir / name)
    prepare(config_dir, python=python, options=options_for_tests())
    _listen_on(config_dir, port)
    (config_dir / "hass.out").write_bytes(b"")
    hass = RunningHass(port, config_dir, python)
    try:
        hass.start()
        yield hass
    finally:
        if hasattr(hass, "process"):
            hass.stop()


async def login(
    session: aiohttp.ClientSession, url: str, client_id: str = CLIENT_ID
) -> dict[str, Any]:
    """Log in as the demo user like the frontend does; return the token response.

    It holds access_token, refresh_token, expires_in and token_type.
    """
    async with session.post(
        f"{url}/auth/login_flow",
        json={
            "client_id": client_id,
            "handler": ["homeassistant", None],
            "redirect_uri": client_id,
        },
    ) as resp:
        assert resp.status == 200, await resp.text()
        flow = await resp.json()
    async with session.post(
        f"{url}/auth/login_flow/{flow['flow_id']}",
        json={"client_id": client_id, "username": DEMO_USER, "password": DEMO_PASSWORD},
    ) as resp:
        result = await resp.json()
        assert result["type"] == "create_entry", result
    async with session.post(
        f"{url}/auth/token",
        data={
            "grant_type": "authorization_code",
            "code": result["result"],
            "client_id": client_id,
        },
    ) as resp:
        assert resp.status == 200, await resp.text()
        return dict(await resp.json())
