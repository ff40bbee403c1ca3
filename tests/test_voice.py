"""Voice: every sentence through Assist's real built-in agent, in English and German.

The sentences go through the `conversation.process` action (as a voice satellite's
pipeline does), so what is tested is the whole path: the conversation trigger that
catches the sentence, the second recognition with hassil, the intent, the engine, the
switch and the spoken answer. Berlin, Monday 1 June 2026, 15:00; the household's agreed
time is dinner 18:30-19:30 every day and a manual start lasts 60 minutes.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from unittest.mock import patch

import probatio
import pytest
from homeassistant.components.homeassistant.exposed_entities import (
    async_expose_entity,
)
from homeassistant.components.llm import LLMTools
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import intent
from homeassistant.helpers.llm import (
    LLM_API_ASSIST,
    LLMContext,
    ToolInput,
    ToolResult,
    selector_serializer,
)
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from custom_components.partner_time.const import DOMAIN
from custom_components.partner_time.llm import async_get_tools
from custom_components.partner_time.voice import (
    DATA_SENTENCES,
    Sentences,
    async_setup_sentences,
)
from custom_components.partner_time.voice_intents import (
    INTENT_EXTEND,
    INTENT_START,
    INTENT_STATUS,
    INTENT_STOP,
)
from custom_components.partner_time.voice_words import (
    answer_language,
    say_list,
    say_moment,
)

from .common import attr, jump, state
from .household import DINING, async_add_household, async_setup_house

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory

SWITCH = "switch.partner_time"
TRANSLATIONS = (
    Path(__file__).parent.parent / "custom_components/partner_time/translations"
)


def ours(record: logging.LogRecord) -> bool:
    """Whether a log record is about voice: Partner Time, Assist or the intents."""
    return (
        record.name.startswith(
            ("custom_components.partner_time", "homeassistant.components.conversation")
        )
        or record.name == "homeassistant.helpers.intent"
    )


def dashboard(language: str, key: str, **placeholders: str) -> str:
    """Word a refusal as the dashboard shows it: the translated exception."""
    messages = json.loads((TRANSLATIONS / f"{language}.json").read_text("utf-8"))
    return str(messages["exceptions"][key]["message"]).format(**placeholders)


@pytest.fixture(autouse=True)
async def berlin(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Berlin, a Monday afternoon."""
    await hass.config.async_set_time_zone("Europe/Berlin")
    freezer.move_to("2026-06-01T15:00:00+02:00")


async def async_setup_assist(hass: HomeAssistant) -> None:
    """Set up Assist's built-in agent the way default_config does."""
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "intent", {})
    assert await async_setup_component(hass, "conversation", {})
    await hass.async_block_till_done()


