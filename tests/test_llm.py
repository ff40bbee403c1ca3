"""The llm platform hands HA's LLM integration the intents' tools."""

from __future__ import annotations

from custom_components.partner_time import intent, llm


def test_llm_platform_exports_the_tools() -> None:
    """HA's llm component looks for `async_get_tools` in the platform module."""
    assert llm.async_get_tools is intent.async_get_tools
