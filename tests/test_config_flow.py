"""Tests of the settings UI: config flow, reconfigure and options flow."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast
from unittest.mock import AsyncMock, patch

import probatio
import pytest
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import (  # type: ignore[import-untyped]
    MockConfigEntry,
)

from custom_components.partner_time.config_flow import known_phones
from custom_components.partner_time.const import DOMAIN, WEEKDAYS

if TYPE_CHECKING:
    from collections.abc import Generator

    from homeassistant.config_entries import ConfigFlowResult
    from homeassistant.core import HomeAssistant, ServiceCall

TRANSLATIONS = (
    Path(__file__).parent.parent / "custom_components/partner_time/translations"
)
LANGUAGES = ("en", "de")

DINNER = {
    "name": "Dinner",
    "days": list(WEEKDAYS),
    "start": "18:30:00",
    "end": "19:30:00",
}
BREAKFAST = {
    "name": "Breakfast",
    "days": ["sat", "sun"],
    "start": "09:00:00",
    "end": "10:00:00",
}
DEFAULT_OPTIONS: dict[str, Any] = {
    "windows": [DINNER],
    "phones": [],
    "dnd_mode": "priority_only",
    "restore_lights": True,
    "forwarding_switches": [],
    "start_scripts": [],
    "end_scripts": [],
    "lead_time": 5,
    "default_duration": 60,
    "call_sensors": [],
}
FIRST_FORM = {
    "name": "Partner time",
    "window_name": "Dinner",
    "days": list(WEEKDAYS),
    "start": "18:30:00",
    "end": "19:30:00",
}
PIXEL_NOTIFY = "notify.mobile_app_pixel_8"
PIXEL_DND = "sensor.pixel_8_do_not_disturb_sensor"


# --- helpers ---


@pytest.fixture
def bypass_setup() -> Generator[AsyncMock]:
    """Keep the engine out of the flow tests: setting up an entry just succeeds."""
    package = "custom_components.partner_time"
    with (
        patch(f"{package}.async_setup", AsyncMock(return_value=True), create=True),
        patch(
            f"{package}.async_setup_entry", AsyncMock(return_value=True), create=True
        ) as setup_entry,
        patch(
            f"{package}.async_unload_entry", AsyncMock(return_value=True), create=True
        ),
    ):
        yield setup_entry


async def _notify(call: ServiceCall) -> None:
    """Stand in for a notify action."""


def _texts(language: str) -> dict[str, Any]:
    """Return the translation file of one language."""
    data: dict[str, Any] = json.loads(
        (TRANSLATIONS / f"{language}.json").read_text("utf-8")
    )
    return data


def schema_of(result: ConfigFlowResult) -> dict[Any, Any]:
    """Return the fields of a form."""
    assert result["data_schema"] is not None
    fields: dict[Any, Any] = result["data_schema"].schema
    return fields


def assert_translated(result: ConfigFlowResult, section: str) -> None:
    """Check that a form or menu and its errors are translated in every language."""
    step_id = result["step_id"]
    for language in LANGUAGES:
        texts = _texts(language)[section]
        step = texts["step"][step_id]
        assert step["title"], (language, step_id)
        assert step["description"], (language, step_id)
        if result["type"] is FlowResultType.MENU:
            for option in cast("list[str]", result["menu_options"]):
                assert step["menu_options"][option], (language, step_id, option)
            continue
        # the frontend gets the form as a JSON field list
        assert json.dumps(
            probatio.to_field_list(
                result["data_schema"], custom_serializer=cv.custom_serializer
            )
        )
        for key in schema_of(result):
            assert step["data"][str(key)], (language, step_id, key)
            assert step["data_description"][str(key)], (language, step_id, key)
        for error in (result.get("errors") or {}).values():
            assert texts["error"][error], (language, error)


def suggested(result: ConfigFlowResult) -> dict[str, Any]:
    """Return the values a form is pre-filled with (suggested, else default)."""
    values: dict[str, Any] = {}
    for key in schema_of(result):
        if key.description and "suggested_value" in key.description:
            values[str(key)] = key.description["suggested_value"]
        elif callable(key.default):
            values[str(key)] = key.default()
    return values


def select_options(result: ConfigFlowResult, field: str) -> list[Any]:
    """Return the options of a select field of a form."""
    for key, selector in schema_of(result).items():
        if str(key) == field:
            options: list[Any] = selector.config["options"]
            return options
    raise KeyError(field)


def add_phone(
    hass: HomeAssistant,
    name: str,
    *,
    manufacturer: str = "Google",
    os_name: str = "Android",
    dnd: tuple[str, str] | None = ("dnd_sensor", "Do Not Disturb Sensor"),
) -> dr.DeviceEntry:
    """Register a companion-app phone like mobile_app does.

    dnd is the DND sensor's unique id (after the webhook id) and object id (after the
    phone's name), or None for a phone without one.
    """
    webhook_id = f"webhook-{name}"
    entry = MockConfigEntry(
        domain="mobile_app",
        title=name,
        data={
            "device_name": name,
            "manufacturer": manufacturer,
            "os_name": os_name,
            "webhook_id": webhook_id,
        },
    )
    entry.add_to_hass(hass)
    device = dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id,
        identifiers={("mobile_app", f"id-{name}")},
        name=name,
        manufacturer=manufacturer,
        model="phone",
    )
    entities = er.async_get(hass)
    entities.async_get_or_create(
        "sensor",
        "mobile_app",
        f"{webhook_id}_battery_level",
        config_entry=entry,
        device_id=device.id,
        original_name="Battery Level",
    )
    entities.async_get_or_create(  # the DND binary sensor of some phones: no target
        "binary_sensor",
        "mobile_app",
        f"{webhook_id}_do_not_disturb",
        config_entry=entry,
        device_id=device.id,
        original_name="Do Not Disturb",
    )
    if dnd is not None:
        entities.async_get_or_create(
            "sensor",
            "mobile_app",
            f"{webhook_id}_{dnd[0]}",
            config_entry=entry,
            device_id=device.id,
            suggested_object_id=f"{name} {dnd[1]}",
            original_name="Do Not Disturb Sensor",
        )
    return device


def add_household(
    hass: HomeAssistant, title: str = "Partner time", **options: object
) -> MockConfigEntry:
    """Add an existing household entry (not set up)."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=title,
        data={},
        options={**DEFAULT_OPTIONS, **options},
        version=1,
    )
    entry.add_to_hass(hass)
    return entry


