"""The actions of Partner Time (start, stop, extend, skip, unskip, propose, accept, decline)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import voluptuous as vol
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant, ServiceCall, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.service import async_extract_config_entry_ids
from homeassistant.util import dt as dt_util

from .const import (
    ATTR_DURATION,
    ATTR_MESSAGE,
    ATTR_UNTIL,
    DOMAIN,
    MAX_DURATION,
    SERVICE_ACCEPT,
    SERVICE_DECLINE,
    SERVICE_EXTEND,
    SERVICE_PROPOSE,
    SERVICE_SKIP,
    SERVICE_START,
    SERVICE_STOP,
    SERVICE_UNSKIP,
)
from .engine import refusal
from .plan import Refused

if TYPE_CHECKING:
    from .data import PartnerTimeData
    from .engine import PartnerTimeEngine

# The target is optional: with one household, "start partner time" needs none.
STOP_SCHEMA = vol.Schema(cv.ENTITY_SERVICE_FIELDS)
START_SCHEMA = STOP_SCHEMA.extend({vol.Optional(ATTR_DURATION): cv.time_period})
EXTEND_SCHEMA = STOP_SCHEMA.extend({vol.Required(ATTR_DURATION): cv.time_period})
SKIP_SCHEMA = STOP_SCHEMA.extend({vol.Optional(ATTR_UNTIL): cv.datetime})
PROPOSE_SCHEMA = START_SCHEMA.extend({vol.Optional(ATTR_MESSAGE): cv.string})


async def async_engines(call: ServiceCall) -> list[PartnerTimeEngine]:
    """Find the engines of the households an action is aimed at."""
    return [data.engine for data in await async_households(call)]


async def async_households(call: ServiceCall) -> list[PartnerTimeData]:
    """Find the households an action is aimed at: its targets, or the only one there is."""
    hass = call.hass
    loaded = {
        entry.entry_id: entry
        for entry in hass.config_entries.async_entries(DOMAIN)
        if entry.state is ConfigEntryState.LOADED
    }
    targeted = any(
        call.data.get(key)
        for key in ("entity_id", "device_id", "area_id", "floor_id", "label_id")
    )
    if targeted:
        ids = await async_extract_config_entry_ids(call)
        chosen = [loaded[entry_id] for entry_id in ids if entry_id in loaded]
        if not chosen:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="no_household_targeted"
            )
    elif len(loaded) == 1:
        chosen = list(loaded.values())
    elif not loaded:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="no_household"
        )
    else:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="which_household",
            translation_placeholders={
                "names": ", ".join(sorted(entry.title for entry in loaded.values()))
            },
        )
    return [entry.runtime_data for entry in chosen]


def checked_duration(duration: timedelta | None) -> timedelta | None:
    """Refuse durations that are not positive or longer than a day."""
    if duration is not None and not timedelta(0) < duration <= timedelta(
        minutes=MAX_DURATION
    ):
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="invalid_duration",
            translation_placeholders={
                "minutes": str(round(duration.total_seconds() / 60))
            },
        )
    return duration


def checked_until(until: datetime | None) -> datetime | None:
    """Read `until` as local time if it has no zone; refuse it unless in the future."""
    if until is None:
        return None
    if until.tzinfo is None:
        until = until.replace(tzinfo=dt_util.get_default_time_zone())
    until = dt_util.as_utc(until)
    if until <= dt_util.utcnow():
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="until_in_past",
            translation_placeholders={
                "until": dt_util.as_local(until).strftime("%Y-%m-%d %H:%M")
            },
        )
    return until


async def _start(call: ServiceCall) -> None:
    duration = checked_duration(call.data.get(ATTR_DURATION))
    for engine in await async_engines(call):
        engine.start(duration, call.context)


async def _stop(call: ServiceCall) -> None:
    for engine in await async_engines(call):
        engine.stop(call.context)


async def _extend(call: ServiceCall) -> None:
    duration = checked_duration(call.data[ATTR_DURATION])
    if duration is None:  # pragma: no cover - the schema requires it
        return
    engines = await async_engines(call)
    for engine in engines:  # all or none
        if not engine.active:
            raise refusal(Refused("not_active"), engine.title)
    for engine in engines:
        engine.extend(duration, call.context)


async def _propose(call: ServiceCall) -> None:
    duration = checked_duration(call.data.get(ATTR_DURATION))
    for data in await async_households(call):
        await data.agreement.async_propose(
            duration, call.data.get(ATTR_MESSAGE), call.context
        )


async def _accept(call: ServiceCall) -> None:
    for data in await async_households(call):
        data.agreement.answer(call.context, yes=True)


async def _decline(call: ServiceCall) -> None:
    for data in await async_households(call):
        data.agreement.answer(call.context, yes=False)


async def _unskip(call: ServiceCall) -> None:
    for engine in await async_engines(call):
        engine.unskip(call.context)


async def _skip(call: ServiceCall) -> None:
    until = checked_until(call.data.get(ATTR_UNTIL))
    for engine in await async_engines(call):
        engine.skip(until, call.context)


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the actions (once, for every household)."""
    hass.services.async_register(DOMAIN, SERVICE_START, _start, schema=START_SCHEMA)
    hass.services.async_register(DOMAIN, SERVICE_STOP, _stop, schema=STOP_SCHEMA)
    hass.services.async_register(DOMAIN, SERVICE_EXTEND, _extend, schema=EXTEND_SCHEMA)
    hass.services.async_register(DOMAIN, SERVICE_SKIP, _skip, schema=SKIP_SCHEMA)
    hass.services.async_register(DOMAIN, SERVICE_UNSKIP, _unskip, schema=STOP_SCHEMA)
    hass.services.async_register(
        DOMAIN, SERVICE_PROPOSE, _propose, schema=PROPOSE_SCHEMA
    )
    hass.services.async_register(DOMAIN, SERVICE_ACCEPT, _accept, schema=STOP_SCHEMA)
    hass.services.async_register(DOMAIN, SERVICE_DECLINE, _decline, schema=STOP_SCHEMA)
