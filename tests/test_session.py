"""The session engine in a real HA: the dinner cycle, windows, DST, time zones."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers.event import async_track_state_change_event
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import async_capture_events

from .common import attr, jump, state
from .household import (
    CANDLES,
    DEFLECTION,
    DINING,
    GALAXY,
    PIXEL,
    async_add_household,
    async_setup_house,
)

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory

SWITCH = "switch.partner_time"
STATUS = "sensor.partner_time_status"
NEXT = "sensor.partner_time_next_start"
ENDS = "sensor.partner_time_ends_at"


@pytest.fixture(autouse=True)
async def berlin(hass: HomeAssistant) -> None:
    """Put the household in Berlin."""
    await hass.config.async_set_time_zone("Europe/Berlin")


def transitions(hass: HomeAssistant, entity_id: str) -> list[str]:
    """Record every state the entity takes from now on."""
    seen: list[str] = []

    @callback
    def _listener(event: Event[EventStateChangedData]) -> None:
        new, old = event.data["new_state"], event.data["old_state"]
        if new is not None and (old is None or old.state != new.state):
            seen.append(new.state)

    async_track_state_change_event(hass, entity_id, _listener)
    return seen


async def test_dinner_cycle(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Phones quiet, scene on, calls forwarded at 18:30; all back as it was at 19:30."""
    freezer.move_to("2026-06-01T18:00:00+02:00")
    phones = await async_setup_house(hass)
    await hass.services.async_call(
        "light", "turn_on", {"entity_id": DINING, "brightness": 200}, blocking=True
    )
    started = async_capture_events(hass, "partner_time_started")
    ended = async_capture_events(hass, "partner_time_ended")
    upcoming = async_capture_events(hass, "partner_time_upcoming")
    greetings = async_capture_events(hass, "test_greeting")
    await async_add_household(hass)

    assert state(hass, SWITCH) == "off"
    assert state(hass, STATUS) == "idle"
    assert state(hass, NEXT) == "2026-06-01T16:30:00+00:00"
    assert state(hass, ENDS) == "unknown"

    await jump(hass, freezer, "2026-06-01T18:25:00+02:00")
    assert state(hass, STATUS) == "upcoming"
    assert [e.data["starts_at"] for e in upcoming] == ["2026-06-01T16:30:00+00:00"]

    await jump(hass, freezer, "2026-06-01T18:30:00+02:00")
    assert state(hass, SWITCH) == "on"
    assert state(hass, STATUS) == "active"
    assert attr(hass, STATUS, "back_at") == "19:30"
    assert attr(hass, STATUS, "window") == "Dinner"
    assert state(hass, ENDS) == "2026-06-01T17:30:00+00:00"
    assert phones.commands(PIXEL) == ["priority_only"]
    assert phones.commands(GALAXY) == ["priority_only"]
    assert attr(hass, DINING, "brightness") == 60
    assert state(hass, CANDLES) == "on"
    assert state(hass, DEFLECTION) == "on"
    assert [e.data["on"] for e in greetings] == [True]
    assert [(e.data["source"], e.data["ends_at"]) for e in started] == [
        ("schedule", "2026-06-01T17:30:00+00:00")
    ]

    await jump(hass, freezer, "2026-06-01T19:30:00+02:00")
    assert state(hass, SWITCH) == "off"
    assert phones.commands(PIXEL) == ["priority_only", "off"]
    assert attr(hass, DINING, "brightness") == 200
    assert state(hass, CANDLES) == "off"
    assert state(hass, DEFLECTION) == "off"
    assert [e.data["on"] for e in greetings] == [True, False]
    assert [(e.data["reason"], e.data["duration"]) for e in ended] == [
        ("schedule", 3600)
    ]
    assert state(hass, NEXT) == "2026-06-02T16:30:00+00:00"
    assert len(upcoming) == 1


