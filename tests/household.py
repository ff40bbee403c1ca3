"""A real household for the tests.

Template lights and a call-deflection switch, a scene, scripts, and phones whose push
channel is mocked (the only thing outside HA).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from homeassistant.exceptions import HomeAssistantError
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.partner_time.const import DOMAIN
from custom_components.partner_time.settings import default_options

if TYPE_CHECKING:
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


def household_options(**changes: Any) -> dict[str, Any]:
    """Return the test household's options: Dinner 18:30-19:30 daily, every target set."""
    options = default_options()
    options.update(
        {
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
    """Add and set up a household entry."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=title,
        data={},
        options=household_options(**changes),
        version=1,
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    return entry
