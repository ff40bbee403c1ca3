"""Entity ids follow the system language at the time a household is added.

HA builds an entity's object id from its translated name for the languages in
`NATIVE_ENTITY_IDS` (German among them), as for every core integration. A German
household "Familie Müller" gets clean German ids; an English system gets the ids the
README and the demo dashboard use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from homeassistant.generated.languages import NATIVE_ENTITY_IDS
from homeassistant.helpers import entity_registry as er

from custom_components.partner_time.const import DOMAIN

from .household import async_add_household, async_setup_house

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

GERMAN = {
    "switch.familie_muller",
    "switch.familie_muller_zeitplan",
    "sensor.familie_muller_status",
    "sensor.familie_muller_beginn",
    "sensor.familie_muller_ende",
    "sensor.familie_muller_verpasste_anrufe",
    "sensor.familie_muller_wochensumme",
    "notify.familie_muller_nachher",
    "calendar.familie_muller_vereinbarte_zeiten",
}
ENGLISH = {
    "switch.partner_time",
    "switch.partner_time_schedule",
    "sensor.partner_time_status",
    "sensor.partner_time_next_start",
    "sensor.partner_time_ends_at",
    "sensor.partner_time_missed_calls",
    "sensor.partner_time_this_week",
    "calendar.partner_time_agreed_times",
    "notify.partner_time_later",
}


def ids_of(hass: HomeAssistant) -> set[str]:
    """Return the entity ids of Partner Time's entities."""
    return {
        entry.entity_id
        for entry in er.async_get(hass).entities.values()
        if entry.platform == DOMAIN
    }


async def test_a_german_household_gets_clean_german_ids(hass: HomeAssistant) -> None:
    """Set up on a German system: readable ids without transliterated umlauts."""
    assert "de" in NATIVE_ENTITY_IDS
    hass.config.language = "de"
    await async_setup_house(hass)
    await async_add_household(hass, title="Familie Müller")
    assert ids_of(hass) == GERMAN
    assert hass.states.get("sensor.familie_muller_beginn") is not None


@pytest.mark.parametrize("language", ["en", "en-GB"])
async def test_an_english_household_gets_the_documented_ids(
    hass: HomeAssistant, language: str
) -> None:
    """Set up on an English system: the ids of the README and the demo dashboard."""
    hass.config.language = language
    await async_setup_house(hass)
    await async_add_household(hass)
    assert ids_of(hass) == ENGLISH


async def test_ids_stay_when_the_language_changes(hass: HomeAssistant) -> None:
    """Switched to German later, the household keeps the ids it was created with."""
    await async_setup_house(hass)
    entry = await async_add_household(hass)
    hass.config.language = "de"
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert ids_of(hass) == ENGLISH
