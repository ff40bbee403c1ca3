"""See it work: the demo dashboard and the config flow in a real headless Chromium.

Uses the `hass` process that conftest.py starts once per session and Debian's
chromium (scripts/lib.sh installs it into the sid root; on a machine without it the
test is skipped, inside the sid root it fails). The browser is logged in as the demo
user the way the frontend keeps a login: the tokens of a real login flow are put into
the page's localStorage (`hassTokens`) before HA's scripts run.

What it checks on the rendered page (read with Runtime.evaluate, walking into the
shadow roots of HA's web components):

- the *Partner Time* dashboard shows the "Partner time" entities card with its rows, and
  the Status row shows the status sensor's state as the frontend translates it; Anna
  and Ben are shown at home next to the "Shall we?", "Accept" and "Decline" buttons;
- after `partner_time.start` over the REST API the same row turns to "Active" without a
  reload (the frontend's live WebSocket), and back after `partner_time.stop`;
- Settings → Devices & services → Add integration → Partner Time opens the first step
  of the config flow, "Set up Partner Time" with its fields.

Screenshots of each go to the test's tmp_path; with PARTNER_TIME_SCREENSHOTS=DIR the
two for the README are also written there (`PARTNER_TIME_SCREENSHOTS=docs scripts/test
-k "browser or dialogs"` refreshes docs/dashboard.png and docs/config_flow.png, and
test_dialogs.py's docs/subentries.png).
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Any

import pytest

from .chromium import JS_HELPERS
from .frontend import Page, logged_in, require_chromium, run_in_new_loop, screenshot_dir

if TYPE_CHECKING:
    from pathlib import Path

    from .running import RunningHass

SWITCH = "switch.partner_time"
STATUS = "sensor.partner_time_status"
RESTORED = {
    "switch.fritz_box_7590_call_deflection_0": "off",
    "sensor.demo_phone_do_not_disturb_sensor": "off",
    "light.dining_table": "off",
}
# How the frontend shows the status sensor's states (translations/en.json).
STATUS_TEXT = {
    "active": "Active",
    "upcoming": "Starting soon",
    "idle": "Idle",
    "paused": "Paused",
}

# The "Partner time" entities card: its text and the text of each of its rows.
PARTNER_TIME_CARD = f"""(() => {{
  {JS_HELPERS}
  const cards = deepFind(document, e => e.localName === "hui-entities-card");
  return cards.map(card => ({{
    text: squash(deepText(card)),
    rows: deepFind(card, e => e.localName.startsWith("hui-")
                           && e.localName.endsWith("-row")
                           && e.localName !== "hui-generic-entity-row")
      .map(row => squash(deepText(row))),
  }})).find(card => card.text.startsWith("Partner time")) || null;
}})()"""
CLICK_OK = f"""(() => {{
  {JS_HELPERS}
  const buttons = deepFind(document, e => ["ha-button", "mwc-button", "button"]
    .includes(e.localName) && squash(deepText(e)) === "OK");
  if (!buttons.length) return false;
  buttons[buttons.length - 1].click();
  return true;
}})()"""
FLOW_ID = f"""(() => {{
  {JS_HELPERS}
  const dialog = deepFind(document, e => e.localName === "dialog-data-entry-flow")[0];
  return dialog && dialog._step ? dialog._step.flow_id : null;
}})()"""
PAGE_TEXT = f"""(() => {{ {JS_HELPERS} return squash(deepText(document)); }})()"""


async def _status_row(page: Page, expected: str) -> dict[str, Any]:
    """Wait until the card's Status row shows expected; return the card."""

    def shows(card: dict[str, Any]) -> bool:
        return any(row == f"Status {expected}" for row in card["rows"])

    card: dict[str, Any] = await page.wait_for(
        f'the Partner time card with "Status {expected}"',
        PARTNER_TIME_CARD,
        shows,
    )
    return card


async def _until(what: str, check: Any, timeout: float = 15.0) -> None:  # noqa: ASYNC109
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        await asyncio.sleep(0.2)


