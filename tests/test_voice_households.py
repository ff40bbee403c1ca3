"""Voice with several households, and refusals said clearly.

Two households share the house: "Partner time" (the two of them) and "Family". The
keyword household is meant when no name is said; a name picks the other one, said the
way people say it ("for Family", "Family partner time", "für die Familie"). Without a
keyword household the answer is a real question that names the households.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import pytest
from homeassistant.helpers import intent

from custom_components.partner_time.voice_intents import INTENT_SKIP, INTENT_START

from .common import state
from .household import async_add_household, async_setup_house
from .test_voice import (
    SWITCH,
    async_setup_assist,
    berlin,
    converse,
    dashboard,
    ours,
    say,
)

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

__all__ = ["berlin"]  # the fixture: Berlin, Monday 1 June 2026, 15:00

FAMILY = "switch.family"


@pytest.fixture
async def both(hass: HomeAssistant) -> tuple[MockConfigEntry, MockConfigEntry]:
    """Assist and two households, "Partner time" and "Family"."""
    await async_setup_house(hass)
    await async_setup_assist(hass)
    return (
        await async_add_household(hass, "Partner time"),
        await async_add_household(hass, "Family"),
    )


@pytest.mark.usefixtures("both")
async def test_the_keyword_household_is_meant(hass: HomeAssistant) -> None:
    """The issue's repro: "start partner time for 30 minutes" asked which household.

    Now the household called like the keyword is meant, and the family's stays off.
    """
    assert await say(hass, "start partner time for 30 minutes") == (
        "Partner time: Partner time started until 15:30."
    )
    assert state(hass, SWITCH) == "on"
    assert state(hass, FAMILY) == "off"
    assert await say(hass, "how much longer is partner time") == (
        "Partner time: 30 more minutes, until 15:30."
    )
    assert await say(hass, "stop partner time") == "Partner time: Partner time ended."
    assert state(hass, SWITCH) == "off"


@pytest.mark.usefixtures("both")
async def test_the_keyword_household_by_its_name(hass: HomeAssistant) -> None:
    """The issue's repro: "for Partner time" was "a household called for Partner time"."""
    assert await say(hass, "start partner time for Partner time") == (
        "Partner time: Partner time started until 16:00."
    )
    assert state(hass, SWITCH) == "on"
    assert state(hass, FAMILY) == "off"


@pytest.mark.parametrize(
    ("sentence", "language", "answer"),
    [
        (
            "start partner time for Family",
            "en",
            "Family: Partner time started until 16:00.",
        ),
        (
            "start the Family partner time",
            "en",
            "Family: Partner time started until 16:00.",
        ),
        (
            "start partner time of the family for half an hour",
            "en",
            "Family: Partner time started until 15:30.",
        ),
        (
            "Partnerzeit für die Familie starten",
            "de",
            "Family: Die Partnerzeit hat begonnen und läuft bis 16:00 Uhr.",
        ),
        (
            "Starte die Partnerzeit der Familie für eine Stunde",
            "de",
            "Family: Die Partnerzeit hat begonnen und läuft bis 16:00 Uhr.",
        ),
    ],
)
@pytest.mark.usefixtures("both")
async def test_a_name_picks_the_household(
    hass: HomeAssistant, sentence: str, language: str, answer: str
) -> None:
    """Said after "for", before "partner time", or in German ("Familie")."""
    assert await say(hass, sentence, language) == answer
    assert state(hass, FAMILY) == "on"
    assert state(hass, SWITCH) == "off"


