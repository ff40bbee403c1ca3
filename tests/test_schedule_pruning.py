"""situation() looks only at the pieces near now: tests of where it starts and stops.

`situation` goes back from now to the latest instant no piece spans, then merges the
pieces from there until the session after now is complete. These tests aim at those
limits: dense windows, chains of touching windows (within a date and across
midnight), long windows, exclusions (which trim a date's table), extra occurrences
far from now and short horizons; the property test compares with `reference` (all
occurrences of the range, cut, merged: no pruning at all).
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import event, given, settings
from hypothesis import strategies as st

from custom_components.partner_time.schedule import (
    LOOKBACK_DAYS,
    Occurrence,
    Situation,
    Window,
    situation,
)
from tests.test_schedule_properties import (
    DAYS,
    moments,
    reference,
    skipped_occurrences,
)

EVERY_DAY = frozenset(range(7))
ZULU = ZoneInfo("UTC")
BERLIN = ZoneInfo("Europe/Berlin")
MINUTE = timedelta(minutes=1)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """Return a UTC datetime."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def clock(minutes: int) -> time:
    """Return the wall time `minutes` after midnight (modulo a day)."""
    minutes %= 1440
    return time(minutes // 60, minutes % 60)


# ------------------------------------------------------------------ strategies


@st.composite
def dense_windows(draw: st.DrawFn) -> list[Window]:
    """1-40 windows: short ones close together, chains, long and overnight ones."""
    windows: list[Window] = []
    start = draw(st.integers(0, 1439))
    for _ in range(draw(st.integers(1, 40))):
        kind = draw(st.sampled_from(("short", "touching", "near", "long")))
        if kind == "touching" and windows:
            end = windows[-1].end
            start = end.hour * 60 + end.minute
        elif kind == "near":
            start += draw(st.integers(1, 10))
        else:
            start = draw(st.integers(0, 1439))
        length = draw(
            st.integers(1, 1439)
            if kind == "long"
            else st.integers(1, 5)
            if kind == "short"
            else st.integers(1, 240)
        )
        days = draw(st.one_of(st.just(EVERY_DAY), DAYS))
        name = draw(st.sampled_from("abc"))
        windows.append(Window(name, days, clock(start), clock(start + length)))
    return windows


def around(now: datetime, low: int, high: int) -> st.SearchStrategy[datetime]:
    """Instants `low` to `high` minutes from now, on whole minutes or not."""
    return st.builds(
        lambda minutes, seconds: now + minutes * MINUTE + timedelta(seconds=seconds),
        st.integers(low, high),
        st.sampled_from((0, 0, 30)),
    )


# ------------------------------------------------------------------ properties


@settings(deadline=None, max_examples=300)
@given(dense_windows(), moments(), st.data())
def test_dense_windows_match_reference(
    windows: list[Window], moment: tuple[str, datetime, datetime], data: st.DataObject
) -> None:
    """The pruned search equals merging all occurrences, in every situation."""
    zone, _, now = moment
    tz = ZoneInfo(zone)
    extra = [
        Occurrence(
            data.draw(st.sampled_from("am")),
            start,
            start + data.draw(st.integers(1, 3000)) * MINUTE,
            manual=data.draw(st.booleans()),
        )
        for start in data.draw(
            st.lists(around(now, -(LOOKBACK_DAYS + 2) * 1440, 3000), max_size=2)
        )
    ]
    exclude = skipped_occurrences(data, windows, tz, now, most=3)
    exclude += [
        (start, start + data.draw(st.integers(1, 3000)) * MINUTE)
        for start in data.draw(st.lists(around(now, -3000, 3000), max_size=2))
    ]
    if data.draw(st.booleans()):  # as after stopping a session: the past is done
        exclude.append(
            (now - timedelta(days=2), now + data.draw(st.integers(1, 600)) * MINUTE)
        )
    horizon = data.draw(
        st.one_of(
            st.just(timedelta(days=8)),
            st.integers(0, 12_000).map(lambda minutes: minutes * MINUTE),
        )
    )
    expected = reference(
        windows, tz, now, extra=extra, exclude=exclude, horizon=horizon
    )
    result = situation(windows, tz, now, extra=extra, exclude=exclude, horizon=horizon)
    current = expected[0]
    event(f"current: {current is not None}, next: {expected[1] is not None}")
    if current is not None:
        event(
            f"current longer than a day: {current.end - current.start > timedelta(days=1)}"
        )
    assert (result.current, result.next) == expected


# ---------------------------------------------------------------------- examples


def test_chain_within_a_date_is_one_block() -> None:
    """A day-long chain of touching windows is found whole, from inside or before."""
    windows = [
        Window(f"w{minute:04}", EVERY_DAY, clock(minute), clock(minute + 1))
        for minute in range(60, 1380)
    ]
    whole = Occurrence("w0060", utc(2026, 7, 1, 1), utc(2026, 7, 1, 23))
    assert situation(windows, ZULU, utc(2026, 7, 1, 12, 0)).current == whole
    assert situation(windows, ZULU, utc(2026, 7, 1, 0, 30)).next == whole


def test_chain_across_dates_reaches_the_horizon() -> None:
    """Overnight windows touching the next date's: the chain spans many dates."""
    windows = [
        Window("night", EVERY_DAY, time(22), time(6)),
        Window("day", EVERY_DAY, time(6), time(22)),
    ]
    now = utc(2026, 7, 1, 12)
    first = utc(2026, 7, 1) - timedelta(days=LOOKBACK_DAYS)
    # from the first date's day window on (the night before belongs to no date seen)
    assert situation(windows, ZULU, now) == Situation(
        Occurrence("day", first + timedelta(hours=6), now + timedelta(days=8)), None
    )
    # a skipped night breaks the chain on both sides
    skip = [(utc(2026, 6, 30, 22), utc(2026, 6, 30, 22, 1))]
    assert situation(windows, ZULU, now, exclude=skip).current == Occurrence(
        "day", utc(2026, 7, 1, 6), now + timedelta(days=8)
    )


def test_extra_far_back_is_seen_whole() -> None:
    """A manual session from before the first date counts from its own start."""
    windows = [Window("day", EVERY_DAY, time(0), time(0, 30))]
    now = utc(2026, 7, 1, 12)
    manual = Occurrence("m", now - timedelta(days=20), now + MINUTE, manual=True)
    result = situation(windows, ZULU, now, extra=[manual])
    assert result.current == Occurrence("day", manual.start, manual.end, manual=True)


def test_sparse_weekday_is_found_days_ahead() -> None:
    """Windows on one weekday only: the search opens the empty dates between."""
    monday = Window("monday", frozenset({0}), time(9), time(10))
    now = utc(2026, 7, 1, 12)  # a Wednesday
    assert situation([monday], BERLIN, now) == Situation(
        None, Occurrence("monday", utc(2026, 7, 6, 7), utc(2026, 7, 6, 8))
    )
    assert situation([monday], BERLIN, now, horizon=timedelta(days=4)) == Situation(
        None, None
    )


def test_exclusions_growing_and_repeated() -> None:
    """An exclusion growing call by call, each asked twice: always the reference."""
    windows = [
        Window(f"w{minute}", EVERY_DAY, clock(minute), clock(minute + 1))
        for minute in range(0, 1440, 2)
    ]
    now = utc(2026, 7, 1, 12)
    for minutes in range(0, 200, 4):
        exclude = [(now - timedelta(days=2), now + minutes * MINUTE)]
        expected = reference(
            windows, ZULU, now, extra=[], exclude=exclude, horizon=timedelta(days=8)
        )
        first = situation(windows, ZULU, now, exclude=exclude)
        again = situation(windows, ZULU, now, exclude=exclude)
        assert (first.current, first.next) == (again.current, again.next) == expected
