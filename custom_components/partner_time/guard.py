"""The loop guard: automations fighting over the switch cannot run the house without end.

Only starts that no person asked for are counted: a context without a user (automations,
scripts) and not a voice command. A person (dashboard, an action called by a user,
Assist) is never refused. More than LOOP_LIMIT counted starts within LOOP_SPAN are
refused with the `start_loop` repair issue and a translated error. The count lives in
hass.data, so a reload does not reset it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Final

from homeassistant.exceptions import ServiceValidationError
from homeassistant.util import dt as dt_util
from homeassistant.util.hass_dict import HassKey

from .const import DOMAIN, LOGGER, SOURCE_VOICE
from .repairs import raise_start_loop

if TYPE_CHECKING:
    from homeassistant.core import Context, HomeAssistant

LOOP_LIMIT: Final = 5
LOOP_SPAN: Final = timedelta(minutes=10)
STARTS: HassKey[dict[str, list[datetime]]] = HassKey(f"{DOMAIN}_starts")


def by_person(context: Context | None, source: str) -> bool:
    """Whether a person asked: a user's context, a voice command, or a yes."""
    return source == SOURCE_VOICE or (
        context is not None and context.user_id is not None
    )


class LoopGuard:
    """Counts one household's starts that no person asked for."""

    def __init__(self, hass: HomeAssistant, entry_id: str, title: str) -> None:
        """Count for the household `entry_id`."""
        self.hass, self.entry_id, self.title = hass, entry_id, title

    def count(self, context: Context | None, source: str) -> None:
        """Count a start; refuse one more than LOOP_LIMIT within LOOP_SPAN."""
        if by_person(context, source):
            return
        now = dt_util.utcnow()
        starts = self.hass.data.setdefault(STARTS, {}).setdefault(self.entry_id, [])
        starts[:] = [at for at in starts if now - LOOP_SPAN < at <= now]
        if len(starts) < LOOP_LIMIT:
            starts.append(now)
            return
        minutes = str(round(LOOP_SPAN.total_seconds() / 60))
        LOGGER.warning(
            "%s: partner time was started %s times within %s minutes by automations; "
            "refusing to start it again now (an automation loop?)",
            self.title,
            LOOP_LIMIT,
            minutes,
        )
        placeholders = {
            "name": self.title,
            "count": str(LOOP_LIMIT),
            "minutes": minutes,
        }
        raise_start_loop(self.hass, self.entry_id, placeholders)
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="start_loop",
            translation_placeholders=placeholders,
        )
