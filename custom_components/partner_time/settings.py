"""The household's settings, parsed and checked, without `hass`.

A household (config entry, version 2) keeps its household-wide settings in
`entry.options` and each agreed time and each phone as a config subentry (types
`window` and `phone`). Version 1 kept the agreed times and the phones in the options
too; `split_options` turns such options into the version 2 shape.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from copy import deepcopy
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

from .const import (
    CONF_BREAKTHROUGH_CALLERS,
    CONF_BREAKTHROUGH_LIGHT,
    CONF_BREAKTHROUGH_MEDIA_PLAYER,
    CONF_BREAKTHROUGH_NOTIFY,
    CONF_BREAKTHROUGH_TTS,
    CONF_CALL_SENSORS,
    CONF_DEFAULT_DURATION,
    CONF_DND_MODE,
    CONF_DND_SENSOR,
    CONF_END_SCRIPTS,
    CONF_FORWARDING_SWITCHES,
    CONF_HELD_DELIVERY,
    CONF_LEAD_TIME,
    CONF_NAME,
    CONF_NOTIFY,
    CONF_PEOPLE,
    CONF_PHONES,
    CONF_PRESENCE,
    CONF_PROPOSAL_TIMEOUT,
    CONF_RESTORE_LIGHTS,
    CONF_SCENE,
    CONF_START_SCRIPTS,
    CONF_WINDOWS,
    DEFAULT_DND_MODE,
    DEFAULT_DURATION,
    DEFAULT_LEAD_TIME,
    DEFAULT_NAME,
    DEFAULT_PROPOSAL_TIMEOUT,
    DEFAULT_WINDOW,
    DND_MODES,
    HELD_DELIVERIES,
    HELD_SUMMARY,
    MAX_DURATION,
    MAX_LEAD_TIME,
    MAX_PROPOSAL_TIMEOUT,
)
from .presence import PRESENCE_IGNORE, PRESENCE_RULES
from .schedule import InvalidWindow, Window

if TYPE_CHECKING:
    from homeassistant.config_entries import ConfigEntry, ConfigSubentryData

SUBENTRY_WINDOW: Final = "window"
SUBENTRY_PHONE: Final = "phone"

REASON_TOO_LONG: Final = "too_long"
MAX_WINDOW: Final = timedelta(hours=23)
"""An agreed time the settings UI accepts is shorter than this."""

DEFAULT_NAMES: Final[Mapping[str, tuple[str, str]]] = {
    "en": (DEFAULT_NAME, str(DEFAULT_WINDOW[CONF_NAME])),
    "de": ("Partnerzeit", "Abendessen"),
}
"""The suggested household and agreed-time names, by phrase language (`language_of`)."""


class InvalidSettings(ValueError):  # noqa: N818 - reads as "the settings are invalid"
    """Stored settings that cannot be used; `key` names the offending setting."""

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
    """Everything one household agreed on.

    `windows` may be empty: a household whose last agreed time was deleted has no
    schedule, and starts by hand still work.
    """

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
    people: tuple[str, ...] = ()
    presence: str = PRESENCE_IGNORE
    proposal_timeout: int = DEFAULT_PROPOSAL_TIMEOUT
    breakthrough_callers: tuple[str, ...] = ()
    breakthrough_media_player: str | None = None
    breakthrough_tts: str | None = None
    breakthrough_light: str | None = None
    breakthrough_notify: str | None = None
    held_delivery: str = HELD_SUMMARY

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
        found += [
            target
            for target in (
                self.breakthrough_media_player,
                self.breakthrough_tts,
                self.breakthrough_light,
                self.breakthrough_notify,
            )
            if target
        ]
        return [*found, *self.people]


def default_options() -> dict[str, Any]:
    """Return the household-wide options of a new household: nothing to act on yet."""
    return {
        CONF_DND_MODE: DEFAULT_DND_MODE,
        CONF_RESTORE_LIGHTS: True,
        CONF_FORWARDING_SWITCHES: [],
        CONF_START_SCRIPTS: [],
        CONF_END_SCRIPTS: [],
        CONF_LEAD_TIME: DEFAULT_LEAD_TIME,
        CONF_DEFAULT_DURATION: DEFAULT_DURATION,
        CONF_CALL_SENSORS: [],
    }


def agreed_window(data: Mapping[str, Any]) -> Window:
    """Return the window the settings UI accepts from `data` (the stored form).

    `Window.from_dict`'s checks, and shorter than 23 hours (a longer one is almost
    always a typo, such as 18:30 to 18:00); raise InvalidWindow with the reason.
    """
    window = Window.from_dict(data)
    day = date(2000, 1, 3)  # any date: wall-clock length, DST aside
    start = datetime.combine(day, window.start)
    end = datetime.combine(day, window.end)
    if end <= start:
        end += timedelta(days=1)
    if end - start >= MAX_WINDOW:
        raise InvalidWindow(REASON_TOO_LONG)
    return window


def window_subentry(window: Window) -> ConfigSubentryData:
    """Return an agreed time as a subentry: titled with its name."""
    return {
        "subentry_type": SUBENTRY_WINDOW,
        "title": window.name,
        "data": window.as_dict(),
        "unique_id": None,
    }


def phone_subentry(title: str, phone: Mapping[str, Any]) -> ConfigSubentryData:
    """Return a phone as a subentry: unique by its notify action."""
    data = {CONF_NOTIFY: phone[CONF_NOTIFY]}
    if phone.get(CONF_DND_SENSOR):
        data[CONF_DND_SENSOR] = phone[CONF_DND_SENSOR]
    return {
        "subentry_type": SUBENTRY_PHONE,
        "title": title,
        "data": data,
        "unique_id": str(phone[CONF_NOTIFY]),
    }


def phone_title(notify: str) -> str:
    """Return a name for a phone known only by its notify action."""
    service = notify.partition(".")[2].removeprefix("mobile_app_")
    return service.replace("_", " ").strip().capitalize() or notify


def split_options(
    options: Mapping[str, Any], phone_titles: Mapping[str, str] | None = None
) -> tuple[dict[str, Any], list[ConfigSubentryData]]:
    """Split version 1 options into version 2 options and subentries; nothing is lost.

    Every stored window and phone becomes a subentry as it was stored (a window that
    was never valid stays invalid, so the household reports it as before); version 1
    options without windows meant the default Dinner window. A phone listed twice
    becomes one subentry. phone_titles names phones by notify action. Raise
    InvalidSettings if the lists are not lists of mappings.
    """
    rest = {
        key: deepcopy(value)
        for key, value in options.items()
        if key not in (CONF_WINDOWS, CONF_PHONES)
    }
    windows = options.get(CONF_WINDOWS, [DEFAULT_WINDOW])
    phones = options.get(CONF_PHONES, [])
    for key, items in ((CONF_WINDOWS, windows), (CONF_PHONES, phones)):
        if not isinstance(items, list | tuple) or not all(
            isinstance(item, Mapping) for item in items
        ):
            raise InvalidSettings(key, f"not a list of mappings: {items!r}")
    subentries: list[ConfigSubentryData] = [
        {
            "subentry_type": SUBENTRY_WINDOW,
            "title": str(window.get(CONF_NAME) or ""),
            "data": deepcopy(dict(window)),
            "unique_id": None,
        }
        for window in windows
    ]
    seen: set[str] = set()
    for phone in phones:
        notify = str(phone.get(CONF_NOTIFY, ""))
        if notify in seen:
            continue
        seen.add(notify)
        title = (phone_titles or {}).get(notify) or phone_title(notify)
        subentry = phone_subentry(title, {**phone, CONF_NOTIFY: notify})
        subentry["data"] = deepcopy(dict(phone))
        subentries.append(subentry)
    return rest, subentries


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


def _window(item: Mapping[str, Any]) -> Window:
    try:
        return Window.from_dict(item)
    except InvalidWindow as err:
        raise InvalidSettings(
            CONF_WINDOWS, f"{item.get(CONF_NAME)!r}: {err.reason}"
        ) from err


def _phone(item: Mapping[str, Any]) -> Phone:
    if CONF_NOTIFY not in item:
        raise InvalidSettings(CONF_PHONES, f"not a phone: {dict(item)!r}")
    sensor = item.get(CONF_DND_SENSOR)
    return Phone(
        notify=_entity_id(item[CONF_NOTIFY], CONF_PHONES, "notify"),
        dnd_sensor=_entity_id(sensor, CONF_PHONES) if sensor else None,
    )


def parse_settings(
    options: Mapping[str, Any],
    subentries: Iterable[tuple[str, Mapping[str, Any]]] = (),
) -> Settings:
    """Parse a household; raise InvalidSettings naming the first bad setting.

    options are the household-wide settings, subentries the (type, data) of its
    agreed times and phones; subentries of other types are ignored.
    """
    windows: list[Window] = []
    phones: list[Phone] = []
    for subentry_type, data in subentries:
        if subentry_type == SUBENTRY_WINDOW:
            windows.append(_window(data))
        elif subentry_type == SUBENTRY_PHONE:
            phones.append(_phone(data))
    dnd_mode = options.get(CONF_DND_MODE, DEFAULT_DND_MODE)
    if dnd_mode not in DND_MODES:
        raise InvalidSettings(CONF_DND_MODE, f"unknown mode {dnd_mode!r}")
    restore = options.get(CONF_RESTORE_LIGHTS, True)
    if not isinstance(restore, bool):
        raise InvalidSettings(CONF_RESTORE_LIGHTS, "must be true or false")
    return Settings(
        windows=tuple(windows),
        phones=tuple(phones),
        dnd_mode=dnd_mode,
        scene=_optional(options, CONF_SCENE, "scene"),
        restore_lights=restore,
        forwarding_switches=_entity_ids(options, CONF_FORWARDING_SWITCHES, "switch"),
        start_scripts=_entity_ids(options, CONF_START_SCRIPTS, "script"),
        end_scripts=_entity_ids(options, CONF_END_SCRIPTS, "script"),
        notify=_optional(options, CONF_NOTIFY, "notify"),
        lead_time=_minutes(
            options, CONF_LEAD_TIME, DEFAULT_LEAD_TIME, 0, MAX_LEAD_TIME
        ),
        default_duration=_minutes(
            options, CONF_DEFAULT_DURATION, DEFAULT_DURATION, 1, MAX_DURATION
        ),
        call_sensors=_entity_ids(options, CONF_CALL_SENSORS, None),
        people=_entity_ids(options, CONF_PEOPLE, "person"),
        presence=_presence(options),
        proposal_timeout=_minutes(
            options,
            CONF_PROPOSAL_TIMEOUT,
            DEFAULT_PROPOSAL_TIMEOUT,
            1,
            MAX_PROPOSAL_TIMEOUT,
        ),
        breakthrough_callers=_callers(options),
        breakthrough_media_player=_optional(
            options, CONF_BREAKTHROUGH_MEDIA_PLAYER, "media_player"
        ),
        breakthrough_tts=_optional(options, CONF_BREAKTHROUGH_TTS, "tts"),
        breakthrough_light=_optional(options, CONF_BREAKTHROUGH_LIGHT, "light"),
        breakthrough_notify=_optional(options, CONF_BREAKTHROUGH_NOTIFY, "notify"),
        held_delivery=_held_delivery(options),
    )


def _optional(options: Mapping[str, Any], key: str, domain: str) -> str | None:
    """Check an optional entity or action id of `domain`."""
    value = options.get(key)
    return _entity_id(value, key, domain) if value else None


def _callers(options: Mapping[str, Any]) -> tuple[str, ...]:
    """Check the callers who get through: numbers or names, each said once."""
    values = options.get(CONF_BREAKTHROUGH_CALLERS, [])
    if not isinstance(values, list | tuple) or not all(
        isinstance(value, str) for value in values
    ):
        raise InvalidSettings(CONF_BREAKTHROUGH_CALLERS, "not a list of texts")
    return tuple(caller_list(values))


def caller_list(values: Iterable[str]) -> list[str]:
    """Return the callers as typed, trimmed, without empty ones and repeats."""
    return list(dict.fromkeys(value.strip() for value in values if value.strip()))


def _held_delivery(options: Mapping[str, Any]) -> str:
    value = options.get(CONF_HELD_DELIVERY, HELD_SUMMARY)
    if value not in HELD_DELIVERIES:
        raise InvalidSettings(CONF_HELD_DELIVERY, f"unknown delivery {value!r}")
    return str(value)


def _presence(options: Mapping[str, Any]) -> str:
    rule = options.get(CONF_PRESENCE, PRESENCE_IGNORE)
    if rule not in PRESENCE_RULES:
        raise InvalidSettings(CONF_PRESENCE, f"unknown rule {rule!r}")
    return str(rule)


def settings_of(entry: ConfigEntry[Any]) -> Settings:
    """Parse a version 2 config entry: its options and its subentries."""
    return parse_settings(
        entry.options,
        (
            (subentry.subentry_type, subentry.data)
            for subentry in entry.subentries.values()
        ),
    )
