"""The household's "later" notify entity: messages that can wait until partner time ends.

`notify.send_message` to `notify.<household>_later` (e.g. `notify.partner_time_later`)
during partner time holds the message (persisted with the household, at most
held.MAX_HELD); outside partner time it goes out at once. Held messages go out when
partner time ends, together with the end message and its digest (insight.py), as one
summary or one by one (option `held_delivery`), and when the household is deleted.
They go to the household's notify action, or to its phones when it has none.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.components.notify import NotifyEntity, NotifyEntityDescription
from homeassistant.components.notify.const import NotifyEntityFeature
from homeassistant.exceptions import ServiceValidationError
from homeassistant.util import dt as dt_util

from .const import DOMAIN, HELD_EACH
from .entity import PartnerTimeEntity
from .held import Held, summary
from .phrases import phrase
from .send import async_call_quietly

if TYPE_CHECKING:
    from homeassistant.core import Context, HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .data import PartnerTimeConfigEntry
    from .engine import PartnerTimeEngine

PARALLEL_UPDATES = 0

LATER = NotifyEntityDescription(key="later", translation_key="later")


async def async_setup_entry(
    _hass: HomeAssistant,
    entry: PartnerTimeConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the household's notify entity."""
    async_add_entities([PartnerTimeLater(entry.runtime_data.engine, LATER)])


def targets_of(engine: PartnerTimeEngine) -> list[str]:
    """Return the notify actions (no domain) that the household's messages go to."""
    settings = engine.settings
    if settings.notify_service:
        return [settings.notify_service]
    return [phone.notify.partition(".")[2] for phone in settings.phones]


async def async_send(
    hass: HomeAssistant,
    engine: PartnerTimeEngine,
    message: str,
    title: str | None,
    context: Context | None,
) -> None:
    """Send one message to the household's targets; failures are logged."""
    for service in targets_of(engine):
        await async_call_quietly(
            hass,
            engine.title,
            f"notify.{service}",
            {"message": message, "title": title or engine.title},
            context,
            what="a message",
        )


async def async_deliver(
    hass: HomeAssistant, engine: PartnerTimeEngine, held: Held, context: Context | None
) -> None:
    """Deliver messages that were held: one summary, or one by one."""
    if not held:
        return
    language = hass.config.language
    if engine.settings.held_delivery != HELD_EACH:
        await async_send(hass, engine, summary(language, held), None, context)
        return
    if held.dropped:
        text = phrase(language, "dropped", count=held.dropped)
        await async_send(hass, engine, text, None, context)
    for message in held.messages:
        await async_send(hass, engine, message.text, message.title, context)


class PartnerTimeLater(PartnerTimeEntity, NotifyEntity):
    """Sends now, or holds until partner time is over."""

    _attr_supported_features = NotifyEntityFeature.TITLE

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """How many messages wait for the end of partner time."""
        return {"held_messages": len(self.engine.plan.held)}

    async def async_send_message(self, message: str, title: str | None = None) -> None:
        """Hold the message during partner time; else send it at once."""
        engine = self.engine
        if not targets_of(engine):
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="no_message_target",
                translation_placeholders={"name": engine.title},
            )
        if engine.active:
            engine.plan.held.hold(message, title, dt_util.utcnow())
            engine.save()
            engine.notify_listeners()
            return
        await async_send(self.hass, engine, message, title, self._context)
