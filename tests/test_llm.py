"""LLM agents get the same intents as Assist, as tools they can pick from."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import probatio
from homeassistant.components import llm as llm_integration
from homeassistant.components.llm import LLMTools
from homeassistant.core import Context
from homeassistant.helpers.llm import (
    LLM_API_ASSIST,
    LLMContext,
    Tool,
    ToolInput,
    selector_serializer,
)
from homeassistant.setup import async_setup_component

from custom_components.partner_time import llm

from .common import state
from .household import async_add_household, async_setup_house
from .test_voice import SWITCH, async_setup_assist, berlin, house

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

__all__ = ["berlin", "house"]  # the fixtures: Berlin, Monday 15:00; one household


async def test_the_llm_integration_finds_the_tools(
    hass: HomeAssistant, house: MockConfigEntry
) -> None:
    """HA's llm integration collects the tools from Partner Time's `llm` platform."""
    assert await async_setup_component(hass, "llm", {})
    found = await llm_integration.async_get_tools(hass, agent(), LLM_API_ASSIST)
    assert "partner_time__PartnerTimeStart" in {tool.name for tool in found.tools}


def agent(language: str = "en") -> LLMContext:
    """Return the context of an LLM agent talking in `language`."""
    return LLMContext(
        platform="test",
        context=Context(),
        language=language,
        assistant="conversation",
        device_id=None,
    )


def tools(hass: HomeAssistant, language: str = "en") -> dict[str, Tool]:
    """Return the tools an agent gets, by intent."""
    offered = llm.async_get_tools(hass, agent(language), LLM_API_ASSIST)
    assert isinstance(offered, LLMTools)
    return {tool.name.removeprefix("partner_time__"): tool for tool in offered.tools}


def parameters(tool: Tool) -> set[str]:
    """Return the names of a tool's parameters, as the agent sees them."""
    schema = probatio.to_openapi(tool.parameters, custom_serializer=selector_serializer)
    return set(schema["properties"])


async def call(
    hass: HomeAssistant, tool: Tool, language: str = "en", **args: Any
) -> dict[str, Any]:
    """Let the agent call a tool; return the intent response it reads."""
    result = await tool.async_call(
        hass, ToolInput(tool_name=tool.name, tool_args=args), agent(language)
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    assert isinstance(result.data, dict)
    return result.data


async def test_every_intent_is_a_tool_that_says_what_it_is_for(
    hass: HomeAssistant, house: MockConfigEntry
) -> None:
    """Thirteen tools, each with its own description; durations where they belong."""
    offered = tools(hass)
    assert set(offered) == {
        f"PartnerTime{name}"
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
    descriptions = [tool.description for tool in offered.values()]
    assert all(descriptions)
    assert len(set(descriptions)) == len(descriptions)
    # the look-alikes point at each other, so the agent picks the right one
    assert "PartnerTimeSkip" in str(offered["PartnerTimeStop"].description)
    assert "PartnerTimeStop" in str(offered["PartnerTimeSkip"].description)
    assert "PartnerTimeExtend" in str(offered["PartnerTimeStart"].description)
    assert "PartnerTimeStart" in str(offered["PartnerTimePropose"].description)
    assert "PartnerTimeAccept" in str(offered["PartnerTimePropose"].description)
    assert "PartnerTimeStart" in str(offered["PartnerTimeAccept"].description)
    assert "PartnerTimeStop" in str(offered["PartnerTimeDecline"].description)
    for name, tool in offered.items():
        expected = (
            {"name", "minutes", "hours"}
            if name in {"PartnerTimeStart", "PartnerTimeExtend", "PartnerTimePropose"}
            else {"name"}
        )
        assert parameters(tool) == expected, name
    assert offered["PartnerTimeStatus"].annotations.read_only
    assert offered["PartnerTimeNext"].annotations.read_only
    assert not offered["PartnerTimeStart"].annotations.read_only


async def test_an_agent_plans_the_evening(
    hass: HomeAssistant, house: MockConfigEntry
) -> None:
    """An agent skips tonight's dinner, asks what's next, starts an hour and a half."""
    offered = tools(hass, "de")
    skipped = await call(hass, offered["PartnerTimeSkip"], "de")
    assert skipped["speech"]["plain"]["speech"] == (
        "Die Partnerzeit um 18:30 Uhr fällt aus. Die nächste beginnt morgen um 18:30 Uhr."
    )
    assert state(hass, "sensor.partner_time_next_start") == "2026-06-02T16:30:00+00:00"
    following = await call(hass, offered["PartnerTimeNext"], "de")
    assert following["response_type"] == "query_answer"
    assert following["speech"]["plain"]["speech"] == (
        "Die nächste Partnerzeit beginnt morgen um 18:30 Uhr."
    )
    started = await call(hass, offered["PartnerTimeStart"], "en", hours=1.5)
    assert started["speech"]["plain"]["speech"] == "Partner time started until 16:30."
    assert state(hass, SWITCH) == "on"
    assert state(hass, "sensor.partner_time_ends_at") == "2026-06-01T14:30:00+00:00"
    left = await call(hass, offered["PartnerTimeRemaining"], "en")
    assert left["speech"]["plain"]["speech"] == (
        "1 hour and 30 more minutes, until 16:30."
    )


async def test_an_agent_is_asked_which_household(hass: HomeAssistant) -> None:
    """Two households, none called like the keyword: an error naming them, no action."""
    await async_setup_house(hass)
    await async_setup_assist(hass)
    await async_add_household(hass, "Upstairs")
    await async_add_household(hass, "Downstairs")
    offered = tools(hass)
    asked = await call(hass, offered["PartnerTimeStart"])
    assert asked["response_type"] == "error"
    assert asked["data"]["code"] == "no_valid_targets"
    assert asked["speech"]["plain"]["speech"] == (
        "Which household do you mean: Downstairs or Upstairs?"
    )
    answered = await call(hass, offered["PartnerTimeStart"], name="upstairs")
    assert answered["speech"]["plain"]["speech"] == (
        "Upstairs: Partner time started until 16:00."
    )
    assert state(hass, "switch.upstairs") == "on"
    assert state(hass, "switch.downstairs") == "off"


async def test_an_agent_asks_for_partner_time_and_hears_the_yes(
    hass: HomeAssistant, house: MockConfigEntry
) -> None:
    """An agent proposes 45 minutes for Anna; Ben's agent accepts; a second yes is refused."""
    anna = await hass.auth.async_create_user("Anna")
    offered = tools(hass)
    asking = LLMContext(
        platform="test",
        context=Context(user_id=anna.id),
        language="en",
        assistant="conversation",
        device_id=None,
    )
    propose = offered["PartnerTimePropose"]
    result = await propose.async_call(
        hass, ToolInput(tool_name=propose.name, tool_args={"minutes": 45}), asking
    )
    assert result.data["speech"]["plain"]["speech"] == (
        "Proposed 45 minutes of partner time, now. The others can say yes until 15:15."
    )
    assert state(hass, "sensor.partner_time_status") == "proposed"
    accepted = await call(hass, offered["PartnerTimeAccept"], "de")
    assert accepted["speech"]["plain"]["speech"] == (
        "Vorschlag von Anna angenommen: Die Partnerzeit läuft bis 15:45 Uhr."
    )
    assert state(hass, SWITCH) == "on"
    again = await call(hass, offered["PartnerTimeDecline"])
    assert again["response_type"] == "error"
    assert again["data"]["code"] == "failed_to_handle"
    assert again["speech"]["plain"]["speech"] == (
        "Nobody has proposed partner time for Partner time, so there is nothing to "
        "answer."
    )