async def _dashboard(page: Page, shots: Path) -> bytes:
    """Check the dashboard before, during and after partner time; return the PNG."""

    async def running() -> bool:
        if (await page.rest("GET", "/api/config")).get("state") != "RUNNING":
            return False
        states = await page.rest("GET", "/api/states")
        return STATUS in {state["entity_id"] for state in states}

    await _until("Home Assistant to run with Partner Time", running, 60)
    await page.browser.navigate(f"{page.url}/partner-time/dinner")
    status = await page.state(STATUS)
    card = await _status_row(page, STATUS_TEXT[status])
    rows = card["rows"]
    for name in ("Partner time now", "Follow the agreed times", "Calls held back"):
        assert any(row.startswith(name) for row in rows), (name, rows)
    assert not any("not available" in row.lower() for row in rows), rows
    # Together: Anna and Ben at home, and the "Shall we?" buttons.
    await page.wait_for(
        "Anna and Ben at home and the Shall we? buttons",
        PAGE_TEXT,
        lambda text: all(
            part in text
            for part in ("Anna Home", "Ben Home", "Shall we?", "Accept", "Decline")
        ),
    )
    title = await page.browser.evaluate("document.title")
    assert title.startswith("Partner Time"), title
    await page.settle(shots / "dashboard-before.png")

    await page.rest(
        "POST",
        "/api/services/partner_time/start",
        {"entity_id": SWITCH, "duration": "00:30:00"},
    )
    await _status_row(page, "Active")
    png = await page.settle(shots / "dashboard.png")

    await page.rest("POST", "/api/services/partner_time/stop", {"entity_id": SWITCH})

    async def restored() -> bool:
        states = {e: await page.state(e) for e in (SWITCH, STATUS, *RESTORED)}
        return states[SWITCH] == "off" and all(
            states[e] == value for e, value in RESTORED.items()
        )

    await _until("partner time to stop and the house to be put back", restored)
    await _status_row(page, STATUS_TEXT[await page.state(STATUS)])
    return png


async def _config_flow(page: Page, shots: Path) -> bytes:
    """Add integration → Partner Time shows the first step of the config flow."""
    await page.browser.navigate(
        f"{page.url}/config/integrations/dashboard/add?domain=partner_time"
    )
    await page.wait_for(
        "the question whether to set up Partner Time",
        PAGE_TEXT,
        lambda text: "Do you want to set up Partner Time?" in text,
    )
    clicked = await page.browser.evaluate(CLICK_OK)
    assert clicked, "no OK button in the dialog"
    expected = (
        "Set up Partner Time",
        "Household name",
        "Name of the agreed time",
        "Days",
    )
    await page.wait_for(
        "the first step of the config flow",
        PAGE_TEXT,
        lambda text: all(part in text for part in expected),
    )
    png = await page.settle(shots / "config_flow.png")
    # Leave no half-done flow behind in the shared hass.
    # Leave no half-done flow behind in the shared hass (the frontend's dialog holds
    # its id; a flow a user starts is not listed by config_entries/flow/progress).
    flow_id = await page.browser.evaluate(FLOW_ID)
    assert flow_id, "the config flow dialog has no flow"
    await page.rest("DELETE", f"/api/config/config_entries/flow/{flow_id}")
    return png


async def _scenario(executable: str, url: str, tmp_path: Path) -> dict[str, bytes]:
    async with logged_in(executable, url, tmp_path / "profile") as page:
        return {
            "dashboard.png": await _dashboard(page, tmp_path),
            "config_flow.png": await _config_flow(page, tmp_path),
        }


def test_dashboard_and_config_flow_in_chromium(
    running_hass: RunningHass, tmp_path: Path
) -> None:
    """The demo dashboard and the config flow render in a real browser."""
    executable = require_chromium()
    shots = run_in_new_loop(
        _scenario(executable, running_hass.url, tmp_path), 90, running_hass.log_tail
    )
    if (target := screenshot_dir()) is not None:
        target.mkdir(parents=True, exist_ok=True)
        for name, png in shots.items():
            (target / name).write_bytes(png)
