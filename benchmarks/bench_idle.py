"""4. Idle cost: what a household costs HA while nothing happens.

One HA with the test household's entities; the integrations are loaded and one
household of each kind added first (warm-up). Then 20 more households of each kind:

* Partner Time: entries with the test household's options (Dinner 18:30-19:30 every
  day, 5 min lead time, two phones, scene, deflection switch, greeting scripts);
* baseline: schedule helpers 18:30-19:30 every day + automations with the same start
  actions in sequence (YAML reload).

Measured:

* timers armed while idle (a minute after adding, so pending delayed writes are
  done): the engine's own (its TimerHandle calls the engine; the helper's calls the
  schedule entity); those of the household's calendar entity, which HA's
  CalendarEntity arms by itself on every write of its state, at the start and the end
  of the event it shows (Partner Time overrides no private method of HA, so they
  stay: counted in a row of their own, not hidden); and everything the 20 households
  added to the loop's armed TimerHandles (after - before, ÷ 20), listed by owner in a
  note;
* callbacks in a simulated idle hour (08:00-09:00, a jump every minute with
  async_fire_time_changed): firings of any timer the households armed (HA's
  point-in-time tracker, counted by owner) + engine.evaluate calls + automation runs;
  state writes of their entities;
* timer firings per household over a simulated day (a jump every minute: every
  timer of either kind falls on a whole minute, so each firing is seen; while a
  session runs, the engine wakes once a minute for the weekly total);
* memory per household: tracemalloc's traced memory after adding the 20 (a minute
  later, after a full garbage collection) minus before, ÷ 20, leaving out the copy of
  every file written that the harness's mocked storage keeps.
"""

# ruff: noqa: S101 - a benchmark checks that it measured what it should

from __future__ import annotations

import gc
import tracemalloc
from collections import Counter
from datetime import date, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from unittest.mock import patch

import pytest
from homeassistant.components.automation import EVENT_AUTOMATION_TRIGGERED
from homeassistant.components.calendar import CalendarEntity
from homeassistant.components.schedule import Schedule
from homeassistant.const import EVENT_STATE_CHANGED, EVENT_STATE_REPORTED
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.event import _TrackPointUTCTime
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component import common as phcc_common
from pytest_homeassistant_custom_component.common import MockConfigEntry

from benchmarks.harness import (
    TZ,
    async_reload_yaml,
    at,
    baseline_households,
    daily,
    live_timers,
    owner_name,
    timer_owner,
)
from benchmarks.report import note, record
from custom_components.partner_time.const import DOMAIN
from custom_components.partner_time.engine import PartnerTimeEngine
from tests.common import jump
from tests.household import (
    async_setup_house,
    household_options,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Generator

    from freezegun.api import FrozenDateTimeFactory

HOUSEHOLDS = 20
FRAMES = 4  # deep enough to see the mocked storage keep its copy
MOCK_COPY = "data[store.key] = json_loads("
MONDAY = date(2026, 6, 1)


DINNER = daily(time(18, 30), time(19, 30))


def _counting(counts: Counter[str], name: str, method: Callable[..., Any]) -> Any:
    @callback
    def counted(*args: Any, **kwargs: Any) -> Any:
        counts[name] += 1
        return method(*args, **kwargs)

    return counted


@pytest.fixture
def counts() -> Generator[Counter[str]]:
    """Count evaluations and timer firings (patched on the classes)."""
    found: Counter[str] = Counter()
    fire = _TrackPointUTCTime.__call__

    @callback
    def fired(tracker: _TrackPointUTCTime) -> None:
        found[f"fired {owner_name(timer_owner(tracker))}"] += 1
        fire(tracker)

    with (
        patch.object(
            PartnerTimeEngine,
            "evaluate",
            _counting(found, "ours evaluate", PartnerTimeEngine.evaluate),
        ),
        patch.object(_TrackPointUTCTime, "__call__", fired),
    ):
        yield found


async def _add_ours(hass: HomeAssistant, index: int) -> MockConfigEntry:
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=f"Household {index}",
        data={},
        options=household_options(call_sensors=[]),
        version=1,
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    return entry


def _owners(hass: HomeAssistant) -> Counter[str]:
    return Counter(owner_name(timer_owner(handle)) for handle in live_timers(hass))


def _counts(found: Counter[str]) -> str:
    return ", ".join(f"{name} {count}" for name, count in found.most_common()) or "none"


def _mock_storage_copy() -> tracemalloc.Filter:
    """Leave out the copy of every file written that the harness's storage keeps.

    HA's own Store forgets the data once it is on disk; the mock keeps it in a dict.
    """
    path = Path(phcc_common.__file__)
    lines = path.read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if MOCK_COPY in text)
    return tracemalloc.Filter(False, str(path), line, all_frames=True)  # noqa: FBT003


def _traced() -> int:
    """Return the memory allocated since tracing began and still alive."""
    gc.collect()
    snapshot = tracemalloc.take_snapshot().filter_traces([_mock_storage_copy()])
    return sum(stat.size for stat in snapshot.statistics("filename"))


