"""What breaks schedulers in real homes, on the real household of `household.py`.

Clock jumps, stray timer callbacks, automation loops, renamed or removed targets and
damaged storage.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from unittest.mock import patch

import pytest
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import EVENT_CALL_SERVICE, EVENT_STATE_CHANGED
from homeassistant.core import Context, Event, HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers import storage
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockUser,
    async_capture_events,
)

from custom_components.partner_time.const import DOMAIN
from custom_components.partner_time.guard import LOOP_LIMIT, LOOP_SPAN
from custom_components.partner_time.watch import renamed_options

from .common import attr, jump, state
from .household import (
    CANDLES,
    DEFLECTION,
    DINING,
    GALAXY,
    PIXEL,
    PIXEL_DND,
    async_add_household,
    async_setup_house,
    household_options,
)

if TYPE_CHECKING:
    from datetime import datetime
    from pathlib import Path

    from freezegun.api import FrozenDateTimeFactory

    from custom_components.partner_time.engine import PartnerTimeEngine

SWITCH = "switch.partner_time"
STATUS = "sensor.partner_time_status"
NEXT = "sensor.partner_time_next_start"
START = "2026-06-01T18:30:00+02:00"
END = "2026-06-01T19:30:00+02:00"
FORWARDING = "switch.call_forwarding"
ENTRY_ID = "household1"
STORE_KEY = f"{DOMAIN}.{ENTRY_ID}"


@pytest.fixture(autouse=True)
async def berlin(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Berlin, Monday before dinner (Dinner is 18:30-19:30 every day)."""
    await hass.config.async_set_time_zone("Europe/Berlin")
    freezer.move_to("2026-06-01T18:00:00+02:00")


def at(when: str) -> datetime:
    """Parse ISO text into an aware datetime."""
    moment = dt_util.parse_datetime(when)
    assert moment is not None
    return moment


def engine_of(entry: MockConfigEntry) -> PartnerTimeEngine:
    """Return the household's engine."""
    engine: PartnerTimeEngine = entry.runtime_data.engine
    return engine


def armed(hass: HomeAssistant, engine: PartnerTimeEngine) -> list[datetime]:
    """List the instant the household's one timer is armed for (none: empty)."""
    del hass
    return [engine.timer.when] if engine.timer.when is not None else []


def service_calls(hass: HomeAssistant) -> list[Event[Any]]:
    """Record every action called from now on."""
    return async_capture_events(hass, EVENT_CALL_SERVICE)


async def reconcile(hass: HomeAssistant) -> None:
    """Make the engine recompute the truth: a core config change (as a clock fix is)."""
    await hass.config.async_update(latitude=hass.config.latitude + 0.001)
    await hass.async_block_till_done(wait_background_tasks=True)


def issue(hass: HomeAssistant, issue_id: str) -> ir.IssueEntry | None:
    """Return one of Partner Time's repair issues, if raised."""
    return ir.async_get(hass).async_get_issue(DOMAIN, issue_id)


# -- wall-clock jumps ---------------------------------------------------------------


