"""The base of Partner Time's entities: one service device per household."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity import Entity, EntityDescription

from .const import DOMAIN

if TYPE_CHECKING:
    from .engine import PartnerTimeEngine


class PartnerTimeEntity(Entity):
    """An entity that shows part of one household's partner time."""

    _attr_has_entity_name = True
    _attr_should_poll = False
    _shown: tuple[Any, ...] | None = None

    def __init__(
        self, engine: PartnerTimeEngine, description: EntityDescription
    ) -> None:
        """Attach to the household's engine and device."""
        self.engine = engine
        self.entity_description = description
        self._attr_unique_id = f"{engine.entry_id}_{description.key}"
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, engine.entry_id)},
            name=engine.title,
            entry_type=DeviceEntryType.SERVICE,
        )

    async def async_added_to_hass(self) -> None:
        """Follow the engine; the first state written is what it shows now."""
        self._shown = self.shows()
        self.async_on_remove(self.engine.async_add_listener(self._on_engine_update))

    def shows(self) -> tuple[Any, ...]:
        """Read the engine; return what the state shows (written when this changes).

        An entity keeps what it read in its `_attr_` values, which HA's write then
        reads, so nothing is computed twice. It returns the state and every
        attribute, or something cheaper that changes whenever they do (what they are
        computed from).
        """
        return (self.state, self.state_attributes, self.extra_state_attributes)

    def already_shown(self) -> bool:
        """Whether the state machine already holds what `shows` changed to.

        Only an entity that HA also writes by itself (the calendar, at its event's
        start and end) can find it so.
        """
        return False

    def _on_engine_update(self) -> None:
        """Write the state if it or its attributes changed since our last write."""
        shown = self.shows()
        if shown == self._shown:
            return
        self._shown = shown
        if self.already_shown():
            return
        self.async_set_context(self.engine.context)
        self.async_write_ha_state()
