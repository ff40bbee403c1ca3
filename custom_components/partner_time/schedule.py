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

`situation` is called often and must stay fast for many windows, so it does not
localize every window: `ScheduleIndex` sorts the windows per weekday and merges them
into blocks of local wall-clock time once. Because the map from local wall time to
UTC is non-decreasing, a block maps onto exactly the union of its members' UTC
intervals; only block ends have to be converted, with plain arithmetic on dates
without a nearby UTC offset change. Nor are all blocks converted: only those near now,
found by bisection, in a range widened until the answer provably cannot change (see
`_walk`); so the time taken hardly grows with the number of windows.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import (
    accumulate,
    chain,
    compress,
    count,
    repeat,
    takewhile,
)
from operator import and_, gt, rshift
from typing import TYPE_CHECKING, Any, Final, overload

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
    "ScheduleIndex",
    "Situation",
    "Window",
    "build_index",
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
_END_BITS: Final = 18  # a window end in seconds, up to two days, fits
_END_MASK: Final = (1 << _END_BITS) - 1


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


def _merge_pieces(pieces: list[_Piece]) -> list[_Piece]:
    """Merge overlapping or touching pieces, sorted by start (sorts `pieces`)."""
    pieces.sort(key=_start_of)
    merged: list[_Piece] = []
    for piece in pieces:
        if merged and piece[0] <= (last := merged[-1])[1]:
            merged[-1] = (
                last[0],
                max(last[1], piece[1]),
                min(last[2], piece[2]),
                max(last[3], piece[3]),
                max(last[4], piece[4]),
            )
        else:
            merged.append(piece)
    return merged


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
    return [_session(piece) for piece in _merge_pieces(pieces)]


# ------------------------------------------------------------------------ index

type _Cuts = tuple[tuple[int, int], ...]
_TRIMMED_CACHE_SIZE: Final = 32


class _DayTable:
    """The windows of one weekday sorted by (start, end), and their blocks.

    A member is one int, ((start << _END_BITS | end) << position_bits) | position:
    start and end in seconds after the local midnight of the date (an end on the next
    date counts past one day), position the index of its window; so sorting the ints
    sorts by (start, end). A block (start, end, first, stop, name), times in
    microseconds, is a maximal run members[first:stop] overlapping or touching each
    other; its name is the smallest of the members sharing its first start and end.
    Block starts and ends both increase along the blocks (`ends` lists the ends).
    """

    __slots__ = (
        "blocks",
        "ends",
        "first_start",
        "keys",
        "last_start",
        "names",
        "position_bits",
    )

    def __init__(self, keys: list[int], position_bits: int, names: list[str]) -> None:
        """Create from the members (sorted in place) and the names by position."""
        keys.sort()
        self.keys = keys
        self.position_bits = position_bits
        self.names = names
        self.blocks: list[tuple[int, int, int, int, str]] = []
        self.ends: list[int] = []  # the blocks' ends, increasing
        if not keys:
            self.first_start = self.last_start = 0
            return
        shift = position_bits + _END_BITS
        starts = [key >> shift for key in keys]
        # the furthest end so far; map() keeps the per-member work in C
        ends = map(and_, map(rshift, keys, repeat(position_bits)), repeat(_END_MASK))
        reach = list(accumulate(ends, max))
        firsts = [0, *compress(count(1), map(gt, starts[1:], reach, strict=False))]
        for first, stop in zip(firsts, [*firsts[1:], len(keys)], strict=True):
            name = self._first_name(first)
            self.blocks.append(
                (starts[first] * US, reach[stop - 1] * US, first, stop, name)
            )
        self.ends = [block[1] for block in self.blocks]
        self.first_start = starts[0] * US
        self.last_start = starts[-1] * US

    def member(self, index: int) -> tuple[int, int, str]:
        """Return (start, end, name) of a member, times in microseconds."""
        key = self.keys[index]
        bits = self.position_bits
        return (
            (key >> (bits + _END_BITS)) * US,
            (key >> bits & _END_MASK) * US,
            self.names[key & ((1 << bits) - 1)],
        )

    def _first_name(self, first: int) -> str:
        """Return the smallest name of the members starting and ending like `first`."""
        bits = self.position_bits
        span = self.keys[first] >> bits
        # the members sharing (start, end) are the keys from span << bits on, in order
        stop = bisect_left(self.keys, (span + 1) << bits, first)
        mask = (1 << bits) - 1
        if stop == first + 1:  # the usual case: no other member like it
            return self.names[self.keys[first] & mask]
        return min(self.names[key & mask] for key in self.keys[first:stop])


