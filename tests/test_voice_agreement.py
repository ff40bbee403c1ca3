"""Voice for "shall we?" (issue #16): Anna asks for partner time, Ben says yes or no.

Anna and Ben each talk to Assist as themselves (the conversation's context is their
user), in English and German, through the real built-in agent (`conversation.process`).
Every phrasing is checked by what it does (the status sensor: `proposed` with who asked,
`active` or `idle`; the switch; when it ends; the question on the phones) and by the
words of the answer. Berlin, Monday 1 June 2026, 15:00; a start by hand (and a proposal
without a duration) lasts 60 minutes; a proposal waits 15 minutes for an answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from homeassistant.core import Context
from homeassistant.helpers import intent
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import async_capture_events

from custom_components.partner_time.const import DOMAIN
from custom_components.partner_time.voice_agreement import (
    INTENT_ACCEPT,
    INTENT_PROPOSE,
)

from .common import attr, jump, state
from .household import GALAXY, PIXEL, Phones, async_add_household, async_setup_house
from .test_voice import SWITCH, async_setup_assist, berlin, converse, dashboard

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.auth.models import User
    from homeassistant.core import HomeAssistant

__all__ = ["berlin"]  # the fixture: Berlin, Monday 1 June 2026, 15:00

STATUS = "sensor.partner_time_status"
ENDS_AT = "sensor.partner_time_ends_at"
UNTIL_15_15 = "2026-06-01T13:15:00+00:00"
LANGUAGES = pytest.mark.parametrize("language", ["en", "de"])


class Home:
    """Anna and Ben: their users (who speaks), their phones, and the household."""

    def __init__(
        self, hass: HomeAssistant, phones: Phones, anna: User, ben: User
    ) -> None:
        """Remember who is who."""
        self.hass, self.phones = hass, phones
        self.anna, self.ben = Context(user_id=anna.id), Context(user_id=ben.id)

    async def says(self, who: Context, sentence: str, language: str = "en") -> str:
        """Let Anna or Ben say a sentence to Assist; return the spoken answer."""
        response = await converse(self.hass, sentence, language, context=who)
        return str(response["speech"]["plain"]["speech"])

    async def anna_proposes(self, minutes: int = 30) -> None:
        """Anna taps "Shall we?" on the dashboard (the propose action) for `minutes`."""
        await self.hass.services.async_call(
            DOMAIN,
            "propose",
            {"duration": {"minutes": minutes}},
            blocking=True,
            context=self.anna,
        )
        await self.hass.async_block_till_done(wait_background_tasks=True)

    async def answer(self, action: str) -> None:
        """Answer or end from the dashboard (accept, decline, stop), as a person."""
        await self.hass.services.async_call(
            DOMAIN, action, {}, blocking=True, context=self.anna
        )
        await self.hass.async_block_till_done(wait_background_tasks=True)


@pytest.fixture
async def home(hass: HomeAssistant) -> Home:
    """Assist, Anna (phone: Pixel 8) and Ben (phone: Galaxy), and their household."""
    phones = await async_setup_house(hass)
    await async_setup_assist(hass)
    anna = await hass.auth.async_create_user("Anna")
    ben = await hass.auth.async_create_user("Ben")
    people = [
        {
            "id": "anna",
            "name": "Anna",
            "user_id": anna.id,
            "device_trackers": ["device_tracker.pixel_8"],
        },
        {
            "id": "ben",
            "name": "Ben",
            "user_id": ben.id,
            "device_trackers": ["device_tracker.galaxy"],
        },
    ]
    assert await async_setup_component(hass, "person", {"person": people})
    await async_add_household(hass)
    return Home(hass, phones, anna, ben)


# -- the story -----------------------------------------------------------------------


async def test_anna_asks_by_voice_and_ben_says_yes(
    hass: HomeAssistant, home: Home
) -> None:
    """Anna asks for an hour; both phones are asked; Ben says yes; Anna hears it."""
    started = async_capture_events(hass, "partner_time_started")
    assert await home.says(home.anna, "ask for partner time for an hour") == (
        "Proposed 1 hour of partner time, now. The others can say yes until 15:15."
    )
    assert state(hass, STATUS) == "proposed"
    assert attr(hass, STATUS, "proposed_by") == "Anna"
    assert attr(hass, STATUS, "proposed_until") == UNTIL_15_15
    assert state(hass, SWITCH) == "off"
    question = home.phones.received[GALAXY][-1]
    assert (
        question["message"]
        == "Anna would like partner time: 60 minutes, now. Shall we?"
    )
    assert [a["title"] for a in question["data"]["actions"]] == [
        "Yes, let's",
        "Not now",
    ]

    assert await home.says(home.ben, "yes, partner time") == (
        "Accepted Anna's proposal: partner time is on until 16:00."
    )
    assert state(hass, SWITCH) == "on"
    assert state(hass, STATUS) == "active"
    assert state(hass, ENDS_AT) == "2026-06-01T14:00:00+00:00"
    assert started[0].data["source"] == "agreed"
    clear = {"message": "clear_notification", "data": {"tag": question["data"]["tag"]}}
    assert clear in home.phones.received[GALAXY]
    assert home.phones.received[PIXEL][-1]["message"] == (
        "Yes! Partner time until 16:00."
    )


async def test_anna_fragt_auf_deutsch_und_ben_lehnt_ab(
    hass: HomeAssistant, home: Home
) -> None:
    """German: Anna proposes half an hour, Ben says no; nothing starts; Anna is told."""
    declined = async_capture_events(hass, "partner_time_declined")
    proposed = async_capture_events(hass, "partner_time_proposed")
    assert await home.says(
        home.anna, "Partnerzeit für eine halbe Stunde vorschlagen", "de"
    ) == (
        "Vorgeschlagen: 30 Minuten Partnerzeit, jetzt. "
        "Die anderen können bis 15:15 Uhr zusagen."
    )
    assert proposed[0].data["duration"] == 1800
    assert state(hass, STATUS) == "proposed"
    assert await home.says(home.ben, "Nein danke, jetzt keine Partnerzeit", "de") == (
        "Vorschlag von Anna abgelehnt: jetzt keine Partnerzeit."
    )
    assert len(declined) == 1
    assert state(hass, STATUS) == "idle"
    assert state(hass, SWITCH) == "off"
    assert home.phones.received[PIXEL][-1]["message"] == (
        "Not now: partner time was declined."
    )


async def test_nothing_to_answer_is_said_as_the_dashboard_says_it(
    hass: HomeAssistant, home: Home
) -> None:
    """Yes or no with nothing proposed: the dashboard's sentence, nothing changes."""
    for sentence, language in (
        ("yes, partner time", "en"),
        ("decline partner time", "en"),
        ("Ja, Partnerzeit", "de"),
        ("Partnerzeit ablehnen", "de"),
    ):
        assert await home.says(home.ben, sentence, language) == dashboard(
            language, "nothing_proposed", name="Partner time"
        ), sentence
        assert state(hass, STATUS) == "idle"
        assert state(hass, SWITCH) == "off"


