"""Tests of the settings UI: config flow, reconfigure, options flow and subentries.

A household is one config entry (version 2): its name is the title, the
household-wide settings are the options, and each agreed time and each phone is a
subentry, listed on the integration page with its own edit and delete.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast
from unittest.mock import AsyncMock, patch

import probatio
import pytest
from homeassistant.config_entries import (
    SOURCE_RECONFIGURE,
    SOURCE_USER,
    ConfigEntryState,
    OptionsFlowWithReload,
)
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import (  # type: ignore[import-untyped]
    MockConfigEntry,
)

from custom_components.partner_time.config_flow import PartnerTimeOptionsFlow
from custom_components.partner_time.const import DOMAIN, WEEKDAYS
from custom_components.partner_time.flow_parts import known_phones
from custom_components.partner_time.settings import settings_of

from .common import jump, state
from .household import (
    DEFLECTION,
    GALAXY,
    PIXEL,
    add_phone,
    async_add_household,
    async_add_window,
    async_edit_window,
    async_setup_house,
)

if TYPE_CHECKING:
    from collections.abc import Generator, Mapping

    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.config_entries import (
        ConfigEntry,
        ConfigFlowResult,
        ConfigSubentry,
        SubentryFlowResult,
    )
    from homeassistant.core import HomeAssistant, ServiceCall

    type AnyResult = ConfigFlowResult | SubentryFlowResult

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
NEXT_START = "sensor.partner_time_next_start"
SWITCH = "switch.partner_time"


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


def _section(language: str, section: str) -> dict[str, Any]:
    """Return a section of a translation file; "a.b" goes one level deeper."""
    texts: dict[str, Any] = _texts(language)
    for part in section.split("."):
        texts = texts[part]
    return texts


def schema_of(result: AnyResult) -> dict[Any, Any]:
    """Return the fields of a form."""
    assert result["data_schema"] is not None
    fields: dict[Any, Any] = result["data_schema"].schema
    return fields


def assert_translated(result: AnyResult, section: str) -> None:
    """Check that a form, menu or abort and its errors are translated in every language.

    section is "config", "options" or "config_subentries.<type>".
    """
    if result["type"] is FlowResultType.CREATE_ENTRY:
        return
    for language in LANGUAGES:
        texts = _section(language, section)
        if result["type"] is FlowResultType.ABORT:
            reason = result["reason"]
            if reason != "reconfigure_successful":  # Home Assistant's own text
                assert texts["abort"][reason], (language, reason)
            continue
        step_id = result["step_id"]
        step = texts["step"][step_id]
        assert step["title"], (language, step_id)
        assert step["description"], (language, step_id)
        if result["type"] is FlowResultType.MENU:
            assert "{" not in step["title"], "the frontend leaves a menu title unfilled"
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


def suggested(result: AnyResult) -> dict[str, Any]:
    """Return the values a form is pre-filled with (suggested, else default)."""
    values: dict[str, Any] = {}
    for key in schema_of(result):
        if key.description and "suggested_value" in key.description:
            values[str(key)] = key.description["suggested_value"]
        elif callable(key.default):
            values[str(key)] = key.default()
    return values


def select_options(result: AnyResult, field: str) -> list[Any]:
    """Return the options of a select field of a form."""
    for key, selector in schema_of(result).items():
        if str(key) == field:
            options: list[Any] = selector.config["options"]
            return options
    raise KeyError(field)


def add_household(
    hass: HomeAssistant,
    title: str = "Partner time",
    windows: tuple[Mapping[str, Any], ...] = (DINNER,),
    phones: tuple[tuple[str, Mapping[str, Any]], ...] = (),
    **options: object,
) -> MockConfigEntry:
    """Add an existing household entry (not set up); phones are (title, data)."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=title,
        data={},
        options={**DEFAULT_OPTIONS, **options},
        subentries_data=[
            {
                "subentry_type": "window",
                "title": window["name"],
                "data": dict(window),
                "unique_id": None,
            }
            for window in windows
        ]
        + [
            {
                "subentry_type": "phone",
                "title": name,
                "data": dict(data),
                "unique_id": data["notify"],
            }
            for name, data in phones
        ],
        version=2,
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


def subentries(entry: ConfigEntry, kind: str) -> list[tuple[str, dict[str, Any]]]:
    """Return the household's agreed times or phones as (title, data)."""
    return [
        (subentry.title, dict(subentry.data))
        for subentry in entry.subentries.values()
        if subentry.subentry_type == kind
    ]