class ScheduleIndex(Sequence[Window]):
    """Windows prepared for `situation`: sorted per weekday and pre-merged.

    It is a sequence of its windows, so it can be passed wherever windows are
    expected; build it once per set of windows (see `build_index`). The table of a
    weekday is built when first needed; the last few tables trimmed by exclusions are
    kept too.
    """

    __slots__ = ("_bits", "_buckets", "_names", "_tables", "_trimmed", "_windows")

    def __init__(self, windows: Iterable[Window]) -> None:
        """Index `windows`."""
        self._windows = tuple(windows)
        self._names = [window.name for window in self._windows]
        self._bits = bits = len(self._windows).bit_length()
        # members grouped by their set of days; sorted runs make weekday sorts cheap
        buckets: dict[frozenset[int], list[int]] = {}
        for position, window in enumerate(self._windows):
            start, end = window.start, window.end
            begins = start.hour * 3600 + start.minute * 60 + start.second
            ends = end.hour * 3600 + end.minute * 60 + end.second
            if ends <= begins:
                ends += 86_400
            key = (begins << _END_BITS | ends) << bits | position
            if (bucket := buckets.get(window.days)) is None:
                buckets[window.days] = [key]
            else:
                bucket.append(key)
        for bucket in buckets.values():
            bucket.sort()
        self._buckets = buckets
        self._tables: list[_DayTable | None] = [None] * len(WEEKDAYS)
        self._trimmed: dict[tuple[int, _Cuts], _DayTable] = {}

    @overload
    def __getitem__(self, index: int) -> Window: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Window, ...]: ...

    def __getitem__(self, index: int | slice) -> Window | tuple[Window, ...]:
        """Return the window(s) at `index`."""
        return self._windows[index]

    def __len__(self) -> int:
        """Return the number of windows."""
        return len(self._windows)

    def _table(self, day: int) -> _DayTable:
        """Return the table of the weekday of `day` (days since 1970-01-01)."""
        weekday = (day + _EPOCH_WEEKDAY) % 7
        table = self._tables[weekday]
        if table is None:
            keys = chain.from_iterable(
                keys for days, keys in self._buckets.items() if weekday in days
            )
            table = _DayTable(list(keys), self._bits, self._names)
            self._tables[weekday] = table
        return table

    def _trimmed_table(self, day: int, cuts: _Cuts) -> _DayTable:
        """Return the table of the weekday of `day` without the members in `cuts`.

        `cuts` are sorted, disjoint (first, stop) runs of member positions. Exclusions
        change rarely, so the same cuts recur: the last few tables are kept.
        """
        key = ((day + _EPOCH_WEEKDAY) % 7, cuts)
        table = self._trimmed.pop(key, None)
        if table is None:
            whole = self._table(day)
            kept: list[int] = []
            done = 0
            for first, stop in cuts:
                kept += whole.keys[done:first]
                done = stop
            kept += whole.keys[done:]
            table = _DayTable(kept, self._bits, self._names)
            if len(self._trimmed) >= _TRIMMED_CACHE_SIZE:
                del self._trimmed[next(iter(self._trimmed))]
        self._trimmed[key] = table  # now the most recently used
        return table


_INDEX_CACHE: list[tuple[tuple[Window, ...], ScheduleIndex]] = []
_INDEX_CACHE_SIZE: Final = 4