async def converse(
    hass: HomeAssistant,
    text: str,
    language: str = "en",
    context: Context | None = None,
) -> dict[str, Any]:
    """Say `text` to the built-in agent; return its response, once actions are done."""
    result = await hass.services.async_call(
        "conversation",
        "process",
        {"text": text, "language": language},
        blocking=True,
        return_response=True,
        context=context,
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    assert result is not None
    response: dict[str, Any] = result["response"]  # type: ignore[assignment]
    return response


async def say(hass: HomeAssistant, text: str, language: str = "en") -> str:
    """Say `text` to the built-in agent; return the spoken answer."""
    response = await converse(hass, text, language)
    return str(response["speech"]["plain"]["speech"])


def ends_at(hass: HomeAssistant, entity_id: str = SWITCH) -> object:
    """Return the end of the running session, as the switch shows it."""
    return attr(hass, entity_id, "ends_at")


@pytest.fixture
async def house(hass: HomeAssistant) -> MockConfigEntry:
    """Assist and one household, "Partner time" (switch.partner_time)."""
    await async_setup_house(hass)
    await async_setup_assist(hass)
    return await async_add_household(hass)


# -- every sentence of the issue ---------------------------------------------------

ENGLISH = [
    # sentence, answer, switch, ends_at
    (
        "is it partner time",
        "Partner time is off. The next one begins at 18:30.",
        "off",
        None,
    ),
    (
        "how long is partner time",
        "Partner time is off. The next one begins at 18:30.",
        "off",
        None,
    ),
    (
        "start partner time",
        "Partner time started until 16:00.",
        "on",
        "2026-06-01T14:00:00+00:00",
    ),
    (
        "is it partner time",
        "Partner time is on until 16:00.",
        "on",
        "2026-06-01T14:00:00+00:00",
    ),
    (
        "how long is partner time",
        "1 more hour, until 16:00.",
        "on",
        "2026-06-01T14:00:00+00:00",
    ),
    (
        "extend partner time by 15 minutes",
        "Partner time extended until 16:15.",
        "on",
        "2026-06-01T14:15:00+00:00",
    ),
    ("stop partner time", "Partner time ended.", "off", None),
    (
        "start partner time for 30 minutes",
        "Partner time started until 15:30.",
        "on",
        "2026-06-01T13:30:00+00:00",
    ),
    ("end partner time", "Partner time ended.", "off", None),
    (
        "start partner time for an hour",
        "Partner time started until 16:00.",
        "on",
        "2026-06-01T14:00:00+00:00",
    ),
    ("end partner time", "Partner time ended.", "off", None),
    (
        "extend partner time by 15 minutes",
        dashboard("en", "not_active", name="Partner time"),
        "off",
        None,
    ),
]

GERMAN = [
    (
        "Ist gerade Partnerzeit",
        "Gerade ist keine Partnerzeit. Die nächste beginnt um 18:30 Uhr.",
        "off",
        None,
    ),
    (
        "Wie lange dauert die Partnerzeit noch",
        "Gerade ist keine Partnerzeit. Die nächste beginnt um 18:30 Uhr.",
        "off",
        None,
    ),
    (
        "Partnerzeit starten",
        "Die Partnerzeit hat begonnen und läuft bis 16:00 Uhr.",
        "on",
        "2026-06-01T14:00:00+00:00",
    ),
    (
        "Ist gerade Partnerzeit",
        "Partnerzeit läuft bis 16:00 Uhr.",
        "on",
        "2026-06-01T14:00:00+00:00",
    ),
    (
        "Wie lange dauert die Partnerzeit noch",
        "Noch eine Stunde, bis 16:00 Uhr.",
        "on",
        "2026-06-01T14:00:00+00:00",
    ),
    (
        "Partnerzeit um 15 Minuten verlängern",
        "Die Partnerzeit ist verlängert und läuft jetzt bis 16:15 Uhr.",
        "on",
        "2026-06-01T14:15:00+00:00",
    ),
    ("Partnerzeit beenden", "Partnerzeit beendet.", "off", None),
    (
        "Partnerzeit für 30 Minuten starten",
        "Die Partnerzeit hat begonnen und läuft bis 15:30 Uhr.",
        "on",
        "2026-06-01T13:30:00+00:00",
    ),
    ("Partnerzeit beenden", "Partnerzeit beendet.", "off", None),
    (
        "Partnerzeit für eine Stunde starten",
        "Die Partnerzeit hat begonnen und läuft bis 16:00 Uhr.",
        "on",
        "2026-06-01T14:00:00+00:00",
    ),
    ("Partnerzeit beenden", "Partnerzeit beendet.", "off", None),
    (
        "Partnerzeit um 15 Minuten verlängern",
        dashboard("de", "not_active", name="Partner time"),
        "off",
        None,
    ),
]


@pytest.mark.parametrize(
    ("language", "script"), [("en", ENGLISH), ("de", GERMAN)], ids=["en", "de"]
)
async def test_every_sentence(
    hass: HomeAssistant,
    house: MockConfigEntry,
    language: str,
    script: list[tuple[str, str, str, str | None]],
) -> None:
    """Each sentence of the issue acts on the switch and answers in its language."""
    for sentence, answer, switch, end in script:
        response = await converse(hass, sentence, language)
        assert response["speech"]["plain"]["speech"] == answer, sentence
        assert response["language"] == language
        assert state(hass, SWITCH) == switch, sentence
        assert ends_at(hass) == end, sentence


async def test_refusal_is_an_error_response(
    hass: HomeAssistant, house: MockConfigEntry, caplog: pytest.LogCaptureFixture
) -> None:
    """To other callers (LLM agents) a refusal is an error response with its reason.

    (Through a sentence only the spoken answer reaches Assist.) A refusal is no
    failure: nothing in the log looks like one.
    """
    response = await intent.async_handle(
        hass, "test", INTENT_EXTEND, {"minutes": {"value": 15}}, language="de"
    )
    assert response.response_type is intent.IntentResponseType.ERROR
    assert response.error_code is intent.IntentResponseErrorCode.FAILED_TO_HANDLE
    assert response.speech["plain"]["speech"] == dashboard(
        "de", "not_active", name="Partner time"
    )
    assert "Traceback" not in caplog.text
    assert not [r for r in caplog.records if ours(r) and r.levelno >= logging.WARNING]


async def test_built_in_turn_on_and_off_still_work(
    hass: HomeAssistant, house: MockConfigEntry
) -> None:
    """The switch stays exposed: HassTurnOn/HassTurnOff drive it as before."""
    response = await converse(hass, "turn on partner time")
    assert response["data"]["success"][0]["id"] == SWITCH
    assert state(hass, SWITCH) == "on"
    await converse(hass, "turn off partner time")
    assert state(hass, SWITCH) == "off"


async def test_other_sentences_stay_with_the_built_in_intents(
    hass: HomeAssistant, house: MockConfigEntry
) -> None:
    """Partner Time's sentences catch nothing without "partner time" in it.

    The dining light is turned on and off by HA's own intents, in both languages.
    """
    response = await converse(hass, "turn on the dining")
    assert response["response_type"] == "action_done"
    assert response["data"]["success"][0]["id"] == DINING
    assert state(hass, DINING) == "on"
    response = await converse(hass, "schalte Dining aus", "de")
    assert response["data"]["success"][0]["id"] == DINING
    assert state(hass, DINING) == "off"
    assert state(hass, SWITCH) == "off"


async def test_built_in_german_on_a_german_household(hass: HomeAssistant) -> None:
    """A household set up in German is called "Partnerzeit": schalte ... ein/aus."""
    await async_setup_house(hass)
    await async_setup_assist(hass)
    await async_add_household(hass, "Partnerzeit")
    await converse(hass, "schalte Partnerzeit ein", "de")
    assert state(hass, "switch.partnerzeit") == "on"
    await converse(hass, "schalte Partnerzeit aus", "de")
    assert state(hass, "switch.partnerzeit") == "off"
    # and its own sentences, with its title in the name list
    assert await say(hass, "Partnerzeit starten", "de") == (
        "Die Partnerzeit hat begonnen und läuft bis 16:00 Uhr."
    )
    assert state(hass, "switch.partnerzeit") == "on"


async def test_german_switch_phrases_on_any_household(
    hass: HomeAssistant, house: MockConfigEntry
) -> None:
    """Say 'schalte Partnerzeit ein' or 'aus' to any household, whatever its name."""
    assert house.title == "Partner time"
    assert await say(hass, "schalte Partnerzeit ein", "de") == (
        "Die Partnerzeit hat begonnen und läuft bis 16:00 Uhr."
    )
    assert state(hass, SWITCH) == "on"
    assert (
        await say(hass, "schalte die Partnerzeit aus", "de") == "Partnerzeit beendet."
    )
    assert state(hass, SWITCH) == "off"


async def test_stop_wins_over_hass_turn_off_during_dinner(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, house: MockConfigEntry
) -> None:
    """During dinner, "stop partner time" is ours: it ends dinner for good."""
    await jump(hass, freezer, "2026-06-01T18:45:00+02:00")
    assert state(hass, SWITCH) == "on"
    assert await say(hass, "is it partner time") == "Partner time is on until 19:30."
    assert await say(hass, "stop partner time") == "Partner time ended."
    await jump(hass, freezer, "2026-06-01T18:50:00+02:00")
    assert state(hass, SWITCH) == "off"
    assert await say(hass, "stop partner time") == "Partner time isn't on."
    assert await say(hass, "is it partner time?") == (
        "Partner time is off. The next one begins tomorrow at 18:30."
    )
    assert await say(hass, "Ist gerade Partnerzeit?", "de") == (
        "Gerade ist keine Partnerzeit. Die nächste beginnt morgen um 18:30 Uhr."
    )


# -- more ways to say it -----------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "language", "answer", "end"),
    [
        (
            "start partner time for thirty minutes",
            "en",
            "Partner time started until 15:30.",
            "2026-06-01T13:30:00+00:00",
        ),
        (
            "begin the partner time for 2 hours",
            "en",
            "Partner time started until 17:00.",
            "2026-06-01T15:00:00+00:00",
        ),
        (
            "start partner time for 1 hour and 15 minutes",
            "en",
            "Partner time started until 16:15.",
            "2026-06-01T14:15:00+00:00",
        ),
        (
            "start partner time for half an hour",
            "en",
            "Partner time started until 15:30.",
            "2026-06-01T13:30:00+00:00",
        ),
        (
            "start partner time for an hour and a half",
            "en",
            "Partner time started until 16:30.",
            "2026-06-01T14:30:00+00:00",
        ),
        (
            "Partnerzeit für dreißig Minuten starten",
            "de",
            "Die Partnerzeit hat begonnen und läuft bis 15:30 Uhr.",
            "2026-06-01T13:30:00+00:00",
        ),
        (
            "starte die Partnerzeit für 2 Stunden",
            "de",
            "Die Partnerzeit hat begonnen und läuft bis 17:00 Uhr.",
            "2026-06-01T15:00:00+00:00",
        ),
        (
            "Partnerzeit für eine halbe Stunde starten",
            "de",
            "Die Partnerzeit hat begonnen und läuft bis 15:30 Uhr.",
            "2026-06-01T13:30:00+00:00",
        ),
        (
            "Partnerzeit für anderthalb Stunden starten",
            "de",
            "Die Partnerzeit hat begonnen und läuft bis 16:30 Uhr.",
            "2026-06-01T14:30:00+00:00",
        ),
    ],
)
@pytest.mark.usefixtures("house")
async def test_durations(
    hass: HomeAssistant,
    sentence: str,
    language: str,
    answer: str,
    end: str,
) -> None:
    """Minutes and hours as digits or words, and the usual fractions of an hour."""
    assert await say(hass, sentence, language) == answer
    assert ends_at(hass) == end


