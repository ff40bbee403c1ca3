"""The household's rules, without Home Assistant: what is true now and what must happen.

`Plan` holds one household's state (the session, its manual part, the agreed times done
or skipped, the schedule on or off, the warning given, the calls held back or let
through, the messages held, the week's total) and answers every question about it
from the wall clock: the situation now, the status, the sessions between two instants
(the calendar), when to wake next. Its
transitions (`evaluate`, `start`, `stop`, `extend`, `skip`, `unskip`, `set_schedule`)
change the state and return a `Step`: the session that began or ended, for the engine
to act on in the house. A request that cannot be done raises `Refused` and changes
nothing. The store's format (`as_store`, `from_store`) lives here too.

Wall-clock jumps: a jump forward is just a late evaluation; a window wholly jumped over
starts nothing, one jumped into starts at once. A clock set back (by less than
LOOKBACK) runs nothing twice: a finished session marks what started before its end as
done, and a running one is kept until the clock reaches its start again.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

from homeassistant.util import dt as dt_util

from .const import (
    REASON_AWAY,
    REASON_EXPIRED,
    REASON_SCHEDULE,
    SOURCE_AGREED,
    SOURCE_SCHEDULE,
    STATUS_ACTIVE,
    STATUS_IDLE,
    STATUS_PAUSED,
    STATUS_PROPOSED,
    STATUS_UPCOMING,
    STATUS_WAITING,
)
from .held import Held
from .presence import Presence
from .proposal import Proposal
from .record import (
    Interval,
    Session,
    Week,
    dump_intervals,
    dump_manual,
    instant,
    iso,
    load_intervals,
    load_manual,
)
from .schedule import Occurrence, Situation, merge, situation, window_occurrences

if TYPE_CHECKING:
    from collections.abc import Sequence
    from zoneinfo import ZoneInfo

    from .schedule import Window

STORAGE_VERSION: Final = 1
LOOKBACK: Final = timedelta(days=2)
MAX_SESSION: Final = timedelta(hours=24)
"""A session made longer by hand lasts at most this long in total."""
HORIZON: Final = timedelta(days=400)
"""How far ahead the calendar lists agreed times."""
ONE_US: Final = timedelta(microseconds=1)
PAUSED_SCHEDULE_OFF: Final = "schedule_off"
PAUSED_SKIPPED: Final = "skipped"


class Refused(Exception):  # noqa: N818 - reads as "the request was refused"
    """A request the rules refuse; `key` names the translated reason."""

    def __init__(self, key: str, **placeholders: str) -> None:
        """Remember the reason and what to fill into its sentence."""
        super().__init__(key)
        self.key = key
        self.placeholders = placeholders


@dataclass(frozen=True, slots=True)
class Rules:
    """What the rules need to know of the household's settings."""

    windows: Sequence[Window]
    tz: ZoneInfo
    lead_time: timedelta = timedelta(0)
    default_duration: timedelta = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class Step:
    """What a transition means for the house: a session began and/or one ended."""

    began: Session | None = None
    ended: Session | None = None
    ended_at: datetime | None = None
    """When the session that ended did (its end, if that passed while HA was down)."""
    reason: str | None = None
    changed: bool = False
    lapsed: Proposal | None = None


