"""The repair issues a household raises: missing targets, a damaged store, a start loop."""

from __future__ import annotations

from homeassistant.core import DOMAIN as HOMEASSISTANT_DOMAIN
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir

from .const import DOMAIN


def set_missing_target(
    hass: HomeAssistant, entry_id: str, title: str, target: str, *, missing: bool
) -> None:
    """Raise the issue for a target that does not exist, or clear it once it does."""
    issue_id = f"missing_target_{entry_id}_{target}"
    if not missing:
        ir.async_delete_issue(hass, DOMAIN, issue_id)
        return
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id,
        is_fixable=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key="missing_target",
        translation_placeholders={"target": target, "name": title},
    )


def raise_corrupt_store(
    hass: HomeAssistant, entry_id: str, title: str, detail: str
) -> None:
    """Report a store that could not be read back."""
    ir.async_create_issue(
        hass,
        DOMAIN,
        f"corrupt_store_{entry_id}",
        is_fixable=False,
        severity=ir.IssueSeverity.ERROR,
        translation_key="corrupt_store",
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
        f"start_loop_{entry_id}",
        is_fixable=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key="start_loop",
        translation_placeholders=placeholders,
    )