async def test_ben_says_yes_too_late(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, home: Home
) -> None:
    """Anna's question lapses after 15 minutes; Ben's yes at 15:20 has nothing to answer."""
    await home.says(home.anna, "propose partner time")
    await jump(hass, freezer, "2026-06-01T15:20:00+02:00")
    assert state(hass, STATUS) == "idle"
    assert await home.says(home.ben, "accept partner time") == dashboard(
        "en", "nothing_proposed", name="Partner time"
    )
    assert state(hass, SWITCH) == "off"


async def test_a_satellite_without_a_user_asks_and_answers(
    hass: HomeAssistant, home: Home
) -> None:
    """The kitchen speaker knows no user: the proposal is nobody's, the answers say so."""
    kitchen = Context()
    assert await home.says(kitchen, "shall we have partner time") == (
        "Proposed 1 hour of partner time, now. The others can say yes until 15:15."
    )
    assert attr(hass, STATUS, "proposed_by") is None
    assert home.phones.received[GALAXY][-1]["message"].startswith("Your partner")
    assert await home.says(kitchen, "Ja, Partnerzeit", "de") == (
        "Angenommen: Die Partnerzeit läuft bis 16:00 Uhr."
    )
    assert state(hass, SWITCH) == "on"
    await home.answer("stop")
    await home.says(kitchen, "propose partner time")
    assert await home.says(kitchen, "not now, partner time") == (
        "Declined: no partner time now."
    )
    assert state(hass, STATUS) == "idle"


async def test_yes_while_partner_time_runs_never_shortens_it(
    hass: HomeAssistant, home: Home
) -> None:
    """Partner time runs until 16:00; Anna asks for 30 minutes; Ben's yes keeps 16:00."""
    await home.says(home.ben, "start partner time")
    await home.anna_proposes(30)
    assert await home.says(home.ben, "accept partner time") == (
        "Accepted Anna's proposal: partner time is on until 16:00."
    )
    assert state(hass, ENDS_AT) == "2026-06-01T14:00:00+00:00"


