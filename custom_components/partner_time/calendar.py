"""The calendar: the current session and the agreed times ahead, skips left out.

The sessions ahead are computed like the engine computes them: the windows'
occurrences (none while the agreed times are paused), without those that start in a
skipped or ended-early interval, with a manual session, merged where they touch.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Final, override

from homeassistant.components.calendar import (
    CalendarEntity,
    CalendarEntityDescription,
    CalendarEvent,
)
from homeassistant.util import dt as dt_util

from .entity import PartnerTimeEntity
from .schedule import Occurrence, merge, window_occurrences

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from . import PartnerTimeConfigEntry
    from .session import PartnerTimeEngine

PARALLEL_UPDATES = 0

HORIZON: Final = timedelta(days=400)
"""How far ahead the calendar lists agreed times."""

AGREED_TIMES = CalendarEntityDescription(
    key="calendar", translation_key="agreed_times", name=None
)


async def async_setup_entry(
    _hass: HomeAssistant,
    entry: PartnerTimeConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the household's calendar."""
    async_add_entities([PartnerTimeCalendar(entry.runtime_data, AGREED_TIMES)])


def _excluded(start: datetime, intervals: list[tuple[datetime, datetime]]) -> bool:
    """Whether an occurrence starting at `start` is left out (as in the engine)."""
    return any(low <= start < high for low, high in intervals)


def sessions(
    engine: PartnerTimeEngine, start: datetime, end: datetime
) -> list[Occurrence]:
    """Return the current session and the sessions ahead overlapping [start, end)."""
    now = dt_util.utcnow()
    found: list[Occurrence] = []
    current = engine.session
    if current is not None:
        found.append(Occurrence(current.name, current.start, current.end))
    until = min(end, now + HORIZON)
    if until <= now:
        return [s for s in found if s.start < end and s.end > start]
    windows = engine.settings.windows if engine.schedule_enabled else ()
    excluded = [*engine.exclude, *engine.skips]
    members = [
        occurrence
        for occurrence in window_occurrences(windows, engine.tz, now, until)
        if not _excluded(occurrence.start, excluded)
    ]
    if engine.manual is not None and engine.manual.end > now:
        members.append(engine.manual)
    for session in merge(members):
        if current is not None and session.start < current.end:
            continue  # the running session, or merged into it by the engine
        found.append(session)
    return [s for s in found if s.start < end and s.end > start]


def _event(engine: PartnerTimeEngine, session: Occurrence) -> CalendarEvent:
    return CalendarEvent(
        start=dt_util.as_local(session.start),
        end=dt_util.as_local(session.end),
        summary=session.name,
        uid=f"{engine.entry_id}_{session.start.isoformat()}",
    )


class PartnerTimeCalendar(PartnerTimeEntity, CalendarEntity):
    """The household's agreed times in HA's calendar."""

    @property
    def event(self) -> CalendarEvent | None:
        """The current session, else the next one."""
        engine = self.engine
        if engine.session is not None:
            current = engine.session
            return _event(engine, Occurrence(current.name, current.start, current.end))
        upcoming = engine.situation.next
        return _event(engine, upcoming) if upcoming is not None else None

    @override
    async def async_get_events(
        self, hass: HomeAssistant, start_date: datetime, end_date: datetime
    ) -> list[CalendarEvent]:
        """Return the sessions overlapping [start_date, end_date)."""
        return [
            _event(self.engine, session)
            for session in sessions(self.engine, start_date, end_date)
        ]
