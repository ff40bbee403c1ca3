"""Property tests of the schedule math against brute force, around DST changes.

The brute force knows nothing of `localize`: for every UTC minute of a 16-day stretch
it reads the local wall clock, and a window starts (or ends) at the first minute whose
wall clock reads at least the wanted local time. That is the product rule: a time in
a spring-forward gap happens at the first valid instant after it, a time in the
repeated autumn hour at its first occurrence.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from itertools import accumulate, pairwise
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from hypothesis import event, given, settings
from hypothesis import strategies as st

from custom_components.partner_time.schedule import (
    Occurrence,
    Window,
    localize,
    merge,
    situation,
    window_occurrences,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

ZONES = (
    "Europe/Berlin",
    "America/New_York",
    "Australia/Lord_Howe",  # 30-minute DST
    "Pacific/Chatham",  # changes at 02:45 local
    "UTC",
)
MINUTE = timedelta(minutes=1)
DAY_MINUTES = 1440
SPREAD = 3 * DAY_MINUTES  # instants within +-3 days of a DST change
TABLE_DAYS = 10  # the brute-force table covers +-10 days around the change
LOCAL_EPOCH = datetime(1970, 1, 1)  # noqa: DTZ001 - naive on purpose: wall clock
SETTINGS = settings(deadline=None, max_examples=500)


def _changes(zone: ZoneInfo) -> list[datetime]:
    """Return the UTC offset changes of `zone` in 2026 and 2027 (to the minute)."""
    changes = []
    hour = datetime(2026, 1, 1, tzinfo=UTC)
    previous = hour.astimezone(zone).utcoffset()
    while hour.year < 2028:
        offset = hour.astimezone(zone).utcoffset()
        if offset != previous:
            moment = hour - timedelta(hours=1)
            while moment.astimezone(zone).utcoffset() == previous:
                moment += MINUTE
            changes.append(moment)
            previous = offset
        hour += timedelta(hours=1)
    return changes


ANCHORS: list[tuple[str, datetime]] = [
    (name, change) for name in ZONES for change in _changes(ZoneInfo(name))
] + [
    ("UTC", datetime(2026, 3, 29, 1, tzinfo=UTC)),
    ("UTC", datetime(2027, 10, 31, 1, tzinfo=UTC)),
]


class Clock:
    """The local wall clock of every UTC minute around one DST change."""

    def __init__(self, zone: str, anchor: datetime) -> None:
        """Read the clock for +-TABLE_DAYS around `anchor`."""
        self.zone = ZoneInfo(zone)
        self.base = anchor.replace(second=0, microsecond=0) - timedelta(days=TABLE_DAYS)
        walls = [
            (
                (self.base + index * MINUTE).astimezone(self.zone).replace(tzinfo=None)
                - LOCAL_EPOCH
            )
            // MINUTE
            for index in range(2 * TABLE_DAYS * DAY_MINUTES)
        ]
        # the highest wall-clock reading so far, minute by minute: never decreases
        self.reached = list(accumulate(walls, max))

    def minute(self, moment: datetime) -> int:
        """Return the table index of the minute containing `moment`."""
        return (moment - self.base) // MINUTE

    def at(self, index: int) -> datetime:
        """Return the UTC instant of a table index."""
        return self.base + index * MINUTE

    def first_reading(self, day: date, wall: time) -> int:
        """Return the first minute at which the clock reads at least `wall` on `day`."""
        target = (
            (day - LOCAL_EPOCH.date()).days * DAY_MINUTES + wall.hour * 60 + wall.minute
        )
        index = bisect_left(self.reached, target)
        assert 0 < index < len(self.reached)
        return index

    def occurrences(
        self, windows: Sequence[Window], first: date, last: date
    ) -> dict[tuple[int, date], tuple[int, int]]:
        """Brute-force occurrences (start, end minute) of the dates in range."""
        found = {}
        day = first
        while day <= last:
            for number, window in enumerate(windows):
                if day.weekday() in window.days:
                    end_day = (
                        day + timedelta(days=1) if window.end <= window.start else day
                    )
                    start = self.first_reading(day, window.start)
                    end = self.first_reading(end_day, window.end)
                    if end > start:
                        found[number, day] = (start, end)
            day += timedelta(days=1)
        return found

    def active(self, windows: Sequence[Window], now: datetime) -> bytearray:
        """Flag per table minute: whether a window occurrence covers it (near `now`)."""
        today = now.astimezone(self.zone).date()
        flags = bytearray(len(self.reached))
        occurrences = self.occurrences(
            windows, today - timedelta(days=2), today + timedelta(days=4)
        )
        for start, end in occurrences.values():
            flags[start:end] = b"\x01" * (end - start)
        return flags


@cache
def clock(zone: str, anchor: datetime) -> Clock:
    """Return the (cached) clock of one anchor."""
    return Clock(zone, anchor)


# ------------------------------------------------------------------ strategies

GRID = st.integers(0, 95).map(lambda quarter: quarter * 15)
ANY_MINUTE = st.integers(0, DAY_MINUTES - 1)
NIGHT = st.integers(60, 240)  # 01:00-04:00, where the DST changes are
MINUTES = st.one_of(GRID, ANY_MINUTE, NIGHT)
DAYS = st.frozensets(st.integers(0, 6), min_size=1)


def _time(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


@st.composite
def window_lists(draw: st.DrawFn, *, unique_names: bool = True) -> list[Window]:
    """1-4 windows; some cross midnight, some touch the previous one."""
    windows: list[Window] = []
    for number in range(draw(st.integers(1, 4))):
        start = draw(MINUTES)
        touching = draw(st.booleans())
        if windows and touching:
            previous = windows[-1].end
            start = previous.hour * 60 + previous.minute
        end = draw(MINUTES)
        if end == start:
            end = (end + 15) % DAY_MINUTES
        name = f"w{number}" if unique_names else draw(st.sampled_from("ab"))
        windows.append(Window(name, draw(DAYS), _time(start), _time(end)))
    return windows


@st.composite
def moments(draw: st.DrawFn) -> tuple[str, datetime, datetime]:
    """(zone, anchor, now) with now within +-3 days of a DST change."""
    zone, anchor = draw(st.sampled_from(ANCHORS))
    now = anchor + timedelta(
        minutes=draw(st.integers(-SPREAD, SPREAD)),
        seconds=draw(st.integers(0, 59)),
        microseconds=draw(st.sampled_from((0, 1, 999_999))),
    )
    return zone, anchor, now


# ------------------------------------------------------------------ properties


@SETTINGS
@given(window_lists(), moments())
def test_active_now_matches_brute_force(
    windows: list[Window], moment: tuple[str, datetime, datetime]
) -> None:
    """situation().current is set exactly when brute force finds a window active."""
    zone, anchor, now = moment
    table = clock(zone, anchor)
    flags = table.active(windows, now)
    result = situation(windows, ZoneInfo(zone), now)
    event("active" if result.current is not None else "inactive")
    event(f"now within a day of the change: {abs(now - anchor) < timedelta(days=1)}")
    assert (result.current is not None) == bool(flags[table.minute(now)])


@SETTINGS
@given(window_lists(), moments())
def test_next_transition_matches_brute_force(
    windows: list[Window], moment: tuple[str, datetime, datetime]
) -> None:
    """next_transition is the first minute at which the brute-force flag flips."""
    zone, anchor, now = moment
    table = clock(zone, anchor)
    flags = table.active(windows, now)
    here = table.minute(now)
    bound = here + SPREAD
    flip = flags.find(b"\x00" if flags[here] else b"\x01", here + 1, bound)
    transition = situation(windows, ZoneInfo(zone), now).next_transition
    event("flips within 3 days" if flip != -1 else "no flip within 3 days")
    if flip == -1:
        assert transition is None or transition > table.at(bound)
    else:
        assert transition == table.at(flip)


@SETTINGS
@given(window_lists(unique_names=False), moments(), st.lists(st.booleans(), max_size=2))
def test_sessions_never_overlap_or_touch(
    windows: list[Window], moment: tuple[str, datetime, datetime], manuals: list[bool]
) -> None:
    """Sessions are sorted, disjoint, never touch, and cover what brute force does."""
    zone, anchor, now = moment
    table = clock(zone, anchor)
    aligned = table.at(table.minute(now))
    extra = [
        Occurrence(
            "manual",
            aligned + index * 37 * MINUTE,
            aligned + 2 * timedelta(hours=1),
            manual,
        )
        for index, manual in enumerate(manuals)
    ]
    occurrences = window_occurrences(
        windows, ZoneInfo(zone), now - timedelta(days=2), now + timedelta(days=3)
    )
    sessions = merge([*occurrences, *extra])
    for session in sessions:
        assert session.start < session.end
    for earlier, later in pairwise(sessions):
        assert earlier.end < later.start
    flags = table.active(windows, now)
    for start, end in ((extra_.start, extra_.end) for extra_ in extra):
        flags[table.minute(start) : table.minute(end)] = b"\x01" * (
            table.minute(end) - table.minute(start)
        )
    here = table.minute(now)
    for index in range(here - DAY_MINUTES, here + 2 * DAY_MINUTES, 7):
        minute = table.at(index)
        covered = any(session.start <= minute < session.end for session in sessions)
        assert covered == bool(flags[index]), minute


@SETTINGS
@given(window_lists(), moments())
def test_one_occurrence_per_window_and_date(
    windows: list[Window], moment: tuple[str, datetime, datetime]
) -> None:
    """Each window starts at most once per local date, where brute force says."""
    zone, anchor, now = moment
    tz = ZoneInfo(zone)
    table = clock(zone, anchor)
    occurrences = window_occurrences(
        windows, tz, now - timedelta(days=3), now + timedelta(days=3)
    )
    seen: dict[tuple[str, date], Occurrence] = {}
    for occurrence in occurrences:
        key = (occurrence.name, occurrence.start.astimezone(tz).date())
        assert key not in seen
        seen[key] = occurrence
    today = now.astimezone(tz).date()
    expected = table.occurrences(
        windows, today - timedelta(days=1), today + timedelta(days=1)
    )
    for (number, day), (start, end) in expected.items():
        occurrence = seen.pop((f"w{number}", day))
        assert (occurrence.start, occurrence.end) == (table.at(start), table.at(end))
    # windows whose both ends fall into one gap never happen, on no date at all
    for (name, day), occurrence in seen.items():
        number = int(name[1:])
        assert not today - timedelta(days=1) <= day <= today + timedelta(days=1), (
            occurrence
        )
        assert day.weekday() in windows[number].days


def skipped_occurrences(
    data: st.DataObject,
    windows: Sequence[Window],
    tz: ZoneInfo,
    now: datetime,
    *,
    most: int,
) -> list[tuple[datetime, datetime]]:
    """Draw up to `most` occurrences within two days of now to exclude, as skips do."""
    near = window_occurrences(
        windows, tz, now - timedelta(days=2), now + timedelta(days=2)
    )
    return [
        (occurrence.start, occurrence.start + MINUTE)
        for occurrence in data.draw(
            st.lists(st.sampled_from(near), max_size=most) if near else st.just([])
        )
    ]


def reference(  # noqa: PLR0913 - mirrors situation()
    windows: Sequence[Window],
    tz: ZoneInfo,
    now: datetime,
    *,
    extra: Sequence[Occurrence],
    exclude: Sequence[tuple[datetime, datetime]],
    horizon: timedelta,
) -> tuple[Occurrence | None, Occurrence | None]:
    """situation() the slow way: all occurrences of the range, cut, merged."""
    low = localize(now.astimezone(tz).date() - timedelta(days=8), time(0), tz)
    high = now + horizon
    members = [
        occurrence
        for occurrence in window_occurrences(windows, tz, low, high)
        if occurrence.start >= low
        and not any(a <= occurrence.start < b for a, b in exclude)
    ]
    members += [
        occurrence
        for occurrence in extra
        if occurrence.start < min(occurrence.end, high)
    ]
    sessions = merge(replace(member, end=min(member.end, high)) for member in members)
    current = next((s for s in sessions if s.start <= now < s.end), None)
    following = next((s for s in sessions if s.start > now), None)
    return current, following


@SETTINGS
@given(
    window_lists(unique_names=False),
    moments(),
    st.data(),
)
def test_situation_matches_reference(
    windows: list[Window], moment: tuple[str, datetime, datetime], data: st.DataObject
) -> None:
    """Fast situation() equals merging all occurrences, exclude and extra included."""
    zone, _, now = moment
    tz = ZoneInfo(zone)
    offsets = st.integers(-2 * DAY_MINUTES, 2 * DAY_MINUTES).map(
        lambda minutes: now + minutes * MINUTE
    )
    extra = [
        Occurrence(
            data.draw(st.sampled_from("abm")),
            start,
            start + data.draw(st.integers(1, 600)) * MINUTE,
            data.draw(st.booleans()),
        )
        for start in data.draw(st.lists(offsets, max_size=2))
    ]
    exclude = skipped_occurrences(data, windows, tz, now, most=2)
    exclude += [
        (start, start + data.draw(st.integers(1, 2000)) * MINUTE)
        for start in data.draw(st.lists(offsets, max_size=1))
    ]
    horizon = data.draw(
        st.sampled_from(
            (
                timedelta(days=8),
                timedelta(hours=1),
                timedelta(minutes=data.draw(st.integers(1, 5000))),
            )
        )
    )
    expected = reference(
        windows, tz, now, extra=extra, exclude=exclude, horizon=horizon
    )
    result = situation(windows, tz, now, extra=extra, exclude=exclude, horizon=horizon)
    event(f"current: {result.current is not None}, next: {result.next is not None}")
    event(f"manual session: {any(s.manual for s in expected if s is not None)}")
    assert (result.current, result.next) == expected
