"""Switches: partner time itself, and the agreed times on or paused."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, override

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.const import EntityCategory

from .entity import PartnerTimeEntity

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .data import PartnerTimeConfigEntry

PARALLEL_UPDATES = 0

MAIN = SwitchEntityDescription(key="main", translation_key="main", name=None)
SCHEDULE = SwitchEntityDescription(
    key="schedule", translation_key="schedule", entity_category=EntityCategory.CONFIG
)


async def async_setup_entry(
    _hass: HomeAssistant,
    entry: PartnerTimeConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the household's switches."""
    engine = entry.runtime_data.engine
    async_add_entities(
        [PartnerTimeSwitch(engine, MAIN), PartnerTimeScheduleSwitch(engine, SCHEDULE)]
    )


class PartnerTimeSwitch(PartnerTimeEntity, SwitchEntity):
    """On while partner time is active; turning it on or off starts or ends it."""

    @override
    def shows(self) -> tuple[Any, ...]:
        """Read whether it is on, and the session's name and end (for cards)."""
        engine = self.engine
        window, ends_at = engine.window_name, engine.ends_at
        shown = (engine.active, window, ends_at)
        if shown != self._shown:
            self._attr_is_on = engine.active
            self._attr_extra_state_attributes = {
                "window": window,
                "ends_at": ends_at.isoformat() if ends_at else None,
            }
        return shown

    async def async_turn_on(self, **_kwargs: Any) -> None:
        """Start partner time now."""
        self.engine.start(context=self._context)

    async def async_turn_off(self, **_kwargs: Any) -> None:
        """End partner time now."""
        self.engine.stop(context=self._context)


class PartnerTimeScheduleSwitch(PartnerTimeEntity, SwitchEntity):
    """Off pauses the agreed times."""

    @override
    def shows(self) -> tuple[Any, ...]:
        """Read whether it is on (it has no attributes)."""
        self._attr_is_on = self.engine.schedule_enabled
        return (self._attr_is_on,)

    async def async_turn_on(self, **_kwargs: Any) -> None:
        """Resume the agreed times."""
        self.engine.set_schedule_enabled(enabled=True, context=self._context)

    async def async_turn_off(self, **_kwargs: Any) -> None:
        """Pause the agreed times."""
        self.engine.set_schedule_enabled(enabled=False, context=self._context)