async def test_start_while_on(hass: HomeAssistant, house: MockConfigEntry) -> None:
    """Starting again keeps the session; with a duration it now lasts that long."""
    await say(hass, "start partner time")
    assert await say(hass, "start partner time") == (
        "Partner time is already on until 16:00."
    )
    assert await say(hass, "Partnerzeit starten", "de") == (
        "Die Partnerzeit läuft schon bis 16:00 Uhr."
    )
    assert await say(hass, "start partner time for 2 hours") == (
        "Partner time now lasts until 17:00."
    )
    assert ends_at(hass) == "2026-06-01T15:00:00+00:00"
    assert await say(hass, "extend partner time by an hour") == (
        "Partner time extended until 18:00."
    )
    # to 18:30, and so on through dinner, which follows seamlessly
    assert await say(hass, "Partnerzeit um eine halbe Stunde verlängern", "de") == (
        "Die Partnerzeit ist verlängert und läuft jetzt bis 19:30 Uhr."
    )
    assert ends_at(hass) == "2026-06-01T17:30:00+00:00"


async def test_duration_out_of_range(
    hass: HomeAssistant, house: MockConfigEntry
) -> None:
    """More than 24 hours is refused with the dashboard's reason; nothing starts."""
    assert await say(hass, "start partner time for 2000 minutes") == dashboard(
        "en", "invalid_duration", minutes="2000"
    )
    assert await say(hass, "Partnerzeit für 25 Stunden starten", "de") == dashboard(
        "de", "invalid_duration", minutes="1500"
    )
    assert state(hass, SWITCH) == "off"