@dataclass(slots=True)
class Plan:
    """One household's state and its rules."""

    rules: Rules
    session: Session | None = None
    manual: Occurrence | None = None
    done: list[Interval] = field(default_factory=list)
    skips: list[Interval] = field(default_factory=list)
    schedule_enabled: bool = True
    warned_for: datetime | None = None
    calls: list[dict[str, Any]] = field(default_factory=list)
    through: list[dict[str, Any]] = field(default_factory=list)
    held: Held = field(default_factory=Held)
    last_session: dict[str, Any] | None = None
    week: Week = field(default_factory=Week)
    presence: Presence = field(default_factory=Presence)
    proposal: Proposal | None = None
    situation: Situation = field(default_factory=lambda: Situation(None, None))

    # -- what is true ---------------------------------------------------------------

    def situation_at(
        self, now: datetime, *, with_skips: bool = True, enabled: bool | None = None
    ) -> Situation:
        """Return the merged session at `now` and the next one."""
        enabled = self.schedule_enabled if enabled is None else enabled
        windows = self.rules.windows if enabled else ()
        extra = [self.manual] if self.manual and self.manual.end > now else []
        exclude = [*self.done, *self.skips] if with_skips else self.done
        return situation(windows, self.rules.tz, now, extra=extra, exclude=exclude)

    @property
    def next_start(self) -> datetime | None:
        """When the next session starts."""
        return self.situation.next.start if self.situation.next else None

    @property
    def window_name(self) -> str | None:
        """The agreed time that runs or waits (for people), else the next one.

        None for a session started by hand.
        """
        if self.session is not None:
            return self.session.window
        shown = self.situation.current or self.situation.next
        return shown.name if shown and not shown.manual else None

    def warn_at(self, now: datetime) -> datetime | None:
        """Return the warning instant of the next agreed time, if we are in its lead time."""
        upcoming = self.situation.next
        lead = self.rules.lead_time
        if upcoming is None or upcoming.manual or not lead or self.session:
            return None
        warn_at = upcoming.start - lead
        return warn_at if warn_at <= now < upcoming.start else None

    def to_warn(self, now: datetime) -> Occurrence | None:
        """Return the agreed time to warn of now, once (marks it warned)."""
        upcoming = self.situation.next
        if self.warn_at(now) is None or upcoming is None:
            return None
        if self.warned_for == upcoming.start:
            return None
        self.warned_for = upcoming.start
        return upcoming

    def wake_at(self, now: datetime) -> datetime | None:
        """Return the next instant at which something changes: one timer waits for it."""
        sit = self.situation
        candidates = [t for t in (sit.next_transition,) if t is not None]
        if self.proposal is not None:  # it lapses then
            candidates.append(self.proposal.until)
        # a session kept across a clock set back: look again when its start comes
        if self.session is not None and self.session.start > now:
            candidates.append(self.session.start)
        # a skipped agreed time's end: the status goes from paused back to idle then
        candidates += [end for _start, end in self.skips if end > now]
        if sit.next is not None and self.rules.lead_time and self.session is None:
            warn_at = sit.next.start - self.rules.lead_time
            if warn_at > now:
                candidates.append(warn_at)
        return min(candidates, default=None)

    # -- transitions ----------------------------------------------------------------

    def evaluate(
        self,
        now: datetime,
        *,
        act: bool = True,
        source: str = SOURCE_SCHEDULE,
        reason: str | None = None,
    ) -> Step:
        """Bring the session in line with the wall clock.

        `act` is False before HA has started: the truth is shown, nothing begins or
        ends yet.
        """
        lapsed = None
        if self.proposal is not None and self.proposal.until <= now:
            lapsed, self.proposal = self.proposal, None
        step = self._evaluate(now, act=act, source=source, reason=reason)
        return replace(step, lapsed=lapsed) if lapsed else step

    def _evaluate(
        self, now: datetime, *, act: bool, source: str, reason: str | None
    ) -> Step:
        self.done = [(a, b) for a, b in self.done if b > now - LOOKBACK]
        self.skips = [(a, b) for a, b in self.skips if b > now]
        if self.manual and self.manual.end <= now:
            self.manual = None
        sit = self.situation = self.situation_at(now)
        away = not self.presence.holds  # agreed times wait; a start by hand does not
        current, session = (self._by_hand(now) if away else sit.current), self.session
        if self._held(now, current, reason):
            return Step()
        if current is not None and session is None and act:
            return Step(began=self._begin(current, now, source), changed=True)
        if current is None and session is not None and act:
            if reason is None and away and sit.current is not None:
                reason = REASON_AWAY  # the agreed time starts again if they are back
            elif reason is None:
                self._done_until(now)
            end_reason = reason or (
                REASON_EXPIRED if session.manual_end else REASON_SCHEDULE
            )
            ended_at = self._finish(session, now, end_reason)
            return Step(
                ended=session, ended_at=ended_at, reason=end_reason, changed=True
            )
        if (
            current is not None
            and session is not None
            and (session.end, session.manual_end) != (current.end, current.manual)
        ):
            session.end, session.manual_end = current.end, current.manual
            return Step(changed=True)
        return Step()

    def _by_hand(self, now: datetime) -> Occurrence | None:
        """Return the session now of the part started by hand alone."""
        extra = [self.manual] if self.manual and self.manual.end > now else []
        return situation((), self.rules.tz, now, extra=extra).current

    def propose(self, proposal: Proposal) -> Step:
        """Propose partner time (it replaces a pending proposal)."""
        self.proposal = proposal
        return Step(changed=True)

    def answer(self, now: datetime, *, yes: bool) -> Step:
        """Accept (start partner time for the proposed duration) or decline."""
        proposal = self.proposal
        if proposal is None:
            raise Refused("nothing_proposed")
        self.proposal = None
        if not yes:
            return Step(changed=True)
        return replace(self.start(now, proposal.duration, SOURCE_AGREED), changed=True)

    def _begin(self, current: Occurrence, now: datetime, source: str) -> Session:
        self.calls, self.through = [], []
        self.session = Session(
            start=now,
            end=current.end,
            source=source,
            name=current.name,
            manual_end=current.manual,
        )
        return self.session

    def _finish(self, session: Session, now: datetime, reason: str) -> datetime:
        self.session = None
        self.manual = None
        # a session whose end passed while HA was down lasted until its end, not now
        ended = min(now, session.end)
        self.last_session = {
            "name": session.name,
            "start": session.start.isoformat(),
            "end": ended.isoformat(),
            "reason": reason,
            "missed_calls": len(self.calls),
        }
        return ended

    def _held(
        self, now: datetime, current: Occurrence | None, reason: str | None
    ) -> bool:
        """Whether the clock was set back to before the session began.

        Then the session is kept until the clock reaches its start again: ending it
        now and starting it again later would run everything twice. Only when nobody
        asked to end it, only for jumps shorter than LOOKBACK, and not when an
        occurrence that reaches into the session (e.g. an extension) is current.
        """
        session = self.session
        return (
            session is not None
            and reason is None
            and session.start - LOOKBACK <= now < session.start
            and (current is None or current.end <= session.start)
        )

    def _done_until(self, now: datetime) -> None:
        """Mark what started up to `now` as done: it ran, or it was stopped."""
        low = now - LOOKBACK
        self.done = [(a, b) for a, b in self.done if not (low <= a and b <= now)]
        self.done.append((low, now + ONE_US))

    def start(self, now: datetime, duration: timedelta | None, source: str) -> Step:
        """Start now: for `duration`, else to the agreed time's end or the default.

        A start never shortens a running session: it ends at the later of its end
        and now + duration. Without a duration a running session is left as it is.
        """
        session = self.session
        if session is not None:
            if duration is None:
                return Step()
            self._lengthen(now, max(session.end, now + duration))
        else:
            current = self.situation.current
            if duration is None and current is not None:
                duration = current.end - now
            length = duration or self.rules.default_duration
            self.manual = Occurrence("", now, now + length, manual=True)
        return self.evaluate(now, source=source)

    def extend(self, now: datetime, duration: timedelta, source: str) -> Step:
        """Make the running session longer; refused when none runs or past a day."""
        if self.session is None:
            raise Refused("not_active")
        self._lengthen(now, self.session.end + duration)
        return self.evaluate(now, source=source)

    def _lengthen(self, now: datetime, end: datetime) -> None:
        session = self.session
        if session is None:  # pragma: no cover - callers check
            return
        if end - session.start > MAX_SESSION:
            raise Refused(
                "too_long",
                hours=str(round(MAX_SESSION.total_seconds() / 3600)),
                since=dt_util.as_local(session.start).strftime("%H:%M"),
            )
        self.manual = Occurrence("", now, end, manual=True)

    def stop(self, now: datetime, reason: str) -> Step:
        """End now; the agreed time already begun does not start again, later ones do."""
        if self.session is None:
            return Step()
        self.manual = None
        self._done_until(now)
        return self.evaluate(now, reason=reason)

    def skip(self, now: datetime, until: datetime | None) -> Step:
        """Leave out the next agreed time, or every one that starts before `until`."""
        if until is not None:
            if until <= now:
                raise Refused(
                    "until_in_past",
                    until=dt_util.as_local(until).strftime("%Y-%m-%d %H:%M"),
                )
            self.skips.append((now, until))
        else:
            upcoming = self.situation_at(now).next
            if upcoming is None or upcoming.manual:
                raise Refused("nothing_to_skip")
            self.skips.append((upcoming.start, upcoming.end))
        self.evaluate(now)
        return Step(changed=True)

    def unskip(self, now: datetime) -> Step:
        """Undo every skip: the agreed times ahead start as agreed again."""
        if not self.skips:
            raise Refused("nothing_skipped")
        self.skips = []
        self.evaluate(now)
        return Step(changed=True)

    def set_schedule(self, now: datetime, *, enabled: bool, reason: str) -> Step:
        """Pause or follow the agreed times; following them again clears the skips."""
        if enabled and not self.schedule_enabled:
            self.skips = []
        self.schedule_enabled = enabled
        step = self.evaluate(now, reason=reason)
        return replace(step, changed=True)

    def resumes_into_window(self, now: datetime) -> bool:
        """Whether following the agreed times again would start one now."""
        return (
            not self.schedule_enabled
            and self.session is None
            and self.situation_at(now, enabled=True).current is not None
        )


