"""Calls and messages (#17) in the demo: the babysitter gets through, others wait.

Uses the `hass` process that conftest.py starts once per session and presses the
*Partner Time* dashboard's buttons as test_together.py does (their tap actions, read
from the dashboard's configuration). The demo's FRITZ!Box call monitor
(sensor.fritz_box_7590_call_monitor_phone_book, a template sensor that writes state and
`from`, `from_name`, `to` as core's fritzbox_callmonitor does) rings for eight seconds
when "Babysitter calls" or "Unknown caller calls" is pressed.

During partner time started by hand:

- "Babysitter calls" (+49 170 1234567, the demo household's caller who gets through):
  `partner_time_breakthrough` names the babysitter, the demo phone gets the urgent
  notification, the call is not counted as held back;
- "Unknown caller calls": the call is held back (Calls held back 1, with its number)
  and `partner_time_call_held` follows when it stops ringing;
- "Message for later" (notify.send_message to notify.partner_time_later) waits;
- "Stop": the household's end message lists the held call, the babysitter who got
  through and the message that waited.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import aiohttp

from .frontend import run_in_new_loop
from .running import login
from .test_together import DND, SWITCH, Demo, _phone_got, _ready

if TYPE_CHECKING:
    from .running import RunningHass

MONITOR = "sensor.fritz_box_7590_call_monitor_phone_book"
MISSED = "sensor.partner_time_missed_calls"
BABYSITTER = "+49 170 1234567"
UNKNOWN = "0221 4711 0815"
MESSAGE = "The parcel is with the neighbours."


async def _press_without_waiting(api: Demo, name: str) -> None:
    """Press a button whose action runs a while (a script that rings for 8 s)."""
    action = api.buttons[name]["tap_action"]
    domain, service = action["perform_action"].split(".")
    assert api.ws is not None
    message_id = api.next_id
    api.next_id += 1
    await api.ws.send_json(
        {
            "id": message_id,
            "type": "call_service",
            "domain": domain,
            "service": service,
            "service_data": action.get("data", {}),
            "target": action.get("target", {}),
        }
    )


def _ours(entry_id: str) -> Any:
    return lambda data: data["entry_id"] == entry_id


def _household_got(data: dict[str, Any]) -> bool:
    return data.get("domain") == "notify" and data.get("service") == "household"


async def _calls(api: Demo, entry_id: str) -> None:
    await api.command(
        type="call_service",
        domain="partner_time",
        service="start",
        target={"entity_id": SWITCH},
    )
    await api.until(SWITCH, "on")
    await api.until(DND, "priority_only")
    await api.until(MONITOR, "idle")

    # The babysitter gets through: announced on the phone, not held back.
    api.forget()
    await _press_without_waiting(api, "Babysitter calls")
    through = await api.event("partner_time_breakthrough", _ours(entry_id))
    assert through["caller"] == "Babysitter", through
    assert through["number"] == BABYSITTER, through
    urgent = await api.event(
        "call_service", _phone_got(lambda data: data.get("message") != "command_dnd")
    )
    assert "Babysitter" in urgent["service_data"]["message"], urgent
    assert urgent["service_data"]["data"]["priority"] == "high", urgent
    channel = urgent["service_data"]["data"]["channel"]
    assert channel == "Partner Time: calls that get through", urgent
    assert (await api.state(MISSED))["state"] == "0"
    await api.wait_for(
        "the babysitter's call to end", lambda: api.is_(MONITOR, "idle"), timeout=20
    )

    # An unknown caller is held back.
    await _press_without_waiting(api, "Unknown caller calls")
    await api.until(MONITOR, "ringing")
    await api.until(MISSED, "1")
    (call,) = (await api.state(MISSED))["attributes"]["calls"]
    assert call["from"] == UNKNOWN, call
    assert call["from_name"] is None, call  # the FRITZ!Box's "unknown" is no name
    held = await api.event("partner_time_call_held", _ours(entry_id))
    assert held["from"] == UNKNOWN, held
    assert (await api.state(SWITCH))["state"] == "on"

    # A message that can wait, then the end: everything is told at once.
    await api.press("Message for later")
    api.forget()
    await api.press("Stop")
    await api.until(SWITCH, "off")
    await api.until(DND, "off")
    told = await api.event(
        "call_service",
        lambda data: (
            _household_got(data) and MESSAGE in data["service_data"]["message"]
        ),
    )
    text = told["service_data"]["message"]
    assert "Babysitter" in text, text
    assert "1 call" in text, text
    assert f"{UNKNOWN} (" in text, text  # told by number


async def _scenario(url: str) -> None:
    async with aiohttp.ClientSession() as session:
        api = Demo(session, url, (await login(session, url))["access_token"])
        entry_id = await _ready(api)
        await api.connect()
        try:
            await api.read_dashboard()
            for event_type in (
                "partner_time_breakthrough",
                "partner_time_call_held",
                "call_service",
            ):
                await api.command(type="subscribe_events", event_type=event_type)
            await _calls(api, entry_id)
        finally:
            assert api.ws is not None
            await api.ws.close()


def test_the_babysitter_gets_through(running_hass: RunningHass) -> None:
    """The demo's landline, its callers and a message for later, in a real HA."""
    run_in_new_loop(_scenario(running_hass.url), 120, running_hass.log_tail)
