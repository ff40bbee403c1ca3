"""The session engine of one household: decides when partner time is on and acts on it.

One point-in-time timer is armed at the next boundary (a session's end, the next start, or
the warning before it) and re-armed after every transition. Nothing polls. The truth is
recomputed from the wall clock on every timer, every action and every core config change,
so a late, early or repeated callback changes nothing it should not.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
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
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.event import (
    async_track_point_in_utc_time,
    async_track_state_change_event,
)
from homeassistant.helpers.start import async_at_started
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util
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
from .house import Applied, House, Result
from .schedule import Occurrence, Situation, situation
from .settings import Settings

STORAGE_VERSION = 1
RINGING = "ringing"
LOOKBACK = timedelta(days=2)
LOCKS: HassKey[dict[str, asyncio.Lock]] = HassKey(f"{DOMAIN}_locks")


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _dt(value: Any) -> datetime | None:
    return dt_util.parse_datetime(value) if isinstance(value, str) else None


@dataclass(slots=True)
class Session:
    """The session in progress."""

    start: datetime
    end: datetime
    source: str
    name: str
    manual_end: bool
    applied: Applied | None = None

    def as_dict(self) -> dict[str, Any]:
        """Serialize for the store."""
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "source": self.source,
            "name": self.name,
            "manual_end": self.manual_end,
            "applied": self.applied.as_dict() if self.applied else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Session:
        """Read back from the store."""
        start, end = _dt(data["start"]), _dt(data["end"])
        if start is None or end is None:
            msg = "session without start or end"
            raise ValueError(msg)
        applied = data.get("applied")
        return cls(
            start=start,
            end=end,
            source=str(data["source"]),
            name=str(data["name"]),
            manual_end=bool(data.get("manual_end")),
            applied=Applied.from_dict(applied) if applied else None,
        )


type Listener = Callable[[], None]


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
        self._listeners: list[Listener] = []
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
        targets = [t for t in self.settings.targets() if not t.startswith("notify.")]
        if targets:
            self._unsubs.append(
                async_track_state_change_event(
                    self.hass, targets, self._on_target_state
                )
            )
        if self.settings.call_sensors:
            self._unsubs.append(
                async_track_state_change_event(
                    self.hass, list(self.settings.call_sensors), self._on_call_sensor
                )
            )
        self._unsubs.append(async_at_started(self.hass, self._on_started))
        # Show the truth at once, without acting on the house before HA has started.
        self.situation = self._situation(dt_util.utcnow())

    async def _on_started(self, _hass: HomeAssistant) -> None:
        self._started = True
        self.check_targets()
        self.evaluate()

    async def async_unload(self) -> None:
        """Stop the timer and listeners; the session stays persisted for the next load."""
        self._cancel_timer()
        for unsub in self._unsubs:
            unsub()
        self._unsubs.clear()
        self._listeners.clear()
        self.save()

    async def async_end_for_good(self) -> None:
        """The entry goes away (disabled or deleted): end a session and restore."""
        if self.session is not None:
            self._finish(dt_util.utcnow(), REASON_MANUAL, Context())
        await self.async_wait_actions()
        await self.store.async_save(self._as_store())

    async def async_wait_actions(self) -> None:
        """Wait until the house actions issued so far are done."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    # -- persistence ----------------------------------------------------------------

    async def async_load(self) -> None:
        """Read the persisted session, skips and history (a damaged store is ignored)."""
        try:
            data = await self.store.async_load()
        except (ValueError, TypeError) as err:
            LOGGER.error("Partner time store of %s is unreadable: %s", self.title, err)
            data = None
        if not data:
            return
        try:
            self._from_store(data)
        except (KeyError, ValueError, TypeError) as err:
            LOGGER.error("Partner time store of %s is damaged: %s", self.title, err)

    def _from_store(self, data: dict[str, Any]) -> None:
        session = data.get("session")
        self.session = Session.from_dict(session) if session else None
        manual = data.get("manual")
        start, end = (
            (_dt(manual["start"]), _dt(manual["end"])) if manual else (None, None)
        )
        self.manual = (
            Occurrence(str(manual["name"]), start, end, manual=True)
            if manual and start and end
            else None
        )
        self.exclude = self._intervals(data.get("exclude", []))
        self.skips = self._intervals(data.get("skips", []))
        self.schedule_enabled = bool(data.get("schedule_enabled", True))
        self.warned_for = _dt(data.get("warned_for"))
        self.calls = [dict(call) for call in data.get("calls", [])]
        self.last_session = data.get("last_session")
        self.extra = dict(data.get("extra", {}))

    @staticmethod
    def _intervals(raw: list[list[str]]) -> list[tuple[datetime, datetime]]:
        out = []
        for first, second in raw:
            a, b = _dt(first), _dt(second)
            if a and b:
                out.append((a, b))
        return out

    def _as_store(self) -> dict[str, Any]:
        return {
            "session": self.session.as_dict() if self.session else None,
            "manual": {
                "name": self.manual.name,
                "start": self.manual.start.isoformat(),
                "end": self.manual.end.isoformat(),
            }
            if self.manual
            else None,
            "exclude": [[a.isoformat(), b.isoformat()] for a, b in self.exclude],
            "skips": [[a.isoformat(), b.isoformat()] for a, b in self.skips],
            "schedule_enabled": self.schedule_enabled,
            "warned_for": _iso(self.warned_for),
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

    def _notify_listeners(self) -> None:
        for listener in list(self._listeners):
            listener()

    # -- what is true now -----------------------------------------------------------

    def _situation(self, now: datetime, *, with_skips: bool = True) -> Situation:
        windows = self.settings.windows if self.schedule_enabled else ()
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
        """The warning instant of the next session if we are in its lead time."""
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
        if current is not None and self.session is None:
            if self._started:
                self._begin(current, now, source, context or Context())
                changed = True
        elif current is None and self.session is not None:
            if self._started:
                end_reason = reason or (
                    REASON_EXPIRED if self.session.manual_end else REASON_SCHEDULE
                )
                self._finish(now, end_reason, context or Context())
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
        if changed:
            self.save()
        self._notify_listeners()

    def _next_is_skipped(self, now: datetime, sit: Situation) -> bool:
        unskipped = self._situation(now, with_skips=False).next
        return unskipped is not None and (
            sit.next is None or unskipped.start < sit.next.start
        )

    def _begin(
        self, current: Occurrence, now: datetime, source: str, context: Context
    ) -> None:
        self.context = Context(parent_id=context.id)
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
        self._spawn(self._async_apply_start(self.session, self.context))

    def _finish(self, now: datetime, reason: str, context: Context) -> None:
        session = self.session
        if session is None:  # pragma: no cover - callers check
            return
        self.context = Context(parent_id=context.id)
        self.session = None
        self.manual = None
        duration = max(0.0, (now - session.start).total_seconds())
        self.last_session = {
            "name": session.name,
            "start": session.start.isoformat(),
            "end": now.isoformat(),
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
        self._spawn(self._async_apply_end(session, self.context))

    def _spawn(self, coro: Any) -> None:
        task: asyncio.Task[None] = self.hass.async_create_background_task(
            coro, f"{DOMAIN} {self.entry_id} house actions"
        )
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _async_apply_start(self, session: Session, context: Context) -> None:
        async with self.lock:
            if self.session is not session:
                return  # ended before its turn came: nothing to do or undo
            applied = self._house.plan_start(self.settings, context)
            session.applied = applied
            await asyncio.gather(
                self.store.async_save(self._as_store()),
                self._house.async_start(self.settings, applied, context),
            )
            self.check_targets()

    async def _async_apply_end(self, session: Session, context: Context) -> None:
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
        # a skipped session's end: the status goes from paused back to idle then
        candidates += [end for _start, end in self.skips if end > now]
        if sit.next is not None and self.settings.lead_time and self.session is None:
            warn_at = sit.next.start - timedelta(minutes=self.settings.lead_time)
            if warn_at > now:
                candidates.append(warn_at)
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
    def _on_timer(self, now: datetime) -> None:
        self._unsub_timer = None
        self.next_timer = None
        self.evaluate(max(now, dt_util.utcnow()))

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
        self, enabled: bool, context: Context | None = None
    ) -> None:
        """Pause or resume the agreed times."""
        self.schedule_enabled = enabled
        self.save()
        self.evaluate(reason=REASON_MANUAL, context=context)

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
        issue_id = f"missing_target_{self.entry_id}_{target}"
        if missing:
            ir.async_create_issue(
                self.hass,
                DOMAIN,
                issue_id,
                is_fixable=False,
                severity=ir.IssueSeverity.WARNING,
                translation_key="missing_target",
                translation_placeholders={"target": target, "name": self.title},
            )
        else:
            ir.async_delete_issue(self.hass, DOMAIN, issue_id)

    @callback
    def _on_target_state(self, event: Event[EventStateChangedData]) -> None:
        if self._started:
            target = event.data["entity_id"]
            self._set_missing(target, missing=event.data["new_state"] is None)

    @callback
    def _on_service_registered(self, event: Event[Any]) -> None:
        if self._started and event.data.get("domain") == "notify":
            self.check_targets()