def subentry_called(entry: ConfigEntry, title: str) -> ConfigSubentry:
    """Return the subentry with this title."""
    return next(sub for sub in entry.subentries.values() if sub.title == title)


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
    hass: HomeAssistant, entry: ConfigEntry, step: str
) -> ConfigFlowResult:
    """Open the options flow and pick a menu entry."""
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"] == [
        "phones",
        "house",
        "timing",
        "together",
        "through",
    ]
    assert_translated(result, "options")
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": step}
    )
    assert_translated(result, "options")
    return result


async def open_subentry(
    hass: HomeAssistant, entry: ConfigEntry, kind: str, edit: str | None = None
) -> SubentryFlowResult:
    """Press "Add" for a kind of subentry, or "Edit" on the one titled edit."""
    context: dict[str, Any] = {"source": SOURCE_USER}
    if edit is not None:
        sub = subentry_called(entry, edit)
        context = {"source": SOURCE_RECONFIGURE, "subentry_id": sub.subentry_id}
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, kind), context=context
    )
    assert_translated(result, f"config_subentries.{kind}")
    return result


async def submit(
    hass: HomeAssistant, result: SubentryFlowResult, form: Mapping[str, Any]
) -> SubentryFlowResult:
    """Submit a subentry form and check what comes back is translated."""
    kind = result["handler"][1]
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], dict(form)
    )
    assert_translated(result, f"config_subentries.{kind}")
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
    for section in ("config", "options", "config_subentries", "selector"):
        assert _keys(english[section]) == _keys(german[section]), section
    for language in (english, german):
        weekdays = language["selector"]["weekday"]["options"]
        assert list(weekdays) == list(WEEKDAYS)
        assert all(weekdays.values())
        for kind in ("window", "phone"):
            texts = language["config_subentries"][kind]
            assert texts["entry_type"]
            assert texts["initiate_flow"]["user"]
            assert texts["initiate_flow"]["reconfigure"]


# --- config flow ---


@pytest.mark.usefixtures("bypass_setup")
async def test_create_with_defaults(hass: HomeAssistant) -> None:
    """Accepting every default creates the default household: Dinner, no phone yet.

    Without any companion-app phone, the phones step says so and only asks how far.
    """
    result = await start_user_flow(hass)
    assert suggested(result) == FIRST_FORM

    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "no_phones"
    assert_translated(result, "config")
    assert "phones" not in [str(key) for key in schema_of(result)]
    assert suggested(result) == {"dnd_mode": "priority_only"}
    for language in LANGUAGES:
        assert "Add phone" in _texts("en")["config"]["step"]["no_phones"]["description"]
        assert _section(language, "config.step.no_phones.description")

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
    assert entry.version == 2
    assert entry.options == DEFAULT_OPTIONS
    assert subentries(entry, "window") == [("Dinner", DINNER)]
    assert subentries(entry, "phone") == []


