"""Reading a household's store back: what we wrote, or a damaged store set aside."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.exceptions import HomeAssistantError
from homeassistant.util import dt as dt_util

from .const import LOGGER
from .plan import from_store, set_aside
from .repairs import raise_corrupt_store, store_set_aside

if TYPE_CHECKING:
    from .engine import PartnerTimeEngine

DAMAGE = (HomeAssistantError, OSError, KeyError, ValueError, TypeError, AttributeError)


async def async_load_plan(engine: PartnerTimeEngine) -> None:
    """Read a household's persisted state; a damaged store is reported and set aside.

    What a damaged store said the house had changed is unknown, so nothing is undone
    and nothing that started before now is started (again).
    """
    hass, store = engine.hass, engine.store
    try:
        data = await store.async_load()
        if data is None and store_set_aside(hass, store.key):
            msg = "the file could not be parsed"
            raise ValueError(msg)
        if data is not None:
            from_store(engine.plan, data)
    except DAMAGE as err:
        detail = str(err) if "parsed" in str(err) else f"{type(err).__name__}: {err}"
        LOGGER.error(
            "The stored state of %s is damaged (%s); starting afresh and leaving the "
            "house as it is",
            engine.title,
            detail,
        )
        set_aside(engine.plan, dt_util.utcnow())
        raise_corrupt_store(hass, engine.entry_id, engine.title, detail)
        await engine.async_save()
