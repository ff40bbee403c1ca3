"""What Partner Time says to the household, in English and German: one phrase table.

Messages (the reminder, the start and end messages, the missed-call digest) go out in
the household's language, HA's configured language. Times are written one way in both
languages: "19:30" (and "19:30 Uhr" in German sentences), a day added when it is not
today.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence  # noqa: TC003 - used at run time in Final
from datetime import datetime, timedelta
from typing import Any, Final

from homeassistant.util import dt as dt_util

PHRASES: Final[Mapping[str, Mapping[str, str]]] = {
    "en": {
        "warning": "Partner time starts at {time}: time to wrap up.",
        "started": "Partner time until {time}: the phones are away.",
        "ended": "Partner time is over.",
        "digest": "{count} during partner time: {calls}",
        "one_call": "1 call",
        "calls": "{count} calls",
        "unknown": "unknown caller",
        "time": "{time}",
        "day_time": "{day} {time}",
        "proposal_title": "Partner time?",
        "proposal": "{by} would like partner time: {minutes} minutes, now. Shall we?",
        "someone": "Your partner",
        "yes": "Yes, let's",
        "no": "Not now",
        "accepted": "Yes! Partner time until {time}.",
        "declined": "Not now: partner time was declined.",
        "lapsed": "No answer to your partner time proposal.",
        "breakthrough": "Call from {caller}",
        "channel": "Partner Time: calls that get through",
        "through": "Got through: {calls}",
        "held": "While you were together: {count}",
        "one_message": "1 message",
        "messages": "{count} messages",
        "dropped": "({count} older ones left out)",
    },
    "de": {
        "warning": "Um {time} beginnt die Partnerzeit. Zeit, langsam zum Schluss zu kommen.",
        "started": "Partnerzeit bis {time}: Die Handys haben Pause.",
        "ended": "Die Partnerzeit ist vorbei.",
        "digest": "{count} während der Partnerzeit: {calls}",
        "one_call": "1 Anruf",
        "calls": "{count} Anrufe",
        "unknown": "unbekannter Anrufer",
        "time": "{time} Uhr",
        "day_time": "{day} um {time} Uhr",
        "proposal_title": "Partnerzeit?",
        "proposal": "{by} möchte Partnerzeit: {minutes} Minuten, jetzt. Wollen wir?",
        "someone": "Dein Partner",
        "yes": "Ja, gern",
        "no": "Jetzt nicht",
        "accepted": "Ja! Partnerzeit bis {time}.",
        "declined": "Jetzt nicht: die Partnerzeit wurde abgelehnt.",
        "lapsed": "Keine Antwort auf deinen Vorschlag für Partnerzeit.",
        "breakthrough": "Anruf von {caller}",
        "channel": "Partnerzeit: Anrufe, die durchkommen",
        "through": "Durchgestellt: {calls}",
        "held": "Während ihr zusammen wart: {count}",
        "one_message": "1 Nachricht",
        "messages": "{count} Nachrichten",
        "dropped": "({count} ältere ausgelassen)",
    },
}

DAYS: Final[Mapping[str, Sequence[str]]] = {
    "en": (
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ),
    "de": (
        "Montag",
        "Dienstag",
        "Mittwoch",
        "Donnerstag",
        "Freitag",
        "Samstag",
        "Sonntag",
    ),
}
TOMORROW: Final[Mapping[str, str]] = {"en": "tomorrow", "de": "morgen"}


def language_of(language: str | None) -> str:
    """Return the phrase language for HA's language: "de" for any German ("de-CH"), else "en"."""
    base = (language or "").lower().replace("_", "-").partition("-")[0]
    return "de" if base == "de" else "en"


def phrase(language: str | None, key: str, **values: Any) -> str:
    """One phrase of the table, filled in."""
    return PHRASES[language_of(language)][key].format(**values)


def clock(moment: datetime) -> str:
    """HH:MM in HA's time zone, the same in both languages."""
    return dt_util.as_local(moment).strftime("%H:%M")


def when(language: str | None, moment: datetime, now: datetime) -> str:
    """Word a time for a sentence: "19:30" today, else with the day ("tomorrow 07:00")."""
    lang = language_of(language)
    local, today = dt_util.as_local(moment), dt_util.as_local(now).date()
    if local.date() == today:
        return phrase(lang, "time", time=clock(moment))
    if local.date() == today + timedelta(days=1):
        day = TOMORROW[lang]
    else:
        day = DAYS[lang][local.weekday()]
    return phrase(lang, "day_time", day=day, time=clock(moment))


def back_at(moment: datetime | None, now: datetime) -> str | None:
    """Return the status's `back_at`: "19:30" today, else "2026-12-02 06:50" (the day said)."""
    if moment is None:
        return None
    local = dt_util.as_local(moment)
    if local.date() == dt_util.as_local(now).date():
        return local.strftime("%H:%M")
    return local.strftime("%Y-%m-%d %H:%M")


def _callers(language: str, calls: Sequence[Mapping[str, Any]]) -> str:
    """Who called and when: "Anna (18:45), unknown caller (19:02)"."""
    parts = []
    for call in calls:
        who = call.get("from_name") or call.get("from") or phrase(language, "unknown")
        at = dt_util.parse_datetime(str(call.get("at") or ""))
        parts.append(f"{who} ({clock(at)})" if at else str(who))
    return ", ".join(parts)


def digest(
    language: str | None,
    calls: Sequence[Mapping[str, Any]],
    through: Sequence[Mapping[str, Any]] = (),
) -> str:
    """Word the one message about the calls held back and those that got through."""
    lang = language_of(language)
    said = []
    if count := len(calls):
        counted = (
            phrase(lang, "one_call")
            if count == 1
            else phrase(lang, "calls", count=count)
        )
        said.append(phrase(lang, "digest", count=counted, calls=_callers(lang, calls)))
    if through:
        said.append(phrase(lang, "through", calls=_callers(lang, through)))
    return ". ".join(said)