async def test_german_defaults(hass: HomeAssistant) -> None:
    """With Home Assistant in German, the first form suggests German names."""
    hass.config.language = "de-CH"
    result = await start_user_flow(hass)
    assert suggested(result)["name"] == "Partnerzeit"
    assert suggested(result)["window_name"] == "Abendessen"
    hass.config.language = "fr"
    result = await start_user_flow(hass)
    assert suggested(result)["name"] == "Partner time"
    assert suggested(result)["window_name"] == "Dinner"


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
    assert_translated(result, "config")
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
    entry = result["result"]
    supper = {"name": "Supper", "days": ["mon", "sun"], "start": "22:30:00"}
    assert subentries(entry, "window") == [("Supper", {**supper, "end": "00:15:00"})]
    assert subentries(entry, "phone") == [
        ("Pixel 8", {"notify": PIXEL_NOTIFY, "dnd_sensor": PIXEL_DND})
    ]
    assert subentry_called(entry, "Pixel 8").unique_id == PIXEL_NOTIFY


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
    assert subentries(result["result"], "phone") == [
        ("Anna's iPhone (iOS)", {"notify": "notify.mobile_app_anna_s_iphone"})
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

    # 18:30 to 17:30 the next day is 23 hours: almost surely a typo
    result = await hass.config_entries.flow.async_configure(
        flow_id, {**FIRST_FORM, "end": "17:30:00"}
    )
    assert result["errors"] == {"end": "window_too_long"}
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

    # just under 23 hours is a long evening, but allowed
    result = await hass.config_entries.flow.async_configure(
        flow_id, {**FIRST_FORM, "end": "17:29:00"}
    )
    assert result["step_id"] == "no_phones"
    assert hass.config_entries.async_entries(DOMAIN)[0].title == "The Smiths"


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
    assert subentries(entry, "window") == [("Dinner", DINNER)]


# --- options flow: the household-wide settings ---


def test_options_flow_saves_without_reloading() -> None:
    """One reload mechanism: the update listener; the options flow never reloads."""
    assert not issubclass(PartnerTimeOptionsFlow, OptionsFlowWithReload)


@pytest.mark.usefixtures("bypass_setup")
async def test_options_menu_lists_times_and_phones(hass: HomeAssistant) -> None:
    """The Configure menu names the household and lists its agreed times with days."""
    entry = add_household(
        hass,
        windows=(DINNER, BREAKFAST, {**DINNER, "name": "Walk", "days": ["mon", "wed"]}),
        phones=(("Pixel 8", {"notify": PIXEL_NOTIFY}),),
    )
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.MENU
    assert_translated(result, "options")
    assert result["description_placeholders"] == {
        "name": "Partner time",
        "windows": "Dinner (Mo\u2013Su 18:30\u201319:30); "
        "Breakfast (Sa, Su 09:00\u201310:00); Walk (Mo, We 18:30\u201319:30)",
        "phones": "Pixel 8",
    }
    hass.config.language = "de"
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert "Dinner (Mo\u2013So 18:30" in result["description_placeholders"]["windows"]
    # no agreed time, no phone: the menu says so with a dash
    bare = add_household(hass, "Bare", windows=())
    result = await hass.config_entries.options.async_init(bare.entry_id)
    placeholders = result["description_placeholders"]
    assert placeholders["windows"] == placeholders["phones"] == "\u2013"


@pytest.mark.usefixtures("bypass_setup")
async def test_options_phones(hass: HomeAssistant) -> None:
    """How far the phones go quiet is household-wide; the phones stay as they are."""
    phones = (("Pixel 8", {"notify": PIXEL_NOTIFY, "dnd_sensor": PIXEL_DND}),)
    entry = add_household(hass, phones=phones)
    result = await open_options(hass, entry, "phones")
    assert result["type"] is FlowResultType.FORM
    assert suggested(result) == {"dnd_mode": "priority_only"}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"dnd_mode": "total_silence"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    expected = {**DEFAULT_OPTIONS, "dnd_mode": "total_silence"}
    assert result["data"] == expected
    await hass.async_block_till_done()
    assert entry.options == expected
    assert subentries(entry, "phone") == [phones[0]]


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
        domain=DOMAIN, title="Sparse", data={}, options={"lead_time": 15}, version=2
    )
    entry.add_to_hass(hass)
    result = await open_options(hass, entry, "timing")
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"lead_time": 15, "default_duration": 60}
    )
    assert result["data"] == {**DEFAULT_OPTIONS, "lead_time": 15}


# --- subentries: agreed times ---


@pytest.mark.usefixtures("bypass_setup")
async def test_add_window(hass: HomeAssistant) -> None:
    """A new agreed time is its own subentry; bad ones are refused and change nothing."""
    entry = add_household(hass)
    result = await open_subentry(hass, entry, "window")
    assert result["step_id"] == "user"
    assert suggested(result) == {
        "name": "",
        "days": list(WEEKDAYS),
        "start": "18:30:00",
        "end": "19:30:00",
    }
    assert result["description_placeholders"] == {
        "name": "Partner time",
        "windows": "Dinner (Mo\u2013Su 18:30\u201319:30)",
    }
    form = {"name": "dinner", "days": ["sun", "sat"], "start": "09:00", "end": "10:00"}
    refused = [
        (form, {"name": "window_name_exists"}),
        ({**form, "name": "  "}, {"name": "empty_name"}),
        ({**form, "name": "Breakfast", "days": []}, {"days": "no_days"}),
        ({**form, "name": "Breakfast", "end": "09:00:00"}, {"end": "start_equals_end"}),
        ({**form, "name": "Breakfast", "end": "08:00"}, {"end": "window_too_long"}),
    ]
    for typed, errors in refused:
        result = await submit(hass, result, typed)
        assert result["type"] is FlowResultType.FORM
        assert result["errors"] == errors, typed
    assert subentries(entry, "window") == [("Dinner", DINNER)]

    result = await submit(hass, result, {**form, "name": " Breakfast "})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert subentries(entry, "window") == [("Dinner", DINNER), ("Breakfast", BREAKFAST)]


