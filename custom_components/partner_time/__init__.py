"""Partner Time: protect agreed household times from the phone."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.const import Platform
from homeassistant.exceptions import ConfigEntryError
from homeassistant.helpers import config_validation as cv

from .const import DOMAIN
from .data import PartnerTimeData
from .insight import async_start_insight
from .services import async_setup_services
from .session import PartnerTimeEngine
from .settings import InvalidSettings, parse_settings
from .targets import async_follow_targets

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.typing import ConfigType

    from .data import PartnerTimeConfigEntry

PLATFORMS: list[Platform] = [Platform.CALENDAR, Platform.SENSOR, Platform.SWITCH]
CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, _config: ConfigType) -> bool:
    """Register the actions once for all households."""
    async_setup_services(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: PartnerTimeConfigEntry) -> bool:
    """Set up one household from its options."""
    try:
        settings = parse_settings(entry.options)
    except InvalidSettings as err:
        raise ConfigEntryError(
            translation_domain=DOMAIN,
            translation_key="invalid_settings",
            translation_placeholders={"key": err.key, "detail": err.detail},
        ) from err
    engine = PartnerTimeEngine(hass, entry.entry_id, entry.title, settings)
    # insight first: the engine may end a session or warn as soon as it is set up
    insight = async_start_insight(hass, engine)
    entry.async_on_unload(insight.async_stop)
    await engine.async_setup()
    entry.runtime_data = PartnerTimeData(engine, insight)
    entry.async_on_unload(async_follow_targets(hass, entry))
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def async_unload_entry(
    hass: HomeAssistant, entry: PartnerTimeConfigEntry
) -> bool:
    """Unload; a disabled entry ends its session and restores the house first."""
    engine = entry.runtime_data.engine
    if entry.disabled_by is not None:
        await engine.async_end_for_good()
    unloaded = await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
    if unloaded:
        await engine.async_unload()
    return unloaded


async def async_remove_entry(
    hass: HomeAssistant, entry: PartnerTimeConfigEntry
) -> None:
    """End a deleted household's persisted session with the full restore; drop its store."""
    try:
        settings = parse_settings(entry.options)
    except InvalidSettings:
        settings = None
    if settings is not None:
        engine = PartnerTimeEngine(hass, entry.entry_id, entry.title, settings)
        await engine.async_load()
        await engine.async_end_for_good()
        await engine.store.async_remove()
