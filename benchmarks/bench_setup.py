"""3. Setup cost: how long adding households takes.

In one HA with the test household's entities and the integrations already loaded
(partner_time, sensor, schedule, automation), for 1 window × 1 household, 50 windows,
500 windows and 1 window × 20 households:

* Partner Time: add the config entries and set them up one after the other, until HA
  is idle (engine, store, sensors and switches, the first evaluation);
* baseline: reload `schedule` and `automation` from YAML holding as many helpers (with
  the windows as time ranges) and automations (the household's actions in sequence);
  a reload is how HA applies a helper or automation added in the UI.

Windows are one-day slots of 10 minutes, spread over the week. Each is measured after a
discarded warm-up round, then removed again; 80 rounds (shared out among the processes
of a run of scripts/bench and pooled, see harness.shared), the contenders interleaved
round by round (A B A B …). Shown: each side's median; the ratio is paired, the median of the
rounds' own ratios (PT ÷ baseline), so drift of the machine hits both alike. The heap is frozen
(gc.freeze) and a garbage collection runs before each timing, so collections are not
charged to either.
"""

# ruff: noqa: S101 - a benchmark checks that it measured what it should
# ruff: noqa: RUF002 - the multiplication sign is meant

from __future__ import annotations

import gc
from collections import Counter
from datetime import date
from typing import TYPE_CHECKING

import pytest
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

from benchmarks.harness import (
    TZ,
    async_reload_yaml,
    at,
    baseline_households,
    clock,
    frozen_heap,
    shared,
    slots,
    windows,
)
from benchmarks.report import note, record_paired
from custom_components.partner_time.const import DOMAIN
from tests.household import (
    async_setup_house,
    household_options,
)

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant

ROUNDS = shared(80)
CASES = [(1, 1), (50, 1), (500, 1), (1, 20)]


def _entries(count: int, found: list[dict[str, object]]) -> list[MockConfigEntry]:
    return [
        MockConfigEntry(
            domain=DOMAIN,
            title=f"Household {index}",
            data={},
            options=household_options(windows=found, call_sensors=[]),
            version=1,
        )
        for index in range(count)
    ]


def _new_entities(hass: HomeAssistant, existing: set[str]) -> Counter[str]:
    """Count the entities that are new since `existing`, by domain."""
    return Counter(
        entity_id.partition(".")[0]
        for entity_id in hass.states.async_entity_ids()
        if entity_id not in existing
    )


def _per_household(found: Counter[str], households: int) -> str:
    """Say how many entities of which domains one household added."""
    domains = ", ".join(
        f"{domain} {count // households}" for domain, count in sorted(found.items())
    )
    return f"{found.total() // households} ({domains})"


@pytest.mark.shared
@pytest.mark.parametrize(("window_count", "household_count"), CASES)
async def bench_setup_cost(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    window_count: int,
    household_count: int,
) -> None:
    """Add and remove the households ROUNDS times after a warm-up; time the adding."""
    await hass.config.async_set_time_zone(TZ)
    freezer.move_to(at(date(2026, 6, 1), 3))
    await async_setup_house(hass)
    for domain in (DOMAIN, "sensor", "schedule", "automation"):
        assert await async_setup_component(hass, domain, {})
    found = slots(window_count)
    options_windows = windows(found)
    baseline = baseline_households(household_count, found)

    ours: list[float] = []
    base: list[float] = []
    existing = set(hass.states.async_entity_ids())
    added: dict[str, Counter[str]] = {}
    with frozen_heap():
        for round_no in range(ROUNDS + 1):
            entries = _entries(household_count, options_windows)
            gc.collect()  # a collection due now would land in the timing
            start = clock()
            for entry in entries:
                entry.add_to_hass(hass)
                assert await hass.config_entries.async_setup(entry.entry_id)
            await hass.async_block_till_done()
            took = clock() - start
            if not round_no:  # the warm-up round: count what a household adds
                added["Partner Time"] = _new_entities(hass, existing)
            for entry in entries:
                assert await hass.config_entries.async_remove(entry.entry_id)
            await hass.async_block_till_done()
            if round_no:
                ours.append(took)

            gc.collect()  # a collection due now would land in the timing
            start = clock()
            await async_reload_yaml(hass, baseline, "schedule", "automation")
            took = clock() - start
            if not round_no:
                added["baseline"] = _new_entities(hass, existing)
            assert len(hass.states.async_entity_ids("schedule")) == household_count
            assert len(hass.states.async_entity_ids("automation")) == household_count
            await async_reload_yaml(hass, {}, "schedule", "automation")
            if round_no:
                base.append(took)

    what = f"{window_count} window{'s' * (window_count > 1)}, {household_count}"
    what += f" household{'s' * (household_count > 1)}"
    record_paired(
        "setup", f"{what}: total", [t * 1000 for t in ours], [t * 1000 for t in base]
    )
    if household_count > 1:
        counts = "; ".join(
            f"{side} {_per_household(found, household_count)}"
            for side, found in added.items()
        )
        note(f"Entities a household adds (what setup and memory grow with): {counts}.")
        record_paired(
            "setup",
            f"{what}: per household",
            [t * 1000 / household_count for t in ours],
            [t * 1000 / household_count for t in base],
        )
