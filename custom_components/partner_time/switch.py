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

    @property
    def is_on(self) -> bool:
        """Whether partner time is on."""
        return self.engine.active

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """The session's name and end, for cards and automations."""
        return {
            "window": self.engine.window_name,
            "ends_at": self.engine.ends_at.isoformat() if self.engine.ends_at else None,
        }

    @override
    def shows(self) -> tuple[Any, ...]:
        """Return whether it is on, and the session's name and end."""
        return (self.is_on, self.engine.window_name, self.engine.ends_at)

    async def async_turn_on(self, **_kwargs: Any) -> None:
        """Start partner time now."""
        self.engine.start(context=self._context)

    async def async_turn_off(self, **_kwargs: Any) -> None:
        """End partner time now."""
        self.engine.stop(context=self._context)


class PartnerTimeScheduleSwitch(PartnerTimeEntity, SwitchEntity):
    """Off pauses the agreed times."""

    @property
    def is_on(self) -> bool:
        """Whether the agreed times apply."""
        return self.engine.schedule_enabled

    @override
    def shows(self) -> tuple[Any, ...]:
        """Return whether it is on (it has no attributes)."""
        return (self.is_on,)

    async def async_turn_on(self, **_kwargs: Any) -> None:
        """Resume the agreed times."""
        self.engine.set_schedule_enabled(enabled=True, context=self._context)

    async def async_turn_off(self, **_kwargs: Any) -> None:
        """Pause the agreed times."""
        self.engine.set_schedule_enabled(enabled=False, context=self._context)
