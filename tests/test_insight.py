"""Household insight in a real HA: the warning, the missed-call digest, the week."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.components.recorder.statistics import statistics_during_period
from homeassistant.config_entries import ConfigEntryDisabler
from homeassistant.core import (
    Event,
    EventStateChangedData,
    HomeAssistant,
    ServiceCall,
    callback,
)
from homeassistant.helpers.event import async_track_state_change_event
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
    async_mock_service,
)
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
    do_adhoc_statistics,
)

from custom_components.partner_time import phrases
from custom_components.partner_time.const import DOMAIN
from custom_components.partner_time.insight import (
    overlap,
    week_end_of,
    week_start_of,
)
from custom_components.partner_time.plan import as_store, from_store

from .common import attr, jump, state
from .household import async_add_household, async_setup_house

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.components.recorder import Recorder

MONITOR = "sensor.fritz_box_call_monitor"
WEEK = "sensor.partner_time_this_week"
MISSED = "sensor.partner_time_missed_calls"
SWITCH = "switch.partner_time"
SCHEDULE = "switch.partner_time_schedule"
FAMILY = "notify.family"
LATE = {"name": "Late", "days": ["sun"], "start": "23:30", "end": "00:30"}
DINNER = {
    "name": "Dinner",
    "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
    "start": "18:30",
    "end": "19:30",
}


@pytest.fixture
def mock_recorder_before_hass(request: pytest.FixtureRequest) -> None:
    """Prepare the recorder before HA for the test that records statistics."""
    if "recorder_mock" in request.fixturenames:
        request.getfixturevalue("async_test_recorder")


@pytest.fixture(autouse=True)
async def berlin(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Berlin, Monday 1 June 2026, before dinner."""
    await hass.config.async_set_time_zone("Europe/Berlin")
    freezer.move_to("2026-06-01T18:00:00+02:00")


@pytest.fixture
async def family(hass: HomeAssistant) -> list[ServiceCall]:
    """Set up the house and mock the household's notify action, `notify.family`."""
    await async_setup_house(hass)
    hass.states.async_set(MONITOR, "idle")
    return async_mock_service(hass, "notify", "family")


STARTED = "Partner time until 19:30: the phones are away."
ENDED = "Partner time is over."


async def ring(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    when: str,
    *,
    caller: str | None = None,
    name: str | None = None,
) -> None:
    """At `when` a call rings on the FRITZ!Box monitor and nobody answers it."""
    await jump(hass, freezer, when)
    attributes = {"from": caller, "from_name": name}
    hass.states.async_set(MONITOR, "ringing", attributes)
    await hass.async_block_till_done()
    hass.states.async_set(MONITOR, "idle")
    await hass.async_block_till_done()


async def flush(hass: HomeAssistant) -> None:
    """Let the stores' due (coalesced) writes happen, as HA's final write does."""
    async_fire_time_changed(hass, dt_util.utcnow())
    await hass.async_block_till_done(wait_background_tasks=True)


