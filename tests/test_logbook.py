"""The logbook says why partner time started and ended, in the household's language.

With HA's logbook and recorder set up, the household has dinner by the schedule, then
a start by hand from the dashboard (a signed-in user) that is stopped by hand again;
the logbook (the query its panel runs) shows what happened.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.components.logbook.helpers import async_determine_event_types
from homeassistant.components.logbook.processor import EventProcessor
from homeassistant.components.recorder import get_instance
from homeassistant.core import Context
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)

from custom_components.partner_time.const import DOMAIN
from custom_components.partner_time.logbook import (
    ENTRIES,
    describe_ended,
    describe_started,
)

from .common import jump
from .household import async_add_household, async_setup_house

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.auth.models import User
    from homeassistant.core import HomeAssistant


SWITCH = "switch.partner_time"
BEFORE = "2026-06-01T18:00:00+02:00"
REMINDER = "2026-06-01T18:25:00+02:00"
START = "2026-06-01T18:30:00+02:00"
END = "2026-06-01T19:30:00+02:00"
DAY = "2026-06-01T00:00:00+02:00"
EVENING = "2026-06-01T21:00:00+02:00"


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: Any,  # the recorder must come before hass
    enable_custom_integrations: None,
) -> None:
    """Let HA load custom integrations, with the recorder running."""


@pytest.fixture(autouse=True)
async def berlin(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Berlin, half an hour before dinner (18:30-19:30 every day), logbook on."""
    await hass.config.async_set_time_zone("Europe/Berlin")
    freezer.move_to(BEFORE)
    assert await async_setup_component(hass, "logbook", {})


async def entries(hass: HomeAssistant) -> list[dict[str, Any]]:
    """Return Partner Time's logbook entries of the day, as the logbook panel gets them.

    The same query the logbook's REST API and panel run (its EventProcessor).
    """
    await hass.async_block_till_done(wait_background_tasks=True)
    await async_wait_recording_done(hass)
    processor = EventProcessor(
        hass,
        async_determine_event_types(hass, None, None),
        None,
        None,
        None,
        timestamp=False,
        include_entity_name=True,
    )
    start, end = dt_util.parse_datetime(DAY), dt_util.parse_datetime(EVENING)
    assert start is not None
    assert end is not None
    found = await get_instance(hass).async_add_executor_job(
        processor.get_events, start, end
    )
    return [entry for entry in found if entry.get("domain") == DOMAIN]