def add_own_switch(hass: HomeAssistant) -> str:
    """Register one of Partner Time's own entities and return its entity id."""
    return (
        er.async_get(hass)
        .async_get_or_create(
            "switch",
            DOMAIN,
            "household-active",
            suggested_object_id="partner_time_active",
        )
        .entity_id
    )


async def start_user_flow(hass: HomeAssistant) -> ConfigFlowResult:
    """Start the config flow and check the first form."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    assert_translated(result, "config")
    return result


async def open_options(
    hass: HomeAssistant, entry: MockConfigEntry, step: str
) -> ConfigFlowResult:
    """Open the options flow and pick a menu entry."""
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"] == ["windows", "phones", "house", "timing"]
    assert_translated(result, "options")
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": step}
    )
    assert_translated(result, "options")
    return result


async def open_windows(
    hass: HomeAssistant, entry: MockConfigEntry, step: str
) -> ConfigFlowResult:
    """Open the options flow's agreed-times menu and pick an entry."""
    result = await open_options(hass, entry, "windows")
    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"] == ["add_window", "edit_window", "remove_window"]
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": step}
    )
    assert result["type"] is FlowResultType.FORM
    assert_translated(result, "options")
    return result


def _keys(tree: object, path: str = "") -> set[str]:
    """Return the paths of all strings in a translation tree."""
    if isinstance(tree, dict):
        return {
            key for name, sub in tree.items() for key in _keys(sub, f"{path}.{name}")
        }
    return {path}


def test_translations_complete() -> None:
    """German has exactly the settings texts English has, none of them empty."""
    english, german = _texts("en"), _texts("de")
    for section in ("config", "options", "selector"):
        assert _keys(english[section]) == _keys(german[section]), section
    for language in (english, german):
        weekdays = language["selector"]["weekday"]["options"]
        assert list(weekdays) == list(WEEKDAYS)
        assert all(weekdays.values())


# --- config flow ---


