"""What the flows share: form fields, checks and the companion-app phones HA knows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import voluptuous as vol
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.selector import (
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TimeSelector,
)
from homeassistant.util import slugify

from .const import (
    CONF_CALL_SENSORS,
    CONF_DAYS,
    CONF_DND_MODE,
    CONF_DND_SENSOR,
    CONF_END,
    CONF_END_SCRIPTS,
    CONF_FORWARDING_SWITCHES,
    CONF_NAME,
    CONF_NOTIFY,
    CONF_SCENE,
    CONF_START,
    CONF_START_SCRIPTS,
    DEFAULT_DND_MODE,
    DND_MODES,
    DOMAIN,
    WEEKDAYS,
)
from .phrases import DAYS, language_of
from .schedule import (
    REASON_DAYS,
    REASON_END,
    REASON_NAME,
    REASON_START,
    REASON_START_EQUALS_END,
    InvalidWindow,
    Window,
)
from .settings import (
    DEFAULT_NAMES,
    REASON_TOO_LONG,
    agreed_window,
    phone_subentry,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from homeassistant.config_entries import ConfigSubentry, ConfigSubentryData
    from homeassistant.core import HomeAssistant


# Form fields that are not stored keys. The first form asks for the household's name
# (HA's CONF_NAME, "name") and the first agreed time's name as "window_name".
CONF_WINDOW_NAME: Final = "window_name"
CONF_PHONE: Final = "phone"
NOTIFY_DOMAIN: Final = "notify"
MOBILE_APP_DOMAIN: Final = "mobile_app"
MANUFACTURER_APPLE: Final = "Apple"
IOS_OS_NAMES: Final = frozenset({"ios", "ipados"})
IOS_MARK: Final = " (iOS)"
MINUTES: Final = "min"
DASH: Final = "\u2013"  # en dash, for ranges of days and times
NONE_LISTED: Final = DASH

# Selector translation keys (section "selector" of translations/*.json).
TRANSLATION_WEEKDAY: Final = "weekday"
TRANSLATION_DND_MODE: Final = "dnd_mode"

# Errors (section "error" of the flows) and aborts.
ERROR_NAME_EXISTS: Final = "name_exists"
ERROR_EMPTY_NAME: Final = "empty_name"
ERROR_WINDOW_NAME_EXISTS: Final = "window_name_exists"
ERROR_NO_DAYS: Final = "no_days"
ERROR_INVALID_TIME: Final = "invalid_time"
ERROR_START_EQUALS_END: Final = "start_equals_end"
ERROR_WINDOW_TOO_LONG: Final = "window_too_long"
ERROR_OWN_ENTITY: Final = "own_entity"
ABORT_NO_PHONES: Final = "no_phones"

# Why a window was refused (schedule's and settings' reasons) -> (form field, error).
# The name field is passed in: "window_name" on the first form, "name" in a subentry.
WINDOW_ERRORS: Final[Mapping[str, tuple[str | None, str]]] = {
    REASON_NAME: (None, ERROR_EMPTY_NAME),
    REASON_DAYS: (CONF_DAYS, ERROR_NO_DAYS),
    REASON_START: (CONF_START, ERROR_INVALID_TIME),
    REASON_END: (CONF_END, ERROR_INVALID_TIME),
    REASON_START_EQUALS_END: (CONF_END, ERROR_START_EQUALS_END),
    REASON_TOO_LONG: (CONF_END, ERROR_WINDOW_TOO_LONG),
}

# The "house" fields that name entities, checked against Partner Time's own entities.
ENTITY_TARGETS: Final = (
    CONF_SCENE,
    CONF_FORWARDING_SWITCHES,
    CONF_START_SCRIPTS,
    CONF_END_SCRIPTS,
    CONF_CALL_SENSORS,
)
LIST_TARGETS: Final = (
    CONF_FORWARDING_SWITCHES,
    CONF_START_SCRIPTS,
    CONF_END_SCRIPTS,
    CONF_CALL_SENSORS,
)


def name_taken(hass: HomeAssistant, name: str, exclude_entry_id: str | None) -> bool:
    """Tell whether another household already uses this name (case-insensitive)."""
    wanted = name.casefold()
    return any(
        entry.title.casefold() == wanted
        for entry in hass.config_entries.async_entries(DOMAIN, include_ignore=False)
        if entry.entry_id != exclude_entry_id
    )


def default_names(hass: HomeAssistant) -> tuple[str, str]:
    """Return the suggested household and agreed-time names in HA's language."""
    return DEFAULT_NAMES[language_of(hass.config.language)]


# ---------------------------------------------------------------------------
# Agreed times (windows)


def window_fields(name_key: str, window: Mapping[str, Any]) -> dict[Any, Any]:
    """Return the form fields of one agreed time, with window's values as defaults."""
    return {
        vol.Required(name_key, default=window.get(CONF_NAME, "")): TextSelector(),
        vol.Required(CONF_DAYS, default=list(window[CONF_DAYS])): SelectSelector(
            SelectSelectorConfig(
                options=list(WEEKDAYS),
                multiple=True,
                mode=SelectSelectorMode.LIST,
                translation_key=TRANSLATION_WEEKDAY,
            )
        ),
        vol.Required(CONF_START, default=window[CONF_START]): TimeSelector(),
        vol.Required(CONF_END, default=window[CONF_END]): TimeSelector(),
    }


