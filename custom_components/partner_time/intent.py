"""Voice intents: start, stop, extend and ask about partner time, in English and German.

This is the integration's `intent` platform: HA's `intent` integration calls
`async_setup_intents` once both are loaded (no call from `__init__` is needed).

The four intents are thin layers over a household's engine. They answer in the language
of the request (German for "de", "de-CH", ...; English otherwise) with local times, and
serve three callers alike: the sentences of `voice.py` (Assist's built-in agent), LLM
agents (through `async_get_tools`, the `llm` platform function), and anything else that
calls `intent.async_handle`.

Which household: the one named in the `name` slot (its title), else the only one that is
loaded; with several and no name, the answer asks which and lists them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any, ClassVar, Final, override

import probatio
from homeassistant.components.homeassistant.exposed_entities import (
    async_should_expose,
)
from homeassistant.components.llm import LLMTools
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import intent
from homeassistant.helpers.llm import (
    LLM_API_ASSIST,
    IntentTool,
    LLMContext,
    Tool,
    ToolAnnotations,
)
from homeassistant.setup import async_when_setup
from homeassistant.util import dt as dt_util

from .const import DOMAIN
from .services import checked_duration

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from datetime import datetime

    from .session import PartnerTimeEngine

INTENT_START: Final = "PartnerTimeStart"
INTENT_STOP: Final = "PartnerTimeStop"
INTENT_EXTEND: Final = "PartnerTimeExtend"
INTENT_STATUS: Final = "PartnerTimeStatus"

SLOT_NAME: Final = "name"
SLOT_MINUTES: Final = "minutes"
SLOT_HOURS: Final = "hours"

LANGUAGES: Final = ("en", "de")
"""The languages of the answers and sentences; the first is the fallback."""

TEXTS: Final[Mapping[str, Mapping[str, str]]] = {
    "en": {
        "started": "Partner time started {until}.",
        "already_on": "Partner time is already on {until}.",
        "now_until": "Partner time now lasts {until}.",
        "pending": "Partner time starts as soon as Home Assistant has started.",
        "ended": "Partner time ended.",
        "not_on": "Partner time isn't on.",
        "extended": "Partner time extended {until}.",
        "not_on_extend": "Partner time isn't on, so it can't be extended.",
        "on": "Partner time is on {until}.",
        "off_next": "Partner time is off. The next one begins {begins}.",
        "off_none": "Partner time is off, and no agreed time is coming up.",
        "off_paused": "Partner time is off, and the agreed times are paused.",
        "bad_duration": "Partner time can last from 1 minute to 24 hours.",
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
        "not_on_extend": (
            "Gerade ist keine Partnerzeit, deshalb kann ich sie nicht verlängern."
        ),
        "on": "Partnerzeit läuft {until}.",
        "off_next": "Gerade ist keine Partnerzeit. Die nächste beginnt {begins}.",
        "off_none": "Gerade ist keine Partnerzeit, und es steht auch keine an.",
        "off_paused": (
            "Gerade ist keine Partnerzeit, und die vereinbarten Zeiten sind pausiert."
        ),
        "bad_duration": (
            "Eine Partnerzeit kann zwischen einer Minute und 24 Stunden dauern."
        ),
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


def say_list(language: str, names: Sequence[str], conjunction: str) -> str:
    """Say names as "A", "A or B", "A, B or C" (`conjunction`: "or" or "and")."""
    if len(names) == 1:
        return names[0]
    word = TEXTS[language][conjunction]
    return f"{', '.join(names[:-1])} {word} {names[-1]}"


# -- households -------------------------------------------------------------------


class RefusalError(Exception):
    """An answer that ends the request: which household, a bad duration, ..."""

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
    """Compare names as speech recognition writes them: no case, punctuation or gaps."""
    return " ".join(re.sub(r"[^\w\s]", "", name.casefold()).split())


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


def choose_engine(
    hass: HomeAssistant, language: str, name: str | None
) -> PartnerTimeEngine:
    """Return the household named `name`, or the only one; else refuse and ask."""
    engines = loaded_engines(hass)
    titles = [engine.title for engine in engines]
    if not engines:
        raise RefusalError(
            key="none", code=intent.IntentResponseErrorCode.NO_VALID_TARGETS
        )
    if name is not None:
        for engine in engines:
            if _normalized(engine.title) == _normalized(name):
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
    if len(engines) > 1:
        raise RefusalError(
            key="which",
            code=intent.IntentResponseErrorCode.NO_VALID_TARGETS,
            names=say_list(language, titles, "or"),
        )
    return engines[0]


def switch_entity_id(engine: PartnerTimeEngine) -> str | None:
    """Return the entity id of the household's partner time switch."""
    return er.async_get(engine.hass).async_get_entity_id(
        Platform.SWITCH, DOMAIN, f"{engine.entry_id}_main"
    )


def _iso(moment: datetime | None) -> str | None:
    return dt_util.as_local(moment).isoformat() if moment else None


# -- the intents ------------------------------------------------------------------

