"""Who is home: the household's presence rule, without Home Assistant.

A household may name its people (`person` entities) and a rule: `all` (everyone named
is home), `any` (someone is), or `ignore` (the default: presence does not matter). An
agreed time starts only while the rule holds; a person whose state is unavailable or
unknown counts as not home.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Mapping

PRESENCE_ALL: Final = "all"
PRESENCE_ANY: Final = "any"
PRESENCE_IGNORE: Final = "ignore"
PRESENCE_RULES: Final = (PRESENCE_IGNORE, PRESENCE_ALL, PRESENCE_ANY)
HOME: Final = "home"


@dataclass(frozen=True, slots=True)
class Presence:
    """Whether the rule holds, and who is missing for it (names, for the status)."""

    holds: bool = True
    missing: tuple[str, ...] = ()


def presence_of(rule: str, people: Mapping[str, tuple[str | None, str]]) -> Presence:
    """Apply `rule` to `people`: entity id -> (state or None, name)."""
    if rule == PRESENCE_IGNORE or not people:
        return Presence()
    away = tuple(name for state, name in people.values() if state != HOME)
    if rule == PRESENCE_ANY:
        return Presence(holds=len(away) < len(people), missing=away)
    return Presence(holds=not away, missing=away)
