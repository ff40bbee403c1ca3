"""What a household tells the rest of Home Assistant at each transition.

First the household's own listeners (the insight: messages, the weekly total) get a
typed `Transition`, then the bus event that automations, device triggers and the
logbook see: `partner_time_upcoming`, `partner_time_started`, `partner_time_ended`,
each in the transition's own context (a child of the request's, if a request caused
it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from homeassistant.core import CALLBACK_TYPE, Context, HomeAssistant, callback
from homeassistant.util import dt as dt_util

from .const import (
    DOMAIN,
    EVENT_BREAKTHROUGH,
    EVENT_ENDED,
    EVENT_STARTED,
    EVENT_UPCOMING,
    LOGGER,
    SOURCE_SCHEDULE,
)

if TYPE_CHECKING:
    from datetime import datetime

    from .proposal import Proposal
    from .record import Session
    from .schedule import Occurrence


@dataclass(frozen=True, slots=True)
class Transition:
    """What happened: `kind` is upcoming, started, ended or a proposal's news.

    `why` is the source or reason (for a proposal: who asked; for a breakthrough call:
    who is calling); the proposal's kinds are proposed, accepted, declined and lapsed.
    """

    kind: str  # upcoming, started, ended, breakthrough, or a proposal's kind
    window: str | None
    start: datetime
    end: datetime
    why: str
    context: Context
    proposal: Proposal | None = None


type TransitionListener = Callable[[Transition], None]


class Announcer:
    """Announces one household's transitions."""

    def __init__(self, hass: HomeAssistant, entry_id: str, title: str) -> None:
        """Announce for the household `entry_id` called `title`."""
        self.hass, self.entry_id, self.title = hass, entry_id, title
        self.listeners: list[TransitionListener] = []

    @callback
    def async_add_listener(self, listener: TransitionListener) -> CALLBACK_TYPE:
        """Call `listener` with every transition; returns the undo."""
        self.listeners.append(listener)
        return lambda: self.listeners.remove(listener)

    def _fire(self, event: str, transition: Transition, **data: Any) -> None:
        for listener in list(self.listeners):
            try:
                listener(transition)
            except Exception:  # noqa: BLE001 - a listener's bug must not stop a transition
                LOGGER.exception("%s: error while announcing %s", self.title, event)
        self.hass.bus.async_fire(
            event,
            {
                "entry_id": self.entry_id,
                "name": self.title,
                "window": transition.window,
                **data,
            },
            context=transition.context,
        )

    def upcoming(self, occurrence: Occurrence, context: Context) -> None:
        """Announce that an agreed time starts within the reminder time."""
        self._fire(
            EVENT_UPCOMING,
            Transition(
                "upcoming",
                occurrence.name,
                occurrence.start,
                occurrence.end,
                SOURCE_SCHEDULE,
                context,
            ),
            starts_at=occurrence.start.isoformat(),
        )

    def started(self, session: Session, context: Context) -> None:
        """Announce that a session began."""
        LOGGER.info(
            "%s: partner time starts (%s) until %s",
            self.title,
            session.source,
            session.end,
        )
        self._fire(
            EVENT_STARTED,
            Transition(
                "started",
                session.window,
                session.start,
                session.end,
                session.source,
                context,
            ),
            source=session.source,
            ends_at=session.end.isoformat(),
        )

    def ended(
        self,
        session: Session,
        ended: datetime,
        reason: str,
        missed_calls: int,
        context: Context,
    ) -> None:
        """Announce a session's end at `ended` (its end, if it passed while HA was down)."""
        LOGGER.info("%s: partner time ends (%s)", self.title, reason)
        self._fire(
            EVENT_ENDED,
            Transition("ended", session.window, session.start, ended, reason, context),
            reason=reason,
            duration=round(max(0.0, (ended - session.start).total_seconds())),
            missed_calls=missed_calls,
        )

    def proposal(self, kind: str, proposal: Proposal, context: Context) -> None:
        """Announce that a proposal was made, accepted, declined or lapsed (`kind`)."""
        LOGGER.info("%s: partner time %s (asked by %s)", self.title, kind, proposal.by)
        self._fire(
            f"{DOMAIN}_{kind}",
            Transition(
                kind,
                None,
                proposal.at,
                proposal.until,
                proposal.by or "",
                context,
                proposal,
            ),
            by=proposal.by,
            until=proposal.until.isoformat(),
            duration=round(proposal.duration.total_seconds()),
            message=proposal.message,
        )

    def breakthrough(
        self, session: Session, caller: str, call: dict[str, Any], context: Context
    ) -> None:
        """Announce that `caller` (one of the household's callers) rings through."""
        LOGGER.info("%s: a call from %s gets through", self.title, caller)
        at = dt_util.parse_datetime(str(call.get("at"))) or dt_util.utcnow()
        self._fire(
            EVENT_BREAKTHROUGH,
            Transition("breakthrough", session.window, at, at, caller, context),
            caller=caller,
            number=call.get("from"),
            sensor=call.get("sensor"),
        )