NAME_SLOT: Final[dict[Any, Any]] = {
    probatio.Optional(
        SLOT_NAME,
        description="The household's name; only needed when there are several",
    ): intent.non_empty_string,
}
START_SLOTS: Final[dict[Any, Any]] = {
    **NAME_SLOT,
    probatio.Optional(SLOT_MINUTES, description="Minutes to last"): cv.positive_int,
    probatio.Optional(SLOT_HOURS, description="Hours to last"): cv.positive_int,
}
EXTEND_SLOTS: Final[dict[Any, Any]] = {
    **NAME_SLOT,
    probatio.Required(
        probatio.Any(SLOT_MINUTES, SLOT_HOURS),
        description="Minutes or hours to add (both are added up)",
    ): cv.positive_int,
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

    def _number(self, slot: str) -> int:
        return int(self.slots[slot]["value"]) if slot in self.slots else 0

    def duration(self) -> timedelta:
        """Return the minutes plus the hours; refuse a total outside (0, 24 h]."""
        duration = timedelta(minutes=self._number(SLOT_MINUTES)) + timedelta(
            hours=self._number(SLOT_HOURS)
        )
        try:
            checked_duration(duration)
        except ServiceValidationError as err:
            raise RefusalError(
                key="bad_duration",
                code=intent.IntentResponseErrorCode.FAILED_TO_HANDLE,
            ) from err
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
            }
        )

    def say_until(self, key: str, engine: PartnerTimeEngine) -> None:
        """Answer with the session's end (while HA is still starting, that it waits)."""
        if engine.ends_at is None:
            self.say("pending", engine)
        else:
            until = say_moment(self.language, "until", engine.ends_at)
            self.say(key, engine, until=until)


class PartnerTimeIntentHandler(intent.IntentHandler):
    """Resolve the household and the language, then let the subclass act."""

    annotations: ClassVar[ToolAnnotations] = ToolAnnotations()
    """How the intent behaves, for LLM agents."""

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
        request = Request(intent_obj, slots, language, response)
        try:
            engine = choose_engine(intent_obj.hass, language, request.name)
            self.act(request, engine)
        except RefusalError as refusal:
            response.async_set_error(
                refusal.code, text(language, refusal.key, **refusal.values)
            )
        return response

    def act(self, request: Request, engine: PartnerTimeEngine) -> None:
        """Do the intent on one household and answer."""
        raise NotImplementedError


class StartIntentHandler(PartnerTimeIntentHandler):
    """Start partner time now, optionally for a duration."""

    intent_type = INTENT_START
    description = (
        "Starts partner time now: phones go to Do Not Disturb, the lights to the "
        "household's scene and calls are forwarded. Without a duration it lasts to "
        "the end of the current agreed time or the household's default duration."
    )
    annotations = ToolAnnotations(open_world=False)

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
        engine.start(duration, request.call.context)
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
        "Ends partner time now and puts phones, lights and call forwarding back. "
        "The agreed time it ends does not start again."
    )
    annotations = ToolAnnotations(idempotent=True, open_world=False)

    @override
    def act(self, request: Request, engine: PartnerTimeEngine) -> None:
        """End it, or say that it is not on."""
        if not engine.active:
            request.say("not_on", engine)
            return
        engine.stop(request.call.context)
        request.say("ended", engine)


class ExtendIntentHandler(PartnerTimeIntentHandler):
    """Make the running partner time longer."""

    intent_type = INTENT_EXTEND
    description = "Extends the partner time that is on now by minutes and/or hours."
    annotations = ToolAnnotations(destructive=False, open_world=False)

    @property
    @override
    def slot_schema(self) -> dict[Any, Any]:
        """The household's name (optional), minutes or hours (at least one)."""
        return EXTEND_SLOTS

    @override
    def act(self, request: Request, engine: PartnerTimeEngine) -> None:
        """Extend, or say why not."""
        if not engine.active:
            raise RefusalError(
                key="not_on_extend",
                code=intent.IntentResponseErrorCode.FAILED_TO_HANDLE,
            )
        engine.extend(request.duration(), request.call.context)
        request.say_until("extended", engine)


class StatusIntentHandler(PartnerTimeIntentHandler):
    """Whether partner time is on and until when, or when the next one begins."""

    intent_type = INTENT_STATUS
    description = (
        "Tells whether partner time is on and until when, or else when the next "
        "agreed time begins."
    )
    annotations = ToolAnnotations(read_only=True, open_world=False)

    @override
    def act(self, request: Request, engine: PartnerTimeEngine) -> None:
        """Answer the question."""
        request.response.response_type = intent.IntentResponseType.QUERY_ANSWER
        if engine.active:
            request.say_until("on", engine)
        elif not engine.schedule_enabled:
            request.say("off_paused", engine)
        elif engine.next_start is not None:
            begins = say_moment(request.language, "begins", engine.next_start)
            request.say("off_next", engine, begins=begins)
        else:
            request.say("off_none", engine)


HANDLERS: Final[tuple[type[PartnerTimeIntentHandler], ...]] = (
    StartIntentHandler,
    StopIntentHandler,
    ExtendIntentHandler,
    StatusIntentHandler,
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
