"""Household life (issue #14): the repros as a household met them, then the rules.

Each test is a household's evening told in order: what they do (the dashboard switch,
an action, an automation), and what they see (the switch, the sensors, the calendar,
the lights, the phones' Do Not Disturb, the call forwarding).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import Context
from homeassistant.exceptions import ServiceValidationError
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import async_capture_events

from custom_components.partner_time.const import DOMAIN
from custom_components.partner_time.guard import LOOP_LIMIT

from .common import attr, jump, state
from .household import (
    CANDLES,
    DEFLECTION,
    DINING,
    GALAXY,
    PIXEL,
    assert_restored,
    async_add_household,
    async_setup_house,
)

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockUser

SWITCH = "switch.partner_time"
SCHEDULE = "switch.partner_time_schedule"
STATUS = "sensor.partner_time_status"
NEXT = "sensor.partner_time_next_start"
ENDS = "sensor.partner_time_ends_at"
CALENDAR = "calendar.partner_time_agreed_times"
EVERY_DAY = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
TEA = {"name": "Tea", "days": EVERY_DAY, "start": "06:43", "end": "06:48"}
DINNER = {"name": "Dinner", "days": EVERY_DAY, "start": "18:30", "end": "19:30"}


@pytest.fixture(autouse=True)
async def berlin(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Berlin, a Monday morning in June."""
    await hass.config.async_set_time_zone("Europe/Berlin")
    freezer.move_to("2026-06-01T06:30:00+02:00")


async def press(hass: HomeAssistant, service: str, **data: Any) -> None:
    """Call a partner_time action as a person (a user's context, as the UI sends)."""
    await hass.services.async_call(
        DOMAIN, service, data, blocking=True, context=Context(user_id="person")
    )
    await hass.async_block_till_done(wait_background_tasks=True)


async def toggle(hass: HomeAssistant, service: str, context: Context) -> None:
    """Turn the main switch on or off, in the dashboard (or by an automation)."""
    await hass.services.async_call(
        "switch", service, {ATTR_ENTITY_ID: SWITCH}, blocking=True, context=context
    )
    await hass.async_block_till_done(wait_background_tasks=True)


async def agenda(hass: HomeAssistant, start: str, end: str) -> list[tuple[str, str]]:
    """Return what the calendar card lists between `start` and `end`."""
    result = await hass.services.async_call(
        "calendar",
        "get_events",
        {ATTR_ENTITY_ID: CALENDAR, "start_date_time": start, "end_date_time": end},
        blocking=True,
        return_response=True,
    )
    assert result is not None
    events: Any = result[CALENDAR]
    return [(e["summary"], e["start"]) for e in events["events"]]


# -- 1. stopping ends now, not the future -------------------------------------------


