"""5. Schedule math: `schedule.situation()` over 10,000 windows.

10,000 one-day windows of 30 s, one a minute from 00:00, spread over the week (about
1,430 a day: denser than any household). Measured with time.perf_counter:

* situation() at random moments of a week, with the windows' weekday tables built
  once and cached (what every evaluation of the engine pays), median and p99;
* building those seven weekday tables (the windows of each weekday sorted and merged
  into blocks of wall-clock time; paid once per change of the windows): the first
  situation() at each weekday of freshly made windows, tables built when first
  needed;
* the whole re-evaluation in HA, side by side with the baseline: Partner Time's
  `engine.evaluate()` (situation, re-arming its timer, writing its entities) against
  the schedule helper entity's update (its state, next event and timer) with the same
  10,000 time ranges, at the same moments between two windows, one after the other at
  each moment; the ratio is paired (the median of the moments' own ratios); the 800
  moments are shared out among the processes of a run of scripts/bench and pooled
  (see harness.shared).
"""

# ruff: noqa: SLF001 - the schedule helper's update is a private callback
# ruff: noqa: S101 - a benchmark checks that it measured what it should
# ruff: noqa: S311 - reproducible pseudo-random moments, nothing secret

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest
from homeassistant.components.schedule import Schedule
from homeassistant.helpers.entity_component import DATA_INSTANCES
from homeassistant.setup import async_setup_component

from benchmarks.harness import (
    TZ,
    at,
    clock,
    frozen_heap,
    my_share,
    scaled,
    schedule_helper,
    slots,
    windows,
)
from benchmarks.report import record, record_paired
from benchmarks.stats import median, percentile
from custom_components.partner_time.schedule import Window, situation
from tests.household import async_add_household

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant

COUNT = 10_000
RUNS = scaled(500)
BUILDS = scaled(10)
EVALUATIONS = 800
GOAL_MS = 10
MONDAY = date(2026, 6, 1)
FOUND = slots(
    COUNT, first=time(0), step=timedelta(minutes=1), length=timedelta(seconds=30)
)


def bench_situation() -> None:
    """Time the pure function, without HA."""
    tz = ZoneInfo(TZ)
    found = tuple(Window.from_dict(window) for window in windows(FOUND))
    rng = random.Random(2026)
    week = datetime(2026, 6, 1, tzinfo=UTC)
    moments = [week + timedelta(seconds=rng.randrange(7 * 86_400)) for _ in range(RUNS)]

    builds = []
    for build in range(BUILDS):  # new windows each time: no cached tables
        fresh = tuple(
            replace(window, name=f"{window.name}.{build}") for window in found
        )
        with frozen_heap():
            start = clock()
            for day in range(7):  # the weekday tables, built when first needed
                situation(fresh, tz, week + timedelta(days=day))
            builds.append(clock() - start)

    # build and cache the weekday tables, as the engine's first week does
    for day in range(7):
        situation(found, tz, week + timedelta(days=day))
    took = []
    with frozen_heap():
        for moment in moments:
            start = clock()
            situation(found, tz, moment)
            took.append(clock() - start)

    for name, value in (("median", median(took)), ("p99", percentile(took, 0.99))):
        record(
            "math",
            f"situation(), {COUNT:,} windows, {name} of {RUNS}",
            value * 1000,
            goal=f"< {GOAL_MS} ms",
            met=value * 1000 < GOAL_MS,
        )
    record(
        "math",
        f"its weekday tables, built once per change of the windows, median of {BUILDS}",
        median(builds) * 1000,
    )


@pytest.mark.shared
@pytest.mark.parametrize("expected_lingering_timers", [True])
async def bench_reevaluation(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Time engine.evaluate() and the schedule helper's update at the same moments."""
    await hass.config.async_set_time_zone(TZ)
    rng = random.Random(2026)
    moments = sorted(
        at(MONDAY, 0, 0, 45) + timedelta(minutes=rng.randrange(7 * 1440))
        for _ in range(scaled(EVALUATIONS))
    )
    moments = my_share(moments)
    freezer.move_to(moments[0] - timedelta(minutes=1))
    entry = await async_add_household(
        hass,
        windows=windows(FOUND),
        phones=[],
        scene=None,
        forwarding_switches=[],
        start_scripts=[],
        end_scripts=[],
        call_sensors=[],
        lead_time=0,
    )
    engine = entry.runtime_data.engine
    assert await async_setup_component(
        hass, "schedule", {"schedule": {"math": schedule_helper("Math", FOUND)}}
    )
    await hass.async_block_till_done()
    helper = hass.data[DATA_INSTANCES]["schedule"].get_entity("schedule.math")
    assert isinstance(helper, Schedule)
    for day in range(7):  # the engine's weekday tables, as after its first week
        situation(engine.settings.windows, engine.tz, moments[0] + timedelta(days=day))

    ours: list[float] = []
    base: list[float] = []
    with frozen_heap():
        for moment in moments:
            freezer.move_to(moment)
            start = clock()
            engine.evaluate()
            ours.append(clock() - start)
            helper._clean_up_listener()  # its timer fired, in real life
            start = clock()
            helper._update()
            base.append(clock() - start)
            assert engine.plan.session is None
    await hass.async_block_till_done()

    record_paired(
        "math",
        f"re-evaluation in HA, {COUNT:,} windows, median of {{n}}",
        [t * 1000 for t in ours],
        [t * 1000 for t in base],
    )
