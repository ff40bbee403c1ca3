"""The calendar: the current session and the agreed times ahead, skips left out.

The sessions come from the plan (the same rules that start them). The calendar entity
is written at every transition by the engine's listener; CalendarEntity's own state
handling (its timers at the shown event's start and end) is left as HA has it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, override

from homeassistant.components.calendar import (
    CalendarEntity,
    CalendarEntityDescription,
    CalendarEvent,
)
from homeassistant.util import dt as dt_util

from .entity import PartnerTimeEntity
from .plan import sessions_between

if TYPE_CHECKING:
    from datetime import datetime

    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .data import PartnerTimeConfigEntry
    from .engine import PartnerTimeEngine
    from .record import Session
    from .schedule import Occurrence

PARALLEL_UPDATES = 0

AGREED_TIMES = CalendarEntityDescription(key="calendar", translation_key="agreed_times")


async def async_setup_entry(
    _hass: HomeAssistant,
    entry: PartnerTimeConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the household's calendar."""
    async_add_entities([PartnerTimeCalendar(entry.runtime_data.engine, AGREED_TIMES)])


def _event(engine: PartnerTimeEngine, session: Occurrence | Session) -> CalendarEvent:
    return CalendarEvent(
        start=dt_util.as_local(session.start),
        end=dt_util.as_local(session.end),
        summary=session.name or engine.title,
        uid=f"{engine.entry_id}_{session.start.isoformat()}",
    )


class PartnerTimeCalendar(PartnerTimeEntity, CalendarEntity):
    """The household's agreed times in HA's calendar."""

    @property
    def event(self) -> CalendarEvent | None:
        """The current session, else the next one."""
        engine = self.engine
        session = engine.plan.session
        if session is not None:
            return _event(engine, session)
        upcoming = engine.plan.situation.next
        return _event(engine, upcoming) if upcoming is not None else None

    @override
    async def async_get_events(
        self, hass: HomeAssistant, start_date: datetime, end_date: datetime
    ) -> list[CalendarEvent]:
        """Return the sessions overlapping [start_date, end_date)."""
        return [
            _event(self.engine, session)
            for session in sessions_between(
                self.engine.plan, start_date, end_date, dt_util.utcnow()
            )
        ]
