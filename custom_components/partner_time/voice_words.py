"""How the voice intents word their answers: the language, moments, time left, lists.

The answers are in the language of the request (German for "de", "de-CH", ...;
English otherwise) with local times; a refusal of the engine is said as the dashboard
shows it (its translated exception). The phrases themselves are in `voice_texts.py`.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Final

from homeassistant.helpers.translation import async_get_translations
from homeassistant.util import dt as dt_util

from .phrases import DAYS as WEEKDAYS
from .voice_texts import MONTHS, TEXTS, WHEN

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime, timedelta

    from homeassistant.core import HomeAssistant
    from homeassistant.exceptions import HomeAssistantError

LANGUAGES: Final = ("en", "de")
"""The languages of the answers and sentences; the first is the fallback."""


def answer_language(language: str | None) -> str:
    """Pick the language to answer in: German for any German variant, else English."""
    base = (language or "").lower().replace("_", "-").partition("-")[0]
    return base if base in LANGUAGES else LANGUAGES[0]


def text(language: str, key: str, **values: str) -> str:
    """Word one answer in `language` (as returned by `answer_language`)."""
    return TEXTS[language][key].format(**values)


def say_moment(language: str, kind: str, moment: datetime) -> str:
    """Say a moment in local time: "until 19:30", "tomorrow at 18:30", "um 18:30 Uhr".

    `kind` is "until" (the end of a session) or "begins" (the start of one).
    """
    local = dt_util.as_local(moment)
    days = (local.date() - dt_util.now().date()).days
    if days <= 0:
        when = "today"
    elif days == 1:
        when = "tomorrow"
    elif days < 7:  # noqa: PLR2004 - within a week, the weekday is enough
        when = "week"
    else:
        when = "later"
    time = (
        f"{local.hour}:{local.minute:02d} Uhr"
        if language == "de"
        else local.strftime("%H:%M")
    )
    return WHEN[language][kind][when].format(
        time=time,
        weekday=WEEKDAYS[language][local.weekday()],
        day=str(local.day),
        month=MONTHS[language][local.month - 1],
    )


def say_left(language: str, left: timedelta) -> str:
    """Say the time left, counted in started minutes: "25 more minutes", "Noch 1 Stunde".

    ("1 hour and 5 more minutes", "2 more hours"; German: "1 Stunde und 5 Minuten".)
    """
    return _say_minutes(language, max(1, math.ceil(left.total_seconds() / 60)), "_left")


def say_duration(language: str, duration: timedelta) -> str:
    """Say a duration: "30 minutes", "1 hour", "1 hour and 30 minutes", "eine Stunde"."""
    return _say_minutes(language, max(1, round(duration.total_seconds() / 60)), "")


def _say_minutes(language: str, minutes: int, kind: str) -> str:
    """Say minutes in hours and minutes; `kind` "_left" says them as time left."""
    hours, minutes = divmod(minutes, 60)
    if not hours:
        if minutes == 1:
            return text(language, f"minute{kind}")
        return text(language, f"minutes{kind}", minutes=str(minutes))
    if not minutes:
        if hours == 1:
            return text(language, f"hour{kind}")
        return text(language, f"hours{kind}", hours=str(hours))
    said_hours = (
        text(language, "hour")
        if hours == 1
        else text(language, "hours", hours=str(hours))
    )
    if minutes == 1:
        return text(language, f"hours_minute{kind}", hours=said_hours)
    return text(
        language, f"hours_minutes{kind}", hours=said_hours, minutes=str(minutes)
    )


def say_list(language: str, names: Sequence[str], conjunction: str) -> str:
    """Say names as "A", "A or B", "A, B or C" (`conjunction`: "or" or "and")."""
    if len(names) == 1:
        return names[0]
    word = TEXTS[language][conjunction]
    return f"{', '.join(names[:-1])} {word} {names[-1]}"


async def async_say_refusal(
    hass: HomeAssistant, language: str, err: HomeAssistantError
) -> str:
    """Say a refusal as the dashboard does: its translated sentence, in `language`."""
    if err.translation_domain and err.translation_key:
        translations = await async_get_translations(
            hass, language, "exceptions", {err.translation_domain}
        )
        key = (
            f"component.{err.translation_domain}.exceptions."
            f"{err.translation_key}.message"
        )
        if (message := translations.get(key)) is not None:
            placeholders = err.translation_placeholders or {}
            return re.sub(
                r"\{(\w+)\}",
                lambda found: str(placeholders.get(found[1], found[0])),
                message,
            )
    return str(err)
