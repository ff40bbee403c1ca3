"""The calendar: the current session and the agreed times ahead, skips left out.

The sessions ahead are computed like the engine computes them: the windows'
occurrences (none while the agreed times are paused), without those that start in a
skipped or ended-early interval, with a manual session, merged where they touch.

The state (on during a session) is written by the engine's listener at every
transition, so the calendar arms no timers of its own: HA's CalendarEntity would arm
two more per household (at the event's start and end) for what the engine's one timer
already covers.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Final, override

from homeassistant.components.calendar import (
    CalendarEntity,
    CalendarEntityDescription,
    CalendarEvent,
)
from homeassistant.core import callback
from homeassistant.helpers.entity import Entity
from homeassistant.util import dt as dt_util

from .entity import PartnerTimeEntity
from .schedule import Occurrence, merge, window_occurrences

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .data import PartnerTimeConfigEntry
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
    async_add_entities([PartnerTimeCalendar(entry.runtime_data.engine, AGREED_TIMES)])


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

    _shown: tuple[tuple[str, datetime, datetime] | None, CalendarEvent | None] = (
        None,
        None,
    )

    @property
    def event(self) -> CalendarEvent | None:
        """The current session, else the next one.

        Built once per session shown: a write reads it three times, and a
        CalendarEvent validates itself when it is made.
        """
        engine = self.engine
        occurrence: Occurrence | None
        if engine.session is not None:
            current = engine.session
            occurrence = Occurrence(current.name, current.start, current.end)
        else:
            occurrence = engine.situation.next
        key = (
            (occurrence.name, occurrence.start, occurrence.end)
            if occurrence is not None
            else None
        )
        if key != self._shown[0]:
            shown = _event(engine, occurrence) if occurrence is not None else None
            self._shown = (key, shown)
        return self._shown[1]

    @callback
    @override
    def _async_write_ha_state(self) -> None:
        """Write the state, without CalendarEntity's timers at the event's bounds.

        The engine's listener writes the calendar at every transition (a session's
        start and end are the engine's own timer), so those timers would only add
        two to the loop per household. What else CalendarEntity does on a write,
        telling websocket subscribers that the events changed, is kept.
        """
        Entity._async_write_ha_state(self)  # noqa: SLF001 - skip the calendar's timers
        if self._event_listeners and self._event_listener_debouncer:
            self._event_listener_debouncer.async_schedule_call()

    @override
    async def async_get_events(
        self, hass: HomeAssistant, start_date: datetime, end_date: datetime
    ) -> list[CalendarEvent]:
        """Return the sessions overlapping [start_date, end_date)."""
        return [
            _event(self.engine, session)
            for session in sessions(self.engine, start_date, end_date)
        ]