async def test_forward_jump_over_a_whole_window_starts_nothing(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """18:00 -> 21:00 skips Dinner entirely: nothing is left to protect.

    So nothing runs (no late warning either); the next day is scheduled at once and
    runs normally.
    """
    phones = await async_setup_house(hass)
    entry = await async_add_household(hass)
    started = async_capture_events(hass, "partner_time_started")
    upcoming = async_capture_events(hass, "partner_time_upcoming")
    calls = service_calls(hass)

    await jump(hass, freezer, "2026-06-01T21:00:00+02:00")
    assert state(hass, SWITCH) == "off"
    assert state(hass, STATUS) == "idle"
    assert state(hass, NEXT) == "2026-06-02T16:30:00+00:00"
    assert (started, upcoming, calls) == ([], [], [])
    assert armed(hass, engine_of(entry)) == [at("2026-06-02T18:25:00+02:00")]

    await jump(hass, freezer, "2026-06-02T18:30:00+02:00")
    assert state(hass, SWITCH) == "on"
    assert phones.commands(GALAXY) == ["priority_only"]


async def test_forward_jump_into_a_window_acts_once(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """18:00 -> 19:00 lands in Dinner: on at once, every action once, off at 19:30."""
    phones = await async_setup_house(hass)
    await async_add_household(hass)
    started = async_capture_events(hass, "partner_time_started")

    await jump(hass, freezer, "2026-06-01T19:00:00+02:00")
    assert state(hass, SWITCH) == "on"
    assert state(hass, DEFLECTION) == "on"
    assert state(hass, CANDLES) == "on"
    assert phones.commands(PIXEL) == ["priority_only"]
    assert phones.commands(GALAXY) == ["priority_only"]
    assert len(started) == 1

    await jump(hass, freezer, "2026-06-01T19:10:00+02:00")
    await jump(hass, freezer, END)
    assert state(hass, SWITCH) == "off"
    assert state(hass, DEFLECTION) == "off"
    assert phones.commands(GALAXY) == ["priority_only", "off"]
    assert len(started) == 1


async def test_forward_jump_past_the_end_restores_once(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """On during Dinner, then the clock jumps to 21:00: ended once, house restored."""
    phones = await async_setup_house(hass)
    await async_add_household(hass)
    await jump(hass, freezer, START)
    ended = async_capture_events(hass, "partner_time_ended")
    await jump(hass, freezer, "2026-06-01T21:00:00+02:00")
    assert state(hass, SWITCH) == "off"
    assert state(hass, DEFLECTION) == "off"
    assert phones.commands(GALAXY) == ["priority_only", "off"]
    assert [e.data["reason"] for e in ended] == ["schedule"]


async def test_forward_jump_into_the_next_days_window_keeps_the_session(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """On in Monday's Dinner, the clock jumps into Tuesday's: the session goes on.

    The house is already as it should be, so it lasts to Tuesday's end (no off and
    on again).
    """
    phones = await async_setup_house(hass)
    await async_add_household(hass)
    await jump(hass, freezer, START)
    await jump(hass, freezer, "2026-06-02T19:00:00+02:00")
    assert state(hass, SWITCH) == "on"
    assert phones.commands(GALAXY) == ["priority_only"]
    await jump(hass, freezer, "2026-06-02T19:30:00+02:00")
    assert state(hass, SWITCH) == "off"
    assert state(hass, DEFLECTION) == "off"
    assert phones.commands(GALAXY) == ["priority_only", "off"]


async def test_backward_jump_after_a_session_runs_nothing_twice(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Dinner ran, then the clock is set back to 18:45 and 18:00: it runs not twice.

    Neither a reconcile, nor a reload, nor the clock passing 18:30 again starts that
    Dinner a second time.
    """
    phones = await async_setup_house(hass)
    entry = await async_add_household(hass)
    started = async_capture_events(hass, "partner_time_started")
    await jump(hass, freezer, START)
    await jump(hass, freezer, "2026-06-01T19:45:00+02:00")
    assert phones.commands(GALAXY) == ["priority_only", "off"]

    calls = service_calls(hass)
    await jump(hass, freezer, "2026-06-01T18:45:00+02:00")
    await reconcile(hass)
    assert state(hass, SWITCH) == "off"
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    await jump(hass, freezer, "2026-06-01T18:00:00+02:00")
    await reconcile(hass)
    for when in ("18:25", "18:30", "19:00", "19:30", "20:00"):
        await jump(hass, freezer, f"2026-06-01T{when}:00+02:00")
        assert state(hass, SWITCH) == "off", when
    assert calls == []
    assert len(started) == 1
    # the next Dinner is not affected
    await jump(hass, freezer, "2026-06-02T18:30:00+02:00")
    assert state(hass, SWITCH) == "on"
    assert len(started) == 2


async def test_backward_jump_during_a_session_keeps_it(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """On since 18:30; at 19:00 the clock is set back to 18:10 and HA reconciles.

    The session stays on (no restore now, no second start at 18:30) and ends at 19:30,
    once.
    """
    phones = await async_setup_house(hass)
    await async_add_household(hass)
    started = async_capture_events(hass, "partner_time_started")
    ended = async_capture_events(hass, "partner_time_ended")
    await jump(hass, freezer, START)
    await jump(hass, freezer, "2026-06-01T19:00:00+02:00")

    await jump(hass, freezer, "2026-06-01T18:10:00+02:00")
    await reconcile(hass)
    assert state(hass, SWITCH) == "on"
    assert state(hass, STATUS) == "active"
    for when in ("18:25", "18:30", "19:00", "19:29"):
        await jump(hass, freezer, f"2026-06-01T{when}:00+02:00")
        assert state(hass, SWITCH) == "on", when
    assert phones.commands(GALAXY) == ["priority_only"]
    await jump(hass, freezer, END)
    assert state(hass, SWITCH) == "off"
    assert state(hass, DEFLECTION) == "off"
    assert phones.commands(GALAXY) == ["priority_only", "off"]
    assert (len(started), len(ended)) == (1, 1)


async def test_clock_set_back_days_is_taken_as_the_truth(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A clock set back by more than two days (the bound) is believed.

    The session ends and the house is restored instead of staying on for days.
    """
    phones = await async_setup_house(hass)
    await async_add_household(hass)
    await jump(hass, freezer, START)
    await jump(hass, freezer, "2026-05-29T12:00:00+02:00")
    await reconcile(hass)
    assert state(hass, SWITCH) == "off"
    assert state(hass, DEFLECTION) == "off"
    assert phones.commands(GALAXY) == ["priority_only", "off"]


# -- stray timer callbacks ------------------------------------------------------------


async def test_early_and_repeated_timer_callbacks_change_nothing(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The timer callback called early or twice changes nothing.

    Early (for 18:30 at 18:00, for 19:30 at 19:00) or repeated, it neither starts,
    ends nor repeats anything, and leaves exactly one timer armed.
    """
    phones = await async_setup_house(hass)
    entry = await async_add_household(hass)
    engine = engine_of(entry)
    started = async_capture_events(hass, "partner_time_started")
    ended = async_capture_events(hass, "partner_time_ended")

    engine.wake(at(START))
    engine.wake(at(START))
    await hass.async_block_till_done(wait_background_tasks=True)
    assert state(hass, SWITCH) == "off"
    assert started == []
    assert phones.commands(GALAXY) == []
    assert armed(hass, engine) == [at("2026-06-01T18:25:00+02:00")]

    await jump(hass, freezer, START)
    assert state(hass, SWITCH) == "on"
    for _ in range(2):
        engine.wake(at(START))
        engine.wake(at(END))
    await hass.async_block_till_done(wait_background_tasks=True)
    assert state(hass, SWITCH) == "on"
    assert (len(started), len(ended)) == (1, 0)
    assert phones.commands(GALAXY) == ["priority_only"]
    # one timer: the weekly total's next minute while the session runs
    assert armed(hass, engine) == [at("2026-06-01T18:31:00+02:00")]

    await jump(hass, freezer, END)
    engine.wake(at(END))
    await hass.async_block_till_done(wait_background_tasks=True)
    assert (len(started), len(ended)) == (1, 1)
    assert phones.commands(GALAXY) == ["priority_only", "off"]
    assert armed(hass, engine) == [at("2026-06-02T18:25:00+02:00")]


# -- loops and contexts ---------------------------------------------------------------


async def test_fighting_automations_cannot_loop_the_house(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Two automations fighting over the switch cannot loop the house actions.

    'Turn partner time back on when it goes off' against 'turn it off when it goes
    on': after LOOP_LIMIT starts within LOOP_SPAN further starts are refused (repair
    issue, translated error), the house actions stop and the house ends restored.
    """
    phones = await async_setup_house(hass)
    await async_add_household(hass)
    assert await async_setup_component(hass, "counter", {"counter": {"flips": {}}})
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": [
                {
                    "alias": "Partner time stays on",
                    "mode": "queued",
                    "triggers": [
                        {"trigger": "state", "entity_id": SWITCH, "to": "off"}
                    ],
                    "actions": [
                        {"action": "switch.turn_on", "target": {"entity_id": SWITCH}}
                    ],
                },
                {
                    "alias": "No partner time (stops after 30 flips in any case)",
                    "mode": "queued",
                    "triggers": [{"trigger": "state", "entity_id": SWITCH, "to": "on"}],
                    "conditions": [
                        {
                            "condition": "template",
                            "value_template": "{{ states('counter.flips')|int < 30 }}",
                        }
                    ],
                    "actions": [
                        {"action": "counter.increment", "entity_id": "counter.flips"},
                        {"action": "switch.turn_off", "target": {"entity_id": SWITCH}},
                    ],
                },
            ]
        },
    )
    started = async_capture_events(hass, "partner_time_started")
    await hass.services.async_call(
        "switch", "turn_on", {"entity_id": SWITCH}, blocking=True
    )
    await hass.async_block_till_done(wait_background_tasks=True)

    assert len(started) == LOOP_LIMIT
    assert state(hass, "counter.flips") == str(LOOP_LIMIT)
    assert state(hass, SWITCH) == "off"
    assert state(hass, DEFLECTION) == "off"
    assert state(hass, CANDLES) == "off"
    commands = phones.commands(GALAXY)
    assert len(commands) <= 2 * LOOP_LIMIT
    assert commands[-1] == "off"
    found = issue(hass, f"start_loop_{engine_of_only(hass).entry_id}")
    assert found is not None
    assert found.translation_key == "start_loop"

    # a person's start is refused too, with a translated reason, touching nothing
    await hass.services.async_call(
        "automation", "turn_off", {"entity_id": "all"}, blocking=True
    )
    with pytest.raises(ServiceValidationError) as refused:
        await hass.services.async_call(
            "switch", "turn_on", {"entity_id": SWITCH}, blocking=True
        )
    assert refused.value.translation_key == "start_loop"
    await hass.async_block_till_done(wait_background_tasks=True)
    assert phones.commands(GALAXY) == commands

    # once the span has passed, starting works again
    await jump(hass, freezer, dt_util.utcnow() + LOOP_SPAN)
    await hass.services.async_call(
        "switch", "turn_on", {"entity_id": SWITCH}, blocking=True
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    assert state(hass, SWITCH) == "on"
    assert phones.commands(GALAXY)[-1] == "priority_only"


async def test_pausing_and_resuming_in_a_loop_is_bounded_too(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Resuming the agreed times during Dinner starts a session: that counts as well."""
    phones = await async_setup_house(hass)
    entry = await async_add_household(hass)
    engine = engine_of(entry)
    await jump(hass, freezer, "2026-06-01T18:40:00+02:00")
    refused: list[str | None] = []
    for _ in range(3 * LOOP_LIMIT):
        engine.set_schedule_enabled(enabled=False)
        try:
            engine.set_schedule_enabled(enabled=True)
        except ServiceValidationError as err:
            refused.append(err.translation_key)
        await hass.async_block_till_done(wait_background_tasks=True)
    assert refused == ["start_loop"] * (2 * LOOP_LIMIT)
    # the start by the clock plus LOOP_LIMIT resumptions, each undone by a pause
    assert phones.commands(GALAXY) == ["priority_only", "off"] * (LOOP_LIMIT + 1)
    assert state(hass, SWITCH) == "off"


def engine_of_only(hass: HomeAssistant) -> PartnerTimeEngine:
    """Return the engine of the only household."""
    (entry,) = hass.config_entries.async_entries(DOMAIN)
    engine: PartnerTimeEngine = entry.runtime_data.engine
    return engine


def switch_changes(hass: HomeAssistant) -> list[Event[Any]]:
    """Record every state change of the partner time switch from now on."""
    seen: list[Event[Any]] = []

    @callback
    def _listener(event: Event[Any]) -> None:
        if event.data["entity_id"] == SWITCH:
            seen.append(event)

    hass.bus.async_listen(EVENT_STATE_CHANGED, _listener)
    return seen


async def test_schedule_transitions_carry_the_integrations_own_context(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A start or end by the clock writes the switch with a context of its own.

    No parent, no user, the same as the event's, so automations can tell it apart.
    """
    await async_setup_house(hass)
    entry = await async_add_household(hass)
    started = async_capture_events(hass, "partner_time_started")
    ended = async_capture_events(hass, "partner_time_ended")
    changes = switch_changes(hass)
    await jump(hass, freezer, START)
    await jump(hass, freezer, END)

    assert [c.data["new_state"].state for c in changes] == ["on", "off"]
    for change, event in zip(changes, [*started, *ended], strict=True):
        context = change.data["new_state"].context
        assert context.parent_id is None
        assert context.user_id is None
        assert context.id == event.context.id
    assert changes[0].context.id != changes[1].context.id
    assert engine_of(entry).context.id == changes[1].context.id
    # the house is changed under the same context
    deflection = hass.states.get(DEFLECTION)
    assert deflection is not None
    assert deflection.context.id == changes[1].context.id


async def test_a_persons_call_is_the_parent_of_the_transition(
    hass: HomeAssistant, hass_admin_user: MockUser
) -> None:
    """Turned on (and off) by a person: the switch's context has that call as parent."""
    await async_setup_house(hass)
    await async_add_household(hass)
    changes = switch_changes(hass)
    for service in ("turn_on", "turn_off"):
        call = Context(user_id=hass_admin_user.id)
        await hass.services.async_call(
            "switch", service, {"entity_id": SWITCH}, blocking=True, context=call
        )
        await hass.async_block_till_done(wait_background_tasks=True)
        assert changes[-1].data["new_state"].context.parent_id == call.id
        assert changes[-1].data["new_state"].context.id != call.id
    assert [c.data["new_state"].state for c in changes] == ["on", "off"]


# -- renamed and removed targets ------------------------------------------------------


async def test_renamed_targets_are_followed_mid_session(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The call-forwarding switch, a scene light and a script are renamed in Dinner.

    The options follow without a reload, no repair issue stays, and 19:30 restores
    both and runs the renamed end script.
    """
    phones = await async_setup_house(hass)
    await hass.services.async_call(
        "light", "turn_on", {"entity_id": DINING, "brightness": 200}, blocking=True
    )
    entry = await async_add_household(hass)
    engine = engine_of(entry)
    await jump(hass, freezer, START)
    calls = service_calls(hass)
    registry = er.async_get(hass)
    registry.async_update_entity(DEFLECTION, new_entity_id=FORWARDING)
    registry.async_update_entity(DINING, new_entity_id="light.table")
    registry.async_update_entity("script.greeting_off", new_entity_id="script.goodbye")
    await hass.async_block_till_done(wait_background_tasks=True)

    assert state(hass, FORWARDING) == "on"
    assert entry.options["forwarding_switches"] == [FORWARDING]
    assert entry.options["end_scripts"] == ["script.goodbye"]
    assert entry.state is ConfigEntryState.LOADED
    assert engine_of(entry) is engine  # followed in place: no reload
    assert calls == []
    assert issue(hass, f"missing_target_{entry.entry_id}_{DEFLECTION}") is None
    assert issue(hass, f"missing_target_{entry.entry_id}_{FORWARDING}") is None
    assert state(hass, SWITCH) == "on"

    greetings = async_capture_events(hass, "test_greeting")
    await jump(hass, freezer, END)
    assert state(hass, FORWARDING) == "off"
    assert attr(hass, "light.table", "brightness") == 200
    assert phones.commands(GALAXY) == ["priority_only", "off"]
    assert [e.data["on"] for e in greetings] == [False]


async def test_reload_after_a_rename_repeats_nothing(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Renamed mid-session, then reloaded (as saving the options would).

    No action is repeated and the end still turns off the renamed switch.
    """
    phones = await async_setup_house(hass)
    entry = await async_add_household(hass)
    await jump(hass, freezer, START)
    er.async_get(hass).async_update_entity(DEFLECTION, new_entity_id=FORWARDING)
    await hass.async_block_till_done(wait_background_tasks=True)
    calls = service_calls(hass)
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert calls == []
    assert state(hass, SWITCH) == "on"
    await jump(hass, freezer, END)
    assert state(hass, FORWARDING) == "off"
    assert phones.commands(PIXEL) == ["priority_only", "off"]


async def test_removed_target_raises_the_issue_and_the_session_ends_cleanly(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The call-forwarding switch is removed from the registry during Dinner.

    The missing_target issue is raised at once, the options are left alone, and 19:30
    restores the rest without an error in the timer.
    """
    phones = await async_setup_house(hass)
    entry = await async_add_household(hass)
    await jump(hass, freezer, START)
    er.async_get(hass).async_remove(DEFLECTION)
    await hass.async_block_till_done(wait_background_tasks=True)
    found = issue(hass, f"missing_target_{entry.entry_id}_{DEFLECTION}")
    assert found is not None
    assert found.translation_key == "missing_target"
    assert entry.options["forwarding_switches"] == [DEFLECTION]

    caplog.clear()
    await jump(hass, freezer, END)
    assert state(hass, SWITCH) == "off"
    assert state(hass, CANDLES) == "off"
    assert phones.commands(GALAXY) == ["priority_only", "off"]
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")]
    assert issue(hass, f"missing_target_{entry.entry_id}_{DEFLECTION}") is not None


# -- damaged storage ------------------------------------------------------------------


GARBAGE: list[dict[str, object]] = [
    {"version": 1, "data": "not a mapping"},
    {"version": 1, "data": [1, 2, 3]},
    {"version": 1, "data": {"session": {"start": "yesterday", "end": "today"}}},
    {"version": 1, "data": {"session": {"start": "2026-06-01T16:30:00+00:00"}}},
    {
        "version": 1,
        "data": {
            "session": {
                "start": "2026-06-01T16:30:00+00:00",
                "end": "2026-06-01T17:30:00+00:00",
                "source": "schedule",
                "name": "Dinner",
                "applied": {"context_id": "x", "switches": 5},
            }
        },
    },
    {"version": 1, "data": {"exclude": 7, "calls": "x", "extra": [1]}},
    {"version": 1, "data": {"warned_for": "2026-06-01T18:25:00"}},
    {"truncated": True},
    {"version": 99, "data": {}},
]


async def _add_damaged(hass: HomeAssistant) -> MockConfigEntry:
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Partner time",
        options=household_options(),
        entry_id=ENTRY_ID,
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    return entry


async def _check_damaged(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    calls: list[Event[Any]],
) -> None:
    """Set up anyway, reported, nothing done to the house; the next Dinner runs."""
    assert entry.state is ConfigEntryState.LOADED
    found = issue(hass, f"corrupt_store_{ENTRY_ID}")
    assert found is not None
    assert found.translation_key == "corrupt_store"
    assert state(hass, SWITCH) == "off"
    await jump(hass, freezer, "2026-06-01T20:00:00+02:00")
    assert calls == []
    assert state(hass, CANDLES) == "on"  # left as it was found
    await jump(hass, freezer, "2026-06-02T18:30:00+02:00")
    assert state(hass, SWITCH) == "on"


@pytest.mark.parametrize("garbage", GARBAGE)
async def test_damaged_store_is_reported_and_touches_nothing(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
    garbage: dict[str, object],
) -> None:
    """HA restarts at 19:00, in Dinner, with a damaged store.

    The household sets up, `corrupt_store` is raised, and the house is left as it is
    (no restore from garbage, no second start of a Dinner that may have run already).
    """
    freezer.move_to("2026-06-01T19:00:00+02:00")
    await async_setup_house(hass)
    await hass.services.async_call(
        "light", "turn_on", {"entity_id": CANDLES}, blocking=True
    )
    hass_storage[STORE_KEY] = garbage
    calls = service_calls(hass)
    entry = await _add_damaged(hass)
    await _check_damaged(hass, freezer, entry, calls)


async def test_truncated_store_file_is_reported_and_touches_nothing(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, tmp_path: Path
) -> None:
    """A truncated .storage file (power cut while writing), read by HA's real Store.

    HA sets it aside; Partner Time reports it and leaves the house alone.
    """
    freezer.move_to("2026-06-01T19:00:00+02:00")
    await async_setup_house(hass)
    await hass.services.async_call(
        "light", "turn_on", {"entity_id": CANDLES}, blocking=True
    )
    hass.config.config_dir = str(tmp_path)
    text = json.dumps(
        {"version": 1, "key": STORE_KEY, "data": {"session": None, "calls": []}}
    )
    (tmp_path / ".storage").mkdir()
    (tmp_path / ".storage" / STORE_KEY).write_text(text[: len(text) // 2])
    calls = service_calls(hass)

    async def from_disk(store: storage.Store[object]) -> object:
        return await store._async_load_data()

    with patch.object(storage.Store, "_async_load", from_disk):
        entry = await _add_damaged(hass)
    assert list((tmp_path / ".storage").glob(f"{STORE_KEY}.corrupt.*"))
    await _check_damaged(hass, freezer, entry, calls)


async def test_unrelated_registry_changes_change_nothing(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Renaming or removing an entity the household does not use changes nothing."""
    await async_setup_house(hass)
    entry = await async_add_household(hass)
    options = dict(entry.options)
    registry = er.async_get(hass)
    registry.async_update_entity(CANDLES, new_entity_id="light.tea_lights")
    registry.async_remove("light.tea_lights")
    await hass.async_block_till_done(wait_background_tasks=True)
    assert dict(entry.options) == options
    assert not [
        found
        for (domain, _id), found in ir.async_get(hass).issues.items()
        if domain == DOMAIN
    ]
    await jump(hass, freezer, START)
    assert state(hass, SWITCH) == "on"


def test_renamed_options_cover_every_entity_setting() -> None:
    """Scene, DND sensors and call sensors follow a rename; notify actions do not."""
    options = household_options(scene="scene.dinner")
    assert renamed_options(options, "light.unused", "light.other") is None
    assert renamed_options(options, "scene.dinner", "scene.evening") == {
        **options,
        "scene": "scene.evening",
    }
    phone = {"notify": PIXEL, "dnd_sensor": PIXEL_DND}  # a phone subentry's data
    assert renamed_options(phone, PIXEL_DND, "sensor.pixel_dnd") == {
        "notify": PIXEL,
        "dnd_sensor": "sensor.pixel_dnd",
    }
    moved = renamed_options(
        options, "sensor.fritz_box_call_monitor", "sensor.call_monitor"
    )
    assert moved is not None
    assert moved["call_sensors"] == ["sensor.call_monitor"]
    assert renamed_options(options, PIXEL, "notify.other") is None
    assert options["scene"] == "scene.dinner"  # the original is left alone
