"""The subentry flows: add or edit one agreed time, one phone (deleting is HA's own)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import voluptuous as vol
from homeassistant.config_entries import (
    ConfigSubentryFlow,
    SubentryFlowResult,
)
from homeassistant.helpers.selector import (
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
)

from .const import (
    CONF_NAME,
    CONF_NOTIFY,
    DEFAULT_WINDOW,
)
from .settings import (
    window_subentry,
)

if TYPE_CHECKING:
    from homeassistant.config_entries import ConfigSubentry, ConfigSubentryData


from .flow_parts import (
    ABORT_NO_PHONES,
    CONF_PHONE,
    check_window,
    known_phones,
    phone_choices,
    window_fields,
    windows_summary,
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
            window, errors = check_window(
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
                vol.Schema(window_fields(CONF_NAME, shown)), user_input or shown
            ),
            errors=errors,
            description_placeholders={
                "name": self._get_entry().title,
                "windows": windows_summary(self.hass, others),
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
                        options=phone_choices(phones), mode=SelectSelectorMode.LIST
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
