"""Local wall-clock time and UTC, across DST changes: the time math under schedule.py.

Nothing in here knows Home Assistant. Integer microseconds are used: a *wall* value
is a local wall-clock time counted as if it were UTC since 1970-01-01 00:00; a *UTC*
value is a real instant since the epoch. For a constant offset: utc = wall - offset.

The product rule for wall times that do not occur once (see schedule.py): a wall
time inside a spring-forward gap means the first valid instant after the gap (the
transition instant itself); one in the repeated autumn hour means its first
occurrence. `localize` maps one wall time so; `day_map` maps all wall values of one
local date the same way with plain arithmetic, for the schedule's fast path.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from datetime import tzinfo
    from zoneinfo import ZoneInfo

US: Final = 1_000_000
DAY: Final = 86_400 * US
ONE_US: Final = timedelta(microseconds=1)
NEVER: Final = -(1 << 62)  # before any representable instant
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)

# Offsets are sampled every _SLOT seconds; transitions are located by bisection.
_SLOT: Final = 6 * 3600
# Every UTC instant of a local date lies within this margin around its wall range.
_MARGIN: Final = 26 * 3600


# --------------------------------------------------------------------------- time


def to_us(moment: datetime) -> int:
    """UTC microseconds since the epoch of an aware datetime."""
    if moment.utcoffset() is None:
        msg = f"timezone-aware datetime required, got {moment!r}"
        raise ValueError(msg)
    return (moment - _EPOCH) // ONE_US


def from_us(value: int) -> datetime:
    """Return the UTC datetime of microseconds since the epoch."""
    return _EPOCH + timedelta(microseconds=value)


def _offset_at(zone: tzinfo, second: int) -> int:
    """UTC offset (microseconds) in effect at the UTC instant `second`."""
    offset = datetime.fromtimestamp(second, zone).utcoffset()
    return (offset or timedelta()) // ONE_US


def _first_second_after(zone: tzinfo, low: int, high: int) -> int:
    """First whole second in (low, high] whose offset differs from the offset at low.

    The offset at `high` must differ from the one at `low`.
    """
    before = _offset_at(zone, low)
    while high - low > 1:
        middle = (low + high) // 2
        if _offset_at(zone, middle) == before:
            low = middle
        else:
            high = middle
    return high


def localize(day: date, wall: time, tz: ZoneInfo) -> datetime:
    """Return the UTC instant of local wall time `wall` on `day` in `tz`.

    A wall time inside a spring-forward gap maps to the first valid instant after the
    gap (the transition instant itself); an ambiguous wall time (the repeated autumn
    hour) maps to its first occurrence (fold=0).
    """
    local = datetime.combine(day, wall.replace(tzinfo=None, fold=0), tzinfo=tz)
    first = local.utcoffset()
    second = local.replace(fold=1).utcoffset()
    if first is not None and second is not None and second > first:
        # In a gap, fold=0 reads the wall time with the offset before the change
        # (an instant after it) and fold=1 with the one after (an instant before).
        wall_us = to_us(local.replace(tzinfo=UTC))
        low = (wall_us - second // ONE_US) // US  # before the change
        high = -((first // ONE_US - wall_us) // US)  # at or after it (ceiling)
        return datetime.fromtimestamp(_first_second_after(tz, low, high), UTC)
    return local.astimezone(UTC)


# ---------------------------------------------------------- local -> UTC per day


class DayMap:
    """Maps the wall values of one local date to UTC values.

    The rule equals `localize`: a wall time belongs to the first offset period in
    which it occurs; if it occurs in none (a gap), it maps to the start of the
    period after the gap. `offset` is set when one offset covers the whole date.
    """

    __slots__ = ("gap", "offset", "periods")

    def __init__(self, periods: tuple[tuple[int, int], ...]) -> None:
        """Create from (period start UTC, offset) pairs, the first starting never."""
        self.periods = periods
        self.offset = periods[0][1] if len(periods) == 1 else None
        self.gap = any(later[1] > earlier[1] for earlier, later in pairwise(periods))

    def map(self, wall: int) -> int:
        """UTC value of a wall value."""
        if self.offset is not None:
            return wall - self.offset
        for (start, offset), (following, _) in pairwise(self.periods):
            if wall - offset < following:
                return max(start, wall - offset)
        start, offset = self.periods[-1]
        return max(start, wall - offset)


@lru_cache(maxsize=1 << 16)
def _slot_offset(zone: tzinfo, slot: int) -> int:
    """Return the UTC offset at the start of a sampling slot."""
    return _offset_at(zone, slot * _SLOT)


@lru_cache(maxsize=1 << 14)
def _slot_transition(zone: tzinfo, slot: int) -> tuple[int, int]:
    """Locate the transition inside a slot: (UTC value, offset after it)."""
    second = _first_second_after(zone, slot * _SLOT, (slot + 1) * _SLOT)
    return second * US, _offset_at(zone, second)


@lru_cache(maxsize=1 << 13)
def day_map(zone: tzinfo, day: int) -> DayMap:
    """Return the wall-to-UTC map of local dates `day` and `day + 1` (days since 1970-01-01).

    It covers the wall values of the occurrences of windows on `day`, which end on
    the next date at the latest.

    Offsets are sampled every _SLOT seconds and changes located by bisection, so
    two changes inside one slot that cancel out would go unseen (tzdata has none).
    """
    first = (day * 86_400 - _MARGIN) // _SLOT
    last = -(-((day + 2) * 86_400 + _MARGIN) // _SLOT)
    offsets = [_slot_offset(zone, slot) for slot in range(first, last + 1)]
    periods = [(NEVER, offsets[0])]
    for slot, (before, after) in enumerate(pairwise(offsets), first):
        if before != after:
            periods.append(_slot_transition(zone, slot))
    return DayMap(tuple(periods))


def midnight(zone: tzinfo, day: int) -> int:
    """UTC value of local midnight starting `day` (as `localize` maps it)."""
    return day_map(zone, day).map(day * DAY)
