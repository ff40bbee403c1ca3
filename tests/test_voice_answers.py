"""What Assist answers: the time left, the next time while one runs or when paused.

Berlin, Monday 1 June 2026, 15:00; dinner 18:30-19:30 every day.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError

from custom_components.partner_time.voice_words import async_say_refusal, say_left

from .common import jump, state
from .test_voice import SWITCH, berlin, house, say

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

__all__ = ["berlin", "house"]  # the fixtures: Berlin, Monday 15:00; one household


@pytest.mark.parametrize(
    ("left", "english", "german"),
    [
        (timedelta(seconds=20), "1 more minute", "eine Minute"),
        (timedelta(minutes=24, seconds=30), "25 more minutes", "25 Minuten"),
        (timedelta(hours=1), "1 more hour", "eine Stunde"),
        (timedelta(hours=3), "3 more hours", "3 Stunden"),
        (
            timedelta(minutes=61),
            "1 hour and 1 more minute",
            "eine Stunde und eine Minute",
        ),
        (
            timedelta(minutes=150),
            "2 hours and 30 more minutes",
            "2 Stunden und 30 Minuten",
        ),
    ],
)
def test_time_left_in_words(left: timedelta, english: str, german: str) -> None:
    """Started minutes count: 20 seconds are "1 more minute", 24.5 minutes are 25."""
    assert say_left("en", left) == english
    assert say_left("de", left) == german


async def test_a_refusal_without_a_translation_is_said_as_it_is(
    hass: HomeAssistant,
) -> None:
    """An error with no translated sentence is said with its own words."""
    assert await async_say_refusal(hass, "en", HomeAssistantError("Push failed")) == (
        "Push failed"
    )
    unknown = ServiceValidationError(
        "No such reason", translation_domain="partner_time", translation_key="nope"
    )
    assert await async_say_refusal(hass, "de", unknown) == "No such reason"


async def test_during_dinner(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, house: MockConfigEntry
) -> None:
    """At 19:05 during dinner: 25 more minutes; the next one is tomorrow."""
    await jump(hass, freezer, "2026-06-01T19:05:00+02:00")
    assert state(hass, SWITCH) == "on"
    assert await say(hass, "how much longer is partner time") == (
        "25 more minutes, until 19:30."
    )
    assert await say(hass, "Wie lange noch Partnerzeit", "de") == (
        "Noch 25 Minuten, bis 19:30 Uhr."
    )
    assert await say(hass, "when is the next partner time") == (
        "Partner time is on now, until 19:30. The next one begins tomorrow at 18:30."
    )
    assert await say(hass, "Wann ist die nächste Partnerzeit", "de") == (
        "Die Partnerzeit läuft gerade, bis 19:30 Uhr. "
        "Die nächste beginnt morgen um 18:30 Uhr."
    )


async def test_paused_then_resumed_inside_dinner(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, house: MockConfigEntry
) -> None:
    """Paused before dinner, nothing starts; resumed at 18:45, dinner runs to 19:30."""
    assert await say(hass, "pause partner time") == (
        "The agreed times are paused: partner time only starts when you start it."
    )
    assert await say(hass, "when is the next partner time") == (
        "The agreed times are paused, so no partner time starts by itself."
    )
    assert await say(hass, "Wann ist die nächste Partnerzeit", "de") == (
        "Die vereinbarten Zeiten sind pausiert, also beginnt keine Partnerzeit "
        "von selbst."
    )
    await jump(hass, freezer, "2026-06-01T18:45:00+02:00")
    assert state(hass, SWITCH) == "off"
    assert await say(hass, "resume partner time") == (
        "The agreed times are back on, and partner time is on until 19:30."
    )
    assert state(hass, SWITCH) == "on"
    assert state(hass, "switch.partner_time_schedule") == "on"
