"""The repair issues a household raises: missing targets, a damaged store, a start loop.

A missing target's issue names the target the way people see it (its friendly name;
the id once nothing else is known), can be fixed (the fix flow explains and opens the
household's settings where the target is chosen) and clears itself: when the target
exists again, when the settings no longer name it (`sync_missing_targets`) and when the
household is deleted (`async_clear_issues`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import voluptuous as vol
from homeassistant.components.repairs import RepairsFlow, RepairsFlowResult
from homeassistant.components.repairs.const import FlowType
from homeassistant.config_entries import SOURCE_RECONFIGURE, ConfigEntry, ConfigSubentry
from homeassistant.const import ATTR_FRIENDLY_NAME
from homeassistant.core import DOMAIN as HOMEASSISTANT_DOMAIN
from homeassistant.core import HomeAssistant, callback
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import issue_registry as ir
from homeassistant.util.hass_dict import HassKey

from .const import DOMAIN

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable

MISSING_TARGET = "missing_target"
CORRUPT_STORE = "corrupt_store"
START_LOOP = "start_loop"
# the options flow's step where the house's targets are chosen
PART_HOUSE = "house"
# the names of targets seen while they existed: a removed entity's name is gone with it
TARGET_NAMES: HassKey[dict[str, str]] = HassKey(f"{DOMAIN}_target_names")


def _missing_prefix(entry_id: str) -> str:
    return f"{MISSING_TARGET}_{entry_id}_"


def target_name(hass: HomeAssistant, target: str) -> str:
    """Return how people know the target: its friendly name, else its id."""
    if (state := hass.states.get(target)) is not None and (
        name := state.attributes.get(ATTR_FRIENDLY_NAME)
    ):
        return str(name)
    registry = er.async_get(hass)
    if (entry := registry.async_get(target)) is not None:
        return er.async_get_full_entity_name(hass, entry) or target
    for deleted in registry.deleted_entities.values():
        if deleted.entity_id == target and deleted.name:
            return deleted.name
    return target


def set_missing_target(
    hass: HomeAssistant, entry_id: str, title: str, target: str, *, missing: bool
) -> None:
    """Raise the issue for a target that does not exist, or clear it once it does."""
    issue_id = _missing_prefix(entry_id) + target
    names = hass.data.setdefault(TARGET_NAMES, {})
    name = target_name(hass, target)
    if not missing:
        if name != target:
            names[target] = name
        ir.async_delete_issue(hass, DOMAIN, issue_id)
        return
    known = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
    if name == target and known is not None and known.translation_placeholders:
        # raised again: keep the name it was raised with
        name = known.translation_placeholders.get("target", target)
    if name == target:
        name = names.get(target, target)
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id,
        data={"entry_id": entry_id, "target": target},
        is_fixable=True,
        severity=ir.IssueSeverity.WARNING,
        translation_key=MISSING_TARGET,
        translation_placeholders={"target": name, "name": title},
    )


def sync_missing_targets(
    hass: HomeAssistant,
    entry_id: str,
    title: str,
    targets: Iterable[str],
    missing: Collection[str],
) -> None:
    """Make a household's missing-target issues match its settings.

    `targets` are all the targets the settings name now, `missing` those of them that
    do not exist. Each missing one has its issue; every other issue of the household
    (a target that exists again, or that the settings no longer name) is removed.
    """
    current = set(targets)
    for target in current:
        set_missing_target(hass, entry_id, title, target, missing=target in missing)
    prefix = _missing_prefix(entry_id)
    for domain, issue_id in list(ir.async_get(hass).issues):
        if (
            domain == DOMAIN
            and issue_id.startswith(prefix)
            and issue_id.removeprefix(prefix) not in current
        ):
            ir.async_delete_issue(hass, DOMAIN, issue_id)


@callback
def async_clear_issues(hass: HomeAssistant, entry_id: str) -> None:
    """Remove every issue of a household (it was deleted)."""
    own = {f"{CORRUPT_STORE}_{entry_id}", f"{START_LOOP}_{entry_id}"}
    prefix = _missing_prefix(entry_id)
    for domain, issue_id in list(ir.async_get(hass).issues):
        if domain == DOMAIN and (issue_id in own or issue_id.startswith(prefix)):
            ir.async_delete_issue(hass, DOMAIN, issue_id)


def raise_corrupt_store(
    hass: HomeAssistant, entry_id: str, title: str, detail: str
) -> None:
    """Report a store that could not be read back."""
    ir.async_create_issue(
        hass,
        DOMAIN,
        f"{CORRUPT_STORE}_{entry_id}",
        is_fixable=False,
        severity=ir.IssueSeverity.ERROR,
        translation_key=CORRUPT_STORE,
        translation_placeholders={"name": title, "detail": detail},
    )


def store_set_aside(hass: HomeAssistant, store_key: str) -> bool:
    """Whether HA just set a store file aside as undecodable (HA's own issue)."""
    prefix = f"storage_corruption_{store_key}_"
    return any(
        domain == HOMEASSISTANT_DOMAIN
        and issue_id.startswith(prefix)
        and issue.dismissed_version is None
        for (domain, issue_id), issue in ir.async_get(hass).issues.items()
    )


def raise_start_loop(
    hass: HomeAssistant, entry_id: str, placeholders: dict[str, str]
) -> None:
    """Report that starts were refused because they came in a loop."""
    ir.async_create_issue(
        hass,
        DOMAIN,
        f"{START_LOOP}_{entry_id}",
        is_fixable=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key=START_LOOP,
        translation_placeholders=placeholders,
    )


def _subentry_with(entry: ConfigEntry, target: str) -> ConfigSubentry | None:
    """Return the entry's subentry that names the target (a phone), if one does."""
    return next(
        (sub for sub in entry.subentries.values() if target in sub.data.values()),
        None,
    )


class MissingTargetRepairFlow(RepairsFlow):
    """Explain a missing target, then open the settings where it is chosen."""

    def __init__(self, entry_id: str, target: str) -> None:
        """Fix the issue of `target` in household `entry_id`."""
        self._entry_id = entry_id
        self._target = target

    async def async_step_init(
        self, user_input: dict[str, str] | None = None
    ) -> RepairsFlowResult:
        """Start with the explanation."""
        del user_input  # HA passes the issue id in as input
        return await self.async_step_confirm()

    async def async_step_confirm(
        self, user_input: dict[str, str] | None = None
    ) -> RepairsFlowResult:
        """Say what is missing and where it is chosen; then open that place."""
        entry = self.hass.config_entries.async_get_entry(self._entry_id)
        if entry is None:
            return self.async_abort(reason="household_gone")
        if user_input is None:
            issue = ir.async_get(self.hass).async_get_issue(DOMAIN, self.issue_id)
            placeholders = dict(issue.translation_placeholders or {}) if issue else {}
            return self.async_show_form(
                step_id="confirm",
                data_schema=vol.Schema({}),
                description_placeholders={
                    "target": placeholders.get("target", self._target),
                    "name": entry.title,
                },
            )
        # the issue stays until the settings no longer miss the target
        return self.async_abort(
            reason="open_settings", next_flow=await self._async_open(entry)
        )

    async def _async_open(self, entry: ConfigEntry) -> tuple[FlowType, str]:
        """Start the flow where the target is chosen: its subentry's, else the options."""
        if (subentry := _subentry_with(entry, self._target)) is not None:
            editing = await self.hass.config_entries.subentries.async_init(
                (entry.entry_id, subentry.subentry_type),
                context={
                    "source": SOURCE_RECONFIGURE,
                    "subentry_id": subentry.subentry_id,
                },
            )
            if editing["type"] in (FlowResultType.FORM, FlowResultType.MENU):
                return FlowType.CONFIG_SUBENTRIES_FLOW, editing["flow_id"]
            # it could not even start (no phone to choose): the options then
        options = self.hass.config_entries.options
        flow = await options.async_init(entry.entry_id)
        # the house's targets are chosen in its step; a phone's, in the menu's list
        part = PART_HOUSE if subentry is None else None
        if flow["type"] is FlowResultType.MENU and part in (
            flow.get("menu_options") or ()
        ):
            await options.async_configure(flow["flow_id"], {"next_step_id": part})
        return FlowType.OPTIONS_FLOW, flow["flow_id"]


async def async_create_fix_flow(
    hass: HomeAssistant,  # noqa: ARG001 (the repairs platform's signature)
    issue_id: str,  # noqa: ARG001
    data: dict[str, str | int | float | None] | None,
) -> RepairsFlow:
    """Return the fix flow of a fixable issue (only missing targets are)."""
    data = data or {}
    return MissingTargetRepairFlow(str(data.get("entry_id")), str(data.get("target")))
