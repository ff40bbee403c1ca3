"""The household's settings: `entry.options` parsed and checked, without `hass`."""

from __future__ import annotations

from collections.abc import Mapping
from copy import deepcopy
from dataclasses import dataclass, field
from typing import Any

from .const import (
    CONF_CALL_SENSORS,
    CONF_DEFAULT_DURATION,
    CONF_DND_MODE,
    CONF_DND_SENSOR,
    CONF_END_SCRIPTS,
    CONF_FORWARDING_SWITCHES,
    CONF_LEAD_TIME,
    CONF_NOTIFY,
    CONF_PHONES,
    CONF_RESTORE_LIGHTS,
    CONF_SCENE,
    CONF_START_SCRIPTS,
    CONF_WINDOWS,
    DEFAULT_DND_MODE,
    DEFAULT_DURATION,
    DEFAULT_LEAD_TIME,
    DEFAULT_WINDOW,
    DND_MODES,
    MAX_DURATION,
    MAX_LEAD_TIME,
)
from .schedule import InvalidWindow, Window


class InvalidSettings(ValueError):  # noqa: N818 - reads as "the settings are invalid"
    """Stored options that cannot be used; `key` names the offending setting."""

    def __init__(self, key: str, detail: str) -> None:
        """Remember which setting is wrong and why."""
        super().__init__(f"{key}: {detail}")
        self.key = key
        self.detail = detail


