"""Diagnostics: what a household's partner time did, with callers redacted."""

from __future__ import annotations

from typing import TYPE_CHECKING

from custom_components.partner_time.diagnostics import (
    async_get_config_entry_diagnostics,
)

from .common import jump
from .household import async_add_household, async_setup_house

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from syrupy.assertion import SnapshotAssertion

CALL_MONITOR = "sensor.fritz_box_call_monitor"


async def test_diagnostics(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    snapshot: SnapshotAssertion,
) -> None:
    """A session with a missed call: settings, state, results; no phone number, no name."""
    await hass.config.async_set_time_zone("Europe/Berlin")
    freezer.move_to("2026-06-01T18:00:00+02:00")
    await async_setup_house(hass)
    hass.states.async_set(CALL_MONITOR, "idle")
    entry = await async_add_household(hass)
    await jump(hass, freezer, "2026-06-01T18:30:00+02:00")
    hass.states.async_set(
        CALL_MONITOR, "ringing", {"from": "+49 30 123456", "from_name": "Client A"}
    )
    await hass.async_block_till_done()

    # called directly: the frozen clock lies before the test client's token was issued
    diagnostics = await async_get_config_entry_diagnostics(hass, entry)

    assert diagnostics == snapshot
    text = str(diagnostics)
    assert "123456" not in text
    assert "Client A" not in text
    assert diagnostics["stored"]["calls"][0]["from"] == "**REDACTED**"
