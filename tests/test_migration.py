"""Upgrading a household from config entry version 1 (everything in the options).

Version 1 kept the agreed times and the phones in `entry.options`; version 2 has
them as subentries, listed on the integration page. The upgrade must lose nothing,
not even a partner time that is running while Home Assistant restarts with the new
Partner Time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.config_entries import ConfigEntryState
from pytest_homeassistant_custom_component.common import (  # type: ignore[import-untyped]
    MockConfigEntry,
)

from custom_components.partner_time.const import DOMAIN
from custom_components.partner_time.settings import parse_settings, settings_of

from .common import attr, jump, state
from .household import (
    CANDLES,
    DEFLECTION,
    DINING,
    GALAXY,
    PIXEL,
    PIXEL_DND,
    add_phone,
    async_setup_house,
    household_options,
)

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant

SWITCH = "switch.partner_time"
BREAKFAST = {"name": "Breakfast", "days": ["sun"], "start": "09:00", "end": "10:30"}
HOUSEHOLD_WIDE = {
    key: value
    for key, value in household_options().items()
    if key not in ("windows", "phones")
}


@pytest.fixture(autouse=True)
async def berlin(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Berlin, before dinner on a Monday."""
    await hass.config.async_set_time_zone("Europe/Berlin")
    freezer.move_to("2026-06-01T18:00:00+02:00")


def version_1(options: dict[str, Any], title: str = "Partner time") -> MockConfigEntry:
    """Return a household as Partner Time 1 stored it: version 1, no subentries."""
    return MockConfigEntry(
        domain=DOMAIN, title=title, data={}, options=options, version=1
    )


def listed(entry: MockConfigEntry) -> list[tuple[str, str, dict[str, Any]]]:
    """Return what the integration page lists under the household: (type, title, data)."""
    return [
        (sub.subentry_type, sub.title, dict(sub.data))
        for sub in entry.subentries.values()
    ]


async def test_running_dinner_survives_the_upgrade(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Dinner runs when HA restarts with the new Partner Time; it ends with the full restore.

    The household's version 1 entry started dinner (lights at 120, the scene, DND,
    the call deflection). Then HA stopped, Partner Time was updated and HA started:
    the entry is migrated, dinner goes on without repeating anything, and at 19:30
    everything is put back.
    """
    phones = await async_setup_house(hass)
    await hass.services.async_call(
        "light", "turn_on", {"entity_id": DINING, "brightness": 120}, blocking=True
    )
    options = household_options(windows=[household_options()["windows"][0], BREAKFAST])
    entry = version_1(options)
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await jump(hass, freezer, "2026-06-01T18:30:00+02:00")
    assert state(hass, SWITCH) == "on"
    assert state(hass, CANDLES) == "on"

    # HA stops mid-dinner (the engine's store keeps the running session) ...
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    # ... with the household stored as version 1 had it
    for subentry_id in list(entry.subentries):
        hass.config_entries.async_remove_subentry(entry, subentry_id)
    hass.config_entries.async_update_entry(entry, options=options, version=1)
    assert (entry.version, len(entry.subentries)) == (1, 0)
    assert state(hass, DEFLECTION) == "on"
    calls: list[Any] = []
    hass.bus.async_listen("call_service", calls.append)

    freezer.move_to("2026-06-01T18:45:00+02:00")
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)

    assert entry.version == 2
    assert entry.options == HOUSEHOLD_WIDE
    assert listed(entry) == [
        ("window", "Dinner", options["windows"][0]),
        ("window", "Breakfast", BREAKFAST),
        ("phone", "Pixel 8", {"notify": PIXEL, "dnd_sensor": PIXEL_DND}),
        ("phone", "Galaxy", {"notify": GALAXY}),
    ]
    assert settings_of(entry) == parse_settings(
        HOUSEHOLD_WIDE, [(kind, data) for kind, _, data in listed(entry)]
    )
    assert state(hass, SWITCH) == "on"
    assert calls == []  # nothing repeated
    assert phones.commands(PIXEL) == ["priority_only"]

    await jump(hass, freezer, "2026-06-01T19:30:00+02:00")
    assert state(hass, SWITCH) == "off"
    assert attr(hass, DINING, "brightness") == 120
    assert state(hass, CANDLES) == "off"
    assert state(hass, DEFLECTION) == "off"
    assert phones.commands(PIXEL) == ["priority_only", "off"]
    assert phones.commands(GALAXY) == ["priority_only", "off"]
    assert state(hass, PIXEL_DND) == "off"


async def test_phones_named_after_their_devices(hass: HomeAssistant) -> None:
    """A phone whose companion app is known gets its device's name; one listed twice, once."""
    await async_setup_house(hass)
    add_phone(hass, "Pixel 8")
    dinner = household_options()["windows"][0]
    entry = version_1(
        household_options(
            phones=[
                {"notify": PIXEL},
                {"notify": "notify.mobile_app_annas_phone"},
                {"notify": PIXEL},
            ]
        )
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    assert listed(entry) == [
        ("window", "Dinner", dinner),
        ("phone", "Pixel 8", {"notify": PIXEL}),
        ("phone", "Annas phone", {"notify": "notify.mobile_app_annas_phone"}),
    ]
    assert [sub.unique_id for sub in entry.subentries.values()] == [
        None,
        PIXEL,
        "notify.mobile_app_annas_phone",
    ]


async def test_no_windows_meant_dinner(hass: HomeAssistant) -> None:
    """Version 1 options without agreed times meant the default Dinner; so it stays."""
    entry = version_1({"lead_time": 15})
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.LOADED
    assert entry.options == {"lead_time": 15}
    assert [(kind, title) for kind, title, _ in listed(entry)] == [("window", "Dinner")]
    assert state(hass, "sensor.partner_time_next_start") == "2026-06-01T16:30:00+00:00"


async def test_broken_window_is_kept(hass: HomeAssistant) -> None:
    """A window that was never valid moves as it is: the setup reports it as before."""
    await async_setup_house(hass)
    bad = {"name": "Dinner", "days": ["mon"], "start": "18:00", "end": "18:00"}
    entry = version_1(household_options(windows=[bad]))
    entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(entry.entry_id)
    assert entry.version == 2
    assert entry.state is ConfigEntryState.SETUP_ERROR
    assert listed(entry)[0] == ("window", "Dinner", bad)
    assert hass.states.get(SWITCH) is None


@pytest.mark.parametrize(
    ("version", "options"),
    [
        (1, household_options(windows="Dinner")),
        (1, household_options(phones=[PIXEL])),
        (3, {}),
    ],
    ids=["windows not a list", "phone not a mapping", "from a newer version"],
)
async def test_cannot_migrate(
    hass: HomeAssistant, version: int, options: dict[str, Any]
) -> None:
    """What cannot be moved is left untouched, and the household says so."""
    entry = MockConfigEntry(
        domain=DOMAIN, title="Partner time", data={}, options=options, version=version
    )
    entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.MIGRATION_ERROR
    assert (entry.version, dict(entry.options), listed(entry)) == (version, options, [])
