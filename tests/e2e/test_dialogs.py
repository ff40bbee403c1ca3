"""Every dialog of Partner Time, in a real browser, in English and in German.

A household as a new user meets it: in HA's frontend (headless Chromium, logged in as
the demo user, the frontend's language set to en, then de) the walker opens

- the config flow (Add integration → Partner Time), and sets up a household with it,
- that household's options flow (Configure), each branch of each menu,
- its reconfigure flow, and
- every subentry flow the entry offers (e.g. "Add agreed time", "Add phone"), and the
  reconfigure of one subentry of each type,

the way the integration page opens them (its own rows' handlers, so the real dialogs
open), and reads each step's dialog through the shadow DOM. Forms are submitted with
what the frontend pre-fills, plus an answer for every empty required field (by its
selector) and times half a day away; a step that comes back with errors is read too
(errors are dialogs as well) and answered once more with fresh values. Menus are
explored branch by branch (a fresh flow per branch).

It fails on any text that is not translated: "Translation" / "MISSING_VALUE" (the
frontend's formatjs error, e.g. a menu title whose placeholder it cannot fill), a raw
`component.partner_time.` key, or an unfilled `{placeholder}`; when a German step
shows the same text as in English; and when the demo phone (registered like the
companion app, demo_phone.py) is not offered where phones are chosen. The households it
makes are deleted again. Screenshots of each step go to the test's tmp_path; with
PARTNER_TIME_SCREENSHOTS=DIR the integration page with the demo household's subentries
is written there as subentries.png.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pytest

from .chromium import JS_HELPERS
from .demo_phone import DEVICE_NAME
from .frontend import logged_in, require_chromium, run_in_new_loop, screenshot_dir

if TYPE_CHECKING:
    from pathlib import Path

    from .frontend import Page
    from .running import RunningHass

DOMAIN = "partner_time"
LANGUAGES = ("en", "de")
MAX_STEPS = 15
UNTRANSLATED = re.compile(
    r"Translation|MISSING_VALUE|component\.partner_time\.|\{[a-z_]+\}"
)

# The dialog's current step, as the frontend holds it, and its text.
DIALOG = f"""(() => {{
  {JS_HELPERS}
  const dialog = deepFind(document, e => e.localName === "dialog-data-entry-flow")[0];
  if (!dialog || !dialog._params) return {{open: false}};  // closed: no params
  const step = dialog._step;
  if (!step || dialog._loading) return {{open: true, step: null}};
  // Each answer of the flow API is a new object: mark it to tell a new step (even the
  // same form again with the same errors) from the one already seen.
  step.__walker = step.__walker || String(Math.random());
  const body = deepFind(dialog, e => e.localName.startsWith("step-flow-"))
    .find(e => e.localName !== "step-flow-loading");
  return {{
    open: true,
    seen: step.__walker,
    step: {{
      type: step.type, step_id: step.step_id || null, flow_id: step.flow_id,
      errors: step.errors || null, menu_options: step.menu_options || null,
      data_schema: step.data_schema || null, reason: step.reason || null,
    }},
    rendered: body ? body.localName : null,
    data: body && body._stepDataProcessed ? body._stepDataProcessed : null,
    text: squash(deepText(dialog)),
  }};
}})()"""
SUBMIT = f"""(async (answers) => {{
  {JS_HELPERS}
  const form = deepFind(document, e => e.localName === "step-flow-form")[0];
  form._stepData = {{...form._stepDataProcessed, ...answers}};
  await form.submit();
  return true;
}})"""
CHOOSE = f"""((option) => {{
  {JS_HELPERS}
  const item = deepFind(document, e => e.localName.includes("item") && e.step === option)[0];
  if (!item) return false;
  item.click();
  return true;
}})"""
CLOSE = f"""(() => {{
  {JS_HELPERS}
  for (const d of deepFind(document, e => e.localName === "dialog-data-entry-flow")) d.closeDialog();
  return true;
}})()"""
CLICK_OK = f"""(() => {{
  {JS_HELPERS}
  const buttons = deepFind(document, e => ["ha-button", "mwc-button", "button"]
    .includes(e.localName) && squash(deepText(e)) === "OK");
  if (!buttons.length) return false;
  buttons[buttons.length - 1].click();
  return true;
}})()"""
# The integration page's rows of one entry: what they offer.
ENTRY_ROW = f"""((entryId) => {{
  {JS_HELPERS}
  const row = deepFind(document, e => e.localName === "ha-config-entry-row"
    && e.data && e.data.entry && e.data.entry.entry_id === entryId)[0];
  if (!row) return null;
  const entry = row.data.entry;
  const subs = deepFind(document, e => e.localName === "ha-config-sub-entry-row"
    && e.entry && e.entry.entry_id === entryId).map(e => e.data.subEntry);
  return {{
    options: entry.supports_options, reconfigure: entry.supports_reconfigure,
    subentry_types: entry.supported_subentry_types || {{}}, subentries: subs,
  }};
}})"""
# Open a dialog the way the row's buttons and menu items do.
OPEN = f"""((entryId, how, arg) => {{
  {JS_HELPERS}
  const row = deepFind(document, e => e.localName === "ha-config-entry-row"
    && e.data && e.data.entry && e.data.entry.entry_id === entryId)[0];
  if (!row) return false;
  if (how === "options") row._showOptions();
  else if (how === "reconfigure") row._handleReconfigure();
  else if (how === "subentry") row._addSubEntry(arg);
  else if (how === "subentry_reconfigure") {{
    const sub = deepFind(document, e => e.localName === "ha-config-sub-entry-row"
      && e.entry && e.entry.entry_id === entryId
      && e.data.subEntry.subentry_id === arg)[0];
    // The subentry rows render after the entry's row: not there yet, try again.
    if (!sub) return false;
    sub._handleReconfigureSub();
  }}
  return true;
}})"""
ROWS = f"""(() => {{
  {JS_HELPERS}
  return deepFind(document, e => e.localName === "ha-config-entry-row").length;
}})()"""


@dataclass
class Seen:
    """One dialog as the walker saw it."""

    flow: str
    path: tuple[str, ...]
    step: str
    text: str


@dataclass
class Walk:
    """What the walker saw in one language."""

    language: str
    seen: list[Seen] = field(default_factory=list)
    explored: set[tuple[str, str, str]] = field(default_factory=set)
    phone_offered: bool = False
    names: itertools.count[int] = field(default_factory=lambda: itertools.count(1))


def _times() -> tuple[str, str]:
    """Return a start and an end half a day from now, so nothing starts in the test."""
    start = datetime.now(ZoneInfo("Europe/Berlin")) + timedelta(hours=12)
    return start.strftime("%H:%M:00"), (start + timedelta(hours=1)).strftime("%H:%M:00")


def _answer(item: dict[str, Any], walk: Walk, times: list[str]) -> Any:
    """Return a value for a form field, by its selector; None to keep the pre-filled."""
    selector = item.get("selector") or {}
    if "time" in selector:
        return times.pop(0) if times else None
    if "text" in selector:
        return f"Dialogs {walk.language} {next(walk.names)}"
    if "select" in selector:
        options = selector["select"].get("options") or []
        values = [o["value"] if isinstance(o, dict) else o for o in options]
        if not values:
            return None
        return values[:1] if selector["select"].get("multiple") else values[0]
    if "number" in selector:
        return selector["number"].get("min", 1)
    return None


def _answers(
    schema: list[dict[str, Any]],
    data: dict[str, Any],
    errors: dict[str, str] | None,
    walk: Walk,
) -> dict[str, Any]:
    """Answer the empty required fields and the fields with errors; set the times."""
    times = list(_times())
    answers: dict[str, Any] = {}
    for item in schema:
        name = item["name"]
        if item.get("type") == "expandable":
            inner = _answers(item.get("schema") or [], data.get(name) or {}, None, walk)
            if inner:
                answers[name] = {**(data.get(name) or {}), **inner}
            continue
        if "time" in (item.get("selector") or {}):
            answers[name] = _answer(item, walk, times)
            continue
        empty = data.get(name) in (None, "", [])
        if (errors and name in errors) or (item.get("required") and empty):
            value = _answer(item, walk, times)
            if value is not None:
                answers[name] = value
    return {key: value for key, value in answers.items() if value is not None}


def _offers_demo_phone(schema: list[dict[str, Any]]) -> bool:
    for item in schema:
        select = (item.get("selector") or {}).get("select") or {}
        for option in select.get("options") or []:
            if isinstance(option, dict) and DEVICE_NAME in str(option.get("label")):
                return True
    return False


async def _dialog(page: Page, previous: str | None) -> dict[str, Any]:
    """Wait for the dialog to show a rendered step other than previous; return it."""

    def ready(seen: dict[str, Any]) -> bool:
        if not seen["open"]:
            return previous is not None  # closed after the last step
        return bool(
            seen.get("step") and seen.get("rendered") and seen["seen"] != previous
        )

    seen: dict[str, Any] = await page.wait_for("the next dialog", DIALOG, ready)
    await asyncio.sleep(0.4)  # let Lit finish the text (selectors load their labels)
    settled: dict[str, Any] = await page.browser.evaluate(DIALOG)
    return settled if settled.get("step") else seen


async def _walk_once(
    page: Page, walk: Walk, flow: str, path: tuple[str, ...], shots: Path
) -> list[tuple[str, ...]]:
    """Follow path through the open dialog; return the menu paths still to explore."""
    todo: list[tuple[str, ...]] = []
    previous: str | None = None
    choices = list(path)
    retried = False
    for index in range(MAX_STEPS):
        seen = await _dialog(page, previous)
        if not seen["open"]:
            break
        step = seen["step"]
        previous = seen["seen"]
        name = f"{step['type']}:{step['step_id'] or step.get('reason')}"
        walk.seen.append(Seen(flow, path, name, seen["text"]))
        await page.browser.screenshot(
            shots / f"{walk.language}-{flow}-{len(walk.seen):03d}-{index}.png"
        )
        if step["type"] == "menu":
            options = list(step["menu_options"])  # a list, or a dict of labels
            if choices:
                chosen = choices.pop(0)
                assert await page.browser.evaluate(f"{CHOOSE}({json.dumps(chosen)})")
                continue
            for option in options:
                key = (flow, str(step["step_id"]), option)
                if key not in walk.explored:
                    walk.explored.add(key)
                    todo.append((*path, option))
            break
        if step["type"] != "form":
            break  # create_entry, abort: the last dialog of this flow
        schema = step["data_schema"] or []
        walk.phone_offered |= _offers_demo_phone(schema)
        if step["errors"]:
            if retried:
                break
            retried = True
        else:
            retried = False
        answers = _answers(schema, seen["data"] or {}, step["errors"], walk)
        await page.browser.evaluate(f"{SUBMIT}({json.dumps(answers)})")
    await page.browser.evaluate(CLOSE)
    await page.wait_for("the dialog to close", DIALOG, lambda seen: not seen["open"])
    return todo


async def _explore(
    page: Page, walk: Walk, flow: str, open_dialog: Any, shots: Path
) -> None:
    """Walk a flow, a fresh dialog per menu branch, until every branch was seen."""
    paths: list[tuple[str, ...]] = [()]
    while paths:
        path = paths.pop(0)
        await open_dialog()
        paths += await _walk_once(page, walk, flow, path, shots)


async def _integration_page(page: Page) -> None:
    await page.browser.navigate(f"{page.url}/config/integrations/integration/{DOMAIN}")
    await page.wait_for("the integration page", ROWS, lambda rows: rows > 0)


async def _entries(page: Page) -> dict[str, str]:
    entries = await page.rest(
        "GET", f"/api/config/config_entries/entry?domain={DOMAIN}"
    )
    return {entry["entry_id"]: entry["title"] for entry in entries}


def _one_subentry_per_type(row: dict[str, Any]) -> dict[str, str]:
    """Return a subentry id of each type that can be reconfigured."""
    found: dict[str, str] = {}
    for sub in row["subentries"]:
        spec = row["subentry_types"].get(sub["subentry_type"]) or {}
        if spec.get("supports_reconfigure"):
            found.setdefault(sub["subentry_type"], sub["subentry_id"])
    return found


async def _language(page: Page, walk: Walk, shots: Path) -> None:
    """Walk every flow in one language; delete the households it made."""
    before = await _entries(page)

    async def add_integration() -> None:
        await page.browser.navigate(
            f"{page.url}/config/integrations/dashboard/add?domain={DOMAIN}"
        )
        await page.wait_for("the add-integration question", CLICK_OK, bool)

    await _explore(page, walk, "config", add_integration, shots)
    created = [eid for eid in await _entries(page) if eid not in before]
    assert created, f"the config flow set up no household; it showed {walk.seen}"
    entry_id = created[0]
    try:
        await _integration_page(page)
        row = await page.wait_for(
            "the new household's row",
            f"{ENTRY_ROW}({json.dumps(entry_id)})",
            lambda row: row is not None,
        )

        def opener(how: str, arg: str | None = None) -> Any:
            async def open_dialog() -> None:
                await _integration_page(page)
                await page.wait_for(
                    f"the {how} button",
                    f"{OPEN}({json.dumps(entry_id)}, {json.dumps(how)}, {json.dumps(arg)})",
                    bool,
                )

            return open_dialog

        if row["options"]:
            await _explore(page, walk, "options", opener("options"), shots)
        if row["reconfigure"]:
            await _explore(page, walk, "reconfigure", opener("reconfigure"), shots)
        for subentry_type in row["subentry_types"]:
            flow = f"subentry-{subentry_type}"
            await _explore(page, walk, flow, opener("subentry", subentry_type), shots)
        await _integration_page(page)
        row = await page.wait_for(
            "the household's subentries",
            f"{ENTRY_ROW}({json.dumps(entry_id)})",
            lambda row: row is not None,
        )
        for subentry_type, subentry_id in _one_subentry_per_type(row).items():
            flow = f"subentry-{subentry_type}-reconfigure"
            how = opener("subentry_reconfigure", subentry_id)
            await _explore(page, walk, flow, how, shots)
    finally:
        for eid in await _entries(page):
            if eid not in before:
                await page.rest("DELETE", f"/api/config/config_entries/entry/{eid}")


async def _subentries_screenshot(page: Page, shots: Path) -> bytes | None:
    """Take the integration page of the demo household, its subentries listed, if any."""
    await _integration_page(page)
    entries = await _entries(page)
    demo = next(eid for eid, title in entries.items() if title == "Partner time")
    row = await page.wait_for(
        "the demo household's row",
        f"{ENTRY_ROW}({json.dumps(demo)})",
        lambda row: row is not None,
    )
    if not row["subentries"]:
        return None
    return await page.settle(shots / "subentries.png")


async def _scenario(executable: str, url: str, shots: Path) -> dict[str, Any]:
    walks: dict[str, Walk] = {}
    picture = None
    for language in LANGUAGES:
        walk = walks[language] = Walk(language)
        async with logged_in(
            executable, url, shots / f"profile-{language}", language
        ) as page:
            await _language(page, walk, shots)
            if language == "en":
                picture = await _subentries_screenshot(page, shots)
    return {"walks": walks, "subentries.png": picture}


def _problems(walks: dict[str, Walk]) -> list[str]:
    problems = [
        f"{seen.flow} {seen.path} {seen.step} [{walk.language}]: {seen.text[:400]}"
        for walk in walks.values()
        for seen in walk.seen
        if UNTRANSLATED.search(seen.text)
    ]
    english = {(s.flow, s.path, s.step): s.text for s in walks["en"].seen}
    problems += [
        f"{seen.flow} {seen.path} {seen.step} [de] shows the English text: {seen.text[:200]}"
        for seen in walks["de"].seen
        if english.get((seen.flow, seen.path, seen.step)) == seen.text
    ]
    problems += [
        f"[{walk.language}] no step offered the demo phone ({DEVICE_NAME})"
        for walk in walks.values()
        if not walk.phone_offered
    ]
    return problems


def test_every_dialog_is_translated(running_hass: RunningHass, tmp_path: Path) -> None:
    """Each step of each flow reads as a sentence in English and German."""
    executable = require_chromium()
    started = time.monotonic()
    result = run_in_new_loop(
        _scenario(executable, running_hass.url, tmp_path), 600, running_hass.log_tail
    )
    walks: dict[str, Walk] = result["walks"]
    for walk in walks.values():
        flows = {seen.flow for seen in walk.seen}
        assert "config" in flows, walk.seen
        assert len(walk.seen) >= 3, walk.seen
    problems = _problems(walks)
    summary = {
        language: sorted({f"{s.flow}/{s.step}" for s in walk.seen})
        for language, walk in walks.items()
    }
    assert not problems, (
        "\n".join(problems)
        + f"\nseen ({time.monotonic() - started:.0f} s):\n"
        + json.dumps(summary, indent=1)
        + f"\nscreenshots: {tmp_path}"
    )
    print(json.dumps(summary, indent=1))  # noqa: T201 (what was seen, with -s)
    if (target := screenshot_dir()) is not None and result["subentries.png"]:
        target.mkdir(parents=True, exist_ok=True)
        (target / "subentries.png").write_bytes(result["subentries.png"])


@pytest.mark.parametrize(
    ("text", "bad"),
    [
        ("Partner time: Configure Translation [formatjs Error: MISSING_VALUE]", True),
        ("component.partner_time.options.step.init.title", True),
        ("Agreed times of {name}", True),
        ("Agreed times of Partner time Dinner 18:30-19:30", False),
        ("Vereinbarte Zeiten von Partnerzeit", False),
    ],
)
def test_untranslated_text_is_recognised(text: str, bad: bool) -> None:  # noqa: FBT001
    """The walker's filter catches the frontend's ways of showing a missing text."""
    assert bool(UNTRANSLATED.search(text)) is bad