def build_index(windows: Sequence[Window]) -> ScheduleIndex:
    """Return a ScheduleIndex of `windows`, reusing one of the last few built."""
    if isinstance(windows, ScheduleIndex):
        return windows
    key = tuple(windows)
    for position, (cached, index) in enumerate(_INDEX_CACHE):
        if cached is key or cached == key:
            del _INDEX_CACHE[position]
            _INDEX_CACHE.insert(0, (key, index))
            return index
    index = ScheduleIndex(key)
    _INDEX_CACHE.insert(0, (key, index))
    del _INDEX_CACHE[_INDEX_CACHE_SIZE:]
    return index


# -------------------------------------------------------------------- situation


class _Day:
    """The blocks of one local date whose pieces meet a growing UTC range [lo, hi].

    Wall starts and wall ends both increase along the blocks and the wall-to-UTC map
    never decreases, so the blocks meeting [lo, hi] (UTC end >= lo, UTC start <= hi)
    are a run blocks[low:high]: found by bisection when the date is opened, then
    widened at either side as the range grows. Pieces start before the horizon and
    are cut at it.
    """

    __slots__ = (
        "base",
        "early",
        "high",
        "horizon",
        "late",
        "low",
        "split",
        "table",
        "ties",
    )

    def __init__(self, search: _Search, day: int) -> None:
        """Open local date `day` (days since 1970-01-01) at the range of `search`."""
        self.base = day * DAY
        self.split = self.base + DAY
        self.early = day_map(search.zone, day)
        self.late = day_map(search.zone, day + 1)
        self.ties = self.early.gap or self.late.gap
        self.horizon = search.horizon
        self.table = search.index._table(day)  # noqa: SLF001 - same module
        if search.exclude and self.table.keys:
            self.table = self._without(search.index, day, search.exclude)
        self.low = self.high = self._first_ending(search.lo)

    def utc(self, offset: int) -> int:
        """UTC value of the wall time `offset` microseconds after this midnight."""
        wall = self.base + offset
        return (self.early if wall < self.split else self.late).map(wall)

    def _first_ending(self, lo: int) -> int:
        """Return the position of the first block whose UTC end is at or after `lo`."""
        ends = self.table.ends
        offset = self.early.offset
        if offset is not None and offset == self.late.offset:
            return bisect_left(ends, lo - self.base + offset)  # utc = wall - offset
        return bisect_left(ends, lo, key=self.utc)

    def take(self, lo: int, hi: int) -> list[_Piece]:
        """Return the pieces of the blocks newly meeting [lo, hi] (a wider range)."""
        blocks = self.table.blocks
        positions: list[int] = []
        while self.low and self.utc(blocks[self.low - 1][1]) >= lo:
            self.low -= 1
            positions.append(self.low)
        while self.high < len(blocks) and self.utc(blocks[self.high][0]) <= hi:
            positions.append(self.high)
            self.high += 1
        return [piece for position in positions if (piece := self._piece(position))]

    def next_end(self) -> int | None:
        """Return the UTC end of the first block after the run taken, if any."""
        if self.high == len(self.table.ends):
            return None
        return self.utc(self.table.ends[self.high])

    def _piece(self, position: int) -> _Piece | None:
        """Return the piece of a block; None if it is empty (in a gap, past horizon)."""
        block_start, block_end, first, stop, name = self.table.blocks[position]
        start = self.utc(block_start)
        end = min(self.utc(block_end), self.horizon)
        if end <= start:
            return None
        first_end = self.utc(self.table.member(first)[1])
        if self.ties or first_end >= self.horizon:
            key = self._first_key(first, stop, start)
        else:
            key = (0, start, first_end, name)
        return (start, end, key, end, NEVER)

    def _first_key(self, first: int, stop: int, start: int) -> _Key:
        """Key of the block's earliest member when wall order may not decide it.

        Members starting in a gap all start at the same instant, ends may collapse
        the same way or be cut at the horizon; those ties go by end, then name.
        """
        members = map(self.table.member, range(first, stop))
        tied = takewhile(lambda member: self.utc(member[0]) == start, members)
        end, name = min(
            (end, name)
            for _, wall_end, name in tied
            if (end := min(self.utc(wall_end), self.horizon)) > start
        )
        return (0, start, end, name)

    def _without(
        self, index: ScheduleIndex, day: int, exclude: list[tuple[int, int]]
    ) -> _DayTable:
        """Return the table without the members starting in an excluded interval.

        UTC starts never decrease along the members, so each interval removes a run
        of positions, found by bisection; the trimmed tables are cached by the runs.
        """
        table = self.table
        low, high = self.utc(table.first_start), self.utc(table.last_start)
        shift = table.position_bits + _END_BITS

        def start_of(key: int) -> int:
            return self.utc((key >> shift) * US)

        cuts = _runs(
            (
                bisect_left(table.keys, begin, key=start_of),
                bisect_left(table.keys, end, key=start_of),
            )
            for begin, end in exclude
            if begin <= high and end > low
        )
        return index._trimmed_table(day, cuts) if cuts else table  # noqa: SLF001


