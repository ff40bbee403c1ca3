"""One point-in-time timer: what a household needs to keep time, and nothing more."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.core import HassJob, HassJobType
from homeassistant.helpers.event import async_track_point_in_utc_time

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from homeassistant.core import CALLBACK_TYPE, HomeAssistant


class OneTimer:
    """One point-in-time timer, re-armed only when its instant changes."""

    def __init__(self, hass: HomeAssistant, action: Callable[[datetime], None]) -> None:
        """Call `action` when the timer fires."""
        self.hass, self.action = hass, action
        self.job = HassJob(action, "partner time", job_type=HassJobType.Callback)
        self.when: datetime | None = None
        self.unsub: CALLBACK_TYPE | None = None
        self.providers: list[Callable[[datetime], datetime | None]] = []

    def add_provider(
        self, provider: Callable[[datetime], datetime | None]
    ) -> CALLBACK_TYPE:
        """Also fire at `provider(now)` (None: no need), asked at every arming.

        Another module's boundary (the weekly total's) rides on the one timer
        instead of arming its own. Returns the undo.
        """
        self.providers.append(provider)
        return lambda: self.providers.remove(provider)

    def arm_first(self, now: datetime, when: datetime | None) -> None:
        """Fire at the first of `when` and the providers' instants after `now`."""
        candidates = [when, *(provider(now) for provider in self.providers)]
        self.arm(
            min((t for t in candidates if t is not None and t > now), default=None)
        )

    def arm(self, when: datetime | None) -> None:
        """Fire at `when` (None: not at all)."""
        if when == self.when and self.unsub is not None:
            return
        self.cancel()
        self.when = when
        if when is not None:
            self.unsub = async_track_point_in_utc_time(self.hass, self.job, when)

    def cancel(self) -> None:
        """Fire not at all."""
        if self.unsub is not None:
            self.unsub()
            self.unsub = None
        self.when = None
