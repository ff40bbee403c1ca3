"""The engine of one household: keeps time and does what the plan says.

The rules live in `plan.py`; the engine asks the plan, applies what it says through
`house.py`, writes the entities (through its listeners), fires the events and keeps the
store. One point-in-time timer is armed at the next boundary the plan names (or one
another module asks for, such as the weekly total's) and re-armed after every
evaluation. Nothing polls. The truth is recomputed from the wall clock on every timer,
request and core config change, so a late, early or repeated callback changes nothing
it should not.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from homeassistant.const import EVENT_CORE_CONFIG_UPDATE
from homeassistant.core import CALLBACK_TYPE, Context, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers.event import async_track_point_in_utc_time
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
    REASON_DELETED,
    REASON_MANUAL,
    SOURCE_MANUAL,
)
from .guard import LoopGuard
from .house import Applied, House, Result
from .plan import STORAGE_VERSION, Plan, Refused, Rules, Session, Step
from .repairs import raise_corrupt_store, store_set_aside
from .watch import Watch

if TYPE_CHECKING:
    from .schedule import Occurrence, Situation
    from .settings import Settings

SETTLE_TURNS = 20
"""Loop turns a transition's entity writes wait at most for its house actions."""
LOCKS: HassKey[dict[str, asyncio.Lock]] = HassKey(f"{DOMAIN}_locks")
ENGINES: HassKey[dict[str, PartnerTimeEngine]] = HassKey(f"{DOMAIN}_engines")
DAMAGE = (HomeAssistantError, OSError, KeyError, ValueError, TypeError, AttributeError)


@dataclass(frozen=True, slots=True)
class Transition:
    """What happened, for the household's insight: upcoming, started or ended."""

    kind: str
    window: str | None
    start: datetime
    end: datetime
    why: str
    context: Context


type Listener = Callable[[], None]
type TransitionListener = Callable[[Transition], None]
type BoundaryProvider = Callable[[datetime], datetime | None]


async def _settled(task: asyncio.Future[Any]) -> None:
    """Wait until `task` is done, but no more than SETTLE_TURNS loop turns."""
    for _turn in range(SETTLE_TURNS):
        if task.done():
            return
        await asyncio.sleep(0)


def rules_of(settings: Settings, tz: ZoneInfo) -> Rules:
    """Return the part of the settings the plan's rules need."""
    return Rules(
        windows=settings.windows,
        tz=tz,
        lead_time=timedelta(minutes=settings.lead_time),
        default_duration=timedelta(minutes=settings.default_duration),
    )


