"""Diagnostics: settings, session, last result per target and the timer; callers redacted."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from homeassistant.components.diagnostics import async_redact_data

from .plan import as_store
from .record import iso

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from .data import PartnerTimeConfigEntry
    from .schedule import Occurrence

# callers' numbers and names; context ids are random and say nothing about the household
TO_REDACT = {
    "from",
    "from_name",
    "with",
    "with_name",
    "number",
    "deflection_to_number",
    "breakthrough_callers",
    "text",
    "context",
    "context_id",
}


def _occurrence(occurrence: Occurrence | None) -> dict[str, Any] | None:
    if occurrence is None:
        return None
    return {
        "name": occurrence.name,
        "start": occurrence.start.isoformat(),
        "end": occurrence.end.isoformat(),
        "manual": occurrence.manual,
    }


async def async_get_config_entry_diagnostics(
    _hass: HomeAssistant, entry: PartnerTimeConfigEntry
) -> dict[str, Any]:
    """Everything needed to understand what a household's partner time did."""
    engine = entry.runtime_data.engine
    sit = engine.plan.situation
    return async_redact_data(
        {
            "title": entry.title,
            "options": dict(entry.options),
            "subentries": [
                {"type": sub.subentry_type, "title": sub.title, "data": dict(sub.data)}
                for sub in entry.subentries.values()
            ],
            "status": engine.status,
            "time_zone": str(engine.tz),
            "stored": as_store(engine.plan),
            "situation": {
                "current": _occurrence(sit.current),
                "next": _occurrence(sit.next),
            },
            "next_timer": iso(engine.timer.when),
            "results": {
                target: asdict(result)
                for target, result in engine.watch.results.items()
            },
        },
        TO_REDACT,
    )
