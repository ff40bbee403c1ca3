"""Settings UI of Partner Time: the config flow, reconfigure and the options flow.

A config entry is one household's agreement. Its title is the household's name,
`entry.data` stays empty and every setting lives in `entry.options` (see const.py).
"""

from __future__ import annotations

from copy import deepcopy
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, override

import probatio
from homeassistant.config_entries import (
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlow,
    OptionsFlowWithReload,
)
from homeassistant.const import CONF_NAME as CONF_HOUSEHOLD_NAME
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.selector import (
    BooleanSelector,
    EntitySelector,
    EntitySelectorConfig,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
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
    CONF_DEFAULT_DURATION,
    CONF_DND_MODE,
    CONF_DND_SENSOR,
    CONF_END,
    CONF_END_SCRIPTS,
    CONF_FORWARDING_SWITCHES,
    CONF_LEAD_TIME,
    CONF_NAME,
    CONF_NOTIFY,
    CONF_PHONES,
    CONF_RESTORE_LIGHTS,
    CONF_SCENE,
    CONF_START,
    CONF_START_SCRIPTS,
    CONF_WINDOWS,
    DEFAULT_DND_MODE,
    DEFAULT_DURATION,
    DEFAULT_LEAD_TIME,
    DEFAULT_NAME,
    DEFAULT_WINDOW,
    DND_MODES,
    DOMAIN,
    MAX_DURATION,
    MAX_LEAD_TIME,
    WEEKDAYS,
)
from .settings import default_options

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

# Form fields that are not option keys. The household name uses HA's CONF_NAME ("name");
# the window's own name is asked as "window_name" so both fit on the first form.
CONF_WINDOW_NAME: Final = "window_name"
CONF_WINDOW: Final = "window"
NOTIFY_DOMAIN: Final = "notify"
MOBILE_APP_DOMAIN: Final = "mobile_app"
MANUFACTURER_APPLE: Final = "Apple"
IOS_OS_NAMES: Final = frozenset({"ios", "ipados"})
IOS_MARK: Final = " (iOS)"
MINUTES: Final = "min"
DEFAULT_WINDOW_NAME: Final = str(DEFAULT_WINDOW[CONF_NAME])

# Selector translation keys (section "selector" of translations/*.json).
TRANSLATION_WEEKDAY: Final = "weekday"
TRANSLATION_DND_MODE: Final = "dnd_mode"

# Errors (section "error" of the config and options flows).
ERROR_NAME_EXISTS: Final = "name_exists"
ERROR_EMPTY_NAME: Final = "empty_name"
ERROR_WINDOW_NAME_EXISTS: Final = "window_name_exists"
ERROR_NO_DAYS: Final = "no_days"
ERROR_START_EQUALS_END: Final = "start_equals_end"
ERROR_OWN_ENTITY: Final = "own_entity"
ERROR_LAST_WINDOW: Final = "last_window"

