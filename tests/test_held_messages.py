"""Messages that can wait (issue #17): held during dinner, delivered when it is over.

Automations that should not interrupt dinner send to `notify.partner_time_later`
with `notify.send_message`. Outside partner time the message goes out at once; during
it, it waits (across a restart) and goes out with the end message, once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.exceptions import ServiceValidationError

from custom_components.partner_time.held import MAX_HELD, MAX_LENGTH

from .common import attr, jump, state
from .household import GALAXY, PIXEL, async_add_household, async_setup_house

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant

    from .household import Phones

LATER = "notify.partner_time_later"
HOUSEHOLD = "notify.household"
EVERY_DAY = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DINNER = {"name": "Dinner", "days": EVERY_DAY, "start": "18:30", "end": "19:30"}


@pytest.fixture(autouse=True)
async def berlin(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Berlin, a Monday afternoon in June."""
    await hass.config.async_set_time_zone("Europe/Berlin")
    freezer.move_to("2026-06-01T17:00:00+02:00")


async def household(hass: HomeAssistant, **changes: Any) -> Phones:
    """Set up the house and a household whose messages go to notify.household."""
    phones = await async_setup_house(hass)
    phones.add(HOUSEHOLD)
    options: dict[str, Any] = {"windows": [DINNER], "lead_time": 0}
    options["notify"] = HOUSEHOLD
    options.update(changes)
    await async_add_household(hass, **options)
    return phones


async def send(hass: HomeAssistant, message: str, title: str | None = None) -> None:
    """Send a message that can wait, as an automation does."""
    data = {"entity_id": LATER, "message": message}
    if title is not None:
        data["title"] = title
    await hass.services.async_call("notify", "send_message", data, blocking=True)
    await hass.async_block_till_done(wait_background_tasks=True)


def texts(phones: Phones, notify: str = HOUSEHOLD) -> list[str]:
    """Return what arrived on a notify target, in order."""
    return [call["message"] for call in phones.received[notify]]


