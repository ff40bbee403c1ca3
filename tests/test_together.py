"""When partner time starts (issue #16): only when both are home, and when both agree.

Real `person` entities follow device trackers (a router tracker at home, as the
household's router integration reports it); the phones' push channel is mocked, and a
tap on a notification action is fired as the companion app fires it
(`mobile_app_notification_action`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import Context
from homeassistant.exceptions import ServiceValidationError
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import async_capture_events

from custom_components.partner_time.const import DOMAIN

from .common import attr, jump, state
from .household import (
    CANDLES,
    GALAXY,
    PIXEL,
    assert_restored,
    async_add_household,
    async_setup_house,
)

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import (
        MockConfigEntry,
        MockUser,
    )

SWITCH = "switch.partner_time"
STATUS = "sensor.partner_time_status"
ENDS = "sensor.partner_time_ends_at"
EVERY_DAY = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DINNER = {"name": "Dinner", "days": EVERY_DAY, "start": "18:30", "end": "19:30"}
ANNA, BEN = "person.anna", "person.ben"
ANNA_PHONE, BEN_PHONE = "device_tracker.pixel_8", "device_tracker.galaxy"


@pytest.fixture(autouse=True)
async def berlin(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Berlin, a Monday afternoon in June."""
    await hass.config.async_set_time_zone("Europe/Berlin")
    freezer.move_to("2026-06-01T17:00:00+02:00")


async def people(hass: HomeAssistant, anna_user: str | None = None) -> None:
    """Anna and Ben, each followed by their phone's router tracker; both home."""
    anna: dict[str, Any] = {
        "id": "anna",
        "name": "Anna",
        "device_trackers": [ANNA_PHONE],
    }
    if anna_user:
        anna["user_id"] = anna_user
    ben = {"id": "ben", "name": "Ben", "device_trackers": [BEN_PHONE]}
    assert await async_setup_component(hass, "person", {"person": [anna, ben]})
    await be(hass, ANNA_PHONE, "home")
    await be(hass, BEN_PHONE, "home")


async def be(hass: HomeAssistant, tracker: str, where: str) -> None:
    """Let a phone's router tracker report home or away (not_home)."""
    hass.states.async_set(tracker, where, {"source_type": "router"})
    await hass.async_block_till_done(wait_background_tasks=True)


async def household(hass: HomeAssistant, **changes: Any) -> MockConfigEntry:
    """Add the household: Dinner daily, both people, everyone must be home."""
    options: dict[str, Any] = {
        "windows": [DINNER],
        "lead_time": 0,
        "people": [ANNA, BEN],
        "presence": "all",
    }
    return await async_add_household(hass, **{**options, **changes})


# -- presence ------------------------------------------------------------------------


