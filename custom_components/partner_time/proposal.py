"""A proposal of partner time ("shall we?"), without Home Assistant.

One partner proposes (for a duration, with an optional message); the household's phones
are asked; the first yes starts partner time for that duration, a no or no answer
within the timeout lets it lapse. A new proposal replaces a pending one. The pending
proposal is kept across restarts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

ACCEPT_PREFIX: Final = "PARTNER_TIME_ACCEPT_"
DECLINE_PREFIX: Final = "PARTNER_TIME_DECLINE_"
TAG_PREFIX: Final = "partner_time_proposal_"


@dataclass(frozen=True, slots=True)
class Proposal:
    """A pending proposal: who asked (a name, if known), until when, for how long."""

    by: str | None
    at: datetime
    until: datetime
    duration: timedelta
    message: str | None = None
    by_user: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Serialize for the store."""
        return {
            "by": self.by,
            "at": self.at.isoformat(),
            "until": self.until.isoformat(),
            "duration": self.duration.total_seconds(),
            "message": self.message,
            "by_user": self.by_user,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Proposal:
        """Read back from the store; raise on anything that is not what we wrote."""
        at = datetime.fromisoformat(str(data["at"]))
        until = datetime.fromisoformat(str(data["until"]))
        if at.tzinfo is None or until.tzinfo is None:
            msg = "a proposal's times must be aware"
            raise ValueError(msg)
        return cls(
            by=data.get("by"),
            at=at,
            until=until,
            duration=timedelta(seconds=float(data["duration"])),
            message=data.get("message"),
            by_user=data.get("by_user"),
        )


def action_ids(entry_id: str) -> tuple[str, str]:
    """Return the notification actions' ids of a household: accept, decline."""
    return f"{ACCEPT_PREFIX}{entry_id}", f"{DECLINE_PREFIX}{entry_id}"


def tag_of(entry_id: str) -> str:
    """Return the notification tag of a household's proposal (a later one replaces it)."""
    return f"{TAG_PREFIX}{entry_id}"