# Default names shown on the first form when Home Assistant speaks another language.
LOCALIZED_DEFAULTS: Final[dict[str, tuple[str, str]]] = {
    "de": ("Partnerzeit", "Abendessen"),
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


def _with_defaults(options: Mapping[str, Any]) -> dict[str, Any]:
    """Return a deep copy of options with every missing key set to its default."""
    return {**default_options(), **deepcopy(dict(options))}


def _name_taken(hass: HomeAssistant, name: str, exclude_entry_id: str | None) -> bool:
    """Tell whether another household already uses this name (case-insensitive)."""
    wanted = name.casefold()
    return any(
        entry.title.casefold() == wanted
        for entry in hass.config_entries.async_entries(DOMAIN, include_ignore=False)
        if entry.entry_id != exclude_entry_id
    )


# ---------------------------------------------------------------------------
# Agreed times (windows)


def _window_fields(window: Mapping[str, Any]) -> dict[probatio.Marker, Any]:
    """Return the form fields of one agreed time, pre-filled from window."""
    return {
        probatio.Required(
            CONF_WINDOW_NAME, default=window.get(CONF_NAME, "")
        ): TextSelector(),
        probatio.Required(CONF_DAYS, default=list(window[CONF_DAYS])): SelectSelector(
            SelectSelectorConfig(
                options=list(WEEKDAYS),
                multiple=True,
                mode=SelectSelectorMode.LIST,
                translation_key=TRANSLATION_WEEKDAY,
            )
        ),
        probatio.Required(CONF_START, default=window[CONF_START]): TimeSelector(),
        probatio.Required(CONF_END, default=window[CONF_END]): TimeSelector(),
    }


def _window_form_values(window: Mapping[str, Any]) -> dict[str, Any]:
    """Return a stored window as values of the window form."""
    return {
        CONF_WINDOW_NAME: window[CONF_NAME],
        CONF_DAYS: list(window[CONF_DAYS]),
        CONF_START: window[CONF_START],
        CONF_END: window[CONF_END],
    }


def _normalize_time(value: str) -> str:
    """Return a time from the time selector as HH:MM:SS."""
    return cv.time(value).strftime("%H:%M:%S")


def _validate_window(
    user_input: Mapping[str, Any], others: Iterable[Mapping[str, Any]]
) -> tuple[dict[str, Any], dict[str, str]]:
    """Turn the window form into a stored window; also return the field errors.

    others are the household's other windows, whose names must not be reused.
    """
    name = str(user_input[CONF_WINDOW_NAME]).strip()
    chosen = set(user_input[CONF_DAYS])
    window = {
        CONF_NAME: name,
        CONF_DAYS: [day for day in WEEKDAYS if day in chosen],
        CONF_START: _normalize_time(user_input[CONF_START]),
        CONF_END: _normalize_time(user_input[CONF_END]),
    }
    errors: dict[str, str] = {}
    if not name:
        errors[CONF_WINDOW_NAME] = ERROR_EMPTY_NAME
    elif any(str(other[CONF_NAME]).casefold() == name.casefold() for other in others):
        errors[CONF_WINDOW_NAME] = ERROR_WINDOW_NAME_EXISTS
    if not window[CONF_DAYS]:
        errors[CONF_DAYS] = ERROR_NO_DAYS
    if window[CONF_START] == window[CONF_END]:
        errors[CONF_END] = ERROR_START_EQUALS_END
    return window, errors


def _window_label(window: Mapping[str, Any]) -> str:
    """Return how one window is listed: its name and its times."""
    return f"{window[CONF_NAME]} ({window[CONF_START][:5]}-{window[CONF_END][:5]})"


def _window_choices(windows: Sequence[Mapping[str, Any]]) -> list[SelectOptionDict]:
    """Return the windows as select options, valued by their position."""
    return [
        SelectOptionDict(value=str(index), label=_window_label(window))
        for index, window in enumerate(windows)
    ]


# ---------------------------------------------------------------------------
# Phones


@dataclass(frozen=True, slots=True)
class CompanionPhone:
    """A companion-app device HA knows, as the phones step offers it."""

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


def _phones_schema(
    hass: HomeAssistant, options: Mapping[str, Any]
) -> tuple[probatio.Schema, dict[str, Any]]:
    """Return the phones form and the values to pre-fill it with.

    Phones stored earlier whose device is gone stay selectable by their notify action.
    """
    phones = known_phones(hass)
    by_notify = {phone.notify: phone for phone in phones}
    choices = [
        SelectOptionDict(value=phone.device_id, label=phone.label) for phone in phones
    ]
    selected: list[str] = []
    for stored in options[CONF_PHONES]:
        if (phone := by_notify.get(stored[CONF_NOTIFY])) is not None:
            selected.append(phone.device_id)
        else:
            choices.append(
                SelectOptionDict(value=stored[CONF_NOTIFY], label=stored[CONF_NOTIFY])
            )
            selected.append(stored[CONF_NOTIFY])
    schema = probatio.Schema(
        {
            probatio.Optional(CONF_PHONES): SelectSelector(
                SelectSelectorConfig(
                    options=choices, multiple=True, mode=SelectSelectorMode.LIST
                )
            ),
            probatio.Required(CONF_DND_MODE, default=DEFAULT_DND_MODE): SelectSelector(
                SelectSelectorConfig(
                    options=list(DND_MODES),
                    mode=SelectSelectorMode.LIST,
                    translation_key=TRANSLATION_DND_MODE,
                )
            ),
        }
    )
    return schema, {CONF_PHONES: selected, CONF_DND_MODE: options[CONF_DND_MODE]}


def _phones_from_input(
    hass: HomeAssistant, options: Mapping[str, Any], user_input: Mapping[str, Any]
) -> dict[str, Any]:
    """Turn the phones form into settings."""
    by_device = {phone.device_id: phone for phone in known_phones(hass)}
    stored = {phone[CONF_NOTIFY]: phone for phone in options[CONF_PHONES]}
    phones: list[dict[str, str]] = []
    for value in user_input.get(CONF_PHONES, []):
        if (phone := by_device.get(value)) is not None:
            phones.append(phone.as_option())
        else:  # a phone stored earlier whose device is gone
            phones.append(dict(stored[value]))
    return {CONF_PHONES: phones, CONF_DND_MODE: user_input[CONF_DND_MODE]}


# ---------------------------------------------------------------------------
# House: scene, call forwarding, scripts, messages, call sensors


def suggested_forwarding_switches(hass: HomeAssistant) -> list[str]:
    """Return the FRITZ!Box call-deflection switches, to suggest them for forwarding."""
    return sorted(
        entity.entity_id
        for entity in er.async_get(hass).entities.values()
        if entity.domain == "switch"
        and (
            "call_deflection" in entity.entity_id
            or (entity.platform == "fritz" and "call_deflection" in entity.unique_id)
        )
    )


def _notify_actions(hass: HomeAssistant, current: str | None) -> list[str]:
    """Return the notify actions that take a plain message, plus the current one."""
    actions = {
        f"{NOTIFY_DOMAIN}.{service}"
        for service in hass.services.async_services_for_domain(NOTIFY_DOMAIN)
        if service != "send_message"  # the entity action needs a target entity
    }
    if current:
        actions.add(current)
    return sorted(actions)


def _entities(domain: str) -> EntitySelector:
    """Return a selector of several entities of one domain."""
    return EntitySelector(EntitySelectorConfig(domain=domain, multiple=True))


def _house_schema(
    hass: HomeAssistant, options: Mapping[str, Any]
) -> tuple[probatio.Schema, dict[str, Any]]:
    """Return the house form and the values to pre-fill it with."""
    schema = probatio.Schema(
        {
            probatio.Optional(CONF_SCENE): EntitySelector(
                EntitySelectorConfig(domain="scene")
            ),
            probatio.Optional(CONF_RESTORE_LIGHTS, default=True): BooleanSelector(),
            probatio.Optional(CONF_FORWARDING_SWITCHES): _entities("switch"),
            probatio.Optional(CONF_START_SCRIPTS): _entities("script"),
            probatio.Optional(CONF_END_SCRIPTS): _entities("script"),
            probatio.Optional(CONF_NOTIFY): SelectSelector(
                SelectSelectorConfig(
                    options=_notify_actions(hass, options.get(CONF_NOTIFY)),
                    mode=SelectSelectorMode.DROPDOWN,
                )
            ),
            probatio.Optional(CONF_CALL_SENSORS): _entities("sensor"),
        }
    )
    suggested = {
        key: options[key]
        for key in (CONF_SCENE, CONF_RESTORE_LIGHTS, CONF_NOTIFY, *LIST_TARGETS)
        if key in options
    }
    return schema, suggested


def _house_from_input(
    hass: HomeAssistant, user_input: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    """Turn the house form into settings; also return the field errors.

    The absent optional keys (scene, notify) are returned as None, to be removed.
    """
    house: dict[str, Any] = {
        CONF_SCENE: user_input.get(CONF_SCENE) or None,
        CONF_RESTORE_LIGHTS: bool(user_input.get(CONF_RESTORE_LIGHTS, True)),
        CONF_NOTIFY: user_input.get(CONF_NOTIFY) or None,
    }
    for key in LIST_TARGETS:
        house[key] = list(dict.fromkeys(user_input.get(key, [])))
    own = {
        entity.entity_id
        for entity in er.async_get(hass).entities.values()
        if entity.platform == DOMAIN
    }
    errors: dict[str, str] = {}
    for key in ENTITY_TARGETS:
        value = house[key]
        targets = [value] if isinstance(value, str) else value or []
        if own.intersection(targets):
            errors[key] = ERROR_OWN_ENTITY
    return house, errors


def _merge(options: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """Return options with changes applied; a change to None removes the key."""
    merged = {**options, **changes}
    return {key: value for key, value in merged.items() if value is not None}


def _timing_schema() -> probatio.Schema:
    """Return the timing form: warning lead time and length of a manual start."""
    return probatio.Schema(
        {
            probatio.Required(
                CONF_LEAD_TIME, default=DEFAULT_LEAD_TIME
            ): NumberSelector(
                NumberSelectorConfig(
                    min=0,
                    max=MAX_LEAD_TIME,
                    step=1,
                    mode=NumberSelectorMode.BOX,
                    unit_of_measurement=MINUTES,
                )
            ),
            probatio.Required(
                CONF_DEFAULT_DURATION, default=DEFAULT_DURATION
            ): NumberSelector(
                NumberSelectorConfig(
                    min=1,
                    max=MAX_DURATION,
                    step=1,
                    mode=NumberSelectorMode.BOX,
                    unit_of_measurement=MINUTES,
                )
            ),
        }
    )


# ---------------------------------------------------------------------------
# Config flow


class PartnerTimeConfigFlow(ConfigFlow, domain=DOMAIN):
    """Set up one household: its name, first agreed time, phones and house."""

    VERSION = 1

    def __init__(self) -> None:
        """Start with the default settings."""
        self._title = DEFAULT_NAME
        self._options = default_options()

    @staticmethod
    @callback
    @override
    def async_get_options_flow(config_entry: ConfigEntry) -> OptionsFlow:
        """Return the options flow (the Configure dialog)."""
        return PartnerTimeOptionsFlow()

    def _localized_defaults(self) -> tuple[str, str]:
        """Return the default household and window names in HA's language."""
        language = self.hass.config.language.split("-", maxsplit=1)[0]
        return LOCALIZED_DEFAULTS.get(language, (DEFAULT_NAME, DEFAULT_WINDOW_NAME))

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the household's name and its first agreed time."""
        errors: dict[str, str] = {}
        if user_input is not None:
            title = str(user_input[CONF_HOUSEHOLD_NAME]).strip()
            window, errors = _validate_window(user_input, [])
            if not title:
                errors[CONF_HOUSEHOLD_NAME] = ERROR_EMPTY_NAME
            elif _name_taken(self.hass, title, None):
                errors[CONF_HOUSEHOLD_NAME] = ERROR_NAME_EXISTS
            if not errors:
                self._title = title
                self._options[CONF_WINDOWS] = [window]
                return await self.async_step_phones()
        household, window_name = self._localized_defaults()
        schema = probatio.Schema(
            {
                probatio.Required(
                    CONF_HOUSEHOLD_NAME, default=household
                ): TextSelector(),
                **_window_fields({**DEFAULT_WINDOW, CONF_NAME: window_name}),
            }
        )
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(schema, user_input),
            errors=errors,
        )

    async def async_step_phones(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Choose the companion-app phones to silence and how far."""
        if user_input is not None:
            self._options.update(
                _phones_from_input(self.hass, self._options, user_input)
            )
            return await self.async_step_house()
        schema, values = _phones_schema(self.hass, self._options)
        return self.async_show_form(
            step_id="phones",
            data_schema=self.add_suggested_values_to_schema(schema, values),
        )

    async def async_step_house(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Choose scene, call forwarding, scripts, messages and call sensors."""
        errors: dict[str, str] = {}
        if user_input is not None:
            house, errors = _house_from_input(self.hass, user_input)
            if not errors:
                return self.async_create_entry(
                    title=self._title, data={}, options=_merge(self._options, house)
                )
        schema, values = _house_schema(self.hass, self._options)
        if user_input is None:
            values[CONF_FORWARDING_SWITCHES] = suggested_forwarding_switches(self.hass)
        return self.async_show_form(
            step_id="house",
            data_schema=self.add_suggested_values_to_schema(
                schema, user_input if user_input is not None else values
            ),
            errors=errors,
            last_step=True,
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Rename the household."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            title = str(user_input[CONF_HOUSEHOLD_NAME]).strip()
            if not title:
                errors[CONF_HOUSEHOLD_NAME] = ERROR_EMPTY_NAME
            elif _name_taken(self.hass, title, entry.entry_id):
                errors[CONF_HOUSEHOLD_NAME] = ERROR_NAME_EXISTS
            else:
                return self.async_update_reload_and_abort(entry, title=title)
        schema = probatio.Schema(
            {probatio.Required(CONF_HOUSEHOLD_NAME): TextSelector()}
        )
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(
                schema, user_input or {CONF_HOUSEHOLD_NAME: entry.title}
            ),
            errors=errors,
            description_placeholders={"name": entry.title},
        )


# ---------------------------------------------------------------------------
# Options flow


class PartnerTimeOptionsFlow(OptionsFlowWithReload):
    """Change a household's settings; each part saves (and reloads) on its own."""

    def __init__(self) -> None:
        """Start without a window picked for editing."""
        self._edit_index: int | None = None

    @property
    def _options(self) -> dict[str, Any]:
        """Return a copy of the entry's settings, completed with the defaults."""
        return _with_defaults(self.config_entry.options)

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show what can be changed."""
        del user_input
        return self.async_show_menu(
            step_id="init",
            menu_options=["windows", "phones", "house", "timing"],
            description_placeholders={"name": self.config_entry.title},
        )

    async def async_step_windows(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show what can be done with the agreed times."""
        del user_input
        windows = self._options[CONF_WINDOWS]
        return self.async_show_menu(
            step_id="windows",
            menu_options=["add_window", "edit_window", "remove_window"],
            description_placeholders={
                "windows": ", ".join(_window_label(window) for window in windows)
            },
        )

    async def async_step_add_window(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Add an agreed time."""
        options = self._options
        errors: dict[str, str] = {}
        if user_input is not None:
            window, errors = _validate_window(user_input, options[CONF_WINDOWS])
            if not errors:
                options[CONF_WINDOWS].append(window)
                return self.async_create_entry(data=options)
        schema = probatio.Schema(_window_fields({**DEFAULT_WINDOW, CONF_NAME: ""}))
        return self.async_show_form(
            step_id="add_window",
            data_schema=self.add_suggested_values_to_schema(schema, user_input),
            errors=errors,
        )

    async def async_step_edit_window(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Pick the agreed time to edit."""
        windows = self._options[CONF_WINDOWS]
        if user_input is not None:
            self._edit_index = int(user_input[CONF_WINDOW])
            return await self.async_step_edit_window_details()
        schema = probatio.Schema(
            {
                probatio.Required(CONF_WINDOW): SelectSelector(
                    SelectSelectorConfig(
                        options=_window_choices(windows), mode=SelectSelectorMode.LIST
                    )
                )
            }
        )
        return self.async_show_form(step_id="edit_window", data_schema=schema)

    async def async_step_edit_window_details(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Edit the picked agreed time."""
        options = self._options
        windows: list[dict[str, Any]] = options[CONF_WINDOWS]
        index = self._edit_index or 0
        errors: dict[str, str] = {}
        if user_input is not None:
            others = windows[:index] + windows[index + 1 :]
            window, errors = _validate_window(user_input, others)
            if not errors:
                windows[index] = window
                return self.async_create_entry(data=options)
        schema = probatio.Schema(_window_fields(windows[index]))
        return self.async_show_form(
            step_id="edit_window_details",
            data_schema=self.add_suggested_values_to_schema(
                schema, user_input or _window_form_values(windows[index])
            ),
            errors=errors,
            description_placeholders={"window": windows[index][CONF_NAME]},
        )

    async def async_step_remove_window(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Remove agreed times; at least one must stay."""
        options = self._options
        windows: list[dict[str, Any]] = options[CONF_WINDOWS]
        errors: dict[str, str] = {}
        if user_input is not None:
            remove = {int(value) for value in user_input.get(CONF_WINDOWS, [])}
            kept = [w for index, w in enumerate(windows) if index not in remove]
            if not kept:
                errors[CONF_WINDOWS] = ERROR_LAST_WINDOW
            else:
                options[CONF_WINDOWS] = kept
                return self.async_create_entry(data=options)
        schema = probatio.Schema(
            {
                probatio.Optional(CONF_WINDOWS): SelectSelector(
                    SelectSelectorConfig(
                        options=_window_choices(windows),
                        multiple=True,
                        mode=SelectSelectorMode.LIST,
                    )
                )
            }
        )
        return self.async_show_form(
            step_id="remove_window",
            data_schema=self.add_suggested_values_to_schema(schema, user_input),
            errors=errors,
        )

    async def async_step_phones(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Choose the phones to silence and how far."""
        options = self._options
        if user_input is not None:
            phones = _phones_from_input(self.hass, options, user_input)
            return self.async_create_entry(data=_merge(options, phones))
        schema, values = _phones_schema(self.hass, options)
        return self.async_show_form(
            step_id="phones",
            data_schema=self.add_suggested_values_to_schema(schema, values),
        )

    async def async_step_house(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Choose scene, call forwarding, scripts, messages and call sensors."""
        options = self._options
        errors: dict[str, str] = {}
        if user_input is not None:
            house, errors = _house_from_input(self.hass, user_input)
            if not errors:
                return self.async_create_entry(data=_merge(options, house))
        schema, values = _house_schema(self.hass, options)
        return self.async_show_form(
            step_id="house",
            data_schema=self.add_suggested_values_to_schema(
                schema, user_input if user_input is not None else values
            ),
            errors=errors,
        )

    async def async_step_timing(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Set the warning lead time and the length of a manual start."""
        options = self._options
        if user_input is not None:
            options[CONF_LEAD_TIME] = round(user_input[CONF_LEAD_TIME])
            options[CONF_DEFAULT_DURATION] = round(user_input[CONF_DEFAULT_DURATION])
            return self.async_create_entry(data=options)
        values = {key: options[key] for key in (CONF_LEAD_TIME, CONF_DEFAULT_DURATION)}
        return self.async_show_form(
            step_id="timing",
            data_schema=self.add_suggested_values_to_schema(_timing_schema(), values),
        )