@pytest.mark.usefixtures("both")
async def test_questions_and_skips_for_the_family(hass: HomeAssistant) -> None:
    """Skip the family's dinner; the couple's stays; ask each about the next one."""
    assert await say(hass, "skip the next partner time for Family") == (
        "Family: Skipped the partner time at 18:30. "
        "The next one begins tomorrow at 18:30."
    )
    assert state(hass, "sensor.family_next_start") == "2026-06-02T16:30:00+00:00"
    assert state(hass, "sensor.partner_time_next_start") == "2026-06-01T16:30:00+00:00"
    assert await say(hass, "wann ist die nächste Partnerzeit der Familie", "de") == (
        "Family: Die nächste Partnerzeit beginnt morgen um 18:30 Uhr."
    )
    assert await say(hass, "when is the next partner time") == (
        "Partner time: The next partner time begins at 18:30."
    )
    assert await say(
        hass, "Partnerzeit für die Familie doch nicht überspringen", "de"
    ) == (
        "Family: Es fällt keine Partnerzeit mehr aus. Die nächste beginnt um 18:30 Uhr."
    )
    assert state(hass, "sensor.family_next_start") == "2026-06-01T16:30:00+00:00"


async def test_which_household_is_a_question(hass: HomeAssistant) -> None:
    """With no keyword household, the answer asks and names the households.

    To an intent caller (an LLM agent) it is an error response (no valid target),
    not a success; nothing starts.
    """
    await async_setup_house(hass)
    await async_setup_assist(hass)
    await async_add_household(hass, "Upstairs")
    await async_add_household(hass, "Downstairs")
    assert await say(hass, "start partner time") == (
        "Which household do you mean: Downstairs or Upstairs?"
    )
    assert await say(hass, "Partnerzeit überspringen", "de") == (
        "Welchen Haushalt meinst du: Downstairs oder Upstairs?"
    )
    response = await intent.async_handle(hass, "test", INTENT_START, {})
    assert response.response_type is intent.IntentResponseType.ERROR
    assert response.error_code is intent.IntentResponseErrorCode.NO_VALID_TARGETS
    assert response.speech["plain"]["speech"] == (
        "Which household do you mean: Downstairs or Upstairs?"
    )
    assert state(hass, "switch.upstairs") == "off"
    assert state(hass, "switch.downstairs") == "off"


async def test_refusals_are_said_as_the_dashboard_says_them(
    hass: HomeAssistant, caplog: pytest.LogCaptureFixture
) -> None:
    """Not running, nothing to skip or bring back, too long: the dashboard's sentence.

    Never "Sorry, that didn't work"; the log holds no traceback for a refusal.
    """
    await async_setup_house(hass)
    await async_setup_assist(hass)
    entry = await async_add_household(hass, windows=[])
    assert await say(hass, "add 10 minutes to partner time") == dashboard(
        "en", "not_active", name="Partner time"
    )
    assert await say(hass, "noch 10 Minuten Partnerzeit", "de") == dashboard(
        "de", "not_active", name="Partner time"
    )
    assert await say(hass, "skip the next partner time") == dashboard(
        "en", "nothing_to_skip", name="Partner time"
    )
    assert await say(hass, "Partnerzeit überspringen", "de") == dashboard(
        "de", "nothing_to_skip", name="Partner time"
    )
    assert await say(hass, "start partner time for 0 hours") == dashboard(
        "en", "invalid_duration", minutes="0"
    )
    assert await say(hass, "don't skip partner time") == dashboard(
        "en", "nothing_skipped", name="Partner time"
    )
    assert await say(hass, "Partnerzeit doch nicht überspringen", "de") == dashboard(
        "de", "nothing_skipped", name="Partner time"
    )
    # a session lasts at most a day in all: 24 hours more on top of an hour is too much
    assert await say(hass, "start partner time") == "Partner time started until 16:00."
    assert await say(hass, "extend partner time by 24 hours") == dashboard(
        "en", "too_long", name="Partner time", since="15:00", hours="24"
    )
    assert await say(hass, "stop partner time") == "Partner time ended."
    response = await converse(hass, "skip partner time")
    assert "Sorry" not in response["speech"]["plain"]["speech"]
    skip = await intent.async_handle(hass, "test", INTENT_SKIP, {}, language="de")
    assert skip.error_code is intent.IntentResponseErrorCode.FAILED_TO_HANDLE
    assert state(hass, SWITCH) == "off"
    assert entry.runtime_data.engine.next_start is None
    assert "Traceback" not in caplog.text
    assert not [r for r in caplog.records if ours(r) and r.levelno >= logging.WARNING]
