"""2. Fan-out: ten slow targets at once.

Ten phones whose push takes 200 ms of real time each (the mocked notify action waits on
a thread timer, so the wait is real although freezer has frozen the loop's clock). Four
households in one HA, each started by its own timer every simulated day:

* Partner Time with 1 phone (10:00) and with the 10 phones (11:00);
* baseline: a schedule helper + automation with 1 notify action (12:00), and one with
  the 10 notify actions in a plain sequence (13:00).

Measured: from the timer firing to the last push having returned (the session fully
applied), median of the days. Goal: Partner Time's 10 phones within 1.2 × its single
phone's time; a sequential automation needs about 10 ×.
"""

# ruff: noqa: S101 - a benchmark checks that the transitions did what they should
# ruff: noqa: RUF001, RUF002 - the multiplication sign is meant

from __future__ import annotations

from datetime import date, time, timedelta
from typing import TYPE_CHECKING

import pytest
from homeassistant.setup import async_setup_component

from benchmarks.harness import (
    TZ,
    Expect,
    Phones,
    Stopwatch,
    async_transition,
    at,
    automation,
    daily,
    dnd_action,
    join_sleepers,
    scaled,
    schedule_helper,
)
from benchmarks.report import record
from benchmarks.stats import median
from custom_components.partner_time.const import WEEKDAYS
from tests.common import jump
from tests.household import async_add_household

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant

DELAY = 0.2
TARGETS = 10
DAYS = scaled(7)
FIRST_DAY = date(2026, 6, 2)
PHONES = [f"notify.mobile_app_phone_{index}" for index in range(TARGETS)]
GOAL = 1.2


async def _add_ours(
    hass: HomeAssistant, title: str, phones: list[str], hour: int
) -> None:
    await async_add_household(
        hass,
        title=title,
        windows=[
            {
                "name": title,
                "days": list(WEEKDAYS),
                "start": f"{hour:02}:00",
                "end": f"{hour:02}:30",
            }
        ],
        phones=[{"notify": phone} for phone in phones],
        scene=None,
        forwarding_switches=[],
        start_scripts=[],
        end_scripts=[],
        call_sensors=[],
        lead_time=0,
    )


@pytest.mark.parametrize("expected_lingering_timers", [True])
async def bench_fan_out(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, watch: Stopwatch
) -> None:
    """Time 1 and 10 slow phones: Partner Time side by side, the automation in turn."""
    await hass.config.async_set_time_zone(TZ)
    freezer.move_to(at(FIRST_DAY - timedelta(days=1), 9))
    assert await async_setup_component(hass, "homeassistant", {})
    phones = Phones(hass, watch)
    for phone in PHONES:
        phones.add(phone, delay=DELAY)

    await _add_ours(hass, "Fan out one", PHONES[:1], 10)
    await _add_ours(hass, "Fan out ten", PHONES, 11)
    helpers = {
        "fan_out_one": schedule_helper("Fan out one", daily(time(12), time(12, 30))),
        "fan_out_ten": schedule_helper("Fan out ten", daily(time(13), time(13, 30))),
    }
    assert await async_setup_component(hass, "schedule", {"schedule": helpers})
    automations = [
        automation(name, f"schedule.{name}", [dnd_action(p) for p in targets])
        for name, targets in (("fan_out_one", PHONES[:1]), ("fan_out_ten", PHONES))
    ]
    assert await async_setup_component(hass, "automation", {"automation": automations})
    await hass.async_block_till_done()

    times: dict[str, list[float]] = {}
    for offset in range(DAYS):
        day = FIRST_DAY + timedelta(days=offset)
        for name, hour, targets in (
            ("ours 1", 10, PHONES[:1]),
            ("ours 10", 11, PHONES),
            ("base 1", 12, PHONES[:1]),
            ("base 10", 13, PHONES),
        ):
            lap = await async_transition(
                hass, freezer, at(day, hour), watch, Expect.of(targets, phones=targets)
            )
            times.setdefault(name, []).append(lap.applied)
            await jump(hass, freezer, at(day, hour, 30))
    join_sleepers()

    ours1, ours10 = median(times["ours 1"]), median(times["ours 10"])
    base1, base10 = median(times["base 1"]), median(times["base 10"])
    record(
        "fanout",
        f"{TARGETS} phones × {DELAY * 1000:.0f} ms: timer → all pushes returned",
        ours10 * 1000,
        base10 * 1000,
    )
    record(
        "fanout",
        f"1 phone × {DELAY * 1000:.0f} ms: timer → push returned",
        ours1 * 1000,
        base1 * 1000,
    )
    record(
        "fanout",
        f"{TARGETS} phones ÷ 1 phone (× one target's time)",
        ours10 / ours1,
        base10 / base1,
        unit="",
        goal=f"PT ≤ {GOAL}",
        met=ours10 / ours1 <= GOAL,
    )
    record(
        "fanout",
        f"{TARGETS} phones ÷ {DELAY * 1000:.0f} ms (× the target's own time)",
        ours10 / DELAY,
        base10 / DELAY,
        unit="",
        goal=f"PT ≤ {GOAL}",
        met=ours10 / DELAY <= GOAL,
    )
