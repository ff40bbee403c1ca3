"""The blueprints in blueprints/ are valid automation blueprints for this HA."""

from __future__ import annotations

from pathlib import Path

import pytest
from homeassistant.components.automation.config import AUTOMATION_BLUEPRINT_SCHEMA
from homeassistant.components.blueprint.models import Blueprint
from homeassistant.util.yaml import load_yaml_dict

BLUEPRINTS = sorted(
    (Path(__file__).resolve().parents[2] / "blueprints" / "automation").rglob("*.yaml")
)


def test_there_are_blueprints() -> None:
    """The README promises two."""
    assert len(BLUEPRINTS) >= 2


@pytest.mark.parametrize("path", BLUEPRINTS, ids=lambda path: path.name)
def test_blueprint_is_valid(path: Path) -> None:
    """HA accepts the blueprint, and its source_url points at its place here."""
    blueprint = Blueprint(
        load_yaml_dict(path),
        expected_domain="automation",
        schema=AUTOMATION_BLUEPRINT_SCHEMA,
    )
    assert blueprint.inputs
    source_url = blueprint.metadata["source_url"]
    assert source_url.endswith("/blueprints/automation/partner_time/" + path.name)
