"""Tests of the pure schedule math (no Home Assistant needed)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from custom_components.partner_time.schedule import (
    LOOKBACK_DAYS,
    WEEKDAYS,
    InvalidWindow,
    Occurrence,
    Situation,
    Window,
    localize,
    merge,
    situation,
    window_occurrences,
)

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
ZULU = ZoneInfo("UTC")
EVERY_DAY = frozenset(range(7))
MONDAY, SUNDAY = 0, 6


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """Return a UTC datetime."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def window(name: str, start: str, end: str, days: frozenset[int] = EVERY_DAY) -> Window:
    """Return a window from "HH:MM" strings."""
    return Window(name, days, time.fromisoformat(start), time.fromisoformat(end))


def spans(occurrences: list[Occurrence]) -> list[tuple[str, datetime, datetime]]:
    """(name, start, end) of each occurrence."""
    return [(item.name, item.start, item.end) for item in occurrences]


DINNER = window("Dinner", "18:30", "19:30")


# ------------------------------------------------------------------ windows


def test_from_dict_and_as_dict() -> None:
    """The stored form round-trips; days come back in weekday order."""
    data = {
        "name": "Dinner",
        "days": ["sun", "mon", "Wed ", "mon"],
        "start": "18:30",
        "end": "19:30:15",
    }
    parsed = Window.from_dict(data)
    assert parsed == Window(
        "Dinner", frozenset({0, 2, 6}), time(18, 30), time(19, 30, 15)
    )
    stored = parsed.as_dict()
    assert stored == {
        "name": "Dinner",
        "days": ["mon", "wed", "sun"],
        "start": "18:30:00",
        "end": "19:30:15",
    }
    assert Window.from_dict(stored) == parsed
    assert Window.from_dict(
        {**stored, "start": time(7, 5), "end": "7:10"}
    ).start == time(7, 5)
    assert WEEKDAYS[date(2026, 7, 6).weekday()] == "mon"


GOOD: dict[str, Any] = {
    "name": "Dinner",
    "days": ["mon"],
    "start": "18:30",
    "end": "19:30",
}


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"name": None}, "name"),
        ({"name": 5}, "name"),
        ({"name": "  "}, "name"),
        ({"days": None}, "days"),
        ({"days": []}, "days"),
        ({"days": "mon"}, "days"),
        ({"days": ["mon", "someday"]}, "days"),
        ({"days": [0]}, "days"),
        ({"start": None}, "start"),
        ({"start": "18.30"}, "start"),
        ({"start": "24:00"}, "start"),
        ({"start": "12:60"}, "start"),
        ({"start": "12:00:60"}, "start"),
        ({"start": "12:00:00.5"}, "start"),
        ({"end": None}, "end"),
        ({"end": "7pm"}, "end"),
        ({"end": "18:30:00"}, "start_equals_end"),
    ],
)
def test_from_dict_rejects(change: dict[str, Any], reason: str) -> None:
    """Every bad field raises InvalidWindow naming it."""
    with pytest.raises(InvalidWindow) as caught:
        Window.from_dict({**GOOD, **change})
    assert caught.value.reason == reason
    assert isinstance(caught.value, ValueError)
    assert reason in str(caught.value)


def test_missing_key() -> None:
    """A missing key is reported like a bad one."""
    with pytest.raises(InvalidWindow) as caught:
        Window.from_dict({"name": "Dinner", "days": ["mon"], "start": "18:30"})
    assert caught.value.reason == "end"


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"name": ""}, "name"),
        ({"days": frozenset()}, "days"),
        ({"days": {0, 1}}, "days"),
        ({"days": frozenset({7})}, "days"),
        ({"days": frozenset({True})}, "days"),
        ({"start": time(18, 30, tzinfo=UTC)}, "start"),
        ({"start": time(18, 30, 0, 5)}, "start"),
        ({"start": "18:30"}, "start"),
        ({"end": time(19, 30, tzinfo=UTC)}, "end"),
        ({"end": time(18, 30)}, "start_equals_end"),
    ],
)
def test_constructor_validates(fields: dict[str, Any], reason: str) -> None:
    """Direct construction is validated the same way."""
    arguments = {
        "name": "Dinner",
        "days": frozenset({0}),
        "start": time(18, 30),
        "end": time(19, 30),
        **fields,
    }
    with pytest.raises(InvalidWindow) as caught:
        Window(**arguments)
    assert caught.value.reason == reason


