"""Callers who get through: the babysitter's call rings through partner time.

A household lists callers (numbers in any common notation, or names as the call
monitor's phone book shows them). When one of them rings a call sensor during partner
time, the call is not held back: `partner_time_breakthrough` is fired, the call is
kept as "got through" for the end message, and the house makes sure someone hears it:
a TTS announcement on a media player ("Call from the babysitter"), a light that
flashes and goes back to how it was, and a high-priority notification that rings
through a phone's Do Not Disturb (Android: `priority: high`, `ttl: 0` and a channel
the user lets override DND; iOS: `interruption-level: time-sensitive`). Each is
optional.

Numbers are compared in E.164 (`phonenumbers`, national numbers read for the country
of the HA instance): "+49 170 1234567", "0049 (170) 123-4567" and "0170 1234567" are
one number in Germany. Names are compared without case. Only sensors that report the
caller can do this: the FRITZ!Box call monitor (`from`, `from_name`) can, the
companion app's `phone_state` (no caller) cannot.
"""

from __future__ import annotations

import asyncio
import re
from contextlib import suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import phonenumbers
from homeassistant.const import (
    ATTR_ENTITY_ID,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    STATE_ON,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
)
from homeassistant.core import CALLBACK_TYPE, Context, HomeAssistant, State, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.event import async_call_later
from homeassistant.helpers.state import async_reproduce_state

from .const import ACTION_TIMEOUT, DOMAIN, LOGGER
from .phrases import phrase
from .send import async_call_quietly

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from datetime import datetime

    from .engine import PartnerTimeEngine
    from .events import Transition

FLASHES: Final = 2
FLASH_SECONDS: Final = 0.8
MIN_DIGITS: Final = 3
NOT_DIGITS = re.compile(r"[^\d+]")
UNKNOWN_NAME: Final = "unknown"
"""The name the FRITZ!Box call monitor shows for a caller not in its phone book."""


def normalise(number: str, region: str | None) -> str | None:
    """Return `number` in E.164 ("+491701234567"), or None if it is no phone number.

    A number without a country (national, "0170 1234567") is read for `region` (HA's
    country); without a region only its digits are kept.
    """
    if not any(char.isdigit() for char in number):
        return None
    with suppress(phonenumbers.NumberParseException):
        parsed = phonenumbers.parse(number, region)
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    digits = NOT_DIGITS.sub("", number)
    return digits or None


def is_caller(text: str, region: str | None) -> bool:
    """Whether `text` can name a caller: a name, or a number that can exist."""
    if not any(char.isdigit() for char in text):
        return bool(text.strip())
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        # without HA's country a national number is compared by its digits
        return region is None and len(NOT_DIGITS.sub("", text)) >= MIN_DIGITS
    return phonenumbers.is_valid_number(parsed)


def shown_name(attributes: Mapping[str, Any]) -> str | None:
    """Return the caller's name as a call sensor shows it (`from_name`).

    None when it shows none, or "unknown" (a caller the FRITZ!Box does not know):
    then the number is what the household is told.
    """
    name = str(attributes.get("from_name") or "").strip()
    return None if not name or name.casefold() == UNKNOWN_NAME else name


def caller_of(
    callers: Iterable[str], attributes: Mapping[str, Any], region: str | None
) -> str | None:
    """Return who is calling if they are one of `callers`, else None.

    `attributes` are the call sensor's (`from`, `from_name`); the answer is the name
    the call monitor shows, else the caller as the household listed them.
    """
    number = str(attributes.get("from") or "")
    name = shown_name(attributes) or ""
    calling = normalise(number, region) if number else None
    for caller in callers:
        listed = normalise(caller, region)
        if listed is not None:
            if listed == calling:
                return name or caller
        elif name and caller.strip().casefold() == name.casefold():
            return name
    return None


@dataclass(slots=True)
class Flash:
    """A flash under way: the light as it was, and the steps still to take."""

    before: State
    flip: str
    context: Context
    steps: int
    unsub: CALLBACK_TYPE | None = None


