"""What the benchmarks share: a real clock, phones, a stopwatch, and the baseline.

The baseline is what a household would use instead of Partner Time: HA's `schedule`
helper and an automation triggered by it turning on, with the same actions in a plain
sequence, as users write them.
"""

# ruff: noqa: SLF001 - the benchmarks look at the loop's timers and HA's internals

from __future__ import annotations

import asyncio
import gc
import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from unittest.mock import patch
from zoneinfo import ZoneInfo

import freezegun.api
from homeassistant.const import ATTR_ENTITY_ID, STATE_ON
from homeassistant.core import HassJob, ServiceRegistry, StateMachine, callback
from homeassistant.helpers.entity import Entity

from custom_components.partner_time.const import WEEKDAYS
from tests.household import DEFLECTION, GALAXY, PIXEL, SCENE

if TYPE_CHECKING:
    from collections.abc import Callable, Generator, Iterable, Mapping

    from homeassistant.core import HomeAssistant, ServiceCall, State

TZ = "Europe/Berlin"
SCALE = float(os.environ.get("PARTNER_TIME_BENCH_SCALE") or 1)
PROCESSES = int(os.environ.get("PARTNER_TIME_BENCH_PROCESSES") or 1)
"""How many processes a run of scripts/bench has (see `shared`)."""
PROCESS = int(os.environ.get("PARTNER_TIME_BENCH_PROCESS") or 1)
"""Which of them this is, from 1; the benchmarks not marked `shared` run in 1 only."""
DND = "priority_only"
SCHEDULE_DAYS = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)


@contextmanager
def frozen_heap(*, paused: bool = False) -> Generator[None]:
    """Move what exists now out of the garbage collector's sight while timing.

    Collections during the timing then scan what the timed code allocated, not the
    whole test harness (Python 3.14 scans a slice of the old objects on every young
    collection, which made timings drift from run to run).

    paused: no automatic collection at all until the end; the caller collects
    (gc.collect()) between timings, where no timing pays for it.
    """
    gc.collect()
    gc.freeze()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()
        gc.unfreeze()


def scaled(count: int) -> int:
    """Return `count` times PARTNER_TIME_BENCH_SCALE (default 1, less for trials)."""
    return max(1, round(count * SCALE))


def my_share[T](items: list[T]) -> list[T]:
    """Return this process's share of the rounds of a `shared` benchmark (see there)."""
    return items[PROCESS - 1 :: PROCESSES]


def shared(count: int) -> int:
    """Return this process's share of `count` rounds of a `shared` benchmark.

    A run of scripts/bench is PROCESSES processes; the rounds of the benchmarks
    marked `shared` are dealt out among them and pooled again by report.py, so
    what one process's memory layout and warm-up favour is averaged out.
    """
    return max(1, round(scaled(count) / PROCESSES))


def clock() -> float:
    """Return the real `time.perf_counter`, also while freezegun has frozen it."""
    return freezegun.api.real_perf_counter()