async def test_answers_in_the_language_of_the_sentence(
    hass: HomeAssistant, house: MockConfigEntry
) -> None:
    """A German sentence on an English pipeline is answered in German, and back."""
    response = await converse(hass, "Partnerzeit starten", "en")
    assert response["speech"]["plain"]["speech"] == (
        "Die Partnerzeit hat begonnen und läuft bis 16:00 Uhr."
    )
    assert await say(hass, "stop partner time", "de") == "Partner time ended."


async def test_not_understood(hass: HomeAssistant, house: MockConfigEntry) -> None:
    """A caught sentence with something that is no number gets an honest answer."""
    assert await say(hass, "give us many more minutes of partner time") == (
        "Sorry, I didn't understand that."
    )
    assert await say(hass, "Partnerzeit um viele Minuten verlängern", "de") == (
        "Das habe ich leider nicht verstanden."
    )
    assert await say(hass, "Partnerzeit um viele Minuten verlängern", "de-CH") == (
        "Das habe ich leider nicht verstanden."
    )


async def test_context_reaches_the_engine(
    hass: HomeAssistant, house: MockConfigEntry
) -> None:
    """The conversation's context is the parent of what partner time does."""
    started = async_capture_events(hass, "partner_time_started")
    context = Context(user_id="user-1")
    await converse(hass, "start partner time", context=context)
    assert started[0].context.parent_id == context.id


