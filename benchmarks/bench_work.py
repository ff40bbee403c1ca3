"""6. Work per transition: the loop's CPU time for a start and an end, three ways.

One HA with the test household (template lights, a template call-deflection switch, the
Dinner scene, the greeting scripts, two phones with instant pushes) and three
contenders on the same targets, each with its own hour of every day:

* bare house work, 16:30-17:30: the calls Partner Time's house makes, issued straight
  from a timer callback (`async_track_point_in_utc_time`), side by side as the house
  issues them (one eager task each, gathered), with nothing else: no engine, no entity
  of its own, no store, no events. The start records the
  scene's lights' states and calls DND on both phones (`notify.mobile_app_*`),
  `scene.turn_on`, `switch.turn_on` and the start script; the end calls DND off on both
  phones, puts each light back to its recorded state (`light.turn_on` with its
  brightness, or `light.turn_off`), `switch.turn_off` and the end script; each then
  arms the timer of its next transition. This is Partner Time's house work without
  Partner Time's bookkeeping, so what Partner Time costs beyond it is its bookkeeping
  (entity writes, calendar, store, events). Issuing the calls one after the other
  instead, as the automation does, needs no task per call and costs a little less;
  the helper + automation's overhead shown is net of that saving.
* Partner Time, 18:30-19:30 (lead time 0: no reminder), both phones, the scene, the
  deflection switch, the start and end scripts.
* schedule helper + automation, 20:30-21:30: a `schedule` helper and two automations,
  one on it turning on (the start's calls in a plain sequence), one on it turning off
  (the end's calls; the lights are turned off, which is what putting them back means
  here: they are off before every start).

What Partner Time's overhead is made of: three more Partner Time households, the
same as the one above, have their own half hour late every evening (22:00, 22:40,
23:20). One writes no entity states (its engine tells no entity), one writes no store
(its engine's saves do nothing), one does neither (the engine alone). Each is shown
over the bare house work of the same day. With them the main household's transitions
also look at three other households (whether they share a target), as any household
does that is not alone.

Every simulated day each contender starts and ends once, in that order (1,200 days,
shared out among the processes of a run of scripts/bench and pooled, see
harness.shared). A transition is measured as `time.thread_time()` of the loop's thread
(the test's thread: the loop runs there) from right before its due timers run
(harness.due_timers, as in the latency benchmark) until the house has settled: every
task HA tracks (background ones too) is done and no timer is due at that moment
(Partner Time's store saves with a delay of 0, which is a timer), repeated until both
hold. Only the contender's own timers may be due when the measurement starts (checked):
whatever else falls due before (the registries' delayed saves after the setup, Partner
Time's week turning over on Mondays) is run untimed a second before. Thread CPU time, not wall time: it counts what the loop itself computed for the
transition, the same way for all three, and leaves out time spent waiting (there is
none here, the phones answer at once) and work on other threads. None of the three
hands work to an executor thread during a transition, with one exception it shares
with production: the store's file write (see below), where production does the same.

The store: the harness's mocked storage serialises every write on the loop, checks it
for mocks, parses it back and records the call in a MagicMock, none of which a
household's HA does. For this benchmark the Store's write does what HA's own does on
the loop (build the data, serialise it with `json_helper.prepare_save_json`) and hands
the result to an executor thread, as HA does with the file write; the thread keeps it
in memory instead of writing a file. So Partner Time pays on the loop what it would
pay at home.

Shown for start and for end: each side's median (Partner Time against the helper +
automation, with the paired ratio, the median of the days' own ratios), and the
overhead over the bare house work: the median of the days' own differences
(Partner Time - bare, helper + automation - bare; the three transitions of one day are
measured minutes apart, so a slow spell of the machine hits all three) and their
ratio, the goal being at most 0.5: what Partner Time adds to the house work is at most
half of what the helper + automation add (see stats.overhead_ratio for why a ratio of
medians and not a median of ratios).

Garbage collection: as in the latency benchmark, the heap is frozen, automatic
collection paused, and a full collection runs after each transition, untimed.

What the overhead is made of: after the timed days, one more day runs untimed with a
listener counting the state writes (state_changed and state_reported events) of each
contender's own entities in each transition, given in a note; HA's cost of writing an
entity's state is the largest single part of Partner Time's bookkeeping.

The clock: freezer's fake clock makes every `dt_util.utcnow()`, `time.time()` and
`time.monotonic()` a few microseconds of Python, and datetimes derived from it do
their arithmetic in Python too; at home these are C calls. That inflates all three
contenders, each about in proportion to its work (trying a cheap frozen clock moved
the overhead ratios by a few percent only), so it is left as it is.
"""

