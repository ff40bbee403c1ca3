"""Voice intents: every action and question about partner time, in English and German.

This is the integration's `intent` platform: HA's `intent` integration calls
`async_setup_intents` once both are loaded (no call from `__init__` is needed).

The intents serve three callers alike: the sentences of `voice.py` (Assist's built-in
agent), LLM agents (through `llm.py`), and anything else that calls
`intent.async_handle`. Where things are:

- `voice_intents.py`: start, stop, extend, skip, unskip, pause, resume and the
  questions (is it on, how much longer, when is the next one);
- `voice_agreement.py`: propose, accept and decline ("shall we?");
- `voice_handler.py`: the slots, the request and the base handler (household,
  language, refusals said as the dashboard says them);
- `voice_households.py`: which household is meant;
- `voice_words.py`, `voice_texts.py`: how the answers are worded, and the words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from homeassistant.helpers import intent
from homeassistant.setup import async_when_setup

from .voice_agreement import AGREEMENT_HANDLERS
from .voice_intents import HANDLERS

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from .voice_handler import PartnerTimeIntentHandler

ALL_HANDLERS: Final[tuple[type[PartnerTimeIntentHandler], ...]] = (
    *HANDLERS,
    *AGREEMENT_HANDLERS,
)


async def async_setup_intents(hass: HomeAssistant) -> None:
    """Register the intents, and the sentences once Assist's agent is there.

    This is the `intent` platform: HA's `intent` integration calls it.
    """
    for handler in ALL_HANDLERS:
        intent.async_register(hass, handler())
    async_when_setup(hass, "conversation", _async_conversation_ready)


async def _async_conversation_ready(hass: HomeAssistant, _component: str) -> None:
    """Teach Assist's built-in agent the sentences (hassil can be imported now)."""
    from .voice import async_setup_sentences  # noqa: PLC0415 - needs hassil

    await async_setup_sentences(hass)
