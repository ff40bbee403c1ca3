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
local wall time to UTC never decreases, a block maps onto the union of its members'
UTC intervals, and the blocks of a date stay in order in UTC, found by bisection.
`situation` goes back from now to the latest instant that no block or extra
occurrence spans, then merges the dates' blocks in UTC order from there until the
session after now is complete; only blocks with an excluded member are looked at
member by member. So the time taken hardly grows with the number of windows.
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

# A weekday's table: its members (start, end, name), wall-clock microseconds after
# the local midnight of their date (an end on the next date counts past one day),
# sorted; and their blocks (start, end, first, stop), each a maximal run
# members[first:stop] overlapping or touching in wall-clock time. Block starts and
# block ends both increase.
type _Member = tuple[int, int, str]
type _Block = tuple[int, int, int, int]
type _Table = tuple[list[_Member], list[_Block]]
_WEEKS_KEPT: Final = 4
_WEEKS: list[tuple[tuple[Window, ...], dict[int, _Table]]] = []


def _member(window: Window) -> _Member:
    """Return the member of a window on each of its weekdays."""
    start, end = (
        ((wall.hour * 60 + wall.minute) * 60 + wall.second) * US
        for wall in (window.start, window.end)
    )
    return (start, end + DAY if end <= start else end, window.name)


def _tables(windows: Sequence[Window]) -> dict[int, _Table]:
    """Return the weekday tables of `windows` (filled when first needed).

    The tables of the last few window lists are kept; a tuple passed again (as the
    settings hold them) is found by identity, without comparing its windows.
    """
    key = windows if isinstance(windows, tuple) else tuple(windows)
    for kept in _WEEKS:
        if kept[0] is key or kept[0] == key:
            _WEEKS.remove(kept)
            break
    else:
        kept = (key, {})
    _WEEKS.insert(0, kept)
    del _WEEKS[_WEEKS_KEPT:]
    return kept[1]


def _table(windows: Sequence[Window], weekday: int) -> _Table:
    """Return the table of the windows on `weekday`."""
    members = sorted(_member(window) for window in windows if weekday in window.days)
    blocks: list[_Block] = []
    for position, (start, end, _) in enumerate(members):
        if blocks and start <= (last := blocks[-1])[1]:
            blocks[-1] = (last[0], max(last[1], end), last[2], position + 1)
        else:
            blocks.append((start, end, position, position + 1))
    return members, blocks


class _Date:
    """One local date's blocks in UTC, for one call of `situation`.

    The wall-to-UTC map never decreases: the UTC starts of the members, and the UTC
    starts and ends of the blocks, increase as their wall times do (so bisection
    finds them), and a block maps onto the union of its members' UTC intervals.
    """

    __slots__ = ("base", "blocks", "exclude", "horizon", "map", "members", "split")

    def __init__(self, walk: _Walk, day: int) -> None:
        """Open local date `day` (days since 1970-01-01)."""
        self.base, self.map = day * DAY, day_map(walk.zone, day)
        self.horizon, self.exclude = walk.horizon, walk.exclude
        weekday = (day + _EPOCH_WEEKDAY) % 7
        if (table := walk.tables.get(weekday)) is None:
            table = walk.tables[weekday] = _table(walk.windows, weekday)
        self.members, self.blocks = table
        self.split: dict[_Block, list[_Piece]] = {}  # pieces of the blocks seen

    def utc(self, wall: int) -> int:
        """Return the UTC value of a wall time after this date's midnight."""
        return self.map.map(self.base + wall)

    def _end(self, block: _Block) -> int:
        """Return the UTC end of a block."""
        return self.map.map(self.base + block[1])

    def _pieces(self, block: _Block) -> list[_Piece]:
        """Return the pieces of a block: one, unless exclusions split it.

        Members starting at or after the horizon or in an excluded interval, and
        members empty in UTC, do not count. Without an exclusion among its members'
        starts, the block is one piece [start, end], named by the members starting
        at its start (several when wall starts are the same or fall into a
        spring-forward gap): the later ones only extend it.
        """
        if (pieces := self.split.get(block)) is not None:
            return pieces
        low, high = self.utc(block[0]), self.utc(self.members[block[3] - 1][0])
        near = [(a, b) for a, b in self.exclude if a <= high and b > low]
        pieces = []
        for position in range(block[2], block[3]):
            wall_start, wall_end, name = self.members[position]
            start = self.utc(wall_start)
            if start >= self.horizon or (start > low and not near):
                break
            end = min(self.utc(wall_end), self.horizon)
            if start < end and not any(a <= start < b for a, b in near):
                pieces.append(_piece(start, end, name, manual=False))
        if pieces and not near:
            end = min(self.utc(block[1]), self.horizon)
            pieces.append((low, end, pieces[0][2], end, NEVER))
        pieces = self.split[block] = list(_sessions(pieces))
        return pieces

    def crossing(self, moment: int) -> int | None:
        """Return the start of a piece crossing `moment` (see `cut`), if any.

        Only the first block ending at or after `moment` can hold one.
        """
        position = bisect_left(self.blocks, moment, key=self._end)
        if position < len(self.blocks):
            for piece in self._pieces(self.blocks[position]):
                if piece[0] < moment <= piece[1]:
                    return piece[0]
        return None

    def pieces(self, since: int) -> Iterator[_Piece]:
        """Yield the pieces starting at or after `since` (a cut), by start."""
        first = bisect_left(self.blocks, since, key=self._end)
        for position in range(first, len(self.blocks)):
            block = self.blocks[position]
            if self.utc(block[0]) >= self.horizon:
                return
            yield from (piece for piece in self._pieces(block) if piece[0] >= since)


