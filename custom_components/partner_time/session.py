"""The session engine of one household: decides when partner time is on and acts on it.

One point-in-time timer is armed at the next boundary (a session's end, the next start, the
warning before it, or an instant another module of the household asks for, such as the
weekly total's rollover) and re-armed after every transition. Nothing polls. The truth is
recomputed from the wall clock on every timer, every action and every core config change,
so a late, early or repeated callback changes nothing it should not.

Wall-clock jumps: a jump forward is just a late timer; a window wholly jumped over
starts nothing (there is nothing left to protect), one jumped into starts at once.
A clock set back (by less than LOOKBACK) runs nothing twice: a finished session
excludes what started before its end, and a running one is kept as it is until the
clock reaches its start again. Starts asked for by people or automations are
bounded (LOOP_LIMIT within LOOP_SPAN), so automations fighting over the switch
cannot make the house actions run without end.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from homeassistant.const import EVENT_CORE_CONFIG_UPDATE, EVENT_SERVICE_REGISTERED
from homeassistant.core import (
    CALLBACK_TYPE,
    Context,
    Event,
    EventStateChangedData,
    HomeAssistant,
    callback,
)
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers.event import (
    async_track_point_in_utc_time,
    async_track_state_change_event,
)
from homeassistant.helpers.start import async_at_started
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util
from homeassistant.util.async_ import create_eager_task
from homeassistant.util.hass_dict import HassKey

from .const import (
    DOMAIN,
    EVENT_ENDED,
    EVENT_STARTED,
    EVENT_UPCOMING,
    LOGGER,
    REASON_EXPIRED,
    REASON_MANUAL,
    REASON_SCHEDULE,
    SOURCE_MANUAL,
    SOURCE_SCHEDULE,
    STATUS_ACTIVE,
    STATUS_IDLE,
    STATUS_PAUSED,
    STATUS_UPCOMING,
)
from .house import House, Result
from .record import (
    STORAGE_VERSION,
    Session,
    dump_intervals,
    dump_manual,
    instant,
    iso,
    load_intervals,
    load_manual,
)
from .repairs import (
    raise_corrupt_store,
    raise_start_loop,
    set_missing_target,
    store_set_aside,
)
from .schedule import Occurrence, Situation, situation
from .targets import rename_applied

if TYPE_CHECKING:
    from .settings import Settings

RINGING = "ringing"
LOOKBACK = timedelta(days=2)
LOOP_LIMIT = 5
LOOP_SPAN = timedelta(minutes=10)
SETTLE_TURNS = 20
"""Loop turns a transition's entity writes wait at most for its house actions."""
LOCKS: HassKey[dict[str, asyncio.Lock]] = HassKey(f"{DOMAIN}_locks")
STARTS: HassKey[dict[str, list[datetime]]] = HassKey(f"{DOMAIN}_starts")
DAMAGE = (HomeAssistantError, OSError, KeyError, ValueError, TypeError, AttributeError)


async def _settled(task: asyncio.Future[Any]) -> None:
    """Wait until `task` is done, but no more than SETTLE_TURNS loop turns."""
    for _turn in range(SETTLE_TURNS):
        if task.done():
            return
        await asyncio.sleep(0)


type Listener = Callable[[], None]
type BoundaryProvider = Callable[[datetime], datetime | None]


