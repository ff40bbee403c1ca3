"""A real household for the tests.

Template lights and a call-deflection switch, a scene, scripts, and phones whose push
channel is mocked (the only thing outside HA).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import SOURCE_RECONFIGURE, SOURCE_USER
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.partner_time.const import DEFAULT_WINDOW, DOMAIN
from custom_components.partner_time.settings import default_options, split_options

if TYPE_CHECKING:
    from collections.abc import Mapping

    from homeassistant.config_entries import ConfigEntry, SubentryFlowResult
    from homeassistant.core import HomeAssistant, ServiceCall, ServiceResponse

DINING = "light.dining"
CANDLES = "light.candles"
DEFLECTION = "switch.fritz_box_call_deflection_0"
SCENE = "scene.dinner"
PIXEL = "notify.mobile_app_pixel_8"
PIXEL_DND = "sensor.pixel_8_do_not_disturb_sensor"
GALAXY = "notify.mobile_app_galaxy"


def _light(name: str, backing: str, level: str | None = None) -> dict[str, Any]:
    light: dict[str, Any] = {
        "name": name,
        "unique_id": f"test_{backing}",
        "state": f"{{{{ is_state('input_boolean.{backing}', 'on') }}}}",
        "turn_on": {
            "action": "input_boolean.turn_on",
            "target": {"entity_id": f"input_boolean.{backing}"},
        },
        "turn_off": {
            "action": "input_boolean.turn_off",
            "target": {"entity_id": f"input_boolean.{backing}"},
        },
    }
    if level:
        light["level"] = f"{{{{ states('input_number.{level}') | int }}}}"
        light["set_level"] = [
            {
                "action": "input_number.set_value",
                "target": {"entity_id": f"input_number.{level}"},
                "data": {"value": "{{ brightness }}"},
            },
            {
                "action": "input_boolean.turn_on",
                "target": {"entity_id": f"input_boolean.{backing}"},
            },
        ]
    return light


@dataclass
class Phones:
    """The mocked push channel of the companion app: records what each phone received."""

    hass: HomeAssistant
    received: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    failing: set[str] = field(default_factory=set)
    hanging: set[str] = field(default_factory=set)
    release: asyncio.Event = field(default_factory=asyncio.Event)
    sensors: dict[str, str] = field(default_factory=dict)

    def add(self, notify: str, dnd_sensor: str | None = None) -> None:
        """Register `notify.mobile_app_x` like mobile_app does for a phone.

        A phone with a DND sensor reports its new DND state back, as the app does.
        """
        self.received[notify] = []
        if dnd_sensor:
            self.sensors[notify] = dnd_sensor
            self.hass.states.async_set(dnd_sensor, "off")
        self.hass.services.async_register(
            "notify", notify.partition(".")[2], self._handle
        )

    async def _handle(self, call: ServiceCall) -> ServiceResponse:
        notify = f"notify.{call.service}"
        if notify in self.hanging:
            await self.release.wait()
        if notify in self.failing:
            msg = "push failed"
            raise HomeAssistantError(msg)
        self.received[notify].append(dict(call.data))
        if call.data.get("message") == "command_dnd" and notify in self.sensors:
            self.hass.states.async_set(
                self.sensors[notify], call.data["data"]["command"]
            )
        return None

    def commands(self, notify: str) -> list[str]:
        """Return the DND commands a phone received, in order."""
        return [
            c["data"]["command"]
            for c in self.received[notify]
            if c.get("message") == "command_dnd"
        ]


async def async_setup_house(hass: HomeAssistant) -> Phones:
    """Set up the lights, the deflection switch, the dinner scene, scripts and two phones."""
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(
        hass,
        "input_boolean",
        {"input_boolean": {"dining": {}, "candles": {}, "deflection": {}}},
    )
    assert await async_setup_component(
        hass,
        "input_number",
        {
            "input_number": {
                "dining_level": {"min": 0, "max": 255, "step": 1, "initial": 200}
            }
        },
    )
    assert await async_setup_component(
        hass,
        "template",
        {
            "template": [
                {
                    "light": [
                        _light("Dining", "dining", "dining_level"),
                        _light("Candles", "candles"),
                    ],
                    "switch": [
                        {
                            "name": "FRITZ!Box Call deflection 0",
                            "unique_id": "test_deflection",
                            "state": "{{ is_state('input_boolean.deflection', 'on') }}",
                            "turn_on": {
                                "action": "input_boolean.turn_on",
                                "target": {"entity_id": "input_boolean.deflection"},
                            },
                            "turn_off": {
                                "action": "input_boolean.turn_off",
                                "target": {"entity_id": "input_boolean.deflection"},
                            },
                        }
                    ],
                }
            ]
        },
    )
    assert await async_setup_component(
        hass,
        "scene",
        {
            "scene": [
                {
                    "name": "Dinner",
                    "entities": {
                        DINING: {"state": "on", "brightness": 60},
                        CANDLES: "on",
                    },
                }
            ]
        },
    )
    assert await async_setup_component(
        hass,
        "script",
        {
            "script": {
                "greeting_on": {
                    "sequence": [{"event": "test_greeting", "event_data": {"on": True}}]
                },
                "greeting_off": {
                    "sequence": [
                        {"event": "test_greeting", "event_data": {"on": False}}
                    ]
                },
            }
        },
    )
    await hass.async_block_till_done()
    phones = Phones(hass)
    phones.add(PIXEL, PIXEL_DND)
    phones.add(GALAXY)
    return phones


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


def household_options(**changes: Any) -> dict[str, Any]:
    """Return the test household's settings in the version 1 format (all in options).

    Dinner 18:30-19:30 daily, two phones, every target set. `async_add_household`
    turns them into a version 2 entry (agreed times and phones as subentries).
    """
    options = default_options()
    options.update(
        {
            "windows": [dict(DEFAULT_WINDOW)],
            "phones": [{"notify": PIXEL, "dnd_sensor": PIXEL_DND}, {"notify": GALAXY}],
            "scene": SCENE,
            "forwarding_switches": [DEFLECTION],
            "start_scripts": ["script.greeting_on"],
            "end_scripts": ["script.greeting_off"],
            "call_sensors": ["sensor.fritz_box_call_monitor"],
        }
    )
    options.update(changes)
    return options


async def async_add_household(
    hass: HomeAssistant, title: str = "Partner time", **changes: Any
) -> MockConfigEntry:
    """Add and set up a household entry (version 2: agreed times and phones as subentries).

    changes are in the version 1 format of `household_options` (e.g. `windows=[...]`).
    """
    options, subentries = split_options(household_options(**changes))
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=title,
        data={},
        options=options,
        subentries_data=subentries,
        version=2,
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    return entry


async def async_add_window(
    hass: HomeAssistant, entry: ConfigEntry, form: Mapping[str, Any]
) -> SubentryFlowResult:
    """Add an agreed time as the integration page's "Add agreed time" button does.

    form is what the household types: name, days, start, end. Returns the flow's
    result (an entry, or the form again with its errors) once everything settled.
    """
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "window"), context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], dict(form)
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    return result


async def async_edit_window(
    hass: HomeAssistant, entry: ConfigEntry, name: str, **changes: Any
) -> SubentryFlowResult:
    """Edit the agreed time called name as its "Edit agreed time" button does."""
    subentry = next(
        subentry
        for subentry in entry.subentries.values()
        if subentry.subentry_type == "window" and subentry.title == name
    )
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "window"),
        context={"source": SOURCE_RECONFIGURE, "subentry_id": subentry.subentry_id},
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {**subentry.data, **changes}
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    return result


def assert_restored(
    hass: HomeAssistant, phones: Phones, *phone_ids: str, brightness: int | None = None
) -> None:
    """Check the room is as it was: candles off, forwarding off, each phone's DND lifted.

    `phone_ids` are the phones that must have been silenced once and released once
    (the last command is "off"); `brightness`, if given, is the dining light's.
    """
    for entity_id in (CANDLES, DEFLECTION):
        current = hass.states.get(entity_id)
        assert current is not None, f"{entity_id} does not exist"
        assert current.state == "off", f"{entity_id} is {current.state}"
    for phone in phone_ids:
        assert phones.commands(phone)[-1:] == ["off"], phones.commands(phone)
    if brightness is not None:
        dining = hass.states.get(DINING)
        assert dining is not None
        assert dining.attributes.get("brightness") == brightness