# ----------------------------------------------------------------- localize


def test_localize() -> None:
    """Plain times, the spring gap and the repeated autumn hour."""
    assert localize(date(2026, 7, 1), time(18, 30), BERLIN) == utc(2026, 7, 1, 16, 30)
    assert localize(date(2026, 1, 1), time(18, 30), BERLIN) == utc(2026, 1, 1, 17, 30)
    # 2026-03-29 02:00 -> 03:00: everything in the gap is the transition instant
    for minute in (0, 1, 30, 59):
        assert localize(date(2026, 3, 29), time(2, minute), BERLIN) == utc(
            2026, 3, 29, 1
        )
    assert localize(date(2026, 3, 29), time(2, 59, 59, 999_999), BERLIN) == utc(
        2026, 3, 29, 1
    )
    assert localize(date(2026, 3, 29), time(3), BERLIN) == utc(2026, 3, 29, 1)
    assert localize(date(2026, 3, 29), time(1, 59), BERLIN) == utc(2026, 3, 29, 0, 59)
    # 2026-10-25 03:00 -> 02:00: the first 02:15 (CEST) wins, also with fold=1 asked
    assert localize(date(2026, 10, 25), time(2, 15), BERLIN) == utc(2026, 10, 25, 0, 15)
    assert localize(date(2026, 10, 25), time(2, 15, fold=1), BERLIN) == utc(
        2026, 10, 25, 0, 15
    )
    assert localize(date(2026, 3, 8), time(2, 30), NEW_YORK) == utc(2026, 3, 8, 7)
    assert localize(date(2026, 11, 1), time(1, 30), NEW_YORK) == utc(2026, 11, 1, 5, 30)
    assert localize(date(2026, 3, 29), time(2, 30), ZULU) == utc(2026, 3, 29, 2, 30)


# -------------------------------------------------------------- occurrences


def test_dinner() -> None:
    """A daily dinner window, before, during and after."""
    [occurrence] = window_occurrences(
        [DINNER], BERLIN, utc(2026, 7, 1), utc(2026, 7, 2)
    )
    assert occurrence == Occurrence(
        "Dinner", utc(2026, 7, 1, 16, 30), utc(2026, 7, 1, 17, 30)
    )
    before = situation([DINNER], BERLIN, utc(2026, 7, 1, 12))
    assert before.current is None
    assert before.next == occurrence
    assert before.next_transition == utc(2026, 7, 1, 16, 30)
    during = situation([DINNER], BERLIN, utc(2026, 7, 1, 16, 30))
    assert during.current == occurrence
    assert during.next == Occurrence(
        "Dinner", utc(2026, 7, 2, 16, 30), utc(2026, 7, 2, 17, 30)
    )
    assert during.next_transition == utc(2026, 7, 1, 17, 30)
    after = situation([DINNER], BERLIN, utc(2026, 7, 1, 17, 30))
    assert after.current is None
    assert after.next_transition == utc(2026, 7, 2, 16, 30)


def test_window_crossing_midnight() -> None:
    """22:00-06:00 belongs to the date it starts on and ends the next morning."""
    night = window("Night", "22:00", "06:00", frozenset({4}))  # Friday nights
    assert spans(
        window_occurrences([night], BERLIN, utc(2026, 7, 1), utc(2026, 7, 8))
    ) == [
        ("Night", utc(2026, 7, 3, 20), utc(2026, 7, 4, 4)),
    ]
    saturday_morning = situation([night], BERLIN, utc(2026, 7, 4, 1))
    assert saturday_morning.current == Occurrence(
        "Night", utc(2026, 7, 3, 20), utc(2026, 7, 4, 4)
    )
    assert saturday_morning.next == Occurrence(
        "Night", utc(2026, 7, 10, 20), utc(2026, 7, 11, 4)
    )
    # the window does not run on Saturday night
    assert situation([night], BERLIN, utc(2026, 7, 4, 21)).current is None