async def test_stopping_early_keeps_the_tea_that_has_not_begun(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Repro: Tea 06:43-06:48; started by hand at 06:39 for an hour, stopped at 06:40.

    Before: Tea did not start at 06:43 and the next start jumped a week ahead. Now the
    stop ends only what runs; Tea has not begun, so it starts as agreed.
    """
    phones = await async_setup_house(hass)
    await async_add_household(hass, windows=[TEA], lead_time=0)
    await jump(hass, freezer, "2026-06-01T06:39:00+02:00")
    await press(hass, "start", duration="01:00:00")
    assert state(hass, SWITCH) == "on"
    await jump(hass, freezer, "2026-06-01T06:40:00+02:00")
    await press(hass, "stop")
    assert state(hass, SWITCH) == "off"
    assert state(hass, NEXT) == "2026-06-01T04:43:00+00:00"  # today's Tea, 06:43
    assert state(hass, STATUS) == "idle"
    await jump(hass, freezer, "2026-06-01T06:43:00+02:00")
    assert state(hass, SWITCH) == "on"
    assert attr(hass, STATUS, "window") == "Tea"
    await jump(hass, freezer, "2026-06-01T06:48:00+02:00")
    assert state(hass, SWITCH) == "off"
    assert phones.commands(PIXEL) == ["priority_only", "off", "priority_only", "off"]
    assert state(hass, NEXT) == "2026-06-02T04:43:00+00:00"  # tomorrow, not a week


async def test_stopping_a_long_session_keeps_tonights_and_tomorrows_dinner(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Repro: extended past tomorrow's dinner, then stopped: the dinners stay.

    Before: tonight's and tomorrow's dinners vanished from the sensor and the
    calendar, and the status said Paused with the agreed times on.
    """
    await async_setup_house(hass)
    await async_add_household(hass, windows=[DINNER], lead_time=0)
    await jump(hass, freezer, "2026-06-01T10:00:00+02:00")
    await press(hass, "start", duration="08:00:00")
    await press(hass, "extend", duration="10:00:00")  # until 04:00 tomorrow
    assert state(hass, ENDS) == "2026-06-02T02:00:00+00:00"
    await jump(hass, freezer, "2026-06-01T12:00:00+02:00")
    await press(hass, "stop")
    assert state(hass, SWITCH) == "off"
    assert state(hass, STATUS) == "idle"
    assert attr(hass, STATUS, "paused_by") is None
    assert state(hass, NEXT) == "2026-06-01T16:30:00+00:00"
    assert await agenda(
        hass, "2026-06-01T00:00:00+02:00", "2026-06-03T00:00:00+02:00"
    ) == [
        ("Dinner", "2026-06-01T18:30:00+02:00"),
        ("Dinner", "2026-06-02T18:30:00+02:00"),
    ]
    await jump(hass, freezer, "2026-06-01T18:30:00+02:00")
    assert state(hass, SWITCH) == "on"


async def test_a_skip_is_undone_by_the_action_and_by_the_schedule_switch(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Skipping is the way to leave a dinner out, and it can be taken back."""
    await async_setup_house(hass)
    await async_add_household(hass, windows=[DINNER], lead_time=0)
    await press(hass, "skip")
    assert state(hass, STATUS) == "paused"
    assert attr(hass, STATUS, "paused_by") == "skipped"
    assert state(hass, NEXT) == "2026-06-02T16:30:00+00:00"
    await press(hass, "unskip")
    assert state(hass, STATUS) == "idle"
    assert state(hass, NEXT) == "2026-06-01T16:30:00+00:00"
    with pytest.raises(ServiceValidationError) as err:
        await press(hass, "unskip")
    assert err.value.translation_key == "nothing_skipped"

    await press(hass, "skip")
    await hass.services.async_call(
        "switch", "turn_off", {ATTR_ENTITY_ID: SCHEDULE}, blocking=True
    )
    await hass.async_block_till_done()
    assert attr(hass, STATUS, "paused_by") == "schedule_off"
    await hass.services.async_call(
        "switch", "turn_on", {ATTR_ENTITY_ID: SCHEDULE}, blocking=True
    )
    await hass.async_block_till_done()
    assert state(hass, STATUS) == "idle"  # back on: the skip is gone too
    assert state(hass, NEXT) == "2026-06-01T16:30:00+00:00"
    await jump(hass, freezer, "2026-06-01T18:30:00+02:00")
    assert state(hass, SWITCH) == "on"


# -- 2. start never shortens; a day at most -------------------------------------------


async def test_start_never_shortens_and_a_day_is_the_most(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Repro: a 60-minute session + "start for 10 minutes" ended 10 minutes later.

    Now it keeps the later end. Three extends used to reach two days later with a
    bare "06:50" as back_at; now a session lasts at most 24 hours, and back_at says
    the day when the end is not today.
    """
    await async_setup_house(hass)
    await async_add_household(hass, windows=[DINNER], lead_time=0)
    await jump(hass, freezer, "2026-06-01T06:50:00+02:00")
    await press(hass, "start", duration="01:00:00")
    await press(hass, "start", duration="00:10:00")
    assert state(hass, ENDS) == "2026-06-01T05:50:00+00:00"  # still 07:50
    assert attr(hass, STATUS, "back_at") == "07:50"
    await press(hass, "start", duration="02:00:00")  # a longer start lengthens
    assert state(hass, ENDS) == "2026-06-01T06:50:00+00:00"
    await press(hass, "extend", duration="20:00:00")  # until 04:50 tomorrow
    assert attr(hass, STATUS, "back_at") == "2026-06-02 04:50"
    with pytest.raises(ServiceValidationError) as err:
        await press(hass, "extend", duration="03:00:00")
    assert err.value.translation_key == "too_long"
    assert state(hass, ENDS) == "2026-06-02T02:50:00+00:00"  # unchanged
    assert state(hass, SWITCH) == "on"


# -- 3. people are never locked out ---------------------------------------------------


async def test_a_person_pressing_often_is_never_refused(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    """Repro: the 6th start within 10 minutes from the dashboard was refused.

    The loop guard is for automations fighting over the switch: a person is never
    refused, and an automation still is after LOOP_LIMIT starts.
    """
    await async_setup_house(hass)
    await async_add_household(hass, lead_time=0)
    person = Context(user_id=hass_admin_user.id)
    for minute in range(LOOP_LIMIT + 3):
        await jump(hass, freezer, f"2026-06-01T07:{minute:02d}:00+02:00")
        await toggle(hass, "turn_on", person)
        assert state(hass, SWITCH) == "on"
        await toggle(hass, "turn_off", person)
    automation = Context()  # no user: an automation or a script
    for _ in range(LOOP_LIMIT):
        await toggle(hass, "turn_on", automation)
        await toggle(hass, "turn_off", automation)
    with pytest.raises(ServiceValidationError) as err:
        await toggle(hass, "turn_on", automation)
    assert err.value.translation_key == "start_loop"
    assert state(hass, SWITCH) == "off"
    await toggle(hass, "turn_on", person)  # the person still gets through
    assert state(hass, SWITCH) == "on"


# -- 4. two households share a room ----------------------------------------------------


async def test_two_households_share_the_dining_room(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Repro: stopping one household reset the lights and forwarding the other used.

    "Partner time" (18:30-19:30) and "Family" (19:00-20:00) share the dinner scene,
    the call deflection and a phone. What the other still wants stays until the last
    one ends; then the room is as it was before the first began, across a restart.
    """
    phones = await async_setup_house(hass)
    await async_setup_component(hass, "light", {})
    await hass.services.async_call(
        "light", "turn_on", {ATTR_ENTITY_ID: DINING, "brightness": 200}, blocking=True
    )
    await async_add_household(hass, windows=[DINNER], lead_time=0)
    family = await async_add_household(
        hass,
        "Family",
        windows=[{**DINNER, "name": "Family dinner", "start": "19:00", "end": "20:00"}],
        phones=[{"notify": GALAXY}],
        lead_time=0,
    )
    await jump(hass, freezer, "2026-06-01T18:30:00+02:00")
    assert state(hass, CANDLES) == "on"
    assert state(hass, DEFLECTION) == "on"
    await jump(hass, freezer, "2026-06-01T19:00:00+02:00")
    assert state(hass, "switch.family") == "on"
    await press(hass, "stop", entity_id=SWITCH)  # Partner time ends early
    assert state(hass, SWITCH) == "off"
    assert state(hass, DEFLECTION) == "on"  # Family still forwards calls
    assert state(hass, CANDLES) == "on"  # and still has the dinner lights
    assert attr(hass, DINING, "brightness") == 60
    assert phones.commands(GALAXY) == ["priority_only"]  # Family's phone stays quiet

    assert await hass.config_entries.async_reload(family.entry_id)  # a restart
    await hass.async_block_till_done(wait_background_tasks=True)
    await jump(hass, freezer, "2026-06-01T20:00:00+02:00")
    assert state(hass, "switch.family") == "off"
    assert_restored(hass, phones, GALAXY, PIXEL, brightness=200)  # as before 18:30
    assert phones.commands(GALAXY) == ["priority_only", "off"]
    assert phones.commands(PIXEL) == ["priority_only", "off"]


# -- 6. calls answered are not held back -------------------------------------------------


async def test_a_call_answered_at_home_is_not_held_back(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Repro: a call answered in the house (ringing, then talking) counted as held back."""
    await async_setup_house(hass)
    monitor = "sensor.fritz_box_call_monitor"
    hass.states.async_set(monitor, "idle")
    await async_add_household(hass, windows=[DINNER], lead_time=0)
    held = async_capture_events(hass, "partner_time_call_held")
    await jump(hass, freezer, "2026-06-01T18:30:00+02:00")
    caller = {"from": "0301234567", "from_name": "Grandma"}
    hass.states.async_set(monitor, "ringing", caller)
    await hass.async_block_till_done()
    assert state(hass, "sensor.partner_time_missed_calls") == "1"
    hass.states.async_set(monitor, "talking", {"with": "0301234567"})
    hass.states.async_set(monitor, "idle")
    await hass.async_block_till_done()
    assert state(hass, "sensor.partner_time_missed_calls") == "0"
    assert held == []
    hass.states.async_set(monitor, "ringing", {"from": "0171555", "from_name": None})
    await hass.async_block_till_done()
    hass.states.async_set(monitor, "idle")  # nobody picked up
    await hass.async_block_till_done()
    assert state(hass, "sensor.partner_time_missed_calls") == "1"
    assert [e.data["from"] for e in held] == ["0171555"]


# -- 7. leftovers ----------------------------------------------------------------------------


async def test_a_session_by_hand_shows_no_agreed_time(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Repro: a start by hand showed "Agreed time: Partner time" on the status."""
    await async_setup_house(hass)
    await async_add_household(hass, windows=[DINNER], lead_time=0)
    started = async_capture_events(hass, "partner_time_started")
    await press(hass, "start")
    assert state(hass, SWITCH) == "on"
    assert attr(hass, STATUS, "window") is None
    assert attr(hass, SWITCH, "window") is None
    assert started[0].data["window"] is None
    assert await agenda(
        hass, "2026-06-01T00:00:00+02:00", "2026-06-01T12:00:00+02:00"
    ) == [("Partner time", "2026-06-01T06:30:00+02:00")]
    await jump(hass, freezer, "2026-06-01T07:30:00+02:00")
    assert state(hass, SWITCH) == "off"
    assert attr(hass, STATUS, "window") == "Dinner"  # the next agreed time