async def test_failure_is_answered(hass: HomeAssistant, house: MockConfigEntry) -> None:
    """An unexpected error in the engine (a bug, no refusal) is answered and logged."""

    def broken(*_args: object, **_kwargs: object) -> None:
        msg = "boom"
        raise RuntimeError(msg)  # a new error each time, as a real bug raises it

    with patch.object(house.runtime_data.engine, "start", side_effect=broken):
        assert await say(hass, "start partner time") == "Sorry, that didn't work."
        assert await say(hass, "Partnerzeit starten", "de") == (
            "Das hat leider nicht geklappt."
        )


# -- several households --------------------------------------------------------------


@pytest.fixture
async def two(hass: HomeAssistant) -> tuple[MockConfigEntry, MockConfigEntry]:
    """Assist and two households, Upstairs and Downstairs."""
    await async_setup_house(hass)
    await async_setup_assist(hass)
    return (
        await async_add_household(hass, "Upstairs"),
        await async_add_household(hass, "Downstairs"),
    )


async def test_several_households_ask_which(
    hass: HomeAssistant, two: tuple[MockConfigEntry, MockConfigEntry]
) -> None:
    """Without a name, the answer asks which household and lists them."""
    response = await converse(hass, "start partner time")
    assert response["speech"]["plain"]["speech"] == (
        "Which household do you mean: Downstairs or Upstairs?"
    )
    assert await say(hass, "Partnerzeit starten", "de") == (
        "Welchen Haushalt meinst du: Downstairs oder Upstairs?"
    )
    assert state(hass, "switch.upstairs") == "off"
    assert state(hass, "switch.downstairs") == "off"


async def test_several_households_by_name(
    hass: HomeAssistant, two: tuple[MockConfigEntry, MockConfigEntry]
) -> None:
    """With a household's title in the sentence, that one acts, and it is named."""
    assert await say(hass, "start partner time upstairs for 30 minutes") == (
        "Upstairs: Partner time started until 15:30."
    )
    assert state(hass, "switch.upstairs") == "on"
    assert state(hass, "switch.downstairs") == "off"
    assert await say(hass, "is it partner time Downstairs") == (
        "Downstairs: Partner time is off. The next one begins at 18:30."
    )
    assert await say(hass, "Partnerzeit Upstairs um 15 Minuten verlängern", "de") == (
        "Upstairs: Die Partnerzeit ist verlängert und läuft jetzt bis 15:45 Uhr."
    )
    assert ends_at(hass, "switch.upstairs") == "2026-06-01T13:45:00+00:00"
    assert await say(hass, "Partnerzeit Upstairs beenden", "de") == (
        "Upstairs: Partnerzeit beendet."
    )
    assert state(hass, "switch.upstairs") == "off"