class Breakthrough:
    """Makes a breakthrough call heard in one household."""

    def __init__(self, hass: HomeAssistant, engine: PartnerTimeEngine) -> None:
        """Prepare; `async_start` begins listening."""
        self.hass, self.engine = hass, engine
        self.unsub: CALLBACK_TYPE | None = None
        self.flash: Flash | None = None

    @callback
    def async_start(self) -> None:
        """Hear of the breakthrough calls (before the engine is set up)."""
        self.unsub = self.engine.async_add_transition_listener(self._on_transition)

    @callback
    def async_stop(self) -> None:
        """Stop listening; a flash under way puts its light back at once."""
        if self.unsub is not None:
            with suppress(ValueError):  # the engine drops its listeners on unload
                self.unsub()
            self.unsub = None
        self._end_flash()

    def _end_flash(self) -> None:
        """End a flash under way; a light still flipped is put back at once."""
        if (flash := self.flash) is not None:
            self.flash = None
            if flash.unsub is not None:
                flash.unsub()
            if flash.steps % 2:
                self._spawn(self._async_put_back(flash), "flash")

    @callback
    def _on_transition(self, transition: Transition) -> None:
        if transition.kind == "ended":  # before the house puts its lights back
            self._end_flash()
        if transition.kind != "breakthrough":
            return
        settings = self.engine.settings
        language = self.hass.config.language
        text = phrase(language, "breakthrough", caller=transition.why)
        context = transition.context
        if settings.breakthrough_media_player:
            self._spawn(self._async_announce(text, context), "announcement")
        if settings.breakthrough_light and self.flash is None:
            self._flash(settings.breakthrough_light, context)
        if settings.breakthrough_notify:
            service = settings.breakthrough_notify.partition(".")[2]
            data = {
                "message": text,
                "title": self.engine.title,
                "data": {
                    "priority": "high",
                    "ttl": 0,
                    "channel": phrase(language, "channel"),
                    "importance": "high",
                    "push": {"interruption-level": "time-sensitive"},
                },
            }
            self._spawn(self._async_call(f"notify.{service}", data, context), "notify")

    def _spawn(self, coro: Any, what: str) -> asyncio.Task[None]:
        return self.hass.async_create_background_task(
            coro, f"{DOMAIN} {self.engine.entry_id} breakthrough {what}"
        )

    def _tts_engine(self) -> str | None:
        """Return the household's TTS engine, else the first one HA has."""
        chosen = self.engine.settings.breakthrough_tts
        if chosen:
            return chosen
        engines = sorted(self.hass.states.async_entity_ids("tts"))
        return engines[0] if engines else None

    async def _async_announce(self, text: str, context: Context) -> None:
        engine = self._tts_engine()
        if engine is None:
            LOGGER.warning(
                "%s: no text-to-speech engine to announce %r", self.engine.title, text
            )
            return
        await self._async_call(
            "tts.speak",
            {
                ATTR_ENTITY_ID: engine,
                "media_player_entity_id": self.engine.settings.breakthrough_media_player,
                "message": text,
                "cache": False,
            },
            context,
        )

    def _flash(self, light: str, context: Context) -> None:
        """Flash the light FLASHES times, then put it back exactly as it was."""
        before = self.hass.states.get(light)
        if before is None or before.state in (STATE_UNAVAILABLE, STATE_UNKNOWN):
            LOGGER.warning("%s: cannot flash %s", self.engine.title, light)
            return
        flip = SERVICE_TURN_OFF if before.state == STATE_ON else SERVICE_TURN_ON
        self.flash = Flash(before, flip, context, 2 * FLASHES)
        self._flash_step()

    @callback
    def _flash_step(self, _now: datetime | None = None) -> None:
        flash = self.flash
        if flash is None:
            return
        if flash.steps == 0:
            self.flash = None
            return
        flash.steps -= 1
        if flash.steps % 2:  # flipped from how it was
            data = {ATTR_ENTITY_ID: flash.before.entity_id}
            coro = self._async_call(f"light.{flash.flip}", data, flash.context)
        else:
            coro = self._async_put_back(flash)
        self._spawn(coro, "flash")
        flash.unsub = async_call_later(self.hass, FLASH_SECONDS, self._flash_step)

    async def _async_put_back(self, flash: Flash) -> None:
        try:
            async with asyncio.timeout(ACTION_TIMEOUT):
                await async_reproduce_state(
                    self.hass, [flash.before], context=flash.context
                )
        except (HomeAssistantError, TimeoutError) as err:
            LOGGER.warning(
                "%s: could not put %s back: %s",
                self.engine.title,
                flash.before.entity_id,
                err,
            )

    async def _async_call(
        self, action: str, data: dict[str, Any], context: Context
    ) -> None:
        await async_call_quietly(
            self.hass,
            self.engine.title,
            action,
            data,
            context,
            what="a call that gets through",
        )