@dataclass(frozen=True, slots=True)
class Phone:
    """A companion-app phone: its notify action and, optionally, its DND sensor."""

    notify: str
    dnd_sensor: str | None = None


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything one household agreed on."""

    windows: tuple[Window, ...]
    phones: tuple[Phone, ...] = ()
    dnd_mode: str = DEFAULT_DND_MODE
    scene: str | None = None
    restore_lights: bool = True
    forwarding_switches: tuple[str, ...] = ()
    start_scripts: tuple[str, ...] = ()
    end_scripts: tuple[str, ...] = ()
    notify: str | None = None
    lead_time: int = DEFAULT_LEAD_TIME
    default_duration: int = DEFAULT_DURATION
    call_sensors: tuple[str, ...] = field(default=())

    @property
    def notify_service(self) -> str | None:
        """The household notify service name without the domain."""
        return self.notify.partition(".")[2] if self.notify else None

    def targets(self) -> list[str]:
        """Every entity and action the settings point at (for repairs and diagnostics)."""
        found = [phone.notify for phone in self.phones]
        found += [phone.dnd_sensor for phone in self.phones if phone.dnd_sensor]
        if self.scene:
            found.append(self.scene)
        found += [*self.forwarding_switches, *self.start_scripts, *self.end_scripts]
        if self.notify:
            found.append(self.notify)
        return found


def default_options() -> dict[str, Any]:
    """Return the options of a new household: one Dinner window, nothing else to act on."""
    return {
        CONF_WINDOWS: [deepcopy(dict(DEFAULT_WINDOW))],
        CONF_PHONES: [],
        CONF_DND_MODE: DEFAULT_DND_MODE,
        CONF_RESTORE_LIGHTS: True,
        CONF_FORWARDING_SWITCHES: [],
        CONF_START_SCRIPTS: [],
        CONF_END_SCRIPTS: [],
        CONF_LEAD_TIME: DEFAULT_LEAD_TIME,
        CONF_DEFAULT_DURATION: DEFAULT_DURATION,
        CONF_CALL_SENSORS: [],
    }


def _entity_id(value: Any, key: str, domain: str | None = None) -> str:
    """Check one entity or action id like `switch.x` (of `domain`, if given)."""
    if not isinstance(value, str) or value.count(".") != 1 or not all(value.split(".")):
        raise InvalidSettings(key, f"not an entity id: {value!r}")
    if domain is not None and not value.startswith(f"{domain}."):
        raise InvalidSettings(key, f"not a {domain} entity: {value!r}")
    return value


def _entity_ids(
    options: Mapping[str, Any], key: str, domain: str | None
) -> tuple[str, ...]:
    """Check a list of entity ids."""
    values = options.get(key, [])
    if not isinstance(values, list | tuple):
        raise InvalidSettings(key, "not a list")
    return tuple(_entity_id(value, key, domain) for value in values)


def _minutes(
    options: Mapping[str, Any], key: str, default: int, low: int, high: int
) -> int:
    """Check a whole number of minutes within [low, high]."""
    value = options.get(key, default)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if (
        not isinstance(value, int)
        or isinstance(value, bool)
        or not low <= value <= high
    ):
        raise InvalidSettings(key, f"must be {low}-{high} minutes, got {value!r}")
    return value


def _windows(options: Mapping[str, Any]) -> tuple[Window, ...]:
    raw = options.get(CONF_WINDOWS, [DEFAULT_WINDOW])
    if not isinstance(raw, list | tuple) or not raw:
        raise InvalidSettings(CONF_WINDOWS, "at least one window is needed")
    windows = []
    for item in raw:
        if not isinstance(item, Mapping):
            raise InvalidSettings(CONF_WINDOWS, f"not a window: {item!r}")
        try:
            windows.append(Window.from_dict(item))
        except InvalidWindow as err:
            raise InvalidSettings(
                CONF_WINDOWS, f"{item.get('name')!r}: {err.reason}"
            ) from err
    return tuple(windows)


def _phones(options: Mapping[str, Any]) -> tuple[Phone, ...]:
    raw = options.get(CONF_PHONES, [])
    if not isinstance(raw, list | tuple):
        raise InvalidSettings(CONF_PHONES, "not a list")
    phones = []
    for item in raw:
        if not isinstance(item, Mapping) or "notify" not in item:
            raise InvalidSettings(CONF_PHONES, f"not a phone: {item!r}")
        sensor = item.get(CONF_DND_SENSOR)
        phones.append(
            Phone(
                notify=_entity_id(item["notify"], CONF_PHONES, "notify"),
                dnd_sensor=_entity_id(sensor, CONF_PHONES) if sensor else None,
            )
        )
    return tuple(phones)


def parse_settings(options: Mapping[str, Any]) -> Settings:
    """Parse `entry.options`; raise InvalidSettings naming the first bad setting."""
    dnd_mode = options.get(CONF_DND_MODE, DEFAULT_DND_MODE)
    if dnd_mode not in DND_MODES:
        raise InvalidSettings(CONF_DND_MODE, f"unknown mode {dnd_mode!r}")
    scene = options.get(CONF_SCENE)
    notify = options.get(CONF_NOTIFY)
    restore = options.get(CONF_RESTORE_LIGHTS, True)
    if not isinstance(restore, bool):
        raise InvalidSettings(CONF_RESTORE_LIGHTS, "must be true or false")
    return Settings(
        windows=_windows(options),
        phones=_phones(options),
        dnd_mode=dnd_mode,
        scene=_entity_id(scene, CONF_SCENE, "scene") if scene else None,
        restore_lights=restore,
        forwarding_switches=_entity_ids(options, CONF_FORWARDING_SWITCHES, "switch"),
        start_scripts=_entity_ids(options, CONF_START_SCRIPTS, "script"),
        end_scripts=_entity_ids(options, CONF_END_SCRIPTS, "script"),
        notify=_entity_id(notify, CONF_NOTIFY, "notify") if notify else None,
        lead_time=_minutes(
            options, CONF_LEAD_TIME, DEFAULT_LEAD_TIME, 0, MAX_LEAD_TIME
        ),
        default_duration=_minutes(
            options, CONF_DEFAULT_DURATION, DEFAULT_DURATION, 1, MAX_DURATION
        ),
        call_sensors=_entity_ids(options, CONF_CALL_SENSORS, None),
    )