class PartnerTimeEngine:
    """One household's partner time over its whole life."""

    def __init__(
        self, hass: HomeAssistant, entry_id: str, title: str, settings: Settings
    ) -> None:
        """Prepare; nothing runs until `async_setup`."""
        self.hass, self.entry_id, self.title = hass, entry_id, title
        self.settings = settings
        self.plan = Plan(rules_of(settings, self.tz))
        self.store: Store[dict[str, Any]] = Store(
            hass, STORAGE_VERSION, f"{DOMAIN}.{entry_id}"
        )
        self.results: dict[str, Result] = {}
        self.next_timer: datetime | None = None
        self.context = Context()
        self.guard = LoopGuard(hass, entry_id, title)
        self.watch = Watch(hass, self)
        self.house = House(hass, self.record)
        self.started = False
        self.live = False
        self.unsub_timer: CALLBACK_TYPE | None = None
        self.unsubs: list[CALLBACK_TYPE] = []
        self.listeners: list[Listener] = []
        self.transition_listeners: list[TransitionListener] = []
        self.boundaries: list[BoundaryProvider] = []
        self.tasks: set[asyncio.Task[None]] = set()

    # -- what the entities show -----------------------------------------------------

    @property
    def tz(self) -> ZoneInfo:
        """The household's time zone: HA's."""
        return ZoneInfo(self.hass.config.time_zone)

    @property
    def session(self) -> Session | None:
        """The session in progress."""
        return self.plan.session

    @property
    def active(self) -> bool:
        """Whether partner time is on."""
        return self.plan.session is not None

    @property
    def ends_at(self) -> datetime | None:
        """When the current session ends."""
        return self.plan.session.end if self.plan.session else None

    @property
    def next_start(self) -> datetime | None:
        """When the next session starts."""
        return self.plan.next_start

    @property
    def window_name(self) -> str | None:
        """The agreed time that runs, or else the next one."""
        return self.plan.window_name

    @property
    def calls(self) -> list[dict[str, Any]]:
        """The calls held back in the current or last session."""
        return self.plan.calls

    @property
    def schedule_enabled(self) -> bool:
        """Whether the agreed times start by themselves."""
        return self.plan.schedule_enabled

    @property
    def situation(self) -> Situation:
        """The session now and the next one."""
        return self.plan.situation

    @property
    def status(self) -> str:
        """active, upcoming, paused or idle."""
        return self.plan.status(dt_util.utcnow())

    @property
    def paused_by(self) -> str | None:
        """Why the agreed times are paused, if they are."""
        return self.plan.paused_by(dt_util.utcnow())

    def sessions(self, start: datetime, end: datetime) -> list[Occurrence]:
        """Return the current session and the sessions ahead within [start, end)."""
        return self.plan.sessions(start, end, dt_util.utcnow())

    @property
    def lock(self) -> asyncio.Lock:
        """Serializes this household's house actions, across reloads."""
        return self.hass.data.setdefault(LOCKS, {}).setdefault(
            self.entry_id, asyncio.Lock()
        )

    # -- life cycle -----------------------------------------------------------------

    async def async_setup(self) -> None:
        """Load what was persisted, start listening, and evaluate once HA has started."""
        await self.async_load()
        self.live = True
        self.hass.data.setdefault(ENGINES, {})[self.entry_id] = self
        self.unsubs += [
            self.hass.bus.async_listen(EVENT_CORE_CONFIG_UPDATE, self.evaluate),
            async_at_started(self.hass, self._on_started),
        ]
        self.watch.track()
        self.plan.evaluate(dt_util.utcnow(), act=False)  # the truth, before acting

    async def _on_started(self, _hass: HomeAssistant) -> None:
        self.started = True
        self.watch.check_targets()
        self.evaluate()

    async def async_unload(self) -> None:
        """Stop the timer and listeners; the session stays persisted for the next load."""
        self.live = False
        self._cancel_timer()
        for unsub in self.unsubs:
            unsub()
        self.unsubs.clear()
        self.watch.stop()
        self.listeners.clear()
        self.transition_listeners.clear()
        self.boundaries.clear()
        if self.hass.data.get(ENGINES, {}).get(self.entry_id) is self:
            del self.hass.data[ENGINES][self.entry_id]
        await self.store.async_save(self.plan.as_store())  # a reload reads it at once

    async def async_end_for_good(self, reason: str = REASON_DELETED) -> None:
        """End a session and restore the house: the entry goes away or is disabled."""
        self._apply(self.plan.stop(dt_util.utcnow(), reason), None)
        await self.async_wait_actions()
        await self.store.async_save(self.plan.as_store())

    async def async_wait_actions(self) -> None:
        """Wait until the house actions issued so far are done."""
        while self.tasks:
            await asyncio.gather(*list(self.tasks), return_exceptions=True)

    @callback
    def apply_settings(self, settings: Settings) -> None:
        """Take new settings over in place: nothing repeated, nothing interrupted."""
        self.settings = settings
        self.plan.rules = rules_of(settings, self.tz)
        self.watch.track()
        if self.started:
            self.watch.check_targets()
        self.evaluate()

    # -- the store ------------------------------------------------------------------

    async def async_load(self) -> None:
        """Read the persisted state; a damaged store is reported and set aside.

        What a damaged store said the house had changed is unknown, so nothing is
        undone and nothing that started before now is started (again).
        """
        try:
            data = await self.store.async_load()
            if data is None and store_set_aside(self.hass, self.store.key):
                msg = "the file could not be parsed"
                raise ValueError(msg)
            if data is not None:
                self.plan.from_store(data)
        except DAMAGE as err:
            detail = (
                str(err) if "parsed" in str(err) else f"{type(err).__name__}: {err}"
            )
            LOGGER.error(
                "The stored state of %s is damaged (%s); starting afresh and leaving "
                "the house as it is",
                self.title,
                detail,
            )
            self.plan.set_aside(dt_util.utcnow())
            raise_corrupt_store(self.hass, self.entry_id, self.title, detail)
            await self.store.async_save(self.plan.as_store())

    def save(self) -> None:
        """Persist soon (coalesced)."""
        self.store.async_delay_save(self.plan.as_store, 0)

    # -- listeners ------------------------------------------------------------------

    @callback
    def async_add_listener(self, listener: Listener) -> CALLBACK_TYPE:
        """Call `listener` after every change (the entities); returns the undo."""
        self.listeners.append(listener)
        return lambda: self.listeners.remove(listener)

    @callback
    def async_add_transition_listener(
        self, listener: TransitionListener
    ) -> CALLBACK_TYPE:
        """Call `listener` with every transition (before the entities are told)."""
        self.transition_listeners.append(listener)
        return lambda: self.transition_listeners.remove(listener)

    @callback
    def add_boundary_provider(self, provider: BoundaryProvider) -> CALLBACK_TYPE:
        """Also wake at `provider(now)` (None: no need); rides on the one timer."""
        self.boundaries.append(provider)
        return lambda: self.boundaries.remove(provider)

    def notify_listeners(self) -> None:
        """Tell the entities (and whoever listens) that something changed."""
        for listener in list(self.listeners):
            listener()

    # -- keeping time ---------------------------------------------------------------

    @callback
    def evaluate(self, *_args: Any, context: Context | None = None) -> None:
        """Bring the house in line with the wall clock; re-arm the one timer."""
        self._apply(self.plan.evaluate(dt_util.utcnow(), act=self.started), context)

    def _apply(self, step: Step, cause: Context | None) -> None:
        """Act on a step of the plan: events, house actions, store, timer, entities."""
        now = dt_util.utcnow()
        actions = None
        if step.ended is not None:
            actions = self._finish(step.ended, step.reason or REASON_MANUAL, cause)
        if step.began is not None:
            actions = self._begin(step.began, cause)
        if self.started and (upcoming := self.plan.to_warn(now)) is not None:
            self.save()
            self._fire(
                EVENT_UPCOMING,
                Transition(
                    "upcoming",
                    upcoming.name,
                    upcoming.start,
                    upcoming.end,
                    "schedule",
                    self.context,
                ),
                starts_at=upcoming.start.isoformat(),
            )
        self._arm(now)
        if step.changed and actions is None:
            self.save()  # a transition's house actions write the store themselves
        if actions is None or actions.done():
            self.notify_listeners()
        else:
            self.hass.async_create_task(
                self._async_notify_after(actions), f"{DOMAIN} {self.entry_id} states"
            )

    async def _async_notify_after(self, actions: asyncio.Task[None]) -> None:
        """Write the entities once the house actions are done, or SETTLE_TURNS later."""
        await _settled(actions)
        self.notify_listeners()

    def _fire(self, event: str, transition: Transition, **data: Any) -> None:
        """Tell the insight, then fire the event automations and the logbook see."""
        for listener in list(self.transition_listeners):
            listener(transition)
        payload = {"entry_id": self.entry_id, "name": self.title}
        self.hass.bus.async_fire(
            event,
            {**payload, "window": transition.window, **data},
            context=transition.context,
        )

    def _begin(self, session: Session, cause: Context | None) -> asyncio.Task[None]:
        self.context = Context(parent_id=cause.id if cause else None)
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
                self.context,
            ),
            source=session.source,
            ends_at=session.end.isoformat(),
        )
        return self._spawn(self._async_apply_start(session, self.context))

    def _finish(
        self, session: Session, reason: str, cause: Context | None
    ) -> asyncio.Task[None]:
        self.context = Context(parent_id=cause.id if cause else None)
        last = self.plan.last_session or {}
        ended = dt_util.parse_datetime(str(last.get("end"))) or dt_util.utcnow()
        LOGGER.info("%s: partner time ends (%s)", self.title, reason)
        self._fire(
            EVENT_ENDED,
            Transition(
                "ended", session.window, session.start, ended, reason, self.context
            ),
            reason=reason,
            duration=round(max(0.0, (ended - session.start).total_seconds())),
            missed_calls=len(self.plan.calls),
        )
        return self._spawn(self._async_apply_end(session, self.context))

    def _spawn(self, coro: Any) -> asyncio.Task[None]:
        task: asyncio.Task[None] = self.hass.async_create_background_task(
            coro, f"{DOMAIN} {self.entry_id} house actions"
        )
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task

    def _others(self) -> list[PartnerTimeEngine]:
        """Return the other loaded households."""
        engines = self.hass.data.get(ENGINES, {}).values()
        return [engine for engine in engines if engine is not self]

    def _heirs(self) -> list[Applied]:
        """Return what the other running households changed (they may share targets)."""
        return [
            session.applied
            for engine in self._others()
            if (session := engine.plan.session) is not None
            and session.applied is not None
        ]

    def _save_others(self) -> None:
        for engine in self._others():
            engine.save()

    async def _async_apply_start(self, session: Session, context: Context) -> None:
        if self.lock.locked():  # earlier actions still run: record the session now
            self.save()
        async with self.lock:
            if self.plan.session is not session:
                return  # ended before its turn came: nothing to do or undo
            taken = {target for heir in self._heirs() for target in heir.claims()}
            applied = self.house.plan_start(self.settings, context, taken)
            session.applied = applied
            # the calls go out first (eagerly); the record follows once they are done
            house = create_eager_task(
                self.house.async_start(self.settings, applied, context)
            )
            await _settled(house)
            await asyncio.gather(self.store.async_save(self.plan.as_store()), house)
            self.watch.check_targets()

    async def _async_apply_end(self, session: Session, context: Context) -> None:
        if self.lock.locked():  # earlier actions still run: record the end now
            self.save()
        async with self.lock:
            applied = session.applied
            if applied is not None:  # what another running household wants, it keeps
                for heir in self._heirs():
                    for target in applied.claims() & heir.claims():
                        applied.hand_over(target, heir)
                self._save_others()
            await self.store.async_save(self.plan.as_store())
            if applied is not None:
                await self.house.async_end(self.settings, applied, context)
            self.watch.check_targets()

    def _arm(self, now: datetime) -> None:
        if not self.live:  # not set up (a deleted household's last stop) or unloaded
            return
        candidates = [self.plan.wake_at(now)]
        candidates += [provider(now) for provider in self.boundaries]
        when = min((t for t in candidates if t is not None and t > now), default=None)
        if when == self.next_timer and self.unsub_timer is not None:
            return
        self._cancel_timer()
        self.next_timer = when
        if when is not None:
            self.unsub_timer = async_track_point_in_utc_time(self.hass, self.wake, when)

    def _cancel_timer(self) -> None:
        if self.unsub_timer is not None:
            self.unsub_timer()
            self.unsub_timer = None
        self.next_timer = None

    @callback
    def wake(self, _when: datetime | None = None) -> None:
        """Re-evaluate: the timer fired, or a stray, early or repeated call came."""
        self._cancel_timer()
        self.evaluate()

    # -- what people ask for ----------------------------------------------------------

    def _do(self, request: Callable[[datetime], Step], context: Context | None) -> None:
        try:
            step = request(dt_util.utcnow())
        except Refused as err:
            raise self.refusal(err) from None
        self._apply(step, context)

    def refusal(self, err: Refused) -> ServiceValidationError:
        """Return the translated error for a refused request."""
        return ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key=err.key,
            translation_placeholders={"name": self.title, **err.placeholders},
        )

    def start(
        self,
        duration: timedelta | None = None,
        context: Context | None = None,
        *,
        source: str = SOURCE_MANUAL,
    ) -> None:
        """Start now (for `duration`); a running session is never shortened."""
        if self.plan.session is None:
            self.guard.count(context, source)
        self._do(lambda now: self.plan.start(now, duration, source), context)

    def stop(
        self, context: Context | None = None, *, reason: str = REASON_MANUAL
    ) -> None:
        """End now; the agreed time already begun does not start again."""
        self._do(lambda now: self.plan.stop(now, reason), context)

    def extend(
        self,
        duration: timedelta,
        context: Context | None = None,
        *,
        source: str = SOURCE_MANUAL,
    ) -> None:
        """Make the running session longer (at most a day in all)."""
        self._do(lambda now: self.plan.extend(now, duration, source), context)

    def skip(
        self, until: datetime | None = None, context: Context | None = None
    ) -> None:
        """Leave out the next agreed time, or every one that starts before `until`."""
        self._do(lambda now: self.plan.skip(now, until), context)

    def unskip(self, context: Context | None = None) -> None:
        """Undo the skips: the agreed times ahead start as agreed."""
        self._do(self.plan.unskip, context)

    def set_schedule_enabled(
        self, *, enabled: bool, context: Context | None = None
    ) -> None:
        """Pause or follow the agreed times (resuming inside one starts it)."""
        if enabled and self.plan.resumes_into_window(dt_util.utcnow()):
            self.guard.count(context, SOURCE_MANUAL)
        self._do(
            lambda now: self.plan.set_schedule(
                now, enabled=enabled, reason=REASON_MANUAL
            ),
            context,
        )

    # -- what the house reports -------------------------------------------------------

    def record(self, result: Result) -> None:
        """Keep the outcome of the last call to a target (diagnostics, repairs)."""
        self.results[result.target] = result
        if result.outcome == "missing":
            self.watch.set_missing(result.target, missing=True)