async def test_asking_one_of_two_households(hass: HomeAssistant, home: Home) -> None:
    """With the family as a second household, a name picks it; else the keyword one."""
    await async_add_household(hass, "Family")
    assert await home.says(home.anna, "ask for partner time for Family") == (
        "Family: Proposed 1 hour of partner time, now. "
        "The others can say yes until 15:15."
    )
    assert state(hass, "sensor.family_status") == "proposed"
    assert state(hass, STATUS) == "idle"
    assert await home.says(home.ben, "Partnerzeit für die Familie annehmen", "de") == (
        "Family: Vorschlag von Anna angenommen: Die Partnerzeit läuft bis 16:00 Uhr."
    )
    assert state(hass, "switch.family") == "on"
    assert state(hass, SWITCH) == "off"


async def test_the_intents_without_conversation(
    hass: HomeAssistant, home: Home
) -> None:
    """Other callers of the intents get the answer and an error code for a refusal."""
    refused = await intent.async_handle(hass, "test", INTENT_ACCEPT, {})
    assert refused.response_type is intent.IntentResponseType.ERROR
    assert refused.error_code is intent.IntentResponseErrorCode.FAILED_TO_HANDLE
    asked = await intent.async_handle(
        hass, "test", INTENT_PROPOSE, {"hours": {"value": 1.5}}, language="de"
    )
    assert asked.speech["plain"]["speech"] == (
        "Vorgeschlagen: eine Stunde und 30 Minuten Partnerzeit, jetzt. "
        "Die anderen können bis 15:15 Uhr zusagen."
    )
    assert asked.speech_slots["status"] == "proposed"


# -- the words people use ------------------------------------------------------------

PROPOSE = {
    "en": [
        # sentence, minutes proposed, as the answer says them
        ("ask for partner time", 60, "1 hour"),
        ("ask for partner time for an hour", 60, "1 hour"),
        ("propose partner time", 60, "1 hour"),
        ("Propose partner time for 30 minutes.", 30, "30 minutes"),
        ("suggest partner time now", 60, "1 hour"),
        ("request partner time for half an hour", 30, "30 minutes"),
        ("ask for 45 minutes of partner time", 45, "45 minutes"),
        ("ask my partner for partner time", 60, "1 hour"),
        ("shall we have partner time", 60, "1 hour"),
        ("should we have some partner time now", 60, "1 hour"),
        ("how about partner time for an hour and a half", 90, "1 hour and 30 minutes"),
        ("send a partner time invitation", 60, "1 hour"),
        ("partner time proposal for 2 hours", 120, "2 hours"),
        ("invite my wife to partner time", 60, "1 hour"),
        ("would you like some partner time", 60, "1 hour"),
        ("I'd like some partner time", 60, "1 hour"),
        ("I would like partner time", 60, "1 hour"),
        ("I'd like 30 minutes of partner time", 30, "30 minutes"),
        ("I want partner time for an hour", 60, "1 hour"),
        ("can we have partner time", 60, "1 hour"),
        ("could we have some partner time for 45 minutes", 45, "45 minutes"),
        ("I'd like to propose partner time", 60, "1 hour"),
    ],
    "de": [
        ("Partnerzeit vorschlagen", 60, "eine Stunde"),
        ("Schlag Partnerzeit vor", 60, "eine Stunde"),
        ("Schlage die Partnerzeit für eine Stunde vor", 60, "eine Stunde"),
        ("Partnerzeit für 30 Minuten vorschlagen", 30, "30 Minuten"),
        ("Eine halbe Stunde Partnerzeit vorschlagen", 30, "30 Minuten"),
        ("Frag nach Partnerzeit", 60, "eine Stunde"),
        (
            "Frag meine Frau nach Partnerzeit für anderthalb Stunden",
            90,
            "eine Stunde und 30 Minuten",
        ),
        ("Wollen wir Partnerzeit machen?", 60, "eine Stunde"),
        ("Hast du Lust auf Partnerzeit?", 60, "eine Stunde"),
        ("Mach einen Vorschlag für Partnerzeit", 60, "eine Stunde"),
        ("Bitte um Partnerzeit für 2 Stunden", 120, "2 Stunden"),
        ("Lade meinen Partner zur Partnerzeit ein", 60, "eine Stunde"),
        ("Partnerzeit jetzt anfragen", 60, "eine Stunde"),
        (
            "Wollen wir jetzt eine Dreiviertelstunde Partnerzeit machen",
            45,
            "45 Minuten",
        ),
        ("Partnerzeit vorschlagen für eine Stunde", 60, "eine Stunde"),
        ("Die Partnerzeit anfragen für 30 Minuten", 30, "30 Minuten"),
        ("Ich hätte gern Partnerzeit", 60, "eine Stunde"),
        ("Ich möchte eine halbe Stunde Partnerzeit", 30, "30 Minuten"),
        ("Können wir Partnerzeit machen?", 60, "eine Stunde"),
        ("Sollen wir Partnerzeit haben", 60, "eine Stunde"),
        ("Ich möchte Partnerzeit vorschlagen", 60, "eine Stunde"),
    ],
}