async def unload(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Unload the entry, as stopping HA does (with the stores' final write)."""
    await flush(hass)
    assert await hass.config_entries.async_unload(entry.entry_id)
    await flush(hass)


async def setup(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Set the entry up again, as starting HA does."""
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)


async def restart(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Unload the entry and set it up again, as a restart of HA does."""
    await unload(hass, entry)
    await setup(hass, entry)


def messages(calls: list[ServiceCall]) -> list[str]:
    """Return the messages sent through the household's notify action."""
    return [call.data["message"] for call in calls]


async def dinners(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, *days: int
) -> None:
    """Go through dinner (18:30-19:30) on these days of June 2026."""
    for day in days:
        await jump(hass, freezer, f"2026-06-{day:02}T18:30:00+02:00")
        assert state(hass, SWITCH) == "on"
        await jump(hass, freezer, f"2026-06-{day:02}T19:30:00+02:00")
        assert state(hass, SWITCH) == "off"


def week_minutes(hass: HomeAssistant) -> float:
    """Return the weekly total's state, in minutes."""
    return float(state(hass, WEEK))


# -- warning ---------------------------------------------------------------------------


async def test_warning_before_start_once(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, family: list[ServiceCall]
) -> None:
    """Five minutes before dinner one warning goes out; a reload does not repeat it."""
    entry = await async_add_household(hass, notify=FAMILY)
    await jump(hass, freezer, "2026-06-01T18:24:59+02:00")
    assert family == []
    await jump(hass, freezer, "2026-06-01T18:25:00+02:00")
    assert messages(family) == ["Partner time starts at 18:30: time to wrap up."]
    assert family[0].data["title"] == "Partner time"
    assert family[0].context.parent_id is not None
    await restart(hass, entry)
    await jump(hass, freezer, "2026-06-01T18:27:00+02:00")
    await jump(hass, freezer, "2026-06-01T19:30:00+02:00")
    assert len(family) == 1  # no repeat (and the dinner jumped over never started)
    await jump(hass, freezer, "2026-06-02T18:25:00+02:00")
    assert len(family) == 2  # the next day's dinner is warned again


async def test_warning_in_german(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, family: list[ServiceCall]
) -> None:
    """A German household is warned in German, in its local time."""
    hass.config.language = "de"
    await async_add_household(hass, notify=FAMILY, lead_time=15)
    await jump(hass, freezer, "2026-06-01T18:15:00+02:00")
    assert messages(family) == [
        "Um 18:30 Uhr beginnt die Partnerzeit. Zeit, langsam zum Schluss zu kommen."
    ]


async def test_warning_after_restart_in_lead_time(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, family: list[ServiceCall]
) -> None:
    """HA (re)starting inside the lead time warns at once, once."""
    freezer.move_to("2026-06-01T18:27:00+02:00")
    entry = await async_add_household(hass, notify=FAMILY)
    assert messages(family) == ["Partner time starts at 18:30: time to wrap up."]
    await restart(hass, entry)
    assert len(family) == 1


async def test_no_warning_when_skipped_or_paused(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, family: list[ServiceCall]
) -> None:
    """Neither a skipped window nor paused agreed times are warned of."""
    await async_add_household(hass, notify=FAMILY)
    await hass.services.async_call(DOMAIN, "skip", {}, blocking=True)
    await jump(hass, freezer, "2026-06-01T18:25:00+02:00")
    await jump(hass, freezer, "2026-06-01T19:30:00+02:00")
    assert family == []
    await hass.services.async_call(
        "switch", "turn_off", {"entity_id": SCHEDULE}, blocking=True
    )
    await jump(hass, freezer, "2026-06-02T18:25:00+02:00")
    await jump(hass, freezer, "2026-06-02T19:30:00+02:00")
    assert family == []


async def test_each_household_warns_of_its_own_times(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, family: list[ServiceCall]
) -> None:
    """Two households: each warning and digest is about its own session."""
    await async_add_household(hass, notify=FAMILY)
    await async_add_household(
        hass,
        title="Late talk",
        notify=FAMILY,
        windows=[{**DINNER, "start": "21:00", "end": "21:30"}],
        call_sensors=[],
    )
    await jump(hass, freezer, "2026-06-01T18:25:00+02:00")
    # the two households share the notify action: each message names its household
    assert [(c.data["title"], c.data["message"]) for c in family] == [
        ("Partner time", "Partner time: Partner time starts at 18:30: time to wrap up.")
    ]
    await jump(hass, freezer, "2026-06-01T18:30:00+02:00")
    await ring(hass, freezer, "2026-06-01T18:42:00+02:00", name="Client A")
    await jump(hass, freezer, "2026-06-01T19:30:00+02:00")
    await jump(hass, freezer, "2026-06-01T20:55:00+02:00")
    await jump(hass, freezer, "2026-06-01T21:00:00+02:00")
    await jump(hass, freezer, "2026-06-01T21:30:00+02:00")
    assert [(c.data["title"], c.data["message"]) for c in family[1:]] == [
        ("Partner time", f"Partner time: {STARTED}"),
        (
            "Partner time",
            f"Partner time: {ENDED} 1 call during partner time: Client A (18:42)",
        ),
        ("Late talk", "Late talk: Partner time starts at 21:00: time to wrap up."),
        ("Late talk", "Late talk: Partner time until 21:30: the phones are away."),
        ("Late talk", f"Late talk: {ENDED}"),
    ]
    assert week_minutes(hass) == 60
    assert float(state(hass, "sensor.late_talk_this_week")) == 30


async def test_no_message_without_notify(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, family: list[ServiceCall]
) -> None:
    """Without a household notify action the events fire, but nothing is sent."""
    upcoming = async_capture_events(hass, "partner_time_upcoming")
    ended = async_capture_events(hass, "partner_time_ended")
    await async_add_household(hass)
    await jump(hass, freezer, "2026-06-01T18:25:00+02:00")
    await ring(hass, freezer, "2026-06-01T18:42:00+02:00", name="Client A")
    await jump(hass, freezer, "2026-06-01T19:30:00+02:00")
    assert len(upcoming) == 1
    assert ended[0].data["missed_calls"] == 1
    assert family == []


async def test_failing_notify_is_logged(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A notify action that does not exist costs a log line, nothing else."""
    await async_setup_house(hass)
    await async_add_household(hass, notify="notify.nobody")
    await jump(hass, freezer, "2026-06-01T18:25:00+02:00")
    assert "message via notify.nobody failed" in caplog.text
    await jump(hass, freezer, "2026-06-01T18:30:00+02:00")
    assert state(hass, SWITCH) == "on"


# -- digest ------------------------------------------------------------------------


async def test_digest_of_two_callers(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, family: list[ServiceCall]
) -> None:
    """Two calls in dinner make one digest at its end; one before it does not count."""
    await async_add_household(hass, notify=FAMILY, lead_time=0)
    await ring(hass, freezer, "2026-06-01T18:10:00+02:00", caller="+49 30 555")
    await jump(hass, freezer, "2026-06-01T18:30:00+02:00")
    assert state(hass, MISSED) == "0"
    await ring(
        hass,
        freezer,
        "2026-06-01T18:42:00+02:00",
        caller="+49 171 1234567",
        name="Client A",
    )
    await ring(hass, freezer, "2026-06-01T19:05:00+02:00", caller="+49 30 123456")
    assert state(hass, MISSED) == "2"
    assert messages(family) == [STARTED]
    await jump(hass, freezer, "2026-06-01T19:30:00+02:00")
    assert messages(family) == [
        STARTED,
        f"{ENDED} 2 calls during partner time: Client A (18:42), +49 30 123456 (19:05)",
    ]
    assert family[1].data["title"] == "Partner time"
    await ring(hass, freezer, "2026-06-01T20:00:00+02:00", caller="+49 30 555")
    assert len(family) == 2
    assert state(hass, MISSED) == "2"  # the last session's calls


async def test_digest_in_german_one_unknown_caller(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, family: list[ServiceCall]
) -> None:
    """One call without a number reads "1 Anruf ... unbekannter Anrufer"."""
    hass.config.language = "de"
    await async_add_household(hass, notify=FAMILY, lead_time=0)
    await jump(hass, freezer, "2026-06-01T18:30:00+02:00")
    await ring(hass, freezer, "2026-06-01T18:45:00+02:00")
    await jump(hass, freezer, "2026-06-01T19:30:00+02:00")
    assert messages(family) == [
        "Partnerzeit bis 19:30 Uhr: Die Handys haben Pause.",
        (
            "Die Partnerzeit ist vorbei. "
            "1 Anruf während der Partnerzeit: unbekannter Anrufer (18:45)"
        ),
    ]


async def test_calls_survive_a_restart_mid_session(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, family: list[ServiceCall]
) -> None:
    """Calls before and after a restart during dinner are all in its one digest."""
    entry = await async_add_household(hass, notify=FAMILY, lead_time=0)
    await jump(hass, freezer, "2026-06-01T18:30:00+02:00")
    await ring(hass, freezer, "2026-06-01T18:42:00+02:00", name="Client A")
    await restart(hass, entry)
    assert state(hass, SWITCH) == "on"
    assert state(hass, MISSED) == "1"
    assert messages(family) == [STARTED]
    await ring(hass, freezer, "2026-06-01T19:05:00+02:00", caller="+49 30 123456")
    await jump(hass, freezer, "2026-06-01T19:30:00+02:00")
    assert messages(family) == [
        STARTED,
        f"{ENDED} 2 calls during partner time: Client A (18:42), +49 30 123456 (19:05)",
    ]


async def test_digest_when_the_session_ended_while_down(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, family: list[ServiceCall]
) -> None:
    """HA down over the end of dinner: the digest goes out when it is back."""
    entry = await async_add_household(hass, notify=FAMILY, lead_time=0)
    await jump(hass, freezer, "2026-06-01T18:30:00+02:00")
    await ring(hass, freezer, "2026-06-01T18:42:00+02:00", name="Client A")
    await unload(hass, entry)
    await jump(hass, freezer, "2026-06-01T20:00:00+02:00")
    assert messages(family) == [STARTED]
    await setup(hass, entry)
    assert state(hass, SWITCH) == "off"
    assert messages(family) == [
        STARTED,
        f"{ENDED} 1 call during partner time: Client A (18:42)",
    ]


async def test_disabling_ends_with_a_digest(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, family: list[ServiceCall]
) -> None:
    """Disabling the household mid-session ends it: the digest still goes out."""
    entry = await async_add_household(hass, notify=FAMILY, lead_time=0)
    await jump(hass, freezer, "2026-06-01T18:30:00+02:00")
    await ring(hass, freezer, "2026-06-01T18:42:00+02:00", caller="+49 30 123456")
    await jump(hass, freezer, "2026-06-01T19:00:00+02:00")
    assert await hass.config_entries.async_set_disabled_by(
        entry.entry_id, ConfigEntryDisabler.USER
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    assert messages(family) == [
        STARTED,
        f"{ENDED} 1 call during partner time: +49 30 123456 (18:42)",
    ]


# -- weekly total ----------------------------------------------------------------------


async def test_week_counts_sessions_and_survives_restarts(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, family: list[ServiceCall]
) -> None:
    """Dinner counts 60 minutes a day, a restart mid-dinner included."""
    del family
    entry = await async_add_household(hass)
    assert week_minutes(hass) == 0
    assert attr(hass, WEEK, "state_class") == "total"
    assert attr(hass, WEEK, "device_class") == "duration"
    assert attr(hass, WEEK, "unit_of_measurement") == "min"
    assert attr(hass, WEEK, "last_reset") == "2026-06-01T00:00:00+02:00"
    assert attr(hass, WEEK, "friendly_name") == "Partner time This week"

    await jump(hass, freezer, "2026-06-01T18:30:00+02:00")
    await ring(hass, freezer, "2026-06-01T19:00:00+02:00")  # an engine update
    assert week_minutes(hass) == 30  # the running session's part so far
    await jump(hass, freezer, "2026-06-01T19:30:00+02:00")
    assert week_minutes(hass) == 60

    await restart(hass, entry)
    assert week_minutes(hass) == 60

    await jump(hass, freezer, "2026-06-02T18:30:00+02:00")
    await jump(hass, freezer, "2026-06-02T18:50:00+02:00")
    await restart(hass, entry)  # mid-dinner
    assert week_minutes(hass) == 80
    await jump(hass, freezer, "2026-06-02T19:30:00+02:00")
    assert week_minutes(hass) == 120
    assert as_store(entry.runtime_data.engine.plan)["week"] == {
        "start": "2026-06-01T00:00:00+02:00",
        "seconds": 7200.0,
    }


async def test_manual_sessions_and_stops_count_their_real_length(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, family: list[ServiceCall]
) -> None:
    """A manual start of 45 minutes counts 45; a dinner ended at 19:10 counts 40."""
    del family
    await async_add_household(hass, lead_time=0)
    await hass.services.async_call(
        DOMAIN, "start", {"duration": {"minutes": 15}}, blocking=True
    )
    await jump(hass, freezer, "2026-06-01T18:15:00+02:00")
    assert week_minutes(hass) == 15
    await jump(hass, freezer, "2026-06-01T18:30:00+02:00")
    await jump(hass, freezer, "2026-06-01T19:10:00+02:00")
    await hass.services.async_call(DOMAIN, "stop", {}, blocking=True)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert week_minutes(hass) == 55


def record(hass: HomeAssistant, entity_id: str) -> list[tuple[str, Any]]:
    """Record every (state, last_reset) the sensor writes from now on."""
    seen: list[tuple[str, Any]] = []

    @callback
    def _listener(event: Event[EventStateChangedData]) -> None:
        new = event.data["new_state"]
        if new is not None:
            seen.append((new.state, new.attributes.get("last_reset")))

    async_track_state_change_event(hass, entity_id, _listener)
    return seen


async def test_week_boundary_splits_a_session(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, family: list[ServiceCall]
) -> None:
    """A session from Sunday 23:30 to Monday 00:30 counts its Monday half next week.

    The old week's last value (with the Sunday half) is written first, under the old
    `last_reset`, so long-term statistics keep it.
    """
    del family
    await async_add_household(hass, windows=[DINNER, LATE], lead_time=0)
    await dinners(hass, freezer, 1, 2, 3, 4, 5, 6)
    assert week_minutes(hass) == 360
    await dinners(hass, freezer, 7)
    await jump(hass, freezer, "2026-06-07T23:30:00+02:00")
    assert state(hass, SWITCH) == "on"
    assert week_minutes(hass) == 420
    seen = record(hass, WEEK)
    await jump(hass, freezer, "2026-06-08T00:00:00+02:00")
    assert seen == [
        ("450.0", "2026-06-01T00:00:00+02:00"),
        ("0.0", "2026-06-08T00:00:00+02:00"),
    ]
    assert state(hass, SWITCH) == "on"
    await jump(hass, freezer, "2026-06-08T00:30:00+02:00")
    assert state(hass, SWITCH) == "off"
    assert week_minutes(hass) == 30
    assert attr(hass, WEEK, "last_reset") == "2026-06-08T00:00:00+02:00"
    await dinners(hass, freezer, 8)
    assert week_minutes(hass) == 90


async def test_rollover_rides_on_the_engine_timer(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, family: list[ServiceCall]
) -> None:
    """Monday 00:00 local is the engine's next wake-up when nothing comes before it.

    The weekly total arms no timer of its own: the engine's one timer fires at the
    rollover, the week sensor shows the new, empty week (the old week's final value,
    60 minutes, is what it showed already), and the engine moves on to the next
    agreed time.
    """
    del family
    friday = {"name": "Friday", "days": ["fri"], "start": "18:30", "end": "19:30"}
    entry = await async_add_household(hass, windows=[friday], lead_time=0)
    engine = entry.runtime_data.engine
    await jump(hass, freezer, "2026-06-05T18:30:00+02:00")
    await jump(hass, freezer, "2026-06-05T19:30:00+02:00")
    assert week_minutes(hass) == 60
    monday = dt_util.parse_datetime("2026-06-08T00:00:00+02:00")
    assert engine.timer.when == monday
    seen = record(hass, WEEK)
    await jump(hass, freezer, "2026-06-08T00:00:00+02:00")
    assert seen == [("0.0", "2026-06-08T00:00:00+02:00")]
    assert engine.timer.when == dt_util.parse_datetime("2026-06-12T18:30:00+02:00")
    # unloaded, the week no longer wakes the engine (nor anything else)
    await unload(hass, entry)
    assert engine.timer.when is None


async def test_week_boundary_while_down(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, family: list[ServiceCall]
) -> None:
    """HA down from Sunday to Tuesday: the new week starts empty, then counts again."""
    del family
    entry = await async_add_household(hass, lead_time=0)
    await dinners(hass, freezer, 1, 2, 3, 4, 5, 6, 7)
    assert week_minutes(hass) == 420
    await unload(hass, entry)
    await jump(hass, freezer, "2026-06-09T12:00:00+02:00")
    await setup(hass, entry)
    assert week_minutes(hass) == 0
    assert attr(hass, WEEK, "last_reset") == "2026-06-08T00:00:00+02:00"
    await dinners(hass, freezer, 9)
    assert week_minutes(hass) == 60
    await jump(hass, freezer, "2026-06-15T00:00:00+02:00")
    assert week_minutes(hass) == 0
    assert attr(hass, WEEK, "last_reset") == "2026-06-15T00:00:00+02:00"


async def test_session_over_the_boundary_while_down(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, family: list[ServiceCall]
) -> None:
    """Down from Sunday 23:45 to Monday 00:15 mid-session: Monday's part counts."""
    del family
    entry = await async_add_household(hass, windows=[LATE], lead_time=0)
    await jump(hass, freezer, "2026-06-07T23:45:00+02:00")
    assert state(hass, SWITCH) == "on"
    await unload(hass, entry)
    await jump(hass, freezer, "2026-06-08T00:15:00+02:00")
    await setup(hass, entry)
    assert week_minutes(hass) == 15
    await jump(hass, freezer, "2026-06-08T00:30:00+02:00")
    assert week_minutes(hass) == 30


async def test_week_over_a_time_zone_change(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, family: list[ServiceCall]
) -> None:
    """Moving to New York mid-week keeps the total and rolls over at its midnight."""
    del family
    await async_add_household(hass, lead_time=0)
    await dinners(hass, freezer, 1)
    await hass.config.async_update(time_zone="America/New_York")
    await hass.async_block_till_done(wait_background_tasks=True)
    await jump(hass, freezer, "2026-06-02T12:00:00-04:00")
    assert week_minutes(hass) == 60
    assert attr(hass, WEEK, "last_reset") == "2026-06-01T00:00:00+02:00"
    await jump(hass, freezer, "2026-06-07T23:59:00-04:00")
    assert attr(hass, WEEK, "last_reset") == "2026-06-01T00:00:00+02:00"
    await jump(hass, freezer, "2026-06-08T00:00:00-04:00")
    assert week_minutes(hass) == 0
    assert attr(hass, WEEK, "last_reset") == "2026-06-08T00:00:00-04:00"


async def test_damaged_week_reads_empty(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, family: list[ServiceCall]
) -> None:
    """A damaged weekly total in the store reads as an empty week."""
    del family
    entry = await async_add_household(hass, lead_time=0)
    engine = entry.runtime_data.engine
    insight = entry.runtime_data.insight
    from_store(
        engine.plan, {"week": {"start": "2026-06-01T00:00:00+02:00", "seconds": "x"}}
    )
    assert insight.week_seconds == 0
    from_store(engine.plan, {"week": "garbage"})
    assert insight.week_seconds == 0
    await dinners(hass, freezer, 1)
    assert week_minutes(hass) == 60


async def test_unloaded_insight_stops(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, family: list[ServiceCall]
) -> None:
    """After unloading, no message goes out and no rollover is armed."""
    entry = await async_add_household(hass, notify=FAMILY)
    insight = entry.runtime_data.insight
    await unload(hass, entry)
    hass.bus.async_fire(
        "partner_time_upcoming",
        {"entry_id": entry.entry_id, "starts_at": "2026-06-01T16:30:00+00:00"},
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    assert family == []
    insight.async_stop()  # twice is harmless


# -- the pure parts ----------------------------------------------------------------


async def test_messages_and_week_math(hass: HomeAssistant) -> None:
    """Wording in both languages, the week's start and end, the overlap."""
    del hass
    at = datetime.fromisoformat("2026-06-01T16:30:00+00:00")
    earlier = at - timedelta(hours=1)

    def warning(language: str | None) -> str:
        return phrases.phrase(
            language, "warning", time=phrases.when(language, at, earlier)
        )

    assert warning("en") == warning(None)
    assert warning("de-CH").startswith("Um 18:30 Uhr")
    assert warning("fr").startswith("Partner time starts at 18:30")
    calls = [{"from": "1", "at": "2026-06-01T16:42:00+00:00"}, {"from_name": "B"}]
    assert phrases.digest("en", calls) == "2 calls during partner time: 1 (18:42), B"
    monday = week_start_of(datetime.fromisoformat("2026-06-07T23:59:00+02:00"))
    assert monday.isoformat() == "2026-06-01T00:00:00+02:00"
    assert week_end_of(monday) == dt_util.start_of_local_day(
        datetime.fromisoformat("2026-06-08T00:00:00+02:00")
    )
    assert overlap(monday, week_end_of(monday), week_end_of(monday), monday) == 0


async def test_long_term_statistics_keep_both_halves(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The recorder's sum of the week sensor counts a Sunday-to-Monday session whole."""
    del recorder_mock
    freezer.move_to("2026-06-07T23:00:00+02:00")
    await async_setup_house(hass)
    await async_add_household(hass, windows=[LATE], lead_time=0)
    for when in (
        "2026-06-07T23:30:00+02:00",
        "2026-06-08T00:00:00+02:00",
        "2026-06-08T00:30:00+02:00",
    ):
        await jump(hass, freezer, when)
        await async_wait_recording_done(hass)
    assert week_minutes(hass) == 30
    for start in (
        "2026-06-07T23:30:00+02:00",
        "2026-06-08T00:00:00+02:00",
        "2026-06-08T00:30:00+02:00",
    ):
        do_adhoc_statistics(hass, start=dt_util.as_utc(datetime.fromisoformat(start)))
        await async_wait_recording_done(hass)
    stats = await hass.async_add_executor_job(
        statistics_during_period,
        hass,
        dt_util.parse_datetime("2026-06-07T23:00:00+02:00"),
        None,
        {WEEK},
        "5minute",
        None,
        {"sum", "state"},
    )
    assert [(row["state"], row["sum"]) for row in stats[WEEK]] == [
        (0.0, 0.0),
        (0.0, 30.0),
        (30.0, 60.0),
    ]
