"""Small helpers for moving time in tests."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import async_fire_time_changed

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant


async def jump(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, when: str | datetime
) -> None:
    """Move the wall clock to `when`, fire due timers, and let every action finish."""
    freezer.move_to(when)
    async_fire_time_changed(hass, dt_util.utcnow())
    await hass.async_block_till_done(wait_background_tasks=True)


def state(hass: HomeAssistant, entity_id: str) -> str:
    """Return the state of an entity that must exist."""
    current = hass.states.get(entity_id)
    assert current is not None, f"{entity_id} does not exist"
    return current.state


def attr(hass: HomeAssistant, entity_id: str, name: str) -> object:
    """One attribute of an entity that must exist."""
    current = hass.states.get(entity_id)
    assert current is not None, f"{entity_id} does not exist"
    return current.attributes.get(name)


async def until(check: Callable[[], bool], turns: int = 500) -> None:
    """Let the loop run until `check()` holds (a hanging call keeps block_till_done busy).

    Fails if it does not hold within `turns` loop turns.
    """
    for _turn in range(turns):
        if check():
            return
        await asyncio.sleep(0)
    msg = "the expected outcome did not come"
    raise AssertionError(msg)