class PartnerTimeEngine:
    """Everything one household's partner time does, over its whole life."""

    def __init__(
        self, hass: HomeAssistant, entry_id: str, title: str, settings: Settings
    ) -> None:
        """Prepare; nothing runs until `async_setup`."""
        self.hass = hass
        self.entry_id = entry_id
        self.title = title
        self.settings = settings
        self.store: Store[dict[str, Any]] = Store(
            hass, STORAGE_VERSION, f"{DOMAIN}.{entry_id}"
        )
        self.session: Session | None = None
        self.manual: Occurrence | None = None
        self.exclude: list[tuple[datetime, datetime]] = []
        self.skips: list[tuple[datetime, datetime]] = []
        self.schedule_enabled = True
        self.warned_for: datetime | None = None
        self.calls: list[dict[str, Any]] = []
        self.last_session: dict[str, Any] | None = None
        self.results: dict[str, Result] = {}
        self.situation = Situation(None, None)
        self.next_timer: datetime | None = None
        self.context = Context()
        self.extra: dict[str, Any] = {}
        self._unsub_timer: CALLBACK_TYPE | None = None
        self._unsubs: list[CALLBACK_TYPE] = []
        self._target_unsubs: list[CALLBACK_TYPE] = []
        self._listeners: list[Listener] = []
        self._boundaries: list[BoundaryProvider] = []
        self._house = House(hass, self._record)
        self._tasks: set[asyncio.Task[None]] = set()
        self._started = False
        self._skipped_next = False

    # -- life cycle -----------------------------------------------------------------

    @property
    def tz(self) -> ZoneInfo:
        """The household's time zone: HA's."""
        return ZoneInfo(self.hass.config.time_zone)

    @property
    def lock(self) -> asyncio.Lock:
        """Serializes this household's house actions, across reloads."""
        return self.hass.data.setdefault(LOCKS, {}).setdefault(
            self.entry_id, asyncio.Lock()
        )

    async def async_setup(self) -> None:
        """Load what was persisted, start listening, and evaluate once HA has started."""
        await self.async_load()
        self._unsubs.append(
            self.hass.bus.async_listen(EVENT_CORE_CONFIG_UPDATE, self._on_config_update)
        )
        self._unsubs.append(
            self.hass.bus.async_listen(
                EVENT_SERVICE_REGISTERED, self._on_service_registered
            )
        )
        self._track_targets()
        self._unsubs.append(async_at_started(self.hass, self._on_started))
        # Show the truth at once, without acting on the house before HA has started.
        self.situation = self._situation(dt_util.utcnow())

    def _track_targets(self) -> None:
        """Follow the states of the targets and call sensors the settings name."""
        for unsub in self._target_unsubs:
            unsub()
        self._target_unsubs.clear()
        targets = [t for t in self.settings.targets() if not t.startswith("notify.")]
        if targets:
            self._target_unsubs.append(
                async_track_state_change_event(
                    self.hass, targets, self._on_target_state
                )
            )
        if self.settings.call_sensors:
            self._target_unsubs.append(
                async_track_state_change_event(
                    self.hass, list(self.settings.call_sensors), self._on_call_sensor
                )
            )

    async def _on_started(self, _hass: HomeAssistant) -> None:
        self._started = True
        self.check_targets()
        self.evaluate()

    async def async_unload(self) -> None:
        """Stop the timer and listeners; the session stays persisted for the next load."""
        self._cancel_timer()
        for unsub in (*self._unsubs, *self._target_unsubs):
            unsub()
        self._unsubs.clear()
        self._target_unsubs.clear()
        self._listeners.clear()
        self._boundaries.clear()
        # written now, not soon: a reload's new engine reads it right away
        await self.store.async_save(self._as_store())

    async def async_end_for_good(self) -> None:
        """End a session and restore the house: the entry goes away (disabled or deleted)."""
        if self.session is not None:
            self._finish(dt_util.utcnow(), REASON_MANUAL, None)
        await self.async_wait_actions()
        await self.store.async_save(self._as_store())

    async def async_wait_actions(self) -> None:
        """Wait until the house actions issued so far are done."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    # -- persistence ----------------------------------------------------------------

    async def async_load(self) -> None:
        """Read the persisted session, skips and history.

        A damaged store (unreadable, truncated, or not what we wrote) is reported with
        the `corrupt_store` repair issue and replaced by a clean one; what it said the
        house had changed is unknown, so nothing is undone and nothing that started
        before now is started (again): the devices are left as they are.
        """
        try:
            data = await self.store.async_load()
        except DAMAGE as err:
            await self._async_damaged(f"{type(err).__name__}: {err}")
            return
        if data is None:
            if store_set_aside(self.hass, self.store.key):
                await self._async_damaged("the file could not be parsed")
            return
        try:
            self._from_store(data)
        except DAMAGE as err:
            await self._async_damaged(f"{type(err).__name__}: {err}")

    async def _async_damaged(self, detail: str) -> None:
        LOGGER.error(
            "The stored state of %s is damaged (%s); starting afresh and leaving the "
            "house as it is",
            self.title,
            detail,
        )
        now = dt_util.utcnow()
        self.exclude = [(now - LOOKBACK, now + timedelta(microseconds=1))]
        raise_corrupt_store(self.hass, self.entry_id, self.title, detail)
        await self.store.async_save(self._as_store())

    def _from_store(self, data: object) -> None:
        """Take over what the store holds, all or nothing."""
        if not isinstance(data, dict):
            msg = f"not a mapping: {type(data).__name__}"
            raise TypeError(msg)
        raw = data.get("session")
        session = Session.from_dict(raw) if raw else None
        manual = load_manual(data.get("manual"))
        last_session = data.get("last_session")
        if last_session is not None and not isinstance(last_session, dict):
            msg = f"last_session is not a mapping: {last_session!r}"
            raise TypeError(msg)
        exclude = load_intervals(data.get("exclude", []))
        skips = load_intervals(data.get("skips", []))
        warned_for = instant(data.get("warned_for"))
        calls = [dict(call) for call in data.get("calls", [])]
        extra = dict(data.get("extra", {}))
        self.session = session
        self.manual = manual
        self.exclude, self.skips = exclude, skips
        self.schedule_enabled = bool(data.get("schedule_enabled", True))
        self.warned_for = warned_for
        self.calls = calls
        self.last_session = last_session
        self.extra = extra

    def _as_store(self) -> dict[str, Any]:
        return {
            "session": self.session.as_dict() if self.session else None,
            "manual": dump_manual(self.manual),
            "exclude": dump_intervals(self.exclude),
            "skips": dump_intervals(self.skips),
            "schedule_enabled": self.schedule_enabled,
            "warned_for": iso(self.warned_for),
            "calls": self.calls,
            "last_session": self.last_session,
            "extra": self.extra,
        }

    def save(self) -> None:
        """Persist soon (coalesced); `extra` is for other modules of the integration."""
        self.store.async_delay_save(self._as_store, 0)

    # -- listeners ------------------------------------------------------------------

    @callback
    def async_add_listener(self, listener: Listener) -> CALLBACK_TYPE:
        """Call `listener` after every change; returns the undo."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    @callback
    def add_boundary_provider(self, provider: BoundaryProvider) -> CALLBACK_TYPE:
        """Also wake at `provider(now)`, an instant after `now` (None: no need).

        Another module's boundary (the weekly total's rollover) rides on the engine's
        one timer instead of arming its own: it is asked at every arming, and the
        listeners are told when the timer fires there, as after every evaluation.
        Add providers before the engine evaluates (its first run arms with them).
        Returns the undo.
        """
        self._boundaries.append(provider)
        return lambda: self._boundaries.remove(provider)

    def _notify_listeners(self) -> None:
        for listener in list(self._listeners):
            listener()

    # -- what is true now -----------------------------------------------------------

    def _situation(
        self, now: datetime, *, with_skips: bool = True, enabled: bool | None = None
    ) -> Situation:
        enabled = self.schedule_enabled if enabled is None else enabled
        windows = self.settings.windows if enabled else ()
        extra = [self.manual] if self.manual and self.manual.end > now else []
        exclude = [*self.exclude, *self.skips] if with_skips else self.exclude
        return situation(windows, self.tz, now, extra=extra, exclude=exclude)

    @property
    def active(self) -> bool:
        """Whether partner time is on."""
        return self.session is not None

    @property
    def ends_at(self) -> datetime | None:
        """When the current session ends."""
        return self.session.end if self.session else None

    @property
    def next_start(self) -> datetime | None:
        """When the next session starts."""
        upcoming = self.situation.next
        return upcoming.start if upcoming else None

    @property
    def window_name(self) -> str | None:
        """The current session's name, or the next one's."""
        if self.session:
            return self.session.name
        return self.situation.next.name if self.situation.next else None

    @property
    def status(self) -> str:
        """active, upcoming, paused or idle."""
        if self.session:
            return STATUS_ACTIVE
        if not self.schedule_enabled or self._skipped_next:
            return STATUS_PAUSED
        if self._warn_at(dt_util.utcnow()) is not None:
            return STATUS_UPCOMING
        return STATUS_IDLE

    def _warn_at(self, now: datetime) -> datetime | None:
        """Return the warning instant of the next session if we are in its lead time."""
        upcoming = self.situation.next
        lead = timedelta(minutes=self.settings.lead_time)
        if upcoming is None or upcoming.manual or not lead or self.session:
            return None
        warn_at = upcoming.start - lead
        return warn_at if warn_at <= now < upcoming.start else None

    # -- transitions ------------------------------------------------------------------

    @callback
    def evaluate(
        self,
        now: datetime | None = None,
        *,
        source: str = SOURCE_SCHEDULE,
        reason: str | None = None,
        context: Context | None = None,
    ) -> None:
        """Bring the session in line with the wall clock; re-arm the one timer."""
        now = now or dt_util.utcnow()
        self.exclude = [(a, b) for a, b in self.exclude if b > now - LOOKBACK]
        self.skips = [(a, b) for a, b in self.skips if b > now]
        if self.manual and self.manual.end <= now:
            self.manual = None
        sit = self.situation = self._situation(now)
        current = sit.current
        changed = False
        actions: asyncio.Task[None] | None = None
        if self._held(now, current, reason):
            pass  # the clock was set back to before this session began: keep it
        elif current is not None and self.session is None:
            if self._started:
                actions = self._begin(current, now, source, context)
                changed = True
        elif current is None and self.session is not None:
            if self._started:
                if reason is None:
                    self._done_until(now)
                end_reason = reason or (
                    REASON_EXPIRED if self.session.manual_end else REASON_SCHEDULE
                )
                actions = self._finish(now, end_reason, context)
                changed = True
        elif (
            current is not None
            and self.session is not None
            and (
                self.session.end != current.end
                or self.session.manual_end != current.manual
            )
        ):
            self.session.end = current.end
            self.session.manual_end = current.manual
            changed = True
        self._skipped_next = bool(self.skips) and self._next_is_skipped(now, sit)
        self._maybe_warn(now, sit)
        self._arm(now, sit)
        if changed and actions is None:
            self.save()  # a transition's house actions write the store themselves
        self._notify_after(actions)

    def _notify_after(self, actions: asyncio.Task[None] | None) -> None:
        """Tell the listeners now, or after a transition's house actions."""
        if actions is None or actions.done():
            self._notify_listeners()
            return
        self.hass.async_create_task(
            self._async_notify_after(actions), f"{DOMAIN} {self.entry_id} entity states"
        )

    async def _async_notify_after(self, actions: asyncio.Task[None]) -> None:
        """Tell the listeners once the house actions are done, or SETTLE_TURNS later.

        The house comes first: the targets' own follow-up work (their state writes,
        the pushes' replies), queued by the calls just dispatched, runs before our
        entities are written. A target that hangs delays the entities by only
        SETTLE_TURNS loop turns, not by its timeout.
        """
        await _settled(actions)
        self._notify_listeners()

    def _held(
        self, now: datetime, current: Occurrence | None, reason: str | None
    ) -> bool:
        """Whether the clock was set back to before the session began.

        Then the session is kept as it is until the clock reaches its start again:
        ending it now and starting it again later would run everything twice. Only
        when nobody asked to end it, only for jumps shorter than LOOKBACK (a longer
        one is taken as the truth), and not when an occurrence that reaches into the
        session (e.g. an extension) is current.
        """
        session = self.session
        return (
            session is not None
            and reason is None
            and session.start - LOOKBACK <= now < session.start
            and (current is None or current.end <= session.start)
        )

    def _done_until(self, now: datetime) -> None:
        """Mark what started before `now` as done: a session ran to its end.

        Nothing that started before `now` is current (else the session would go
        on), so this changes nothing while the clock runs forward; after a clock set
        back it keeps the finished windows from running a second time.
        """
        low = now - LOOKBACK
        self.exclude = [
            (a, b) for a, b in self.exclude if not (low <= a and b <= now)
        ] + [(low, now)]

    def _next_is_skipped(self, now: datetime, sit: Situation) -> bool:
        unskipped = self._situation(now, with_skips=False).next
        return unskipped is not None and (
            sit.next is None or unskipped.start < sit.next.start
        )

    @staticmethod
    def _own_context(cause: Context | None) -> Context:
        """Make a transition's context: a child of the call that caused it, if any.

        The clock's own transitions get a context without parent or user, so
        automations can tell them from a person's or an automation's.
        """
        return Context(parent_id=cause.id) if cause is not None else Context()

    def _begin(
        self, current: Occurrence, now: datetime, source: str, context: Context | None
    ) -> asyncio.Task[None]:
        self.context = self._own_context(context)
        self.calls = []
        self.session = Session(
            start=now,
            end=current.end,
            source=source,
            name=current.name,
            manual_end=current.manual,
        )
        LOGGER.info(
            "%s: partner time starts (%s) until %s", self.title, source, current.end
        )
        self.hass.bus.async_fire(
            EVENT_STARTED,
            {
                "entry_id": self.entry_id,
                "name": self.title,
                "window": current.name,
                "source": source,
                "ends_at": current.end.isoformat(),
            },
            context=self.context,
        )
        return self._spawn(self._async_apply_start(self.session, self.context))

    def _finish(
        self, now: datetime, reason: str, context: Context | None
    ) -> asyncio.Task[None] | None:
        session = self.session
        if session is None:  # pragma: no cover - callers check
            return None
        self.context = self._own_context(context)
        self.session = None
        self.manual = None
        # a session whose end passed while HA was down lasted until its end, not until now
        ended = min(now, session.end)
        duration = max(0.0, (ended - session.start).total_seconds())
        self.last_session = {
            "name": session.name,
            "start": session.start.isoformat(),
            "end": ended.isoformat(),
            "reason": reason,
            "missed_calls": len(self.calls),
        }
        LOGGER.info("%s: partner time ends (%s)", self.title, reason)
        self.hass.bus.async_fire(
            EVENT_ENDED,
            {
                "entry_id": self.entry_id,
                "name": self.title,
                "window": session.name,
                "reason": reason,
                "duration": round(duration),
                "missed_calls": len(self.calls),
            },
            context=self.context,
        )
        return self._spawn(self._async_apply_end(session, self.context))

    def _spawn(self, coro: Any) -> asyncio.Task[None]:
        task: asyncio.Task[None] = self.hass.async_create_background_task(
            coro, f"{DOMAIN} {self.entry_id} house actions"
        )
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _async_apply_start(self, session: Session, context: Context) -> None:
        if self.lock.locked():  # earlier actions still run: record the session now
            self.save()
        async with self.lock:
            if self.session is not session:
                return  # ended before its turn came: nothing to do or undo
            applied = self._house.plan_start(self.settings, context)
            session.applied = applied
            # the calls go out first (eagerly); the record is written once they are
            # done, or SETTLE_TURNS loop turns later if one hangs
            house = create_eager_task(
                self._house.async_start(self.settings, applied, context)
            )
            await _settled(house)
            await asyncio.gather(self.store.async_save(self._as_store()), house)
            self.check_targets()

    async def _async_apply_end(self, session: Session, context: Context) -> None:
        if self.lock.locked():  # earlier actions still run: record the end now
            self.save()
        async with self.lock:
            await self.store.async_save(self._as_store())
            if session.applied is not None:
                await self._house.async_end(self.settings, session.applied, context)
            self.check_targets()

    def _maybe_warn(self, now: datetime, sit: Situation) -> None:
        if (
            not self._started
            or (warn_at := self._warn_at(now)) is None
            or sit.next is None
        ):
            return
        if self.warned_for == sit.next.start:
            return
        self.warned_for = sit.next.start
        self.save()
        self.hass.bus.async_fire(
            EVENT_UPCOMING,
            {
                "entry_id": self.entry_id,
                "name": self.title,
                "window": sit.next.name,
                "starts_at": sit.next.start.isoformat(),
            },
            context=self.context,
        )
        LOGGER.debug("%s: warned at %s for %s", self.title, warn_at, sit.next.start)

    def _arm(self, now: datetime, sit: Situation) -> None:
        candidates = [t for t in (sit.next_transition,) if t is not None]
        # a session kept across a clock set back: look again when its start comes
        if self.session is not None and self.session.start > now:
            candidates.append(self.session.start)
        # a skipped session's end: the status goes from paused back to idle then
        candidates += [end for _start, end in self.skips if end > now]
        if sit.next is not None and self.settings.lead_time and self.session is None:
            warn_at = sit.next.start - timedelta(minutes=self.settings.lead_time)
            if warn_at > now:
                candidates.append(warn_at)
        for provider in self._boundaries:
            if (instant := provider(now)) is not None and instant > now:
                candidates.append(instant)
        when = min(candidates, default=None)
        if when == self.next_timer and self._unsub_timer is not None:
            return
        self._cancel_timer()
        self.next_timer = when
        if when is not None:
            self._unsub_timer = async_track_point_in_utc_time(
                self.hass, self._on_timer, when
            )

    def _cancel_timer(self) -> None:
        if self._unsub_timer is not None:
            self._unsub_timer()
            self._unsub_timer = None
        self.next_timer = None

    @callback
    def _on_timer(self, _when: datetime) -> None:
        """Reconcile: the timer fired, or a stray, early or repeated call came.

        The wall clock decides, not the time the timer was meant for, and the timer
        is cancelled first, so a stray call neither acts early nor leaves a second
        timer armed.
        """
        self._cancel_timer()
        self.evaluate(dt_util.utcnow())

    @callback
    def _on_config_update(self, _event: Event[Any]) -> None:
        """Time zone (or location) changed: reschedule at once."""
        self.evaluate()

    # -- what people ask for --------------------------------------------------------

    def start(
        self, duration: timedelta | None = None, context: Context | None = None
    ) -> None:
        """Start now (for `duration`, else the default duration outside a window)."""
        now = dt_util.utcnow()
        if self.session is not None and duration is None:
            return
        if self.session is None:
            self._count_start(now)
        if (
            self.session is None
            and duration is None
            and self.situation.current is not None
        ):
            duration = self.situation.current.end - now
        length = duration or timedelta(minutes=self.settings.default_duration)
        self.manual = Occurrence(self.title, now, now + length, manual=True)
        self.evaluate(now, source=SOURCE_MANUAL, context=context)

    def stop(self, context: Context | None = None) -> None:
        """End the session now; the windows it covered do not start again."""
        now = dt_util.utcnow()
        if self.session is None:
            return
        end = self.situation.current.end if self.situation.current else self.session.end
        self.manual = None
        self.exclude.append((now - LOOKBACK, max(end, now + timedelta(microseconds=1))))
        self.evaluate(now, reason=REASON_MANUAL, context=context)

    def extend(self, duration: timedelta, context: Context | None = None) -> None:
        """Make the session longer; refused when not active."""
        if self.session is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="not_active",
                translation_placeholders={"name": self.title},
            )
        now = dt_util.utcnow()
        self.manual = Occurrence(
            self.title, now, self.session.end + duration, manual=True
        )
        self.evaluate(now, source=SOURCE_MANUAL, context=context)

    def skip(
        self, until: datetime | None = None, context: Context | None = None
    ) -> None:
        """Leave out the next agreed time, or every one that starts before `until`."""
        now = dt_util.utcnow()
        if until is not None:
            if until <= now:
                raise ServiceValidationError(
                    translation_domain=DOMAIN,
                    translation_key="until_in_past",
                    translation_placeholders={
                        "until": dt_util.as_local(until).isoformat()
                    },
                )
            self.skips.append((now, until))
        else:
            upcoming = self._situation(now).next
            if upcoming is None or upcoming.manual:
                raise ServiceValidationError(
                    translation_domain=DOMAIN,
                    translation_key="nothing_to_skip",
                    translation_placeholders={"name": self.title},
                )
            self.skips.append((upcoming.start, upcoming.end))
        self.save()
        self.evaluate(now, context=context)

    def set_schedule_enabled(
        self, *, enabled: bool, context: Context | None = None
    ) -> None:
        """Pause or resume the agreed times."""
        now = dt_util.utcnow()
        if (
            enabled
            and not self.schedule_enabled
            and self.session is None
            and self._situation(now, enabled=True).current is not None
        ):
            self._count_start(now)  # resuming during a window starts a session
        self.schedule_enabled = enabled
        self.save()
        self.evaluate(reason=REASON_MANUAL, context=context)

    def _count_start(self, now: datetime) -> None:
        """Count a start asked for; refuse one more than LOOP_LIMIT within LOOP_SPAN.

        Automations fighting over the switch (one turns it on whenever it goes off,
        another turns it off) would otherwise run the house actions without end.
        The count lives in hass.data, so a reload does not reset it.
        """
        starts = self.hass.data.setdefault(STARTS, {}).setdefault(self.entry_id, [])
        starts[:] = [at for at in starts if now - LOOP_SPAN < at <= now]
        if len(starts) < LOOP_LIMIT:
            starts.append(now)
            return
        minutes = str(round(LOOP_SPAN.total_seconds() / 60))
        LOGGER.warning(
            "%s: partner time was started %s times within %s minutes; refusing to "
            "start it again now (an automation loop?)",
            self.title,
            LOOP_LIMIT,
            minutes,
        )
        placeholders = {
            "name": self.title,
            "count": str(LOOP_LIMIT),
            "minutes": minutes,
        }
        raise_start_loop(self.hass, self.entry_id, placeholders)
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="start_loop",
            translation_placeholders=placeholders,
        )

    # -- calls and targets ----------------------------------------------------------

    @callback
    def _on_call_sensor(self, event: Event[EventStateChangedData]) -> None:
        new, old = event.data["new_state"], event.data["old_state"]
        if self.session is None or new is None or new.state != RINGING:
            return
        if old is not None and old.state == RINGING:
            return
        self.calls.append(
            {
                "sensor": new.entity_id,
                "from": new.attributes.get("from"),
                "from_name": new.attributes.get("from_name"),
                "at": new.last_changed.isoformat(),
            }
        )
        self.save()
        self._notify_listeners()

    def _record(self, result: Result) -> None:
        self.results[result.target] = result
        if result.outcome == "missing":
            self._set_missing(result.target, missing=True)

    def check_targets(self) -> None:
        """Raise or clear a repair issue for every target that does (not) exist."""
        for target in self.settings.targets():
            domain, _, name = target.partition(".")
            if domain == "notify":
                missing = not self.hass.services.has_service(domain, name)
            else:
                missing = self.hass.states.get(target) is None
            self._set_missing(target, missing=missing)

    def _set_missing(self, target: str, *, missing: bool) -> None:
        set_missing_target(
            self.hass, self.entry_id, self.title, target, missing=missing
        )

    @callback
    def _on_target_state(self, event: Event[EventStateChangedData]) -> None:
        target = event.data["entity_id"]
        if self._started and target in self.settings.targets():
            self._set_missing(target, missing=event.data["new_state"] is None)

    @callback
    def follow_rename(self, old: str, new: str, settings: Settings | None) -> None:
        """Follow entity `old`, now called `new`.

        Take over `settings` (which name `new`) and use the new name in what the
        session changed, so its end undoes the right entity.
        """
        changed = False
        if settings is not None:
            self.settings = settings
            self._track_targets()
            changed = True
        if self.session is not None and self.session.applied is not None:
            changed = rename_applied(self.session.applied, old, new) or changed
        if not changed:
            return
        LOGGER.info("%s: following %s, now called %s", self.title, old, new)
        # the new name's state comes and goes through the state tracking
        self._set_missing(old, missing=False)
        self.save()

    @callback
    def target_removed(self, entity_id: str) -> None:
        """Entity `entity_id` was removed from the entity registry."""
        if self._started and entity_id in self.settings.targets():
            self._set_missing(entity_id, missing=True)

    @callback
    def _on_service_registered(self, event: Event[Any]) -> None:
        if self._started and event.data.get("domain") == "notify":
            self.check_targets()