def _load_week(data: dict[str, Any]) -> Week:
    """Read the week from the store (also the older place, `extra.week`); damage reads empty."""
    raw = data.get("week") or (data.get("extra") or {}).get("week")
    if not isinstance(raw, dict):
        return Week()
    start = dt_util.parse_datetime(str(raw.get("start")))
    seconds = raw.get("seconds")
    if not isinstance(seconds, int | float) or isinstance(seconds, bool):
        seconds = 0.0
    return Week(start, max(0.0, float(seconds)))


def as_store(plan: Plan) -> dict[str, Any]:
    """Return what is kept across restarts."""
    return {
        "session": plan.session.as_dict() if plan.session else None,
        "manual": dump_manual(plan.manual),
        "exclude": dump_intervals(plan.done),
        "skips": dump_intervals(plan.skips),
        "schedule_enabled": plan.schedule_enabled,
        "warned_for": iso(plan.warned_for),
        "calls": plan.calls,
        "through": plan.through,
        "held": plan.held.as_dict(),
        "last_session": plan.last_session,
        "week": {"start": iso(plan.week.start), "seconds": plan.week.seconds},
        "proposal": plan.proposal.as_dict() if plan.proposal else None,
    }


def from_store(plan: Plan, data: object) -> None:
    """Take over what the store holds, all or nothing; raise on anything damaged."""
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
    done = load_intervals(data.get("exclude", []))
    skips = load_intervals(data.get("skips", []))
    warned_for = instant(data.get("warned_for"))
    calls = [dict(call) for call in data.get("calls", [])]
    through = [dict(call) for call in data.get("through", [])]
    held = Held.from_dict(data.get("held"))
    week = _load_week(data)
    proposal = Proposal.from_dict(data["proposal"]) if data.get("proposal") else None
    plan.session, plan.manual = session, manual
    plan.done, plan.skips = done, skips
    plan.schedule_enabled = bool(data.get("schedule_enabled", True))
    plan.warned_for = warned_for
    plan.calls, plan.through, plan.held = calls, through, held
    plan.last_session = last_session
    plan.week = week
    plan.proposal = proposal