@pytest.mark.usefixtures("bypass_setup")
async def test_create_with_defaults(hass: HomeAssistant) -> None:
    """Accepting every default creates the documented default household."""
    result = await start_user_flow(hass)
    assert suggested(result) == FIRST_FORM

    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "phones"
    assert_translated(result, "config")
    assert select_options(result, "phones") == []
    assert suggested(result) == {"phones": [], "dnd_mode": "priority_only"}

    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "house"
    assert_translated(result, "config")
    assert suggested(result)["forwarding_switches"] == []

    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Partner time"
    assert result["data"] == {}
    assert result["options"] == DEFAULT_OPTIONS
    entry = result["result"]
    assert entry.version == 1
    assert entry.options == DEFAULT_OPTIONS


async def test_german_defaults(hass: HomeAssistant) -> None:
    """With Home Assistant in German, the first form suggests German names."""
    hass.config.language = "de"
    result = await start_user_flow(hass)
    assert suggested(result)["name"] == "Partnerzeit"
    assert suggested(result)["window_name"] == "Abendessen"


@pytest.mark.usefixtures("bypass_setup")
async def test_create_with_everything(hass: HomeAssistant) -> None:
    """A household with an Android phone, scene, forwarding, scripts and messages."""
    pixel = add_phone(hass, "Pixel 8")
    hass.services.async_register("notify", "family", _notify)
    hass.services.async_register("notify", "send_message", _notify)
    er.async_get(hass).async_get_or_create(
        "switch",
        "fritz",
        "1234-call_deflection_0",
        suggested_object_id="fritz_box_call_deflection_0",
    )

    result = await start_user_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            "name": "  The Smiths ",
            "window_name": " Supper ",
            "days": ["sun", "mon"],
            "start": "22:30",
            "end": "00:15:00",
        },
    )
    assert result["step_id"] == "phones"
    assert select_options(result, "phones") == [{"value": pixel.id, "label": "Pixel 8"}]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"phones": [pixel.id], "dnd_mode": "alarms_only"}
    )
    assert result["step_id"] == "house"
    assert result["last_step"] is True
    assert suggested(result)["forwarding_switches"] == [
        "switch.fritz_box_call_deflection_0"
    ]
    assert select_options(result, "notify") == ["notify.family"]

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            "scene": "scene.dinner",
            "restore_lights": False,
            "forwarding_switches": [
                "switch.fritz_box_call_deflection_0",
                "switch.fritz_box_call_deflection_0",
            ],
            "start_scripts": ["script.candles"],
            "end_scripts": ["script.dishwasher"],
            "notify": "notify.family",
            "call_sensors": ["sensor.fritz_box_call_monitor"],
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "The Smiths"
    assert result["data"] == {}
    assert result["options"] == {
        "windows": [
            {
                "name": "Supper",
                "days": ["mon", "sun"],
                "start": "22:30:00",
                "end": "00:15:00",
            }
        ],
        "phones": [{"notify": PIXEL_NOTIFY, "dnd_sensor": PIXEL_DND}],
        "dnd_mode": "alarms_only",
        "scene": "scene.dinner",
        "restore_lights": False,
        "forwarding_switches": ["switch.fritz_box_call_deflection_0"],
        "start_scripts": ["script.candles"],
        "end_scripts": ["script.dishwasher"],
        "notify": "notify.family",
        "lead_time": 5,
        "default_duration": 60,
        "call_sensors": ["sensor.fritz_box_call_monitor"],
    }


@pytest.mark.usefixtures("bypass_setup")
async def test_create_with_iphone(hass: HomeAssistant) -> None:
    """An iPhone is offered, marked (iOS), and stored with its notify action only."""
    iphone = add_phone(hass, "Anna's iPhone", manufacturer="Apple", os_name="iOS")
    result = await start_user_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], FIRST_FORM
    )
    assert select_options(result, "phones") == [
        {"value": iphone.id, "label": "Anna's iPhone (iOS)"}
    ]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"phones": [iphone.id]}
    )
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["options"]["phones"] == [
        {"notify": "notify.mobile_app_anna_s_iphone"}
    ]
    assert result["options"]["dnd_mode"] == "priority_only"


