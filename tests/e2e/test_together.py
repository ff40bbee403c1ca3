"""Together (#16) in the demo: Anna and Ben, "Shall we?" and an agreed time that waits.

Uses the `hass` process that conftest.py starts once per session. The buttons are
pressed the way the dashboard presses them: the test reads the *Partner Time*
dashboard's configuration (`lovelace/config`) and performs the tap action of the
button with that name, so a button that calls the wrong action fails here.

- Both home: "Shall we?" asks the demo phone (an actionable notification with Partner
  Time's accept and decline actions), the status is `proposed`; "Accept" starts
  partner time for the proposed hour (source `agreed`), "Stop" puts the house back.
  The same with the phone's own answer (script.demo_phone_tap_yes fires the
  `mobile_app_notification_action` event as the companion app does), and "Not now"
  lets the proposal go without starting anything.
- Ben away (his button on the dashboard): an agreed time (added for the next minute)
  waits when it begins (status `waiting`, `missing: [Ben]`) and starts when Ben's
  button brings him home (up to a minute of waiting for the agreed time).
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import aiohttp

from .frontend import run_in_new_loop
from .running import login
from .test_running_hass import Api

if TYPE_CHECKING:
    from collections.abc import Callable

    from .running import RunningHass

SWITCH = "switch.partner_time"
STATUS = "sensor.partner_time_status"
DND = "sensor.demo_phone_do_not_disturb_sensor"
DEFLECTION = "switch.fritz_box_7590_call_deflection_0"
PEOPLE = ("person.anna", "person.ben")
TEST_WINDOW = "Together test"


class Demo(Api):
    """The REST and WebSocket API, plus the demo dashboard's buttons."""

    buttons: dict[str, dict[str, Any]]
    notified: list[dict[str, Any]]

    async def read_dashboard(self) -> None:
        """Find every button card of the Partner Time dashboard, by name or entity."""
        config = await self.command(type="lovelace/config", url_path="partner-time")
        self.buttons = {}

        def walk(card: dict[str, Any]) -> None:
            if card.get("type") == "button":
                self.buttons[card.get("name") or card["entity"]] = card
            for inner in card.get("cards", []):
                walk(inner)

        for view in config["views"]:
            for card in view.get("cards", []):
                walk(card)

    async def press(self, name: str) -> None:
        """Press the dashboard's button `name` (perform its tap action)."""
        action = self.buttons[name]["tap_action"]
        assert action["action"] == "perform-action", action
        domain, service = action["perform_action"].split(".")
        await self.command(
            type="call_service",
            domain=domain,
            service=service,
            target=action.get("target", {}),
            service_data=action.get("data", {}),
        )

    async def is_(self, entity_id: str, expected: str) -> bool:
        """Tell whether entity_id's state is expected."""
        return bool((await self.state(entity_id))["state"] == expected)

    async def until(self, entity_id: str, expected: str) -> None:
        """Wait until entity_id's state is expected."""
        await self.wait_for(
            f"{entity_id} to be {expected}", lambda: self.is_(entity_id, expected)
        )

    async def drain(self) -> None:
        """Take in the events received so far (a short wait for the next ones)."""
        assert self.ws is not None
        with contextlib.suppress(TimeoutError):
            while True:
                self.events.append(await asyncio.wait_for(self.ws.receive_json(), 0.2))

    def forget(self) -> None:
        """Forget the events so far (before pressing a button)."""
        self.events.clear()

    async def event(
        self, event_type: str, check: Callable[[dict[str, Any]], bool] | None = None
    ) -> dict[str, Any]:
        """Wait for an event of event_type (whose data passes check); return its data.

        It is taken out of the events seen; the others stay, in their order.
        """
        found: dict[str, Any] = {}

        async def seen() -> bool:
            await self.drain()
            for message in self.events:
                event = message.get("event", {})
                if event.get("event_type") == event_type and (
                    check is None or check(event["data"])
                ):
                    self.events.remove(message)
                    found.update(event["data"])
                    return True
            return False

        await self.wait_for(f"{event_type} ({check})", seen)
        return found


