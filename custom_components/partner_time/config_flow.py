"""Settings UI of Partner Time: the config flow, reconfigure, options and subentries.

A config entry is one household's agreement. Its title is the household's name,
`entry.data` stays empty, the household-wide settings live in `entry.options`, and
each agreed time and each phone is a config subentry (see settings.py). Saving never
reloads the entry: the update listener applies the new settings in place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, override

import voluptuous as vol
from homeassistant.config_entries import (
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    ConfigSubentryFlow,
    OptionsFlow,
)
from homeassistant.const import CONF_NAME as CONF_HOUSEHOLD_NAME
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.selector import (
    BooleanSelector,
    EntitySelector,
    EntitySelectorConfig,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
)

from .breakthrough import is_caller
from .const import (
    CONF_BREAKTHROUGH_CALLERS,
    CONF_BREAKTHROUGH_LIGHT,
    CONF_BREAKTHROUGH_MEDIA_PLAYER,
    CONF_BREAKTHROUGH_NOTIFY,
    CONF_BREAKTHROUGH_TTS,
    CONF_CALL_SENSORS,
    CONF_DEFAULT_DURATION,
    CONF_DND_MODE,
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
    DEFAULT_DURATION,
    DEFAULT_LEAD_TIME,
    DEFAULT_PROPOSAL_TIMEOUT,
    DEFAULT_WINDOW,
    DOMAIN,
    HELD_DELIVERIES,
    HELD_SUMMARY,
    MAX_DURATION,
    MAX_LEAD_TIME,
    MAX_PROPOSAL_TIMEOUT,
)
from .flow_parts import (
    CONF_WINDOW_NAME,
    ENTITY_TARGETS,
    ERROR_EMPTY_NAME,
    ERROR_NAME_EXISTS,
    ERROR_OWN_ENTITY,
    LIST_TARGETS,
    MINUTES,
    NONE_LISTED,
    NOTIFY_DOMAIN,
    check_window,
    default_names,
    dnd_mode_field,
    known_phones,
    name_taken,
    phone_choices,
    window_fields,
    windows_summary,
)
from .presence import PRESENCE_IGNORE, PRESENCE_RULES
from .settings import (
    SUBENTRY_PHONE,
    SUBENTRY_WINDOW,
    caller_list,
    default_options,
    window_subentry,
)
from .subentry_flow import PhoneSubentryFlow, WindowSubentryFlow

if TYPE_CHECKING:
    from collections.abc import Mapping

    from homeassistant.config_entries import ConfigSubentryData

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


THROUGH_TARGETS = (
    CONF_BREAKTHROUGH_MEDIA_PLAYER,
    CONF_BREAKTHROUGH_TTS,
    CONF_BREAKTHROUGH_LIGHT,
    CONF_BREAKTHROUGH_NOTIFY,
)


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
            window, errors = check_window(user_input, CONF_WINDOW_NAME, ())
            if not title:
                errors[CONF_HOUSEHOLD_NAME] = ERROR_EMPTY_NAME
            elif name_taken(self.hass, title, None):
                errors[CONF_HOUSEHOLD_NAME] = ERROR_NAME_EXISTS
            if window is not None and not errors:
                self._title = title
                self._subentries = [window_subentry(window)]
                return await self.async_step_phones()
        household, window_name = default_names(self.hass)
        schema = vol.Schema(
            {
                vol.Required(CONF_HOUSEHOLD_NAME, default=household): TextSelector(),
                **window_fields(
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
        fields = dnd_mode_field()
        if phones:
            choices = phone_choices(phones)
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
            elif name_taken(self.hass, title, entry.entry_id):
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
            menu_options=["phones", "house", "timing", "together", "through"],
            description_placeholders={
                "name": entry.title,
                "windows": windows_summary(
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
                vol.Schema(dnd_mode_field()),
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

    async def async_step_through(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Choose the callers who get through and how messages that can wait go out."""
        options = self._options
        errors: dict[str, str] = {}
        placeholders = {"caller": ""}
        if user_input is not None:
            callers = caller_list(user_input.get(CONF_BREAKTHROUGH_CALLERS, []))
            wrong = [c for c in callers if not is_caller(c, self.hass.config.country)]
            if wrong:
                errors[CONF_BREAKTHROUGH_CALLERS] = "invalid_caller"
                placeholders["caller"] = wrong[0]
            else:
                changes: dict[str, Any] = {
                    key: user_input.get(key) or None for key in THROUGH_TARGETS
                }
                changes[CONF_BREAKTHROUGH_CALLERS] = callers
                changes[CONF_HELD_DELIVERY] = user_input[CONF_HELD_DELIVERY]
                return self.async_create_entry(data=_merge(options, changes))
        values = {
            key: options[key]
            for key in (CONF_BREAKTHROUGH_CALLERS, *THROUGH_TARGETS)
            if options.get(key)
        }
        values[CONF_HELD_DELIVERY] = options.get(CONF_HELD_DELIVERY, HELD_SUMMARY)
        schema = vol.Schema(
            {
                vol.Optional(CONF_BREAKTHROUGH_CALLERS): TextSelector(
                    TextSelectorConfig(multiple=True)
                ),
                vol.Optional(CONF_BREAKTHROUGH_MEDIA_PLAYER): EntitySelector(
                    EntitySelectorConfig(domain="media_player")
                ),
                vol.Optional(CONF_BREAKTHROUGH_TTS): EntitySelector(
                    EntitySelectorConfig(domain="tts")
                ),
                vol.Optional(CONF_BREAKTHROUGH_LIGHT): EntitySelector(
                    EntitySelectorConfig(domain="light")
                ),
                vol.Optional(CONF_BREAKTHROUGH_NOTIFY): SelectSelector(
                    SelectSelectorConfig(
                        options=_notify_actions(
                            self.hass, options.get(CONF_BREAKTHROUGH_NOTIFY)
                        ),
                        mode=SelectSelectorMode.DROPDOWN,
                    )
                ),
                vol.Required(CONF_HELD_DELIVERY): SelectSelector(
                    SelectSelectorConfig(
                        options=list(HELD_DELIVERIES),
                        mode=SelectSelectorMode.LIST,
                        translation_key=CONF_HELD_DELIVERY,
                    )
                ),
            }
        )
        return self.async_show_form(
            step_id="through",
            data_schema=self.add_suggested_values_to_schema(
                schema, user_input if user_input is not None else values
            ),
            errors=errors,
            description_placeholders=placeholders,
        )