class _Walk:
    """One call of `situation`: the local dates from LOOKBACK_DAYS before now on.

    The pieces of a date D lie between the local midnights starting D and D + 2.
    """

    __slots__ = ("dates", "exclude", "first", "horizon", "tables", "windows", "zone")

    def __init__(
        self,
        windows: Sequence[Window],
        zone: tzinfo,
        now: int,
        horizon: int,
        exclude: list[tuple[int, int]],
    ) -> None:
        """Prepare the walk; dates are opened when first needed."""
        self.windows, self.tables = windows, _tables(windows)
        self.zone, self.horizon, self.exclude = zone, horizon, exclude
        self.first = self.local_day(now) - LOOKBACK_DAYS
        self.dates: dict[int, _Date] = {}

    def local_day(self, moment: int) -> int:
        """Return the local date (days since 1970-01-01) of a UTC value."""
        return from_us(moment).astimezone(self.zone).toordinal() - _EPOCH_ORDINAL

    def date(self, day: int) -> _Date:
        """Return local date `day`, opened."""
        if (found := self.dates.get(day)) is None:
            found = self.dates[day] = _Date(self, day)
        return found

    def cut(self, moment: int, extra: list[_Piece]) -> int:
        """Return the latest instant at or before `moment` that no piece crosses.

        A piece crosses s when it starts before s and ends at or after it, so no
        session spans the instant returned. Between the start of a piece crossing s
        and s no instant is a cut either. `moment` lies before the horizon.
        """
        while True:
            day = self.local_day(moment)
            starts = [piece[0] for piece in extra if piece[0] < moment <= piece[1]]
            starts += [
                start
                for date_ in range(max(day - 2, self.first), day + 1)
                if (start := self.date(date_).crossing(moment)) is not None
            ]
            if not starts:
                return moment
            moment = min(starts)

    def pieces(self, since: int) -> Iterator[_Piece]:
        """Yield the pieces of the dates starting at or after `since`, by start.

        A date is opened when the pieces yielded reach its midnight.
        """
        heap: list[tuple[int, int, _Piece, Iterator[_Piece]]] = []
        day = max(self.first, self.local_day(since) - 2)
        while True:
            opens = midnight(self.zone, day)
            if opens < self.horizon and (not heap or heap[0][0] >= opens):
                rest = self.date(day).pieces(since)
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
    engine re-evaluates then. The windows' weekday tables are cached.
    """
    now_us = to_us(now)
    horizon_us = now_us + horizon // ONE_US
    if horizon_us <= now_us:  # every piece would end by now
        return Situation(None, None)
    extras: list[_Piece] = []
    for occurrence in extra:
        start, end = to_us(occurrence.start), min(to_us(occurrence.end), horizon_us)
        if start < end:
            extras.append(_piece(start, end, occurrence.name, manual=occurrence.manual))
    extras.sort()
    excluded = [(to_us(low), to_us(high)) for low, high in exclude]
    walk = _Walk(windows, tz, now_us, horizon_us, excluded)
    since = walk.cut(now_us, extras)
    current = None
    for session in _sessions(
        heapq.merge(
            walk.pieces(since),
            [piece for piece in extras if piece[0] >= since],
            key=_start_of,
        )
    ):
        if session[0] > now_us:
            return Situation(current, _session(session))
        if session[1] > now_us:
            current = _session(session)
    return Situation(current, None)
