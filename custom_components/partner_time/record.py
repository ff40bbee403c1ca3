"""What a household's engine keeps in its store, and how it is written and read back.

Reading is strict: anything that is not what we wrote raises, so the engine can report
a damaged store instead of acting on half of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from homeassistant.util import dt as dt_util

from .house import Applied
from .schedule import Occurrence

if TYPE_CHECKING:
    from datetime import datetime

STORAGE_VERSION = 1


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


def dump_intervals(intervals: list[tuple[datetime, datetime]]) -> list[list[str]]:
    """Write [start, end) intervals."""
    return [[a.isoformat(), b.isoformat()] for a, b in intervals]


def load_intervals(raw: list[list[str]]) -> list[tuple[datetime, datetime]]:
    """Read [start, end) intervals."""
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
    """The session in progress."""

    start: datetime
    end: datetime
    source: str
    name: str
    manual_end: bool
    applied: Applied | None = None

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
        start, end = instant(data["start"]), instant(data["end"])
        if start is None or end is None:
            msg = "session without start or end"
            raise ValueError(msg)
        applied = data.get("applied")
        return cls(
            start=start,
            end=end,
            source=str(data["source"]),
            name=str(data["name"]),
            manual_end=bool(data.get("manual_end")),
            applied=Applied.from_dict(applied) if applied else None,
        )
