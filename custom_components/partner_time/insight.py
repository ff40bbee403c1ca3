"""Household insight: the warning before a session, the missed-call digest, the week.

Everything here follows the engine's bus events and its listener; the next week boundary
(Monday 00:00 local) is one of the instants the engine's one timer wakes at (a boundary
provider), so the household arms no timer of its own for it. Nothing polls.

* `partner_time_upcoming` (fired once per session by the engine, never for a skipped
  window or while paused): a warning through the household's notify action.
* `partner_time_ended`: one digest of the calls the household missed, if any, and the
  session's part in the current week added to the weekly total.
* The weekly total lives in `engine.extra` (persisted with the engine's store): the
  start of the week and the seconds of the sessions completed in it. The live part of
  a running session is added on read.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

from homeassistant.core import (
    CALLBACK_TYPE,
    Context,
    Event,
    HomeAssistant,
    callback,
)
from homeassistant.exceptions import HomeAssistantError
from homeassistant.util import dt as dt_util

from .const import ACTION_TIMEOUT, DOMAIN, EVENT_ENDED, EVENT_UPCOMING, LOGGER

if TYPE_CHECKING:
    from .session import PartnerTimeEngine

WEEK_KEY: Final = "week"
"""Key of the weekly total in `engine.extra`: {"start": iso, "seconds": float}."""

TEXTS: Final[Mapping[str, Mapping[str, str]]] = {
    "en": {
        "warning": "Partner time starts at {time}: time to wrap up.",
        "digest": "{count} during partner time: {calls}",
        "one_call": "1 call",
        "calls": "{count} calls",
        "unknown": "unknown caller",
    },
    "de": {
        "warning": "Um {time} Uhr beginnt die Partnerzeit – Zeit, zum Ende zu kommen.",  # noqa: RUF001
        "digest": "{count} während der Partnerzeit: {calls}",
        "one_call": "1 Anruf",
        "calls": "{count} Anrufe",
        "unknown": "unbekannter Anrufer",
    },
}

type Listener = Callable[[], None]


# -- messages ---------------------------------------------------------------------


def _texts(language: str | None) -> Mapping[str, str]:
    """Pick German for a German-speaking household ("de", "de-CH"), else English."""
    base = (language or "").lower().replace("_", "-").partition("-")[0]
    return TEXTS["de"] if base == "de" else TEXTS["en"]


def _local_time(moment: datetime) -> str:
    """Format `moment` as HH:MM in HA's time zone."""
    return dt_util.as_local(moment).strftime("%H:%M")


def warning_message(language: str | None, starts_at: datetime) -> str:
    """Word the warning sent `lead_time` minutes before a session starts."""
    return _texts(language)["warning"].format(time=_local_time(starts_at))


def digest_message(language: str | None, calls: Sequence[Mapping[str, Any]]) -> str:
    """Word the one message about the calls missed during a session."""
    texts = _texts(language)
    parts = []
    for call in calls:
        who = call.get("from_name") or call.get("from") or texts["unknown"]
        at = dt_util.parse_datetime(str(call.get("at") or ""))
        parts.append(f"{who} ({_local_time(at)})" if at else str(who))
    count = len(calls)
    counted = texts["one_call"] if count == 1 else texts["calls"].format(count=count)
    return texts["digest"].format(count=counted, calls=", ".join(parts))


# -- the week -----------------------------------------------------------------------


def week_start_of(moment: datetime) -> datetime:
    """Return Monday 00:00 local of the week `moment` lies in."""
    day = dt_util.as_local(moment).date()
    return dt_util.start_of_local_day(day - timedelta(days=day.weekday()))


def week_end_of(start: datetime) -> datetime:
    """Return the Monday 00:00 local after the week that starts at `start`.

    `start` carries the offset it was stored with, so its date is the week's Monday
    even after the time zone changed.
    """
    return dt_util.start_of_local_day(start.date() + timedelta(days=7))


def overlap(start: datetime, end: datetime, low: datetime, high: datetime) -> float:
    """Return the seconds of [start, end) within [low, high)."""
    return max(0.0, (min(end, high) - max(start, low)).total_seconds())


# -- the module -----------------------------------------------------------------------