def test_touching_windows_make_one_session() -> None:
    """18:00-19:00 and 19:00-20:00 are one session 18:00-20:00, named after 18:00."""
    windows = [window("Walk", "19:00", "20:00"), window("Cook", "18:00", "19:00")]
    result = situation(windows, ZULU, utc(2026, 7, 1, 18, 59))
    assert result.current == Occurrence(
        "Cook", utc(2026, 7, 1, 18), utc(2026, 7, 1, 20)
    )
    assert result.next_transition == utc(2026, 7, 1, 20)
    assert spans(
        merge(window_occurrences(windows, ZULU, utc(2026, 7, 1), utc(2026, 7, 2)))
    ) == [
        ("Cook", utc(2026, 7, 1, 18), utc(2026, 7, 1, 20)),
    ]


def test_overlapping_windows() -> None:
    """Overlapping windows merge; the earliest start names the session."""
    windows = [
        window("B", "18:00", "20:00"),
        window("A", "18:00", "19:00"),
        window("C", "19:30", "21:00"),
    ]
    result = situation(windows, ZULU, utc(2026, 7, 1, 12))
    assert result.next == Occurrence("A", utc(2026, 7, 1, 18), utc(2026, 7, 1, 21))
    occurrences = window_occurrences(windows, ZULU, utc(2026, 7, 1), utc(2026, 7, 2))
    assert [item.name for item in occurrences] == ["A", "B", "C"]


def test_days_filter() -> None:
    """A Monday-only window seen from Sunday starts on Monday."""
    monday = window("Monday", "09:00", "10:00", frozenset({MONDAY}))
    result = situation([monday], BERLIN, utc(2026, 7, 5, 12))  # Sunday
    assert result.current is None
    assert result.next == Occurrence("Monday", utc(2026, 7, 6, 7), utc(2026, 7, 6, 8))
    later = situation([monday], BERLIN, utc(2026, 7, 6, 8))  # Monday, just over
    assert later.next is not None
    assert later.next.start == utc(2026, 7, 13, 7)


def test_spring_forward_start_in_gap() -> None:
    """On 2026-03-29 (02:00 -> 03:00) a 02:30 start is at 03:00 = 01:00 UTC, once."""
    early = window("Early", "02:30", "04:00", frozenset({SUNDAY}))
    occurrences = window_occurrences(
        [early], BERLIN, utc(2026, 3, 28), utc(2026, 3, 30)
    )
    assert spans(occurrences) == [("Early", utc(2026, 3, 29, 1), utc(2026, 3, 29, 2))]
    result = situation([early], BERLIN, utc(2026, 3, 29, 0, 30))
    assert result.next == occurrences[0]
    assert situation([early], BERLIN, utc(2026, 3, 29, 1)).current == occurrences[0]


def test_spring_forward_end_in_gap() -> None:
    """A 01:30-02:30 window on the spring day ends at 03:00 local (01:00 UTC)."""
    late = window("Late", "01:30", "02:30", frozenset({SUNDAY}))
    [occurrence] = window_occurrences(
        [late], BERLIN, utc(2026, 3, 29), utc(2026, 3, 30)
    )
    assert occurrence.start == utc(2026, 3, 29, 0, 30)
    assert occurrence.end == utc(2026, 3, 29, 1)
    assert occurrence.end.astimezone(BERLIN).time() == time(3)
    assert situation([late], BERLIN, utc(2026, 3, 29, 0, 45)).current == occurrence


