"""Packaging checks: offline stand-ins for hassfest and the HACS action.

Everything is read from disk at test time, so the checks follow the integration as it
grows. Only the test of the registered actions loads the integration into a `hass`.
"""

from __future__ import annotations

import json
import re
import struct
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import homeassistant
import pytest
import yaml
from awesomeversion import AwesomeVersion, AwesomeVersionStrategy
from homeassistant import const
from PIL import Image
from pytest_homeassistant_custom_component.common import MockConfigEntry

from tests.e2e.ha_requirements import pinned_lines

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

TOP = Path(__file__).resolve().parent.parent
DOMAIN = "partner_time"
INTEGRATION = TOP / "custom_components" / DOMAIN
MANIFEST = INTEGRATION / "manifest.json"
SERVICES_YAML = INTEGRATION / "services.yaml"
ICONS = INTEGRATION / "icons.json"
TRANSLATIONS = INTEGRATION / "translations"
LANGUAGES = ("en", "de")
HA_COMPONENTS = Path(homeassistant.__file__).parent / "components"

REQUIRED_MANIFEST_KEYS = {
    "domain",
    "name",
    "version",
    "documentation",
    "issue_tracker",
    "codeowners",
    "config_flow",
    "iot_class",
    "integration_type",
    "requirements",
}
IOT_CLASSES = {
    "assumed_state",
    "calculated",
    "cloud_polling",
    "cloud_push",
    "local_polling",
    "local_push",
}
INTEGRATION_TYPES = {
    "device",
    "entity",
    "hardware",
    "helper",
    "hub",
    "service",
    "system",
    "virtual",
}
HACS_KEYS = {
    "name",
    "content_in_root",
    "zip_release",
    "filename",
    "hide_default_branch",
    "country",
    "homeassistant",
    "hacs",
    "persistent_directory",
    "render_readme",
}
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _json(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name} must hold a JSON object"
    return data


def _manifest() -> dict[str, Any]:
    return _json(MANIFEST)


def _services() -> dict[str, Any]:
    services = yaml.safe_load(SERVICES_YAML.read_text(encoding="utf-8")) or {}
    assert isinstance(services, dict), "services.yaml must be a mapping of actions"
    return services


def _translation(language: str) -> dict[str, Any]:
    return _json(TRANSLATIONS / f"{language}.json")


def _leaves(tree: object, path: str = "") -> dict[str, object]:
    """Map each dotted key path of a nested dict to its (non-dict) value."""
    if not isinstance(tree, dict):
        return {path: tree}
    leaves: dict[str, object] = {}
    for key, value in tree.items():
        leaves.update(_leaves(value, f"{path}.{key}" if path else key))
    return leaves


def _fields(service: dict[str, Any]) -> tuple[set[str], set[str]]:
    """Return the field names and the section names of one action of services.yaml."""
    fields: set[str] = set()
    sections: set[str] = set()
    for name, spec in (service.get("fields") or {}).items():
        if isinstance(spec, dict) and "fields" in spec and "selector" not in spec:
            sections.add(name)
            fields.update(spec["fields"] or {})
        else:
            fields.add(name)
    return fields, sections


# --- manifest.json (hassfest) ---------------------------------------------------------


def test_manifest_has_the_required_keys() -> None:
    """Hassfest and HACS need these keys in every custom integration's manifest."""
    manifest = _manifest()
    assert manifest.keys() >= REQUIRED_MANIFEST_KEYS
    assert manifest["domain"] == DOMAIN == INTEGRATION.name
    assert manifest["name"]
    assert manifest["config_flow"] is True
    assert manifest["iot_class"] in IOT_CLASSES
    assert manifest["integration_type"] in INTEGRATION_TYPES
    assert manifest["documentation"].startswith("https://")
    assert manifest["issue_tracker"].startswith("https://")
    assert manifest["codeowners"]
    assert all(owner.startswith("@") for owner in manifest["codeowners"])
    assert all("==" in requirement for requirement in manifest["requirements"])


def test_manifest_key_order() -> None:
    """Hassfest sorts the keys: domain, name, then the rest alphabetically."""
    keys = list(_manifest())
    assert keys[:2] == ["domain", "name"]
    assert keys[2:] == sorted(keys[2:])


def test_manifest_version_is_semver() -> None:
    """HA refuses custom integrations without a valid version; HACS shows it."""
    version = AwesomeVersion(_manifest()["version"])
    assert version.strategy == AwesomeVersionStrategy.SEMVER