async def test_known_phones(hass: HomeAssistant) -> None:
    """Phones are found with robust DND sensor matching, sorted by the shown name."""
    pixel = add_phone(hass, "Pixel 8")
    other = add_phone(hass, "Galaxy", dnd=("do_not_disturb_sensor", "DND"))
    by_name = add_phone(hass, "Old phone", dnd=("dnd", "dnd"))
    bare = add_phone(hass, "Bare", dnd=None)
    ipad = add_phone(hass, "iPad", manufacturer="Unknown", os_name="iPadOS")
    dr.async_get(hass).async_update_device(pixel.id, name_by_user="Zoe's phone")
    # a mobile_app registration whose device has no name of its own
    entry = MockConfigEntry(domain="mobile_app", title="Nameless", data={})
    entry.add_to_hass(hass)
    nameless = dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id, identifiers={("mobile_app", "nameless")}
    )

    phones = {phone.device_id: phone for phone in known_phones(hass)}
    assert [phone.label for phone in known_phones(hass)] == [
        "Bare",
        "Galaxy",
        "iPad (iOS)",
        "Nameless",
        "Old phone",
        "Zoe's phone",
    ]
    assert phones[pixel.id].as_option() == {
        "notify": PIXEL_NOTIFY,
        "dnd_sensor": PIXEL_DND,
    }
    assert phones[other.id].dnd_sensor == "sensor.galaxy_dnd"
    assert phones[by_name.id].dnd_sensor == "sensor.old_phone_dnd"
    assert phones[bare.id].as_option() == {"notify": "notify.mobile_app_bare"}
    assert phones[ipad.id].dnd_sensor is None
    assert phones[nameless.id].notify == "notify.mobile_app_nameless"


async def test_user_errors(hass: HomeAssistant) -> None:
    """Wrong first forms show translated field errors and keep what was typed."""
    add_household(hass, "The Smiths")
    result = await start_user_flow(hass)
    flow_id = result["flow_id"]

    result = await hass.config_entries.flow.async_configure(
        flow_id, {**FIRST_FORM, "start": "19:30", "end": "19:30:00"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"end": "start_equals_end"}
    assert_translated(result, "config")
    assert suggested(result)["start"] == "19:30"

    result = await hass.config_entries.flow.async_configure(
        flow_id, {**FIRST_FORM, "days": []}
    )
    assert result["errors"] == {"days": "no_days"}
    assert_translated(result, "config")

    result = await hass.config_entries.flow.async_configure(
        flow_id, {**FIRST_FORM, "name": "the smiths"}
    )
    assert result["errors"] == {"name": "name_exists"}
    assert_translated(result, "config")

    result = await hass.config_entries.flow.async_configure(
        flow_id, {**FIRST_FORM, "name": " ", "window_name": ""}
    )
    assert result["errors"] == {"name": "empty_name", "window_name": "empty_name"}
    assert_translated(result, "config")

    result = await hass.config_entries.flow.async_configure(flow_id, FIRST_FORM)
    assert result["step_id"] == "phones"


async def test_own_entity_as_target(hass: HomeAssistant) -> None:
    """Partner Time's own entities are refused as targets, on the field."""
    own = add_own_switch(hass)
    result = await start_user_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], FIRST_FORM
    )
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {"forwarding_switches": ["switch.phone", own], "scene": "scene.x"},
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "house"
    assert result["errors"] == {"forwarding_switches": "own_entity"}
    assert_translated(result, "config")
    assert suggested(result)["forwarding_switches"] == ["switch.phone", own]


# --- reconfigure ---


@pytest.mark.usefixtures("bypass_setup")
async def test_reconfigure(hass: HomeAssistant) -> None:
    """The household can be renamed; names stay unique and not empty."""
    entry = add_household(hass, "Partner time")
    add_household(hass, "The Smiths")

    result = await entry.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    assert_translated(result, "config")
    assert suggested(result) == {"name": "Partner time"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"name": "THE SMITHS"}
    )
    assert result["errors"] == {"name": "name_exists"}
    assert_translated(result, "config")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"name": ""}
    )
    assert result["errors"] == {"name": "empty_name"}

    # its own name, in other letters, is fine
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"name": "Partner Time "}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert entry.title == "Partner Time"
    assert entry.data == {}
    assert entry.options == DEFAULT_OPTIONS


# --- options flow ---


