"""What the voice intents say, in English and German: the answers' phrase table.

`TEXTS` holds every answer by key (filled in by `voice_words.text`); `WHEN` says a
moment on the same day, the next day, within a week or later; `MONTHS` names the
months (the days' names are phrases.py's `DAYS`, the one table of them). Data only: the
wording functions are in `voice_words.py`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

TEXTS: Final[Mapping[str, Mapping[str, str]]] = {
    "en": {
        "started": "Partner time started {until}.",
        "already_on": "Partner time is already on {until}.",
        "now_until": "Partner time now lasts {until}.",
        "pending": "Partner time starts as soon as Home Assistant has started.",
        "ended": "Partner time ended.",
        "not_on": "Partner time isn't on.",
        "extended": "Partner time extended {until}.",
        "skipped": "Skipped the partner time {begins}.{then}",
        "unskipped": "Nothing is skipped any more.{then}",
        "then": "The next one begins {begins}.",
        "paused": (
            "The agreed times are paused: partner time only starts when you start it."
        ),
        "resumed": "The agreed times are back on.{then}",
        "resumed_on": "The agreed times are back on, and partner time is on {until}.",
        "on": "Partner time is on {until}.",
        "off_next": "Partner time is off. The next one begins {begins}.",
        "off_none": "Partner time is off, and no agreed time is coming up.",
        "off_paused": "Partner time is off, and the agreed times are paused.",
        "remaining": "{left}, {until}.",
        "next": "The next partner time begins {begins}.",
        "next_on": "Partner time is on now, {until}. The next one begins {begins}.",
        "next_paused": (
            "The agreed times are paused, so no partner time starts by itself."
        ),
        "next_none": "No agreed time is coming up.",
        "minutes_left": "{minutes} more minutes",
        "minute_left": "1 more minute",
        "hours_left": "{hours} more hours",
        "hour_left": "1 more hour",
        "hours_minutes_left": "{hours} and {minutes} more minutes",
        "hours_minute_left": "{hours} and 1 more minute",
        "hours": "{hours} hours",
        "hour": "1 hour",
        "minutes": "{minutes} minutes",
        "minute": "1 minute",
        "hours_minutes": "{hours} and {minutes} minutes",
        "hours_minute": "{hours} and 1 minute",
        "proposed": (
            "Proposed {duration} of partner time, now. The others can say yes {until}."
        ),
        "accepted": "Accepted: partner time is on {until}.",
        "accepted_by": "Accepted {by}'s proposal: partner time is on {until}.",
        "declined": "Declined: no partner time now.",
        "declined_by": "Declined {by}'s proposal: no partner time now.",
        "which": "Which household do you mean: {names}?",
        "unknown": "I don't know a household called {name}. {known}",
        "known_one": "There is only {names}.",
        "known_many": "There are {names}.",
        "none": "Partner time isn't set up yet.",
        "prefix": "{name}: {text}",
        "or": "or",
        "and": "and",
        "not_understood": "Sorry, I didn't understand that.",
        "failed": "Sorry, that didn't work.",
    },
    "de": {
        "started": "Die Partnerzeit hat begonnen und läuft {until}.",
        "already_on": "Die Partnerzeit läuft schon {until}.",
        "now_until": "Die Partnerzeit läuft jetzt {until}.",
        "pending": "Die Partnerzeit beginnt, sobald Home Assistant gestartet ist.",
        "ended": "Partnerzeit beendet.",
        "not_on": "Gerade ist keine Partnerzeit.",
        "extended": "Die Partnerzeit ist verlängert und läuft jetzt {until}.",
        "skipped": "Die Partnerzeit {begins} fällt aus.{then}",
        "unskipped": "Es fällt keine Partnerzeit mehr aus.{then}",
        "then": "Die nächste beginnt {begins}.",
        "paused": (
            "Die vereinbarten Zeiten sind pausiert: Partnerzeit beginnt nur noch, "
            "wenn ihr sie startet."
        ),
        "resumed": "Die vereinbarten Zeiten gelten wieder.{then}",
        "resumed_on": (
            "Die vereinbarten Zeiten gelten wieder, und die Partnerzeit läuft {until}."
        ),
        "on": "Partnerzeit läuft {until}.",
        "off_next": "Gerade ist keine Partnerzeit. Die nächste beginnt {begins}.",
        "off_none": "Gerade ist keine Partnerzeit, und es steht auch keine an.",
        "off_paused": (
            "Gerade ist keine Partnerzeit, und die vereinbarten Zeiten sind pausiert."
        ),
        "remaining": "Noch {left}, {until}.",
        "next": "Die nächste Partnerzeit beginnt {begins}.",
        "next_on": (
            "Die Partnerzeit läuft gerade, {until}. Die nächste beginnt {begins}."
        ),
        "next_paused": (
            "Die vereinbarten Zeiten sind pausiert, also beginnt keine Partnerzeit "
            "von selbst."
        ),
        "next_none": "Es steht keine vereinbarte Partnerzeit an.",
        "minutes_left": "{minutes} Minuten",
        "minute_left": "eine Minute",
        "hours_left": "{hours} Stunden",
        "hour_left": "eine Stunde",
        "hours_minutes_left": "{hours} und {minutes} Minuten",
        "hours_minute_left": "{hours} und eine Minute",
        "hours": "{hours} Stunden",
        "hour": "eine Stunde",
        "minutes": "{minutes} Minuten",
        "minute": "eine Minute",
        "hours_minutes": "{hours} und {minutes} Minuten",
        "hours_minute": "{hours} und eine Minute",
        "proposed": (
            "Vorgeschlagen: {duration} Partnerzeit, jetzt. "
            "Die anderen können {until} zusagen."
        ),
        "accepted": "Angenommen: Die Partnerzeit läuft {until}.",
        "accepted_by": "Vorschlag von {by} angenommen: Die Partnerzeit läuft {until}.",
        "declined": "Abgelehnt: jetzt keine Partnerzeit.",
        "declined_by": "Vorschlag von {by} abgelehnt: jetzt keine Partnerzeit.",
        "which": "Welchen Haushalt meinst du: {names}?",
        "unknown": "Einen Haushalt namens {name} kenne ich nicht. {known}",
        "known_one": "Es gibt nur {names}.",
        "known_many": "Es gibt {names}.",
        "none": "Partnerzeit ist noch nicht eingerichtet.",
        "prefix": "{name}: {text}",
        "or": "oder",
        "and": "und",
        "not_understood": "Das habe ich leider nicht verstanden.",
        "failed": "Das hat leider nicht geklappt.",
    },
}

# How a moment is said: on the same day, the next day, within a week, or later.
WHEN: Final[Mapping[str, Mapping[str, Mapping[str, str]]]] = {
    "en": {
        "until": {
            "today": "until {time}",
            "tomorrow": "until tomorrow at {time}",
            "week": "until {weekday} at {time}",
            "later": "until {weekday}, {day} {month} at {time}",
        },
        "begins": {
            "today": "at {time}",
            "tomorrow": "tomorrow at {time}",
            "week": "on {weekday} at {time}",
            "later": "on {weekday}, {day} {month} at {time}",
        },
    },
    "de": {
        "until": {
            "today": "bis {time}",
            "tomorrow": "bis morgen um {time}",
            "week": "bis {weekday} um {time}",
            "later": "bis {weekday}, den {day}. {month}, um {time}",
        },
        "begins": {
            "today": "um {time}",
            "tomorrow": "morgen um {time}",
            "week": "am {weekday} um {time}",
            "later": "am {weekday}, dem {day}. {month}, um {time}",
        },
    },
}

MONTHS: Final[Mapping[str, Sequence[str]]] = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "de": (
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ),
}