# ruff: noqa: S101 - a benchmark checks that the transitions did what they should
# ruff: noqa: SLF001 - the Store's write is replaced (see the module's doc)

from __future__ import annotations

import asyncio
import gc
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from typing import TYPE_CHECKING, Any
from unittest.mock import patch

import pytest
from homeassistant.const import (
    ATTR_ENTITY_ID,
    EVENT_STATE_CHANGED,
    EVENT_STATE_REPORTED,
    STATE_OFF,
    STATE_ON,
)
from homeassistant.core import Context, Event, HomeAssistant, State, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import json as json_helper
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.helpers.storage import Store
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from homeassistant.util.async_ import create_eager_task

from benchmarks.harness import (
    DND,
    TZ,
    Phones,
    at,
    automation,
    daily,
    dnd_action,
    due_timers,
    frozen_heap,
    owner_name,
    schedule_helper,
    shared,
    timer_owner,
    turn_on_action,
)
from benchmarks.report import note, record_overhead, record_paired
from custom_components.partner_time.const import DOMAIN, WEEKDAYS
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
    from collections.abc import Coroutine, Mapping

    from freezegun.api import FrozenDateTimeFactory

    from custom_components.partner_time.engine import PartnerTimeEngine

DAYS = shared(1200)
FIRST_DAY = date(2026, 6, 2)
START_SCRIPT = "script.greeting_on"
END_SCRIPT = "script.greeting_off"
SETTLE_ROUNDS = 20
"""At most this many times: wait for HA's tasks, then run the timers due now."""

BARE = (16, 30), (17, 30)
OURS = (18, 30), (19, 30)
BASE = (20, 30), (21, 30)
SLOTS = {"bare": BARE, "ours": OURS, "base": BASE}
PARTS = {
    "unwritten": ((22, 0), (22, 30)),
    "unstored": ((22, 40), (23, 10)),
    "engine": ((23, 20), (23, 50)),
}
"""Partner Time again, each part of its bookkeeping left out (see the module's doc)."""
OWN = {"ours": "switch.partner_time", "base": "schedule.dinner_b"}
NAMES = {
    "bare": "bare house work",
    "ours": "Partner Time",
    "base": "helper + automation",
}
"""The entity that shows a contender's time running (the bare house work has none)."""
PART_NAMES = {
    "unwritten": "without its entity writes",
    "unstored": "without its store write",
    "engine": "without either (the engine alone)",
}
OWNERS = {
    "bare": {"BareHouse"},
    "ours": {"PartnerTimeEngine", "PartnerTimeCalendar"},
    "base": {"Schedule"},
    **{part: {"PartnerTimeEngine", "PartnerTimeCalendar"} for part in PARTS},
}
"""Whose timers may be due when each contender's time starts and ends (see
`async_cpu`): Partner Time's calendar entity arms its own timer for the event's start
and end, which is Partner Time's work at that moment too."""


# -- the bare house work ------------------------------------------------------------