def test_window_inside_the_gap_does_not_happen() -> None:
    """02:10-02:40 does not exist on the spring day; other days it does."""
    ghost = window("Ghost", "02:10", "02:40")
    occurrences = window_occurrences(
        [ghost], BERLIN, utc(2026, 3, 28), utc(2026, 3, 31)
    )
    assert [item.start.date() for item in occurrences] == [
        date(2026, 3, 28),
        date(2026, 3, 30),
    ]
    result = situation([ghost], BERLIN, utc(2026, 3, 28, 12))
    assert result.next == occurrences[1]
    assert (
        situation(
            [ghost],
            BERLIN,
            utc(2026, 3, 29, 1),
            exclude=[(utc(2026, 3, 30), utc(2026, 3, 30, 1))],
        ).next
        is not None
    )


def test_autumn_repeated_hour_runs_once() -> None:
    """2026-10-25 (03:00 -> 02:00): 02:15-02:45 runs once, 30 min, in the first hour."""
    repeat = window("Repeat", "02:15", "02:45", frozenset({SUNDAY}))
    occurrences = window_occurrences(
        [repeat], BERLIN, utc(2026, 10, 24), utc(2026, 10, 26)
    )
    assert spans(occurrences) == [
        ("Repeat", utc(2026, 10, 25, 0, 15), utc(2026, 10, 25, 0, 45))
    ]
    assert occurrences[0].end - occurrences[0].start == timedelta(minutes=30)
    assert (
        situation([repeat], BERLIN, utc(2026, 10, 25, 0, 20)).current == occurrences[0]
    )
    second_pass = situation([repeat], BERLIN, utc(2026, 10, 25, 1, 20))  # 02:20 CET
    assert second_pass.current is None
    assert second_pass.next is not None
    assert second_pass.next.start == utc(2026, 11, 1, 1, 15)


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 3, 28),
        date(2026, 3, 29),
        date(2026, 3, 30),
        date(2026, 10, 24),
        date(2026, 10, 25),
        date(2026, 10, 26),
    ],
)
def test_local_time_kept_across_dst(day: date) -> None:
    """Dinner starts at 18:30 local on both sides of both changes."""
    result = situation([DINNER], BERLIN, datetime.combine(day, time(12), tzinfo=BERLIN))
    assert result.next is not None
    assert result.next.start.astimezone(BERLIN).replace(
        tzinfo=None
    ) == datetime.combine(day, time(18, 30))
    assert result.next.end - result.next.start == timedelta(hours=1)
    assert result.next.start.tzinfo is UTC


# ----------------------------------------------------------- exclude, extra


def test_exclude_drops_a_window_start() -> None:
    """An excluded start drops that occurrence only; extras are never excluded."""
    today = utc(2026, 7, 1, 16, 30)
    skip = [(today, today + timedelta(seconds=1))]
    result = situation([DINNER], BERLIN, utc(2026, 7, 1, 12), exclude=skip)
    assert result.next is not None
    assert result.next.start == utc(2026, 7, 2, 16, 30)
    # excluding the touching second half leaves the first
    windows = [window("Cook", "18:00", "19:00"), window("Walk", "19:00", "20:00")]
    split = situation(
        windows,
        ZULU,
        utc(2026, 7, 1, 18, 30),
        exclude=[(utc(2026, 7, 1, 19), utc(2026, 7, 1, 19, 1))],
    )
    assert split.current == Occurrence("Cook", utc(2026, 7, 1, 18), utc(2026, 7, 1, 19))
    # the excluded date's later windows still count, up to the horizon
    late = window("Late", "21:00", "22:00")
    assert situation(
        [DINNER, late], BERLIN, utc(2026, 7, 1, 12), exclude=skip
    ).next == Occurrence("Late", utc(2026, 7, 1, 19), utc(2026, 7, 1, 20))
    assert situation(
        [DINNER, late],
        BERLIN,
        utc(2026, 7, 1, 12),
        exclude=skip,
        horizon=timedelta(hours=6),
    ) == Situation(None, None)
    manual = Occurrence("Manual", today, today + timedelta(minutes=10), manual=True)
    kept = situation([DINNER], BERLIN, today, extra=[manual], exclude=skip)
    assert kept.current == manual


