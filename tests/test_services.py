"""The actions: start, stop, extend, skip, and every refusal of bad input."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.exceptions import ServiceValidationError
from pytest_homeassistant_custom_component.common import async_capture_events

from custom_components.partner_time.const import DOMAIN
from custom_components.partner_time.plan import as_store

from .common import attr, jump, state
from .household import CANDLES, PIXEL, async_add_household, async_setup_house

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant

SWITCH = "switch.partner_time"
ENDS = "sensor.partner_time_ends_at"
STATUS = "sensor.partner_time_status"


@pytest.fixture(autouse=True)
async def berlin(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Berlin, a Monday afternoon."""
    await hass.config.async_set_time_zone("Europe/Berlin")
    freezer.move_to("2026-06-01T15:00:00+02:00")


async def call(hass: HomeAssistant, service: str, **data: Any) -> None:
    """Call a partner_time action and let it finish."""
    await hass.services.async_call(DOMAIN, service, data, blocking=True)
    await hass.async_block_till_done(wait_background_tasks=True)


async def test_manual_start_lasts_default_duration(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A manual start outside a window lasts default_duration, then expires."""
    phones = await async_setup_house(hass)
    await async_add_household(hass, default_duration=45)
    started = async_capture_events(hass, "partner_time_started")
    ended = async_capture_events(hass, "partner_time_ended")
    await call(hass, "start")
    assert state(hass, SWITCH) == "on"
    assert state(hass, ENDS) == "2026-06-01T13:45:00+00:00"
    assert started[0].data["source"] == "manual"
    await jump(hass, freezer, "2026-06-01T15:45:00+02:00")
    assert state(hass, SWITCH) == "off"
    assert ended[0].data["reason"] == "expired"
    assert phones.commands(PIXEL) == ["priority_only", "off"]


async def test_start_with_duration_and_switch(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The switch starts and stops; start takes a duration."""
    await async_setup_house(hass)
    await async_add_household(hass)
    await call(hass, "start", duration={"minutes": 30}, entity_id=SWITCH)
    assert state(hass, ENDS) == "2026-06-01T13:30:00+00:00"
    await hass.services.async_call(
        "switch", "turn_off", {"entity_id": SWITCH}, blocking=True
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    assert state(hass, SWITCH) == "off"
    await hass.services.async_call(
        "switch", "turn_on", {"entity_id": SWITCH}, blocking=True
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    assert state(hass, ENDS) == "2026-06-01T14:00:00+00:00"


async def test_stop_during_window_does_not_restart(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Turning off during dinner ends it; dinner does not start again, tomorrow's does."""
    await async_setup_house(hass)
    await async_add_household(hass)
    ended = async_capture_events(hass, "partner_time_ended")
    await jump(hass, freezer, "2026-06-01T18:30:00+02:00")
    await jump(hass, freezer, "2026-06-01T18:50:00+02:00")
    await call(hass, "stop")
    assert state(hass, SWITCH) == "off"
    assert state(hass, CANDLES) == "off"
    assert ended[0].data["reason"] == "manual"
    await jump(hass, freezer, "2026-06-01T19:00:00+02:00")
    assert state(hass, SWITCH) == "off"
    assert state(hass, "sensor.partner_time_next_start") == "2026-06-02T16:30:00+00:00"
    await jump(hass, freezer, "2026-06-02T18:30:00+02:00")
    assert state(hass, SWITCH) == "on"


async def test_extend(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Extend moves the end; it is refused when not active."""
    await async_setup_house(hass)
    await async_add_household(hass)
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "extend", duration={"minutes": 15})
    assert err.value.translation_key == "not_active"
    await jump(hass, freezer, "2026-06-01T18:30:00+02:00")
    await call(hass, "extend", duration={"minutes": 15})
    assert state(hass, ENDS) == "2026-06-01T17:45:00+00:00"
    assert attr(hass, STATUS, "back_at") == "19:45"
    await jump(hass, freezer, "2026-06-01T19:30:00+02:00")
    assert state(hass, SWITCH) == "on"
    await jump(hass, freezer, "2026-06-01T19:45:00+02:00")
    assert state(hass, SWITCH) == "off"


async def test_skip_next_and_until(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Skip leaves out the next window; with until, every window before it."""
    await async_setup_house(hass)
    await async_add_household(hass)
    await call(hass, "skip")
    assert state(hass, STATUS) == "paused"
    assert state(hass, "sensor.partner_time_next_start") == "2026-06-02T16:30:00+00:00"
    await jump(hass, freezer, "2026-06-01T18:30:00+02:00")
    assert state(hass, SWITCH) == "off"
    await jump(hass, freezer, "2026-06-01T20:00:00+02:00")
    assert state(hass, STATUS) == "idle"
    await call(hass, "skip", until="2026-06-04T00:00:00")
    assert state(hass, "sensor.partner_time_next_start") == "2026-06-04T16:30:00+00:00"
    await jump(hass, freezer, "2026-06-02T18:30:00+02:00")
    assert state(hass, SWITCH) == "off"


async def test_schedule_switch_pauses(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The schedule switch off pauses the agreed times; manual starts still work."""
    await async_setup_house(hass)
    await async_add_household(hass)
    await hass.services.async_call(
        "switch",
        "turn_off",
        {"entity_id": "switch.partner_time_schedule"},
        blocking=True,
    )
    assert state(hass, STATUS) == "paused"
    await jump(hass, freezer, "2026-06-01T18:30:00+02:00")
    assert state(hass, SWITCH) == "off"
    await call(hass, "start")
    assert state(hass, SWITCH) == "on"
    await hass.services.async_call(
        "switch",
        "turn_on",
        {"entity_id": "switch.partner_time_schedule"},
        blocking=True,
    )
    assert state(hass, "switch.partner_time_schedule") == "on"


@pytest.mark.parametrize(
    ("service", "data", "key"),
    [
        ("start", {"duration": {"minutes": 0}}, "invalid_duration"),
        ("start", {"duration": {"hours": 25}}, "invalid_duration"),
        ("extend", {"duration": {"seconds": -60}}, "invalid_duration"),
        ("skip", {"until": "2026-06-01T10:00:00"}, "until_in_past"),
        ("start", {"entity_id": "light.candles"}, "no_household_targeted"),
    ],
)
async def test_refusals_change_nothing(
    hass: HomeAssistant, service: str, data: dict[str, Any], key: str
) -> None:
    """Bad input is refused with a translated error and changes nothing."""
    await async_setup_house(hass)
    entry = await async_add_household(hass)
    before = as_store(entry.runtime_data.engine.plan)
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, service, **data)
    assert err.value.translation_domain == DOMAIN
    assert err.value.translation_key == key
    assert as_store(entry.runtime_data.engine.plan) == before
    assert state(hass, SWITCH) == "off"


async def test_nothing_to_skip(hass: HomeAssistant) -> None:
    """Skip with the schedule paused has nothing to skip."""
    await async_setup_house(hass)
    await async_add_household(hass)
    await hass.services.async_call(
        "switch",
        "turn_off",
        {"entity_id": "switch.partner_time_schedule"},
        blocking=True,
    )
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "skip")
    assert err.value.translation_key == "nothing_to_skip"


async def test_several_households(hass: HomeAssistant) -> None:
    """With two households an untargeted action asks which; a target picks one."""
    await async_setup_house(hass)
    await async_add_household(hass, "Partner time")
    await async_add_household(hass, "Kids")
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "start")
    assert err.value.translation_key == "which_household"
    assert err.value.translation_placeholders == {"names": "Kids, Partner time"}
    await call(hass, "start", entity_id="switch.kids")
    assert state(hass, "switch.kids") == "on"
    assert state(hass, SWITCH) == "off"


async def test_no_household(hass: HomeAssistant) -> None:
    """Without a loaded household the actions say so."""
    await async_setup_house(hass)
    entry = await async_add_household(hass)
    await hass.config_entries.async_unload(entry.entry_id)
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "stop")
    assert err.value.translation_key == "no_household"