def test_manifest_version_matches_pyproject() -> None:
    """One version for the package and the integration."""
    project = tomllib.loads((TOP / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["version"] == _manifest()["version"]


def test_manifest_dependencies_exist() -> None:
    """Every (after_)dependency is an integration that ships with Home Assistant."""
    manifest = _manifest()
    for key in ("dependencies", "after_dependencies"):
        for domain in manifest.get(key, []):
            assert (HA_COMPONENTS / domain / "manifest.json").is_file(), (
                f"{key}: {domain}"
            )


# --- hacs.json and the repository layout (HACS action) -------------------------------


def test_hacs_json() -> None:
    """HACS reads the name, the minimum HA version and whether to render the README."""
    hacs = _json(TOP / "hacs.json")
    assert hacs.keys() <= HACS_KEYS
    assert hacs["name"] == _manifest()["name"]
    assert hacs["render_readme"] is True
    assert (TOP / "README.md").is_file()
    minimum = AwesomeVersion(hacs["homeassistant"])
    assert minimum.valid
    assert minimum <= AwesomeVersion(const.__version__), (
        f"hacs.json asks for HA {minimum}, the tests run {const.__version__}"
    )


def _version_matrix() -> list[str]:
    """Return the HA versions that scripts/lib.sh runs the end-to-end tests on."""
    lib = (TOP / "scripts" / "lib.sh").read_text(encoding="utf-8")
    match = re.search(r"^HA_MATRIX=\(([^)]*)\)$", lib, re.MULTILINE)
    assert match, "scripts/lib.sh has no HA_MATRIX=(...) line"
    return match.group(1).split()


def test_version_matrix_covers_the_claimed_minimum() -> None:
    """What hacs.json and the README claim is what the end-to-end tests run on."""
    matrix = _version_matrix()
    minimum = _json(TOP / "hacs.json")["homeassistant"]
    assert matrix[0] == minimum, "the oldest HA tested is the minimum hacs.json claims"
    assert matrix == sorted(matrix, key=AwesomeVersion)
    assert len(matrix) >= 2, "the minimum and the newest release"
    readme = (TOP / "README.md").read_text(encoding="utf-8")
    major_minor = minimum.rsplit(".", 1)[0]
    assert f"Home Assistant **{major_minor}** or newer" in readme
    for version in matrix:
        assert version in readme, f"the README does not say {version} is tested"


def test_one_integration_in_custom_components() -> None:
    """HACS installs exactly one integration from custom_components/."""
    integrations = [
        path.parent.name for path in (TOP / "custom_components").glob("*/manifest.json")
    ]
    assert integrations == [DOMAIN]


BRAND = INTEGRATION / "brand"
BRAND_FILES = {
    f"{dark}{kind}{scale}.png"
    for dark in ("", "dark_")
    for kind in ("icon", "logo")
    for scale in ("", "@2x")
}


def _png(path: Path) -> tuple[int, int, bytes]:
    """Return width, height and the colour type byte of a PNG (its IHDR chunk)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    assert data[12:16] == b"IHDR", f"{path.name}: no IHDR chunk first"
    width, height = struct.unpack(">II", data[16:24])
    return width, height, data[25:26]


def test_brand_has_every_image() -> None:
    """HA 2026.3+ shows brand/ of a custom integration: icon and logo, light and dark."""
    assert {path.name for path in BRAND.glob("*.png")} == BRAND_FILES
    assert not [path.name for path in BRAND.iterdir() if path.suffix != ".png"]


@pytest.mark.parametrize("name", sorted(BRAND_FILES))
def test_brand_image_sizes(name: str) -> None:
    """Sizes as HA's brands repository wants them; @2x is exactly double."""
    width, height, color_type = _png(BRAND / name)
    assert color_type in {b"\x04", b"\x06"}, f"{name} has no alpha channel"
    scale = 2 if "@2x" in name else 1
    if "icon" in name:
        assert (width, height) == (256 * scale, 256 * scale)
    else:
        assert width >= height, f"{name} is not landscape"
        assert 128 * scale <= height <= 256 * scale, name
    if scale == 2:
        single = _png(BRAND / name.replace("@2x", ""))
        assert (width, height) == (single[0] * 2, single[1] * 2), name


@pytest.mark.parametrize("name", sorted(BRAND_FILES))
def test_brand_background_is_transparent(name: str) -> None:
    """A brand image's corners are transparent, so it sits on any theme."""
    with Image.open(BRAND / name) as image:
        alpha = image.convert("RGBA").getchannel("A")
        corners = [(0, 0), (alpha.width - 1, 0), (0, alpha.height - 1)]
        assert all(alpha.getpixel(corner) == 0 for corner in corners), name
        assert alpha.getextrema()[1] == 255, f"{name} is empty"


def test_licence_is_mit_and_the_readme_says_so() -> None:
    """HACS requires a licence file; the README names it."""
    licence = (TOP / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License\n")
    assert "Copyright (c) 2026 Partner Time contributors" in licence
    assert 'THE SOFTWARE IS PROVIDED "AS IS"' in licence
    readme = (TOP / "README.md").read_text(encoding="utf-8")
    assert "## Licence" in readme
    assert "[MIT licence](LICENSE)" in readme


# --- translations ---------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_translation_parses_without_empty_strings(language: str) -> None:
    """Every translation is valid JSON and every text in it says something."""
    leaves = _leaves(_translation(language))
    assert leaves
    for key, value in leaves.items():
        assert isinstance(value, str), f"{language}: {key} is not a string"
        assert value.strip(), f"{language}: {key} is empty"


def test_translations_have_the_same_keys() -> None:
    """German and English cover exactly the same texts, with the same placeholders."""
    english = _leaves(_translation("en"))
    for language in LANGUAGES[1:]:
        other = _leaves(_translation(language))
        assert sorted(other.keys() - english.keys()) == [], f"only in {language}"
        assert sorted(english.keys() - other.keys()) == [], f"missing in {language}"
        for key, text in english.items():
            assert set(PLACEHOLDER.findall(other[key])) == set(
                PLACEHOLDER.findall(text)
            ), f"{language}: placeholders of {key} differ from en"


def test_only_the_known_languages() -> None:
    """No stray translation files that the key comparison above would not see."""
    assert sorted(path.stem for path in TRANSLATIONS.glob("*.json")) == sorted(
        LANGUAGES
    )


# --- actions (services.yaml, translations, icons) -------------------------------------


def _require_services_yaml() -> None:
    if not SERVICES_YAML.exists():
        pytest.skip("custom_components/partner_time/services.yaml does not exist yet")


@pytest.mark.parametrize("language", LANGUAGES)
def test_actions_are_translated(language: str) -> None:
    """Each action of services.yaml has a name, a description and its fields."""
    _require_services_yaml()
    translated = _translation(language).get("services", {})
    for service, spec in _services().items():
        text = translated.get(service)
        assert text, f"{language}: services.{service} is missing"
        assert text.get("name"), f"{language}: services.{service}.name"
        assert text.get("description"), f"{language}: services.{service}.description"
        fields, sections = _fields(spec or {})
        for field in fields:
            field_text = text.get("fields", {}).get(field, {})
            assert field_text.get("name"), f"{language}: {service}.fields.{field}.name"
            assert field_text.get("description"), (
                f"{language}: {service}.fields.{field}.description"
            )
        for section in sections:
            assert text.get("sections", {}).get(section, {}).get("name"), (
                f"{language}: {service}.sections.{section}.name"
            )
        assert set(text.get("fields", {})) <= fields, (
            f"{language}: services.{service}.fields has fields the action lacks"
        )
    assert set(translated) <= set(_services()), (
        f"{language}: translations of actions that services.yaml lacks"
    )


def test_icons_cover_every_action() -> None:
    """icons.json parses and gives every action an icon."""
    if not ICONS.exists():
        pytest.skip("no icons.json")
    icons = _json(ICONS)
    assert isinstance(icons, dict)
    if not SERVICES_YAML.exists():
        return
    service_icons = icons.get("services", {})
    for service in _services():
        assert service_icons.get(service, {}).get("service", "").startswith("mdi:"), (
            f"icons.json: services.{service}.service"
        )


async def test_registered_actions_match_services_yaml(hass: HomeAssistant) -> None:
    """The actions the integration registers are exactly those of services.yaml."""
    _require_services_yaml()
    entry = MockConfigEntry(domain=DOMAIN, title="Partner time", data={}, options={})
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    registered = set(hass.services.async_services_for_domain(DOMAIN))
    assert registered == set(_services()), f"config entry state: {entry.state}"


# --- requirements_dev.txt (the development HA of scripts/develop) ---------------------


REQUIREMENTS_DEV = TOP / "requirements_dev.txt"


def _dev_requirements_text() -> str:
    """Return requirements_dev.txt as it should be: its header, then the pins."""
    lines = REQUIREMENTS_DEV.read_text(encoding="utf-8").splitlines()
    header = [line for line in lines if line.startswith("#")]
    return "\n".join([*header, *pinned_lines()]) + "\n"


def test_requirements_dev_match_home_assistant() -> None:
    """requirements_dev.txt pins what the development HA needs, as HA pins it."""
    assert REQUIREMENTS_DEV.read_text(encoding="utf-8") == _dev_requirements_text(), (
        "requirements_dev.txt is out of date; rewrite it with "
        "`scripts/run python tests/test_packaging.py`"
    )


if __name__ == "__main__":
    # scripts/run python tests/test_packaging.py: rewrite requirements_dev.txt.
    REQUIREMENTS_DEV.write_text(_dev_requirements_text(), encoding="utf-8")
    print(f"wrote {REQUIREMENTS_DEV}")  # noqa: T201
