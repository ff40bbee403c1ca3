"""The `llm` platform: offers Partner Time's intents as tools to LLM agents."""

from __future__ import annotations

from .intent import async_get_tools

__all__ = ["async_get_tools"]
