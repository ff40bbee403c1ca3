"""Nothing is lost across reloads, restarts, disabling and deleting."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.config_entries import ConfigEntryDisabler, ConfigEntryState
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from custom_components.partner_time.const import DOMAIN

from .common import jump, state
from .household import (
    CANDLES,
    DINING,
    GALAXY,
    PIXEL,
    assert_restored,
    async_add_household,
    async_setup_house,
    household_options,
)

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant

SWITCH = "switch.partner_time"
START = "2026-06-01T18:30:00+02:00"


@pytest.fixture(autouse=True)
async def berlin(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Berlin, before dinner."""
    await hass.config.async_set_time_zone("Europe/Berlin")
    freezer.move_to("2026-06-01T18:00:00+02:00")


async def test_reload_mid_session_repeats_nothing(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A reload during dinner neither re-sends DND nor re-applies the scene; the end restores."""
    phones = await async_setup_house(hass)
    entry = await async_add_household(hass)
    await jump(hass, freezer, START)
    calls: list[Any] = []
    hass.bus.async_listen("call_service", calls.append)
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert state(hass, SWITCH) == "on"
    assert calls == []
    assert phones.commands(PIXEL) == ["priority_only"]
    await jump(hass, freezer, "2026-06-01T19:30:00+02:00")
    assert state(hass, SWITCH) == "off"
    assert_restored(hass, phones, PIXEL)
    assert phones.commands(PIXEL) == ["priority_only", "off"]


async def test_end_passed_while_down(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A session whose end passed while the entry was not loaded ends on setup, restoring all."""
    phones = await async_setup_house(hass)
    await hass.services.async_call(
        "light", "turn_on", {"entity_id": DINING, "brightness": 200}, blocking=True
    )
    entry = await async_add_household(hass)
    await jump(hass, freezer, START)
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    freezer.move_to("2026-06-01T21:00:00+02:00")
    ended = async_capture_events(hass, "partner_time_ended")
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert state(hass, SWITCH) == "off"
    # it lasted until its end at 19:30, not until HA came back at 21:00
    assert [(e.data["reason"], e.data["duration"]) for e in ended] == [
        ("schedule", 3600)
    ]
    assert_restored(hass, phones, GALAXY, brightness=200)
    assert phones.commands(GALAXY) == ["priority_only", "off"]


async def test_disable_mid_session_restores(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Disabling the entry during dinner ends it and puts the house back."""
    phones = await async_setup_house(hass)
    entry = await async_add_household(hass)
    await jump(hass, freezer, START)
    await hass.config_entries.async_set_disabled_by(
        entry.entry_id, ConfigEntryDisabler.USER
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    assert entry.state is ConfigEntryState.NOT_LOADED
    assert_restored(hass, phones, PIXEL)
    assert phones.commands(PIXEL) == ["priority_only", "off"]


async def test_delete_mid_session_restores(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Deleting the entry during dinner ends it and puts the house back."""
    phones = await async_setup_house(hass)
    entry = await async_add_household(hass)
    await jump(hass, freezer, START)
    await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert_restored(hass, phones, PIXEL)
    assert phones.commands(PIXEL) == ["priority_only", "off"]


async def test_invalid_options_fail_setup(hass: HomeAssistant) -> None:
    """Stored options that cannot be used fail setup with a translated error, touching nothing."""
    await async_setup_house(hass)
    bad = household_options(
        windows=[{"name": "Dinner", "days": ["mon"], "start": "18:00", "end": "18:00"}]
    )
    entry = MockConfigEntry(domain=DOMAIN, title="Partner time", options=bad)
    entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.SETUP_ERROR
    assert entry.reason is not None
    assert hass.states.get(SWITCH) is None
    assert state(hass, CANDLES) == "off"
