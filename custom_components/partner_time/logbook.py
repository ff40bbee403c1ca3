"""Logbook entries that say why partner time started and ended.

HA's logbook takes plain strings from an integration (it has no translations for
them), so the entries are written in HA's configured language from the table below,
with times written as everywhere else (phrases.py): "19:30", "19:30 Uhr" in German.
Each entry belongs to the household's switch; who started or stopped it by hand the
logbook finds itself, through the context the engine fires the event in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Final

from homeassistant.components.logbook.const import (
    LOGBOOK_ENTRY_ENTITY_ID,
    LOGBOOK_ENTRY_MESSAGE,
    LOGBOOK_ENTRY_NAME,
)
from homeassistant.components.logbook.models import TIME_FIRED_TS_POS
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util

from .const import (
    DOMAIN,
    EVENT_BREAKTHROUGH,
    EVENT_CALL_HELD,
    EVENT_ENDED,
    EVENT_STARTED,
    EVENT_UPCOMING,
)
from .phrases import language_of, when

if TYPE_CHECKING:
    from datetime import datetime

    from homeassistant.components.logbook.models import LazyEventPartialState

type Describe = Callable[[LazyEventPartialState], dict[str, Any]]

# {window}: the agreed time's name, {time}: a time as phrases.when writes it
ENTRIES: Final[Mapping[str, Mapping[str, str]]] = {
    "en": {
        "started_schedule": "started by the schedule for {window}, until {time}",
        "started_manual": "started by hand, until {time}",
        "started_manual_window": "started by hand for {window}, until {time}",
        "started_voice": "started by voice, until {time}",
        "started_agreed": "started as both agreed, until {time}",
        "started": "started, until {time}",
        "ended_schedule": "ended: {window} is over",
        "ended_schedule_unnamed": "ended: the agreed time is over",
        "ended_expired": "ended: time is up",
        "ended_manual": "stopped by hand",
        "ended_voice": "stopped by voice",
        "ended_deleted": "ended: household deleted",
        "ended_disabled": "ended: household disabled",
        "ended_away": "ended: someone left home",
        "ended": "ended",
        "one_call": " (1 call held back)",
        "calls": " ({count} calls held back)",
        "upcoming": "starts soon: {window} at {time}",
        "call_held": "held back a call from {caller}",
        "call_held_unknown": "held back a call from an unknown number",
        "breakthrough": "let a call from {caller} through",
    },
    "de": {
        "started_schedule": "für {window} nach Zeitplan gestartet, bis {time}",
        "started_manual": "von Hand gestartet, bis {time}",
        "started_manual_window": "für {window} von Hand gestartet, bis {time}",
        "started_voice": "per Sprachbefehl gestartet, bis {time}",
        "started_agreed": "nach Zustimmung beider gestartet, bis {time}",
        "started": "gestartet, bis {time}",
        "ended_schedule": "beendet: {window} ist vorbei",
        "ended_schedule_unnamed": "beendet: die vereinbarte Zeit ist vorbei",
        "ended_expired": "beendet: die Zeit ist um",
        "ended_manual": "von Hand beendet",
        "ended_voice": "per Sprachbefehl beendet",
        "ended_deleted": "beendet: Haushalt gelöscht",
        "ended_disabled": "beendet: Haushalt deaktiviert",
        "ended_away": "beendet: jemand ist nicht mehr zu Hause",
        "ended": "beendet",
        "one_call": " (1 Anruf zurückgehalten)",
        "calls": " ({count} Anrufe zurückgehalten)",
        "upcoming": "beginnt gleich: {window} um {time}",
        "call_held": "Anruf von {caller} zurückgehalten",
        "call_held_unknown": "Anruf von unbekannter Nummer zurückgehalten",
        "breakthrough": "Anruf von {caller} durchgestellt",
    },
}
STARTED_BY: Final = {
    "schedule": "started_schedule",
    "voice": "started_voice",
    "agreed": "started_agreed",
}
ENDED_BY: Final = {
    "expired": "ended_expired",
    "manual": "ended_manual",
    "voice": "ended_voice",
    "deleted": "ended_deleted",
    "disabled": "ended_disabled",
    "away": "ended_away",
}


def _moment(value: Any) -> datetime | None:
    return dt_util.parse_datetime(value) if isinstance(value, str) else None


def describe_started(
    table: Mapping[str, str], data: Mapping[str, Any], time: str
) -> str:
    """Say who or what started it, for which agreed time, and until when."""
    window, source = data.get("window"), data.get("source")
    if source == "manual":
        key = "started_manual_window" if window else "started_manual"
    else:
        key = STARTED_BY.get(str(source), "started")
    return table[key].format(window=window, time=time)


def describe_ended(table: Mapping[str, str], data: Mapping[str, Any]) -> str:
    """Say why it ended, and how many calls it held back."""
    window, reason = data.get("window"), data.get("reason")
    if reason == "schedule":
        key = "ended_schedule" if window else "ended_schedule_unnamed"
    else:
        key = ENDED_BY.get(str(reason), "ended")
    message = table[key].format(window=window)
    calls = data.get("missed_calls")
    if isinstance(calls, int) and calls > 0:
        message += table["one_call" if calls == 1 else "calls"].format(count=calls)
    return message


def describe_call(table: Mapping[str, str], data: Mapping[str, Any]) -> str:
    """Say whose call was held back, or let through (`caller` is set then)."""
    if data.get("caller"):
        return table["breakthrough"].format(caller=data["caller"])
    caller = data.get("from_name") or data.get("from")
    if not caller:
        return table["call_held_unknown"]
    return table["call_held"].format(caller=caller)


@callback
def async_describe_events(
    hass: HomeAssistant, async_describe_event: Callable[[str, str, Describe], None]
) -> None:
    """Describe the household's events in the logbook."""

    def entry(event: LazyEventPartialState, message: str) -> dict[str, Any]:
        data = event.data
        switch = er.async_get(hass).async_get_entity_id(
            Platform.SWITCH, DOMAIN, f"{data.get('entry_id')}_main"
        )
        return {
            LOGBOOK_ENTRY_NAME: data.get("name") or "Partner Time",
            LOGBOOK_ENTRY_MESSAGE: message,
            LOGBOOK_ENTRY_ENTITY_ID: switch,
        }

    def time_of(event: LazyEventPartialState, key: str) -> str:
        """Say a time of the event's data as seen when the event happened."""
        moment = _moment(event.data.get(key))
        if moment is None:
            return "?"
        fired = dt_util.utc_from_timestamp(event.row[TIME_FIRED_TS_POS])
        return when(hass.config.language, moment, fired)

    def table() -> Mapping[str, str]:
        return ENTRIES[language_of(hass.config.language)]

    @callback
    def started(event: LazyEventPartialState) -> dict[str, Any]:
        time = time_of(event, "ends_at")
        return entry(event, describe_started(table(), event.data, time))

    @callback
    def ended(event: LazyEventPartialState) -> dict[str, Any]:
        return entry(event, describe_ended(table(), event.data))

    @callback
    def upcoming(event: LazyEventPartialState) -> dict[str, Any]:
        time = time_of(event, "starts_at")
        message = table()["upcoming"].format(window=event.data.get("window"), time=time)
        return entry(event, message)

    @callback
    def call(event: LazyEventPartialState) -> dict[str, Any]:
        return entry(event, describe_call(table(), event.data))

    async_describe_event(DOMAIN, EVENT_STARTED, started)
    async_describe_event(DOMAIN, EVENT_ENDED, ended)
    async_describe_event(DOMAIN, EVENT_UPCOMING, upcoming)

    async_describe_event(DOMAIN, EVENT_CALL_HELD, call)
    async_describe_event(DOMAIN, EVENT_BREAKTHROUGH, call)
