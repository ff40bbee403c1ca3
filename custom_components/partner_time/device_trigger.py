"""Device triggers: the household's events, listed in the automation editor.

A household's device offers "partner time started", "ended", "starts soon", "a call
was held back" and "a call got through"; each is an event trigger on Partner Time's
event for that household (the event's `entry_id` is the device's config entry), so
`trigger.event.data` holds the same data as with a hand-written event trigger.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import voluptuous as vol
from homeassistant.components.device_automation import DEVICE_TRIGGER_BASE_SCHEMA
from homeassistant.components.homeassistant.triggers import event as event_trigger
from homeassistant.const import (
    CONF_DEVICE_ID,
    CONF_DOMAIN,
    CONF_EVENT_DATA,
    CONF_PLATFORM,
    CONF_TYPE,
)
from homeassistant.helpers import device_registry as dr

from .const import (
    DOMAIN,
    EVENT_BREAKTHROUGH,
    EVENT_CALL_HELD,
    EVENT_ENDED,
    EVENT_STARTED,
    EVENT_UPCOMING,
)

if TYPE_CHECKING:
    from homeassistant.core import CALLBACK_TYPE, HomeAssistant
    from homeassistant.helpers.trigger import TriggerActionType, TriggerInfo
    from homeassistant.helpers.typing import ConfigType

# trigger type -> the event it listens to
TRIGGER_EVENTS: Final = {
    "started": EVENT_STARTED,
    "ended": EVENT_ENDED,
    "upcoming": EVENT_UPCOMING,
    "call_held": EVENT_CALL_HELD,
    "breakthrough": EVENT_BREAKTHROUGH,
}

TRIGGER_SCHEMA = DEVICE_TRIGGER_BASE_SCHEMA.extend(
    {vol.Required(CONF_TYPE): vol.In(TRIGGER_EVENTS)}
)


def _household_of(hass: HomeAssistant, device_id: str) -> str | None:
    """Return the entry id of the household whose device this is, if it is one."""
    if (device := dr.async_get(hass).async_get(device_id)) is None:
        return None
    return next(
        (ident for domain, ident in device.identifiers if domain == DOMAIN), None
    )


async def async_get_triggers(
    hass: HomeAssistant, device_id: str
) -> list[dict[str, Any]]:
    """List the household device's triggers."""
    if _household_of(hass, device_id) is None:
        return []
    return [
        {
            CONF_PLATFORM: "device",
            CONF_DOMAIN: DOMAIN,
            CONF_DEVICE_ID: device_id,
            CONF_TYPE: trigger_type,
        }
        for trigger_type in TRIGGER_EVENTS
    ]


async def async_attach_trigger(
    hass: HomeAssistant,
    config: ConfigType,
    action: TriggerActionType,
    trigger_info: TriggerInfo,
) -> CALLBACK_TYPE:
    """Listen for the household's event of the trigger's type."""
    # a device that no longer exists matches no event (the automation stays valid)
    entry_id = _household_of(hass, config[CONF_DEVICE_ID]) or ""
    event_config = event_trigger.TRIGGER_SCHEMA(
        {
            CONF_PLATFORM: "event",
            event_trigger.CONF_EVENT_TYPE: TRIGGER_EVENTS[config[CONF_TYPE]],
            CONF_EVENT_DATA: {"entry_id": entry_id},
        }
    )
    return await event_trigger.async_attach_trigger(
        hass, event_config, action, trigger_info, platform_type="device"
    )
