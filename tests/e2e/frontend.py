"""HA's frontend in a headless Chromium, logged in as the demo user: shared by the tests.

`logged_in(...)` starts Chromium (chromium.py) with the tokens of a real login flow in
the page's localStorage (`hassTokens`, how the frontend keeps a login) and, if asked,
the frontend's language (`selectedLanguage`, what the user's profile sets), both put
there before HA's scripts run, in the demo's time zone (Europe/Berlin). `Page` drives the tab and calls HA's REST API beside it.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import aiohttp
import pytest
from PIL import Image

from .chromium import Chromium, find_chromium
from .running import login

if TYPE_CHECKING:
    from collections.abc import AsyncGenerator, Callable

PAGE_TIMEOUT = 30.0
TIME_ZONE = "Europe/Berlin"  # the demo's (config/configuration.yaml)
SIZE = (1280, 800)


def require_chromium() -> str:
    """Return the Chromium to use; skip (host venv) or fail (sid root) without one."""
    executable = find_chromium()
    if executable is None:
        if os.environ.get("PARTNER_TIME_IN_ROOT") == "1":
            pytest.fail("no chromium in the sid root; scripts/lib.sh installs it")
        pytest.skip(
            "no chromium/chromium-browser/google-chrome on PATH (scripts/setup installs "
            "Debian's chromium only into the sid root it builds as root)"
        )
    return executable


def screenshot_dir() -> Path | None:
    """Return where the README's screenshots go, if asked for (PARTNER_TIME_SCREENSHOTS)."""
    if target := os.environ.get("PARTNER_TIME_SCREENSHOTS"):
        path = Path(target)
        if not path.is_absolute():
            path = Path(__file__).resolve().parents[2] / path
        return path
    return None


def check_png(png: bytes) -> None:
    """Check that the screenshot is a real picture, not an empty page."""
    image = Image.open(io.BytesIO(png))
    assert image.size == SIZE, image.size
    colors = image.convert("RGB").getcolors(maxcolors=1 << 16)
    assert colors is None or len(colors) > 50, "the screenshot is almost blank"


class Page:
    """The browser tab, with HA's REST API next to it."""

    def __init__(
        self, browser: Chromium, session: aiohttp.ClientSession, url: str, token: str
    ) -> None:
        """Drive browser against the HA at url."""
        self.browser = browser
        self.session = session
        self.url = url
        self.headers = {"Authorization": f"Bearer {token}"}
        self.seen: Any = None  # what the last wait saw, for the failure message

    async def wait_for(
        self,
        what: str,
        expression: str,
        check: Any,
        timeout: float = PAGE_TIMEOUT,  # noqa: ASYNC109
    ) -> Any:
        """Evaluate expression until check(value) holds; return the value."""
        deadline = time.monotonic() + timeout
        while True:
            self.seen = await self.browser.evaluate(expression)
            if self.seen is not None and check(self.seen):
                return self.seen
            if time.monotonic() > deadline:
                pytest.fail(
                    f"the page did not show {what} in {timeout:.0f} s; it showed:\n"
                    f"{json.dumps(self.seen, indent=1)[:3000]}"
                )
            await asyncio.sleep(0.25)

    async def rest(self, method: str, path: str, body: Any = None) -> Any:
        """Call HA's REST API; return the JSON."""
        async with self.session.request(
            method, f"{self.url}{path}", headers=self.headers, json=body
        ) as resp:
            assert resp.status == 200, f"{method} {path}: {resp.status}"
            return await resp.json()

    async def state(self, entity_id: str) -> str:
        """Return an entity's state."""
        return str((await self.rest("GET", f"/api/states/{entity_id}"))["state"])

    async def settle(self, shot: Path, pause: float = 1.5) -> bytes:
        """Let the page finish loading (cards, dialogs); take a screenshot."""
        await asyncio.sleep(pause)
        png = await self.browser.screenshot(shot)
        check_png(png)
        return png


@contextlib.asynccontextmanager
async def logged_in(
    executable: str, url: str, profile: Path, language: str | None = None
) -> AsyncGenerator[Page]:
    """Yield a Page in a Chromium logged in to the HA at url (in language, if given)."""
    async with aiohttp.ClientSession() as session:
        # The frontend's client_id is the page's origin with a slash.
        tokens = await login(session, url, client_id=f"{url}/")
        hass_tokens = {**tokens, "hassUrl": url, "clientId": f"{url}/"}
        script = (
            "localStorage.setItem('hassTokens', JSON.stringify("
            f"{{...{json.dumps(hass_tokens)}, expires: Date.now() + "
            f"{int(tokens['expires_in'])} * 1000}}));"
        )
        if language is not None:
            script += f"localStorage.setItem('selectedLanguage', {json.dumps(json.dumps(language))});"
        async with Chromium(executable, profile, SIZE) as browser:
            # The household's time zone, as a browser at home has it (the frontend
            # shows times in the browser's zone by default; a container's is UTC).
            await browser.send("Emulation.setTimezoneOverride", timezoneId=TIME_ZONE)
            await browser.send("Page.addScriptToEvaluateOnNewDocument", source=script)
            page = Page(browser, session, url, str(tokens["access_token"]))
            try:
                yield page
            except BaseException:
                with contextlib.suppress(Exception):
                    await browser.screenshot(
                        profile.parent / f"{profile.name}-failure.png"
                    )
                raise


def run_in_new_loop(coro: Any, timeout: float, log: Callable[[], str]) -> Any:
    """Run a browser scenario in a loop of its own; fail with the hass log if it fails."""
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(asyncio.wait_for(coro, timeout))
    except BaseException as err:  # noqa: BLE001 (pytest.fail too: shown with the logs)
        pytest.fail(f"{err!r}\n--- hass log ---\n{log()}")
    finally:
        loop.run_until_complete(loop.shutdown_default_executor())
        loop.close()
