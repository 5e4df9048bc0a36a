"""The subscriber's pages in headless Chromium: the form works end to end, and the page looks right.

Chromium is driven over the DevTools protocol with aiohttp's own WebSocket client: no browser
download, no extra driver. Skipped when /usr/bin/chromium is absent (Debian package `chromium`).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import shutil
import struct
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.api.conftest import Api, confirm_link

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.skipif(CHROMIUM is None, reason="needs headless Chromium: apt-get install chromium "
                                 "fonts-dejavu-core"), pytest.mark.timeout(90)]


class Page:
    """One browser tab over the DevTools protocol."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.ids = itertools.count(1)
        self.events: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.pending: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for message in self.ws:
            data = json.loads(message.data)
            if "id" in data and data["id"] in self.pending:
                self.pending.pop(data["id"]).set_result(data)
            elif "method" in data:
                await self.events.put(data)

    async def send(self, method: str, **params: Any) -> dict[str, Any]:
        call_id = next(self.ids)
        self.pending[call_id] = asyncio.get_running_loop().create_future()
        await self.ws.send_json({"id": call_id, "method": method, "params": params})
        reply = await asyncio.wait_for(self.pending[call_id], 20)
        assert "error" not in reply, reply
        result: dict[str, Any] = reply["result"]
        return result

    async def loaded(self, action: Any) -> None:
        """Run `action` (a coroutine) and wait for the page it leads to."""
        while not self.events.empty():
            self.events.get_nowait()
        await action
        while (await asyncio.wait_for(self.events.get(), 20))["method"] != "Page.loadEventFired":
            pass

    async def goto(self, url: str) -> None:
        await self.loaded(self.send("Page.navigate", url=url))

    async def js(self, expression: str) -> Any:
        result = await self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        return result["result"].get("value")


@pytest.fixture
async def page() -> AsyncIterator[Page]:
    assert CHROMIUM is not None
    with tempfile.TemporaryDirectory(prefix="hirewire-chromium-") as profile:
        process = await asyncio.create_subprocess_exec(
            CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--no-first-run", "--disable-extensions", "--remote-debugging-port=0", "--window-size=1000,1400",
            f"--user-data-dir={profile}", "about:blank",
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
        try:
            assert process.stderr is not None
            port = None
            while port is None:
                line = (await asyncio.wait_for(process.stderr.readline(), 30)).decode()
                assert line, "chromium exited before listening"
                found = re.search(r"DevTools listening on ws://[^:]+:(\d+)/", line)
                port = int(found.group(1)) if found else None
            async with aiohttp.ClientSession() as http:
                async with http.get(f"http://127.0.0.1:{port}/json/list") as r:
                    target = next(t for t in await r.json() if t["type"] == "page")
                async with http.ws_connect(target["webSocketDebuggerUrl"], max_msg_size=0) as ws:
                    tab = Page(ws)
                    await tab.send("Page.enable")
                    yield tab
                    tab.reader.cancel()
        finally:
            process.kill()
            await process.wait()


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


async def test_form_works_end_to_end(api: Api, page: Page) -> None:
    await page.goto(f"{api.url}/")
    assert await page.js("document.title") == "Job alerts · hirewire"
    # Accessible: every visible control has a label; groups have legends; the page declares its language.
    assert await page.js("[...document.querySelectorAll('input:not([type=hidden]), select')]"
                         ".every(e => e.labels.length > 0)")
    assert await page.js("[...document.querySelectorAll('fieldset')].every(f => f.querySelector('legend'))")
    assert await page.js("document.documentElement.lang") == "en"

    # A mistake first: the form comes back with the error next to the field, the input kept.
    await page.js("document.getElementById('email').value = 'ada@example.org';"
                  "document.getElementById('countries').value = 'Atlantis'; 0")
    await page.loaded(page.js("document.querySelector('form').requestSubmit(); 0"))
    assert await page.js("document.getElementById('countries').getAttribute('aria-invalid')") == "true"
    assert "Atlantis" in await page.js("document.getElementById('countries-error').textContent")
    assert await page.js("document.getElementById('email').value") == "ada@example.org"

    await page.js("document.getElementById('countries').value = 'DE';"
                  "document.getElementById('query').value = 'django OR fastapi';"
                  "document.querySelector('input[name=remote][value=remote]').click();"
                  "document.querySelector('input[name=seniority][value=senior]').click();"
                  "document.querySelector('input[name=frequency][value=daily]').click(); 0")
    await page.loaded(page.js("document.querySelector('form button[type=submit]').click(); 0"))
    assert await page.js("document.querySelector('h1').textContent") == "Check your email"
    assert len(api.mail.messages) == 1
    filters = await api.fetchval("SELECT filters FROM alerts WHERE status = 'pending'")
    assert (filters["remote"], filters["seniority"], filters["frequency"]) == (["remote"], ["senior"], "daily")

    await page.goto(confirm_link(api.mail.messages[0]))
    assert await api.fetchval("SELECT status FROM alerts") == "pending"
    await page.loaded(page.js("document.querySelector('form button').click(); 0"))
    assert await page.js("document.querySelector('h1').textContent") == "Your alert is active"
    assert await api.fetchval("SELECT status FROM alerts") == "active"


async def test_form_screenshot_looks_right(api: Api, page: Page) -> None:
    await page.goto(f"{api.url}/")
    shot = await page.send("Page.captureScreenshot", format="png")
    import base64

    data = base64.b64decode(shot["data"])
    Path(tempfile.gettempdir(), "hirewire-subscribe-form.png").write_bytes(data)  # for a human to look at
    width, height = png_size(data)
    assert width >= 800 and height >= 600
    assert len(data) > 20_000  # a blank or unstyled page compresses to far less
    layout = await page.js("(() => { const b = document.querySelector('button[type=submit]').getBoundingClientRect();"
                           " const m = document.querySelector('main').getBoundingClientRect();"
                           " return {buttonVisible: b.width > 50 && b.height > 20, mainWidth: m.width,"
                           " header: getComputedStyle(document.querySelector('header')).backgroundColor}; })()")
    assert layout["buttonVisible"] and 500 <= layout["mainWidth"] <= 700
    assert layout["header"] == "rgb(30, 58, 138)"  # the stylesheet applied