def _runs(cuts: Iterable[tuple[int, int]]) -> _Cuts:
    """Return the union of (first, stop) runs as sorted, disjoint, non-empty runs."""
    runs: list[tuple[int, int]] = []
    for first, stop in sorted(cuts):
        if first >= stop:
            continue
        if runs and first <= runs[-1][1]:
            runs[-1] = (runs[-1][0], max(runs[-1][1], stop))
        else:
            runs.append((first, stop))
    return tuple(runs)


class _Search:
    """The pieces of the local dates around now that meet a growing UTC range [lo, hi].

    Occurrences of a date start at or after its local midnight and end at or before
    the midnight two dates later, as the wall-to-UTC map never decreases; so only
    the dates from `first` to `last` can have pieces meeting the range.
    """

    __slots__ = (
        "days",
        "exclude",
        "first",
        "floor",
        "horizon",
        "index",
        "last",
        "lo",
        "pieces",
        "today",
        "zone",
    )

    def __init__(
        self,
        index: ScheduleIndex,
        zone: tzinfo,
        now: datetime,
        *,
        horizon: int,
        exclude: list[tuple[int, int]],
    ) -> None:
        """Prepare the search; nothing is taken yet."""
        self.index, self.zone = index, zone
        self.horizon, self.exclude = horizon, exclude
        self.lo = to_us(now)
        self.today = now.astimezone(zone).date().toordinal() - _EPOCH_ORDINAL
        # no piece of a date from today - LOOKBACK_DAYS on starts before this
        self.floor = midnight(zone, self.today - LOOKBACK_DAYS)
        self.first = self.last = self.today
        self.days = {self.today: _Day(self, self.today)}
        self.pieces: list[_Piece] = []

    def cover(self, lo: int, hi: int) -> list[_Piece]:
        """Take every piece meeting [lo, hi] (no narrower than before); return all."""
        self.lo = lo
        # pieces of the dates before `first` end by the midnight after `first`
        while (
            self.first > self.today - LOOKBACK_DAYS
            and midnight(self.zone, self.first + 1) >= lo
        ):
            self._open(self.first - 1)
        # pieces of the dates after `last` start at or after the midnight after it
        while (following := midnight(self.zone, self.last + 1)) <= hi and (
            following < self.horizon
        ):
            self._open(self.last + 1)
        for day in self.days.values():
            self.pieces += day.take(lo, hi)
        return self.pieces

    def reach(self) -> int:
        """Return a UTC value just past the end of a piece that is not taken yet.

        The value is past hi, as the blocks not taken yet start after hi, and so do
        the dates not open yet. Without such a piece before the horizon, return the
        horizon.
        """
        while True:
            ends = [
                end for day in self.days.values() if (end := day.next_end()) is not None
            ]
            if ends:
                return min(ends) + 1
            if midnight(self.zone, self.last + 1) >= self.horizon:
                return self.horizon
            self._open(self.last + 1)

    def _open(self, day: int) -> None:
        """Open local date `day`, next to the dates open so far."""
        self.days[day] = _Day(self, day)
        self.first, self.last = min(self.first, day), max(self.last, day)