async def test_dinner_by_the_schedule(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Dinner starts and ends by itself; the logbook says so on the household's switch."""
    await async_setup_house(hass)
    await async_add_household(hass)
    await jump(hass, freezer, REMINDER)
    await jump(hass, freezer, START)
    await jump(hass, freezer, END)

    found = await entries(hass)
    assert [(e["name"], e["message"], e["entity_id"]) for e in found] == [
        ("Partner time", "starts soon: Dinner at 18:30", SWITCH),
        ("Partner time", "started by the schedule for Dinner, until 19:30", SWITCH),
        ("Partner time", "ended: Dinner is over", SWITCH),
    ]


async def test_a_german_household_reads_german(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """On a German system the same evening reads in German, times with "Uhr"."""
    hass.config.language = "de"
    await async_setup_house(hass)
    await async_add_household(
        hass,
        title="Familie Müller",
        windows=[
            {"name": "Abendessen", "days": ["mon"], "start": "18:30", "end": "19:30"}
        ],
    )
    await jump(hass, freezer, REMINDER)
    await jump(hass, freezer, START)
    await jump(hass, freezer, END)

    messages = [e["message"] for e in await entries(hass)]
    assert messages == [
        "beginnt gleich: Abendessen um 18:30 Uhr",
        "für Abendessen nach Zeitplan gestartet, bis 19:30 Uhr",
        "beendet: Abendessen ist vorbei",
    ]


async def test_started_and_stopped_by_hand_from_the_dashboard(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_admin_user: User,
) -> None:
    """A start by hand outside the agreed times, then a stop: the user is named.

    The logbook attributes both entries to the signed-in user who pressed the buttons.
    """
    await async_setup_house(hass)
    await async_add_household(hass)
    await jump(hass, freezer, "2026-06-01T19:35:00+02:00")  # after dinner
    hass.states.async_set("sensor.fritz_box_call_monitor", "idle")
    dashboard = Context(user_id=hass_admin_user.id)
    await hass.services.async_call(
        DOMAIN,
        "start",
        {"entity_id": SWITCH, "duration": {"minutes": 30}},
        blocking=True,
        context=dashboard,
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    hass.states.async_set("sensor.fritz_box_call_monitor", "ringing", {"from": "0301"})
    hass.states.async_set("sensor.fritz_box_call_monitor", "idle")
    await jump(hass, freezer, "2026-06-01T19:45:00+02:00")
    await hass.services.async_call(
        DOMAIN,
        "stop",
        {"entity_id": SWITCH},
        blocking=True,
        context=Context(user_id=hass_admin_user.id),
    )

    found = (await entries(hass))[-3:]
    assert [e["message"] for e in found] == [
        "started by hand, until 20:05",
        "held back a call from 0301",
        "stopped by hand (1 call held back)",
    ]
    by_hand = [found[0], found[2]]
    assert {e.get("context_user_id") for e in by_hand} == {hass_admin_user.id}


async def test_a_call_held_back(hass: HomeAssistant) -> None:
    """The engine's event for a call held back reads with the caller's name."""
    await async_setup_house(hass)
    entry = await async_add_household(hass)
    for caller in ({"from": "0301", "from_name": "Mum"}, {"from": "0301"}, {}):
        hass.bus.async_fire(
            "partner_time_call_held",
            {"entry_id": entry.entry_id, "name": entry.title, **caller},
        )
    messages = [e["message"] for e in await entries(hass)]
    assert messages == [
        "held back a call from Mum",
        "held back a call from 0301",
        "held back a call from an unknown number",
    ]


async def test_an_event_without_its_time_is_still_described(
    hass: HomeAssistant,
) -> None:
    """An event with a damaged time (say, from an older version) still reads."""
    await async_setup_house(hass)
    entry = await async_add_household(hass)
    hass.bus.async_fire(
        "partner_time_started",
        {"entry_id": entry.entry_id, "name": entry.title, "source": "manual"},
    )
    messages = [e["message"] for e in await entries(hass)]
    assert messages == ["started by hand, until ?"]


@pytest.mark.parametrize(
    ("data", "english", "german"),
    [
        ({"source": "voice", "window": None}, "started by voice", "per Sprachbefehl"),
        ({"source": "agreed", "window": None}, "started as both agreed", "Zustimmung"),
        ({"source": "manual", "window": "Dinner"}, "by hand for Dinner", "für Dinner"),
        ({"source": "new_kind", "window": None}, "started, until", "gestartet, bis"),
    ],
)
async def test_every_source_is_said(
    data: dict[str, Any], english: str, german: str
) -> None:
    """Starts by voice, by agreement, by hand in an agreed time, and unknown ones."""
    assert english in describe_started(ENTRIES["en"], data, "19:30")
    assert german in describe_started(ENTRIES["de"], data, "19:30 Uhr")


@pytest.mark.parametrize(
    ("data", "english", "german"),
    [
        ({"reason": "expired"}, "ended: time is up", "beendet: die Zeit ist um"),
        ({"reason": "voice"}, "stopped by voice", "per Sprachbefehl beendet"),
        ({"reason": "deleted"}, "ended: household deleted", "Haushalt gelöscht"),
        ({"reason": "disabled"}, "household disabled", "Haushalt deaktiviert"),
        ({"reason": "away"}, "ended: someone left home", "nicht mehr zu Hause"),
        ({"reason": "schedule", "window": None}, "agreed time is over", "vorbei"),
        (
            {"reason": "manual", "missed_calls": 3},
            "stopped by hand (3 calls held back)",
            "von Hand beendet (3 Anrufe zurückgehalten)",
        ),
        ({"reason": "new_kind"}, "ended", "beendet"),
    ],
)
async def test_every_reason_is_said(
    data: dict[str, Any], english: str, german: str
) -> None:
    """Every way a session ends has its words in both languages."""
    assert english in describe_ended(ENTRIES["en"], data)
    assert german in describe_ended(ENTRIES["de"], data)
