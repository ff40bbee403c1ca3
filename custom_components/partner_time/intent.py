"""Voice intents: every action and question about partner time, in English and German.

This is the integration's `intent` platform: HA's `intent` integration calls
`async_setup_intents` once both are loaded (no call from `__init__` is needed).

The intents are thin layers over a household's engine: start, stop, extend, skip the
next agreed time and undo that, pause and resume the agreed times, and the questions
(is it on, how much longer, when is the next one). They answer in the language of the
request (German for "de", "de-CH", ...; English otherwise) with local times, and serve
three callers alike: the sentences of `voice.py` (Assist's built-in agent), LLM agents
(through `async_get_tools`, the `llm` platform function), and anything else that calls
`intent.async_handle`.

Which household: the one named in the `name` slot (its title, as speech recognition
writes it, also slightly misheard), else the only one that is loaded, else the one
named like the keyword itself ("Partner time", "Partnerzeit"); otherwise the answer
asks which and lists them (an error response with `no_valid_targets`).

A refusal of the engine (not running, loop guard, bad duration, nothing to skip) is
answered with the same translated sentence the dashboard shows, in the asking
language, as an error response; it is no failure and leaves no traceback in the log.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any, ClassVar, Final, override

import voluptuous as vol
from homeassistant.components.homeassistant.exposed_entities import (
    async_should_expose,
)
from homeassistant.components.llm import LLMTools
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import intent
from homeassistant.helpers.llm import (
    LLM_API_ASSIST,
    IntentTool,
    LLMContext,
    Tool,
    ToolAnnotations,
)
from homeassistant.helpers.translation import async_get_translations
from homeassistant.setup import async_when_setup
from homeassistant.util import dt as dt_util

from .const import DOMAIN, REASON_VOICE, SOURCE_VOICE
from .services import checked_duration

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from datetime import datetime

    from .engine import PartnerTimeEngine

INTENT_START: Final = "PartnerTimeStart"
INTENT_STOP: Final = "PartnerTimeStop"
INTENT_EXTEND: Final = "PartnerTimeExtend"
INTENT_SKIP: Final = "PartnerTimeSkip"
INTENT_UNSKIP: Final = "PartnerTimeUnskip"
INTENT_PAUSE: Final = "PartnerTimePause"
INTENT_RESUME: Final = "PartnerTimeResume"
INTENT_STATUS: Final = "PartnerTimeStatus"
INTENT_REMAINING: Final = "PartnerTimeRemaining"
INTENT_NEXT: Final = "PartnerTimeNext"

SLOT_NAME: Final = "name"
SLOT_MINUTES: Final = "minutes"
SLOT_HOURS: Final = "hours"

LANGUAGES: Final = ("en", "de")
"""The languages of the answers and sentences; the first is the fallback."""

KEYWORDS: Final = frozenset({"partner time", "partnertime", "partnerzeit"})
"""Household titles that are the keyword itself: meant when no other name is said."""

SAME_START: Final = 4
"""How many first letters a misheard name shares with the household's title."""

LEADING: Final = frozenset(
    {"the", "for", "of", "die", "der", "den", "das", "dem", "des", "fur", "von", "vom"}
)
"""Words before a said name that are no part of it (accents folded: "für" is "fur")."""

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

