"""Calling another integration's action for a household, without letting it fail us.

Messages, proposals, announcements and flashes call actions of other integrations
(notify, tts, light). Each call is bounded by ACTION_TIMEOUT; a failure (a phone that
is off, a missing action, a hanging push) is logged with what the call was for and
never raised, so one failing target stops nothing else.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from homeassistant.exceptions import HomeAssistantError

from .const import ACTION_TIMEOUT, LOGGER

if TYPE_CHECKING:
    from homeassistant.core import Context, HomeAssistant


async def async_call_quietly(  # noqa: PLR0913 - one call, fully described
    hass: HomeAssistant,
    household: str,
    action: str,
    data: dict[str, Any],
    context: Context | None,
    *,
    what: str,
) -> bool:
    """Call `action` ("notify.family") for `what`; return whether it went through."""
    domain, _, service = action.partition(".")
    try:
        async with asyncio.timeout(ACTION_TIMEOUT):
            await hass.services.async_call(
                domain, service, data, blocking=True, context=context
            )
    except (HomeAssistantError, TimeoutError) as err:
        LOGGER.warning("%s: %s via %s failed: %s", household, what, action, err)
        return False
    return True
