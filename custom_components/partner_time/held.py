"""Messages that can wait: held during partner time, delivered when it is over.

Pure (no `hass`): the held messages of one household as the plan keeps them (and the
store round trip), the limits, and the words of the summary. Delivery is notify.py's.

At most MAX_HELD messages are held, each cut to MAX_LENGTH characters; when more
come, the oldest are dropped and counted, and the summary says how many.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

from .phrases import clock, phrase

MAX_HELD: Final = 100
MAX_LENGTH: Final = 1000
ELLIPSIS: Final = "…"


@dataclass(frozen=True, slots=True)
class Message:
    """One message held back: its text, its title (if any), when it came."""

    text: str
    at: datetime
    title: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Write it for the store."""
        return {"text": self.text, "title": self.title, "at": self.at.isoformat()}

    @classmethod
    def from_dict(cls, data: object) -> Message:
        """Read it from the store; raise on anything damaged."""
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            msg = f"not a held message: {data!r}"
            raise TypeError(msg)
        at = datetime.fromisoformat(str(data.get("at")))
        if at.tzinfo is None:
            msg = f"held message without a time zone: {data!r}"
            raise ValueError(msg)
        title = data.get("title")
        return cls(data["text"], at, title if isinstance(title, str) else None)


def cut(text: str) -> str:
    """Return `text` cut to MAX_LENGTH characters (the cut marked with an ellipsis)."""
    if len(text) <= MAX_LENGTH:
        return text
    return text[: MAX_LENGTH - len(ELLIPSIS)] + ELLIPSIS


@dataclass(slots=True)
class Held:
    """The messages held back, oldest first, and how many older ones were dropped."""

    messages: list[Message] = field(default_factory=list)
    dropped: int = 0

    def __len__(self) -> int:
        """How many messages wait (the dropped ones counted too)."""
        return len(self.messages) + self.dropped

    def hold(self, text: str, title: str | None, at: datetime) -> None:
        """Hold a message; beyond MAX_HELD the oldest is dropped and counted."""
        self.messages.append(Message(cut(text), at, cut(title) if title else None))
        while len(self.messages) > MAX_HELD:
            self.messages.pop(0)
            self.dropped += 1

    def take(self) -> Held:
        """Return what is held and hold nothing any more (so nothing goes out twice)."""
        taken = Held(self.messages, self.dropped)
        self.messages, self.dropped = [], 0
        return taken

    def as_dict(self) -> dict[str, Any]:
        """Write them for the store."""
        return {
            "messages": [message.as_dict() for message in self.messages],
            "dropped": self.dropped,
        }

    @classmethod
    def from_dict(cls, data: object) -> Held:
        """Read them from the store (none if the store has none); raise on damage."""
        if data is None:
            return cls()
        if not isinstance(data, dict) or not isinstance(data.get("messages"), list):
            msg = f"not held messages: {data!r}"
            raise TypeError(msg)
        dropped = data.get("dropped", 0)
        if not isinstance(dropped, int) or isinstance(dropped, bool) or dropped < 0:
            msg = f"not a count: {dropped!r}"
            raise ValueError(msg)
        return cls([Message.from_dict(item) for item in data["messages"]], dropped)


def line(message: Message) -> str:
    """One held message as a line of the summary: "19:02 Title: text"."""
    head = (
        f"{clock(message.at)} {message.title}:" if message.title else clock(message.at)
    )
    return f"{head} {message.text}"


def summary(language: str | None, held: Held) -> str:
    """Word all held messages as one text ("While you were together: 3 messages …")."""
    count = len(held)
    counted = (
        phrase(language, "one_message")
        if count == 1
        else phrase(language, "messages", count=count)
    )
    lines = [line(message) for message in held.messages]
    if held.dropped:
        lines.insert(0, phrase(language, "dropped", count=held.dropped))
    return "\n".join([phrase(language, "held", count=counted), *lines])
