"""The calendar: the current session and the agreed times ahead, skips left out.

The sessions come from the plan (the same rules that start them). The calendar entity
is written at every transition by the engine's listener; CalendarEntity's own state
handling (its timers at the shown event's start and end) is left as HA has it. When
HA's own timer has already written what a transition shows (the state flipping at the
event's start), the engine's listener does not write it again: the state machine
already holds it. The shown event is built once per change of the session it shows,
not on every read of the state.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, override

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

    _built: tuple[tuple[Any, ...], CalendarEvent] | None = None
    _attributes: tuple[CalendarEvent, dict[str, Any]] | None = None

    @property
    def event(self) -> CalendarEvent | None:
        """The current session, else the next one.

        A session whose end has come counts as over even before the engine has
        ended it: HA's own timer at the session's end, which may run just before the
        engine's, then shows the next one, so the engine need not write it again.
        """
        engine = self.engine
        shown: Occurrence | Session | None = engine.plan.session
        if shown is None or shown.end <= dt_util.utcnow():
            shown = engine.plan.situation.next
        if shown is None:
            return None
        key = (
            shown.start,
            shown.end,
            shown.name,
            engine.title,
            dt_util.get_default_time_zone(),  # the event's times are local
        )
        if self._built is None or self._built[0] != key:
            self._built = (key, _event(engine, shown))
        return self._built[1]

    @override
    def shows(self) -> tuple[Any, ...]:
        """Return the state and the event it shows (the attributes are the event's)."""
        built = self._built if self.event is not None else None
        return (self.state, built[0] if built else None)

    @override
    def already_shown(self) -> bool:
        """Whether HA's own timer at the event's start or end already wrote it.

        The attributes of an event are worked out once (HA formats its times).
        """
        current = self.hass.states.get(self.entity_id)
        if current is None or current.state != self.state or self.event is None:
            return False
        if self._attributes is None or self._attributes[0] is not self.event:
            self._attributes = (self.event, self.state_attributes or {})
        return all(
            current.attributes.get(key) == value
            for key, value in self._attributes[1].items()
        )

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
