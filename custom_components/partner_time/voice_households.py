"""Which household a voice request means.

The one named in the `name` slot (its title, as speech recognition writes it, also
slightly misheard), else the only one that is loaded, else the one named like the
keyword itself ("Partner time", "Partnerzeit"); otherwise the answer asks which and
lists them (a `RefusalError` with `no_valid_targets`).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from typing import TYPE_CHECKING, Final

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import Platform
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import intent

from .const import DOMAIN
from .voice_words import say_list, text

if TYPE_CHECKING:
    from collections.abc import Sequence

    from homeassistant.core import HomeAssistant

    from .engine import PartnerTimeEngine

KEYWORDS: Final = frozenset({"partner time", "partnertime", "partnerzeit"})
"""Household titles that are the keyword itself: meant when no other name is said."""

SAME_START: Final = 4
"""How many first letters a misheard name shares with the household's title."""

LEADING: Final = frozenset(
    {"the", "for", "of", "die", "der", "den", "das", "dem", "des", "fur", "von", "vom"}
)
"""Words before a said name that are no part of it (accents folded: "für" is "fur")."""


class RefusalError(Exception):
    """An answer that ends the request: which household, no household, ..."""

    def __init__(
        self,
        *,
        key: str,
        code: intent.IntentResponseErrorCode,
        **values: str,
    ) -> None:
        """Remember the answer's key, error code and placeholders."""
        super().__init__(key)
        self.key = key
        self.code = code
        self.values = values


def _normalized(name: str) -> str:
    """Compare names as speech recognition writes them: no case, accents or gaps."""
    folded = "".join(
        char
        for char in unicodedata.normalize("NFKD", name.casefold())
        if not unicodedata.combining(char)
    )
    return " ".join(re.sub(r"[^\w\s]", "", folded).split())


def _spoken(name: str) -> str:
    """Normalize a said name, without leading articles ("für die Familie": "familie")."""
    words = _normalized(name).split()
    while len(words) > 1 and words[0] in LEADING:
        words = words[1:]
    return " ".join(words)


def loaded_engines(hass: HomeAssistant) -> list[PartnerTimeEngine]:
    """Return every loaded household's engine, sorted by title."""
    engines: list[PartnerTimeEngine] = [
        entry.runtime_data.engine
        for entry in hass.config_entries.async_entries(DOMAIN)
        if entry.state is ConfigEntryState.LOADED
    ]
    return sorted(engines, key=lambda engine: _normalized(engine.title))


def household_names(hass: HomeAssistant) -> list[str]:
    """Return the titles of the loaded households (the values of the `name` slot)."""
    return [engine.title for engine in loaded_engines(hass)]


def _named(engines: Sequence[PartnerTimeEngine], name: str) -> PartnerTimeEngine | None:
    """Find the household called `name`: exactly, else the one clearly meant.

    Clearly meant: the only title that begins the same way and differs in an ending
    ("Familie" for "Family"), not one that merely sounds alike ("Downstairs" is not
    "Upstairs").
    """
    spoken = _spoken(name)
    by_name = {_normalized(engine.title): engine for engine in engines}
    if spoken in by_name:
        return by_name[spoken]
    close = [
        title
        for title in difflib.get_close_matches(spoken, list(by_name), cutoff=0.75)
        if title[:SAME_START] == spoken[:SAME_START]
    ]
    if len(close) == 1:
        return by_name[close[0]]
    return None


def choose_engine(
    hass: HomeAssistant, language: str, name: str | None
) -> PartnerTimeEngine:
    """Return the household named `name`, or the one meant; else refuse and ask."""
    engines = loaded_engines(hass)
    titles = [engine.title for engine in engines]
    if not engines:
        raise RefusalError(
            key="none", code=intent.IntentResponseErrorCode.NO_VALID_TARGETS
        )
    if name is not None:
        if (engine := _named(engines, name)) is not None:
            return engine
        known = text(
            language,
            "known_one" if len(engines) == 1 else "known_many",
            names=say_list(language, titles, "and"),
        )
        raise RefusalError(
            key="unknown",
            code=intent.IntentResponseErrorCode.NO_VALID_TARGETS,
            name=name.strip(),
            known=known,
        )
    if len(engines) == 1:
        return engines[0]
    keyword = [e for e in engines if _normalized(e.title) in KEYWORDS]
    if len(keyword) == 1:
        return keyword[0]
    raise RefusalError(
        key="which",
        code=intent.IntentResponseErrorCode.NO_VALID_TARGETS,
        names=say_list(language, titles, "or"),
    )


def switch_entity_id(engine: PartnerTimeEngine) -> str | None:
    """Return the entity id of the household's partner time switch."""
    return er.async_get(engine.hass).async_get_entity_id(
        Platform.SWITCH, DOMAIN, f"{engine.entry_id}_main"
    )
