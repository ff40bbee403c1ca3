"""Pure schedule math of Partner Time: windows, their occurrences and the situation now.

Nothing in here knows Home Assistant. A *window* is a protected time agreed by the
household (e.g. Dinner, every day 18:30-19:30, local wall-clock time). Its
*occurrences* are concrete UTC intervals; overlapping or touching occurrences are
merged into *sessions*; `situation` tells which session runs now and which comes next.

Time-zone rules (the product requirements):

* windows keep their local wall-clock time across DST changes;
* a wall time inside a spring-forward gap means the first valid instant after the
  gap (the transition instant itself), so such a window still starts, once;
* a wall time in the repeated autumn hour means its first occurrence, so a window
  there runs once.

`situation` is called on every change and must stay fast for many windows, so it
does not localize every window. The windows of each weekday are sorted and merged
into blocks of local wall-clock time once (cached per windows). Because the map from
local wall time to UTC never decreases, a block maps onto exactly the union of its
members' UTC intervals, and the blocks of a date stay in order in UTC: the blocks
near now are found by bisection. From the latest instant before now that no block
or extra occurrence spans, the dates' blocks are merged in UTC order until the
session after now is complete; so the time taken hardly grows with the number of
windows.
"""

from __future__ import annotations

import heapq
import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, Final

from .localtime import (
    DAY,
    NEVER,
    ONE_US,
    US,
    day_map,
    from_us,
    localize,
    midnight,
    to_us,
)

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import tzinfo
    from zoneinfo import ZoneInfo

__all__ = [
    "LOOKBACK_DAYS",
    "REASON_DAYS",
    "REASON_END",
    "REASON_NAME",
    "REASON_START",
    "REASON_START_EQUALS_END",
    "WEEKDAYS",
    "InvalidWindow",
    "Occurrence",
    "Situation",
    "Window",
    "localize",
    "merge",
    "situation",
    "window_occurrences",
]

WEEKDAYS: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

REASON_NAME: Final = "name"
REASON_DAYS: Final = "days"
REASON_START: Final = "start"
REASON_END: Final = "end"
REASON_START_EQUALS_END: Final = "start_equals_end"

LOOKBACK_DAYS: Final = 8
"""`situation` considers window occurrences from this many local dates before today."""

_TIME_RE: Final = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")
_MAX_HOUR: Final = 23
_MAX_MINUTE: Final = 59

# Integer microseconds are used internally (see localtime.py for wall and UTC values).
_EPOCH_ORDINAL: Final = date(1970, 1, 1).toordinal()
_EPOCH_WEEKDAY: Final = 3  # 1970-01-01 was a Thursday


class InvalidWindow(ValueError):  # noqa: N818 - the name is part of the interface
    """A window that cannot be used.

    `reason` is one of "name", "days", "start", "end", "start_equals_end"
    (the REASON_* constants).
    """

    reason: str

    def __init__(self, reason: str) -> None:
        """Create the error for `reason`."""
        super().__init__(f"invalid window: {reason}")
        self.reason = reason


def _parse_time(value: object, reason: str) -> time:
    """Parse "HH:MM" or "HH:MM:SS" (or take a `time`), else raise InvalidWindow."""
    if isinstance(value, time):
        return value
    if isinstance(value, str) and (match := _TIME_RE.fullmatch(value.strip())):
        hour, minute, second = (int(part or 0) for part in match.groups())
        if hour <= _MAX_HOUR and minute <= _MAX_MINUTE and second <= _MAX_MINUTE:
            return time(hour, minute, second)
    raise InvalidWindow(reason)


def _parse_days(value: object) -> frozenset[int]:
    """Parse a list of weekday names ("mon".."sun"), else raise InvalidWindow."""
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidWindow(REASON_DAYS)
    days: set[int] = set()
    for item in value:
        if not isinstance(item, str) or item.strip().lower() not in WEEKDAYS:
            raise InvalidWindow(REASON_DAYS)
        days.add(WEEKDAYS.index(item.strip().lower()))
    return frozenset(days)


def _valid_time(value: object) -> bool:
    """Whether `value` is a naive `time` with whole seconds."""
    return isinstance(value, time) and value.tzinfo is None and not value.microsecond


