"""The store format: what is written reads back the same; what we did not write is damage."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from custom_components.partner_time.house import Applied
from custom_components.partner_time.record import (
    Session,
    dump_intervals,
    dump_manual,
    instant,
    iso,
    load_intervals,
    load_manual,
)
from custom_components.partner_time.schedule import Occurrence

START = datetime(2026, 6, 1, 16, 30, tzinfo=UTC)
END = datetime(2026, 6, 1, 17, 30, tzinfo=UTC)


def test_instants_round_trip() -> None:
    """An instant reads back as written; None stays None."""
    assert instant(iso(START)) == START
    assert iso(None) is None
    assert instant(None) is None


@pytest.mark.parametrize("raw", ["yesterday", "2026-06-01T18:30:00", 42])
def test_anything_but_an_aware_instant_is_damage(raw: object) -> None:
    """Text that is no time, a time without zone, a number: all refused."""
    with pytest.raises(ValueError, match="not an instant"):
        instant(raw)


def test_intervals_round_trip() -> None:
    """Skips and exclusions read back as written; empty ends are dropped."""
    assert load_intervals(dump_intervals([(START, END)])) == [(START, END)]
    assert load_intervals([[None, iso(END)]]) == []  # type: ignore[list-item]


def test_manual_round_trip() -> None:
    """The manual part of a session reads back as written."""
    manual = Occurrence("Partner time", START, END, manual=True)
    assert load_manual(dump_manual(manual)) == manual
    assert dump_manual(None) is None
    assert load_manual(None) is None
    assert load_manual({"name": "x", "start": None, "end": iso(END)}) is None


def test_session_round_trip() -> None:
    """A session with what it changed reads back as written."""
    applied = Applied(context_id="c", dnd_mode="priority_only", phones=["notify.a"])
    session = Session(
        START, END, "schedule", "Dinner", manual_end=False, applied=applied
    )
    assert Session.from_dict(session.as_dict()) == session
    bare = Session(START, END, "manual", "Partner time", manual_end=True)
    assert Session.from_dict(bare.as_dict()) == bare


def test_session_without_start_is_damage() -> None:
    """A session must have a start and an end."""
    with pytest.raises(ValueError, match="without start or end"):
        Session.from_dict({"start": None, "end": iso(END), "source": "x", "name": "y"})