ACCEPT = {
    "en": [
        "yes, partner time",
        "Yes partner time",
        "yeah, partner time",
        "sure, partner time",
        "okay, let's have partner time",
        "yes to partner time",
        "accept partner time",
        "Accept the partner time proposal.",
        "accept the invitation for partner time",
        "I accept partner time",
        "say yes to partner time",
        "agree to partner time",
        "partner time sounds good",
        "partner time, yes please",
        "I'm in for partner time",
        "count me in for partner time",
        "confirm partner time",
        "gladly, partner time",
        "sounds good, partner time",
        "I want to accept partner time",
    ],
    "de": [
        "Ja, Partnerzeit",
        "Ja gerne, Partnerzeit",
        "Ja zur Partnerzeit",
        "Partnerzeit annehmen",
        "Die Partnerzeit annehmen",
        "Nimm die Partnerzeit an",
        "Akzeptiere die Partnerzeit",
        "Sag die Partnerzeit zu",
        "Sag ja zur Partnerzeit",
        "Partnerzeit? Gerne!",
        "Partnerzeit klingt gut",
        "Den Vorschlag für Partnerzeit annehmen",
        "Nimm den Vorschlag zur Partnerzeit an",
        "Ich bin bereit für Partnerzeit",
        "Einverstanden, Partnerzeit",
        "Partnerzeit bestätigen",
        "Gerne, Partnerzeit",
        "Sehr gern, Partnerzeit",
        "Klingt gut, Partnerzeit",
        "Ich möchte die Partnerzeit annehmen",
    ],
}

DECLINE = {
    "en": [
        "decline partner time",
        "Decline the partner time proposal.",
        "reject partner time",
        "turn down partner time",
        "turn down the invitation for partner time",
        "I decline partner time",
        "say no to partner time",
        "no, not now, partner time",
        "no thanks, no partner time",
        "no partner time right now",
        "not now, partner time",
        "partner time? not now",
        "partner time, no thanks",
        "I don't want partner time now",
        "I'm not in the mood for partner time",
        "no partner time for me",
        "no thanks, partner time",
        "maybe later, partner time",
        "partner time? Maybe later",
        "I'd like to decline partner time",
    ],
    "de": [
        "Partnerzeit ablehnen",
        "Lehne die Partnerzeit ab",
        "Lehn Partnerzeit ab",
        "Nein danke, keine Partnerzeit",
        "Nein, jetzt keine Partnerzeit",
        "Nein zur Partnerzeit",
        "Sag nein zur Partnerzeit",
        "Jetzt keine Partnerzeit",
        "Partnerzeit? Jetzt nicht",
        "Partnerzeit lieber nicht",
        "Ich habe keine Lust auf Partnerzeit",
        "Hab jetzt keine Lust auf Partnerzeit",
        "Den Vorschlag für Partnerzeit ablehnen",
        "Lehne den Vorschlag zur Partnerzeit ab",
        "Partnerzeit nicht annehmen",
        "Jetzt nicht, Partnerzeit",
        "Nein danke, Partnerzeit",
        "Nein, jetzt nicht, Partnerzeit",
        "Lieber nicht, Partnerzeit",
        "Vielleicht später, Partnerzeit",
        "Ich möchte die Partnerzeit ablehnen",
    ],
}


@LANGUAGES
async def test_propose(hass: HomeAssistant, home: Home, language: str) -> None:
    """Every way Anna asks: proposed by her, for what she said; nothing starts yet."""
    proposed = async_capture_events(hass, "partner_time_proposed")
    assert len(PROPOSE[language]) >= 10
    for sentence, minutes, said in PROPOSE[language]:
        answer = (
            f"Proposed {said} of partner time, now. The others can say yes until 15:15."
            if language == "en"
            else f"Vorgeschlagen: {said} Partnerzeit, jetzt. "
            "Die anderen können bis 15:15 Uhr zusagen."
        )
        assert await home.says(home.anna, sentence, language) == answer, sentence
        assert state(hass, STATUS) == "proposed", sentence
        assert attr(hass, STATUS, "proposed_by") == "Anna", sentence
        assert attr(hass, STATUS, "proposed_until") == UNTIL_15_15, sentence
        assert proposed[-1].data["duration"] == minutes * 60, sentence
        assert state(hass, SWITCH) == "off", sentence
        await home.answer("decline")
    assert len(proposed) == len(PROPOSE[language])


