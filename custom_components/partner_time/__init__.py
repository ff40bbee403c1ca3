"""Partner Time: protect agreed household times from the phone."""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING

from homeassistant.config_entries import ConfigSubentry
from homeassistant.const import Platform
from homeassistant.exceptions import ConfigEntryError
from homeassistant.helpers import config_validation as cv

from .agreement import Agreement
from .breakthrough import Breakthrough
from .const import DOMAIN, LOGGER, REASON_DELETED, REASON_DISABLED
from .data import PartnerTimeData
from .engine import PartnerTimeEngine
from .flow_parts import known_phones
from .insight import async_start_insight
from .notify import async_deliver
from .repairs import async_clear_issues
from .services import async_setup_services
from .settings import InvalidSettings, settings_of, split_options
from .storage import async_load_plan
from .watch import async_follow_targets

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.typing import ConfigType

    from .data import PartnerTimeConfigEntry
    from .settings import Settings

PLATFORMS: list[Platform] = [
    Platform.CALENDAR,
    Platform.NOTIFY,
    Platform.SENSOR,
    Platform.SWITCH,
]
CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, _config: ConfigType) -> bool:
    """Register the actions once for all households."""
    async_setup_services(hass)
    return True


def _settings(entry: PartnerTimeConfigEntry) -> Settings:
    """Return the entry's settings; unusable ones stop the setup with a translated error."""
    try:
        return settings_of(entry)
    except InvalidSettings as err:
        raise ConfigEntryError(
            translation_domain=DOMAIN,
            translation_key="invalid_settings",
            translation_placeholders={"key": err.key, "detail": err.detail},
        ) from err


async def async_migrate_entry(
    hass: HomeAssistant, entry: PartnerTimeConfigEntry
) -> bool:
    """Version 1 kept agreed times and phones in the options; 2 has them as subentries.

    Everything else (the options' other settings, the engine's store with a running
    session) stays as it is, so the household carries on where it was.
    """
    if entry.version > 2:  # noqa: PLR2004 - written by a newer Partner Time
        return False
    if entry.version == 1:
        titles = {phone.notify: phone.label for phone in known_phones(hass)}
        try:
            options, subentries = split_options(entry.options, titles)
        except InvalidSettings as err:
            LOGGER.error("%s: cannot move %s to subentries", entry.title, err)
            return False
        for subentry in subentries:
            hass.config_entries.async_add_subentry(
                entry,
                ConfigSubentry(
                    data=MappingProxyType(subentry["data"]),
                    subentry_type=subentry["subentry_type"],
                    title=subentry["title"],
                    unique_id=subentry["unique_id"],
                ),
            )
        hass.config_entries.async_update_entry(entry, options=options, version=2)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: PartnerTimeConfigEntry) -> bool:
    """Set up one household from its settings."""
    engine = PartnerTimeEngine(hass, entry.entry_id, entry.title, _settings(entry))
    # insight first: the engine may end a session or warn as soon as it is set up
    insight = async_start_insight(hass, engine)
    entry.async_on_unload(insight.async_stop)
    agreement = Agreement(hass, engine)
    agreement.async_start()
    entry.async_on_unload(agreement.async_stop)
    breakthrough = Breakthrough(hass, engine)
    breakthrough.async_start()
    entry.async_on_unload(breakthrough.async_stop)
    await engine.async_setup()
    agreement.async_resume()
    entry.runtime_data = PartnerTimeData(engine, insight, agreement)
    entry.async_on_unload(async_follow_targets(hass, entry))
    entry.async_on_unload(entry.add_update_listener(_async_settings_changed))
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    engine.async_run()
    return True


async def _async_settings_changed(
    hass: HomeAssistant, entry: PartnerTimeConfigEntry
) -> None:
    """Apply saved settings in place: no reload, no unavailable entities, no repeats.

    A new name reloads (the device and the entities are named after it).
    """
    engine = entry.runtime_data.engine
    if entry.title != engine.title:
        hass.config_entries.async_schedule_reload(entry.entry_id)
        return
    try:
        settings = settings_of(entry)
    except InvalidSettings:
        hass.config_entries.async_schedule_reload(entry.entry_id)  # shows the error
        return
    if settings != engine.settings:
        engine.apply_settings(settings)


async def async_unload_entry(
    hass: HomeAssistant, entry: PartnerTimeConfigEntry
) -> bool:
    """Unload; a disabled entry ends its session and restores the house first."""
    engine = entry.runtime_data.engine
    if entry.disabled_by is not None:
        await engine.async_end_for_good(REASON_DISABLED)
    unloaded = await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
    if unloaded:
        await engine.async_unload()
    return unloaded


async def async_remove_entry(
    hass: HomeAssistant, entry: PartnerTimeConfigEntry
) -> None:
    """End a deleted household's persisted session with the full restore; drop its store.

    Messages held for the end of partner time go out now.
    """
    try:
        settings = settings_of(entry)
    except InvalidSettings:
        settings = None
    if settings is not None:
        engine = PartnerTimeEngine(hass, entry.entry_id, entry.title, settings)
        await async_load_plan(engine)
        await engine.async_end_for_good(REASON_DELETED)
        held = engine.plan.held.take()
        await engine.store.async_remove()
        await async_deliver(hass, engine, held, None)
    # last: ending the session may have checked its targets once more
    async_clear_issues(hass, entry.entry_id)
