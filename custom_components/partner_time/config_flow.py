"""Settings UI of Partner Time: the config flow, reconfigure, options and subentries.

A config entry is one household's agreement. Its title is the household's name,
`entry.data` stays empty, the household-wide settings live in `entry.options`, and
each agreed time and each phone is a config subentry (see settings.py). Saving never
reloads the entry: the update listener applies the new settings in place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, override

import voluptuous as vol
from homeassistant.config_entries import (
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    ConfigSubentryFlow,
    OptionsFlow,
    SubentryFlowResult,
)
from homeassistant.const import CONF_NAME as CONF_HOUSEHOLD_NAME
from homeassistant.core import HomeAssistant, callback
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
    CONF_PEOPLE,
    CONF_PHONES,
    CONF_PRESENCE,
    CONF_PROPOSAL_TIMEOUT,
    CONF_RESTORE_LIGHTS,
    CONF_SCENE,
    CONF_START,
    CONF_START_SCRIPTS,
    DEFAULT_DND_MODE,
    DEFAULT_DURATION,
    DEFAULT_LEAD_TIME,
    DEFAULT_PROPOSAL_TIMEOUT,
    DEFAULT_WINDOW,
    DND_MODES,
    DOMAIN,
    MAX_DURATION,
    MAX_LEAD_TIME,
    MAX_PROPOSAL_TIMEOUT,
    WEEKDAYS,
)
from .phrases import DAYS, language_of
from .presence import PRESENCE_IGNORE, PRESENCE_RULES
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
    SUBENTRY_PHONE,
    SUBENTRY_WINDOW,
    agreed_window,
    default_options,
    phone_subentry,
    window_subentry,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from homeassistant.config_entries import ConfigSubentry, ConfigSubentryData

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


def _name_taken(hass: HomeAssistant, name: str, exclude_entry_id: str | None) -> bool:
    """Tell whether another household already uses this name (case-insensitive)."""
    wanted = name.casefold()
    return any(
        entry.title.casefold() == wanted
        for entry in hass.config_entries.async_entries(DOMAIN, include_ignore=False)
        if entry.entry_id != exclude_entry_id
    )


def _default_names(hass: HomeAssistant) -> tuple[str, str]:
    """Return the suggested household and agreed-time names in HA's language."""
    return DEFAULT_NAMES[language_of(hass.config.language)]


# ---------------------------------------------------------------------------
# Agreed times (windows)


def _window_fields(name_key: str, window: Mapping[str, Any]) -> dict[Any, Any]:
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