async def test_household_name_with_punctuation(hass: HomeAssistant) -> None:
    """A title with punctuation is found as speech recognition writes it.

    Even without the umlaut: "mullers home" is clearly Müller's Home.
    """
    await async_setup_house(hass)
    await async_setup_assist(hass)
    await async_add_household(hass, "Müller's Home")
    await async_add_household(hass, "Upstairs")
    assert await say(hass, "start partner time mullers home") == (
        "Müller's Home: Partner time started until 16:00."
    )
    assert await say(hass, "start partner time müllers home") == (
        "Müller's Home: Partner time is already on until 16:00."
    )
    assert await say(hass, "Partnerzeit Müller's Home beenden", "de") == (
        "Müller's Home: Partnerzeit beendet."
    )


async def test_unknown_household(
    hass: HomeAssistant, two: tuple[MockConfigEntry, MockConfigEntry]
) -> None:
    """A name that is no household's is answered with the names there are."""
    assert await say(hass, "stop partner time Attic") == (
        "I don't know a household called Attic. There are Downstairs and Upstairs."
    )
    assert await say(hass, "Partnerzeit Dachboden starten", "de") == (
        "Einen Haushalt namens Dachboden kenne ich nicht. "
        "Es gibt Downstairs und Upstairs."
    )


async def test_unknown_household_with_one(
    hass: HomeAssistant, house: MockConfigEntry
) -> None:
    """With one household, a wrong name is still refused, not ignored."""
    assert await say(hass, "start partner time attic") == (
        "I don't know a household called attic. There is only Partner time."
    )
    assert await say(hass, "Partnerzeit Dachboden starten", "de") == (
        "Einen Haushalt namens Dachboden kenne ich nicht. Es gibt nur Partner time."
    )
    # sounding alike is not enough: "Carter time" is not "Partner time"
    assert await say(hass, "start partner time for Carter time") == (
        "I don't know a household called Carter time. There is only Partner time."
    )
    assert state(hass, SWITCH) == "off"


async def test_no_household_loaded(hass: HomeAssistant, house: MockConfigEntry) -> None:
    """Sentences stay registered; without a loaded household they say so."""
    assert await hass.config_entries.async_unload(house.entry_id)
    assert await say(hass, "start partner time") == "Partner time isn't set up yet."
    assert await say(hass, "Ist gerade Partnerzeit", "de") == (
        "Partnerzeit ist noch nicht eingerichtet."
    )


# -- status --------------------------------------------------------------------------


async def test_status_paused(hass: HomeAssistant, house: MockConfigEntry) -> None:
    """With the agreed times paused there is no next one to announce."""
    house.runtime_data.engine.set_schedule_enabled(enabled=False)
    await hass.async_block_till_done()
    assert await say(hass, "is partner time on") == (
        "Partner time is off, and the agreed times are paused."
    )
    assert await say(hass, "läuft gerade Partnerzeit", "de") == (
        "Gerade ist keine Partnerzeit, und die vereinbarten Zeiten sind pausiert."
    )


async def test_status_nothing_coming_up(
    hass: HomeAssistant, house: MockConfigEntry
) -> None:
    """With everything skipped for longer than the engine looks ahead."""
    house.runtime_data.engine.skip(datetime(2026, 6, 20, tzinfo=UTC))
    await hass.async_block_till_done()
    assert await say(hass, "is it partner time") == (
        "Partner time is off, and no agreed time is coming up."
    )
    assert await say(hass, "ist gerade Partnerzeit", "de") == (
        "Gerade ist keine Partnerzeit, und es steht auch keine an."
    )
    assert await say(hass, "when does the next partner time begin") == (
        "No agreed time is coming up."
    )
    assert await say(hass, "wann beginnt die nächste Partnerzeit", "de") == (
        "Es steht keine vereinbarte Partnerzeit an."
    )


