"""Headless Chromium driven over the DevTools protocol, with aiohttp only.

`find_chromium()` looks for Debian's `chromium` (scripts/lib.sh installs it into the sid
root) or another Chromium/Chrome on PATH. `Chromium` starts it headless with a fresh
profile and `--remote-debugging-port=0`, reads the port Chromium picked from
DevToolsActivePort in the profile, and talks to the first tab over its WebSocket.
The process is always stopped (terminate, then kill) when the context ends.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import shutil
import subprocess
import time
from typing import TYPE_CHECKING, Any, Self

import aiohttp

if TYPE_CHECKING:
    from pathlib import Path
    from types import TracebackType

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = (
    "--headless",
    "--no-sandbox",  # root in CI; the sandbox needs user namespaces
    "--disable-gpu",
    "--disable-quic",
    "--disable-dev-shm-usage",  # a small /dev/shm in containers and chroots
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
    "--lang=en-US",
)
START_TIMEOUT = 30.0

# JavaScript helpers for Runtime.evaluate: HA's frontend is made of Lit web components,
# so document.body.innerText and querySelector see almost nothing; these walk into
# every shadow root. deepText(node) is the text under node, deepFind(node, test) the
# elements under node for which test(element) holds, squash(s) folds white space.
JS_HELPERS = """
const SKIP = new Set(["STYLE", "SCRIPT", "TEMPLATE"]);
function deepText(node) {
  if (node.nodeType === Node.TEXT_NODE) return node.textContent;
  if (SKIP.has(node.nodeName)) return "";
  let out = "";
  if (node.shadowRoot) out += " " + deepText(node.shadowRoot);
  for (const child of node.childNodes) out += " " + deepText(child);
  return out;
}
function deepFind(node, test, found = []) {
  if (node.nodeType === Node.ELEMENT_NODE && test(node)) found.push(node);
  if (node.shadowRoot) deepFind(node.shadowRoot, test, found);
  for (const child of node.children || []) deepFind(child, test, found);
  return found;
}
function squash(s) { return s.replace(/\\s+/g, " ").trim(); }
"""


def find_chromium() -> str | None:
    """Return the path of a Chromium on PATH, or None."""
    for name in BROWSERS:
        if path := shutil.which(name):
            return path
    return None


class CdpError(Exception):
    """A DevTools protocol command failed."""


class Chromium:
    """A headless Chromium with one tab, driven over the DevTools protocol."""

    def __init__(
        self, executable: str, profile: Path, size: tuple[int, int] = (1280, 800)
    ) -> None:
        """Prepare to run executable with a fresh profile directory."""
        self.executable = executable
        self.profile = profile
        self.size = size
        self.process: subprocess.Popen[bytes] | None = None
        self.session: aiohttp.ClientSession | None = None
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.ids = itertools.count(1)
        self.log = profile.parent / f"{profile.name}.log"

    def log_tail(self, lines: int = 30) -> str:
        """Return the end of Chromium's output."""
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def _start(self) -> None:
        """Start the Chromium process."""
        self.profile.mkdir(parents=True)
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(  # noqa: S603 (fixed arguments)
                [
                    self.executable,
                    *FLAGS,
                    f"--user-data-dir={self.profile}",
                    f"--window-size={self.size[0]},{self.size[1]}",
                    "--remote-debugging-port=0",
                    "about:blank",
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )

    async def __aenter__(self) -> Self:
        """Start Chromium and connect to its tab."""
        self._start()
        try:
            port = await self._devtools_port()
            self.session = aiohttp.ClientSession()
            url = f"http://127.0.0.1:{port}/json/list"
            async with self.session.get(url) as resp:
                targets = await resp.json(content_type=None)
            page = next(t for t in targets if t["type"] == "page")
            self.ws = await self.session.ws_connect(
                page["webSocketDebuggerUrl"], max_msg_size=0
            )
            await self.send("Page.enable")
            await self.send("Runtime.enable")
            # The viewport exactly (--window-size also counts the window's frame).
            await self.send(
                "Emulation.setDeviceMetricsOverride",
                width=self.size[0],
                height=self.size[1],
                deviceScaleFactor=1,
                mobile=False,
            )
        except BaseException:
            await self.close()
            raise
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Stop Chromium, always."""
        await self.close()

    async def _devtools_port(self) -> int:
        """Wait for DevToolsActivePort in the profile; return the port in it."""
        assert self.process is not None
        active = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                msg = f"chromium exited with {self.process.returncode}:\n{self.log_tail()}"
                raise CdpError(msg)
            if active.exists() and (lines := active.read_text().splitlines()):
                return int(lines[0])
            await asyncio.sleep(0.1)
        msg = f"chromium did not open its DevTools port in {START_TIMEOUT:.0f} s:\n{self.log_tail()}"
        raise CdpError(msg)

    async def close(self) -> None:
        """Close the connection and stop the browser."""
        if self.ws is not None:
            await self.ws.close()
        if self.session is not None:
            await self.session.close()
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                await asyncio.to_thread(self.process.wait, 10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                await asyncio.to_thread(self.process.wait, 10)

    async def send(self, method: str, **params: Any) -> dict[str, Any]:
        """Send one DevTools command; return its result (events are skipped)."""
        assert self.ws is not None
        message_id = next(self.ids)
        await self.ws.send_json({"id": message_id, "method": method, "params": params})
        while True:
            message = await asyncio.wait_for(self.ws.receive(), 30)
            if message.type != aiohttp.WSMsgType.TEXT:
                msg = f"{method}: the DevTools connection closed ({message.type!r})"
                raise CdpError(msg)
            reply = json.loads(message.data)
            if reply.get("id") == message_id:
                if "error" in reply:
                    msg = f"{method}: {reply['error']}"
                    raise CdpError(msg)
                return dict(reply["result"])

    async def evaluate(self, expression: str) -> Any:
        """Evaluate a JavaScript expression in the page; return its JSON value."""
        result = await self.send(
            "Runtime.evaluate",
            expression=expression,
            returnByValue=True,
            awaitPromise=True,
        )
        if "exceptionDetails" in result:
            msg = f"JavaScript failed: {result['exceptionDetails']}"
            raise CdpError(msg)
        return result["result"].get("value")

    async def navigate(self, url: str) -> None:
        """Open url in the tab."""
        result = await self.send("Page.navigate", url=url)
        if result.get("errorText"):
            msg = f"opening {url}: {result['errorText']}"
            raise CdpError(msg)

    async def screenshot(self, path: Path) -> bytes:
        """Save a PNG of the tab's viewport to path; return its bytes."""
        result = await self.send("Page.captureScreenshot", format="png")
        png = base64.b64decode(result["data"])
        await asyncio.to_thread(path.write_bytes, png)
        return png