def _check_window(
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


def _windows_summary(hass: HomeAssistant, subentries: Iterable[ConfigSubentry]) -> str:
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


def _phone_choices(phones: Iterable[CompanionPhone]) -> list[SelectOptionDict]:
    return [
        SelectOptionDict(value=phone.device_id, label=phone.label) for phone in phones
    ]


def _dnd_mode_field() -> dict[Any, Any]:
    return {
        vol.Required(CONF_DND_MODE, default=DEFAULT_DND_MODE): SelectSelector(
            SelectSelectorConfig(
                options=list(DND_MODES),
                mode=SelectSelectorMode.LIST,
                translation_key=TRANSLATION_DND_MODE,
            )
        )
    }


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
) -> tuple[vol.Schema, dict[str, Any]]:
    """Return the house form and the values to pre-fill it with."""
    schema = vol.Schema(
        {
            vol.Optional(CONF_SCENE): EntitySelector(
                EntitySelectorConfig(domain="scene")
            ),
            vol.Optional(CONF_RESTORE_LIGHTS, default=True): BooleanSelector(),
            vol.Optional(CONF_FORWARDING_SWITCHES): _entities("switch"),
            vol.Optional(CONF_START_SCRIPTS): _entities("script"),
            vol.Optional(CONF_END_SCRIPTS): _entities("script"),
            vol.Optional(CONF_NOTIFY): SelectSelector(
                SelectSelectorConfig(
                    options=_notify_actions(hass, options.get(CONF_NOTIFY)),
                    mode=SelectSelectorMode.DROPDOWN,
                )
            ),
            vol.Optional(CONF_CALL_SENSORS): _entities("sensor"),
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


def _minutes_field(low: int, high: int) -> NumberSelector:
    return NumberSelector(
        NumberSelectorConfig(
            min=low,
            max=high,
            step=1,
            mode=NumberSelectorMode.BOX,
            unit_of_measurement=MINUTES,
        )
    )


def _timing_schema() -> vol.Schema:
    """Return the timing form: warning lead time and length of a manual start."""
    return vol.Schema(
        {
            vol.Required(CONF_LEAD_TIME, default=DEFAULT_LEAD_TIME): _minutes_field(
                0, MAX_LEAD_TIME
            ),
            vol.Required(
                CONF_DEFAULT_DURATION, default=DEFAULT_DURATION
            ): _minutes_field(1, MAX_DURATION),
        }
    )


# ---------------------------------------------------------------------------
# Config flow


class PartnerTimeConfigFlow(ConfigFlow, domain=DOMAIN):
    """Set up one household: its name, first agreed time, phones and house."""

    VERSION = 2

    def __init__(self) -> None:
        """Start with the default settings."""
        self._title = ""
        self._options = default_options()
        self._subentries: list[ConfigSubentryData] = []

    @staticmethod
    @callback
    @override
    def async_get_options_flow(config_entry: ConfigEntry) -> OptionsFlow:
        """Return the options flow (the Configure dialog)."""
        return PartnerTimeOptionsFlow()

    @classmethod
    @callback
    @override
    def async_get_supported_subentry_types(
        cls, config_entry: ConfigEntry
    ) -> dict[str, type[ConfigSubentryFlow]]:
        """Agreed times and phones are listed, added, edited and deleted one by one."""
        return {SUBENTRY_WINDOW: WindowSubentryFlow, SUBENTRY_PHONE: PhoneSubentryFlow}

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the household's name and its first agreed time."""
        errors: dict[str, str] = {}
        if user_input is not None:
            title = str(user_input.get(CONF_HOUSEHOLD_NAME, "")).strip()
            window, errors = _check_window(user_input, CONF_WINDOW_NAME, ())
            if not title:
                errors[CONF_HOUSEHOLD_NAME] = ERROR_EMPTY_NAME
            elif _name_taken(self.hass, title, None):
                errors[CONF_HOUSEHOLD_NAME] = ERROR_NAME_EXISTS
            if window is not None and not errors:
                self._title = title
                self._subentries = [window_subentry(window)]
                return await self.async_step_phones()
        household, window_name = _default_names(self.hass)
        schema = vol.Schema(
            {
                vol.Required(CONF_HOUSEHOLD_NAME, default=household): TextSelector(),
                **_window_fields(
                    CONF_WINDOW_NAME, {**DEFAULT_WINDOW, CONF_NAME: window_name}
                ),
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
        """Choose the companion-app phones to silence and how far.

        Without any companion-app phone the step says so (step `no_phones`) and only
        asks how far; phones can be added later.
        """
        phones = known_phones(self.hass)
        if user_input is not None:
            by_device = {phone.device_id: phone for phone in phones}
            self._subentries += [
                by_device[device].as_subentry()
                for device in user_input.get(CONF_PHONES, [])
                if device in by_device
            ]
            self._options[CONF_DND_MODE] = user_input[CONF_DND_MODE]
            return await self.async_step_house()
        fields = _dnd_mode_field()
        if phones:
            choices = _phone_choices(phones)
            fields = {
                vol.Optional(CONF_PHONES, default=[]): SelectSelector(
                    SelectSelectorConfig(
                        options=choices, multiple=True, mode=SelectSelectorMode.LIST
                    )
                ),
                **fields,
            }
        return self.async_show_form(
            step_id="phones" if phones else "no_phones", data_schema=vol.Schema(fields)
        )

    async_step_no_phones = async_step_phones

    async def async_step_house(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Choose scene, call forwarding, scripts, messages and call sensors."""
        errors: dict[str, str] = {}
        if user_input is not None:
            house, errors = _house_from_input(self.hass, user_input)
            if not errors:
                return self.async_create_entry(
                    title=self._title,
                    data={},
                    options=_merge(self._options, house),
                    subentries=self._subentries,
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
        """Rename the household (the update listener renames it in place)."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            title = str(user_input[CONF_HOUSEHOLD_NAME]).strip()
            if not title:
                errors[CONF_HOUSEHOLD_NAME] = ERROR_EMPTY_NAME
            elif _name_taken(self.hass, title, entry.entry_id):
                errors[CONF_HOUSEHOLD_NAME] = ERROR_NAME_EXISTS
            else:
                return self.async_update_and_abort(entry, title=title)
        schema = vol.Schema({vol.Required(CONF_HOUSEHOLD_NAME): TextSelector()})
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(
                schema, user_input or {CONF_HOUSEHOLD_NAME: entry.title}
            ),
            errors=errors,
            description_placeholders={"name": entry.title},
        )


# ---------------------------------------------------------------------------
# Options flow: the household-wide settings


class PartnerTimeOptionsFlow(OptionsFlow):
    """Change a household's own settings; each part saves on its own (no reload)."""

    @property
    def _options(self) -> dict[str, Any]:
        """Return the entry's options, completed with the defaults."""
        return {**default_options(), **self.config_entry.options}

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show what can be changed, and the agreed times and phones as they are.

        The title has no placeholder: the frontend does not fill a menu's title.
        """
        del user_input
        entry = self.config_entry
        phones = entry.get_subentries_of_type(SUBENTRY_PHONE)
        return self.async_show_menu(
            step_id="init",
            menu_options=["phones", "house", "timing", "together"],
            description_placeholders={
                "name": entry.title,
                "windows": _windows_summary(
                    self.hass, entry.get_subentries_of_type(SUBENTRY_WINDOW)
                ),
                "phones": ", ".join(phone.title for phone in phones) or NONE_LISTED,
            },
        )

    async def async_step_phones(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Choose how far the phones go quiet."""
        options = self._options
        if user_input is not None:
            options[CONF_DND_MODE] = user_input[CONF_DND_MODE]
            return self.async_create_entry(data=options)
        return self.async_show_form(
            step_id="phones",
            data_schema=self.add_suggested_values_to_schema(
                vol.Schema(_dnd_mode_field()),
                {CONF_DND_MODE: options[CONF_DND_MODE]},
            ),
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

    async def async_step_together(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Choose the household's people, the presence rule and the proposal timeout."""
        options = self._options
        if user_input is not None:
            options[CONF_PEOPLE] = list(user_input.get(CONF_PEOPLE, []))
            options[CONF_PRESENCE] = user_input[CONF_PRESENCE]
            options[CONF_PROPOSAL_TIMEOUT] = round(user_input[CONF_PROPOSAL_TIMEOUT])
            return self.async_create_entry(data=options)
        values = {
            CONF_PEOPLE: options.get(CONF_PEOPLE, []),
            CONF_PRESENCE: options.get(CONF_PRESENCE, PRESENCE_IGNORE),
            CONF_PROPOSAL_TIMEOUT: options.get(
                CONF_PROPOSAL_TIMEOUT, DEFAULT_PROPOSAL_TIMEOUT
            ),
        }
        schema = vol.Schema(
            {
                vol.Optional(CONF_PEOPLE): EntitySelector(
                    EntitySelectorConfig(domain="person", multiple=True)
                ),
                vol.Required(CONF_PRESENCE): SelectSelector(
                    SelectSelectorConfig(
                        options=list(PRESENCE_RULES),
                        mode=SelectSelectorMode.LIST,
                        translation_key=CONF_PRESENCE,
                    )
                ),
                vol.Required(CONF_PROPOSAL_TIMEOUT): _minutes_field(
                    1, MAX_PROPOSAL_TIMEOUT
                ),
            }
        )
        return self.async_show_form(
            step_id="together",
            data_schema=self.add_suggested_values_to_schema(schema, values),
        )


# ---------------------------------------------------------------------------
# Subentries: one agreed time, one phone


class _ItemFlow(ConfigSubentryFlow):
    """Add (`user`) or edit (`reconfigure`) one subentry; deleting is HA's own."""

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Add one."""
        return await self._async_form("user", user_input, None)

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Edit one."""
        return await self._async_form(
            "reconfigure", user_input, self._get_reconfigure_subentry()
        )

    async def _async_form(
        self,
        step_id: str,
        user_input: dict[str, Any] | None,
        editing: ConfigSubentry | None,
    ) -> SubentryFlowResult:
        """Show the form of `step_id`, or save what was entered."""
        raise NotImplementedError

    def _others(self, editing: ConfigSubentry | None) -> list[ConfigSubentry]:
        """Return the household's other subentries of this flow's type."""
        return [
            subentry
            for subentry in self._get_entry().get_subentries_of_type(
                self._subentry_type
            )
            if editing is None or subentry.subentry_id != editing.subentry_id
        ]

    def _save(
        self, editing: ConfigSubentry | None, new: ConfigSubentryData
    ) -> SubentryFlowResult:
        """Add new, or put it in the place of editing."""
        if editing is None:
            return self.async_create_entry(
                title=new["title"], data=new["data"], unique_id=new["unique_id"]
            )
        return self.async_update_and_abort(
            self._get_entry(),
            editing,
            title=new["title"],
            data=new["data"],
            unique_id=new["unique_id"],
        )


class WindowSubentryFlow(_ItemFlow):
    """Add or edit one agreed time."""

    async def _async_form(
        self,
        step_id: str,
        user_input: dict[str, Any] | None,
        editing: ConfigSubentry | None,
    ) -> SubentryFlowResult:
        others = self._others(editing)
        errors: dict[str, str] = {}
        if user_input is not None:
            window, errors = _check_window(
                user_input, CONF_NAME, (subentry.title for subentry in others)
            )
            if window is not None:
                return self._save(editing, window_subentry(window))
        shown = {**DEFAULT_WINDOW, CONF_NAME: ""}
        if editing is not None:
            shown = {**shown, **editing.data}
        return self.async_show_form(
            step_id=step_id,
            data_schema=self.add_suggested_values_to_schema(
                vol.Schema(_window_fields(CONF_NAME, shown)), user_input or shown
            ),
            errors=errors,
            description_placeholders={
                "name": self._get_entry().title,
                "windows": _windows_summary(self.hass, others),
            },
        )


class PhoneSubentryFlow(_ItemFlow):
    """Add a companion-app phone, or choose it again (or the one replacing it)."""

    async def _async_form(
        self,
        step_id: str,
        user_input: dict[str, Any] | None,
        editing: ConfigSubentry | None,
    ) -> SubentryFlowResult:
        taken = {subentry.data.get(CONF_NOTIFY) for subentry in self._others(editing)}
        phones = [
            phone for phone in known_phones(self.hass) if phone.notify not in taken
        ]
        if not phones:
            return self.async_abort(reason=ABORT_NO_PHONES)
        by_device = {phone.device_id: phone for phone in phones}
        if user_input is not None and (
            phone := by_device.get(user_input.get(CONF_PHONE, ""))
        ):
            return self._save(editing, phone.as_subentry())
        current = None
        if editing is not None:
            current = next(
                (
                    phone.device_id
                    for phone in phones
                    if phone.notify == editing.data.get(CONF_NOTIFY)
                ),
                None,
            )
        schema = vol.Schema(
            {
                vol.Required(CONF_PHONE): SelectSelector(
                    SelectSelectorConfig(
                        options=_phone_choices(phones), mode=SelectSelectorMode.LIST
                    )
                )
            }
        )
        return self.async_show_form(
            step_id=step_id,
            data_schema=self.add_suggested_values_to_schema(
                schema, {CONF_PHONE: current} if current else None
            ),
            description_placeholders={
                "name": self._get_entry().title,
                "phone": editing.title if editing is not None else "",
            },
        )