@pytest.mark.usefixtures("bypass_setup")
async def test_edit_window(hass: HomeAssistant) -> None:
    """An agreed time is edited in its pre-filled form and saved in place."""
    entry = add_household(hass, windows=(DINNER, BREAKFAST))
    before = subentry_called(entry, "Breakfast").subentry_id
    result = await open_subentry(hass, entry, "window", edit="Breakfast")
    assert result["step_id"] == "reconfigure"
    assert suggested(result) == BREAKFAST
    assert result["description_placeholders"] == {
        "name": "Partner time",
        "windows": "Dinner (Mo\u2013Su 18:30\u201319:30)",
    }
    form = {"name": "DINNER", "days": ["sun"], "start": "08:00:00", "end": "11:30"}
    result = await submit(hass, result, form)
    assert result["errors"] == {"name": "window_name_exists"}
    result = await submit(hass, result, {**form, "name": "breakfast", "days": []})
    assert result["errors"] == {"days": "no_days"}
    assert subentries(entry, "window") == [("Dinner", DINNER), ("Breakfast", BREAKFAST)]

    result = await submit(hass, result, {**form, "name": "Brunch"})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    brunch = {"name": "Brunch", "days": ["sun"], "start": "08:00:00", "end": "11:30:00"}
    assert subentries(entry, "window") == [("Dinner", DINNER), ("Brunch", brunch)]
    assert subentry_called(entry, "Brunch").subentry_id == before

    # keeping its own name is fine
    result = await open_subentry(hass, entry, "window", edit="Brunch")
    result = await submit(hass, result, {**brunch, "end": "12:00"})
    assert result["reason"] == "reconfigure_successful"
    assert subentries(entry, "window")[1] == ("Brunch", {**brunch, "end": "12:00:00"})


# --- subentries: phones ---


@pytest.mark.usefixtures("bypass_setup")
async def test_add_and_change_phone(hass: HomeAssistant) -> None:
    """Only phones the household does not have yet are offered; none left aborts."""
    pixel = add_phone(hass, "Pixel 8")
    galaxy = add_phone(hass, "Galaxy", dnd=None)
    entry = add_household(hass, phones=(("Pixel 8", {"notify": PIXEL_NOTIFY}),))

    result = await open_subentry(hass, entry, "phone")
    assert result["step_id"] == "user"
    assert select_options(result, "phone") == [{"value": galaxy.id, "label": "Galaxy"}]
    result = await submit(hass, result, {"phone": galaxy.id})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert subentries(entry, "phone") == [
        ("Pixel 8", {"notify": PIXEL_NOTIFY}),
        ("Galaxy", {"notify": "notify.mobile_app_galaxy"}),
    ]

    result = await open_subentry(hass, entry, "phone")
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "no_phones"

    # after enabling its DND sensor in the app, choosing the Pixel again picks it up
    result = await open_subentry(hass, entry, "phone", edit="Pixel 8")
    assert result["step_id"] == "reconfigure"
    assert select_options(result, "phone") == [{"value": pixel.id, "label": "Pixel 8"}]
    assert suggested(result) == {"phone": pixel.id}
    result = await submit(hass, result, {"phone": pixel.id})
    assert result["reason"] == "reconfigure_successful"
    assert subentries(entry, "phone")[0] == (
        "Pixel 8",
        {"notify": PIXEL_NOTIFY, "dnd_sensor": PIXEL_DND},
    )

    # the Galaxy is replaced by a new phone
    new = add_phone(hass, "Fairphone", dnd=None)
    result = await open_subentry(hass, entry, "phone", edit="Galaxy")
    assert [option["label"] for option in select_options(result, "phone")] == [
        "Fairphone",
        "Galaxy",
    ]
    result = await submit(hass, result, {"phone": new.id})
    assert subentries(entry, "phone")[1] == (
        "Fairphone",
        {"notify": "notify.mobile_app_fairphone"},
    )
    assert (
        subentry_called(entry, "Fairphone").unique_id == "notify.mobile_app_fairphone"
    )


@pytest.mark.usefixtures("bypass_setup")
async def test_no_companion_phone(hass: HomeAssistant) -> None:
    """Without a companion-app phone, "Add phone" explains instead of an empty list."""
    entry = add_household(hass)
    result = await open_subentry(hass, entry, "phone")
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "no_phones"
    assert subentries(entry, "phone") == []


# --- with the real engine and the real test household ---