@dataclass
class BareHouse:
    """The house's calls straight from a timer: the floor of any scheduler."""

    hass: HomeAssistant
    starts: clock_time
    ends: clock_time
    lights: list[State] = field(default_factory=list)

    def arm(self, after: datetime) -> None:
        """Arm the timer of the next start or end after `after`."""
        local = dt_util.as_local(after)
        start = datetime.combine(local.date(), self.starts, local.tzinfo)
        end = datetime.combine(local.date(), self.ends, local.tzinfo)
        if local < start:
            when, action = start, self._start
        elif local < end:
            when, action = end, self._end
        else:
            when, action = start + timedelta(days=1), self._start
        async_track_point_in_utc_time(self.hass, action, dt_util.as_utc(when))

    @callback
    def _start(self, now: datetime) -> None:
        scene = self.hass.states.get(SCENE)
        entity_ids = scene.attributes.get(ATTR_ENTITY_ID, []) if scene else []
        self.lights = [
            state
            for entity_id in entity_ids
            if (state := self.hass.states.get(entity_id)) is not None
        ]
        self._side_by_side(
            [
                *(self._dnd(phone, DND) for phone in (PIXEL, GALAXY)),
                self._call("scene", "turn_on", SCENE),
                self._call("switch", "turn_on", DEFLECTION),
                self._call("script", "turn_on", START_SCRIPT),
            ]
        )
        self.arm(now)

    @callback
    def _end(self, now: datetime) -> None:
        self._side_by_side(
            [
                *(self._dnd(phone, "off") for phone in (PIXEL, GALAXY)),
                *(self._put_back(state) for state in self.lights),
                self._call("switch", "turn_off", DEFLECTION),
                self._call("script", "turn_on", END_SCRIPT),
            ]
        )
        self.arm(now)

    def _side_by_side(self, calls: list[Coroutine[Any, Any, Any]]) -> None:
        """Run the calls side by side, each dispatched at once, as the house does."""

        async def run() -> None:
            await asyncio.gather(*(create_eager_task(call) for call in calls))

        self.hass.async_create_task(run(), eager_start=True)

    def _put_back(self, state: State) -> Coroutine[Any, Any, Any]:
        if state.state == STATE_ON:
            data = {
                key: state.attributes[key]
                for key in ("brightness",)
                if key in state.attributes
            }
            return self._call("light", "turn_on", state.entity_id, data)
        return self._call("light", "turn_off", state.entity_id)

    def _dnd(self, notify: str, mode: str) -> Coroutine[Any, Any, Any]:
        return self.hass.services.async_call(
            "notify",
            notify.partition(".")[2],
            {"message": "command_dnd", "data": {"command": mode}},
            blocking=True,
            context=Context(),
        )

    def _call(
        self,
        domain: str,
        service: str,
        entity_id: str,
        data: dict[str, Any] | None = None,
    ) -> Coroutine[Any, Any, Any]:
        return self.hass.services.async_call(
            domain,
            service,
            {ATTR_ENTITY_ID: entity_id, **(data or {})},
            blocking=True,
            context=Context(),
        )


# -- the store, as at home ------------------------------------------------------------


def _keep(written: dict[str, Any], key: str, json_data: str | bytes) -> None:
    """Do the executor's part of a write: keep the text instead of writing a file."""
    written[key] = json_data


def homelike_store(hass: HomeAssistant, written: dict[str, Any]) -> Any:
    """Patch Store's write to do on the loop what HA's does (see the module's doc)."""

    async def write(store: Store[Any], data: dict[str, Any]) -> None:
        if "data_func" in data:
            data["data"] = data.pop("data_func")()
        _mode, json_data = json_helper.prepare_save_json(data, encoder=store._encoder)
        await hass.async_add_executor_job(_keep, written, store.key, json_data)

    return patch.object(Store, "_async_write_data", write)


# -- one transition -------------------------------------------------------------------


async def async_settle(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, when: datetime
) -> None:
    """Move to `when` and run what is due until HA has settled (see the module's doc)."""
    freezer.move_to(when)
    due = due_timers(hass)
    for _ in range(SETTLE_ROUNDS):
        for handle in due:
            if not handle.cancelled():  # an earlier one may have cancelled it
                handle._run()
                handle.cancel()
        await hass.async_block_till_done(wait_background_tasks=True)
        if not (due := due_timers(hass)):
            return
    msg = f"HA did not settle at {when}"
    raise AssertionError(msg)


async def async_cpu(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, when: datetime, owner: set[str]
) -> float:
    """Run a boundary's timers; return the loop thread's CPU time until settled.

    owner: the classes whose timers must be the only ones due (see `harness.owner_name`),
    so no other contender's or HA's work is charged to this one; what else falls due
    before is run first, a second before, untimed.
    """
    await async_settle(hass, freezer, when - timedelta(seconds=1))
    freezer.move_to(when)
    owners = {
        owner_name(timer_owner(handle)).rpartition(".")[2]
        for handle in due_timers(hass)
    }
    assert owners, f"nothing is due at {when}"
    assert owners <= owner, f"due at {when}: {owners}, not only {owner}"
    start = time.thread_time()
    await async_settle(hass, freezer, when)
    return time.thread_time() - start