async def test_status_weekday_and_date(hass: HomeAssistant) -> None:
    """Within a week the next time is announced by its weekday; later, with its date."""
    await async_setup_house(hass)
    await async_setup_assist(hass)
    entry = await async_add_household(
        hass,
        windows=[
            {
                "name": "Brunch",
                "days": ["mon", "sat"],
                "start": "10:00:00",
                "end": "12:00:00",
            }
        ],
    )
    assert await say(hass, "when does partner time start") == (
        "The next partner time begins on Saturday at 10:00."
    )
    assert await say(hass, "wann beginnt die Partnerzeit", "de") == (
        "Die nächste Partnerzeit beginnt am Samstag um 10:00 Uhr."
    )
    entry.runtime_data.engine.skip()
    await hass.async_block_till_done()
    assert await say(hass, "when is the next partner time") == (
        "The next partner time begins on Monday, 8 June at 10:00."
    )
    assert await say(hass, "wann ist die nächste Partnerzeit", "de") == (
        "Die nächste Partnerzeit beginnt am Montag, dem 8. Juni, um 10:00 Uhr."
    )


@pytest.mark.parametrize(
    ("language", "kind", "moment", "said"),
    [
        ("en", "until", "2026-06-01T19:30:00+02:00", "until 19:30"),
        ("en", "until", "2026-06-02T01:30:00+02:00", "until tomorrow at 01:30"),
        ("en", "until", "2026-06-03T09:05:00+02:00", "until Wednesday at 09:05"),
        ("en", "until", "2026-06-08T09:05:00+02:00", "until Monday, 8 June at 09:05"),
        ("de", "until", "2026-06-01T19:30:00+02:00", "bis 19:30 Uhr"),
        ("de", "until", "2026-06-02T01:30:00+02:00", "bis morgen um 1:30 Uhr"),
        ("de", "until", "2026-06-03T09:05:00+02:00", "bis Mittwoch um 9:05 Uhr"),
        (
            "de",
            "until",
            "2026-06-08T09:05:00+02:00",
            "bis Montag, den 8. Juni, um 9:05 Uhr",
        ),
        ("en", "begins", "2026-06-02T18:30:00+02:00", "tomorrow at 18:30"),
        ("de", "begins", "2026-06-02T18:30:00+02:00", "morgen um 18:30 Uhr"),
    ],
)
async def test_say_moment(
    hass: HomeAssistant, language: str, kind: str, moment: str, said: str
) -> None:
    """Local time, with the day when it is not today."""
    when = datetime.fromisoformat(moment)
    assert say_moment(language, kind, when) == said


def test_words() -> None:
    """German for every German variant, English for the rest; lists read naturally."""
    assert answer_language("de-CH") == "de"
    assert answer_language("de_AT") == "de"
    assert answer_language("fr") == "en"
    assert answer_language(None) == "en"
    assert say_list("en", ["A", "B", "C"], "or") == "A, B or C"
    assert say_list("de", ["A", "B"], "and") == "A und B"


# -- the intents directly, and for LLM agents ----------------------------------------


async def test_intents_without_conversation(hass: HomeAssistant) -> None:
    """The intents work on their own (any caller), German from the language."""
    await async_setup_house(hass)
    assert await async_setup_component(hass, "intent", {})
    await async_add_household(hass)
    response = await intent.async_handle(
        hass, "test", INTENT_START, {"minutes": {"value": 45}}, language="de-DE"
    )
    assert response.speech["plain"]["speech"] == (
        "Die Partnerzeit hat begonnen und läuft bis 15:45 Uhr."
    )
    assert response.speech_slots["household"] == "Partner time"
    assert response.speech_slots["active"] is True
    assert response.speech_slots["ends_at"] == "2026-06-01T15:45:00+02:00"
    assert response.success_results[0].id == SWITCH
    response = await intent.async_handle(hass, "test", INTENT_STATUS, {})
    assert response.response_type is intent.IntentResponseType.QUERY_ANSWER
    response = await intent.async_handle(
        hass,
        "test",
        INTENT_EXTEND,
        {"hours": {"value": 1}, "name": {"value": "partner  TIME"}},
    )
    assert response.speech["plain"]["speech"] == "Partner time extended until 16:45."
    response = await intent.async_handle(hass, "test", INTENT_STOP, {})
    assert response.speech["plain"]["speech"] == "Partner time ended."
    with pytest.raises(intent.InvalidSlotInfo):
        await intent.async_handle(hass, "test", INTENT_EXTEND, {})
    # no conversation: no sentences
    assert DATA_SENTENCES not in hass.data