def test_nested_excluded_intervals() -> None:
    """Overlapping exclude intervals drop everything any of them covers."""
    tea = window("Tea", "18:45", "19:00")
    exclude = [
        (utc(2026, 7, 1, 16), utc(2026, 7, 1, 17)),
        (utc(2026, 7, 1, 16, 20), utc(2026, 7, 1, 16, 40)),
    ]
    result = situation([DINNER, tea], BERLIN, utc(2026, 7, 1, 12), exclude=exclude)
    assert result.next == Occurrence(
        "Dinner", utc(2026, 7, 2, 16, 30), utc(2026, 7, 2, 17, 30)
    )


def test_same_times_named_by_name() -> None:
    """Windows with the same start and end: the smallest name names the session."""
    windows = [window("b", "18:00", "19:00"), window("a", "18:00", "19:00")]
    result = situation(windows, ZULU, utc(2026, 7, 1, 12))
    assert result.next == Occurrence("a", utc(2026, 7, 1, 18), utc(2026, 7, 1, 19))


def test_extra_merges_with_window_and_manual_flag() -> None:
    """A manual session merges with a window; whoever supplies the end sets `manual`."""
    dinner_start, dinner_end = utc(2026, 7, 1, 16, 30), utc(2026, 7, 1, 17, 30)
    now = utc(2026, 7, 1, 16, 45)

    def current(
        start: datetime, end: datetime, name: str = "Manual"
    ) -> Occurrence | None:
        extra = [Occurrence(name, start, end, manual=True)]
        return situation([DINNER], BERLIN, now, extra=extra).current

    # manual extends the window: manual supplies the end
    assert current(utc(2026, 7, 1, 16), utc(2026, 7, 1, 18)) == Occurrence(
        "Dinner", utc(2026, 7, 1, 16), utc(2026, 7, 1, 18), manual=True
    )
    # the window outlasts the manual session
    assert current(utc(2026, 7, 1, 16), dinner_start) == Occurrence(
        "Dinner", utc(2026, 7, 1, 16), dinner_end
    )
    # same end: the window wins
    assert current(utc(2026, 7, 1, 16, 40), dinner_end) == Occurrence(
        "Dinner", dinner_start, dinner_end
    )
    # a manual session alone keeps its name
    lone = situation(
        [DINNER],
        BERLIN,
        utc(2026, 7, 1, 10),
        extra=[
            Occurrence("Manual", utc(2026, 7, 1, 9), utc(2026, 7, 1, 11), manual=True)
        ],
    )
    assert lone.current == Occurrence(
        "Manual", utc(2026, 7, 1, 9), utc(2026, 7, 1, 11), manual=True
    )
    assert lone.next_transition == utc(2026, 7, 1, 11)


def test_merge_rules() -> None:
    """merge(): sorting, touching, naming, the manual flag and empty members."""
    a = Occurrence("a", utc(2026, 1, 1, 10), utc(2026, 1, 1, 11))
    b = Occurrence("b", utc(2026, 1, 1, 11), utc(2026, 1, 1, 12), manual=True)
    c = Occurrence("c", utc(2026, 1, 1, 13), utc(2026, 1, 1, 14), manual=True)
    d = Occurrence("d", utc(2026, 1, 1, 13), utc(2026, 1, 1, 14))
    empty = Occurrence("e", utc(2026, 1, 1, 12), utc(2026, 1, 1, 12))
    assert merge([d, c, b, empty, a]) == [
        Occurrence("a", utc(2026, 1, 1, 10), utc(2026, 1, 1, 12), manual=True),
        Occurrence("d", utc(2026, 1, 1, 13), utc(2026, 1, 1, 14)),
    ]
    early_manual = Occurrence(
        "m", utc(2026, 1, 1, 9), utc(2026, 1, 1, 10, 30), manual=True
    )
    assert merge([a, early_manual]) == [
        Occurrence("a", utc(2026, 1, 1, 9), utc(2026, 1, 1, 11))
    ]
    m1 = Occurrence("m1", utc(2026, 1, 1, 9), utc(2026, 1, 1, 10), manual=True)
    m2 = Occurrence("m2", utc(2026, 1, 1, 8), utc(2026, 1, 1, 9), manual=True)
    assert merge([m1, m2]) == [
        Occurrence("m2", utc(2026, 1, 1, 8), utc(2026, 1, 1, 10), manual=True)
    ]
    assert merge([]) == []
    berlin = Occurrence(
        "x",
        datetime(2026, 1, 1, 11, tzinfo=BERLIN),
        datetime(2026, 1, 1, 12, tzinfo=BERLIN),
    )
    assert merge([berlin])[0].start == utc(2026, 1, 1, 10)


