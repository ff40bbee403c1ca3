"""The calendar in a real HA: agreed times ahead, the current session, skips, DST."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.components.calendar.const import DATA_COMPONENT as CALENDARS
from homeassistant.util import dt as dt_util

from custom_components.partner_time.calendar import PartnerTimeCalendar
from custom_components.partner_time.const import DOMAIN

from .common import attr, jump, state
from .household import async_add_household, async_setup_house

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant

CALENDAR = "calendar.partner_time_agreed_times"
SWITCH = "switch.partner_time"
SCHEDULE = "switch.partner_time_schedule"
NIGHT = {"name": "Night", "days": ["sun"], "start": "01:00", "end": "04:00"}
EARLY = {"name": "Early", "days": ["sun"], "start": "02:30", "end": "03:30"}
DINNER = {
    "name": "Dinner",
    "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
    "start": "18:30",
    "end": "19:30",
}
DESSERT = {"name": "Dessert", "days": ["mon"], "start": "19:30", "end": "20:00"}


@pytest.fixture(autouse=True)
async def berlin(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Berlin, Monday 1 June 2026, afternoon; the house set up."""
    await hass.config.async_set_time_zone("Europe/Berlin")
    freezer.move_to("2026-06-01T15:00:00+02:00")
    await async_setup_house(hass)


async def events(hass: HomeAssistant, start: str, end: str) -> list[dict[str, Any]]:
    """Call `calendar.get_events` for [start, end) and return the calendar's events."""
    response = await hass.services.async_call(
        "calendar",
        "get_events",
        {"entity_id": CALENDAR, "start_date_time": start, "end_date_time": end},
        blocking=True,
        return_response=True,
    )
    assert response is not None
    found: Any = response[CALENDAR]
    return list(found["events"])


