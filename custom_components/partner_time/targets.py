"""Follow the household's target entities when they are renamed or removed.

A rename in the entity registry (a new entity_id for the same entity) is followed:
the entry's options name the new id, and the engine takes the new settings over in
place, including what a running session changed, so its end undoes the renamed
entity. Saving the options with `async_update_entry` does not reload the entry (it
has no update listener; only a finished options flow reloads it), so nothing is
repeated or interrupted. A removed target raises the `missing_target` repair issue.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, callback
from homeassistant.helpers.entity_registry import (
    EVENT_ENTITY_REGISTRY_UPDATED,
    EventEntityRegistryUpdatedData,
)

from .const import (
    CONF_CALL_SENSORS,
    CONF_DND_SENSOR,
    CONF_END_SCRIPTS,
    CONF_FORWARDING_SWITCHES,
    CONF_PHONES,
    CONF_SCENE,
    CONF_START_SCRIPTS,
    LOGGER,
)
from .settings import InvalidSettings, parse_settings

if TYPE_CHECKING:
    from .data import PartnerTimeConfigEntry
    from .house import Applied

# option keys holding a list of entity ids (notify targets are actions, not entities)
LIST_KEYS = (
    CONF_FORWARDING_SWITCHES,
    CONF_START_SCRIPTS,
    CONF_END_SCRIPTS,
    CONF_CALL_SENSORS,
)


def renamed_options(
    options: Mapping[str, Any], old: str, new: str
) -> dict[str, Any] | None:
    """`options` with every reference to entity `old` changed to `new`; None if none."""
    out = dict(options)
    for key in LIST_KEYS:
        values = options.get(key)
        if isinstance(values, list | tuple) and old in values:
            out[key] = [new if value == old else value for value in values]
    if options.get(CONF_SCENE) == old:
        out[CONF_SCENE] = new
    phones = options.get(CONF_PHONES)
    if isinstance(phones, list | tuple):
        out[CONF_PHONES] = [
            {**phone, CONF_DND_SENSOR: new}
            if isinstance(phone, Mapping) and phone.get(CONF_DND_SENSOR) == old
            else phone
            for phone in phones
        ]
    return out if out != dict(options) else None


def rename_applied(applied: Applied, old: str, new: str) -> bool:
    """Rename `old` to `new` in what a session changed; whether anything was renamed."""
    changed = False
    if old in applied.switches:
        applied.switches = [new if s == old else s for s in applied.switches]
        changed = True
    for index, light in enumerate(applied.lights):
        if light.get("entity_id") == old:  # a recorded state, read-only
            applied.lights[index] = {**light, "entity_id": new}
            changed = True
    return changed


@callback
def async_follow_targets(
    hass: HomeAssistant, entry: PartnerTimeConfigEntry
) -> CALLBACK_TYPE:
    """Follow renames and removals of the entry's targets; returns the undo."""

    @callback
    def _on_registry_updated(event: Event[EventEntityRegistryUpdatedData]) -> None:
        data = event.data
        engine = entry.runtime_data.engine
        if data["action"] == "remove":
            engine.target_removed(data["entity_id"])
            return
        if data["action"] != "update" or "old_entity_id" not in data:
            return
        old, new = data["old_entity_id"], data["entity_id"]
        options = renamed_options(entry.options, old, new)
        settings = None
        if options is not None:
            try:
                settings = parse_settings(options)
            except InvalidSettings as err:  # pragma: no cover - same domain, same kind
                LOGGER.warning("Cannot follow %s to %s: %s", old, new, err)
                options = None
        engine.follow_rename(old, new, settings)
        if options is not None:
            hass.config_entries.async_update_entry(entry, options=options)

    return hass.bus.async_listen(EVENT_ENTITY_REGISTRY_UPDATED, _on_registry_updated)