# ------------------------------------------------------- horizon, edge cases


def test_horizon_cut() -> None:
    """A session running at the horizon ends there; sessions after it are not seen."""
    now = utc(2026, 7, 1, 16, 45)
    cut = situation([DINNER], BERLIN, now, horizon=timedelta(minutes=15))
    assert cut.current == Occurrence(
        "Dinner", utc(2026, 7, 1, 16, 30), utc(2026, 7, 1, 17)
    )
    assert cut.next is None
    assert cut.next_transition == utc(2026, 7, 1, 17)
    short = situation([DINNER], BERLIN, utc(2026, 7, 1, 12), horizon=timedelta(hours=1))
    assert short == Situation(None, None)
    assert short.next_transition is None
    extra = [Occurrence("Manual", now, now + timedelta(days=30), manual=True)]
    long = situation([], BERLIN, now, extra=extra)
    assert long.current == Occurrence(
        "Manual", now, now + timedelta(days=8), manual=True
    )
    assert situation(
        [], BERLIN, now, extra=extra, horizon=-timedelta(hours=1)
    ) == Situation(None, None)


def test_horizon_ties_go_by_name() -> None:
    """Members cut at the horizon end together; then the name decides."""
    windows = [window("z", "10:00", "11:00"), window("a", "10:00", "12:00")]
    result = situation(windows, ZULU, utc(2026, 7, 1, 9), horizon=timedelta(minutes=90))
    assert result.next == Occurrence("a", utc(2026, 7, 1, 10), utc(2026, 7, 1, 10, 30))
    manual = Occurrence("m", utc(2026, 7, 1, 10), utc(2026, 7, 1, 13), manual=True)
    both = situation(
        windows,
        ZULU,
        utc(2026, 7, 1, 10, 15),
        extra=[manual],
        horizon=timedelta(minutes=15),
    )
    assert both.current == Occurrence("a", utc(2026, 7, 1, 10), utc(2026, 7, 1, 10, 30))


def test_gap_ties_go_by_end_then_name() -> None:
    """Starts (or ends) collapsing onto the spring transition: by end, then by name."""
    starts = [
        window("b", "02:10", "05:00", frozenset({SUNDAY})),
        window("a", "02:20", "04:00", frozenset({SUNDAY})),
    ]
    result = situation(starts, BERLIN, utc(2026, 3, 29, 0, 30))
    assert result.next == Occurrence("a", utc(2026, 3, 29, 1), utc(2026, 3, 29, 3))
    ends = [
        window("b", "01:00", "02:10", frozenset({SUNDAY})),
        window("a", "01:00", "02:50", frozenset({SUNDAY})),
    ]
    result = situation(ends, BERLIN, utc(2026, 3, 28, 23, 30))
    assert result.next == Occurrence("a", utc(2026, 3, 29, 0), utc(2026, 3, 29, 1))
    # a window ending in the gap touches one starting in it
    touching = [
        window("x", "01:00", "02:10", frozenset({SUNDAY})),
        window("y", "02:40", "04:00", frozenset({SUNDAY})),
    ]
    assert situation(touching, BERLIN, utc(2026, 3, 29, 0, 30)).current == Occurrence(
        "x", utc(2026, 3, 29, 0), utc(2026, 3, 29, 2)
    )