def spans(found: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    """Return (summary, start, end) of each event."""
    return [(e["summary"], e["start"], e["end"]) for e in found]


async def test_calendar_lists_the_agreed_times(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The week's dinners are listed; the state follows the current or next one."""
    await async_add_household(hass)
    assert state(hass, CALENDAR) == "off"
    assert attr(hass, CALENDAR, "message") == "Dinner"
    assert attr(hass, CALENDAR, "start_time") == "2026-06-01 18:30:00"
    assert attr(hass, CALENDAR, "end_time") == "2026-06-01 19:30:00"
    assert attr(hass, CALENDAR, "friendly_name") == "Partner time Agreed times"
    assert attr(hass, CALENDAR, "icon") is None  # the icon comes from icons.json

    found = await events(hass, "2026-06-01T00:00:00+02:00", "2026-06-08T00:00:00+02:00")
    assert [e["start"] for e in found] == [
        f"2026-06-{day:02}T18:30:00+02:00" for day in range(1, 8)
    ]
    assert {e["summary"] for e in found} == {"Dinner"}
    assert found[0]["end"] == "2026-06-01T19:30:00+02:00"

    await jump(hass, freezer, "2026-06-01T18:30:00+02:00")
    assert state(hass, CALENDAR) == "on"
    found = await events(hass, "2026-06-01T00:00:00+02:00", "2026-06-03T00:00:00+02:00")
    assert spans(found) == [
        ("Dinner", "2026-06-01T18:30:00+02:00", "2026-06-01T19:30:00+02:00"),
        ("Dinner", "2026-06-02T18:30:00+02:00", "2026-06-02T19:30:00+02:00"),
    ]
    await jump(hass, freezer, "2026-06-01T19:30:00+02:00")
    assert state(hass, CALENDAR) == "off"
    assert attr(hass, CALENDAR, "start_time") == "2026-06-02 18:30:00"
    found = await events(hass, "2026-06-01T00:00:00+02:00", "2026-06-03T00:00:00+02:00")
    assert [e["start"] for e in found] == ["2026-06-02T18:30:00+02:00"]


async def test_calendar_flips_at_the_sessions_start_and_end(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The calendar's state flips at the session's start and end.

    Subscribers of its events are told of changes.
    """
    entry = await async_add_household(hass, lead_time=0)
    entity = hass.data[CALENDARS].get_entity(CALENDAR)
    assert isinstance(entity, PartnerTimeCalendar)
    pushed: list[Any] = []
    unsubscribe = entity.async_subscribe_events(
        dt_util.parse_datetime("2026-06-01T00:00:00+02:00") or dt_util.utcnow(),
        dt_util.parse_datetime("2026-06-03T00:00:00+02:00") or dt_util.utcnow(),
        pushed.append,
    )
    assert entry.runtime_data.engine.timer.when == dt_util.parse_datetime(
        "2026-06-01T18:30:00+02:00"
    )
    await jump(hass, freezer, "2026-06-01T18:30:00+02:00")
    assert state(hass, CALENDAR) == "on"
    assert pushed  # the subscriber was told that the events changed
    await jump(hass, freezer, "2026-06-01T19:30:00+02:00")
    assert state(hass, CALENDAR) == "off"
    assert attr(hass, CALENDAR, "start_time") == "2026-06-02 18:30:00"
    unsubscribe()


async def test_calendar_leaves_out_skips_and_paused_times(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A skipped dinner is not listed; paused agreed times list only the session."""
    await async_add_household(hass)
    await hass.services.async_call(DOMAIN, "skip", {}, blocking=True)
    await hass.async_block_till_done()
    found = await events(hass, "2026-06-01T00:00:00+02:00", "2026-06-04T00:00:00+02:00")
    assert [e["start"] for e in found] == [
        "2026-06-02T18:30:00+02:00",
        "2026-06-03T18:30:00+02:00",
    ]
    assert attr(hass, CALENDAR, "start_time") == "2026-06-02 18:30:00"

    await hass.services.async_call(
        DOMAIN, "skip", {"until": "2026-06-03T12:00:00+02:00"}, blocking=True
    )
    await hass.async_block_till_done()
    found = await events(hass, "2026-06-01T00:00:00+02:00", "2026-06-04T00:00:00+02:00")
    assert [e["start"] for e in found] == ["2026-06-03T18:30:00+02:00"]

    await hass.services.async_call(
        "switch", "turn_off", {"entity_id": SCHEDULE}, blocking=True
    )
    await hass.async_block_till_done()
    assert (
        await events(hass, "2026-06-01T00:00:00+02:00", "2026-06-08T00:00:00+02:00")
        == []
    )
    assert state(hass, CALENDAR) == "off"
    assert attr(hass, CALENDAR, "message") is None

    await hass.services.async_call(
        DOMAIN, "start", {"duration": {"minutes": 30}}, blocking=True
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    assert state(hass, CALENDAR) == "on"
    found = await events(hass, "2026-06-01T00:00:00+02:00", "2026-06-08T00:00:00+02:00")
    assert spans(found) == [
        ("Partner time", "2026-06-01T15:00:00+02:00", "2026-06-01T15:30:00+02:00")
    ]


async def test_calendar_merges_like_the_engine(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Touching windows are one event; a stop leaves out only what has begun."""
    await async_add_household(hass, windows=[DINNER, DESSERT])
    found = await events(hass, "2026-06-01T00:00:00+02:00", "2026-06-02T00:00:00+02:00")
    assert spans(found) == [
        ("Dinner", "2026-06-01T18:30:00+02:00", "2026-06-01T20:00:00+02:00")
    ]
    await jump(hass, freezer, "2026-06-01T18:30:00+02:00")
    await jump(hass, freezer, "2026-06-01T18:45:00+02:00")
    found = await events(hass, "2026-06-01T00:00:00+02:00", "2026-06-02T00:00:00+02:00")
    assert spans(found) == [
        ("Dinner", "2026-06-01T18:30:00+02:00", "2026-06-01T20:00:00+02:00")
    ]
    await hass.services.async_call(DOMAIN, "stop", {}, blocking=True)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert state(hass, SWITCH) == "off"
    # Dinner had begun and is left out; Dessert has not begun and starts as agreed
    found = await events(hass, "2026-06-01T00:00:00+02:00", "2026-06-02T00:00:00+02:00")
    assert spans(found) == [
        ("Dessert", "2026-06-01T19:30:00+02:00", "2026-06-01T20:00:00+02:00")
    ]
    # a manual start from the middle of a window runs to the window's end
    await jump(hass, freezer, "2026-06-02T19:00:00+02:00")
    await hass.services.async_call(DOMAIN, "start", {}, blocking=True)
    await hass.async_block_till_done(wait_background_tasks=True)
    found = await events(hass, "2026-06-02T00:00:00+02:00", "2026-06-03T00:00:00+02:00")
    assert spans(found) == [
        ("Dinner", "2026-06-02T19:00:00+02:00", "2026-06-02T19:30:00+02:00")
    ]


async def test_calendar_over_the_autumn_dst_change(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """25 October 2026: dinner stays at 18:30 local; the night has its extra hour."""
    freezer.move_to("2026-10-23T12:00:00+02:00")
    await async_add_household(hass, windows=[DINNER, NIGHT])
    found = await events(hass, "2026-10-24T00:00:00+02:00", "2026-10-27T00:00:00+01:00")
    assert spans(found) == [
        ("Dinner", "2026-10-24T18:30:00+02:00", "2026-10-24T19:30:00+02:00"),
        ("Night", "2026-10-25T01:00:00+02:00", "2026-10-25T04:00:00+01:00"),
        ("Dinner", "2026-10-25T18:30:00+01:00", "2026-10-25T19:30:00+01:00"),
        ("Dinner", "2026-10-26T18:30:00+01:00", "2026-10-26T19:30:00+01:00"),
    ]
    await jump(hass, freezer, "2026-10-24T19:30:00+02:00")
    await jump(hass, freezer, "2026-10-25T01:00:00+02:00")
    assert state(hass, SWITCH) == "on"
    assert state(hass, CALENDAR) == "on"
    assert attr(hass, CALENDAR, "end_time") == "2026-10-25 04:00:00"
    await jump(hass, freezer, "2026-10-25T02:30:00+01:00")  # the second 02:30
    assert state(hass, CALENDAR) == "on"
    await jump(hass, freezer, "2026-10-25T04:00:00+01:00")
    assert state(hass, SWITCH) == "off"
    assert state(hass, CALENDAR) == "off"


async def test_calendar_over_the_spring_dst_change(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """29 March 2026: a window starting in the skipped hour starts at 03:00 CEST."""
    freezer.move_to("2026-03-27T12:00:00+01:00")
    await async_add_household(hass, windows=[DINNER, EARLY])
    found = await events(hass, "2026-03-28T12:00:00+01:00", "2026-03-30T00:00:00+02:00")
    assert spans(found) == [
        ("Dinner", "2026-03-28T18:30:00+01:00", "2026-03-28T19:30:00+01:00"),
        ("Early", "2026-03-29T03:00:00+02:00", "2026-03-29T03:30:00+02:00"),
        ("Dinner", "2026-03-29T18:30:00+02:00", "2026-03-29T19:30:00+02:00"),
    ]


async def test_calendar_far_ahead_and_in_the_past(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The past lists nothing; far ahead lists the agreed times until the horizon."""
    del freezer
    await async_add_household(hass)
    assert (
        await events(hass, "2026-05-01T00:00:00+02:00", "2026-05-08T00:00:00+02:00")
        == []
    )
    found = await events(hass, "2027-06-01T00:00:00+02:00", "2027-06-03T00:00:00+02:00")
    assert [e["start"] for e in found] == [
        "2027-06-01T18:30:00+02:00",
        "2027-06-02T18:30:00+02:00",
    ]
    assert (
        await events(hass, "2028-06-01T00:00:00+02:00", "2028-06-03T00:00:00+02:00")
        == []
    )
