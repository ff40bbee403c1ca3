"""The demo household's phone, registered the way the companion app registers.

`python -m tests.e2e.demo_phone URL` (scripts/develop runs it once HA is up; the
end-to-end tests call `register_demo_phone` after starting `hass`) logs in as the demo
user and, unless the phone is registered already:

1. registers "Demo phone" over mobile_app's registration API
   (`POST /api/mobile_app/registrations`, as the Android app does at sign-in): HA makes
   a mobile_app config entry and device for it, which the phones step of Partner Time's
   config flow offers;
2. registers its Do Not Disturb sensor over the phone's webhook (`register_sensor`,
   unique id `dnd_sensor`, the name the Android app gives it):
   sensor.demo_phone_do_not_disturb_sensor;
3. stores the webhook's URL in input_text.demo_phone_webhook, where the demo's
   automation finds it to report the phone's Do Not Disturb (config/configuration.yaml).

The registration has no push channel, so mobile_app adds no notify action for it; the
demo's command_line notify `notify.mobile_app_demo_phone` plays the app's. Everything
is kept in HA's storage, so a restart keeps the phone and its sensor's state.
"""

from __future__ import annotations

import asyncio
import sys
import time
from typing import Any

import aiohttp

from .running import login

DEVICE_NAME = "Demo phone"
DND_SENSOR = "sensor.demo_phone_do_not_disturb_sensor"
WEBHOOK_HELPER = "input_text.demo_phone_webhook"
PHONE_DND = "input_select.demo_phone_dnd"
REGISTRATION = {
    "device_id": "partner-time-demo-phone",
    "app_id": "io.homeassistant.companion.android",
    "app_name": "Home Assistant (Partner Time demo)",
    "app_version": "demo",
    "device_name": DEVICE_NAME,
    "manufacturer": "Partner Time",
    "model": "Stand-in phone",
    "os_name": "Android",
    "os_version": "16",
    "supports_encryption": False,
    "app_data": {},
}
TIMEOUT = 60.0


class _Api:
    def __init__(self, session: aiohttp.ClientSession, url: str, token: str) -> None:
        self.session = session
        self.url = url
        self.headers = {"Authorization": f"Bearer {token}"}

    async def call(self, method: str, path: str, body: Any = None) -> Any:
        async with self.session.request(
            method, f"{self.url}{path}", headers=self.headers, json=body
        ) as resp:
            assert resp.status in {200, 201}, (
                f"{method} {path}: {resp.status} {await resp.text()}"
            )
            return await resp.json()

    async def state(self, entity_id: str) -> str | None:
        async with self.session.get(
            f"{self.url}/api/states/{entity_id}", headers=self.headers
        ) as resp:
            if resp.status == 404:
                return None
            return str((await resp.json())["state"])

    async def until(self, what: str, check: Any) -> Any:
        deadline = time.monotonic() + TIMEOUT
        while not (result := await check()):
            if time.monotonic() > deadline:
                msg = f"the demo phone: timed out waiting for {what}"
                raise TimeoutError(msg)
            await asyncio.sleep(0.2)
        return result


async def _registered(api: _Api) -> bool:
    """Tell whether the phone, its sensor and the webhook helper all exist."""
    entries = await api.call(
        "GET", "/api/config/config_entries/entry?domain=mobile_app"
    )
    return (
        any(entry["title"] == DEVICE_NAME for entry in entries)
        and await api.state(DND_SENSOR) is not None
        and str(await api.state(WEBHOOK_HELPER)).startswith("http")
    )


async def _register(api: _Api) -> str:
    """Register the phone and its sensor; return what was done."""

    async def running() -> bool:
        try:
            config = await api.call("GET", "/api/config")
        except aiohttp.ClientError:
            return False
        return bool(config.get("state") == "RUNNING")

    await api.until("Home Assistant to run", running)
    if await _registered(api):
        return "the demo phone is registered already"
    webhook_id = (
        await api.call("POST", "/api/mobile_app/registrations", REGISTRATION)
    )["webhook_id"]

    async def loaded() -> bool:
        entries = await api.call(
            "GET", "/api/config/config_entries/entry?domain=mobile_app"
        )
        return any(
            entry["title"] == DEVICE_NAME and entry["state"] == "loaded"
            for entry in entries
        )

    await api.until("the mobile_app entry of the demo phone", loaded)
    webhook = f"{api.url}/api/webhook/{webhook_id}"
    sensor = {
        "type": "register_sensor",
        "data": {
            "type": "sensor",
            "unique_id": "dnd_sensor",
            "name": "Do Not Disturb Sensor",
            "icon": "mdi:minus-circle",
            "state": await api.state(PHONE_DND) or "off",
        },
    }
    async with api.session.post(webhook, json=sensor) as resp:
        assert resp.status in {200, 201}, f"register_sensor: {resp.status}"
    await api.until(DND_SENSOR, lambda: _has_state(api, DND_SENSOR))
    await api.call(
        "POST",
        "/api/services/input_text/set_value",
        {"entity_id": WEBHOOK_HELPER, "value": webhook},
    )
    return f"the demo phone is registered (mobile_app), with {DND_SENSOR}"


async def _has_state(api: _Api, entity_id: str) -> bool:
    return await api.state(entity_id) is not None


async def register_demo_phone(url: str, timeout: float = TIMEOUT) -> str:  # noqa: ASYNC109
    """Register the demo phone with the HA at url, unless it is; say what was done."""
    async with aiohttp.ClientSession() as session:
        deadline = time.monotonic() + timeout
        while True:  # the first start of a development HA takes a while
            try:
                token = (await login(session, url))["access_token"]
                break
            except aiohttp.ClientError:
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(1)
        return await _register(_Api(session, url, str(token)))


def main() -> None:
    """Register the demo phone with the HA at the URL given on the command line."""
    if len(sys.argv) != 2:
        sys.exit("usage: python -m tests.e2e.demo_phone URL")
    done = asyncio.run(register_demo_phone(sys.argv[1], timeout=600))
    print(f"[partner-time] demo: {done}")  # noqa: T201


if __name__ == "__main__":
    main()
