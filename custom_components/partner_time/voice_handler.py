"""The common part of the voice intents: their slots, the request and the base handler.

The base handler resolves the household (`voice_households.py`) and the answer language
(`voice_words.py`), then lets the intent act on the household's engine. A refusal of
the engine (not running, loop guard, bad duration, nothing to skip) is answered with the
same translated sentence the dashboard shows, in the asking language, as an error
response; it is no failure and leaves no traceback in the log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any, ClassVar, Final, override

import voluptuous as vol
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import intent
from homeassistant.helpers.llm import ToolAnnotations
from homeassistant.util import dt as dt_util

from .services import checked_duration
from .voice_households import (
    RefusalError,
    choose_engine,
    loaded_engines,
    switch_entity_id,
)
from .voice_words import answer_language, async_say_refusal, say_moment, text

if TYPE_CHECKING:
    from datetime import datetime

    from .engine import PartnerTimeEngine

SLOT_NAME: Final = "name"
SLOT_MINUTES: Final = "minutes"
SLOT_HOURS: Final = "hours"


def _iso(moment: datetime | None) -> str | None:
    return dt_util.as_local(moment).isoformat() if moment else None


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
            await self.async_act(request, engine)
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

    async def async_act(self, request: Request, engine: PartnerTimeEngine) -> None:
        """Do the intent on one household and answer (intents that wait override it)."""
        self.act(request, engine)

    def act(self, request: Request, engine: PartnerTimeEngine) -> None:
        """Do the intent on one household and answer."""
        raise NotImplementedError