@dataclass(frozen=True, slots=True)
class Window:
    """An agreed protected time on some weekdays, in local wall-clock time.

    `days` holds weekday numbers (0 = Monday ... 6 = Sunday). `start` and `end` are
    naive times in whole seconds; when `end <= start` the window ends on the next
    day; `start == end` is invalid.
    """

    name: str
    days: frozenset[int]
    start: time
    end: time

    def __post_init__(self) -> None:
        """Validate the fields; raise InvalidWindow with the first bad one."""
        if not isinstance(self.name, str) or not self.name.strip():
            raise InvalidWindow(REASON_NAME)
        if (
            not isinstance(self.days, frozenset)
            or not self.days
            or not all(type(day) is int and 0 <= day <= 6 for day in self.days)  # noqa: PLR2004
        ):
            raise InvalidWindow(REASON_DAYS)
        if not _valid_time(self.start):
            raise InvalidWindow(REASON_START)
        if not _valid_time(self.end):
            raise InvalidWindow(REASON_END)
        if self.start == self.end:
            raise InvalidWindow(REASON_START_EQUALS_END)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Window:
        """Build a window from its stored form.

        `{"name": str, "days": ["mon", ...], "start": "HH:MM[:SS]", "end": ...}`;
        raise InvalidWindow on the first bad field.
        """
        name = data.get("name")
        if not isinstance(name, str):
            raise InvalidWindow(REASON_NAME)
        return cls(
            name=name,
            days=_parse_days(data.get("days")),
            start=_parse_time(data.get("start"), REASON_START),
            end=_parse_time(data.get("end"), REASON_END),
        )

    def as_dict(self) -> dict[str, Any]:
        """Return the stored form: days in weekday order, times as "HH:MM:SS"."""
        return {
            "name": self.name,
            "days": [WEEKDAYS[day] for day in sorted(self.days)],
            "start": self.start.isoformat(timespec="seconds"),
            "end": self.end.isoformat(timespec="seconds"),
        }


@dataclass(frozen=True, slots=True)
class Occurrence:
    """A concrete protected interval [start, end) in UTC.

    `manual` marks a session the engine adds by hand (not from a window).
    """

    name: str
    start: datetime
    end: datetime
    manual: bool = False


@dataclass(frozen=True, slots=True)
class Situation:
    """The merged session running now (if any) and the next one (if any)."""

    current: Occurrence | None
    next: Occurrence | None

    @property
    def next_transition(self) -> datetime | None:
        """When the situation changes next: the end of current, else the next start."""
        if self.current is not None:
            return self.current.end
        if self.next is not None:
            return self.next.start
        return None


# ------------------------------------------------------------------- occurrences


def window_occurrences(
    windows: Sequence[Window], tz: ZoneInfo, start: datetime, end: datetime
) -> list[Occurrence]:
    """Return every occurrence of every window overlapping [start, end).

    An occurrence belongs to the local date on which it starts (whose weekday must be
    in the window's days) and ends on that date at `end` or, if `end <= start`, on the
    next date. Both ends are localized with `localize`; an occurrence whose ends map
    to the same instant (possible around DST changes) is dropped. The result is
    sorted by (start, end, name).
    """
    first = start.astimezone(tz).date() - timedelta(days=2)
    last = end.astimezone(tz).date() + timedelta(days=1)
    result: list[Occurrence] = []
    day = first
    while day <= last:
        weekday = day.weekday()
        following = day + timedelta(days=1)
        for window in windows:
            if weekday not in window.days:
                continue
            begins = localize(day, window.start, tz)
            ends = localize(
                following if window.end <= window.start else day, window.end, tz
            )
            if begins < ends and begins < end and ends > start:
                result.append(Occurrence(window.name, begins, ends))
        day = following
    result.sort(key=lambda item: (item.start, item.end, item.name))
    return result


# Merging works on pieces: (start, end, key, latest non-manual end, latest manual
# end), all in UTC microseconds. The key (manual, start, end, name) of the member
# that names the piece is the smallest one: the earliest non-manual member, else
# the earliest manual one.
type _Key = tuple[int, int, int, str]
type _Piece = tuple[int, int, _Key, int, int]


def _piece(start: int, end: int, name: str, *, manual: bool) -> _Piece:
    """Return the piece of one member."""
    if manual:
        return (start, end, (1, start, end, name), NEVER, end)
    return (start, end, (0, start, end, name), end, NEVER)


def _start_of(piece: _Piece) -> int:
    """Sort key: the start."""
    return piece[0]