def _check(hass: HomeAssistant, name: str) -> None:
    """Check that a transition's work is done: the house and the contender's entity.

    Nothing runs between the measurement's end and this check, so work still
    outstanding at the end of a measurement would fail it.
    """
    contender, _, what = name.partition(" ")
    started = what == "start"
    expected = STATE_ON if started else STATE_OFF
    own = OWN.get(contender)
    for entity_id in (DEFLECTION, DINING, CANDLES, *([own] if own else [])):
        state = hass.states.get(entity_id)
        assert state is not None
        assert state.state == expected, f"{entity_id} is {state.state}"
    if started:
        dining = hass.states.get(DINING)
        assert dining is not None
        assert dining.attributes.get("brightness") == 60  # noqa: PLR2004 - the scene's
    pixel = hass.states.get(PIXEL_DND)
    assert pixel is not None
    assert pixel.state == (DND if started else "off")


async def _setup(hass: HomeAssistant) -> Phones:
    """Set up the house and the three contenders (see the module's doc)."""
    await async_setup_house(hass)
    phones = Phones(hass)
    phones.add(PIXEL, PIXEL_DND)
    phones.add(GALAXY)
    bare = BareHouse(hass, clock_time(*BARE[0]), clock_time(*BARE[1]))
    bare.arm(dt_util.utcnow())
    assert await async_setup_component(
        hass,
        "schedule",
        {
            "schedule": {
                "dinner_b": schedule_helper(
                    "Dinner B", daily(clock_time(*BASE[0]), clock_time(*BASE[1]))
                )
            }
        },
    )
    start = [dnd_action(PIXEL), dnd_action(GALAXY)]
    start += [turn_on_action(SCENE), turn_on_action(DEFLECTION)]
    start.append(turn_on_action(START_SCRIPT))
    end = [dnd_action(PIXEL, "off"), dnd_action(GALAXY, "off")]
    end += [turn_on_action(one, "turn_off") for one in (DINING, CANDLES, DEFLECTION)]
    end.append(turn_on_action(END_SCRIPT))
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": [
                automation("dinner_b_start", "schedule.dinner_b", start),
                automation("dinner_b_end", "schedule.dinner_b", end, to=STATE_OFF),
            ]
        },
    )
    for name, (start, end) in {"ours": OURS, **PARTS}.items():
        entry = await async_add_household(
            hass,
            "Partner time" if name == "ours" else f"Part {name}",
            windows=[
                {
                    "name": "Dinner",
                    "days": list(WEEKDAYS),
                    "start": clock_time(*start).isoformat("minutes"),
                    "end": clock_time(*end).isoformat("minutes"),
                }
            ],
            lead_time=0,
            start_scripts=[START_SCRIPT],
            end_scripts=[END_SCRIPT],
            call_sensors=[],
        )
        _leave_out(entry.runtime_data.engine, name)
    await hass.async_block_till_done()
    return phones


async def _no_store() -> None:
    """Write nothing."""


def _leave_out(engine: PartnerTimeEngine, name: str) -> None:
    """Leave a part of one household's bookkeeping out (see the module's doc)."""
    if name in {"unwritten", "engine"}:
        engine.notify_listeners = lambda: None  # type: ignore[method-assign]
    if name in {"unstored", "engine"}:
        engine.async_save = _no_store  # type: ignore[method-assign]
        engine.save = lambda: None  # type: ignore[method-assign]


def _listed(found: Counter[str]) -> str:
    """Return `n (entity, entity, ...)` for the writes of one transition."""
    names = ", ".join(
        f"{entity}{f' x{count}' if count > 1 else ''}"
        for entity, count in sorted(found.items())
    )
    return f"{found.total()} ({names})" if found else "0"