@pytest.mark.parametrize("expected_lingering_timers", [True])
async def bench_idle_cost(  # noqa: PLR0915 - one story, told in order
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, counts: Counter[str]
) -> None:
    """Timers, callbacks and memory of 21 idle households of each kind."""
    await hass.config.async_set_time_zone(TZ)
    freezer.move_to(at(MONDAY, 7, 57))
    await async_setup_house(hass)
    for domain in (DOMAIN, "sensor", "schedule", "automation"):
        assert await async_setup_component(hass, domain, {})
    entries = [await _add_ours(hass, 0)]
    await async_reload_yaml(
        hass, baseline_households(1, DINNER), "schedule", "automation"
    )
    # Counted a minute later: pending delayed writes have been done then.
    await jump(hass, freezer, at(MONDAY, 7, 58))

    gc.collect()
    before = _owners(hass)
    tracemalloc.start(FRAMES)
    try:
        memory = _traced()
        entries += [await _add_ours(hass, index) for index in range(1, HOUSEHOLDS + 1)]
        await jump(hass, freezer, at(MONDAY, 7, 59))
        ours_memory = (_traced() - memory) / HOUSEHOLDS
        with_ours = _owners(hass)

        memory = _traced()
        await async_reload_yaml(
            hass, baseline_households(HOUSEHOLDS + 1, DINNER), "schedule", "automation"
        )
        await jump(hass, freezer, at(MONDAY, 8))
        base_memory = (_traced() - memory) / HOUSEHOLDS
        with_both = _owners(hass)
    finally:
        tracemalloc.stop()

    # -- timers armed while idle ------------------------------------------------------
    ours_added, base_added = with_ours - before, with_both - with_ours
    owners = [timer_owner(handle) for handle in live_timers(hass)]
    engines = [entry.runtime_data.engine for entry in entries]
    engine_timers = [sum(owner is engine for owner in owners) for engine in engines]
    assert all(engine.timer.when is not None for engine in engines)
    helper_timers = sum(isinstance(owner, Schedule) for owner in owners)
    calendar_timers = sum(isinstance(owner, CalendarEntity) for owner in owners)
    households = HOUSEHOLDS + 1
    record(
        "idle",
        "timers armed per household: the engine's (helper's)",
        sum(engine_timers) / households,
        helper_timers / households,
        unit="count",
        goal="PT = 1",
        met=all(count == 1 for count in engine_timers),
    )
    record(
        "idle",
        "timers armed per household: its calendar's, armed by HA's CalendarEntity",
        calendar_timers / households,
        None,
        unit="count",
    )
    per_household = ours_added.total() / HOUSEHOLDS
    record(
        "idle",
        "timers armed per household: all it adds to the loop",
        per_household,
        base_added.total() / HOUSEHOLDS,
        unit="count",
        goal="PT = 1",
        met=per_household == 1,
    )
    note(
        f"Timers a Partner Time household keeps armed while idle: {per_household:g}."
        f" Its own (the engine's one timer): {sum(engine_timers) / households:g};"
        f" its calendar's: {calendar_timers / households:g}, armed by HA's"
        " CalendarEntity itself at the start and the end of the event it shows,"
        " again on every write of its state (Partner Time overrides no private"
        " method of HA, so it cannot keep them from being armed)."
    )
    note(
        f"Loop timers added by {HOUSEHOLDS} Partner Time households, by owner: "
        f"{_counts(ours_added)}; by {HOUSEHOLDS} baseline households: "
        f"{_counts(base_added)}."
    )
    record(
        "idle",
        "memory per household (tracemalloc)",
        ours_memory / 1024,
        base_memory / 1024,
        unit="KiB",
    )

    # -- an idle hour -----------------------------------------------------------------
    registry = er.async_get(hass)
    ours_ids = {
        entity.entity_id
        for entry in entries
        for entity in er.async_entries_for_config_entry(registry, entry.entry_id)
    }
    base_ids = set(hass.states.async_entity_ids(("schedule", "automation")))
    assert len(base_ids) == 2 * households

    @callback
    def _on_write(event: Event[dict[str, Any]]) -> None:
        side = "ours" if event.data.get("entity_id") in ours_ids else "base"
        counts[f"{side} writes"] += 1

    @callback
    def _theirs(data: dict[str, Any]) -> bool:
        return data.get("entity_id") in ours_ids | base_ids

    @callback
    def _on_triggered(_event: Event[dict[str, Any]]) -> None:
        counts["base triggered"] += 1

    hass.bus.async_listen(EVENT_STATE_CHANGED, _on_write, _theirs)
    hass.bus.async_listen(EVENT_STATE_REPORTED, _on_write, _theirs)
    hass.bus.async_listen(EVENT_AUTOMATION_TRIGGERED, _on_triggered)

    def fired(names: Counter[str]) -> int:
        return sum(counts[f"fired {name}"] for name in names)

    counts.clear()
    for minute in range(1, 61):
        await jump(hass, freezer, at(MONDAY, 8) + timedelta(minutes=minute))
    ours_calls = fired(ours_added) + counts["ours evaluate"]
    base_calls = fired(base_added) + counts["base triggered"]
    record(
        "idle",
        f"callbacks in an idle hour, all {households} households",
        ours_calls,
        base_calls,
        unit="count",
        goal="PT = 0",
        met=ours_calls == 0,
    )
    record(
        "idle",
        f"state writes in an idle hour, all {households} households",
        counts["ours writes"],
        counts["base writes"],
        unit="count",
        goal="PT = 0",
        met=counts["ours writes"] == 0,
    )

    # -- a whole day (one session) ----------------------------------------------------
    counts.clear()
    for step in range(1, 24 * 60 + 1):
        await jump(hass, freezer, at(MONDAY, 9) + timedelta(minutes=step))
    record(
        "idle",
        "timer firings per household per day (1 session)",
        fired(ours_added) / households,
        fired(base_added) / households,
        unit="count",
    )
    day = Counter({name: counts[f"fired {name}"] for name in ours_added | base_added})
    note(
        f"Timer firings in that day, all {households} households of each kind:"
        f" {_counts(day)}."
    )