def _sessions(pieces: Iterable[_Piece]) -> Iterator[_Piece]:
    """Merge overlapping or touching pieces, given by start; yield each when complete."""
    session = None
    for piece in pieces:
        if session is None:
            session = piece
        elif piece[0] <= session[1]:
            session = (
                session[0],
                max(session[1], piece[1]),
                min(session[2], piece[2]),
                max(session[3], piece[3]),
                max(session[4], piece[4]),
            )
        else:
            yield session
            session = piece
    if session is not None:
        yield session


def _session(piece: _Piece) -> Occurrence:
    """Return the Occurrence of a merged piece."""
    return Occurrence(
        name=piece[2][3],
        start=from_us(piece[0]),
        end=from_us(piece[1]),
        manual=piece[4] > piece[3],
    )


def merge(occurrences: Iterable[Occurrence]) -> list[Occurrence]:
    """Merge overlapping or touching occurrences into sessions, sorted by start.

    Occurrences with `end <= start` are ignored. A session is named after its
    earliest non-manual member by (start, end, name), else after its earliest manual
    one; it is manual iff the member that supplies its end (the latest end; on a tie
    a non-manual one) is manual. Times of the result are UTC.
    """
    pieces: list[_Piece] = []
    for occurrence in occurrences:
        start, end = to_us(occurrence.start), to_us(occurrence.end)
        if start < end:
            pieces.append(_piece(start, end, occurrence.name, manual=occurrence.manual))
    return [_session(piece) for piece in _sessions(sorted(pieces, key=_start_of))]


# --------------------------------------------------------------------- situation

# A member of a weekday: (start, end, name), times in microseconds after the local
# midnight of its date (an end on the next date counts past one day). A block
# (start, end, first, stop) is a maximal run members[first:stop] overlapping or
# touching each other in wall-clock time. Cuts are sorted (first, stop) runs of
# members taken out by exclusions.
type _Member = tuple[int, int, str]
type _Block = tuple[int, int, int, int]
type _Cuts = tuple[tuple[int, int], ...]
_WEEKS_KEPT: Final = 4
_TRIMMED_KEPT: Final = 32


def _offset(value: time) -> int:
    """Microseconds after midnight of a wall time in whole seconds."""
    return ((value.hour * 60 + value.minute) * 60 + value.second) * US


def _member(window: Window) -> _Member:
    """Return the member of a window on each of its weekdays."""
    start, end = _offset(window.start), _offset(window.end)
    return (start, end + DAY if end <= start else end, window.name)


class _Table:
    """The members of one weekday, sorted by (start, end, name), and their blocks.

    Block starts and block ends both increase along the blocks.
    """

    __slots__ = ("blocks", "members")

    def __init__(self, members: list[_Member]) -> None:
        """Create from the sorted members."""
        self.members = members
        self.blocks: list[_Block] = []
        for position, (start, end, _) in enumerate(members):
            if self.blocks and start <= (last := self.blocks[-1])[1]:
                self.blocks[-1] = (last[0], max(last[1], end), last[2], position + 1)
            else:
                self.blocks.append((start, end, position, position + 1))


class _Week:
    """Windows prepared for `situation`: the table of each weekday.

    A weekday's table is built when first needed; of the tables trimmed by
    exclusions, the last few are kept (exclusions change rarely).
    """

    __slots__ = ("members", "tables", "trimmed", "windows")

    def __init__(self, windows: tuple[Window, ...]) -> None:
        """Prepare `windows`."""
        self.windows = windows
        self.members = [(window.days, _member(window)) for window in windows]
        self.tables: dict[int, _Table] = {}
        self.trimmed: dict[tuple[int, _Cuts], _Table] = {}

    def table(self, weekday: int, cuts: _Cuts = ()) -> _Table:
        """Return the table of `weekday`, without the members in `cuts`."""
        if not cuts:
            if (table := self.tables.get(weekday)) is None:
                members = sorted(item for days, item in self.members if weekday in days)
                table = self.tables[weekday] = _Table(members)
            return table
        key = (weekday, cuts)
        if (table := self.trimmed.pop(key, None)) is None:
            members = self.table(weekday).members
            kept: list[_Member] = []
            done = 0
            for first, stop in cuts:
                kept += members[done:first]
                done = max(done, stop)
            table = _Table(kept + members[done:])
            if len(self.trimmed) >= _TRIMMED_KEPT:
                del self.trimmed[next(iter(self.trimmed))]
        self.trimmed[key] = table  # now the most recently used
        return table


