"""Repairs: a missing target's issue names it, can be fixed, and clears itself.

The household's call-deflection switch is removed while they have dinner; the repair
names it as they know it, its fix flow explains and opens the settings where it is
chosen, and the issue goes when the settings no longer name it or when the household
is deleted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component

from custom_components.partner_time.const import DOMAIN
from custom_components.partner_time.repairs import (
    async_clear_issues,
    raise_corrupt_store,
    raise_start_loop,
    set_missing_target,
    sync_missing_targets,
)

from .common import jump, state
from .household import (
    DEFLECTION,
    PIXEL,
    SCENE,
    add_phone,
    async_add_household,
    async_setup_house,
)

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from aiohttp.test_utils import TestClient
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    type ClientFactory = Callable[[], Awaitable[TestClient]]

START = "2026-06-01T18:30:00+02:00"
END = "2026-06-01T19:30:00+02:00"


@pytest.fixture(autouse=True)
async def berlin(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Berlin, an hour before dinner (18:30-19:30 every day)."""
    await hass.config.async_set_time_zone("Europe/Berlin")
    freezer.move_to("2026-06-01T17:30:00+02:00")


def missing(hass: HomeAssistant, entry: MockConfigEntry, target: str) -> ir.IssueEntry:
    """Return the raised issue of a missing target."""
    found = ir.async_get(hass).async_get_issue(
        DOMAIN, f"missing_target_{entry.entry_id}_{target}"
    )
    assert found is not None, f"no issue for {target}"
    return found


def issues_of(hass: HomeAssistant, entry: MockConfigEntry) -> set[str]:
    """Return the ids of a household's issues."""
    return {
        issue_id
        for domain, issue_id in ir.async_get(hass).issues
        if domain == DOMAIN and entry.entry_id in issue_id
    }