async def _count_writes(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, day: date
) -> dict[str, Counter[str]]:
    """Run one more day untimed; count each transition's writes of its own entities."""
    registry = er.async_get(hass)
    own = {
        "ours": {
            entity.entity_id
            for entity in registry.entities.values()
            if entity.platform == DOMAIN
        },
        "base": {
            "schedule.dinner_b",
            "automation.dinner_b_start",
            "automation.dinner_b_end",
        },
        "bare": set(),
    }
    found: dict[str, Counter[str]] = {}
    counting: list[Counter[str]] = []

    watched = set().union(*own.values())

    @callback
    def _on_write(event: Event[dict[str, Any]]) -> None:
        if counting:
            counting[-1][str(event.data["entity_id"])] += 1

    @callback
    def _own(data: Mapping[str, Any]) -> bool:
        return data.get("entity_id") in watched

    unsubs = [
        hass.bus.async_listen(EVENT_STATE_CHANGED, _on_write, _own),
        hass.bus.async_listen(EVENT_STATE_REPORTED, _on_write, _own),
    ]
    try:
        for name, (start, end) in (("bare", BARE), ("ours", OURS), ("base", BASE)):
            for what, moment in (("start", start), ("end", end)):
                await async_settle(
                    hass, freezer, at(day, *moment) - timedelta(seconds=1)
                )
                counting.append(Counter())
                await async_settle(hass, freezer, at(day, *moment))
                writes = counting.pop()
                found[f"{NAMES[name]} {what}"] = Counter(
                    {key: count for key, count in writes.items() if key in own[name]}
                )
                _check(hass, f"{name} {what}")
    finally:
        for unsub in unsubs:
            unsub()
    return found


@pytest.mark.shared
@pytest.mark.parametrize("expected_lingering_timers", [True])
async def bench_work_per_transition(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """1,200 days: each contender's start and end, one after the other."""
    await hass.config.async_set_time_zone(TZ)
    freezer.move_to(at(FIRST_DAY, 12))
    written: dict[str, Any] = {}
    with homelike_store(hass, written):
        phones = await _setup(hass)
        cpu: dict[str, list[float]] = {}

        async def measure(day: date, name: str, moment: tuple[int, int]) -> None:
            owner = OWNERS[name.partition(" ")[0]]
            cpu.setdefault(name, []).append(
                await async_cpu(hass, freezer, at(day, *moment), owner)
            )
            gc.collect()  # untimed
            _check(hass, name)

        with frozen_heap(paused=True):
            for offset in range(DAYS):
                day = FIRST_DAY + timedelta(days=offset)
                for name, (start, end) in {**SLOTS, **PARTS}.items():
                    await measure(day, f"{name} start", start)
                    await measure(day, f"{name} end", end)

        writes = await _count_writes(hass, freezer, FIRST_DAY + timedelta(days=DAYS))

    # Every day each contender commanded both phones twice (on and off); the day
    # the writes are counted, the three contenders only.
    sent = 2 * len(SLOTS) * (DAYS + 1) + 2 * len(PARTS) * DAYS
    assert phones.received == {PIXEL: sent, GALAXY: sent}
    assert written, "Partner Time saved nothing"
    for what in ("start", "end"):
        ours = [value * 1000 for value in cpu[f"ours {what}"]]
        base = [value * 1000 for value in cpu[f"base {what}"]]
        bare = [value * 1000 for value in cpu[f"bare {what}"]]
        record_paired("work", f"{what}: loop thread CPU, median of {{n}}", ours, base)
        record_overhead(
            "work",
            f"{what}: loop CPU over the bare house work ({{bare}}), median of {{n}}",
            ours,
            base,
            bare,
            goal="≤ 0.5",
            limit=0.5,
        )
        for part, said in PART_NAMES.items():
            record_overhead(
                "work",
                f"{what}: Partner Time {said}, over the bare house work",
                [value * 1000 for value in cpu[f"{part} {what}"]],
                base,
                bare,
            )
    note(
        "State writes of a contender's own entities in one transition (one more day,"
        " untimed, counted from state_changed and state_reported events): "
        + "; ".join(f"{name}: {_listed(found)}" for name, found in writes.items())
        + ". HA writes the calendar by itself too, from its own timers at the shown"
        " event's start and end, whichever of the two comes first at a boundary."
    )