@LANGUAGES
async def test_accept(hass: HomeAssistant, home: Home, language: str) -> None:
    """Anna asked for 30 minutes; every way Ben says yes starts it, until 15:30."""
    answer = (
        "Accepted Anna's proposal: partner time is on until 15:30."
        if language == "en"
        else "Vorschlag von Anna angenommen: Die Partnerzeit läuft bis 15:30 Uhr."
    )
    assert len(ACCEPT[language]) >= 10
    for sentence in ACCEPT[language]:
        await home.anna_proposes(30)
        assert await home.says(home.ben, sentence, language) == answer, sentence
        assert state(hass, SWITCH) == "on", sentence
        assert state(hass, STATUS) == "active", sentence
        assert state(hass, ENDS_AT) == "2026-06-01T13:30:00+00:00", sentence
        await home.answer("stop")


@LANGUAGES
async def test_decline(hass: HomeAssistant, home: Home, language: str) -> None:
    """Anna asked; every way Ben says no: nothing starts, the question is gone."""
    declined = async_capture_events(hass, "partner_time_declined")
    answer = (
        "Declined Anna's proposal: no partner time now."
        if language == "en"
        else "Vorschlag von Anna abgelehnt: jetzt keine Partnerzeit."
    )
    assert len(DECLINE[language]) >= 10
    for sentence in DECLINE[language]:
        await home.anna_proposes(30)
        assert await home.says(home.ben, sentence, language) == answer, sentence
        assert state(hass, STATUS) == "idle", sentence
        assert state(hass, SWITCH) == "off", sentence
    assert len(declined) == len(DECLINE[language])


async def test_the_other_sentences_are_not_taken_for_answers(
    hass: HomeAssistant, home: Home
) -> None:
    """With a proposal pending, "no partner time tonight" still skips dinner, etc."""
    await home.anna_proposes(30)
    assert await home.says(home.ben, "no partner time tonight") == (
        "Skipped the partner time at 18:30. The next one begins tomorrow at 18:30."
    )
    assert await home.says(home.ben, "Partnerzeit absagen", "de") == (
        "Die Partnerzeit morgen um 18:30 Uhr fällt aus. "
        "Die nächste beginnt am Mittwoch um 18:30 Uhr."
    )
    assert await home.says(home.ben, "let's have partner time") == (
        "Partner time started until 16:00."
    )
    assert state(hass, SWITCH) == "on"
    assert state(hass, STATUS) == "active"


async def test_a_sentence_ending_like_an_answer_is_no_answer(
    hass: HomeAssistant, home: Home
) -> None:
    """Sentences that end like an answer or a start ("Bruno": "no"; "Stefan": "an")."""
    await home.anna_proposes(30)
    for sentence, language, answer in (
        ("partner time for Bruno", "en", "Sorry, I didn't understand that."),
        ("partner time for Jon", "en", "Sorry, I didn't understand that."),
        ("Partnerzeit für Stefan", "de", "Das habe ich leider nicht verstanden."),
        (
            "Partnerzeit um viele Minuten verlängern",
            "de",
            "Das habe ich leider nicht verstanden.",
        ),
    ):
        assert await home.says(home.ben, sentence, language) == answer, sentence
        assert state(hass, STATUS) == "proposed", sentence
        assert state(hass, SWITCH) == "off", sentence


async def test_no_answer_word_is_taken_for_a_household(
    hass: HomeAssistant, home: Home
) -> None:
    """With two households, "Jetzt nicht, Partnerzeit" declines: "nicht" is no name."""
    await async_add_household(hass, "Family")
    for sentence, language in (
        ("Jetzt nicht, Partnerzeit", "de"),
        ("Nein, jetzt nicht, Partnerzeit", "de"),
        ("Lieber nicht, Partnerzeit", "de"),
        ("not now, partner time", "en"),
        ("no thanks, partner time", "en"),
        ("maybe later, partner time", "en"),
    ):
        await home.says(home.anna, "ask for partner time")
        assert state(hass, STATUS) == "proposed", sentence
        answer = await home.says(home.ben, sentence, language)
        assert answer == (
            "Partner time: Vorschlag von Anna abgelehnt: jetzt keine Partnerzeit."
            if language == "de"
            else "Partner time: Declined Anna's proposal: no partner time now."
        ), sentence
        assert state(hass, "sensor.family_status") == "idle", sentence
        assert state(hass, STATUS) == "idle", sentence
        assert state(hass, SWITCH) == "off", sentence