def at(day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
    """Return a local wall-clock moment of the household."""
    return datetime.combine(day, time(hour, minute, second), tzinfo=ZoneInfo(TZ))


# -- real time while the clock is frozen -----------------------------------------

_SLEEPERS: list[threading.Timer] = []


async def wall_sleep(hass: HomeAssistant, seconds: float) -> None:
    """Wait `seconds` of real time.

    With freezegun the loop's clock stands still, so `asyncio.sleep` would never end;
    a thread timer wakes the loop instead, like a network reply would.
    """
    loop = hass.loop
    done: asyncio.Future[None] = loop.create_future()

    def wake() -> None:
        if not done.done():
            done.set_result(None)

    sleeper = threading.Timer(seconds, loop.call_soon_threadsafe, (wake,))
    sleeper.daemon = True
    _SLEEPERS.append(sleeper)
    sleeper.start()
    await done


def join_sleepers() -> None:
    """Let the sleeper threads end (the harness checks for lingering threads)."""
    while _SLEEPERS:
        _SLEEPERS.pop().join()


# -- the stopwatch ---------------------------------------------------------------


def call_keys(domain: str, service: str, data: Mapping[str, Any]) -> list[str]:
    """Name a call the stopwatch's way: `notify.x`, `scene.turn_on:scene.dinner`."""
    entity_ids = data.get(ATTR_ENTITY_ID)
    if entity_ids is None:
        return [f"{domain}.{service}"]
    if isinstance(entity_ids, str):
        entity_ids = [entity_ids]
    return [f"{domain}.{service}:{entity_id}" for entity_id in entity_ids]


@dataclass(frozen=True)
class Expect:
    """What a transition must do: action calls, entity states, phone pushes."""

    calls: frozenset[str]
    states: Mapping[str, Callable[[State], bool]] = field(default_factory=dict)
    phones: frozenset[str] = frozenset()

    @classmethod
    def of(
        cls,
        calls: Iterable[str],
        states: Mapping[str, Callable[[State], bool]] | None = None,
        phones: Iterable[str] = (),
    ) -> Expect:
        """Build from any iterables."""
        return cls(frozenset(calls), states or {}, frozenset(phones))


@dataclass
class Lap:
    """One timed transition, in seconds after the timer fired."""

    dispatched: float
    applied: float


@dataclass
class Stopwatch:
    """Times one transition from the moment its timer fires.

    * dispatched: the last expected action call is issued (enters
      `hass.services.async_call`, whoever calls it);
    * applied: the house is in its new state: every expected entity's state was
      written as expected and every expected phone's push returned.

    It wraps ServiceRegistry.async_call and StateMachine.async_set_internal on their
    classes until `close` (the `watch` fixture does both).

    Both are taken where they happen, not from bus events: an event fired while the
    bus is dispatching another one is queued, so its listeners would see it late.
    """

    hass: HomeAssistant
    t0: float | None = None
    expect: Expect = field(default_factory=lambda: Expect(frozenset()))
    dispatched: dict[str, float] = field(default_factory=dict)
    applied: dict[str, float] = field(default_factory=dict)

    _patches: list[Any] = field(default_factory=list)

    def __post_init__(self) -> None:
        """Wrap the service registry's call and the state machine's write."""
        call = ServiceRegistry.async_call
        write = StateMachine.async_set_internal

        async def async_call(
            registry: ServiceRegistry, *args: Any, **kwargs: Any
        ) -> Any:
            if self.t0 is not None:
                self._on_call(args, kwargs)
            return await call(registry, *args, **kwargs)

        @callback
        def async_set_internal(
            machine: StateMachine, entity_id: str, *args: Any, **kwargs: Any
        ) -> None:
            write(machine, entity_id, *args, **kwargs)
            if self.t0 is not None and (check := self.expect.states.get(entity_id)):
                state = machine.get(entity_id)
                if state is not None and check(state):
                    self.applied.setdefault(entity_id, clock())

        self._patches = [
            patch.object(ServiceRegistry, "async_call", async_call),
            patch.object(StateMachine, "async_set_internal", async_set_internal),
        ]
        for one in self._patches:
            one.start()

    def close(self) -> None:
        """Unwrap."""
        for one in self._patches:
            one.stop()
        self._patches.clear()

    def start(self, expect: Expect) -> None:
        """Start timing now, expecting these calls, states and phone pushes."""
        self.expect = expect
        self.dispatched = {}
        self.applied = {}
        self.t0 = clock()

    def stop(self) -> Lap:
        """End timing; everything expected must have happened."""
        t0, self.t0 = self.t0, None
        if t0 is None:
            msg = "the stopwatch was not started"
            raise RuntimeError(msg)
        expect = self.expect
        missing = (expect.calls - self.dispatched.keys()) | (
            (set(expect.states) | expect.phones) - self.applied.keys()
        )
        if missing:
            msg = f"not seen during the transition: {sorted(missing)}"
            raise AssertionError(msg)
        applied = max(self.applied.values(), default=max(self.dispatched.values()))
        return Lap(max(self.dispatched.values()) - t0, applied - t0)

    def _on_call(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        now = clock()
        given = dict(zip(("domain", "service", "service_data"), args, strict=False))
        given.update(kwargs)
        data = {**(given.get("service_data") or {}), **(given.get("target") or {})}
        for key in call_keys(given["domain"], given["service"], data):
            if key in self.expect.calls:
                self.dispatched.setdefault(key, now)

    def phone_done(self, notify: str) -> None:
        """Note that a phone's push returned."""
        if self.t0 is not None and notify in self.expect.phones:
            self.applied.setdefault(notify, clock())


def is_on(state: State) -> bool:
    """Tell whether the entity is on."""
    return state.state == STATE_ON


def is_on_at(brightness: int) -> Callable[[State], bool]:
    """Return a check that the light is on at this brightness."""
    return lambda state: (
        state.state == STATE_ON and (state.attributes.get("brightness") == brightness)
    )


# -- phones ----------------------------------------------------------------------


@dataclass
class Phones:
    """Companion-app phones: `notify.mobile_app_x`, each push taking `delay` seconds.

    The delay is real time (see `wall_sleep`). Registering a name again replaces the
    service, so this also takes over the test household's phones. A phone with a DND
    sensor reports the new mode, as the app does.
    """

    hass: HomeAssistant
    watch: Stopwatch | None = None
    received: dict[str, int] = field(default_factory=dict)
    sensors: dict[str, str] = field(default_factory=dict)
    delays: dict[str, float] = field(default_factory=dict)

    def add(self, notify: str, dnd_sensor: str | None = None, delay: float = 0) -> None:
        """Register one phone's notify action."""
        self.received[notify] = 0
        self.delays[notify] = delay
        if dnd_sensor:
            self.sensors[notify] = dnd_sensor
            self.hass.states.async_set(dnd_sensor, "off")
        self.hass.services.async_register(
            "notify", notify.partition(".")[2], self._handle
        )

    async def _handle(self, call: ServiceCall) -> None:
        notify = f"notify.{call.service}"
        if delay := self.delays[notify]:
            await wall_sleep(self.hass, delay)
        self.received[notify] += 1
        if call.data.get("message") == "command_dnd" and notify in self.sensors:
            self.hass.states.async_set(
                self.sensors[notify], call.data["data"]["command"]
            )
        if self.watch is not None:
            self.watch.phone_done(notify)


# -- one transition --------------------------------------------------------------


async def async_transition(
    hass: HomeAssistant,
    freezer: freezegun.api.FrozenDateTimeFactory,
    when: datetime,
    watch: Stopwatch,
    expect: Expect,
) -> Lap:
    """Move the wall clock to a boundary, fire its timers and time what follows."""
    freezer.move_to(when)
    due = due_timers(hass)
    watch.start(expect)
    for handle in due:
        if not handle.cancelled():  # an earlier one may have cancelled it
            handle._run()
            handle.cancel()
    await hass.async_block_till_done(wait_background_tasks=True)
    return watch.stop()


def due_timers(hass: HomeAssistant) -> list[asyncio.TimerHandle]:
    """Return the loop's timers due at the (frozen) wall clock, in the loop's order.

    They are run like async_fire_time_changed runs them, but without its two
    `mock.patch` per timer, which would be timed too: with freezer the loop's clock is
    the wall clock, so HA's trackers read the right time anyway.
    """
    now = hass.loop.time() + 1e-3
    return sorted(
        (handle for handle in live_timers(hass) if handle.when() <= now),
        key=asyncio.TimerHandle.when,
    )


# -- the windows, in both forms --------------------------------------------------


@dataclass(frozen=True, slots=True)
class Slot:
    """One protected time on one weekday (0 = Monday)."""

    day: int
    start: time
    end: time


def slots(
    count: int,
    *,
    first: time = time(6),
    step: timedelta = timedelta(minutes=12),
    length: timedelta = timedelta(minutes=10),
) -> list[Slot]:
    """Return `count` non-overlapping one-day slots, spread over the week's days."""
    base = datetime.combine(date(2026, 1, 1), first)
    found = []
    for index in range(count):
        begin = base + step * (index // 7)
        finish = begin + length
        if finish.date() != base.date():
            msg = f"{count} slots do not fit into a day"
            raise ValueError(msg)
        found.append(Slot(index % 7, begin.time(), finish.time()))
    return found


def windows(found: Iterable[Slot], name: str = "W") -> list[dict[str, Any]]:
    """Return the Partner Time windows (entry options) of the slots."""
    return [
        {
            "name": f"{name}{index}",
            "days": [WEEKDAYS[slot.day]],
            "start": slot.start.isoformat(),
            "end": slot.end.isoformat(),
        }
        for index, slot in enumerate(found)
    ]


def schedule_helper(name: str, found: Iterable[Slot]) -> dict[str, Any]:
    """Return a `schedule` helper's config with the slots as its time ranges."""
    config: dict[str, Any] = {"name": name}
    for slot in sorted(found, key=lambda s: (s.day, s.start)):
        config.setdefault(SCHEDULE_DAYS[slot.day], []).append(
            {"from": slot.start.isoformat(), "to": slot.end.isoformat()}
        )
    return config


def daily(start: time, end: time) -> list[Slot]:
    """Return one slot on every day of the week."""
    return [Slot(day, start, end) for day in range(7)]


def dnd_action(notify: str, mode: str = DND) -> dict[str, Any]:
    """Return an automation action putting a phone into DND (companion app)."""
    return {
        "action": notify,
        "data": {"message": "command_dnd", "data": {"command": mode}},
    }


def turn_on_action(entity_id: str, service: str = "turn_on") -> dict[str, Any]:
    """Return an automation action turning an entity (scene, switch, script) on.

    service: another action of the entity's domain, e.g. "turn_off".
    """
    return {
        "action": f"{entity_id.partition('.')[0]}.{service}",
        "target": {"entity_id": entity_id},
    }


def automation(
    automation_id: str, schedule: str, actions: list[dict[str, Any]], to: str = STATE_ON
) -> dict[str, Any]:
    """Return an automation running `actions` in sequence when the schedule is on.

    to: the schedule's state that triggers it ("off": when a time range ends).
    """
    return {
        "id": automation_id,
        "alias": automation_id.replace("_", " ").capitalize(),
        "triggers": [{"trigger": "state", "entity_id": schedule, "to": to}],
        "actions": actions,
    }


def baseline_households(count: int, found: Iterable[Slot]) -> dict[str, Any]:
    """Return `count` baseline households: a schedule helper and its automation each.

    The automation runs the test household's start actions in a plain sequence (both
    phones' DND, the scene, the call deflection, the greeting script), as users write it.
    """
    found = list(found)
    actions = [dnd_action(PIXEL), dnd_action(GALAXY)]
    actions += [turn_on_action(SCENE), turn_on_action(DEFLECTION)]
    actions.append(turn_on_action("script.greeting_on"))
    return {
        "schedule": {
            f"household_{index}": schedule_helper(f"Household {index}", found)
            for index in range(count)
        },
        "automation": [
            automation(f"household_{index}", f"schedule.household_{index}", actions)
            for index in range(count)
        ],
    }


async def async_reload_yaml(
    hass: HomeAssistant, config: dict[str, Any], *domains: str
) -> None:
    """Reload YAML integrations from `config` as if it were configuration.yaml."""
    with patch("homeassistant.config.load_yaml_config_file", return_value=config):
        for domain in domains:
            await hass.services.async_call(domain, "reload", blocking=True)
        await hass.async_block_till_done()


# -- who owns a timer ------------------------------------------------------------


def live_timers(hass: HomeAssistant) -> list[asyncio.TimerHandle]:
    """Return the loop's armed timers."""
    return [
        handle
        for handle in hass.loop._scheduled
        if isinstance(handle, asyncio.TimerHandle) and not handle.cancelled()
    ]


def timer_owner(handle: asyncio.TimerHandle | object) -> object:
    """Return the object whose method a timer (or HA's tracker, or job) calls."""
    target: Any = handle
    if isinstance(handle, asyncio.TimerHandle):
        target = handle._callback
        if handle._args and isinstance(handle._args[-1], HassJob):
            target = handle._args[-1]
    job = getattr(target, "job", target)
    if isinstance(job, HassJob):
        target = job.target
    return _unwrap(target)


def _unwrap(target: Any, depth: int = 0) -> object:
    """Return a method's object; for a closure (HA wraps jobs), the entity served."""
    if (owner := getattr(target, "__self__", None)) is not None:
        return owner
    cells = []
    for cell in getattr(target, "__closure__", None) or ():
        try:
            cells.append(cell.cell_contents)
        except ValueError:  # an empty cell
            continue
    for value in cells:
        if isinstance(value, HassJob) and depth < 3:  # noqa: PLR2004 - enough
            return _unwrap(value.target, depth + 1)
    return next((value for value in cells if isinstance(value, Entity)), target)


def owner_name(owner: object) -> str:
    """Return a short name of a timer's owner: `module.Class`, `module.function`."""
    if not hasattr(owner, "__qualname__"):  # an object, not a function
        owner = type(owner)
    return f"{owner.__module__.rpartition('.')[2]}.{owner.__qualname__}"
