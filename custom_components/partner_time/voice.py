"""Partner Time's sentences in Assist's built-in conversation agent.

The sentences live in `sentences/<language>.yaml` (hassil templates). Once the
`conversation` integration is set up, all of them are registered as ONE conversation
trigger (`{"platform": "conversation", "command": [...]}`, the mechanism sentence
automations use), so they work without copying files into `custom_sentences`. Trigger
sentences are matched before the built-in intents, so "stop partner time" is ours even
though HassTurnOff would match it too; "turn on/off partner time" stays with the
built-in intents on the switch.

A trigger treats every `{slot}` as a wildcard and matches in any language, so it only
catches the sentence. The sentence is then recognized again here, properly: per language
(the pipeline's first), with `{minutes}`/`{hours}` as number ranges (digits or words)
and `{name}` as the list of household titles, and handed to the intents (`intent.py`),
which answer in the language the sentence was recognized in. A name that is no
household's title is caught by a second, lenient pass (the name as a wildcard) and
answered as such (or found, when misheard: see `voice_households.choose_engine`).

The files use hassil's `<rules>`, lists (`{span}`: "half an hour" is 30 minutes) and
ranges (hours in halves: "1,5 Stunden"); the trigger gets each template with its rules
written out. Through the trigger Assist only receives the spoken answer, so a question
back ("Which household do you mean") reaches a voice pipeline as words; callers of the
intents themselves (LLM agents) get the proper response type and error code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from hassil.intents import Intents, TextSlotList
from hassil.recognize import RecognizeResult, recognize_best
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import intent
from homeassistant.helpers.script import ScriptRunResult
from homeassistant.helpers.trigger import (
    async_initialize_triggers,
    async_validate_trigger_config,
)
from homeassistant.util.hass_dict import HassKey
from homeassistant.util.yaml import load_yaml_dict

from .const import DOMAIN, LOGGER
from .voice_handler import SLOT_NAME
from .voice_households import household_names
from .voice_words import LANGUAGES, answer_language, text

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

SENTENCES_DIR: Final = Path(__file__).parent / "sentences"
CONVERSATION: Final = "conversation"
DATA_SENTENCES: HassKey[Sentences] = HassKey(f"{DOMAIN}_sentences")


@dataclass(slots=True, frozen=True)
class Grammar:
    """One language's sentences, strict and lenient about the household's name."""

    language: str
    strict: Intents
    lenient: Intents
    templates: tuple[str, ...]

    @classmethod
    def from_dict(cls, language: str, data: Mapping[str, Any]) -> Grammar:
        """Build from the contents of `sentences/<language>.yaml`."""
        lenient = {
            **data,
            "lists": {**data.get("lists", {}), SLOT_NAME: {"wildcard": True}},
        }
        rules = data.get("expansion_rules", {})
        templates = tuple(
            written_out(str(sentence), rules)
            for intent_data in data["intents"].values()
            for part in intent_data["data"]
            for sentence in part["sentences"]
        )
        return cls(
            language,
            Intents.from_dict(dict(data)),
            Intents.from_dict(lenient),
            templates,
        )


RULE: Final = re.compile(r"<([^<>]+)>")
LIST_AS_SLOT: Final = re.compile(r"\{[^{}:]+:([^{}]+)\}")


def written_out(template: str, rules: Mapping[str, str]) -> str:
    """Replace each `<rule>` by its body in parentheses, also inside bodies.

    A conversation trigger knows no expansion rules and takes every `{list}` for a
    wildcard, so it gets the written-out template with `{list:slot}` as `{slot}`; the
    second recognition uses the rules and lists as they are.
    """
    while (found := RULE.search(template)) is not None:
        body = written_out(rules[found.group(1)], rules)
        template = f"{template[: found.start()]}({body}){template[found.end() :]}"
    return LIST_AS_SLOT.sub(r"{\1}", template)


def load_grammars(languages: Sequence[str] = LANGUAGES) -> dict[str, Grammar]:
    """Read the sentence files (blocking: run in the executor)."""
    return {
        language: Grammar.from_dict(
            language, load_yaml_dict(str(SENTENCES_DIR / f"{language}.yaml"))
        )
        for language in languages
    }


class Sentences:
    """The registered trigger: recognizes a sentence and hands it to an intent."""

    def __init__(self, hass: HomeAssistant, grammars: Mapping[str, Grammar]) -> None:
        """Hold the grammars; `async_register` makes them heard."""
        self.hass = hass
        self.grammars = dict(grammars)

    @property
    def commands(self) -> list[str]:
        """Every template of every language, for the trigger."""
        return [t for grammar in self.grammars.values() for t in grammar.templates]

    async def async_register(self) -> None:
        """Register the one conversation trigger that catches all the sentences."""
        config = await async_validate_trigger_config(
            self.hass, [{"platform": CONVERSATION, "command": self.commands}]
        )
        await async_initialize_triggers(
            self.hass,
            config,
            self._async_heard,
            DOMAIN,
            "Partner Time sentences",
            LOGGER.log,
        )

    def recognize(
        self, sentence: str, names: Sequence[str], preferred: str
    ) -> tuple[str, RecognizeResult] | None:
        """Find the language and match of a sentence (blocking: run in the executor).

        Tries the strict grammars first (the preferred language before the others),
        then the lenient ones, so that a known name or a number wins over a wildcard.
        """
        languages = sorted(self.grammars, key=lambda language: language != preferred)
        names_list = TextSlotList.from_strings(names, name=SLOT_NAME)
        for strict in (True, False):
            for language in languages:
                grammar = self.grammars[language]
                result = recognize_best(
                    sentence,
                    grammar.strict if strict else grammar.lenient,
                    slot_lists={SLOT_NAME: names_list} if strict else None,
                    language=language,
                )
                if result is not None:
                    return language, result
        return None

    async def _async_heard(
        self, run_variables: dict[str, Any], _context: Context | None = None
    ) -> ScriptRunResult:
        """Answer a sentence the trigger caught."""
        trigger = run_variables["trigger"]
        speech = await self.async_answer(
            trigger["sentence"], trigger["user_input"], trigger.get("device_id")
        )
        return ScriptRunResult(
            conversation_response=speech, service_response=None, variables={}
        )

    async def async_answer(
        self,
        sentence: str,
        user_input: Mapping[str, Any],
        device_id: str | None = None,
    ) -> str:
        """Recognize `sentence`, run its intent and return what to say.

        `device_id` is the trigger's: the satellite's device, else the input's.
        """
        preferred = answer_language(user_input.get("language"))
        match = await self.hass.async_add_executor_job(
            self.recognize, sentence, household_names(self.hass), preferred
        )
        if match is None:
            return text(preferred, "not_understood")
        language, result = match
        slots = {
            entity.name: {"value": entity.value, "text": entity.text}
            for entity in result.entities_list
        }
        context = user_input.get("context") or {}
        try:
            response = await intent.async_handle(
                self.hass,
                CONVERSATION,
                result.intent.name,
                slots,
                sentence,
                Context(
                    user_id=context.get("user_id"),
                    parent_id=context.get("parent_id"),
                    id=context.get("id"),
                ),
                language,
                assistant=CONVERSATION,
                device_id=device_id,
                satellite_id=user_input.get("satellite_id"),
                conversation_agent_id=user_input.get("agent_id"),
            )
        except intent.IntentError:
            LOGGER.exception("Partner time could not handle %r", sentence)
            return text(language, "failed")
        return str(response.speech.get("plain", {}).get("speech", ""))


async def async_setup_sentences(hass: HomeAssistant) -> None:
    """Load the sentence files and register them with the conversation agent (once)."""
    if DATA_SENTENCES in hass.data:
        return
    grammars = await hass.async_add_executor_job(load_grammars)
    sentences = hass.data[DATA_SENTENCES] = Sentences(hass, grammars)
    await sentences.async_register()