def check_window(
    user_input: Mapping[str, Any], name_key: str, others: Iterable[str]
) -> tuple[Window | None, dict[str, str]]:
    """Turn the window form into a window, or into the form's errors.

    The rules are the settings' (`agreed_window`); others are the names of the
    household's other agreed times, which must not be reused.
    """
    name = str(user_input.get(name_key, "")).strip()
    errors: dict[str, str] = {}
    if name and name.casefold() in {other.casefold() for other in others}:
        errors[name_key] = ERROR_WINDOW_NAME_EXISTS
    try:
        window = agreed_window(
            {
                CONF_NAME: name,
                CONF_DAYS: user_input.get(CONF_DAYS),
                CONF_START: user_input.get(CONF_START),
                CONF_END: user_input.get(CONF_END),
            }
        )
    except InvalidWindow as err:
        field, error = WINDOW_ERRORS[err.reason]
        errors[field or name_key] = error
        return None, errors
    return (None if errors else window), errors


def window_summary(language: str | None, data: Mapping[str, Any]) -> str:
    """Return how an agreed time is listed: "Dinner (Mo-Su 18:30-19:30)".

    The dashes are en dashes. Days in runs of three or more are written as a range; day names are the
    first two letters of the phrase table's (Mo Tu We … / Mo Di Mi …).
    """
    try:
        window = Window.from_dict(data)
    except InvalidWindow:
        return str(data.get(CONF_NAME) or "?")
    names = [day[:2] for day in DAYS[language_of(language)]]
    days = sorted(window.days)
    runs: list[list[int]] = []
    for day in days:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts: list[str] = []
    for run in runs:
        if len(run) >= 3:  # noqa: PLR2004 - two days read better as "Sa, Su"
            parts.append(f"{names[run[0]]}{DASH}{names[run[-1]]}")
        else:
            parts.extend(names[day] for day in run)
    times = f"{window.start.strftime('%H:%M')}{DASH}{window.end.strftime('%H:%M')}"
    return f"{window.name} ({', '.join(parts)} {times})"


def windows_summary(hass: HomeAssistant, subentries: Iterable[ConfigSubentry]) -> str:
    """List agreed times for a description, with their days."""
    language = hass.config.language
    listed = [window_summary(language, subentry.data) for subentry in subentries]
    return "; ".join(listed) or NONE_LISTED


# ---------------------------------------------------------------------------
# Phones


@dataclass(frozen=True, slots=True)
class CompanionPhone:
    """A companion-app device HA knows, as the phone forms offer it."""

    device_id: str
    label: str
    notify: str
    dnd_sensor: str | None

    def as_option(self) -> dict[str, str]:
        """Return the phone in the stored settings format."""
        phone = {CONF_NOTIFY: self.notify}
        if self.dnd_sensor is not None:
            phone[CONF_DND_SENSOR] = self.dnd_sensor
        return phone

    def as_subentry(self) -> ConfigSubentryData:
        """Return the phone as a subentry titled with its name."""
        return phone_subentry(self.label, self.as_option())


def _is_dnd_sensor(entity: er.RegistryEntry) -> bool:
    """Tell whether a companion-app entity is the Do-Not-Disturb sensor.

    The Android app registers it with the sensor unique_id "dnd_sensor" (HA prefixes
    the webhook id) and the name "Do Not Disturb Sensor" (so the entity id ends with
    do_not_disturb_sensor).
    """
    if entity.domain != "sensor":
        return False
    unique_id = entity.unique_id.casefold()
    name = (entity.original_name or "").casefold()
    return (
        unique_id.endswith("dnd_sensor")
        or "do_not_disturb" in unique_id
        or "do_not_disturb" in entity.entity_id
        or "do not disturb" in name
    )


def known_phones(hass: HomeAssistant) -> list[CompanionPhone]:
    """Return the companion-app devices in the device registry, sorted by name.

    mobile_app registers one legacy notify action per device,
    notify.mobile_app_<slugified device_name of the registration>.
    """
    devices = dr.async_get(hass)
    entities = er.async_get(hass)
    phones: dict[str, CompanionPhone] = {}
    for entry in hass.config_entries.async_entries(MOBILE_APP_DOMAIN):
        registered_name = entry.data.get("device_name")
        os_name = str(entry.data.get("os_name", "")).casefold()
        for device in dr.async_entries_for_config_entry(devices, entry.entry_id):
            name = str(registered_name or device.name or entry.title)
            label = device.name_by_user or device.name or name
            ios = device.manufacturer == MANUFACTURER_APPLE or os_name in IOS_OS_NAMES
            dnd_sensor = None
            if not ios:
                dnd_sensor = next(
                    (
                        entity.entity_id
                        for entity in er.async_entries_for_device(entities, device.id)
                        if _is_dnd_sensor(entity)
                    ),
                    None,
                )
            phones[device.id] = CompanionPhone(
                device_id=device.id,
                label=label + IOS_MARK if ios else label,
                notify=f"{NOTIFY_DOMAIN}.{slugify(f'{MOBILE_APP_DOMAIN}_{name}')}",
                dnd_sensor=dnd_sensor,
            )
    return sorted(phones.values(), key=lambda phone: phone.label.casefold())


def phone_choices(phones: Iterable[CompanionPhone]) -> list[SelectOptionDict]:
    """Return the phones as choices of a select field."""
    return [
        SelectOptionDict(value=phone.device_id, label=phone.label) for phone in phones
    ]


def dnd_mode_field() -> dict[Any, Any]:
    """Return the field of how far the phones go quiet."""
    return {
        vol.Required(CONF_DND_MODE, default=DEFAULT_DND_MODE): SelectSelector(
            SelectSelectorConfig(
                options=list(DND_MODES),
                mode=SelectSelectorMode.LIST,
                translation_key=TRANSLATION_DND_MODE,
            )
        )
    }
