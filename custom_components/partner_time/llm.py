"""The `llm` platform: offers Partner Time's intents as tools to LLM agents."""

from __future__ import annotations

from homeassistant.components.homeassistant.exposed_entities import (
    async_should_expose,
)
from homeassistant.components.llm import LLMTools
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import intent
from homeassistant.helpers.llm import LLM_API_ASSIST, IntentTool, LLMContext, Tool

from .const import DOMAIN
from .voice_handler import PartnerTimeIntentHandler
from .voice_households import loaded_engines, switch_entity_id


@callback
def async_get_tools(
    hass: HomeAssistant, llm_context: LLMContext, api_id: str
) -> LLMTools | None:
    """Offer the intents as LLM tools while a household's switch is exposed.

    This is the `llm` platform function: HA's `llm` integration calls it.
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
