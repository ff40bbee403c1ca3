"""The blueprints in blueprints/: valid for this HA, and working in a running one.

The live test uses the shared `hass` of the end-to-end tests: the system is switched to
German and a German household, *Familie Müller* with its *Abendessen*, is added
through the config flow API; both blueprints are installed and automations are made
from them through the automation editor's API, as the UI does. When the household's
dinner runs, the announcement is the agreed time's name and hours, and a call to the
demo phone flashes the dining table's light and puts it back as it was. Everything the
test adds is removed again, and the language set back, for the tests after it.
"""

from __future__ import annotations

import asyncio
import re
import shutil
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from homeassistant.components.automation.config import AUTOMATION_BLUEPRINT_SCHEMA
from homeassistant.components.blueprint.models import Blueprint
from homeassistant.util.yaml import load_yaml_dict

from .running import login
from .test_running_hass import Api

if TYPE_CHECKING:
    from .running import RunningHass

BLUEPRINTS_DIR = Path(__file__).resolve().parents[2] / "blueprints" / "automation"
BLUEPRINTS = sorted(BLUEPRINTS_DIR.rglob("*.yaml"))
SWITCH = "switch.familie_muller"
TABLE = "light.dining_table"
RINGING = "input_select.demo_phone_state"
ANNOUNCE = "partner_time_test_announce"
FLASH = "partner_time_test_flash"


def test_there_are_blueprints() -> None:
    """The README promises two."""
    assert len(BLUEPRINTS) >= 2


@pytest.mark.parametrize("path", BLUEPRINTS, ids=lambda path: path.name)
def test_blueprint_is_valid(path: Path) -> None:
    """HA accepts the blueprint, and its source_url points at its place here."""
    blueprint = Blueprint(
        load_yaml_dict(path),
        expected_domain="automation",
        schema=AUTOMATION_BLUEPRINT_SCHEMA,
    )
    assert blueprint.inputs
    source_url = blueprint.metadata["source_url"]
    assert source_url.endswith("/blueprints/automation/partner_time/" + path.name)


def _dinner_now() -> dict[str, Any]:
    """Return the German household's agreed time, running from 5 minutes ago."""
    now = datetime.now(ZoneInfo("Europe/Berlin"))
    return {
        "name": "Familie Müller",
        "window_name": "Abendessen",
        "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
        "start": (now - timedelta(minutes=5)).strftime("%H:%M:00"),
        "end": (now + timedelta(minutes=55)).strftime("%H:%M:00"),
    }


async def _add_household(api: Api) -> str:
    """Add the German household through the config flow API; return its entry id."""
    answers = {"user": _dinner_now()}
    result = await api.post(
        "/api/config/config_entries/flow", {"handler": "partner_time"}
    )
    for _ in range(10):
        if result["type"] != "form":
            break
        assert not result.get("errors"), result
        result = await api.post(
            f"/api/config/config_entries/flow/{result['flow_id']}",
            answers.get(result["step_id"], {}),
        )
    assert result["type"] == "create_entry", result
    return str(result["result"]["entry_id"])


async def _install_blueprints(api: Api, config_dir: Path) -> None:
    """Put the blueprints where HA finds them; make automations from them in the editor.

    The demo's automations are written in configuration.yaml; the editor's are kept in
    automations.yaml, which this copy of the demo then includes.
    """
    target = config_dir / "blueprints" / "automation" / "partner_time"
    target.mkdir(parents=True, exist_ok=True)
    for path in BLUEPRINTS:
        shutil.copy(path, target / path.name)
    (config_dir / "automations.yaml").write_text("[]\n")
    with (config_dir / "configuration.yaml").open("a") as config:
        config.write("\nautomation editor: !include automations.yaml\n")
    automations = {
        ANNOUNCE: (
            "announce_start.yaml",
            {
                "household": SWITCH,
                "speaker": "media_player.kitchen",
                "tts_entity": "tts.kitchen",
            },
        ),
        FLASH: (
            "flash_on_call.yaml",
            {
                "partner_time": SWITCH,
                "call_sensors": ["sensor.demo_phone_phone_state"],
                "lights": [TABLE],
                "flashes": 2,
            },
        ),
    }
    for automation_id, (name, inputs) in automations.items():
        body = {
            "alias": automation_id,
            "use_blueprint": {"path": f"partner_time/{name}", "input": inputs},
        }
        assert (await api.post(f"/api/config/automation/config/{automation_id}", body))[
            "result"
        ] == "ok"


