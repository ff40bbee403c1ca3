"""Saving settings in the UI during partner time: applied in place, nothing repeated.

No reload: the entities never turn unavailable (no blips in history and logbook), and
no phone, light or switch is called again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.core import Event, EventStateChangedData, callback
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers.event import async_track_state_change_event

from .common import jump, state
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
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

SWITCH = "switch.partner_time"


@pytest.fixture(autouse=True)
async def dinner(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Berlin, before dinner."""
    await hass.config.async_set_time_zone("Europe/Berlin")
    freezer.move_to("2026-06-01T18:00:00+02:00")


def watch(hass: HomeAssistant, entity_ids: list[str]) -> list[tuple[str, str]]:
    """Record every state change of the given entities from now on."""
    seen: list[tuple[str, str]] = []

    @callback
    def _changed(event: Event[EventStateChangedData]) -> None:
        new = event.data["new_state"]
        seen.append((event.data["entity_id"], new.state if new else "removed"))

    async_track_state_change_event(hass, entity_ids, _changed)
    return seen


async def save_options(
    hass: HomeAssistant, entry: MockConfigEntry, menu: str, data: dict[str, Any]
) -> None:
    """Open Configure, pick a section, submit it, and wait until it is applied."""
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.MENU
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": menu}
    )
    assert result["type"] is FlowResultType.FORM
    result = await hass.config_entries.options.async_configure(result["flow_id"], data)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done(wait_background_tasks=True)


async def test_saving_timing_mid_session(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Changing the lead time during dinner touches no phone or light, no blip."""
    phones = await async_setup_house(hass)
    entry = await async_add_household(hass)
    await jump(hass, freezer, "2026-06-01T18:30:00+02:00")
    assert state(hass, SWITCH) == "on"
    seen = watch(hass, [SWITCH, DINING, CANDLES, DEFLECTION])
    calls: list[Any] = []
    hass.bus.async_listen("call_service", calls.append)

    await save_options(hass, entry, "timing", {"lead_time": 10, "default_duration": 60})

    assert entry.options["lead_time"] == 10
    assert [e.data["domain"] for e in calls] == []
    assert phones.commands(PIXEL) == ["priority_only"]
    # applied in place: the switch is never unavailable or off, nothing else moves
    assert seen == []

    await jump(hass, freezer, "2026-06-01T19:30:00+02:00")
    assert state(hass, SWITCH) == "off"
    assert state(hass, CANDLES) == "off"
    assert state(hass, DEFLECTION) == "off"
    assert phones.commands(GALAXY) == ["priority_only", "off"]


async def test_moving_the_end_mid_session(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Editing tonight's window to end later keeps the session on until the new end."""
    phones = await async_setup_house(hass)
    entry = await async_add_household(hass)
    await jump(hass, freezer, "2026-06-01T18:30:00+02:00")

    seen = watch(hass, [SWITCH, "sensor.partner_time_status", DINING, DEFLECTION])
    dinner = next(
        sub for sub in entry.subentries.values() if sub.subentry_type == "window"
    )
    result = await entry.start_subentry_reconfigure_flow(hass, dinner.subentry_id)
    assert result["type"] is FlowResultType.FORM
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"],
        {
            "name": "Dinner",
            "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
            "start": "18:30:00",
            "end": "20:00:00",
        },
    )
    assert result["type"] is FlowResultType.ABORT
    await hass.async_block_till_done(wait_background_tasks=True)

    assert state(hass, SWITCH) == "on"
    assert all(value not in ("unavailable", "off") for _entity, value in seen)
    assert state(hass, "sensor.partner_time_ends_at") == "2026-06-01T18:00:00+00:00"
    assert phones.commands(PIXEL) == ["priority_only"]
    await jump(hass, freezer, "2026-06-01T19:30:00+02:00")
    assert state(hass, SWITCH) == "on"
    await jump(hass, freezer, "2026-06-01T20:00:00+02:00")
    assert state(hass, SWITCH) == "off"
    assert phones.commands(PIXEL) == ["priority_only", "off"]
