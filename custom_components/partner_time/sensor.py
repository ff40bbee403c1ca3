"""Sensors: the status, the next start, the end of the current session, missed calls."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
)
from homeassistant.util import dt as dt_util

from .const import STATUSES
from .entity import PartnerTimeEntity
from .session import PartnerTimeEngine

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from . import PartnerTimeConfigEntry

PARALLEL_UPDATES = 0


def _status_attributes(engine: PartnerTimeEngine) -> dict[str, Any]:
    ends_at = engine.ends_at
    return {
        "window": engine.window_name,
        "back_at": dt_util.as_local(ends_at).strftime("%H:%M") if ends_at else None,
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


async def async_setup_entry(
    _hass: HomeAssistant,
    entry: PartnerTimeConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the household's sensors."""
    engine = entry.runtime_data
    async_add_entities(
        PartnerTimeSensor(engine, description) for description in SENSORS
    )


class PartnerTimeSensor(PartnerTimeEntity, SensorEntity):
    """One view of the household's partner time."""

    entity_description: PartnerTimeSensorDescription

    @property
    def native_value(self) -> str | int | datetime | None:
        """The value, read from the engine."""
        return self.entity_description.value(self.engine)

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """Extra details, if this sensor has any."""
        attributes = self.entity_description.attributes
        return attributes(self.engine) if attributes else None