def _phone_got(what: Callable[[dict[str, Any]], bool]) -> Callable[..., bool]:
    """Match a call of the demo phone's notify action whose data passes what."""

    def check(data: dict[str, Any]) -> bool:
        return (
            data.get("domain") == "notify"
            and data.get("service") == "mobile_app_demo_phone"
            and what(data.get("service_data", {}))
        )

    return check


async def _ready(api: Demo) -> str:
    """Wait until HA runs with both people home and nothing running; return the id."""

    async def ready() -> bool:
        if (await api.get("/api/config")).get("state") != "RUNNING":
            return False
        states = {s["entity_id"]: s["state"] for s in await api.get("/api/states")}
        return states.get(SWITCH) == "off" and all(
            states.get(person) == "home" for person in PEOPLE
        )

    await api.wait_for("Partner Time idle with Anna and Ben home", ready, 60)
    entries = await api.get("/api/config/config_entries/entry?domain=partner_time")
    (entry,) = [e for e in entries if e["title"] == "Partner time"]
    return str(entry["entry_id"])


async def _propose(api: Demo, entry_id: str) -> None:
    """Press "Shall we?": the phone is asked, the status says proposed."""
    api.forget()
    await api.press("Shall we?")
    proposed = await api.event(
        "partner_time_proposed", lambda data: data["entry_id"] == entry_id
    )
    assert proposed["duration"] == 3600, proposed
    await api.until(STATUS, "proposed")
    asked = await api.event(
        "call_service", _phone_got(lambda data: "actions" in data.get("data", {}))
    )
    actions = [a["action"] for a in asked["service_data"]["data"]["actions"]]
    assert actions == [
        f"PARTNER_TIME_ACCEPT_{entry_id}",
        f"PARTNER_TIME_DECLINE_{entry_id}",
    ], asked


async def _agreed_and_stopped(api: Demo, entry_id: str) -> None:
    """Partner time runs for the proposed hour (agreed); Stop puts everything back."""
    started = await api.event(
        "partner_time_started", lambda data: data["entry_id"] == entry_id
    )
    assert started["source"] == "agreed", started
    await api.until(SWITCH, "on")
    await api.until(DND, "priority_only")
    await api.until(DEFLECTION, "on")
    status = await api.state(STATUS)
    assert status["state"] == "active", status
    ends = datetime.fromisoformat((await api.state(SWITCH))["attributes"]["ends_at"])
    left = ends - datetime.now(ends.tzinfo)
    assert timedelta(minutes=58) < left <= timedelta(minutes=60), left
    await api.press("Stop")
    await api.until(SWITCH, "off")
    await api.until(DND, "off")
    await api.until(DEFLECTION, "off")


async def _shall_we(api: Demo, entry_id: str) -> None:
    """Both home: "Shall we?" and a yes start partner time; a no does not."""
    # "Accept" on the dashboard.
    await _propose(api, entry_id)
    await api.press("Accept")
    await api.event("partner_time_accepted", lambda data: data["entry_id"] == entry_id)
    await _agreed_and_stopped(api, entry_id)

    # "Yes, let's" on the phone (the companion app's notification action).
    await _propose(api, entry_id)
    await api.command(
        type="call_service", domain="script", service="demo_phone_tap_yes"
    )
    await api.event("partner_time_accepted", lambda data: data["entry_id"] == entry_id)
    await _agreed_and_stopped(api, entry_id)

    # "Not now" on the phone: nothing starts, the question is cleared on the phone.
    await _propose(api, entry_id)
    await api.command(type="call_service", domain="script", service="demo_phone_tap_no")
    await api.event("partner_time_declined", lambda data: data["entry_id"] == entry_id)
    await api.event(
        "call_service", _phone_got(lambda data: data["message"] == "clear_notification")
    )

    async def let_go() -> bool:
        return (await api.state(STATUS))["state"] in {"idle", "upcoming"}

    await api.wait_for("the status to let the proposal go", let_go)
    assert (await api.state(SWITCH))["state"] == "off"


