"""Sensors: the status, the next start, the session's end, missed calls, this week."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, override

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import UnitOfTime
from homeassistant.util import dt as dt_util

from .const import STATUSES
from .entity import PartnerTimeEntity
from .phrases import back_at

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .data import PartnerTimeConfigEntry
    from .engine import PartnerTimeEngine
    from .insight import Insight

PARALLEL_UPDATES = 0


def _status_attributes(engine: PartnerTimeEngine) -> dict[str, Any]:
    return {
        "window": engine.window_name,
        "back_at": back_at(engine.ends_at, dt_util.utcnow()),
        "paused_by": engine.paused_by,
        "missing": list(engine.plan.presence.missing) or None,
        "proposed_by": proposal.by if (proposal := engine.plan.proposal) else None,
        "proposed_until": proposal.until.isoformat() if proposal else None,
    }


def _calls_attributes(engine: PartnerTimeEngine) -> dict[str, Any]:
    return {"calls": list(engine.calls)}


@dataclass(frozen=True, kw_only=True)
class PartnerTimeSensorDescription(SensorEntityDescription):
    """How one sensor reads the engine."""

    value: Callable[[PartnerTimeEngine], str | int | datetime | None]
    attributes: Callable[[PartnerTimeEngine], dict[str, Any]] | None = None


SENSORS = (
    PartnerTimeSensorDescription(
        key="status",
        translation_key="status",
        device_class=SensorDeviceClass.ENUM,
        options=list(STATUSES),
        value=lambda engine: engine.status,
        attributes=_status_attributes,
    ),
    PartnerTimeSensorDescription(
        key="next_start",
        translation_key="next_start",
        device_class=SensorDeviceClass.TIMESTAMP,
        value=lambda engine: engine.next_start,
    ),
    PartnerTimeSensorDescription(
        key="ends_at",
        translation_key="ends_at",
        device_class=SensorDeviceClass.TIMESTAMP,
        value=lambda engine: engine.ends_at,
    ),
    PartnerTimeSensorDescription(
        key="missed_calls",
        translation_key="missed_calls",
        value=lambda engine: len(engine.calls),
        attributes=_calls_attributes,
    ),
)

THIS_WEEK = SensorEntityDescription(
    key="this_week",
    translation_key="this_week",
    device_class=SensorDeviceClass.DURATION,
    state_class=SensorStateClass.TOTAL,
    native_unit_of_measurement=UnitOfTime.MINUTES,
    suggested_display_precision=0,
)


async def async_setup_entry(
    _hass: HomeAssistant,
    entry: PartnerTimeConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the household's sensors."""
    engine = entry.runtime_data.engine
    async_add_entities(
        [
            *(PartnerTimeSensor(engine, description) for description in SENSORS),
            PartnerTimeWeekSensor(engine, THIS_WEEK, entry.runtime_data.insight),
        ]
    )


class PartnerTimeSensor(PartnerTimeEntity, SensorEntity):
    """One view of the household's partner time."""

    entity_description: PartnerTimeSensorDescription

    @override
    def shows(self) -> tuple[Any, ...]:
        """Read the value and the attributes (the state follows from the value)."""
        description = self.entity_description
        self._attr_native_value = description.value(self.engine)
        if description.attributes is None:
            return (self._attr_native_value,)
        self._attr_extra_state_attributes = description.attributes(self.engine)
        return (self._attr_native_value, self._attr_extra_state_attributes)


class PartnerTimeWeekSensor(PartnerTimeEntity, SensorEntity):
    """Minutes of partner time since Monday 00:00 local, reset every week."""

    def __init__(
        self,
        engine: PartnerTimeEngine,
        description: SensorEntityDescription,
        insight: Insight,
    ) -> None:
        """Read the weekly total from the household's insight."""
        super().__init__(engine, description)
        self.insight = insight

    async def async_added_to_hass(self) -> None:
        """Follow the engine, and the insight for the week's rollover."""
        await super().async_added_to_hass()
        self.async_on_remove(self.insight.async_add_listener(self._on_rollover))

    def _on_rollover(self) -> None:
        self._shown = self.shows()
        self.async_write_ha_state()

    @override
    def shows(self) -> tuple[Any, ...]:
        """Read the minutes this week and the week's start: all the state shows.

        A running session counts up to the engine's last update.
        """
        self._attr_native_value = round(self.insight.week_seconds / 60, 2)
        self._attr_last_reset = self.insight.week_start
        return (self._attr_native_value, self._attr_last_reset)