WEEKDAYS: Final[Mapping[str, Sequence[str]]] = {
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


# -- words ------------------------------------------------------------------------


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
    minutes = max(1, math.ceil(left.total_seconds() / 60))
    hours, minutes = divmod(minutes, 60)
    if not hours:
        if minutes == 1:
            return text(language, "minute_left")
        return text(language, "minutes_left", minutes=str(minutes))
    if not minutes:
        if hours == 1:
            return text(language, "hour_left")
        return text(language, "hours_left", hours=str(hours))
    said_hours = (
        text(language, "hour")
        if hours == 1
        else text(language, "hours", hours=str(hours))
    )
    if minutes == 1:
        return text(language, "hours_minute_left", hours=said_hours)
    return text(language, "hours_minutes_left", hours=said_hours, minutes=str(minutes))


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


# -- households -------------------------------------------------------------------


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


def _iso(moment: datetime | None) -> str | None:
    return dt_util.as_local(moment).isoformat() if moment else None


# -- the intents ------------------------------------------------------------------

NAME_SLOT: Final[dict[Any, Any]] = {
    vol.Optional(
        SLOT_NAME,
        description=(
            "The household's name, e.g. 'Family'; leave it out when there is only "
            "one household or the user did not name one"
        ),
    ): intent.non_empty_string,
}
DURATION_SLOTS: Final[dict[Any, Any]] = {
    vol.Optional(SLOT_MINUTES, description="Minutes (added to the hours)"): vol.All(
        vol.Coerce(float), vol.Range(min=0)
    ),
    vol.Optional(
        SLOT_HOURS, description="Hours, halves allowed (added to the minutes)"
    ): vol.All(vol.Coerce(float), vol.Range(min=0)),
}
START_SLOTS: Final[dict[Any, Any]] = {**NAME_SLOT, **DURATION_SLOTS}
EXTEND_SLOTS: Final[dict[Any, Any]] = {
    **NAME_SLOT,
    vol.Required(
        vol.Any(SLOT_MINUTES, SLOT_HOURS),
        description="Minutes or hours to add (both are added up)",
    ): vol.All(vol.Coerce(float), vol.Range(min=0)),
}


@dataclass(slots=True)
class Request:
    """What a handler needs: the intent, its slots, the answer language and response."""

    call: intent.Intent
    slots: dict[str, Any]
    language: str
    response: intent.IntentResponse

    @property
    def name(self) -> str | None:
        """The household's name, if one was given."""
        return str(self.slots[SLOT_NAME]["value"]) if SLOT_NAME in self.slots else None

    @property
    def has_duration(self) -> bool:
        """Whether minutes or hours were given."""
        return SLOT_MINUTES in self.slots or SLOT_HOURS in self.slots

    def _number(self, slot: str) -> float:
        return float(self.slots[slot]["value"]) if slot in self.slots else 0.0

    def duration(self) -> timedelta:
        """Return the minutes plus the hours; the engine's rules refuse a bad one."""
        duration = timedelta(
            minutes=self._number(SLOT_MINUTES), hours=self._number(SLOT_HOURS)
        )
        checked_duration(duration)
        return duration

    def say(self, key: str, engine: PartnerTimeEngine, **values: str) -> None:
        """Answer; name the household when there are several."""
        spoken = text(self.language, key, **values)
        if len(loaded_engines(engine.hass)) > 1:
            spoken = text(self.language, "prefix", name=engine.title, text=spoken)
        self.response.async_set_speech(spoken)
        self.response.async_set_results(
            [
                intent.IntentResponseTarget(
                    name=engine.title,
                    type=intent.IntentResponseTargetType.ENTITY,
                    id=switch_entity_id(engine),
                )
            ]
        )
        self.response.async_set_speech_slots(
            {
                "household": engine.title,
                "active": engine.active,
                "status": engine.status,
                "ends_at": _iso(engine.ends_at),
                "next_start": _iso(engine.next_start),
                "schedule_enabled": engine.schedule_enabled,
            }
        )

    def until(self, moment: datetime) -> str:
        """Say a session's end: "until 19:30"."""
        return say_moment(self.language, "until", moment)

    def begins(self, moment: datetime) -> str:
        """Say a start: "at 18:30", "tomorrow at 18:30"."""
        return say_moment(self.language, "begins", moment)

    def then(self, engine: PartnerTimeEngine) -> str:
        """Say when the next agreed time begins, as a sentence to add (or nothing)."""
        if engine.next_start is None:
            return ""
        return " " + text(self.language, "then", begins=self.begins(engine.next_start))

    def say_until(self, key: str, engine: PartnerTimeEngine) -> None:
        """Answer with the session's end (while HA is still starting, that it waits)."""
        if engine.ends_at is None:
            self.say("pending", engine)
        else:
            self.say(key, engine, until=self.until(engine.ends_at))

    def say_state(self, engine: PartnerTimeEngine) -> None:
        """Whether it is on and until when, else when the next one begins."""
        if engine.active:
            self.say_until("on", engine)
        elif not engine.schedule_enabled:
            self.say("off_paused", engine)
        elif engine.next_start is not None:
            self.say("off_next", engine, begins=self.begins(engine.next_start))
        else:
            self.say("off_none", engine)


class PartnerTimeIntentHandler(intent.IntentHandler):
    """Resolve the household and the language, then let the subclass act."""

    annotations: ClassVar[ToolAnnotations] = ToolAnnotations(open_world=False)
    """How the intent behaves, for LLM agents."""

    question: ClassVar[bool] = False
    """Whether the intent only asks (a query answer) rather than acts."""

    @property
    @override
    def slot_schema(self) -> dict[Any, Any]:
        """The household's name, optional (intents with more slots extend this)."""
        return NAME_SLOT

    @override
    async def async_handle(self, intent_obj: intent.Intent) -> intent.IntentResponse:
        """Answer the intent; refusals are answers too (with an error code)."""
        slots = self.async_validate_slots(intent_obj.slots)
        language = answer_language(intent_obj.language)
        response = intent_obj.create_response()
        if self.question:
            response.response_type = intent.IntentResponseType.QUERY_ANSWER
        request = Request(intent_obj, slots, language, response)
        try:
            engine = choose_engine(intent_obj.hass, language, request.name)
            self.act(request, engine)
        except RefusalError as refusal:
            response.async_set_error(
                refusal.code, text(language, refusal.key, **refusal.values)
            )
        except HomeAssistantError as err:
            response.async_set_error(
                intent.IntentResponseErrorCode.FAILED_TO_HANDLE,
                await async_say_refusal(intent_obj.hass, language, err),
            )
        return response

    def act(self, request: Request, engine: PartnerTimeEngine) -> None:
        """Do the intent on one household and answer."""
        raise NotImplementedError


class StartIntentHandler(PartnerTimeIntentHandler):
    """Start partner time now, optionally for a duration."""

    intent_type = INTENT_START
    description = (
        "Starts partner time now (also: begin, activate, 'let's have partner time'): "
        "phones go to Do Not Disturb, the lights to the household's scene and calls "
        "are forwarded. Without a duration it lasts to the end of the current agreed "
        "time or the household's default duration. A running partner time is never "
        "shortened. Not for making a running one longer: that is PartnerTimeExtend."
    )

    @property
    @override
    def slot_schema(self) -> dict[Any, Any]:
        """The household's name, minutes and hours, all optional."""
        return START_SLOTS

    @override
    def act(self, request: Request, engine: PartnerTimeEngine) -> None:
        """Start, or say that it is already on."""
        duration = request.duration() if request.has_duration else None
        was_active = engine.active
        engine.start(duration, request.call.context, source=SOURCE_VOICE)
        if not was_active:
            request.say_until("started", engine)
        elif duration is None:
            request.say_until("already_on", engine)
        else:
            request.say_until("now_until", engine)


class StopIntentHandler(PartnerTimeIntentHandler):
    """End partner time now."""

    intent_type = INTENT_STOP
    description = (
        "Ends the partner time that is on now (stop, cancel, end, finish) and puts "
        "phones, lights and call forwarding back. Agreed times that have not begun "
        "still start as agreed. To leave out a future agreed time use PartnerTimeSkip."
    )
    annotations = ToolAnnotations(idempotent=True, open_world=False)

    @override
    def act(self, request: Request, engine: PartnerTimeEngine) -> None:
        """End it, or say that it is not on."""
        if not engine.active:
            request.say("not_on", engine)
            return
        engine.stop(request.call.context, reason=REASON_VOICE)
        request.say("ended", engine)


class ExtendIntentHandler(PartnerTimeIntentHandler):
    """Make the running partner time longer."""

    intent_type = INTENT_EXTEND
    description = (
        "Makes the partner time that is on now longer by minutes and/or hours "
        "('10 more minutes', 'add half an hour'). Refused when none is on."
    )
    annotations = ToolAnnotations(destructive=False, open_world=False)

    @property
    @override
    def slot_schema(self) -> dict[Any, Any]:
        """The household's name (optional), minutes or hours (at least one)."""
        return EXTEND_SLOTS

    @override
    def act(self, request: Request, engine: PartnerTimeEngine) -> None:
        """Extend (the engine refuses when nothing runs)."""
        engine.extend(request.duration(), request.call.context, source=SOURCE_VOICE)
        request.say_until("extended", engine)


class SkipIntentHandler(PartnerTimeIntentHandler):
    """Leave out the next agreed time."""

    intent_type = INTENT_SKIP
    description = (
        "Skips the next agreed partner time (e.g. 'no partner time tonight'): it "
        "will not start. Does not end a partner time that is on now (that is "
        "PartnerTimeStop). Undo with PartnerTimeUnskip."
    )
    annotations = ToolAnnotations(destructive=False, open_world=False)

    @override
    def act(self, request: Request, engine: PartnerTimeEngine) -> None:
        """Skip (the engine refuses when nothing is ahead); say which, and what next."""
        skipped = engine.next_start
        engine.skip(context=request.call.context)
        begins = request.begins(skipped) if skipped else ""
        request.say("skipped", engine, begins=begins, then=request.then(engine))


class UnskipIntentHandler(PartnerTimeIntentHandler):
    """Undo the skips."""

    intent_type = INTENT_UNSKIP
    description = (
        "Undoes skipping: the agreed partner times that were skipped start as "
        "agreed again ('don't skip partner time after all')."
    )
    annotations = ToolAnnotations(destructive=False, open_world=False)

    @override
    def act(self, request: Request, engine: PartnerTimeEngine) -> None:
        """Undo, and say when the next one begins."""
        engine.unskip(request.call.context)
        request.say("unskipped", engine, then=request.then(engine))


class PauseIntentHandler(PartnerTimeIntentHandler):
    """Pause the agreed times."""

    intent_type = INTENT_PAUSE
    description = (
        "Pauses the household's schedule: the agreed partner times no longer start "
        "by themselves until resumed. Starting partner time by hand still works."
    )
    annotations = ToolAnnotations(idempotent=True, open_world=False)

    @override
    def act(self, request: Request, engine: PartnerTimeEngine) -> None:
        """Pause, and say what that means."""
        engine.set_schedule_enabled(enabled=False, context=request.call.context)
        request.say("paused", engine)


class ResumeIntentHandler(PartnerTimeIntentHandler):
    """Follow the agreed times again."""

    intent_type = INTENT_RESUME
    description = (
        "Resumes the household's paused schedule: the agreed partner times start "
        "by themselves again (and skips are cleared)."
    )
    annotations = ToolAnnotations(idempotent=True, open_world=False)

    @override
    def act(self, request: Request, engine: PartnerTimeEngine) -> None:
        """Resume, and say what is on or next."""
        engine.set_schedule_enabled(enabled=True, context=request.call.context)
        if engine.active and engine.ends_at is not None:
            request.say_until("resumed_on", engine)
        else:
            request.say("resumed", engine, then=request.then(engine))


class StatusIntentHandler(PartnerTimeIntentHandler):
    """Whether partner time is on and until when, or when the next one begins."""

    intent_type = INTENT_STATUS
    description = (
        "Answers whether partner time is on now and until when, or else when the "
        "next agreed time begins."
    )
    annotations = ToolAnnotations(read_only=True, open_world=False)
    question = True

    @override
    def act(self, request: Request, engine: PartnerTimeEngine) -> None:
        """Answer the question."""
        request.say_state(engine)


class RemainingIntentHandler(PartnerTimeIntentHandler):
    """How much longer, and until when."""

    intent_type = INTENT_REMAINING
    description = (
        "Answers how much longer the partner time that is on lasts and when it "
        "ends ('25 more minutes, until 19:30')."
    )
    annotations = ToolAnnotations(read_only=True, open_world=False)
    question = True

    @override
    def act(self, request: Request, engine: PartnerTimeEngine) -> None:
        """Answer with the minutes left and the end; else whether and when next."""
        if not engine.active or engine.ends_at is None:
            request.say_state(engine)
            return
        left = say_left(request.language, engine.ends_at - dt_util.utcnow())
        request.say("remaining", engine, left=left, until=request.until(engine.ends_at))


class NextIntentHandler(PartnerTimeIntentHandler):
    """When the next agreed time begins."""

    intent_type = INTENT_NEXT
    description = (
        "Answers when the next agreed partner time begins, with the day when it is "
        "not today."
    )
    annotations = ToolAnnotations(read_only=True, open_world=False)
    question = True

    @override
    def act(self, request: Request, engine: PartnerTimeEngine) -> None:
        """Answer with the next start (and what runs now)."""
        if not engine.schedule_enabled:
            request.say("next_paused", engine)
        elif engine.next_start is None:
            request.say("next_none", engine)
        elif engine.active and engine.ends_at is not None:
            request.say(
                "next_on",
                engine,
                until=request.until(engine.ends_at),
                begins=request.begins(engine.next_start),
            )
        else:
            request.say("next", engine, begins=request.begins(engine.next_start))


HANDLERS: Final[tuple[type[PartnerTimeIntentHandler], ...]] = (
    StartIntentHandler,
    StopIntentHandler,
    ExtendIntentHandler,
    SkipIntentHandler,
    UnskipIntentHandler,
    PauseIntentHandler,
    ResumeIntentHandler,
    StatusIntentHandler,
    RemainingIntentHandler,
    NextIntentHandler,
)


# -- platforms --------------------------------------------------------------------


async def async_setup_intents(hass: HomeAssistant) -> None:
    """Register the intents, and the sentences once Assist's agent is there.

    This is the `intent` platform: HA's `intent` integration calls it.
    """
    for handler in HANDLERS:
        intent.async_register(hass, handler())
    async_when_setup(hass, "conversation", _async_conversation_ready)


async def _async_conversation_ready(hass: HomeAssistant, _component: str) -> None:
    """Teach Assist's built-in agent the sentences (hassil can be imported now)."""
    from .voice import async_setup_sentences  # noqa: PLC0415 - needs hassil

    await async_setup_sentences(hass)


@callback
def async_get_tools(
    hass: HomeAssistant, llm_context: LLMContext, api_id: str
) -> LLMTools | None:
    """Offer the intents as LLM tools while a household's switch is exposed.

    This is the `llm` platform function (`llm.py` re-exports it).
    """
    if api_id != LLM_API_ASSIST or not llm_context.assistant:
        return None
    exposed = any(
        async_should_expose(hass, llm_context.assistant, entity_id)
        for engine in loaded_engines(hass)
        if (entity_id := switch_entity_id(engine))
    )
    if not exposed:
        return None
    tools: list[Tool] = [
        IntentTool(
            f"{DOMAIN}__{handler.intent_type}",
            handler,
            integration=DOMAIN,
            annotations=handler.annotations,
        )
        for handler in intent.async_get(hass)
        if isinstance(handler, PartnerTimeIntentHandler)
    ]
    return LLMTools(tools=tools)
