"""What happens in the house: every target side by side, failures contained, only ours undone."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.core import Context
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockUser,
    async_fire_time_changed,
)

from custom_components.partner_time.const import DOMAIN

from .common import attr, jump, state, until
from .household import (
    CANDLES,
    DEFLECTION,
    DINING,
    GALAXY,
    PIXEL,
    PIXEL_DND,
    async_add_household,
    async_setup_house,
)

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant

START = "2026-06-01T18:30:00+02:00"
END = "2026-06-01T19:30:00+02:00"


@pytest.fixture(autouse=True)
async def berlin(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Berlin, an hour before dinner."""
    await hass.config.async_set_time_zone("Europe/Berlin")
    freezer.move_to("2026-06-01T17:30:00+02:00")


async def test_failing_phone_blocks_nothing(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A phone whose push fails is recorded; everything else still happens."""
    phones = await async_setup_house(hass)
    phones.failing.add(PIXEL)
    entry = await async_add_household(hass)
    await jump(hass, freezer, START)
    assert state(hass, "switch.partner_time") == "on"
    assert phones.commands(GALAXY) == ["priority_only"]
    assert state(hass, DEFLECTION) == "on"
    assert state(hass, CANDLES) == "on"
    result = entry.runtime_data.engine.watch.results[PIXEL]
    assert (result.outcome, result.detail) == ("error", "push failed")


async def test_hanging_phone_times_out(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A phone that never answers delays nothing and is given up after the timeout."""
    phones = await async_setup_house(hass)
    phones.hanging.add(PIXEL)
    entry = await async_add_household(hass)
    freezer.move_to(START)
    async_fire_time_changed(hass, dt_util.utcnow())
    # the others are done while the Pixel still hangs
    await until(
        lambda: state(hass, DEFLECTION) == state(hass, "switch.partner_time") == "on"
    )
    assert state(hass, "switch.partner_time") == "on"
    assert phones.commands(GALAXY) == ["priority_only"]
    assert state(hass, DEFLECTION) == "on"
    assert PIXEL not in entry.runtime_data.engine.watch.results
    # the timeout (10 s) gives up on it
    async_fire_time_changed(hass, dt_util.utcnow(), fire_all=True)
    await hass.async_block_till_done()
    assert entry.runtime_data.engine.watch.results[PIXEL].outcome == "timeout"
    phones.release.set()
    await hass.async_block_till_done(wait_background_tasks=True)


async def test_hanging_phone_does_not_hold_back_the_record(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_storage: dict[str, Any]
) -> None:
    """While a hanging phone holds up the actions, ends and starts are recorded at once.

    The end's actions wait for the start's (one household's actions never overlap),
    but the store says at once that the session ended, and the entities show it;
    likewise for a start that waits for that end.
    """
    phones = await async_setup_house(hass)
    phones.hanging.add(PIXEL)
    entry = await async_add_household(hass)
    freezer.move_to(START)
    async_fire_time_changed(hass, dt_util.utcnow())
    key = f"{DOMAIN}.{entry.entry_id}"
    # the start's actions wait for the Pixel; the record does not
    await until(
        lambda: (
            bool(hass_storage.get(key, {}).get("data", {}).get("session"))
            and state(hass, "switch.partner_time") == "on"
        )
    )
    assert hass_storage[key]["data"]["session"] is not None
    assert state(hass, "switch.partner_time") == "on"
    await hass.services.async_call(
        "switch", "turn_off", {"entity_id": "switch.partner_time"}, blocking=True
    )
    async_fire_time_changed(hass, dt_util.utcnow())  # the coalesced write is due
    await until(
        lambda: (
            hass_storage[key]["data"]["session"] is None
            and state(hass, "switch.partner_time") == "off"
        )
    )
    assert state(hass, "switch.partner_time") == "off"
    assert hass_storage[key]["data"]["session"] is None
    assert hass_storage[key]["data"]["last_session"]["reason"] == "manual"
    assert state(hass, DEFLECTION) == "on"  # not undone yet: the start still runs
    # started again while both still wait: recorded at once as well
    await hass.services.async_call(
        "switch", "turn_on", {"entity_id": "switch.partner_time"}, blocking=True
    )
    async_fire_time_changed(hass, dt_util.utcnow())
    await until(
        lambda: (
            hass_storage[key]["data"]["session"] is not None
            and state(hass, "switch.partner_time") == "on"
        )
    )
    assert state(hass, "switch.partner_time") == "on"
    assert hass_storage[key]["data"]["session"]["source"] == "manual"
    phones.release.set()
    await hass.async_block_till_done(wait_background_tasks=True)
    assert state(hass, "switch.partner_time") == "on"
    assert state(hass, DEFLECTION) == "on"


async def test_missing_scene_raises_repair(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A scene that does not exist gives a repair issue, which goes once it exists."""
    phones = await async_setup_house(hass)
    await async_add_household(hass, scene="scene.romantic")
    issues = ir.async_get(hass)
    entry_id = hass.config_entries.async_entries(DOMAIN)[0].entry_id
    issue_id = f"missing_target_{entry_id}_scene.romantic"
    issue = issues.async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_placeholders == {
        "target": "scene.romantic",
        "name": "Partner time",
    }
    await jump(hass, freezer, START)
    assert phones.commands(PIXEL) == ["priority_only"]
    assert state(hass, CANDLES) == "off"
    hass.states.async_set("scene.romantic", "scening")
    await hass.async_block_till_done()
    assert issues.async_get_issue(DOMAIN, issue_id) is None


async def test_missing_phone_raises_repair(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A notify action that does not exist gives a repair issue until it is registered."""
    phones = await async_setup_house(hass)
    missing = "notify.mobile_app_old_phone"
    entry = await async_add_household(hass, phones=[{"notify": missing}])
    issue_id = f"missing_target_{entry.entry_id}_{missing}"
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is not None
    await jump(hass, freezer, START)
    assert entry.runtime_data.engine.watch.results[missing].outcome == "missing"
    phones.add(missing)
    await hass.async_block_till_done()
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None


async def test_switch_already_on_is_not_ours(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A forwarding switch that was already on stays on afterwards."""
    await async_setup_house(hass)
    await hass.services.async_call(
        "switch", "turn_on", {"entity_id": DEFLECTION}, blocking=True
    )
    await async_add_household(hass)
    await jump(hass, freezer, START)
    await jump(hass, freezer, END)
    assert state(hass, DEFLECTION) == "on"


async def test_user_changed_dnd_is_kept(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A person who changed the Pixel's DND during dinner keeps their choice."""
    phones = await async_setup_house(hass)
    await async_add_household(hass)
    await jump(hass, freezer, START)
    hass.states.async_set(PIXEL_DND, "total_silence")
    await jump(hass, freezer, END)
    assert phones.commands(PIXEL) == ["priority_only"]
    assert phones.commands(GALAXY) == ["priority_only", "off"]


async def test_dnd_already_on_is_left_alone(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A phone already in DND is not touched, at the start or the end."""
    phones = await async_setup_house(hass)
    hass.states.async_set(PIXEL_DND, "alarms_only")
    await async_add_household(hass)
    await jump(hass, freezer, START)
    await jump(hass, freezer, END)
    assert phones.commands(PIXEL) == []
    assert phones.commands(GALAXY) == ["priority_only", "off"]


async def test_light_changed_by_a_person_is_kept(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    """A light a person changed during dinner is not reset; the others are restored."""
    await async_setup_house(hass)
    await async_add_household(hass)
    await jump(hass, freezer, START)
    await hass.services.async_call(
        "light",
        "turn_on",
        {"entity_id": DINING, "brightness": 150},
        blocking=True,
        context=Context(user_id=hass_admin_user.id),
    )
    await jump(hass, freezer, END)
    assert attr(hass, DINING, "brightness") == 150
    assert state(hass, CANDLES) == "off"


async def test_no_restore_lights(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """With restore_lights off, the scene stays after the end."""
    await async_setup_house(hass)
    await async_add_household(hass, restore_lights=False)
    await jump(hass, freezer, START)
    await jump(hass, freezer, END)
    assert state(hass, CANDLES) == "on"


async def test_unavailable_switch_is_recorded(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """An unavailable start script is skipped and recorded, never raised."""
    await async_setup_house(hass)
    hass.states.async_set("script.greeting_on", "unavailable")
    entry = await async_add_household(hass)
    await jump(hass, freezer, START)
    assert (
        entry.runtime_data.engine.watch.results["script.greeting_on"].outcome
        == "unavailable"
    )
    assert state(hass, DEFLECTION) == "on"
