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

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from homeassistant.const import EVENT_CORE_CONFIG_UPDATE
from homeassistant.core import CALLBACK_TYPE, Context, HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.start import async_at_started
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .actions import ENGINES, Actions, settled
from .const import (
    DOMAIN,
    REASON_DELETED,
    REASON_MANUAL,
    SOURCE_MANUAL,
)
from .events import Announcer
from .guard import LoopGuard
from .house import House
from .plan import (
    STORAGE_VERSION,
    Plan,
    Refused,
    Rules,
    Step,
    as_store,
    paused_by,
    status_of,
)
from .storage import async_load_plan
from .timer import OneTimer
from .watch import Watch

if TYPE_CHECKING:
    import asyncio

    from .events import TransitionListener
    from .record import Session
    from .settings import Settings


type Listener = Callable[[], None]


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
        self.timer = OneTimer(hass, self.wake)
        self.context = Context()
        self.guard = LoopGuard(hass, entry_id, title)
        self.watch = Watch(hass, self)
        self.house = House(hass, self.watch.on_result)
        self.started = False
        self.live = False
        self.unsubs: list[CALLBACK_TYPE] = []
        self.listeners: list[Listener] = []
        self.announce = Announcer(hass, entry_id, title)
        self.actions = Actions(self)

    @property
    def tz(self) -> ZoneInfo:
        """The household's time zone: HA's."""
        return ZoneInfo(self.hass.config.time_zone)

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
    def status(self) -> str:
        """active, upcoming, paused or idle."""
        return status_of(self.plan, dt_util.utcnow())

    @property
    def paused_by(self) -> str | None:
        """Why the agreed times are paused, if they are."""
        return paused_by(self.plan, dt_util.utcnow())

    async def async_setup(self) -> None:
        """Load what was persisted, start listening, and evaluate once HA has started."""
        await async_load_plan(self)
        self.live = True
        self.hass.data.setdefault(ENGINES, {})[self.entry_id] = self
        self.unsubs += [
            self.hass.bus.async_listen(  # a new time zone: the rules' too
                EVENT_CORE_CONFIG_UPDATE,
                callback(lambda _event: self.apply_settings(self.settings)),
            ),
        ]
        self.watch.track()
        self.plan.evaluate(dt_util.utcnow(), act=False)  # the truth, before acting

    @callback
    def async_run(self) -> None:
        """Act once HA has started (and the entities exist, so automations see them)."""
        self.unsubs.append(async_at_started(self.hass, self._on_started))

    async def _on_started(self, _hass: HomeAssistant) -> None:
        self.started = True
        self.watch.check_targets()
        self.evaluate()

    async def async_unload(self) -> None:
        """Stop the timer and listeners; the session stays persisted for the next load."""
        self.live = False
        self.timer.cancel()
        for unsub in self.unsubs:
            unsub()
        self.unsubs.clear()
        self.watch.stop()
        self.listeners.clear()
        self.announce.listeners.clear()
        self.timer.providers.clear()
        if self.hass.data.get(ENGINES, {}).get(self.entry_id) is self:
            del self.hass.data[ENGINES][self.entry_id]
        await self.async_save()  # a reload reads it at once

    async def async_end_for_good(self, reason: str = REASON_DELETED) -> None:
        """End a session and restore the house: the entry goes away or is disabled."""
        self._apply(self.plan.stop(dt_util.utcnow(), reason), None)
        await self.async_wait_actions()
        await self.async_save()

    async def async_wait_actions(self) -> None:
        """Wait until the house actions issued so far are done."""
        await self.actions.async_wait()

    @callback
    def apply_settings(self, settings: Settings) -> None:
        """Take new settings over in place: nothing repeated, nothing interrupted."""
        self.settings = settings
        self.plan.rules = rules_of(settings, self.tz)
        self.watch.track()
        if self.started:
            self.watch.check_targets()
        self.evaluate()

    def save(self) -> None:
        """Persist soon (coalesced); a transition's record still to come takes it along."""
        if not self.actions.recording:
            self.write_soon()

    def write_soon(self) -> None:
        """Persist soon (coalesced), whatever is under way."""
        self.store.async_delay_save(lambda: as_store(self.plan), 0)

    async def async_save(self) -> None:
        """Persist now."""
        await self.store.async_save(as_store(self.plan))

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
        return self.announce.async_add_listener(listener)

    def notify_listeners(self) -> None:
        """Tell the entities (and whoever listens) that something changed."""
        for listener in list(self.listeners):
            listener()

    @callback
    def evaluate(self, *_args: Any, context: Context | None = None) -> None:
        """Bring the house in line with the wall clock; re-arm the one timer."""
        self.plan.presence = self.watch.presence()
        self._apply(self.plan.evaluate(dt_util.utcnow(), act=self.started), context)

    def _apply(self, step: Step, cause: Context | None) -> None:
        """Act on a step of the plan: events, house actions, store, timer, entities."""
        now = dt_util.utcnow()
        actions = None
        if step.ended is not None:
            ended = step.ended_at or now
            actions = self._finish(
                step.ended, ended, step.reason or REASON_MANUAL, cause
            )
        if step.began is not None:
            actions = self._begin(step.began, cause)
        if self.started and (upcoming := self.plan.to_warn(now)) is not None:
            self.save()
            self.announce.upcoming(upcoming, self.context)
        if step.lapsed is not None:
            self.announce.proposal("lapsed", step.lapsed, self.context)
        self._arm(now)
        if step.changed and actions is None:
            self.save()  # a transition's house actions write the store themselves
        if actions is None or actions.done():
            self.notify_listeners()
        else:
            self.hass.async_create_task(
                self._async_notify_after(actions), f"{DOMAIN} {self.entry_id} states"
            )

    async def _async_notify_after(self, house: asyncio.Future[None]) -> None:
        """Write the entities once the house has settled (see `Actions`).

        At most SETTLE_TURNS loop turns from now: a transition before may still hold
        the house's lock.
        """
        await settled(house)
        self.notify_listeners()

    def _begin(self, session: Session, cause: Context | None) -> asyncio.Future[None]:
        self.context = Context(parent_id=cause.id if cause else None)
        self.actions.expect()
        self.announce.started(session, self.context)
        return self.actions.start(session, self.context)

    def _finish(
        self, session: Session, ended: datetime, reason: str, cause: Context | None
    ) -> asyncio.Future[None]:
        self.context = Context(parent_id=cause.id if cause else None)
        self.actions.expect()
        self.announce.ended(session, ended, reason, len(self.plan.calls), self.context)
        return self.actions.end(session, self.context)

    def _arm(self, now: datetime) -> None:
        if not self.live:  # not set up (a deleted household's last stop) or unloaded
            return
        self.timer.arm_first(now, self.plan.wake_at(now))
        self.watch.follow(
            due=self.plan.situation.current is not None,
            running=self.plan.session is not None,
        )

    @callback
    def wake(self, _when: datetime | None = None) -> None:
        """Re-evaluate: the timer fired, or a stray, early or repeated call came."""
        self.timer.cancel()
        self.evaluate()

    def do(self, request: Callable[[datetime], Step], context: Context | None) -> None:
        """Carry out a request of the plan; a refusal is a translated error."""
        self.plan.presence = self.watch.presence()
        try:
            step = request(dt_util.utcnow())
        except Refused as err:
            raise refusal(err, self.title) from None
        self._apply(step, context)

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
        self.do(lambda now: self.plan.start(now, duration, source), context)

    def stop(
        self, context: Context | None = None, *, reason: str = REASON_MANUAL
    ) -> None:
        """End now; the agreed time already begun does not start again."""
        self.do(lambda now: self.plan.stop(now, reason), context)

    def extend(
        self,
        duration: timedelta,
        context: Context | None = None,
        *,
        source: str = SOURCE_MANUAL,
    ) -> None:
        """Make the running session longer (at most a day in all)."""
        self.do(lambda now: self.plan.extend(now, duration, source), context)

    def skip(
        self, until: datetime | None = None, context: Context | None = None
    ) -> None:
        """Leave out the next agreed time, or every one that starts before `until`."""
        self.do(lambda now: self.plan.skip(now, until), context)

    def unskip(self, context: Context | None = None) -> None:
        """Undo the skips: the agreed times ahead start as agreed."""
        self.do(self.plan.unskip, context)

    def set_schedule_enabled(
        self, *, enabled: bool, context: Context | None = None
    ) -> None:
        """Pause or follow the agreed times (resuming inside one starts it)."""
        if enabled and self.plan.resumes_into_window(dt_util.utcnow()):
            self.guard.count(context, SOURCE_MANUAL)
        self.do(
            lambda now: self.plan.set_schedule(
                now, enabled=enabled, reason=REASON_MANUAL
            ),
            context,
        )


def refusal(err: Refused, title: str) -> ServiceValidationError:
    """Return the translated error for a request the plan refused."""
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=err.key,
        translation_placeholders={"name": title, **err.placeholders},
    )