def _pick(merged: list[_Piece], now: int) -> tuple[_Piece | None, _Piece | None]:
    """Return the merged piece containing `now` and the first one after it."""
    current = None
    for piece in merged:
        if piece[0] > now:
            return current, piece
        if piece[1] > now:
            current = piece
    return current, None


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
    engine re-evaluates then. `windows` may be a ScheduleIndex (see `build_index`);
    a plain sequence is indexed and the index cached.
    """
    index = build_index(windows)
    now_us = to_us(now)
    horizon_us = now_us + horizon // ONE_US
    pieces: list[_Piece] = []
    for occurrence in extra:
        start, end = to_us(occurrence.start), to_us(occurrence.end)
        if start < min(end, horizon_us):
            pieces.append(
                _piece(
                    start,
                    min(end, horizon_us),
                    occurrence.name,
                    manual=occurrence.manual,
                )
            )
    excluded = [(to_us(low), to_us(high)) for low, high in exclude]
    if index:
        current, following = _walk(
            index, tz, now, horizon=horizon_us, exclude=excluded, pieces=pieces
        )
    else:
        current, following = _pick(_merge_pieces(pieces), now_us)
    return Situation(
        current=None if current is None else _session(current),
        next=None if following is None else _session(following),
    )


def _walk(  # noqa: PLR0913 - internal helper of situation()
    index: ScheduleIndex,
    zone: tzinfo,
    now: datetime,
    *,
    horizon: int,
    exclude: list[tuple[int, int]],
    pieces: list[_Piece],
) -> tuple[_Piece | None, _Piece | None]:
    """Return the session containing `now` and the next one, from nearby pieces only.

    All `pieces` (the extra ones) are used, but of the windows only the pieces meeting
    a closed UTC range [lo, hi] around now, starting at [now, now] and widened until
    the answer is provably the one all pieces would give:

    Every piece meeting [lo, hi] is taken, so a merged component C of the taken
    pieces with lo < C.start and C.end < hi is a component of all the pieces: a piece
    overlapping or touching C starts at or before C.end < hi and ends at or after
    C.start > lo, so it meets the range and was taken. Likewise every piece covering
    now, or starting between now and hi, was taken. So the answer is right when

    * the current component starts after lo, or there is none, or lo is below
      `floor` (no piece of the dates starts before it; extra pieces are all taken),
      and
    * the next component ends before hi (the current one ends before it starts), or
      hi is at the horizon (no piece starts there or later: all ending after lo are
      taken).

    Otherwise lo goes just below the current component, hi just past the component
    that reached it, or past a piece not taken yet. A side widened either takes new
    pieces or dates, of which there are finitely many, or is settled in the next
    round, so the rounds end. Which wider range is chosen only affects the speed.
    """
    now_us = to_us(now)
    search = _Search(index, zone, now, horizon=horizon, exclude=exclude)
    lo = hi = now_us
    while True:
        merged = _merge_pieces([*pieces, *search.cover(lo, hi)])
        current, following = _pick(merged, now_us)
        wider = _lower(search, current, lo), _higher(search, current, following, hi)
        if wider == (lo, hi):
            return current, following
        lo, hi = wider


def _lower(search: _Search, current: _Piece | None, lo: int) -> int:
    """Return lo, or a lower bound if the current component may reach below it."""
    if current is None or current[0] > lo or lo < search.floor:
        return lo
    return max(current[0], search.floor) - 1


def _higher(
    search: _Search, current: _Piece | None, following: _Piece | None, hi: int
) -> int:
    """Return hi, or a higher bound if the next component is not known up to its end."""
    if hi >= search.horizon or (following is not None and following[1] < hi):
        return hi
    last = following or current
    wider = last[1] + 1 if last is not None and last[1] >= hi else hi
    if following is None:
        wider = max(wider, search.reach())
    return min(wider, search.horizon)
