"""Shared fixtures for the Partner Time tests."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

# Import the project's package before HA's harness imports its own `custom_components`,
# so the package Python keeps is this repository's.
import custom_components.partner_time  # noqa: F401

if TYPE_CHECKING:
    from collections.abc import Generator

pytest_plugins = ["pytest_homeassistant_custom_component"]


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    enable_custom_integrations: None,
) -> Generator[None]:
    """Let HA load custom integrations in every test."""
    return
