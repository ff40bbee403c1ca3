"""The demo household of `scripts/develop` and of the end-to-end test.

`python -m tests.e2e.demo_home CONFIG_DIR` prepares a Home Assistant configuration
directory that holds the demo `configuration.yaml` (see config/) so that it starts
ready to use, without touching anything that already exists there:

- onboarding is marked done (no owner wizard in the browser),
- a local login is created (user `demo`, password `partner-time`) with HA's own
  `auth` script, the same as `hass --script auth add`,
- Partner Time is set up for the demo household (a config entry with the dinner
  scene, the FRITZ!Box-style call deflection and call monitor, the stand-in phone and
  its sensors, the babysitter as a caller who gets through, and Anna and Ben as the
  people who must both be home).

Each part is only written when its storage file is missing, so a login or settings
made in the browser are kept; delete `config/.storage` to start from scratch.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from types import MappingProxyType
from typing import Any

DEMO_USER = "demo"
DEMO_PASSWORD = "partner-time"  # noqa: S105 (the published login of a local demo)
DEMO_TITLE = "Partner time"

DEMO_OPTIONS: dict[str, Any] = {
    "windows": [
        {
            "name": "Dinner",
            "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
            "start": "18:30:00",
            "end": "19:30:00",
        },
        {
            "name": "Sunday breakfast",
            "days": ["sun"],
            "start": "09:00:00",
            "end": "10:30:00",
        },
    ],
    "phones": [
        {
            "notify": "notify.mobile_app_demo_phone",
            "dnd_sensor": "sensor.demo_phone_do_not_disturb_sensor",
        }
    ],
    "dnd_mode": "priority_only",
    "scene": "scene.dinner",
    "restore_lights": True,
    "forwarding_switches": ["switch.fritz_box_7590_call_deflection_0"],
    "start_scripts": ["script.dinner_is_ready"],
    "end_scripts": [],
    "notify": "notify.household",
    "lead_time": 5,
    "default_duration": 60,
    "call_sensors": [
        "sensor.demo_phone_phone_state",
        "sensor.fritz_box_7590_call_monitor_phone_book",
    ],
    # The babysitter's calls get through (config/configuration.yaml plays the FRITZ!Box
    # call monitor): the pendant flashes and the phone gets an urgent notification.
    "breakthrough_callers": ["+49 170 1234567"],
    "breakthrough_light": "light.dining_pendant",
    "breakthrough_notify": "notify.mobile_app_demo_phone",
    # Anna and Ben (config/configuration.yaml): agreed times wait until both are home.
    "people": ["person.anna", "person.ben"],
    "presence": "all",
}


def write_storage(path: Path, key: str, data: object, version: int, minor: int) -> None:
    """Write one `.storage` file the way HA's Store does."""
    from homeassistant.helpers.json import JSONEncoder  # noqa: PLC0415

    payload = {"version": version, "minor_version": minor, "key": key, "data": data}
    path.write_text(json.dumps(payload, cls=JSONEncoder, indent=2), encoding="utf-8")


def _config_entry(options: dict[str, Any]) -> dict[str, Any]:
    """Return the demo household's config entry in HA's storage format."""
    from homeassistant.config_entries import SOURCE_USER, ConfigEntry  # noqa: PLC0415

    entry = ConfigEntry(
        data={},
        discovery_keys=MappingProxyType({}),
        domain="partner_time",
        minor_version=1,
        options=options,
        source=SOURCE_USER,
        subentries_data=None,
        title=DEMO_TITLE,
        unique_id=None,
        version=1,
    )
    return dict(entry.as_dict())


def prepare(
    config_dir: Path,
    *,
    python: str = sys.executable,
    options: dict[str, Any] | None = None,
) -> list[str]:
    """Prepare config_dir for the demo; return what was done, for the log.

    options replaces the demo household's settings (the end-to-end test moves the
    agreed times away from the time it runs).
    """
    from homeassistant.config_entries import (  # noqa: PLC0415
        STORAGE_VERSION,
        STORAGE_VERSION_MINOR,
    )

    storage = config_dir / ".storage"
    storage.mkdir(parents=True, exist_ok=True)
    done: list[str] = []

    onboarding = storage / "onboarding"
    if not onboarding.exists():
        steps = ["user", "core_config", "analytics", "integration"]
        write_storage(onboarding, "onboarding", {"done": steps}, 4, 1)
        done.append("onboarding marked done")

    if not (storage / "auth_provider.homeassistant").exists():
        subprocess.run(  # noqa: S603 (fixed arguments)
            [
                *(python, "-m", "homeassistant", "--script", "auth"),
                *("-c", str(config_dir), "add", DEMO_USER, DEMO_PASSWORD),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        done.append(f"login created: {DEMO_USER} / {DEMO_PASSWORD}")

    entries = storage / "core.config_entries"
    if not entries.exists():
        write_storage(
            entries,
            "core.config_entries",
            {"entries": [_config_entry(options or DEMO_OPTIONS)]},
            STORAGE_VERSION,
            STORAGE_VERSION_MINOR,
        )
        done.append("Partner Time set up for the demo household")

    link = config_dir / "custom_components"
    if not link.exists() and not link.is_symlink():
        link.symlink_to(Path(__file__).resolve().parents[2] / "custom_components")
        done.append("custom_components linked")
    return done


def main() -> None:
    """Prepare the directory given on the command line."""
    if len(sys.argv) != 2:
        sys.exit("usage: python -m tests.e2e.demo_home CONFIG_DIR")
    for line in prepare(Path(sys.argv[1])):
        print(f"[partner-time] demo: {line}")  # noqa: T201


if __name__ == "__main__":
    main()