async def test_a_message_waits_until_dinner_is_over(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The washing machine at 17:30 says so at once; at 18:40 and 19:05 it waits."""
    phones = await household(hass)
    await send(hass, "The washing is done", "Washing machine")
    assert texts(phones) == ["The washing is done"]
    assert phones.received[HOUSEHOLD][0]["title"] == "Washing machine"

    await jump(hass, freezer, "2026-06-01T18:40:00+02:00")
    await send(hass, "The dryer is done", "Dryer")
    await jump(hass, freezer, "2026-06-01T19:05:00+02:00")
    await send(hass, "A parcel is at the door")
    assert texts(phones) == [
        "The washing is done",
        "Partner time until 19:30: the phones are away.",
    ]
    assert attr(hass, LATER, "held_messages") == 2

    await jump(hass, freezer, "2026-06-01T19:30:00+02:00")
    assert state(hass, "switch.partner_time") == "off"
    assert texts(phones)[2:] == [
        (
            "Partner time is over.\n"
            "While you were together: 2 messages\n"
            "18:40 Dryer: The dryer is done\n"
            "19:05 A parcel is at the door"
        )
    ]
    assert attr(hass, LATER, "held_messages") == 0
    await send(hass, "The dishwasher is done")  # after dinner: at once
    assert texts(phones)[-1] == "The dishwasher is done"


async def test_held_messages_survive_a_restart_and_go_out_once(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """HA restarts at 19:00 and again at 19:45: the messages go out once, at 19:30."""
    phones = await household(hass, held_delivery="each")
    entry = hass.config_entries.async_entries("partner_time")[0]
    await jump(hass, freezer, "2026-06-01T18:40:00+02:00")
    await send(hass, "The dryer is done", "Dryer")
    await send(hass, "A parcel is at the door")
    await jump(hass, freezer, "2026-06-01T19:00:00+02:00")
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert attr(hass, LATER, "held_messages") == 2
    await jump(hass, freezer, "2026-06-01T19:30:00+02:00")
    assert texts(phones)[-3:] == [
        "Partner time is over.",
        "The dryer is done",
        "A parcel is at the door",
    ]
    assert phones.received[HOUSEHOLD][-2]["title"] == "Dryer"
    assert phones.received[HOUSEHOLD][-1]["title"] == "Partner time"
    count = len(texts(phones))
    await jump(hass, freezer, "2026-06-01T19:45:00+02:00")
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert len(texts(phones)) == count


async def test_deleting_the_household_delivers_what_it_held(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Deleted during dinner: the held message is not lost."""
    phones = await household(hass)
    entry = hass.config_entries.async_entries("partner_time")[0]
    await jump(hass, freezer, "2026-06-01T18:40:00+02:00")
    await send(hass, "The dryer is done")
    await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert texts(phones)[-1] == (
        "While you were together: 1 message\n18:40 The dryer is done"
    )


async def test_the_limits_of_what_is_held(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """An automation gone wild: 105 messages, one of them 1,500 characters long."""
    phones = await household(hass)
    await jump(hass, freezer, "2026-06-01T18:40:00+02:00")
    await send(hass, "x" * 1500)
    for number in range(1, MAX_HELD + 5):
        await send(hass, f"Message {number}")
    assert attr(hass, LATER, "held_messages") == MAX_HELD + 5
    await jump(hass, freezer, "2026-06-01T19:30:00+02:00")
    summary = texts(phones)[-1].split("\n")
    assert summary[:3] == [
        "Partner time is over.",
        "While you were together: 105 messages",
        "(5 older ones left out)",
    ]
    assert summary[3] == "18:40 Message 5"
    assert summary[-1] == f"18:40 Message {MAX_HELD + 4}"
    assert len(summary) == 3 + MAX_HELD


async def test_one_long_message_is_cut(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A message of 1,500 characters is held as its first 1,000."""
    phones = await household(hass, held_delivery="each")
    await jump(hass, freezer, "2026-06-01T18:40:00+02:00")
    await send(hass, "y" * 1500)
    await jump(hass, freezer, "2026-06-01T19:30:00+02:00")
    held = texts(phones)[-1]
    assert len(held) == MAX_LENGTH
    assert held.endswith("…")


async def test_without_a_household_action_the_phones_get_them(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """No messages action chosen: what waited goes to the household's phones."""
    phones = await household(hass, notify=None)
    await jump(hass, freezer, "2026-06-01T18:40:00+02:00")
    await send(hass, "The dryer is done")
    await jump(hass, freezer, "2026-06-01T19:30:00+02:00")
    for phone in (PIXEL, GALAXY):
        said = [text for text in texts(phones, phone) if text != "command_dnd"]
        assert said == ["While you were together: 1 message\n18:40 The dryer is done"]


async def test_nowhere_to_send_is_a_clear_error(hass: HomeAssistant) -> None:
    """No messages action and no phones: the automation is told, nothing is held."""
    await household(hass, notify=None, phones=[])
    with pytest.raises(ServiceValidationError) as err:
        await send(hass, "The dryer is done")
    assert err.value.translation_key == "no_message_target"
    assert attr(hass, LATER, "held_messages") == 0


async def test_a_german_household_gets_its_summary_in_german(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Auf Deutsch: "Während ihr zusammen wart: 1 Nachricht"."""
    hass.config.language = "de"
    phones = await household(hass)
    await jump(hass, freezer, "2026-06-01T18:40:00+02:00")
    await hass.services.async_call(
        "notify",
        "send_message",
        {
            "entity_id": "notify.partner_time_nachher",
            "message": "Die Wäsche ist fertig",
        },
        blocking=True,
    )
    await jump(hass, freezer, "2026-06-01T19:30:00+02:00")
    assert texts(phones)[-1] == (
        "Die Partnerzeit ist vorbei.\n"
        "Während ihr zusammen wart: 1 Nachricht\n"
        "18:40 Die Wäsche ist fertig"
    )
