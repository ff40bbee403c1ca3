"""What a Home Assistant installs at its first start on the demo config, as HA pins it.

Needs only the standard library and an installed `homeassistant`, so it runs in the
development venv (for requirements_dev.txt, see tests/test_packaging.py) and in the
extra venvs of the version matrix that scripts/lib.sh builds for the end-to-end tests
(`python -m tests.e2e.ha_requirements` prints the pins of the HA it runs with).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

TOP = Path(__file__).resolve().parents[2]
DEMO_CONFIGURATION = TOP / "config" / "configuration.yaml"


def _components() -> Path:
    import homeassistant  # noqa: PLC0415

    return Path(homeassistant.__file__).parent / "components"


def ha_manifest(domain: str) -> dict[str, Any] | None:
    """Return the manifest of an integration that ships with HA, or None."""
    path = _components() / domain / "manifest.json"
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path} must hold a JSON object"
    return data


def configured_domains(configuration: Path = DEMO_CONFIGURATION) -> set[str]:
    """Top-level domains and platforms of the demo configuration.yaml."""
    from homeassistant.util.yaml import load_yaml_dict  # noqa: PLC0415

    config = load_yaml_dict(configuration)
    domains = {str(key).split(" ")[0] for key in config}
    for value in config.values():
        for item in value if isinstance(value, list) else []:
            if isinstance(item, dict) and "platform" in item:
                domains.add(str(item["platform"]))
    return domains


def first_start_requirements() -> dict[str, list[str]]:
    """Return what HA installs at its first start on config/, with the sources."""
    from homeassistant import bootstrap  # noqa: PLC0415

    todo = [
        *bootstrap.CORE_INTEGRATIONS,
        *bootstrap.DEFAULT_INTEGRATIONS,
        *bootstrap.FRONTEND_INTEGRATIONS,
        *configured_domains(),
    ]
    seen: dict[str, dict[str, Any]] = {}
    while todo:
        domain = todo.pop()
        if domain in seen or (manifest := ha_manifest(domain)) is None:
            continue
        seen[domain] = manifest
        todo += manifest.get("dependencies", []) + manifest.get(
            "after_dependencies", []
        )
    sources: dict[str, list[str]] = {}
    for domain, manifest in sorted(seen.items()):
        for requirement in manifest.get("requirements", []):
            sources.setdefault(requirement, []).append(domain)
    # Outside the integrations: the auth MFA modules and hass's coloured console log.
    from homeassistant.auth.mfa_modules import notify, totp  # noqa: PLC0415
    from homeassistant.scripts import check_config  # noqa: PLC0415

    for module, name in (
        (notify, "auth.mfa_modules.notify"),
        (totp, "auth.mfa_modules.totp"),
        (check_config, "scripts.check_config"),
    ):
        for requirement in module.REQUIREMENTS:
            sources.setdefault(requirement, []).append(name)
    return sources


def pinned_lines() -> list[str]:
    """Return the requirements as lines of a requirements file, sorted."""
    sources = first_start_requirements()
    return [
        f"{requirement}  # {', '.join(sorted(sources[requirement]))}"
        for requirement in sorted(sources, key=str.lower)
    ]


if __name__ == "__main__":
    print("\n".join(pinned_lines()))  # noqa: T201
