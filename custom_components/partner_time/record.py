"""What a household keeps in its store: sessions, intervals, the week, read back strictly.

Reading is strict: anything that is not what we wrote raises, so the engine can report
a damaged store instead of acting on half of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from homeassistant.util import dt as dt_util

from .house import Applied
from .schedule import Occurrence

type Interval = tuple[datetime, datetime]


def iso(value: datetime | None) -> str | None:
    """Write an instant (or None)."""
    return value.isoformat() if value else None


def instant(value: object) -> datetime | None:
    """Read a stored instant: None stays None, anything but aware ISO time is damage."""
    if value is None:
        return None
    parsed = dt_util.parse_datetime(value) if isinstance(value, str) else None
    if parsed is None or parsed.tzinfo is None:
        msg = f"not an instant: {value!r}"
        raise ValueError(msg)
    return parsed


def _required(value: object) -> datetime:
    moment = instant(value)
    if moment is None:
        msg = "session without start or end"
        raise ValueError(msg)
    return moment


def dump_intervals(intervals: list[Interval]) -> list[list[str]]:
    """Write [start, end) intervals."""
    return [[a.isoformat(), b.isoformat()] for a, b in intervals]


def load_intervals(raw: list[list[str]]) -> list[Interval]:
    """Read [start, end) intervals; one with an end missing is left out."""
    out = []
    for first, second in raw:
        a, b = instant(first), instant(second)
        if a and b:
            out.append((a, b))
    return out


def dump_manual(manual: Occurrence | None) -> dict[str, str] | None:
    """Write the manual part of a session."""
    if manual is None:
        return None
    return {
        "name": manual.name,
        "start": manual.start.isoformat(),
        "end": manual.end.isoformat(),
    }


def load_manual(raw: dict[str, Any] | None) -> Occurrence | None:
    """Read the manual part of a session."""
    if not raw:
        return None
    start, end = instant(raw["start"]), instant(raw["end"])
    if start is None or end is None:
        return None
    return Occurrence(str(raw["name"]), start, end, manual=True)


@dataclass(slots=True)
class Session:
    """The session in progress; `name` is empty for a session only started by hand."""

    start: datetime
    end: datetime
    source: str
    name: str
    manual_end: bool
    applied: Applied | None = None

    @property
    def window(self) -> str | None:
        """The agreed time this session covers, if any (none for one by hand)."""
        return self.name or None

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
        applied = data.get("applied")
        return cls(
            start=_required(data["start"]),
            end=_required(data["end"]),
            source=str(data["source"]),
            name=str(data["name"]),
            manual_end=bool(data.get("manual_end")),
            applied=Applied.from_dict(applied) if applied else None,
        )


@dataclass(slots=True)
class Week:
    """The weekly total: the week's start (Monday 00:00 local) and its seconds so far."""

    start: datetime | None = None
    seconds: float = 0.0