_WEEKS: list[_Week] = []


def _week(windows: Sequence[Window]) -> _Week:
    """Return `windows` prepared, reusing one of the last few prepared.

    A tuple passed again (as the settings hold them) is found by identity; other
    sequences are compared window by window.
    """
    key = windows if isinstance(windows, tuple) else tuple(windows)
    for week in _WEEKS:
        if week.windows is key or week.windows == key:
            _WEEKS.remove(week)
            break
    else:
        week = _Week(key)
    _WEEKS.insert(0, week)
    del _WEEKS[_WEEKS_KEPT:]
    return week


class _Date:
    """The blocks of one local date in UTC, for one call of `situation`.

    The wall-to-UTC map never decreases, so UTC starts and ends of the blocks (and
    UTC starts of the members) increase along them as their wall times do: they are
    found by bisection, and a block maps onto exactly the union of its members' UTC
    intervals. Pieces start before the horizon and are cut at it.
    """

    __slots__ = ("base", "blocks", "horizon", "map", "members")

    def __init__(self, search: _Search, day: int) -> None:
        """Open local date `day` (days since 1970-01-01), without excluded members."""
        self.base = day * DAY
        self.map = day_map(search.zone, day)
        self.horizon = search.horizon
        weekday = (day + _EPOCH_WEEKDAY) % 7
        table = search.week.table(weekday)
        if search.exclude and table.members:
            cuts = self._cuts(table.members, search.exclude)
            table = search.week.table(weekday, cuts)
        self.members, self.blocks = table.members, table.blocks

    def utc(self, offset: int) -> int:
        """UTC value of the wall time `offset` microseconds after this midnight."""
        return self.map.map(self.base + offset)

    def _start(self, item: _Member | _Block) -> int:
        """UTC start of a member or block."""
        return self.map.map(self.base + item[0])

    def _end(self, block: _Block) -> int:
        """UTC end of a block."""
        return self.map.map(self.base + block[1])

    def _cuts(self, members: list[_Member], exclude: list[tuple[int, int]]) -> _Cuts:
        """Return the runs of members whose UTC start lies in an excluded interval."""
        low, high = self._start(members[0]), self._start(members[-1])
        runs = (
            (
                bisect_left(members, begin, key=self._start),
                bisect_left(members, end, key=self._start),
            )
            for begin, end in exclude
            if begin <= high and end > low
        )
        return tuple(sorted(run for run in runs if run[0] < run[1]))

    def crossing(self, moment: int) -> int | None:
        """Return the UTC start of the first block crossing `moment` (see `cut`).

        `moment` lies before the horizon, so cutting the block does not matter.
        """
        position = bisect_left(self.blocks, moment, key=self._end)
        if position < len(self.blocks):
            start = self._start(self.blocks[position])
            if start < moment:
                return start
        return None

    def pieces(self, since: int) -> Iterator[_Piece]:
        """Yield the pieces of the blocks starting at or after `since`, by start."""
        blocks = self.blocks
        for position in range(bisect_left(blocks, since, key=self._start), len(blocks)):
            wall_start, wall_end, member, stop = blocks[position]
            start = self.utc(wall_start)
            if start >= self.horizon:
                return
            end = min(self.utc(wall_end), self.horizon)
            if start < end:
                yield (start, end, self._key(start, member, stop), end, NEVER)

    def _key(self, start: int, first: int, stop: int) -> _Key:
        """Key of the earliest of the block's members (see `_piece`).

        Its members starting at `start` are a run from the first; several only when
        starts are the same or collapse into a spring-forward gap. The earliest end
        (ends too may collapse, or be cut at the horizon), then the name decide;
        members empty in UTC do not count.
        """
        found: list[tuple[int, str]] = []
        for position in range(first, stop):
            wall_start, wall_end, name = self.members[position]
            if self.utc(wall_start) > start:
                break
            if (end := min(self.utc(wall_end), self.horizon)) > start:
                found.append((end, name))
        end, name = min(found)
        return (0, start, end, name)