def set_aside(plan: Plan, now: datetime) -> None:
    """Start afresh after a damaged store: nothing that began before now starts."""
    plan.done = [(now - LOOKBACK, now + ONE_US)]


def sessions_between(
    plan: Plan, start: datetime, end: datetime, now: datetime
) -> list[Occurrence]:
    """Return the current session and the sessions ahead overlapping [start, end)."""
    found: list[Occurrence] = []
    current = plan.session
    if current is not None:
        found.append(Occurrence(current.name, current.start, current.end))
    until = min(end, now + HORIZON)
    if until > now:
        windows = plan.rules.windows if plan.schedule_enabled else ()
        excluded = [*plan.done, *plan.skips]
        members = [
            occurrence
            for occurrence in window_occurrences(windows, plan.rules.tz, now, until)
            if not any(a <= occurrence.start < b for a, b in excluded)
        ]
        if plan.manual is not None and plan.manual.end > now:
            members.append(plan.manual)
        found += [
            session
            for session in merge(members)
            if current is None or session.start >= current.end
        ]
    return [s for s in found if s.start < end and s.end > start]


def paused_by(plan: Plan, now: datetime) -> str | None:
    """Why the agreed times are paused: the schedule is off, or the next is skipped."""
    if not plan.schedule_enabled:
        return PAUSED_SCHEDULE_OFF
    if not plan.skips:
        return None
    unskipped = plan.situation_at(now, with_skips=False).next
    upcoming = plan.situation.next
    if unskipped is not None and (upcoming is None or unskipped.start < upcoming.start):
        return PAUSED_SKIPPED
    return None


def status_of(plan: Plan, now: datetime) -> str:
    """Return active, proposed, waiting, paused, upcoming or idle."""
    if plan.session is not None:
        return STATUS_ACTIVE
    if plan.proposal is not None:
        return STATUS_PROPOSED
    if plan.situation.current is not None and not plan.presence.holds:
        return STATUS_WAITING
    if paused_by(plan, now) is not None:
        return STATUS_PAUSED
    if plan.warn_at(now) is not None:
        return STATUS_UPCOMING
    return STATUS_IDLE
