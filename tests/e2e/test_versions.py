"""The version matrix: each Home Assistant we claim runs the demo without deprecations.

Runs after the other end-to-end tests of the same version (pytest keeps the file
order within a version), so the log it reads holds the start, the services, the
config flows and the browser's dialogs. Python's DeprecationWarnings are shown in that
log (running.WARNINGS), and HA's own notices ("... is deprecated", "will stop working",
"is being removed") name the integration they concern.
"""

from __future__ import annotations

import asyncio
import json
import re
from typing import TYPE_CHECKING

import aiohttp

from .running import login

if TYPE_CHECKING:
    from .running import HaVersion, RunningHass

DEPRECATION = re.compile(
    r"DeprecationWarning|deprecat|will stop working|is being removed|no longer supported",
    re.IGNORECASE,
)
OURS = re.compile(r"partner[_ ]time", re.IGNORECASE)


def deprecations(log: str) -> list[str]:
    """Return the log's deprecation notices that concern Partner Time.

    A Python warning takes two lines (where, then the source line); a notice counts
    when it or the line after it names Partner Time.
    """
    lines = log.splitlines()
    return [
        line
        for index, line in enumerate(lines)
        if DEPRECATION.search(line)
        and (OURS.search(line) or OURS.search("".join(lines[index + 1 : index + 2])))
    ]


def test_deprecations_are_found() -> None:
    """The filter sees the notices HA and Python write, and only ours."""
    frame = "2026-12-01 WARNING (MainThread) [homeassistant.helpers.frame]"
    warnings = "2026-12-01 WARNING (MainThread) [py.warnings]"
    log = "\n".join(
        [
            (
                f"{frame} Detected that custom integration 'partner_time' calls X, "
                "which is deprecated"
            ),
            (
                f"{warnings} /c/custom_components/partner_time/engine.py:10: "
                "DeprecationWarning: utcnow() is deprecated"
            ),
            f"{warnings} /x/site-packages/aiohttp/web.py:3: DeprecationWarning: y",
            "  from custom_components.partner_time import engine",
            (
                "2026-12-01 WARNING (MainThread) [homeassistant.components.zha] The option "
                "foo is deprecated and will stop working in 2027.1"
            ),
        ]
    )
    found = deprecations(log)
    assert len(found) == 3, found
    assert "zha" not in "".join(found)


async def _running_version(url: str) -> str:
    async with aiohttp.ClientSession() as session:
        token = (await login(session, url))["access_token"]
        async with session.get(
            f"{url}/api/config", headers={"Authorization": f"Bearer {token}"}
        ) as resp:
            return str((await resp.json())["version"])


def test_runs_on_the_claimed_version_without_deprecations(
    running_hass: RunningHass, ha_version: HaVersion
) -> None:
    """The hass is the version of the matrix, and its log has no deprecation of ours."""
    loop = asyncio.new_event_loop()
    try:
        version = loop.run_until_complete(_running_version(running_hass.url))
    finally:
        loop.close()
    assert version == ha_version.version
    log = (running_hass.config_dir / "hass.out").read_text(errors="replace")
    assert "Partner Time" in log or "partner_time" in log, "the log does not know us"
    found = deprecations(log)
    assert not found, json.dumps(found, indent=1)
