"""The words people use: each voice intent, said in many ways, in English and German.

Every phrasing goes through Assist's real built-in agent (`conversation.process`) and is
checked by what it does in the house (the switch, `sensor.partner_time_ends_at`,
`sensor.partner_time_next_start`, the schedule switch) and by the words of the answer.
The lists are written from how people talk: imperative and infinitive German, with and
without articles, synonyms, durations in digits and in words.

The household: Berlin, Monday 1 June 2026, 15:00; dinner 18:30-19:30 every day; a start
by hand lasts 60 minutes. Before each phrasing the house is put into the state the
phrasing needs (off, on, skipped, paused) and afterwards back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.core import Context

from .common import jump, state
from .test_voice import SWITCH, berlin, converse, house

__all__ = ["berlin", "house"]  # the fixtures: Berlin, Monday 15:00; one household

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

ENDS_AT = "sensor.partner_time_ends_at"
NEXT_START = "sensor.partner_time_next_start"
SCHEDULE = "switch.partner_time_schedule"
PERSON = Context(user_id="person")
"""A person presses the buttons between the phrasings (never held back by the guard)."""
TONIGHT = "2026-06-01T16:30:00+00:00"
TOMORROW = "2026-06-02T16:30:00+00:00"


def utc(local: str) -> str:
    """Give the UTC timestamp of a local time today ("16:00", Berlin summer time)."""
    hour, minute = (int(part) for part in local.split(":"))
    return f"2026-06-01T{hour - 2:02d}:{minute:02d}:00+00:00"


def de_time(local: str) -> str:
    """Write a time as the German answers say it ("9:05 Uhr", "16:00 Uhr")."""
    hour, minute = local.split(":")
    return f"{int(hour)}:{minute} Uhr"


START = {
    "en": [
        ("start partner time", "16:00"),
        ("begin partner time now", "16:00"),
        ("Start the partner time.", "16:00"),
        ("let's have partner time", "16:00"),
        ("activate partner time", "16:00"),
        ("we want some partner time now", "16:00"),
        ("time for partner time", "16:00"),
        ("partner time please", "16:00"),
        ("start partner time for 30 minutes", "15:30"),
        ("start partner time for thirty minutes", "15:30"),
        ("start partner time for an hour", "16:00"),
        ("start partner time for half an hour", "15:30"),
        ("start partner time for 2 hours", "17:00"),
        ("start partner time for an hour and a half", "16:30"),
        ("start partner time for 1.5 hours", "16:30"),
        ("start partner time for 1 hour and 15 minutes", "16:15"),
        ("partner time for 45 minutes", "15:45"),
        ("give us 45 minutes of partner time", "15:45"),
        ("turn on partner time for 20 minutes", "15:20"),
        ("partner time on", "16:00"),
        ("we need some partner time", "16:00"),
        ("I'd like to start partner time for an hour", "16:00"),
        ("we want to begin partner time for 30 minutes", "15:30"),
    ],
    "de": [
        ("Partnerzeit starten", "16:00"),
        ("Starte die Partnerzeit", "16:00"),
        ("Beginne die Partnerzeit", "16:00"),
        ("Partnerzeit jetzt beginnen", "16:00"),
        ("Aktiviere die Partnerzeit", "16:00"),
        ("Schalte die Partnerzeit ein", "16:00"),
        ("Mach die Partnerzeit an", "16:00"),
        ("Lass uns Partnerzeit machen", "16:00"),
        ("Fang mit der Partnerzeit an", "16:00"),
        ("Partnerzeit bitte", "16:00"),
        ("Partnerzeit für 30 Minuten starten", "15:30"),
        ("Starte die Partnerzeit für dreißig Minuten", "15:30"),
        ("Partnerzeit für eine Stunde starten", "16:00"),
        ("Partnerzeit für eine halbe Stunde starten", "15:30"),
        ("Starte die Partnerzeit für anderthalb Stunden", "16:30"),
        ("Partnerzeit für 1,5 Stunden starten", "16:30"),
        ("Partnerzeit für zwei Stunden", "17:00"),
        ("Starte 45 Minuten Partnerzeit", "15:45"),
        ("Partnerzeit für eine Viertelstunde starten", "15:15"),
        ("Partnerzeit an", "16:00"),
        ("Partnerzeit ein", "16:00"),
        ("Die Partnerzeit jetzt an", "16:00"),
        ("Partnerzeit für 30 Minuten an", "15:30"),
        ("Partnerzeit starten für eine Stunde", "16:00"),
        ("Partnerzeit beginnen für 45 Minuten", "15:45"),
        ("Ich möchte die Partnerzeit starten", "16:00"),
        ("Wir brauchen Partnerzeit", "16:00"),
    ],
}

STOP = {
    "en": [
        "stop partner time",
        "end partner time",
        "cancel partner time",
        "finish partner time",
        "Stop the partner time now!",
        "end the partner time",
        "quit partner time",
        "partner time is over",
        "we're done with partner time",
        "that's enough for partner time",
        "deactivate partner time",
        "partner time off",
        "I want to stop partner time",
        "we'd like to end partner time now",
    ],
    "de": [
        "Partnerzeit beenden",
        "Beende die Partnerzeit",
        "Partnerzeit stoppen",
        "Stoppe die Partnerzeit",
        "Stopp die Partnerzeit",
        "Partnerzeit abbrechen",
        "Brich die Partnerzeit ab",
        "Partnerzeit aus",
        "Schalte die Partnerzeit aus",
        "Mach die Partnerzeit aus",
        "Die Partnerzeit ist vorbei",
        "Schluss mit der Partnerzeit",
        "Partnerzeit jetzt beenden",
        "Ich möchte die Partnerzeit beenden",
        "Wir wollen Partnerzeit jetzt stoppen",
    ],
}

EXTEND = {
    "en": [
        ("extend partner time by 10 minutes", "16:10"),
        ("extend partner time 15 minutes", "16:15"),
        ("add 10 minutes to partner time", "16:10"),
        ("add another half hour to partner time", "16:30"),
        ("10 more minutes of partner time", "16:10"),
        ("give us 10 more minutes of partner time", "16:10"),
        ("another 20 minutes of partner time", "16:20"),
        ("make partner time 10 minutes longer", "16:10"),
        ("keep partner time going for 10 more minutes", "16:10"),
        ("extend the partner time by an hour", "17:00"),
        ("prolong partner time by half an hour", "16:30"),
        ("partner time 5 more minutes", "16:05"),
        ("extend partner time by 1 hour and 30 minutes", "17:30"),
        ("I'd like to extend partner time by 10 minutes", "16:10"),
    ],
    "de": [
        ("Partnerzeit um 10 Minuten verlängern", "16:10"),
        ("Verlängere die Partnerzeit um 10 Minuten", "16:10"),
        ("Verlängere die Partnerzeit um eine halbe Stunde", "16:30"),
        ("Partnerzeit um eine Stunde verlängern", "17:00"),
        ("Noch 10 Minuten Partnerzeit", "16:10"),
        ("Noch 10 Minuten Partnerzeit dazu", "16:10"),
        ("Gib uns noch 20 Minuten Partnerzeit", "16:20"),
        ("15 Minuten mehr Partnerzeit", "16:15"),
        ("Mach die Partnerzeit 10 Minuten länger", "16:10"),
        ("Partnerzeit noch 5 Minuten länger", "16:05"),
        ("Häng noch eine Viertelstunde an die Partnerzeit dran", "16:15"),
        ("Verlängere die Partnerzeit um anderthalb Stunden", "17:30"),
        ("Partnerzeit um zwanzig Minuten verlängern", "16:20"),
        ("Partnerzeit verlängern um 15 Minuten", "16:15"),
        ("Die Partnerzeit verlängern um eine halbe Stunde", "16:30"),
        ("Ich möchte die Partnerzeit um 10 Minuten verlängern", "16:10"),
    ],
}

SKIP = {
    "en": [
        "skip partner time",
        "skip the next partner time",
        "Skip tonight's partner time.",
        "skip today's partner time",
        "no partner time tonight",
        "no partner time today",
        "cancel the next partner time",
        "leave out the next partner time",
        "drop the next partner time",
        "we'll skip partner time tonight",
        "let's skip the next partner time",
        "skip the upcoming partner time",
        "I want to skip partner time tonight",
    ],
    "de": [
        "Partnerzeit überspringen",
        "Die nächste Partnerzeit überspringen",
        "Überspringe die nächste Partnerzeit",
        "Überspring die Partnerzeit",
        "Heute keine Partnerzeit",
        "Heute Abend keine Partnerzeit",
        "Keine Partnerzeit heute",
        "Lass die nächste Partnerzeit ausfallen",
        "Lass die Partnerzeit heute aus",
        "Sag die nächste Partnerzeit ab",
        "Nächste Partnerzeit absagen",
        "Die heutige Partnerzeit fällt aus",
        "Partnerzeit auslassen",
        "Ich möchte die nächste Partnerzeit überspringen",
    ],
}

UNSKIP = {
    "en": [
        "don't skip partner time",
        "don't skip the next partner time after all",
        "do not skip partner time",
        "unskip partner time",
        "restore the next partner time",
        "bring back tonight's partner time",
        "undo the skip of the next partner time",
        "undo skipping partner time",
        "undo the partner time skip",
        "cancel the partner time skip",
        "we'll have partner time tonight after all",
        "partner time tonight after all",
    ],
    "de": [
        "Partnerzeit doch nicht überspringen",
        "Die nächste Partnerzeit doch nicht auslassen",
        "Überspring die Partnerzeit doch nicht",
        "Lass die Partnerzeit doch nicht ausfallen",
        "Überspringen der Partnerzeit rückgängig machen",
        "Mach das Überspringen der Partnerzeit rückgängig",
        "Die nächste Partnerzeit wiederherstellen",
        "Hol die Partnerzeit zurück",
        "Stell die nächste Partnerzeit wieder her",
        "Die Partnerzeit findet doch statt",
        "Heute doch Partnerzeit",
        "Partnerzeit doch nicht absagen",
    ],
}

PAUSE = {
    "en": [
        "pause partner time",
        "pause the partner time schedule",
        "suspend partner time",
        "pause the agreed partner times",
        "stop the partner time schedule",
        "disable the partner time schedule",
        "turn off the partner time schedule",
        "hold the partner times",
        "pause automatic partner time",
        "no more automatic partner time",
        "switch off the partner time schedule",
        "deactivate the partner time schedule",
        "I'd like to pause the partner time schedule",
    ],
    "de": [
        "Partnerzeit pausieren",
        "Pausiere die Partnerzeit",
        "Partnerzeiten pausieren",
        "Die vereinbarten Partnerzeiten aussetzen",
        "Setze die Partnerzeit aus",
        "Setz die Partnerzeiten aus",
        "Halte die Partnerzeiten an",
        "Den Partnerzeit Zeitplan pausieren",
        "Zeitplan der Partnerzeit anhalten",
        "Schalte den Partnerzeitplan aus",
        "Automatische Partnerzeit deaktivieren",
        "Partnerzeit aussetzen",
        "Wir möchten die Partnerzeiten pausieren",
    ],
}

RESUME = {
    "en": [
        "resume partner time",
        "resume the partner time schedule",
        "unpause partner time",
        "continue the partner time schedule",
        "enable the partner time schedule",
        "reactivate the partner times",
        "turn the partner time schedule back on",
        "switch the partner time schedule back on",
        "turn on the partner time schedule",
        "restart the agreed partner times",
        "resume automatic partner time",
        "activate the partner time schedule",
        "I want to resume the partner time schedule",
    ],
    "de": [
        "Partnerzeit fortsetzen",
        "Setze die Partnerzeit fort",
        "Partnerzeiten wieder aufnehmen",
        "Nimm die Partnerzeiten wieder auf",
        "Partnerzeit wieder aktivieren",
        "Aktiviere die Partnerzeiten wieder",
        "Den Partnerzeit Zeitplan fortsetzen",
        "Schalte den Partnerzeitplan wieder ein",
        "Die vereinbarten Partnerzeiten wieder einschalten",
        "Partnerzeit nicht mehr pausieren",
        "Pause der Partnerzeit beenden",
        "Automatische Partnerzeit aktivieren",
        "Ich möchte die Partnerzeiten fortsetzen",
    ],
}

STATUS = {
    "en": [
        "is it partner time",
        "is it partner time yet?",
        "is partner time on",
        "is the partner time active",
        "is partner time running right now",
        "are we in partner time",
        "do we have partner time now",
        "is there partner time now",
        "what's the partner time status",
        "partner time status",
        "what is the status of partner time",
        "is it partner time already",
        "is partner time over",
        "is partner time over yet",
    ],
    "de": [
        "Ist gerade Partnerzeit?",
        "Ist Partnerzeit",
        "Ist jetzt Partnerzeit",
        "Ist schon Partnerzeit",
        "Läuft die Partnerzeit",
        "Läuft gerade Partnerzeit",
        "Ist die Partnerzeit an",
        "Ist die Partnerzeit aktiv",
        "Haben wir gerade Partnerzeit",
        "Sind wir gerade in der Partnerzeit",
        "Partnerzeit Status",
        "Wie ist der Status der Partnerzeit",
        "Ist die Partnerzeit vorbei",
        "Ist die Partnerzeit schon vorbei",
    ],
}

REMAINING = {
    "en": [
        "how much longer is partner time",
        "how long is partner time",
        "how long is partner time still on",
        "how long does partner time last",
        "how much longer will partner time go on",
        "how much longer for partner time",
        "how much time is left of partner time",
        "how much partner time is left",
        "how many minutes of partner time are left",
        "when does partner time end",
        "when will partner time be over",
        "when is partner time over",
        "until when is partner time on",
        "how long until partner time ends",
        "how long is left on partner time",
        "how long is left in partner time",
        "how much time is left on partner time",
        "how much time do we have left of partner time",
        "how much partner time do we have left",
    ],
    "de": [
        "Wie lange noch Partnerzeit",
        "Wie lange dauert die Partnerzeit noch",
        "Wie lange läuft die Partnerzeit noch",
        "Wie lange geht die Partnerzeit noch",
        "Wann endet die Partnerzeit",
        "Wann ist die Partnerzeit vorbei",
        "Wann ist die Partnerzeit zu Ende",
        "Bis wann läuft die Partnerzeit",
        "Bis wann geht die Partnerzeit",
        "Wie viel Partnerzeit bleibt noch",
        "Wie viel Zeit bleibt noch von der Partnerzeit",
        "Wie viele Minuten Partnerzeit haben wir noch",
        "Wann hört die Partnerzeit auf",
        "Wie lange haben wir noch Partnerzeit",
        "Wie viel Zeit haben wir noch für die Partnerzeit",
    ],
}

NEXT = {
    "en": [
        "when is the next partner time",
        "when is partner time",
        "when does partner time start",
        "when does the next partner time begin",
        "when will partner time begin",
        "when is partner time today",
        "when's the next partner time",
        "when do we have partner time again",
        "what time is partner time",
        "at what time is the next partner time",
        "when is our next partner time",
        "next partner time",
    ],
    "de": [
        "Wann ist die nächste Partnerzeit",
        "Wann ist Partnerzeit",
        "Wann beginnt die Partnerzeit",
        "Wann beginnt die nächste Partnerzeit",
        "Wann startet die nächste Partnerzeit",
        "Wann kommt die nächste Partnerzeit",
        "Wann fängt die Partnerzeit an",
        "Wann haben wir wieder Partnerzeit",
        "Um wie viel Uhr ist Partnerzeit",
        "Wann ist heute Partnerzeit",
        "Nächste Partnerzeit",
        "Wann ist unsere nächste Partnerzeit",
    ],
}

LANGUAGES = pytest.mark.parametrize("language", ["en", "de"])


async def hear(hass: HomeAssistant, sentence: str, language: str) -> str:
    """Say a sentence to Assist; return the answer."""
    response = await converse(hass, sentence, language)
    return str(response["speech"]["plain"]["speech"])


@dataclass(slots=True)
class Case:
    """Phrasings of one intent in one language, the answer and what they do."""

    phrasings: list[str]
    answer: str
    effects: dict[str, str]
    before: Callable[[], Awaitable[None]] | None = None
    after: Callable[[], Awaitable[None]] | None = None


async def each(hass: HomeAssistant, language: str, case: Case) -> None:
    """Say every phrasing from the same state: each has the effects and the answer."""
    assert len(case.phrasings) >= 10
    for sentence in case.phrasings:
        if case.before:
            await case.before()
        assert await hear(hass, sentence, language) == case.answer, sentence
        for entity_id, expected in case.effects.items():
            assert state(hass, entity_id) == expected, (sentence, entity_id)
        if case.after:
            await case.after()


def actions(hass: HomeAssistant, house: MockConfigEntry) -> dict[str, Any]:
    """Put the house into a state between two phrasings (the engine's public API)."""
    engine = house.runtime_data.engine

    async def start() -> None:
        await hass.services.async_call(
            "partner_time", "start", {}, blocking=True, context=PERSON
        )
        await hass.async_block_till_done()

    async def stop() -> None:
        await hass.services.async_call(
            "partner_time", "stop", {}, blocking=True, context=PERSON
        )
        await hass.async_block_till_done()

    async def skip() -> None:
        engine.skip()
        await hass.async_block_till_done()

    async def unskip() -> None:
        engine.unskip()
        await hass.async_block_till_done()

    async def pause() -> None:
        engine.set_schedule_enabled(enabled=False)
        await hass.async_block_till_done()

    async def resume() -> None:
        engine.set_schedule_enabled(enabled=True)
        await hass.async_block_till_done()

    return {
        "start": start,
        "stop": stop,
        "skip": skip,
        "unskip": unskip,
        "pause": pause,
        "resume": resume,
    }


@LANGUAGES
async def test_start(
    hass: HomeAssistant, house: MockConfigEntry, language: str
) -> None:
    """Every way to start: on, until the duration said (or the default hour)."""
    do = actions(hass, house)
    assert len(START[language]) >= 10
    for sentence, until in START[language]:
        answer = (
            f"Partner time started until {until}."
            if language == "en"
            else f"Die Partnerzeit hat begonnen und läuft bis {de_time(until)}."
        )
        assert await hear(hass, sentence, language) == answer, sentence
        assert state(hass, SWITCH) == "on", sentence
        assert state(hass, ENDS_AT) == utc(until), sentence
        await do["stop"]()
        assert state(hass, SWITCH) == "off"


@LANGUAGES
async def test_stop(hass: HomeAssistant, house: MockConfigEntry, language: str) -> None:
    """Every way to stop a running partner time: off, nothing left to end."""
    do = actions(hass, house)
    answer = "Partner time ended." if language == "en" else "Partnerzeit beendet."
    await each(
        hass,
        language,
        Case(
            STOP[language],
            answer,
            {SWITCH: "off", ENDS_AT: "unknown", NEXT_START: TONIGHT},
            before=do["start"],
        ),
    )


@LANGUAGES
async def test_extend(
    hass: HomeAssistant, house: MockConfigEntry, language: str
) -> None:
    """Every way to ask for more: the running hour ends later by what was said."""
    do = actions(hass, house)
    assert len(EXTEND[language]) >= 10
    for sentence, until in EXTEND[language]:
        await do["start"]()
        assert state(hass, ENDS_AT) == utc("16:00")
        answer = (
            f"Partner time extended until {until}."
            if language == "en"
            else f"Die Partnerzeit ist verlängert und läuft jetzt bis {de_time(until)}."
        )
        assert await hear(hass, sentence, language) == answer, sentence
        assert state(hass, SWITCH) == "on", sentence
        assert state(hass, ENDS_AT) == utc(until), sentence
        await do["stop"]()


@LANGUAGES
async def test_skip(hass: HomeAssistant, house: MockConfigEntry, language: str) -> None:
    """Every way to skip tonight's dinner: the next start moves to tomorrow."""
    do = actions(hass, house)
    answer = (
        "Skipped the partner time at 18:30. The next one begins tomorrow at 18:30."
        if language == "en"
        else "Die Partnerzeit um 18:30 Uhr fällt aus. "
        "Die nächste beginnt morgen um 18:30 Uhr."
    )
    await each(
        hass,
        language,
        Case(
            SKIP[language],
            answer,
            {NEXT_START: TOMORROW, SWITCH: "off"},
            after=do["unskip"],
        ),
    )


@LANGUAGES
async def test_unskip(
    hass: HomeAssistant, house: MockConfigEntry, language: str
) -> None:
    """Every way to take a skip back: tonight's dinner is on again."""
    do = actions(hass, house)
    answer = (
        "Nothing is skipped any more. The next one begins at 18:30."
        if language == "en"
        else "Es fällt keine Partnerzeit mehr aus. Die nächste beginnt um 18:30 Uhr."
    )
    await each(
        hass,
        language,
        Case(
            UNSKIP[language],
            answer,
            {NEXT_START: TONIGHT},
            before=do["skip"],
        ),
    )


@LANGUAGES
async def test_pause(
    hass: HomeAssistant, house: MockConfigEntry, language: str
) -> None:
    """Every way to pause the agreed times: the schedule switch goes off."""
    do = actions(hass, house)
    answer = (
        "The agreed times are paused: partner time only starts when you start it."
        if language == "en"
        else "Die vereinbarten Zeiten sind pausiert: Partnerzeit beginnt nur noch, "
        "wenn ihr sie startet."
    )
    await each(
        hass,
        language,
        Case(
            PAUSE[language],
            answer,
            {SCHEDULE: "off", SWITCH: "off"},
            after=do["resume"],
        ),
    )


@LANGUAGES
async def test_resume(
    hass: HomeAssistant, house: MockConfigEntry, language: str
) -> None:
    """Every way to follow the agreed times again: the schedule switch is back on."""
    do = actions(hass, house)
    answer = (
        "The agreed times are back on. The next one begins at 18:30."
        if language == "en"
        else "Die vereinbarten Zeiten gelten wieder. Die nächste beginnt um 18:30 Uhr."
    )
    await each(
        hass,
        language,
        Case(
            RESUME[language],
            answer,
            {SCHEDULE: "on", NEXT_START: TONIGHT},
            before=do["pause"],
        ),
    )


@LANGUAGES
async def test_status(
    hass: HomeAssistant, house: MockConfigEntry, language: str
) -> None:
    """Every way to ask whether it is on: off, and when dinner begins; nothing moves."""
    answer = (
        "Partner time is off. The next one begins at 18:30."
        if language == "en"
        else "Gerade ist keine Partnerzeit. Die nächste beginnt um 18:30 Uhr."
    )
    await each(
        hass,
        language,
        Case(
            STATUS[language],
            answer,
            {SWITCH: "off", NEXT_START: TONIGHT},
        ),
    )


@LANGUAGES
async def test_remaining(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    house: MockConfigEntry,
    language: str,
) -> None:
    """35 minutes into an hour started by hand, every way to ask how long: 25 more."""
    await actions(hass, house)["start"]()
    await jump(hass, freezer, "2026-06-01T15:35:00+02:00")
    answer = (
        "25 more minutes, until 16:00."
        if language == "en"
        else "Noch 25 Minuten, bis 16:00 Uhr."
    )
    await each(
        hass,
        language,
        Case(
            REMAINING[language],
            answer,
            {SWITCH: "on", ENDS_AT: utc("16:00")},
        ),
    )


@LANGUAGES
async def test_next(hass: HomeAssistant, house: MockConfigEntry, language: str) -> None:
    """Every way to ask when the next one is: tonight at 18:30; nothing moves."""
    answer = (
        "The next partner time begins at 18:30."
        if language == "en"
        else "Die nächste Partnerzeit beginnt um 18:30 Uhr."
    )
    await each(
        hass,
        language,
        Case(
            NEXT[language],
            answer,
            {SWITCH: "off", NEXT_START: TONIGHT},
        ),
    )


async def test_a_question_without_the_keyword_is_not_ours(
    hass: HomeAssistant, house: MockConfigEntry
) -> None:
    """A timer's "Wie viel Zeit bleibt noch" is not answered with partner time's end."""
    await actions(hass, house)["start"]()
    for sentence in ("Wie viel Zeit bleibt noch", "Wie viel Zeit haben wir noch"):
        assert "16:00" not in await hear(hass, sentence, "de"), sentence
        assert state(hass, SWITCH) == "on", sentence
    assert await hear(hass, "Wie viel Zeit bleibt noch von der Partnerzeit", "de") == (
        "Noch eine Stunde, bis 16:00 Uhr."
    )