async def test_dinner_waits_for_ben_who_comes_home_late(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Ben is still out at 18:30: dinner waits and says for whom; he comes at 18:50."""
    phones = await async_setup_house(hass)
    await people(hass)
    await household(hass)
    await be(hass, BEN_PHONE, "not_home")
    await jump(hass, freezer, "2026-06-01T18:30:00+02:00")
    assert state(hass, SWITCH) == "off"
    assert state(hass, STATUS) == "waiting"
    assert attr(hass, STATUS, "missing") == ["Ben"]
    assert phones.commands(PIXEL) == []
    await jump(hass, freezer, "2026-06-01T18:50:00+02:00")
    await be(hass, BEN_PHONE, "home")
    assert state(hass, SWITCH) == "on"
    assert state(hass, ENDS) == "2026-06-01T17:30:00+00:00"  # until the agreed end
    assert state(hass, CANDLES) == "on"
    assert phones.commands(PIXEL) == ["priority_only"]
    await jump(hass, freezer, "2026-06-01T19:30:00+02:00")
    assert state(hass, SWITCH) == "off"
    assert phones.commands(PIXEL) == ["priority_only", "off"]


async def test_the_status_names_the_agreed_time_it_waits_for(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Repro: waiting for Ben at dinner, the status named the evening walk after it."""
    await async_setup_house(hass)
    await people(hass)
    walk = {**DINNER, "name": "Evening walk", "start": "21:00", "end": "21:30"}
    await household(hass, windows=[DINNER, walk])
    await be(hass, BEN_PHONE, "not_home")
    await jump(hass, freezer, "2026-06-01T18:30:00+02:00")
    assert state(hass, STATUS) == "waiting"
    assert attr(hass, STATUS, "window") == "Dinner"
    assert attr(hass, SWITCH, "window") == "Dinner"
    await jump(hass, freezer, "2026-06-01T19:30:00+02:00")  # dinner is over: next up
    assert state(hass, STATUS) == "idle"
    assert attr(hass, STATUS, "window") == "Evening walk"


async def test_leaving_mid_dinner_ends_it_and_coming_back_resumes(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Anna is called away at 18:45 (full restore, reason away), back at 19:00."""
    phones = await async_setup_house(hass)
    await people(hass)
    await household(hass)
    ended = async_capture_events(hass, "partner_time_ended")
    await jump(hass, freezer, "2026-06-01T18:30:00+02:00")
    assert state(hass, SWITCH) == "on"
    await jump(hass, freezer, "2026-06-01T18:45:00+02:00")
    await be(hass, ANNA_PHONE, "not_home")
    assert state(hass, SWITCH) == "off"
    assert ended[0].data["reason"] == "away"
    assert_restored(hass, phones, GALAXY, PIXEL)
    assert attr(hass, STATUS, "missing") == ["Anna"]
    await jump(hass, freezer, "2026-06-01T19:00:00+02:00")
    await be(hass, ANNA_PHONE, "home")
    assert state(hass, SWITCH) == "on"  # the rest of dinner
    assert phones.commands(GALAXY) == ["priority_only", "off", "priority_only"]
    await jump(hass, freezer, "2026-06-01T19:30:00+02:00")
    assert state(hass, SWITCH) == "off"


async def test_an_unavailable_person_counts_as_away_and_any_is_enough(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A tracker that went unavailable is not home; with `any`, one person is enough."""
    await async_setup_house(hass)
    await people(hass)
    entry = await household(hass)
    await be(hass, ANNA_PHONE, "unavailable")
    await be(hass, BEN_PHONE, "unavailable")
    await jump(hass, freezer, "2026-06-01T18:30:00+02:00")
    assert state(hass, STATUS) == "waiting"
    assert attr(hass, STATUS, "missing") == ["Anna", "Ben"]
    hass.config_entries.async_update_entry(
        entry, options={**entry.options, "presence": "any"}
    )
    await hass.async_block_till_done()
    assert state(hass, SWITCH) == "off"
    await be(hass, BEN_PHONE, "home")
    assert state(hass, SWITCH) == "on"


async def test_a_start_by_hand_ignores_presence(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Nobody is home for the schedule, but a start by hand runs its full hour."""
    await async_setup_house(hass)
    await people(hass)
    await household(hass)
    await be(hass, ANNA_PHONE, "not_home")
    await hass.services.async_call(DOMAIN, "start", {}, blocking=True)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert state(hass, SWITCH) == "on"
    await jump(hass, freezer, "2026-06-01T17:30:00+02:00")
    assert state(hass, SWITCH) == "on"
    await jump(hass, freezer, "2026-06-01T18:00:00+02:00")
    assert state(hass, SWITCH) == "off"


async def test_waiting_survives_a_restart_and_a_missing_person_is_a_repair(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """HA restarts while dinner waits for Ben; a person that does not exist is reported."""
    await async_setup_house(hass)
    await people(hass)
    entry = await household(hass, people=[ANNA, BEN, "person.carla"])
    await be(hass, BEN_PHONE, "not_home")
    await jump(hass, freezer, "2026-06-01T18:30:00+02:00")
    assert state(hass, STATUS) == "waiting"
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert state(hass, STATUS) == "waiting"
    assert attr(hass, STATUS, "missing") == ["Ben", "person.carla"]
    from homeassistant.helpers import issue_registry as ir  # noqa: PLC0415

    issues = [i for (d, i) in ir.async_get(hass).issues if d == DOMAIN]
    assert any("person.carla" in issue for issue in issues)


# -- agreement -------------------------------------------------------------------------


async def test_anna_proposes_and_ben_taps_yes_on_his_phone(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: MockUser
) -> None:
    """Anna asks from the dashboard for an hour; Ben's phone asks him; he taps Yes."""
    phones = await async_setup_house(hass)
    await people(hass, anna_user=hass_admin_user.id)
    await household(hass)
    proposed = async_capture_events(hass, "partner_time_proposed")
    accepted = async_capture_events(hass, "partner_time_accepted")
    started = async_capture_events(hass, "partner_time_started")
    await hass.services.async_call(
        DOMAIN,
        "propose",
        {"duration": "01:00:00", "message": "Balcony?"},
        blocking=True,
        context=Context(user_id=hass_admin_user.id),
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    assert state(hass, STATUS) == "proposed"
    assert attr(hass, STATUS, "proposed_by") == "Anna"  # the person, not the login
    assert attr(hass, STATUS, "proposed_until") == "2026-06-01T15:15:00+00:00"
    question = phones.received[GALAXY][-1]
    assert question["data"]["tag"].startswith("partner_time_proposal_")
    entry_id = proposed[0].data["entry_id"]
    assert [a["action"] for a in question["data"]["actions"]] == [
        f"PARTNER_TIME_ACCEPT_{entry_id}",
        f"PARTNER_TIME_DECLINE_{entry_id}",
    ]
    assert question["message"].endswith("Balcony?")

    hass.bus.async_fire(
        "mobile_app_notification_action",
        {"action": f"PARTNER_TIME_ACCEPT_{entry_id}", "device_id": "galaxy"},
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    assert state(hass, SWITCH) == "on"
    assert started[0].data["source"] == "agreed"
    assert len(accepted) == 1
    assert state(hass, ENDS) == "2026-06-01T16:00:00+00:00"
    assert state(hass, STATUS) == "active"
    # the question is cleared on every phone; Anna's phone hears the yes
    clear = {"message": "clear_notification", "data": {"tag": question["data"]["tag"]}}
    assert clear in phones.received[GALAXY]
    assert clear in phones.received[PIXEL]
    assert phones.received[PIXEL][-1]["message"] == "Yes! Partner time until 18:00."
    # a second tap (the other phone) changes nothing
    hass.bus.async_fire(
        "mobile_app_notification_action",
        {"action": f"PARTNER_TIME_ACCEPT_{entry_id}"},
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    assert len(accepted) == 1


async def test_a_proposal_declined_by_action_and_one_that_lapses(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A no from the dashboard; then a proposal nobody answers lapses after 15 min."""
    await async_setup_house(hass)
    await people(hass)
    await household(hass)
    declined = async_capture_events(hass, "partner_time_declined")
    lapsed = async_capture_events(hass, "partner_time_lapsed")
    await hass.services.async_call(DOMAIN, "propose", {}, blocking=True)
    await hass.services.async_call(DOMAIN, "decline", {}, blocking=True)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert len(declined) == 1
    assert state(hass, SWITCH) == "off"
    assert state(hass, STATUS) == "idle"
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(DOMAIN, "accept", {}, blocking=True)
    assert err.value.translation_key == "nothing_proposed"

    await hass.services.async_call(DOMAIN, "propose", {}, blocking=True)
    await jump(hass, freezer, "2026-06-01T17:14:00+02:00")
    assert state(hass, STATUS) == "proposed"
    await jump(hass, freezer, "2026-06-01T17:15:00+02:00")
    assert state(hass, STATUS) == "idle"
    assert len(lapsed) == 1
    assert state(hass, SWITCH) == "off"


async def test_a_pending_proposal_survives_a_restart_and_is_accepted_after(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """HA restarts while Ben has not answered; his Yes afterwards still counts."""
    await async_setup_house(hass)
    await people(hass)
    entry = await household(hass)
    await hass.services.async_call(
        DOMAIN, "propose", {"duration": {"minutes": 30}}, blocking=True
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert state(hass, STATUS) == "proposed"
    hass.bus.async_fire(
        "mobile_app_notification_action",
        {"action": f"PARTNER_TIME_ACCEPT_{entry.entry_id}"},
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    assert state(hass, SWITCH) == "on"
    assert state(hass, ENDS) == "2026-06-01T15:30:00+00:00"
    await hass.services.async_call(
        "switch", "turn_off", {ATTR_ENTITY_ID: SWITCH}, blocking=True
    )


async def test_choosing_the_people_in_configure(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Configure → People and proposals: Anna and Ben, everyone home, 10 minutes."""
    await async_setup_house(hass)
    await people(hass)
    entry = await async_add_household(hass, windows=[DINNER], lead_time=0)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "together"}
    )
    assert result["step_id"] == "together"
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {"people": [ANNA, BEN], "presence": "all", "proposal_timeout": 10},
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    assert entry.options["people"] == [ANNA, BEN]
    assert entry.options["proposal_timeout"] == 10
    await be(hass, BEN_PHONE, "not_home")
    await jump(hass, freezer, "2026-06-01T18:30:00+02:00")
    assert state(hass, STATUS) == "waiting"  # applied in place, no reload