async def test_sentences_registered_once(
    hass: HomeAssistant, house: MockConfigEntry
) -> None:
    """Conversation set up before the household: the sentences are there, once."""
    sentences = hass.data[DATA_SENTENCES]
    assert isinstance(sentences, Sentences)
    assert "start partner time" not in sentences.commands  # templates, not examples
    assert any("Partnerzeit" in command for command in sentences.commands)
    await async_setup_sentences(hass)
    assert hass.data[DATA_SENTENCES] is sentences


async def test_conversation_set_up_later(hass: HomeAssistant) -> None:
    """Conversation set up after the household: the sentences follow it."""
    await async_setup_house(hass)
    await async_add_household(hass)
    assert DATA_SENTENCES not in hass.data
    await async_setup_assist(hass)
    assert DATA_SENTENCES in hass.data
    assert await say(hass, "start partner time") == "Partner time started until 16:00."


def _llm_context(language: str = "en") -> LLMContext:
    return LLMContext(
        platform="test",
        context=Context(),
        language=language,
        assistant="conversation",
        device_id=None,
    )


async def test_llm_tools(hass: HomeAssistant, house: MockConfigEntry) -> None:
    """The intents are LLM tools with descriptions and slot schemas."""
    tools = async_get_tools(hass, _llm_context("de"), LLM_API_ASSIST)
    assert isinstance(tools, LLMTools)
    by_name = {tool.name: tool for tool in tools.tools}
    assert set(by_name) == {
        f"partner_time__PartnerTime{name}"
        for name in (
            "Start",
            "Stop",
            "Extend",
            "Skip",
            "Unskip",
            "Pause",
            "Resume",
            "Status",
            "Remaining",
            "Next",
            "Propose",
            "Accept",
            "Decline",
        )
    }
    for tool in tools.tools:
        assert tool.description
        assert tool.integration == DOMAIN
        schema = probatio.to_openapi(
            tool.parameters, custom_serializer=selector_serializer
        )
        assert "name" in schema["properties"]
    start = by_name["partner_time__PartnerTimeStart"]
    assert set(
        probatio.to_openapi(start.parameters, custom_serializer=selector_serializer)[
            "properties"
        ]
    ) == {"name", "minutes", "hours"}
    assert by_name["partner_time__PartnerTimeStatus"].annotations.read_only
    result = await start.async_call(
        hass,
        ToolInput(tool_name=start.name, tool_args={"minutes": 20, "name": " "}),
        _llm_context("de"),
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    assert isinstance(result, ToolResult)
    assert result.data["speech"] == {
        "plain": {
            "speech": "Die Partnerzeit hat begonnen und läuft bis 15:20 Uhr.",
            "extra_data": None,
        }
    }
    assert state(hass, SWITCH) == "on"


async def test_llm_tools_only_when_exposed(
    hass: HomeAssistant, house: MockConfigEntry
) -> None:
    """No tools for another API, without an assistant, or with the switch hidden."""
    assert async_get_tools(hass, _llm_context(), "other") is None
    no_assistant = _llm_context()
    no_assistant.assistant = ""
    assert async_get_tools(hass, no_assistant, LLM_API_ASSIST) is None
    async_expose_entity(hass, "conversation", SWITCH, should_expose=False)
    assert async_get_tools(hass, _llm_context(), LLM_API_ASSIST) is None