class _Search:
    """One call of `situation`: the local dates from LOOKBACK_DAYS before now on.

    The pieces of a date D lie between the local midnights starting D and D + 2, as
    the wall-to-UTC map never decreases; dates are opened when first needed.
    """

    __slots__ = ("dates", "exclude", "first", "horizon", "week", "zone")

    def __init__(
        self,
        week: _Week,
        zone: tzinfo,
        now: int,
        *,
        horizon: int,
        exclude: list[tuple[int, int]],
    ) -> None:
        """Prepare the search; no date is opened yet."""
        self.week, self.zone = week, zone
        self.horizon, self.exclude = horizon, exclude
        self.first = self._local_day(now) - LOOKBACK_DAYS
        self.dates: dict[int, _Date] = {}

    def _local_day(self, moment: int) -> int:
        """Return the local date (days since 1970-01-01) of a UTC value."""
        local = from_us(moment).astimezone(self.zone)
        return local.date().toordinal() - _EPOCH_ORDINAL

    def _date(self, day: int) -> _Date:
        """Return local date `day`, opened."""
        if (found := self.dates.get(day)) is None:
            found = self.dates[day] = _Date(self, day)
        return found

    def cut(self, moment: int, extra: list[_Piece]) -> int:
        """Return the latest instant at or before `moment` that no piece crosses.

        A piece crosses s when it starts before s and ends at or after it. So every
        piece ends before the instant returned or starts at or after it: no session
        spans it. Only dates from two before the date of s can have a piece crossing
        s; no instant between the start of such a piece and s is a cut either.
        """
        while True:
            day = self._local_day(moment)
            starts = [piece[0] for piece in extra if piece[0] < moment <= piece[1]]
            starts += [
                start
                for date_ in range(max(day - 2, self.first), day + 1)
                if (start := self._date(date_).crossing(moment)) is not None
            ]
            if not starts:
                return moment
            moment = min(starts)

    def pieces(self, since: int) -> Iterator[_Piece]:
        """Yield the window pieces starting at or after `since`, by start.

        The pieces of a date start at or after its midnight, so the date is opened
        when the pieces yielded reach it, and merged with the dates still open.
        """
        heap: list[tuple[int, int, _Piece, Iterator[_Piece]]] = []
        day = max(self.first, self._local_day(since) - 2)
        while True:
            opens = midnight(self.zone, day)
            if opens < self.horizon and (not heap or heap[0][0] >= opens):
                rest = self._date(day).pieces(since)
                if (piece := next(rest, None)) is not None:
                    heapq.heappush(heap, (piece[0], day, piece, rest))
                day += 1
            elif heap:
                _, order, piece, rest = heap[0]
                yield piece
                if (piece := next(rest, None)) is None:
                    heapq.heappop(heap)
                else:
                    heapq.heapreplace(heap, (piece[0], order, piece, rest))
            else:
                return


def situation(  # noqa: PLR0913 - the interface
    windows: Sequence[Window],
    tz: ZoneInfo,
    now: datetime,
    *,
    extra: Sequence[Occurrence] = (),
    exclude: Sequence[tuple[datetime, datetime]] = (),
    horizon: timedelta = timedelta(days=8),
) -> Situation:
    """Return the merged session running at `now` and the next one.

    The sessions are merged (see `merge`) from:

    * the occurrences of `windows` (see `window_occurrences`) of the local dates
      from LOOKBACK_DAYS before the local date of `now` on, except those whose
      start lies in one of the `exclude` intervals [a, b);
    * the `extra` occurrences (the manual session; never excluded).

    Only occurrences starting before the horizon (`now + horizon`) count, each cut
    at the horizon, so a session still running there ends at the horizon and the
    engine re-evaluates then. The windows' weekday tables are cached (see `_week`).
    """
    now_us = to_us(now)
    horizon_us = now_us + horizon // ONE_US
    if horizon_us <= now_us:
        return Situation(None, None)
    extras: list[_Piece] = []
    for occurrence in extra:
        start, end = to_us(occurrence.start), min(to_us(occurrence.end), horizon_us)
        if start < end:
            extras.append(_piece(start, end, occurrence.name, manual=occurrence.manual))
    extras.sort()
    search = _Search(
        _week(windows),
        tz,
        now_us,
        horizon=horizon_us,
        exclude=[(to_us(low), to_us(high)) for low, high in exclude],
    )
    since = search.cut(now_us, extras)
    pieces = heapq.merge(
        search.pieces(since),
        [piece for piece in extras if piece[0] >= since],
        key=_start_of,
    )
    current = None
    for session in _sessions(pieces):
        if session[0] > now_us:
            return Situation(current, _session(session))
        if session[1] > now_us:
            current = _session(session)
    return Situation(current, None)