@pytest.mark.usefixtures("bypass_setup")
async def test_options_add_window(hass: HomeAssistant) -> None:
    """A new agreed time is appended; names of the others can't be reused."""
    entry = add_household(hass)
    result = await open_windows(hass, entry, "add_window")
    assert suggested(result) == {
        "window_name": "",
        "days": list(WEEKDAYS),
        "start": "18:30:00",
        "end": "19:30:00",
    }
    form = {
        "window_name": "dinner",
        "days": ["sun", "sat"],
        "start": "09:00",
        "end": "10:00",
    }
    result = await hass.config_entries.options.async_configure(result["flow_id"], form)
    assert result["errors"] == {"window_name": "window_name_exists"}
    assert_translated(result, "options")

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**form, "window_name": "Breakfast"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    expected = {**DEFAULT_OPTIONS, "windows": [DINNER, BREAKFAST]}
    assert result["data"] == expected
    await hass.async_block_till_done()
    assert entry.options == expected
    assert entry.state is ConfigEntryState.LOADED  # saving reloaded the entry


@pytest.mark.usefixtures("bypass_setup")
async def test_options_edit_window(hass: HomeAssistant) -> None:
    """An agreed time is picked, edited in the pre-filled form and saved in place."""
    entry = add_household(hass, windows=[DINNER, BREAKFAST])
    result = await open_windows(hass, entry, "edit_window")
    assert select_options(result, "window") == [
        {"value": "0", "label": "Dinner (18:30-19:30)"},
        {"value": "1", "label": "Breakfast (09:00-10:00)"},
    ]
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"window": "1"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "edit_window_details"
    assert result["description_placeholders"] == {"window": "Breakfast"}
    assert_translated(result, "options")
    assert suggested(result) == {
        "window_name": "Breakfast",
        "days": ["sat", "sun"],
        "start": "09:00:00",
        "end": "10:00:00",
    }
    form = {
        "window_name": "DINNER",
        "days": ["sun"],
        "start": "08:00:00",
        "end": "08:00:00",
    }
    result = await hass.config_entries.options.async_configure(result["flow_id"], form)
    assert result["errors"] == {
        "window_name": "window_name_exists",
        "end": "start_equals_end",
    }
    assert_translated(result, "options")
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**form, "window_name": "breakfast", "days": []}
    )
    assert result["errors"] == {"days": "no_days", "end": "start_equals_end"}

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**form, "window_name": "Brunch", "end": "11:30"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    brunch = {"name": "Brunch", "days": ["sun"], "start": "08:00:00", "end": "11:30:00"}
    assert result["data"] == {**DEFAULT_OPTIONS, "windows": [DINNER, brunch]}
    await hass.async_block_till_done()
    assert entry.options == {**DEFAULT_OPTIONS, "windows": [DINNER, brunch]}


@pytest.mark.usefixtures("bypass_setup")
async def test_options_remove_window(hass: HomeAssistant) -> None:
    """Agreed times can be removed, but never the last one."""
    entry = add_household(hass, windows=[DINNER, BREAKFAST])
    result = await open_windows(hass, entry, "remove_window")
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"windows": ["0", "1"]}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"windows": "last_window"}
    assert_translated(result, "options")

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"windows": ["0"]}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == {**DEFAULT_OPTIONS, "windows": [BREAKFAST]}
    await hass.async_block_till_done()
    assert entry.options == {**DEFAULT_OPTIONS, "windows": [BREAKFAST]}

    # a single window can't be removed either
    result = await open_windows(hass, entry, "remove_window")
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"windows": ["0"]}
    )
    assert result["errors"] == {"windows": "last_window"}
    # choosing nothing saves the settings unchanged
    result = await hass.config_entries.options.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == {**DEFAULT_OPTIONS, "windows": [BREAKFAST]}


