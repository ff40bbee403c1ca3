"""End to end: a real `hass` process with the demo household, driven over HTTP.

The test uses the `hass` process that conftest.py starts once per session
(`python -m homeassistant` on a copy of the demo configuration in config/, prepared
like `scripts/develop` does, see running.py and demo_home.py), logs in through the login flow like the frontend does, and then, over REST and
the WebSocket API: the entities exist, `partner_time.start` turns on the dinner scene,
the call deflection and Do Not Disturb of the stand-in phone, `partner_time.stop`
puts them back, and a second household can be set up through the config flow API.

It talks to 127.0.0.1 only, which the Home Assistant test harness allows once sockets
are enabled (the `socket_enabled` fixture of pytest-socket). The process is always
stopped (terminate, then kill) and its log is shown when something fails.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from typing import TYPE_CHECKING, Any

import aiohttp
import pytest

from .running import login

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from .running import RunningHass

type Json = Any  # what the JSON of a response holds

SWITCH = "switch.partner_time"
DEFLECTION = "switch.fritz_box_7590_call_deflection_0"
DND = "sensor.demo_phone_do_not_disturb_sensor"
TABLE = "light.dining_table"


class Api:
    """REST and WebSocket access to the running Home Assistant."""

    def __init__(self, session: aiohttp.ClientSession, url: str, token: str) -> None:
        """Use session with the access token."""
        self.session = session
        self.url = url
        self.headers = {"Authorization": f"Bearer {token}"}
        self.token = token
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.next_id = 1
        self.events: list[dict[str, Any]] = []

    async def get(self, path: str) -> Json:
        """GET a REST path; return the JSON."""
        async with self.session.get(f"{self.url}{path}", headers=self.headers) as resp:
            assert resp.status == 200, f"GET {path}: {resp.status} {await resp.text()}"
            return await resp.json()

    async def post(self, path: str, body: dict[str, Any]) -> Json:
        """POST JSON to a REST path; return the JSON."""
        async with self.session.post(
            f"{self.url}{path}", headers=self.headers, json=body
        ) as resp:
            assert resp.status == 200, f"POST {path}: {resp.status} {await resp.text()}"
            return await resp.json()

    async def state(self, entity_id: str) -> dict[str, Any]:
        """Return an entity's state object."""
        return dict(await self.get(f"/api/states/{entity_id}"))

    async def connect(self) -> None:
        """Open and authenticate the WebSocket."""
        self.ws = await self.session.ws_connect(f"{self.url}/api/websocket")
        assert (await self.ws.receive_json())["type"] == "auth_required"
        await self.ws.send_json({"type": "auth", "access_token": self.token})
        assert (await self.ws.receive_json())["type"] == "auth_ok"

    async def command(self, **message: Json) -> Json:
        """Send one WebSocket command; return its result, skipping events."""
        assert self.ws is not None
        message_id = self.next_id
        self.next_id += 1
        await self.ws.send_json({"id": message_id, **message})
        while True:
            reply = await asyncio.wait_for(self.ws.receive_json(), 30)
            if reply["id"] == message_id and reply["type"] == "result":
                assert reply["success"], reply
                return reply["result"]
            self.events.append(reply)

    async def wait_for(
        self,
        what: str,
        check: Callable[[], Awaitable[bool]],
        timeout: float = 15.0,  # noqa: ASYNC109
    ) -> None:
        """Poll check until it holds."""
        deadline = time.monotonic() + timeout
        while not await check():
            if time.monotonic() > deadline:
                pytest.fail(f"timed out waiting for {what}")
            await asyncio.sleep(0.2)


async def _state_is(api: Api, entity_id: str, expected: str) -> bool:
    return bool((await api.state(entity_id))["state"] == expected)


async def _wait_started(api: Api) -> None:
    """Wait until HA runs and Partner Time's switch exists."""

    async def ready() -> bool:
        config = await api.get("/api/config")
        if config.get("state") != "RUNNING":
            return False
        states = {state["entity_id"] for state in await api.get("/api/states")}
        return SWITCH in states

    await api.wait_for("Home Assistant to run with Partner Time", ready, 60)


async def _check_entities(api: Api) -> None:
    states = {state["entity_id"]: state for state in await api.get("/api/states")}
    for entity_id in (
        SWITCH,
        "switch.partner_time_schedule",
        "sensor.partner_time_status",
        "sensor.partner_time_next_start",
        "sensor.partner_time_ends_at",
        "sensor.partner_time_missed_calls",
    ):
        assert entity_id in states, f"{entity_id} is missing"
        assert states[entity_id]["state"] != "unavailable", states[entity_id]
    assert states[SWITCH]["state"] == "off"
    assert states["sensor.partner_time_status"]["state"] in ("idle", "upcoming")
    assert states[DEFLECTION]["state"] == "off"
    assert states[TABLE]["state"] == "off"
    assert states[DND]["state"] == "off"