async def fix(
    hass_client: ClientFactory, issue_id: str, user_input: dict[str, Any] | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Open an issue's fix flow as the frontend does; return its first and next step."""
    client = await hass_client()
    resp = await client.post(
        "/api/repairs/issues/fix", json={"handler": DOMAIN, "issue_id": issue_id}
    )
    assert resp.status == 200, await resp.text()
    first = await resp.json()
    if user_input is None:
        return first, {}
    resp = await client.post(
        f"/api/repairs/issues/fix/{first['flow_id']}", json=user_input
    )
    assert resp.status == 200, await resp.text()
    return first, await resp.json()


async def test_a_removed_switch_is_named_as_people_know_it(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The deflection switch goes from the registry during dinner.

    The repair says "FRITZ!Box Call deflection 0", not the entity id, and can be fixed.
    """
    await async_setup_house(hass)
    entry = await async_add_household(hass)
    await jump(hass, freezer, START)
    er.async_get(hass).async_remove(DEFLECTION)
    await hass.async_block_till_done(wait_background_tasks=True)

    found = missing(hass, entry, DEFLECTION)
    assert found.translation_placeholders == {
        "target": "FRITZ!Box Call deflection 0",
        "name": "Partner time",
    }
    assert found.is_fixable
    await jump(hass, freezer, END)  # the end checks the targets again
    assert missing(hass, entry, DEFLECTION).translation_placeholders == {
        "target": "FRITZ!Box Call deflection 0",
        "name": "Partner time",
    }


async def test_a_target_that_never_existed_is_named_by_its_id(
    hass: HomeAssistant,
) -> None:
    """A scene nobody has: nothing but its id is known."""
    await async_setup_house(hass)
    entry = await async_add_household(hass, scene="scene.romantic")
    assert missing(hass, entry, "scene.romantic").translation_placeholders == {
        "target": "scene.romantic",
        "name": "Partner time",
    }


async def test_a_switch_renamed_and_removed_before_is_named_as_they_named_it(
    hass: HomeAssistant,
) -> None:
    """The household named a switch themselves, then removed it, then set it up.

    Home Assistant keeps the name they gave it, and the repair uses it.
    """
    await async_setup_house(hass)
    registry = er.async_get(hass)
    old = registry.async_get_or_create("switch", "fritz", "deflection-1")
    registry.async_update_entity(old.entity_id, name="Anrufweiterleitung")
    registry.async_remove(old.entity_id)
    entry = await async_add_household(hass, forwarding_switches=[old.entity_id])
    placeholders = missing(hass, entry, old.entity_id).translation_placeholders
    assert placeholders == {"target": "Anrufweiterleitung", "name": "Partner time"}


async def test_fix_flow_explains_and_opens_the_settings_where_it_is_chosen(
    hass: HomeAssistant, hass_client: ClientFactory
) -> None:
    """Fixing the missing scene shows what is missing, then the lights step.

    The issue stays until the settings no longer miss it.
    """
    assert await async_setup_component(hass, "repairs", {})
    await async_setup_house(hass)
    entry = await async_add_household(hass, scene="scene.romantic")
    issue_id = f"missing_target_{entry.entry_id}_scene.romantic"

    first, after = await fix(hass_client, issue_id, {})
    assert first["type"] == "form"
    assert first["step_id"] == "confirm"
    assert first["description_placeholders"] == {
        "target": "scene.romantic",
        "name": "Partner time",
    }
    assert after["type"] == "abort"
    assert after["reason"] == "open_settings"
    flow_type, flow_id = after["next_flow"]
    assert flow_type == "options_flow"
    options = hass.config_entries.options.async_get(flow_id)
    assert options["handler"] == entry.entry_id
    assert options["step_id"] == "house"
    assert missing(hass, entry, "scene.romantic").is_fixable


async def test_choosing_another_scene_in_the_fix_clears_the_issue(
    hass: HomeAssistant, hass_client: ClientFactory
) -> None:
    """The household follows the fix into the settings and picks the dinner scene.

    Saved, the issue of the scene they never had is gone, with nothing else to do.
    """
    assert await async_setup_component(hass, "repairs", {})
    await async_setup_house(hass)
    entry = await async_add_household(hass, scene="scene.romantic")
    _, after = await fix(
        hass_client, f"missing_target_{entry.entry_id}_scene.romantic", {}
    )
    saved = await hass.config_entries.options.async_configure(
        after["next_flow"][1], {"scene": SCENE, "restore_lights": True}
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    assert saved["type"] == "create_entry"
    assert entry.options["scene"] == SCENE
    assert issues_of(hass, entry) == set()


async def test_a_missing_phone_opens_the_phones_own_settings(
    hass: HomeAssistant, hass_client: ClientFactory
) -> None:
    """An old phone's notify action: the fix opens that phone's edit flow.

    Their new phone is known to Home Assistant, so they can choose it there.
    """
    assert await async_setup_component(hass, "repairs", {})
    await async_setup_house(hass)
    add_phone(hass, "Pixel 9")
    old = "notify.mobile_app_old_phone"
    entry = await async_add_household(hass, phones=[{"notify": PIXEL}, {"notify": old}])
    set_missing_target(hass, entry.entry_id, entry.title, old, missing=True)
    _, after = await fix(hass_client, f"missing_target_{entry.entry_id}_{old}", {})
    flow_type, flow_id = after["next_flow"]
    assert flow_type == "config_subentries_flow"
    editing = hass.config_entries.subentries.async_get(flow_id)
    assert editing["step_id"] == "reconfigure"
    phone = entry.subentries[editing["context"]["subentry_id"]]
    assert phone.data["notify"] == old


async def test_without_a_phone_to_choose_the_settings_menu_opens(
    hass: HomeAssistant, hass_client: ClientFactory
) -> None:
    """No phone is known to choose instead: the options' menu, which lists the phones."""
    assert await async_setup_component(hass, "repairs", {})
    await async_setup_house(hass)
    old = "notify.mobile_app_old_phone"
    entry = await async_add_household(hass, phones=[{"notify": old}])
    set_missing_target(hass, entry.entry_id, entry.title, old, missing=True)
    _, after = await fix(hass_client, f"missing_target_{entry.entry_id}_{old}", {})
    flow_type, flow_id = after["next_flow"]
    assert flow_type == "options_flow"
    assert hass.config_entries.options.async_get(flow_id)["step_id"] == "init"


async def test_fix_flow_of_a_deleted_household_says_so(
    hass: HomeAssistant, hass_client: ClientFactory
) -> None:
    """An issue of a household that is gone cannot open its settings."""
    assert await async_setup_component(hass, "repairs", {})
    await async_setup_house(hass)
    await async_add_household(hass)
    set_missing_target(hass, "gone", "Old flat", "scene.romantic", missing=True)
    first, _ = await fix(hass_client, "missing_target_gone_scene.romantic", None)
    assert first["type"] == "abort"
    assert first["reason"] == "household_gone"


async def test_issues_follow_the_settings(hass: HomeAssistant) -> None:
    """The household drops the scene it never had, and the issue goes with it.

    `sync_missing_targets` is what the engine calls on every settings change.
    """
    await async_setup_house(hass)
    entry = await async_add_household(
        hass, scene="scene.romantic", forwarding_switches=["switch.old_forwarding"]
    )
    assert issues_of(hass, entry) == {
        f"missing_target_{entry.entry_id}_scene.romantic",
        f"missing_target_{entry.entry_id}_switch.old_forwarding",
    }
    targets = entry.runtime_data.engine.settings.targets()
    targets.remove("scene.romantic")
    sync_missing_targets(
        hass, entry.entry_id, entry.title, targets, {"switch.old_forwarding"}
    )
    assert issues_of(hass, entry) == {
        f"missing_target_{entry.entry_id}_switch.old_forwarding"
    }
    # the old switch comes back: its issue goes too
    sync_missing_targets(hass, entry.entry_id, entry.title, targets, set())
    assert issues_of(hass, entry) == set()


async def test_deleting_a_household_removes_its_issues(hass: HomeAssistant) -> None:
    """Deleted, the household leaves no repair behind; another household keeps its own."""
    await async_setup_house(hass)
    gone = await async_add_household(hass, scene="scene.romantic")
    kept = await async_add_household(
        hass, title="Grandparents", scene="scene.candlelight"
    )
    raise_start_loop(hass, gone.entry_id, {"name": "Partner time"})
    assert len(issues_of(hass, gone)) == 2

    assert await hass.config_entries.async_remove(gone.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert issues_of(hass, gone) == set()
    assert issues_of(hass, kept) == {
        f"missing_target_{kept.entry_id}_scene.candlelight"
    }
    assert state(hass, DEFLECTION) == "off"


async def test_clearing_takes_every_kind_of_issue(hass: HomeAssistant) -> None:
    """A damaged store, a start loop and missing targets all go."""
    await async_setup_house(hass)
    entry = await async_add_household(hass, scene="scene.romantic")
    raise_corrupt_store(hass, entry.entry_id, entry.title, "bad json")
    raise_start_loop(hass, entry.entry_id, {"name": entry.title})
    assert len(issues_of(hass, entry)) == 3
    async_clear_issues(hass, entry.entry_id)
    assert issues_of(hass, entry) == set()