@pytest.fixture
async def monday_noon(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Berlin, Monday 1 June 2026 at noon."""
    await hass.config.async_set_time_zone("Europe/Berlin")
    freezer.move_to("2026-06-01T12:00:00+02:00")


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
    assert [window.name for window in settings_of(entry).windows] == ["Dinner"]
    loaded = entry.runtime_data

    # saving options applies them in place: no reload
    result = await open_options(hass, entry, "timing")
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"lead_time": 10, "default_duration": 45}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert entry.runtime_data is loaded
    assert loaded.engine.settings.default_duration == 45
    assert entry.options == {**DEFAULT_OPTIONS, "lead_time": 10, "default_duration": 45}
    assert await hass.config_entries.async_unload(entry.entry_id)


@pytest.mark.usefixtures("monday_noon")
async def test_agreed_times_come_and_go(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The household adds lunch, moves it, deletes it, and at last every agreed time.

    Each change shows at once in the next start; with no agreed time left the
    household still starts by hand.
    """
    phones = await async_setup_house(hass)
    entry = await async_add_household(hass)
    assert state(hass, NEXT_START) == "2026-06-01T16:30:00+00:00"  # Dinner 18:30

    lunch = {"name": "Lunch", "days": list(WEEKDAYS), "start": "13:00", "end": "14:00"}
    result = await async_add_window(hass, entry, lunch)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert state(hass, NEXT_START) == "2026-06-01T11:00:00+00:00"

    result = await async_edit_window(hass, entry, "Lunch", start="15:00", end="16:00")
    assert result["reason"] == "reconfigure_successful"
    assert state(hass, NEXT_START) == "2026-06-01T13:00:00+00:00"

    # a refused change changes nothing
    result = await async_edit_window(hass, entry, "Lunch", end="14:30")
    assert result["errors"] == {"end": "window_too_long"}
    assert state(hass, NEXT_START) == "2026-06-01T13:00:00+00:00"

    for name in ("Lunch", "Dinner"):
        sub = subentry_called(entry, name)
        assert hass.config_entries.async_remove_subentry(entry, sub.subentry_id)
        await hass.async_block_till_done(wait_background_tasks=True)
    assert entry.state is ConfigEntryState.LOADED
    assert state(hass, NEXT_START) == "unknown"
    await jump(hass, freezer, "2026-06-01T18:30:00+02:00")
    assert state(hass, SWITCH) == "off"  # Dinner is gone

    await hass.services.async_call(
        "switch", "turn_on", {"entity_id": SWITCH}, blocking=True
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    assert state(hass, SWITCH) == "on"
    assert state(hass, DEFLECTION) == "on"
    await hass.services.async_call(
        "switch", "turn_off", {"entity_id": SWITCH}, blocking=True
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    assert state(hass, DEFLECTION) == "off"
    assert phones.commands(PIXEL) == ["priority_only", "off"]


@pytest.mark.usefixtures("monday_noon")
async def test_phone_added_before_dinner(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A phone added with "Add phone" goes quiet at the next agreed time; one deleted does not."""
    phones = await async_setup_house(hass)
    entry = await async_add_household(hass, phones=[{"notify": GALAXY}])
    add_phone(hass, "Pixel 8")  # its companion app signs in

    result = await open_subentry(hass, entry, "phone")
    pixel = select_options(result, "phone")[0]
    assert pixel["label"] == "Pixel 8"
    result = await submit(hass, result, {"phone": pixel["value"]})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done(wait_background_tasks=True)
    galaxy = subentry_called(entry, "Galaxy")
    assert hass.config_entries.async_remove_subentry(entry, galaxy.subentry_id)
    await hass.async_block_till_done(wait_background_tasks=True)

    await jump(hass, freezer, "2026-06-01T18:30:00+02:00")
    assert state(hass, SWITCH) == "on"
    assert phones.commands(PIXEL) == ["priority_only"]
    assert state(hass, PIXEL_DND) == "priority_only"
    assert phones.commands(GALAXY) == []
    await jump(hass, freezer, "2026-06-01T19:30:00+02:00")
    assert phones.commands(PIXEL) == ["priority_only", "off"]


@pytest.mark.usefixtures("monday_noon")
async def test_rename_mid_session(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Renaming the household during dinner keeps dinner on and ends it as agreed."""
    phones = await async_setup_house(hass)
    entry = await async_add_household(hass)
    await jump(hass, freezer, "2026-06-01T18:30:00+02:00")
    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"name": "The Smiths"}
    )
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done(wait_background_tasks=True)
    assert entry.state is ConfigEntryState.LOADED
    assert entry.runtime_data.engine.title == "The Smiths"
    assert state(hass, SWITCH) == "on"
    assert phones.commands(PIXEL) == ["priority_only"]
    await jump(hass, freezer, "2026-06-01T19:30:00+02:00")
    assert state(hass, SWITCH) == "off"
    assert state(hass, DEFLECTION) == "off"
    assert phones.commands(PIXEL) == ["priority_only", "off"]