async def _start_and_stop(api: Api) -> None:
    scene_before = (await api.state("scene.dinner"))["state"]
    await api.command(type="subscribe_events", event_type="partner_time_started")
    await api.command(type="subscribe_events", event_type="partner_time_ended")

    await api.command(
        type="call_service",
        domain="partner_time",
        service="start",
        target={"entity_id": SWITCH},
        service_data={"duration": {"minutes": 30}},
    )
    await api.wait_for("the switch to be on", lambda: _state_is(api, SWITCH, "on"))
    await api.wait_for("the call deflection", lambda: _state_is(api, DEFLECTION, "on"))
    await api.wait_for(
        "Do Not Disturb on the phone",
        lambda: _state_is(api, DND, "priority_only"),
    )

    async def table_at_scene() -> bool:
        table = await api.state(TABLE)
        return table["state"] == "on" and table["attributes"].get("brightness") == 90

    await api.wait_for("the dinner scene on the table light", table_at_scene)
    assert (await api.state("scene.dinner"))["state"] != scene_before
    status = await api.state("sensor.partner_time_status")
    assert status["state"] == "active"
    assert (await api.state("sensor.partner_time_ends_at"))["state"] not in (
        "unknown",
        "unavailable",
    )

    await api.command(
        type="call_service",
        domain="partner_time",
        service="stop",
        target={"entity_id": SWITCH},
    )
    await api.wait_for("the switch to be off", lambda: _state_is(api, SWITCH, "off"))
    await api.wait_for(
        "the call deflection off", lambda: _state_is(api, DEFLECTION, "off")
    )
    await api.wait_for("Do Not Disturb off", lambda: _state_is(api, DND, "off"))
    await api.wait_for("the lights put back", lambda: _state_is(api, TABLE, "off"))

    # The events, as an automation sees them.
    async def both_events() -> bool:
        with contextlib.suppress(TimeoutError):
            assert api.ws is not None
            api.events.append(await asyncio.wait_for(api.ws.receive_json(), 0.2))
        types = {e["event"]["event_type"] for e in api.events if e["type"] == "event"}
        return {"partner_time_started", "partner_time_ended"} <= types

    await api.wait_for("partner_time_started and _ended", both_events)
    by_type = {
        e["event"]["event_type"]: e["event"]["data"]
        for e in api.events
        if e["type"] == "event"
    }
    assert by_type["partner_time_started"]["source"] == "manual"
    assert by_type["partner_time_ended"]["reason"] == "manual"


async def _config_flow(api: Api) -> None:
    """Set up a second household through the config flow API, as the UI does."""
    answers: dict[str, dict[str, Any]] = {
        "user": {
            "name": "Grandparents",
            "window_name": "Lunch",
            "days": ["sat", "sun"],
            "start": "12:00:00",
            "end": "13:00:00",
        },
        "phones": {"dnd_mode": "priority_only"},
        "house": {"scene": "scene.dinner", "restore_lights": True},
    }
    result = await api.post(
        "/api/config/config_entries/flow",
        {"handler": "partner_time", "show_advanced_options": False},
    )
    steps = []
    while result["type"] == "form":
        steps.append(result["step_id"])
        assert len(steps) < 10, steps
        assert not result.get("errors"), result
        result = await api.post(
            f"/api/config/config_entries/flow/{result['flow_id']}",
            answers.get(result["step_id"], {}),
        )
    assert result["type"] == "create_entry", result
    assert steps[0] == "user"
    entries = await api.get("/api/config/config_entries/entry?domain=partner_time")
    assert {entry["title"] for entry in entries} == {"Partner time", "Grandparents"}

    async def loaded() -> bool:
        entries = await api.get("/api/config/config_entries/entry?domain=partner_time")
        return all(entry["state"] == "loaded" for entry in entries)

    await api.wait_for("both households to be loaded", loaded)
    assert (await api.state("switch.grandparents"))["state"] == "off"


async def _scenario(url: str) -> None:
    async with aiohttp.ClientSession() as session:
        api = Api(session, url, (await login(session, url))["access_token"])
        await _wait_started(api)
        await _check_entities(api)
        await api.connect()
        try:
            await _start_and_stop(api)
        finally:
            assert api.ws is not None
            await api.ws.close()
        await _config_flow(api)


def test_demo_household_end_to_end(running_hass: RunningHass) -> None:
    """The demo household works in a real Home Assistant, as a user drives it."""
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(asyncio.wait_for(_scenario(running_hass.url), 90))
    except BaseException as err:  # noqa: BLE001 (pytest.fail too: shown with the log)
        log = running_hass.log_tail()
        pytest.fail(f"{err!r}\n--- hass log ---\n{log}")
    finally:
        loop.run_until_complete(loop.shutdown_default_executor())
        loop.close()
    errors = [
        line
        for line in (running_hass.config_dir / "hass.out")
        .read_text(errors="replace")
        .splitlines()
        if " ERROR " in line and "partner_time" in line
    ]
    assert not errors, json.dumps(errors, indent=1)