async def _add_agreed_time(api: Demo, entry_id: str) -> str:
    """Add an agreed time from the next full minute on (Add agreed time); return its id.

    Not one that began already: a stop by hand marks every agreed time begun before
    it as done, and the test pressed Stop moments ago.
    """
    now = datetime.now(ZoneInfo("Europe/Berlin"))
    start = now.replace(second=0, microsecond=0) + timedelta(minutes=1)
    result = await api.post(
        "/api/config/config_entries/subentries/flow",
        {"handler": [entry_id, "window"], "show_advanced_options": False},
    )
    assert result["type"] == "form", result
    result = await api.post(
        f"/api/config/config_entries/subentries/flow/{result['flow_id']}",
        {
            "name": TEST_WINDOW,
            "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
            "start": start.strftime("%H:%M:00"),
            "end": (start + timedelta(hours=1)).strftime("%H:%M:00"),
        },
    )
    assert result["type"] == "create_entry", result
    subentries = await api.command(
        type="config_entries/subentries/list", entry_id=entry_id
    )
    (subentry_id,) = [s["subentry_id"] for s in subentries if s["title"] == TEST_WINDOW]
    return str(subentry_id)


async def _waits_for_ben(api: Demo, entry_id: str) -> None:
    """Ben away: the agreed time that is due waits, and starts when he is home."""
    await api.press("person.ben")
    await api.until("person.ben", "not_home")
    subentry_id = await _add_agreed_time(api, entry_id)
    try:
        await api.wait_for(
            "the agreed time to begin and wait for Ben",
            lambda: api.is_(STATUS, "waiting"),
            timeout=75,
        )
        status = await api.state(STATUS)
        assert status["attributes"]["missing"] == ["Ben"], status
        assert status["attributes"]["window"] == TEST_WINDOW, status  # the one due
        assert (await api.state(SWITCH))["state"] == "off"
        assert (await api.state(DND))["state"] == "off"

        api.forget()
        await api.press("person.ben")
        await api.until("person.ben", "home")
        started = await api.event(
            "partner_time_started", lambda data: data["entry_id"] == entry_id
        )
        assert started["source"] == "schedule", started
        assert started["window"] == TEST_WINDOW, started
        await api.until(SWITCH, "on")
        await api.until(DND, "priority_only")
        assert (await api.state(STATUS))["state"] == "active"
    finally:
        await api.command(
            type="config_entries/subentries/delete",
            entry_id=entry_id,
            subentry_id=subentry_id,
        )
        if (await api.state("person.ben"))["state"] != "home":
            await api.press("person.ben")
    await api.until(SWITCH, "off")
    await api.until(DND, "off")
    await api.until("person.ben", "home")


async def _scenario(url: str) -> None:
    async with aiohttp.ClientSession() as session:
        api = Demo(session, url, (await login(session, url))["access_token"])
        entry_id = await _ready(api)
        await api.connect()
        try:
            await api.read_dashboard()
            for event_type in (
                "partner_time_proposed",
                "partner_time_accepted",
                "partner_time_declined",
                "partner_time_started",
                "call_service",
            ):
                await api.command(type="subscribe_events", event_type=event_type)
            await _shall_we(api, entry_id)
            await _waits_for_ben(api, entry_id)
        finally:
            assert api.ws is not None
            await api.ws.close()


def test_shall_we_and_waiting_for_ben(running_hass: RunningHass) -> None:
    """The demo's "Shall we?" buttons and people work in a real Home Assistant."""
    run_in_new_loop(_scenario(running_hass.url), 180, running_hass.log_tail)
