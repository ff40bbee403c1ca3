"""Device triggers: the automation editor lists the household's events, and they fire.

The household builds automations in the editor on their Partner Time device ("Partner
time started", ...): they run for their dinner, and not for the grandparents' tea.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from homeassistant.components.device_automation import (
    DeviceAutomationType,
    async_get_device_automations,
)
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import async_mock_service

from custom_components.partner_time.const import DOMAIN
from custom_components.partner_time.device_trigger import (
    TRIGGER_EVENTS,
    async_get_triggers,
)

from .common import jump
from .household import async_add_household, async_setup_house

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant, ServiceCall
    from pytest_homeassistant_custom_component.common import MockConfigEntry

TRANSLATIONS = (
    Path(__file__).resolve().parents[1]
    / "custom_components"
    / "partner_time"
    / "translations"
)
REMINDER = "2026-06-01T18:25:00+02:00"
START = "2026-06-01T18:30:00+02:00"
END = "2026-06-01T19:30:00+02:00"


@pytest.fixture(autouse=True)
async def berlin(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Berlin, an hour before dinner (18:30-19:30 every day)."""
    await hass.config.async_set_time_zone("Europe/Berlin")
    freezer.move_to("2026-06-01T17:30:00+02:00")


def device_of(hass: HomeAssistant, entry: MockConfigEntry) -> str:
    """Return the id of a household's device."""
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, entry.entry_id), entry.entry_id
    )
    assert device is not None
    return device.id


async def automations_on(
    hass: HomeAssistant, device_id: str, *trigger_types: str
) -> list[ServiceCall]:
    """Set up the automations the editor writes for device triggers; return their runs."""
    runs = async_mock_service(hass, "test", "automation")
    automations = [
        {
            "triggers": {
                "trigger": "device",
                "domain": DOMAIN,
                "device_id": device_id,
                "type": trigger_type,
            },
            "actions": {
                "action": "test.automation",
                "data": {
                    "type": trigger_type,
                    "window": "{{ trigger.event.data.window }}",
                    "platform": "{{ trigger.platform }}",
                },
            },
        }
        for trigger_type in trigger_types
    ]
    assert await async_setup_component(hass, "automation", {"automation": automations})
    return runs


def ran(runs: list[ServiceCall]) -> list[tuple[str, str, str]]:
    """Say which automation ran: (trigger type, agreed time, trigger platform)."""
    return [(r.data["type"], r.data["window"], r.data["platform"]) for r in runs]


async def test_the_editor_lists_the_households_triggers(hass: HomeAssistant) -> None:
    """The household's device offers started, ended, starts soon and a call held back."""
    await async_setup_house(hass)
    entry = await async_add_household(hass)
    device_id = device_of(hass, entry)
    assert await async_setup_component(hass, "device_automation", {})

    listed = await async_get_device_automations(
        hass, DeviceAutomationType.TRIGGER, [device_id]
    )
    ours = [t for t in listed[device_id] if t["domain"] == DOMAIN]
    assert sorted(t["type"] for t in ours) == [
        "breakthrough",
        "call_held",
        "ended",
        "started",
        "upcoming",
    ]
    assert all(t["device_id"] == device_id for t in ours)


async def test_other_devices_offer_none(hass: HomeAssistant) -> None:
    """A device of another integration gets no Partner Time triggers."""
    await async_setup_house(hass)
    entry = await async_add_household(hass)
    other = dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id, identifiers={("fritz", "7590")}
    )
    assert await async_get_triggers(hass, other.id) == []
    assert await async_get_triggers(hass, "no-such-device") == []


async def test_every_trigger_has_a_name_in_both_languages() -> None:
    """The editor shows each trigger by its translated name."""
    for language in ("en", "de"):
        text = json.loads((TRANSLATIONS / f"{language}.json").read_text())
        assert set(text["device_automation"]["trigger_type"]) == set(TRIGGER_EVENTS)


async def test_the_households_evening_runs_its_automations(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Reminder, start and end of dinner each run their automation once, in order.

    The grandparents' tea, started by hand, runs none of them.
    """
    await async_setup_house(hass)
    entry = await async_add_household(hass)
    await async_add_household(
        hass,
        title="Grandparents",
        windows=[{"name": "Tea", "days": ["mon"], "start": "16:00", "end": "17:00"}],
    )
    runs = await automations_on(
        hass, device_of(hass, entry), "upcoming", "started", "ended"
    )
    await hass.services.async_call(
        DOMAIN, "start", {"entity_id": "switch.grandparents"}, blocking=True
    )
    await hass.services.async_call(
        DOMAIN, "stop", {"entity_id": "switch.grandparents"}, blocking=True
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    assert runs == []

    await jump(hass, freezer, REMINDER)
    await jump(hass, freezer, START)
    await jump(hass, freezer, END)
    assert ran(runs) == [
        ("upcoming", "Dinner", "device"),
        ("started", "Dinner", "device"),
        ("ended", "Dinner", "device"),
    ]


async def test_a_call_held_back_runs_its_automation(hass: HomeAssistant) -> None:
    """The engine's event for a call held back runs the household's automation."""
    await async_setup_house(hass)
    entry = await async_add_household(hass)
    runs = await automations_on(hass, device_of(hass, entry), "call_held")
    hass.bus.async_fire(
        "partner_time_call_held",
        {"entry_id": entry.entry_id, "name": entry.title, "from": "0301"},
    )
    hass.bus.async_fire("partner_time_call_held", {"entry_id": "another household"})
    await hass.async_block_till_done()
    assert len(runs) == 1


async def test_a_removed_device_matches_nothing(hass: HomeAssistant) -> None:
    """An automation left on a device that is gone stays valid and never runs."""
    await async_setup_house(hass)
    entry = await async_add_household(hass)
    runs = await automations_on(hass, "no-such-device", "call_held")
    hass.bus.async_fire(
        "partner_time_call_held", {"entry_id": entry.entry_id, "from": "0301"}
    )
    await hass.async_block_till_done()
    assert runs == []
