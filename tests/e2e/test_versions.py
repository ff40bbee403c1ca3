"""The version matrix: each Home Assistant we claim runs the demo without deprecations.

Runs after the other end-to-end tests of the same version (pytest keeps the file
order within a version), so the log it reads holds the start, the services, the
config flows and the browser's dialogs. Python's DeprecationWarnings are shown in that
log (running.WARNINGS), and HA's own notices ("... is deprecated", "will stop working",
"is being removed") name the integration they concern.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from typing import TYPE_CHECKING, Any

import aiohttp

from .demo_phone import DEVICE_NAME, DND_SENSOR, register_demo_phone
from .frontend import run_in_new_loop
from .running import login

if TYPE_CHECKING:
    from .running import HaVersion, RunningHass

DEPRECATION = re.compile(
    r"DeprecationWarning|deprecat|will stop working|is being removed|no longer supported",
    re.IGNORECASE,
)
OURS = re.compile(r"partner[_ ]time", re.IGNORECASE)


def deprecations(log: str) -> list[str]:
    """Return the log's deprecation notices that concern Partner Time.

    A Python warning takes two lines (where, then the source line); a notice counts
    when it or the line after it names Partner Time.
    """
    lines = log.splitlines()
    return [
        line
        for index, line in enumerate(lines)
        if DEPRECATION.search(line)
        and (OURS.search(line) or OURS.search("".join(lines[index + 1 : index + 2])))
    ]


def test_deprecations_are_found() -> None:
    """The filter sees the notices HA and Python write, and only ours."""
    frame = "2026-12-01 WARNING (MainThread) [homeassistant.helpers.frame]"
    warnings = "2026-12-01 WARNING (MainThread) [py.warnings]"
    log = "\n".join(
        [
            (
                f"{frame} Detected that custom integration 'partner_time' calls X, "
                "which is deprecated"
            ),
            (
                f"{warnings} /c/custom_components/partner_time/engine.py:10: "
                "DeprecationWarning: utcnow() is deprecated"
            ),
            f"{warnings} /x/site-packages/aiohttp/web.py:3: DeprecationWarning: y",
            "  from custom_components.partner_time import engine",
            (
                "2026-12-01 WARNING (MainThread) [homeassistant.components.zha] The option "
                "foo is deprecated and will stop working in 2027.1"
            ),
        ]
    )
    found = deprecations(log)
    assert len(found) == 3, found
    assert "zha" not in "".join(found)


TABLE_BRIGHTNESS = "input_number.dining_table_brightness"
PHONE_DND = "input_select.demo_phone_dnd"


async def _call(api: _Rest, service: str, data: dict[str, Any]) -> None:
    domain, name = service.split(".")
    await api.request("POST", f"/api/services/{domain}/{name}", data)


class _Rest:
    def __init__(self, session: aiohttp.ClientSession, url: str, token: str) -> None:
        self.session = session
        self.url = url
        self.headers = {"Authorization": f"Bearer {token}"}

    async def request(self, method: str, path: str, body: Any = None) -> Any:
        async with self.session.request(
            method, f"{self.url}{path}", headers=self.headers, json=body
        ) as resp:
            assert resp.status == 200, f"{method} {path}: {resp.status}"
            return await resp.json()

    async def state(self, entity_id: str) -> str:
        return str((await self.request("GET", f"/api/states/{entity_id}"))["state"])

    async def until(self, entity_id: str, expected: str) -> None:
        deadline = time.monotonic() + 30
        while (seen := await self.state(entity_id)) != expected:
            assert time.monotonic() < deadline, f"{entity_id} is {seen}, not {expected}"
            await asyncio.sleep(0.2)


async def _with_api(url: str, scenario: Any) -> Any:
    async with aiohttp.ClientSession() as session:
        token = (await login(session, url))["access_token"]
        return await scenario(_Rest(session, url, str(token)))


def test_demo_keeps_its_states_across_a_restart(running_hass: RunningHass) -> None:
    """The demo's helpers and the phone's Do Not Disturb survive a restart of HA.

    The household dims the table light to 42 and turns the phone's Do Not Disturb on
    by hand; HA restarts. Before, the helpers' `initial:` put the light back to 180
    and the phone's Do Not Disturb to off, contradicting what Partner Time remembered.
    Now both are as they were, and the phone is still the one mobile_app device.
    """

    async def change(api: _Rest) -> tuple[str, str]:
        before = (await api.state(TABLE_BRIGHTNESS), await api.state(PHONE_DND))
        await _call(
            api, "input_number.set_value", {"entity_id": TABLE_BRIGHTNESS, "value": 42}
        )
        await _call(
            api,
            "input_select.select_option",
            {"entity_id": PHONE_DND, "option": "total_silence"},
        )
        await api.until(DND_SENSOR, "total_silence")
        return before

    before = run_in_new_loop(
        _with_api(running_hass.url, change), 120, running_hass.log_tail
    )
    time.sleep(1)
    running_hass.stop()
    running_hass.start()
    assert "registered already" in run_in_new_loop(
        register_demo_phone(running_hass.url), 120, running_hass.log_tail
    )

    async def after(api: _Rest) -> None:
        await api.until(TABLE_BRIGHTNESS, "42.0")
        await api.until(PHONE_DND, "total_silence")
        await api.until(DND_SENSOR, "total_silence")
        entries = await api.request(
            "GET", "/api/config/config_entries/entry?domain=mobile_app"
        )
        assert [entry["title"] for entry in entries] == [DEVICE_NAME]
        # Back as the other tests found it.
        await _call(
            api,
            "input_number.set_value",
            {"entity_id": TABLE_BRIGHTNESS, "value": float(before[0])},
        )
        await _call(
            api,
            "input_select.select_option",
            {"entity_id": PHONE_DND, "option": before[1]},
        )
        await api.until(DND_SENSOR, before[1])

    run_in_new_loop(_with_api(running_hass.url, after), 120, running_hass.log_tail)


async def _running_version(url: str) -> str:
    async with aiohttp.ClientSession() as session:
        token = (await login(session, url))["access_token"]
        async with session.get(
            f"{url}/api/config", headers={"Authorization": f"Bearer {token}"}
        ) as resp:
            return str((await resp.json())["version"])


def test_runs_on_the_claimed_version_without_deprecations(
    running_hass: RunningHass, ha_version: HaVersion
) -> None:
    """The hass is the version of the matrix, and its log has no deprecation of ours."""
    loop = asyncio.new_event_loop()
    try:
        version = loop.run_until_complete(_running_version(running_hass.url))
    finally:
        loop.close()
    assert version == ha_version.version
    log = (running_hass.config_dir / "hass.out").read_text(errors="replace")
    assert "Partner Time" in log or "partner_time" in log, "the log does not know us"
    found = deprecations(log)
    assert not found, json.dumps(found, indent=1)
