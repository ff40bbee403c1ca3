"""1. Transition latency: how fast the house reacts when dinner begins.

One HA with the test household (template lights, a template call-deflection switch, the
Dinner scene, two phones with instant pushes) and both contenders on the same targets:

* Partner Time: Dinner 18:30-19:30 every day (lead time 0, so the 18:30 timer is the
  start), phones Pixel (with DND sensor) and Galaxy, the scene, the deflection switch;
* baseline: a `schedule` helper 20:30-21:30 every day and an automation triggered by it
  turning on, with the actions in a plain sequence: notify Pixel, notify Galaxy,
  scene.turn_on, switch.turn_on.

Every simulated day both start once, interleaved, from the same house state (lights
off, switch off, Pixel's DND off): 2,000 days, shared out among the processes of a
run of scripts/bench and pooled (see harness.shared). Shown are each side's median and
p99 of all days; the ratios are paired, so drift of the machine or a burst of load
from elsewhere hits both alike: for the median, the median of the days' own ratios
(PT ÷ baseline); for the p99, the median of the processes' own p99 ÷ p99
(stats.tail_ratio: what one process's memory layout favours moves one of eight
ratios, where the p99 of all days moved 10 % between runs). The goal is
judged on that ratio. The wall clock is moved to the boundary with freezer and the due
timers run; timing starts right before that (time.perf_counter; freezegun's frozen
one is bypassed) and ends at:

* dispatched: the last of the four action calls is dispatched (enters
  ServiceRegistry.async_call);
* applied: the last of switch on, both lights in the scene's state and both pushes
  returned.

The due timers are run as async_fire_time_changed runs them, minus its per-timer
mock.patch (see harness.due_timers).

Garbage collection: after setup the heap is frozen (gc.freeze) and automatic
collection paused; a full collection runs after each transition, before the session's
end and the reset, so no transition pays for one. With collections left to run when
they fall due, one transition in 40-70 paid for the collector's periodic pass over
everything the earlier days left behind; which side's transition it hit depended on
the allocation count at that moment, and the p99 (the 20th slowest of 2,000) sat on
the edge of that cluster, so its ratio moved 10-25 % between runs. Both sides
allocate in a transition; what a collection costs is left out for both.
"""

# ruff: noqa: S101 - a benchmark checks that the transitions did what they should

from __future__ import annotations

import gc
from datetime import date, time, timedelta
from typing import TYPE_CHECKING

import pytest
from homeassistant.setup import async_setup_component

from benchmarks.harness import (
    TZ,
    Expect,
    Lap,
    Phones,
    Stopwatch,
    async_transition,
    at,
    automation,
    daily,
    dnd_action,
    frozen_heap,
    is_on,
    is_on_at,
    schedule_helper,
    shared,
    turn_on_action,
)
from benchmarks.report import record_paired
from custom_components.partner_time.const import WEEKDAYS
from tests.common import jump
from tests.household import (
    CANDLES,
    DEFLECTION,
    DINING,
    GALAXY,
    PIXEL,
    PIXEL_DND,
    SCENE,
    async_add_household,
    async_setup_house,
)

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant

TRANSITIONS = shared(2000)
FIRST_DAY = date(2026, 6, 2)
DINNER = Expect.of(
    calls=(PIXEL, GALAXY, f"scene.turn_on:{SCENE}", f"switch.turn_on:{DEFLECTION}"),
    states={DEFLECTION: is_on, DINING: is_on_at(60), CANDLES: is_on},
    phones=(PIXEL, GALAXY),
)


async def _reset(hass: HomeAssistant) -> None:
    """Lights off, calls not forwarded, Pixel's DND off: the house before dinner."""
    await hass.services.async_call(
        "light", "turn_off", {"entity_id": [DINING, CANDLES]}, blocking=True
    )
    await hass.services.async_call(
        "switch", "turn_off", {"entity_id": DEFLECTION}, blocking=True
    )
    hass.states.async_set(PIXEL_DND, "off")
    await hass.async_block_till_done()


def _report(what: str, ours: list[float], base: list[float]) -> None:
    """Record the median and the p99 in ms, their ratios paired (see the module's doc)."""
    for stat in ("median", "p99"):
        record_paired(
            "latency",
            f"timer fires → {what}, {stat} of {{n}}",
            [value * 1000 for value in ours],
            [value * 1000 for value in base],
            stat=stat,
            goal="≤ baseline",
            limit=1,
        )


@pytest.mark.shared
@pytest.mark.parametrize("expected_lingering_timers", [True])
async def bench_transition_latency(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, watch: Stopwatch
) -> None:
    """2,000 starts of each, interleaved day by day."""
    await hass.config.async_set_time_zone(TZ)
    freezer.move_to(at(FIRST_DAY - timedelta(days=1), 12))
    await async_setup_house(hass)
    phones = Phones(hass, watch)
    phones.add(PIXEL, PIXEL_DND)
    phones.add(GALAXY)

    helper = daily(time(20, 30), time(21, 30))
    assert await async_setup_component(
        hass,
        "schedule",
        {"schedule": {"dinner_b": schedule_helper("Dinner B", helper)}},
    )
    actions = [dnd_action(PIXEL), dnd_action(GALAXY)]
    actions += [turn_on_action(SCENE), turn_on_action(DEFLECTION)]
    assert await async_setup_component(
        hass,
        "automation",
        {"automation": [automation("dinner_b", "schedule.dinner_b", actions)]},
    )
    await async_add_household(
        hass,
        windows=[
            {"name": "Dinner", "days": list(WEEKDAYS), "start": "18:30", "end": "19:30"}
        ],
        lead_time=0,
        start_scripts=[],
        end_scripts=[],
        call_sensors=[],
    )
    await _reset(hass)

    ours: list[Lap] = []
    base: list[Lap] = []
    with frozen_heap(paused=True):
        for offset in range(TRANSITIONS):
            day = FIRST_DAY + timedelta(days=offset)
            ours.append(
                await async_transition(hass, freezer, at(day, 18, 30), watch, DINNER)
            )
            gc.collect()  # no timing: the end and the reset below come first
            await jump(hass, freezer, at(day, 19, 30))  # Partner Time ends, restores
            await _reset(hass)
            base.append(
                await async_transition(hass, freezer, at(day, 20, 30), watch, DINNER)
            )
            gc.collect()
            await jump(hass, freezer, at(day, 21, 30))
            await _reset(hass)

    # Every day: Partner Time's start and end, the automation's start.
    assert phones.received == {PIXEL: 3 * TRANSITIONS, GALAXY: 3 * TRANSITIONS}
    _report(
        "last call dispatched",
        [lap.dispatched for lap in ours],
        [lap.dispatched for lap in base],
    )
    _report(
        "house applied",
        [lap.applied for lap in ours],
        [lap.applied for lap in base],
    )