async def _last_trace(api: Api, automation_id: str) -> dict[str, Any]:
    """Return the last run of an automation that got to its actions."""

    async def acted() -> list[dict[str, Any]]:
        runs = await api.command(type="trace/list", domain="automation")
        return [
            run
            for run in runs
            if run["item_id"] == automation_id
            and run["state"] == "stopped"
            and str(run.get("last_step") or "").startswith("action/")
        ]

    async def finished() -> bool:
        return bool(await acted())

    await api.wait_for(f"a run of {automation_id}", finished, 20)
    trace: dict[str, Any] = await api.command(
        type="trace/get",
        domain="automation",
        item_id=automation_id,
        run_id=(await acted())[-1]["run_id"],
    )
    return trace


async def _announced(api: Api) -> str:
    """Return what the announce automation said (its tts.speak call)."""
    trace = await _last_trace(api, ANNOUNCE)
    step = trace["trace"]["action/0"][0]
    return str(step["result"]["params"]["service_data"]["message"])


async def _flash(api: Api) -> list[str]:
    """Ring the demo phone; return the states the table light went through."""
    before = await api.state(TABLE)
    await api.command(
        type="subscribe_trigger", trigger={"trigger": "state", "entity_id": TABLE}
    )
    api.events.clear()
    for call_state in ("ringing", "idle"):  # a call comes in; it is over
        await api.command(
            type="call_service",
            domain="input_select",
            service="select_option",
            target={"entity_id": RINGING},
            service_data={"option": call_state},
        )
        if call_state == "ringing":
            await _last_trace(api, FLASH)
    after = await api.state(TABLE)
    assert after["state"] == before["state"]
    assert after["attributes"].get("brightness") == before["attributes"].get(
        "brightness"
    )
    assert api.ws is not None
    while True:
        try:
            api.events.append(await asyncio.wait_for(api.ws.receive_json(), 0.5))
        except TimeoutError:
            break
    return [
        e["event"]["variables"]["trigger"]["to_state"]["state"]
        for e in api.events
        if e.get("type") == "event" and "variables" in e.get("event", {})
    ]


async def _scenario(hass: RunningHass) -> None:
    async with aiohttp.ClientSession() as session:
        api = Api(session, hass.url, (await login(session, hass.url))["access_token"])
        await api.connect()
        entry_id = ""
        try:
            await api.command(type="config/core/update", language="de")
            await _install_blueprints(api, hass.config_dir)
            entry_id = await _add_household(api)

            async def switch_is(state: str) -> bool:
                found = {
                    s["entity_id"]: s["state"] for s in await api.get("/api/states")
                }
                return found.get(SWITCH) == state

            # Abendessen started as the household was added, before its switch existed
            # for the automation's condition; they stop it and start again by hand
            await api.wait_for("Abendessen to start", lambda: switch_is("on"), 20)
            assert (await api.state("sensor.familie_muller_beginn"))["state"]
            for action in ("stop", "start"):
                await api.command(
                    type="call_service",
                    domain="partner_time",
                    service=action,
                    target={"entity_id": SWITCH},
                )
            await api.wait_for("the start by hand", lambda: switch_is("on"), 20)
            said = await _announced(api)
            # the agreed time's name (a start by hand: the household's) and the hours
            assert said.split(", ")[0] in ("Abendessen", "Familie Müller"), said
            assert re.fullmatch(r"[^,]+, \d\d:\d\d\u2013\d\d:\d\d", said), said

            went = await _flash(api)
            assert len(went) >= 4, went  # two flashes: off and on twice, or on/off
        finally:
            for automation_id in (ANNOUNCE, FLASH):
                async with session.delete(
                    f"{hass.url}/api/config/automation/config/{automation_id}",
                    headers=api.headers,
                ):
                    pass
            if entry_id:
                async with session.delete(
                    f"{hass.url}/api/config/config_entries/entry/{entry_id}",
                    headers=api.headers,
                ) as resp:
                    assert resp.status == 200, await resp.text()
            await api.command(type="config/core/update", language="en")
            if api.ws is not None:
                await api.ws.close()


def test_blueprints_in_a_german_household(running_hass: RunningHass) -> None:
    """Both blueprints work for a German household in a running Home Assistant."""
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(asyncio.wait_for(_scenario(running_hass), 120))
    except BaseException as err:  # noqa: BLE001 (pytest.fail too: shown with the log)
        pytest.fail(f"{err!r}\n--- hass log ---\n{running_hass.log_tail()}")
    finally:
        loop.run_until_complete(loop.shutdown_default_executor())
        loop.close()
