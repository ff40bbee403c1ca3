"""Household insight: the messages to the household and the weekly total.

The engine tells the insight of every transition (a typed callback, before the entities
are written):

* upcoming (once per agreed time, never for a skipped one or while paused): the
  reminder through the household's notify action;
* started: the start message ("Partner time until 19:30");
* ended: the end message, with the digest of the calls held back and of those that got
  through, and the messages held during the session (as one summary in the end message,
  or one by one after it: notify.py); the session's part in the current week added to
  the weekly total.

The weekly total lives in the plan's `week` (persisted with the household's store): the
start of the week and the seconds of the sessions completed in it; the running
session's part is added on read. The engine's one timer wakes at the next Monday 00:00
local, and once a minute while a session runs, so the total moves during a session
without a timer of its own and without any while idle. Messages go out in the
household's language (phrases.py); a notify action shared by several households gets
the household's name in front.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from datetime import date, datetime, timedelta, tzinfo
from functools import lru_cache
from typing import TYPE_CHECKING

from homeassistant.core import CALLBACK_TYPE, Context, HomeAssistant, callback
from homeassistant.util import dt as dt_util

from .const import DOMAIN, HELD_SUMMARY
from .held import Held, summary
from .notify import async_deliver
from .phrases import digest, phrase, when
from .send import async_call_quietly

if TYPE_CHECKING:
    from .engine import PartnerTimeEngine
    from .events import Transition

MINUTE = timedelta(minutes=1)

type Listener = Callable[[], None]


def week_start_of(moment: datetime) -> datetime:
    """Return Monday 00:00 local of the week `moment` lies in."""
    day = dt_util.as_local(moment).date()
    return dt_util.start_of_local_day(day - timedelta(days=day.weekday()))


def week_end_of(start: datetime) -> datetime:
    """Return the Monday 00:00 local after the week that starts at `start`.

    `start` carries the offset it was stored with, so its date is the week's Monday
    even after the time zone changed. Asked at every update of the weekly total,
    so the last few answers are kept (per time zone).
    """
    return _week_end(start.date(), dt_util.get_default_time_zone())


@lru_cache(maxsize=8)
def _week_end(monday: date, _zone: tzinfo) -> datetime:
    return dt_util.start_of_local_day(monday + timedelta(days=7))


def overlap(start: datetime, end: datetime, low: datetime, high: datetime) -> float:
    """Return the seconds of [start, end) within [low, high)."""
    return max(0.0, (min(end, high) - max(start, low)).total_seconds())


class Insight:
    """Messages and weekly total of one household."""

    def __init__(self, hass: HomeAssistant, engine: PartnerTimeEngine) -> None:
        """Prepare; `async_start` begins listening."""
        self.hass = hass
        self.engine = engine
        self.unsubs: list[CALLBACK_TYPE] = []
        self.listeners: list[Listener] = []
        self.final: tuple[datetime, float] | None = None

    @callback
    def async_start(self) -> None:
        """Follow the engine's transitions and have its timer wake at the rollover.

        Call it before the engine's `async_setup`: the engine may end a session or
        warn at once when it starts.
        """
        self.unsubs += [
            self.engine.async_add_transition_listener(self._on_transition),
            # before the entities' listeners, so they read an up-to-date week
            self.engine.async_add_listener(self._on_engine_update),
            self.engine.timer.add_provider(self.next_wake),
        ]

    @callback
    def async_stop(self) -> None:
        """Stop listening; messages under way still go out."""
        for unsub in self.unsubs:
            with suppress(ValueError):  # the engine drops its listeners on unload
                unsub()
        self.unsubs.clear()
        self.listeners.clear()

    @callback
    def async_add_listener(self, listener: Listener) -> CALLBACK_TYPE:
        """Call `listener` when the week rolls over; returns the undo."""
        self.listeners.append(listener)
        return lambda: self.listeners.remove(listener)

    # -- messages ---------------------------------------------------------------------

    @callback
    def _on_transition(self, transition: Transition) -> None:
        if transition.kind == "ended":
            self._count(transition.start, transition.end)
            self._ended(transition)
            return
        if not self.engine.settings.notify:
            return  # nobody to tell
        language = self.hass.config.language
        now = dt_util.utcnow()
        message = None
        if transition.kind == "upcoming":
            message = phrase(
                language, "warning", time=when(language, transition.start, now)
            )
        elif transition.kind == "started":
            message = phrase(
                language, "started", time=when(language, transition.end, now)
            )
        if message:
            self.hass.async_create_background_task(
                self._async_send(message, Context(parent_id=transition.context.id)),
                f"{DOMAIN} {self.engine.entry_id} message",
            )

    def _ended(self, transition: Transition) -> None:
        """Send the end message, its digest and the messages held, in that order.

        Held messages are taken from the plan (and stored) before they go out, so a
        restart while sending cannot send them twice.
        """
        plan, settings = self.engine.plan, self.engine.settings
        held = plan.held.take()
        if held:  # stored as taken before they go out, not after the house's calls
            self.engine.write_soon()
        if not settings.notify and not held:
            return  # nothing to say, nobody to tell
        language = self.hass.config.language
        message = phrase(language, "ended")
        if said := digest(language, plan.calls, plan.through):
            message = f"{message} {said}"
        if held and settings.notify and settings.held_delivery == HELD_SUMMARY:
            message = f"{message}\n{summary(language, held)}"
            held = Held()
        context = Context(parent_id=transition.context.id)

        async def send() -> None:
            if settings.notify:
                await self._async_send(message, context)
            await async_deliver(self.hass, self.engine, held, context)

        self.hass.async_create_background_task(
            send(), f"{DOMAIN} {self.engine.entry_id} end message"
        )

    def _shared_notify(self) -> bool:
        """Whether another household sends to the same notify action."""
        entries = self.hass.config_entries.async_loaded_entries(DOMAIN)
        return any(
            entry.entry_id != self.engine.entry_id
            and entry.runtime_data.engine.settings.notify == self.engine.settings.notify
            for entry in entries
        )

    async def _async_send(self, message: str, context: Context) -> None:
        service = self.engine.settings.notify_service
        if service is None:  # pragma: no cover - checked before sending
            return
        if self._shared_notify():
            message = f"{self.engine.title}: {message}"
        await async_call_quietly(
            self.hass,
            self.engine.title,
            f"notify.{service}",
            {"message": message, "title": self.engine.title},
            context,
            what="message",
        )

    # -- the week ---------------------------------------------------------------------

    def _week(self, now: datetime) -> tuple[datetime, float]:
        """Return the current week's start and its completed sessions' seconds."""
        week = self.engine.plan.week
        if week.start is None or not week.start <= now < week_end_of(week.start):
            return week_start_of(now), 0.0
        return week.start, week.seconds

    def _running(self, now: datetime) -> tuple[datetime, datetime] | None:
        session = self.engine.plan.session
        return (session.start, now) if session is not None else None

    def _store(self, start: datetime, seconds: float) -> None:
        week = self.engine.plan.week
        week.start, week.seconds = start, seconds
        self.engine.save()

    def _advance(
        self, now: datetime, session: tuple[datetime, datetime] | None = None
    ) -> None:
        """Start a new week if the stored one is over.

        The old week's final value (with the part of `session` in it) is shown once
        first, under the old `last_reset`, so long-term statistics keep all of it.
        """
        start = self.engine.plan.week.start
        if start is not None and start <= now < week_end_of(start):
            return
        if start is not None and start <= now:
            end = week_end_of(start)
            seconds = self.engine.plan.week.seconds
            if session is not None:
                seconds += overlap(*session, start, end)
            self.final = (start, seconds)
            for listener in list(self.listeners):
                listener()
            self.final = None
        self._store(week_start_of(now), 0.0)

    def _count(self, start: datetime, end: datetime) -> None:
        """Add the session that just ended to the week it (partly) lies in."""
        self._advance(end, (start, end))
        week, seconds = self._week(end)
        self._store(week, seconds + overlap(start, end, week, week_end_of(week)))

    @property
    def week_start(self) -> datetime:
        """Monday 00:00 local of the week shown (the sensor's `last_reset`)."""
        if self.final is not None:
            return self.final[0]
        return self._week(dt_util.utcnow())[0]

    @property
    def week_seconds(self) -> float:
        """Seconds of partner time this week, the running session's part included."""
        if self.final is not None:
            return self.final[1]
        now = dt_util.utcnow()
        start, seconds = self._week(now)
        if (running := self._running(now)) is not None:
            seconds += overlap(*running, start, week_end_of(start))
        return seconds

    def next_wake(self, now: datetime) -> datetime:
        """Return the next Monday 00:00 local, or the next minute while a session runs."""
        rollover = week_end_of(week_start_of(now))
        if self.engine.plan.session is None:
            return rollover
        minute = now.replace(second=0, microsecond=0) + MINUTE
        return min(rollover, minute)

    @callback
    def _on_engine_update(self) -> None:
        """Store the week once the engine runs, and roll it over if it is over."""
        now = dt_util.utcnow()
        self._advance(now, self._running(now))


@callback
def async_start_insight(hass: HomeAssistant, engine: PartnerTimeEngine) -> Insight:
    """Start the insight of one household, before its engine is set up."""
    insight = Insight(hass, engine)
    insight.async_start()
    return insight