async def test_house_comes_before_the_entities(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """At a transition the targets' states are written before our entities' states.

    Our entities follow once the house actions are done, so their writes do not
    delay the targets' own follow-up work (a hanging phone delays them only a few
    loop turns: see test_house.test_hanging_phone_times_out).
    """
    freezer.move_to("2026-06-01T18:00:00+02:00")
    await async_setup_house(hass)
    await async_add_household(hass, lead_time=0)
    order: list[str] = []

    @callback
    def _listener(event: Event[EventStateChangedData]) -> None:
        order.append(event.data["entity_id"])

    # the calendar flips on its own timer at the event's start (HA's CalendarEntity)
    watched = [SWITCH, STATUS, DEFLECTION, DINING, CANDLES]
    async_track_state_change_event(hass, watched, _listener)
    await jump(hass, freezer, "2026-06-01T18:30:00+02:00")
    assert state(hass, SWITCH) == "on"
    assert set(order) == set(watched)
    last_target = max(order.index(target) for target in (DEFLECTION, DINING, CANDLES))
    first_ours = min(order.index(ours) for ours in watched[:2])
    assert last_target < first_ours
    order.clear()
    await jump(hass, freezer, "2026-06-01T19:30:00+02:00")
    assert state(hass, SWITCH) == "off"
    last_target = max(order.index(target) for target in (DEFLECTION, DINING, CANDLES))
    first_ours = min(order.index(ours) for ours in watched[:2])
    assert last_target < first_ours


async def test_night_window_two_changes(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A 22:00-06:00 window turns on once and off once."""
    freezer.move_to("2026-06-01T21:00:00+02:00")
    await async_setup_house(hass)
    night = [{"name": "Night", "days": ["mon"], "start": "22:00", "end": "06:00"}]
    seen = transitions(hass, SWITCH)
    await async_add_household(hass, windows=night, lead_time=0)
    moment = dt_util.parse_datetime("2026-06-01T21:00:00+02:00")
    assert moment is not None
    for _ in range(12 * 4):
        moment += timedelta(minutes=15)
        await jump(hass, freezer, moment)
    assert seen == ["off", "on", "off"]


async def test_touching_windows_one_session(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """18:00-19:00 and 19:00-20:00 are one session: no blip at 19:00."""
    freezer.move_to("2026-06-01T17:00:00+02:00")
    phones = await async_setup_house(hass)
    windows = [
        {"name": "Cooking", "days": ["mon"], "start": "18:00", "end": "19:00"},
        {"name": "Dinner", "days": ["mon"], "start": "19:00", "end": "20:00"},
    ]
    seen = transitions(hass, SWITCH)
    ended = async_capture_events(hass, "partner_time_ended")
    await async_add_household(hass, windows=windows)
    await jump(hass, freezer, "2026-06-01T18:00:00+02:00")
    assert state(hass, ENDS) == "2026-06-01T18:00:00+00:00"
    await jump(hass, freezer, "2026-06-01T19:00:00+02:00")
    assert state(hass, SWITCH) == "on"
    await jump(hass, freezer, "2026-06-01T20:00:00+02:00")
    assert seen == ["off", "on", "off"]
    assert phones.commands(PIXEL) == ["priority_only", "off"]
    assert len(ended) == 1


@pytest.mark.parametrize(
    ("day", "start", "end", "on_at", "off_at"),
    [
        # spring forward 2026-03-29 02:00 -> 03:00: a 02:30 start happens at 03:00
        (
            "2026-03-29",
            "02:30",
            "04:00",
            "2026-03-29T03:00:00+02:00",
            "2026-03-29T04:00:00+02:00",
        ),
        # the repeated autumn hour 2026-10-25: 02:15-02:45 runs once, in the first 02:xx
        (
            "2026-10-25",
            "02:15",
            "02:45",
            "2026-10-25T02:15:00+02:00",
            "2026-10-25T02:45:00+02:00",
        ),
    ],
)
async def test_dst(  # noqa: PLR0913, PLR0917 - parametrized
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    day: str,
    start: str,
    end: str,
    on_at: str,
    off_at: str,
) -> None:
    """Windows in the DST gap start once; in the repeated hour they run once."""
    freezer.move_to(f"{day}T00:00:00+01:00")
    await async_setup_house(hass)
    windows = [{"name": "Night", "days": ["sun"], "start": start, "end": end}]
    seen = transitions(hass, SWITCH)
    await async_add_household(hass, windows=windows, lead_time=0)
    on = dt_util.parse_datetime(on_at)
    off = dt_util.parse_datetime(off_at)
    assert on is not None
    assert off is not None
    moment = dt_util.parse_datetime(f"{day}T00:00:00+01:00")
    assert moment is not None
    while moment < off + timedelta(hours=3):
        moment += timedelta(minutes=5)
        await jump(hass, freezer, moment)
        assert (state(hass, SWITCH) == "on") == (on <= moment < off), moment
    assert seen == ["off", "on", "off"]


async def test_dinner_keeps_local_time_across_dst(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """18:30 stays 18:30 local on both sides of the spring change."""
    freezer.move_to("2026-03-28T12:00:00+01:00")
    await async_setup_house(hass)
    await async_add_household(hass)
    assert state(hass, NEXT) == "2026-03-28T17:30:00+00:00"
    await jump(hass, freezer, "2026-03-28T19:45:00+01:00")
    assert state(hass, NEXT) == "2026-03-29T16:30:00+00:00"


async def test_time_zone_change_reschedules(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Changing HA's time zone moves the next start at once."""
    freezer.move_to("2026-06-01T12:00:00+00:00")
    await async_setup_house(hass)
    await async_add_household(hass)
    assert state(hass, NEXT) == "2026-06-01T16:30:00+00:00"
    await hass.config.async_update(time_zone="America/New_York")
    await hass.async_block_till_done()
    assert state(hass, NEXT) == "2026-06-01T22:30:00+00:00"
    await jump(hass, freezer, "2026-06-01T16:30:00+00:00")
    assert state(hass, SWITCH) == "off"
    await jump(hass, freezer, "2026-06-01T22:30:00+00:00")
    assert state(hass, SWITCH) == "on"