@pytest.mark.usefixtures("bypass_setup")
async def test_options_phones(hass: HomeAssistant) -> None:
    """Phones are pre-selected; a stored phone whose device is gone stays choosable."""
    pixel = add_phone(hass, "Pixel 8")
    galaxy = add_phone(hass, "Galaxy", dnd=None)
    old = {"notify": "notify.mobile_app_old_phone", "dnd_sensor": "sensor.old_dnd"}
    entry = add_household(
        hass, phones=[{"notify": PIXEL_NOTIFY, "dnd_sensor": PIXEL_DND}, old]
    )
    result = await open_options(hass, entry, "phones")
    assert result["type"] is FlowResultType.FORM
    assert select_options(result, "phones") == [
        {"value": galaxy.id, "label": "Galaxy"},
        {"value": pixel.id, "label": "Pixel 8"},
        {
            "value": "notify.mobile_app_old_phone",
            "label": "notify.mobile_app_old_phone",
        },
    ]
    assert suggested(result) == {
        "phones": [pixel.id, "notify.mobile_app_old_phone"],
        "dnd_mode": "priority_only",
    }
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            "phones": [galaxy.id, "notify.mobile_app_old_phone"],
            "dnd_mode": "total_silence",
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    expected = {
        **DEFAULT_OPTIONS,
        "phones": [{"notify": "notify.mobile_app_galaxy"}, old],
        "dnd_mode": "total_silence",
    }
    assert result["data"] == expected
    await hass.async_block_till_done()
    assert entry.options == expected


@pytest.mark.usefixtures("bypass_setup")
async def test_options_house(hass: HomeAssistant) -> None:
    """The house form shows the stored targets, refuses own entities and saves."""
    own = add_own_switch(hass)
    hass.services.async_register("notify", "family", _notify)
    stored: dict[str, Any] = {
        "scene": "scene.dinner",
        "restore_lights": False,
        "forwarding_switches": ["switch.deflection"],
        "start_scripts": ["script.candles"],
        "end_scripts": [],
        "notify": "notify.gone",
        "call_sensors": ["sensor.call_monitor"],
    }
    entry = add_household(hass, **stored)
    result = await open_options(hass, entry, "house")
    assert result["type"] is FlowResultType.FORM
    assert suggested(result) == stored
    assert select_options(result, "notify") == ["notify.family", "notify.gone"]

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**stored, "call_sensors": []}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == {**DEFAULT_OPTIONS, **stored, "call_sensors": []}

    result = await open_options(hass, entry, "house")
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            "restore_lights": True,
            "end_scripts": ["script.x"],
            "forwarding_switches": [own],
        },
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"forwarding_switches": "own_entity"}
    assert_translated(result, "options")

    # leaving scene and notify empty removes them
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"restore_lights": True, "end_scripts": ["script.x"]}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    expected = {**DEFAULT_OPTIONS, "end_scripts": ["script.x"]}
    assert result["data"] == expected
    await hass.async_block_till_done()
    assert entry.options == expected


@pytest.mark.usefixtures("bypass_setup")
async def test_options_timing(hass: HomeAssistant) -> None:
    """Lead time and default duration are whole minutes within their ranges."""
    entry = add_household(hass, lead_time=10)
    result = await open_options(hass, entry, "timing")
    assert result["type"] is FlowResultType.FORM
    assert suggested(result) == {"lead_time": 10, "default_duration": 60}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"lead_time": 0.0, "default_duration": 90.0}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    expected = {**DEFAULT_OPTIONS, "lead_time": 0, "default_duration": 90}
    assert result["data"] == expected
    assert isinstance(result["data"]["lead_time"], int)
    await hass.async_block_till_done()
    assert entry.options == expected


@pytest.mark.usefixtures("bypass_setup")
async def test_options_fill_missing_defaults(hass: HomeAssistant) -> None:
    """An entry with incomplete options is completed with the defaults on save."""
    entry = MockConfigEntry(
        domain=DOMAIN, title="Sparse", data={}, options={"lead_time": 15}
    )
    entry.add_to_hass(hass)
    result = await open_options(hass, entry, "timing")
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"lead_time": 15, "default_duration": 60}
    )
    assert result["data"] == {**DEFAULT_OPTIONS, "lead_time": 15}


# --- with the real engine ---


async def test_created_entry_sets_up(hass: HomeAssistant) -> None:
    """A household created in the UI is set up by the real integration (no patches)."""
    result = await start_user_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], FIRST_FORM
    )
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    entry = result["result"]
    assert entry.state is ConfigEntryState.LOADED

    # saving options reloads the household with the new settings
    result = await open_options(hass, entry, "timing")
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"lead_time": 10, "default_duration": 45}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert entry.options == {**DEFAULT_OPTIONS, "lead_time": 10, "default_duration": 45}
    assert await hass.config_entries.async_unload(entry.entry_id)