class Insight:
    """Warning, digest and weekly total of one household."""

    def __init__(self, hass: HomeAssistant, engine: PartnerTimeEngine) -> None:
        """Prepare; `async_start` begins listening."""
        self.hass = hass
        self.engine = engine
        self._unsubs: list[CALLBACK_TYPE] = []
        self._listeners: list[Listener] = []
        self._final: tuple[datetime, float] | None = None

    # -- life cycle -------------------------------------------------------------------

    @callback
    def async_start(self) -> None:
        """Follow the engine's events and have its timer wake at the rollover.

        Call it before the engine's `async_setup`: the engine may end a session or
        warn at once when it starts. Nothing here reads the store before the engine
        reports; a week stored before the current one reads as empty.
        """
        bus = self.hass.bus
        self._unsubs += [
            bus.async_listen(EVENT_UPCOMING, self._on_upcoming, self._mine),
            bus.async_listen(EVENT_ENDED, self._on_ended, self._mine),
            # before the entities' listeners, so they read an up-to-date week
            self.engine.async_add_listener(self._on_engine_update),
            # the engine re-asks at every arming, e.g. after a time zone change
            self.engine.add_boundary_provider(self.next_rollover),
        ]

    @callback
    def async_stop(self) -> None:
        """Stop listening and drop the rollover; messages under way still go out."""
        for unsub in self._unsubs:
            with suppress(ValueError):  # the engine drops its listeners on unload
                unsub()
        self._unsubs.clear()
        self._listeners.clear()

    @callback
    def async_add_listener(self, listener: Listener) -> CALLBACK_TYPE:
        """Call `listener` when the week rolls over; returns the undo."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def _notify_listeners(self) -> None:
        for listener in list(self._listeners):
            listener()

    @callback
    def _mine(self, data: Mapping[str, Any]) -> bool:
        """Whether an event is about this household."""
        return data.get("entry_id") == self.engine.entry_id

    # -- warning and digest -----------------------------------------------------------

    @callback
    def _on_upcoming(self, event: Event[Mapping[str, Any]]) -> None:
        starts_at = dt_util.parse_datetime(str(event.data.get("starts_at")))
        if starts_at is None or not self.engine.settings.notify:
            return
        self._send(warning_message(self.hass.config.language, starts_at), event)

    @callback
    def _on_ended(self, event: Event[Mapping[str, Any]]) -> None:
        self._count_session()
        calls = list(self.engine.calls)
        if calls and self.engine.settings.notify:
            self._send(digest_message(self.hass.config.language, calls), event)

    def _send(self, message: str, event: Event[Mapping[str, Any]]) -> None:
        self.hass.async_create_background_task(
            self._async_send(message, Context(parent_id=event.context.id)),
            f"{DOMAIN} {self.engine.entry_id} message",
        )

    async def _async_send(self, message: str, context: Context) -> None:
        service = self.engine.settings.notify_service
        if service is None:  # pragma: no cover - checked before sending
            return
        try:
            async with asyncio.timeout(ACTION_TIMEOUT):
                await self.hass.services.async_call(
                    "notify",
                    service,
                    {"message": message, "title": self.engine.title},
                    blocking=True,
                    context=context,
                )
        except (HomeAssistantError, TimeoutError) as err:
            LOGGER.warning(
                "%s: message via notify.%s failed: %s", self.engine.title, service, err
            )

    # -- the week ---------------------------------------------------------------------

    def _stored(self) -> tuple[datetime | None, float]:
        raw = self.engine.extra.get(WEEK_KEY)
        if not isinstance(raw, Mapping):
            return None, 0.0
        start = dt_util.parse_datetime(str(raw.get("start")))
        seconds = raw.get("seconds")
        if not isinstance(seconds, int | float) or isinstance(seconds, bool):
            seconds = 0.0
        return start, max(0.0, float(seconds))

    def _store(self, start: datetime, seconds: float) -> None:
        self.engine.extra[WEEK_KEY] = {"start": start.isoformat(), "seconds": seconds}
        self.engine.save()

    def _week(self, now: datetime) -> tuple[datetime, float]:
        """Return the current week's start and its completed sessions' seconds."""
        start, seconds = self._stored()
        if start is None or not start <= now < week_end_of(start):
            return week_start_of(now), 0.0
        return start, seconds

    def _running(self, now: datetime) -> tuple[datetime, datetime] | None:
        session = self.engine.session
        return (session.start, now) if session is not None else None

    def _advance(
        self, now: datetime, session: tuple[datetime, datetime] | None = None
    ) -> None:
        """Start a new week if the stored one is over.

        The old week's final value (with the part of `session` in it) is shown once
        first, under the old `last_reset`, so long-term statistics keep all of it.
        """
        start, seconds = self._stored()
        if start is not None and start <= now < week_end_of(start):
            return
        if start is not None and start <= now:
            end = week_end_of(start)
            if session is not None:
                seconds += overlap(*session, start, end)
            self._final = (start, seconds)
            self._notify_listeners()
            self._final = None
        self._store(week_start_of(now), 0.0)

    def _count_session(self) -> None:
        """Add the session that just ended to the week it (partly) lies in."""
        last = self.engine.last_session or {}
        start = dt_util.parse_datetime(str(last.get("start")))
        end = dt_util.parse_datetime(str(last.get("end")))
        if start is None or end is None:  # pragma: no cover - set before the event
            return
        self._advance(end, (start, end))
        week, seconds = self._week(end)
        self._store(week, seconds + overlap(start, end, week, week_end_of(week)))

    @property
    def week_start(self) -> datetime:
        """Monday 00:00 local of the week shown (the sensor's `last_reset`)."""
        if self._final is not None:
            return self._final[0]
        return self._week(dt_util.utcnow())[0]

    @property
    def week_seconds(self) -> float:
        """Seconds of partner time this week, the running session's part included."""
        if self._final is not None:
            return self._final[1]
        now = dt_util.utcnow()
        start, seconds = self._week(now)
        if (running := self._running(now)) is not None:
            seconds += overlap(*running, start, week_end_of(start))
        return seconds

    @staticmethod
    def next_rollover(now: datetime) -> datetime:
        """Return the next Monday 00:00 local after `now` (the engine wakes there)."""
        return week_end_of(week_start_of(now))

    @callback
    def _on_engine_update(self) -> None:
        """Store the week once the engine runs, and roll it over if it is over.

        The engine's timer fires at Monday 00:00 local (see `next_rollover`), and its
        listeners, the week sensor among them, are told after this one.
        """
        now = dt_util.utcnow()
        self._advance(now, self._running(now))


@callback
def async_start_insight(hass: HomeAssistant, engine: PartnerTimeEngine) -> Insight:
    """Start the insight of one household, before its engine is set up."""
    insight = Insight(hass, engine)
    insight.async_start()
    return insight