def test_exclude_around_the_gap() -> None:
    """Excluding by UTC start works for starts collapsed onto the transition."""
    windows = [
        window("Early", "02:30", "04:00", frozenset({SUNDAY})),
        window("Ghost", "02:05", "02:35", frozenset({SUNDAY})),
    ]
    transition = utc(2026, 3, 29, 1)
    result = situation(
        windows,
        BERLIN,
        utc(2026, 3, 29, 0),
        exclude=[(transition, transition + timedelta(minutes=1))],
    )
    assert result.next is not None
    assert result.next.start == utc(2026, 4, 5, 0, 5)


def test_chain_that_never_breaks() -> None:
    """A schedule covering every hour: LOOKBACK_DAYS dates back, cut at the horizon."""
    windows = [window("Day", "08:00", "20:00"), window("Night", "20:00", "08:00")]
    now = utc(2026, 7, 8, 12) + timedelta(seconds=30)
    result = situation(windows, ZULU, now)
    first_date = date(2026, 7, 8) - timedelta(days=LOOKBACK_DAYS)
    # the first date's Day window starts the chain (the night before is not seen)
    assert result.current == Occurrence(
        "Day",
        datetime.combine(first_date, time(8), tzinfo=UTC),
        now + timedelta(days=8),
    )
    assert result.next is None


def test_no_windows() -> None:
    """No windows and no extra: nothing now, nothing next."""
    assert situation([], BERLIN, utc(2026, 7, 1)) == Situation(None, None)
    assert situation([DINNER], BERLIN, utc(2026, 7, 1), extra=[]).next is not None


def test_naive_datetimes_are_rejected() -> None:
    """Naive instants are ambiguous; they raise."""
    with pytest.raises(ValueError, match="timezone-aware"):
        situation([DINNER], BERLIN, datetime(2026, 7, 1, 12))  # noqa: DTZ001


def test_changed_windows_are_seen() -> None:
    """The weekday tables are cached per windows, but an edited window counts at once."""
    windows = (DINNER, window("Lunch", "12:00", "13:00", frozenset({MONDAY})))
    monday = utc(2026, 7, 6, 6)
    lunch = Occurrence("Lunch", utc(2026, 7, 6, 10), utc(2026, 7, 6, 11))
    assert situation(windows, BERLIN, monday).next == lunch
    assert situation(list(windows), BERLIN, monday).next == lunch
    edited = [DINNER, window("Lunch", "12:00", "13:30", frozenset({MONDAY}))]
    assert situation(edited, BERLIN, monday).next == Occurrence(
        "Lunch", utc(2026, 7, 6, 10), utc(2026, 7, 6, 11, 30)
    )
    edited[1] = window("Brunch", "11:00", "12:00", frozenset({MONDAY}))
    assert situation(edited, BERLIN, monday).next == Occurrence(
        "Brunch", utc(2026, 7, 6, 9), utc(2026, 7, 6, 10)
    )
    for minutes in range(5):  # other households' windows in between
        situation([window("Other", "10:00", f"11:0{minutes}")], BERLIN, monday)
    assert situation(windows, BERLIN, monday).next == lunch
    assert situation((), BERLIN, monday) == Situation(None, None)


def test_weekday_tables_follow_local_dates() -> None:
    """Weekday by local date: a Sunday window in Auckland is Saturday evening in UTC."""
    auckland = ZoneInfo("Pacific/Auckland")
    sunday = window("Brunch", "10:00", "11:00", frozenset({SUNDAY}))
    result = situation([sunday], auckland, utc(2026, 7, 4, 12))
    assert result.next is not None
    assert result.next.start == utc(2026, 7, 4, 22)
