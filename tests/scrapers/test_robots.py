"""robots.txt (RFC 9309): fetched once per origin, cached, obeyed for HTML sources only."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager

import pytest
from aiohttp import web

from aggregator.errors import PermanentFetchError
from scrapers.fetch import Fetcher, Policy
from scrapers.robots import RobotsCache

MakeFetcher = Callable[..., AbstractAsyncContextManager[Fetcher]]
Serve = Callable[[web.Application], Awaitable[str]]
HITS = web.AppKey("hits", list[str])
HTML = Policy(rate=1000.0, burst=100, concurrency=10, robots=True)
API = Policy(rate=1000.0, burst=100, concurrency=10, robots=False)

RULES = b"""User-agent: *
Disallow: /private

User-agent: hirewire
Disallow: /not-for-hirewire
"""


def site(robots_status: int, robots_body: bytes = RULES) -> web.Application:
    app = web.Application()
    hits: list[str] = []
    app[HITS] = hits

    async def robots(request: web.Request) -> web.Response:
        hits.append(request.path)
        return web.Response(status=robots_status, body=robots_body, content_type="text/plain")

    async def page(request: web.Request) -> web.Response:
        hits.append(request.path)
        return web.Response(text="<html></html>", content_type="text/html")

    app.router.add_get("/robots.txt", robots)
    app.router.add_get("/{tail:.*}", page)
    return app


async def test_rules_are_obeyed_and_robots_txt_is_cached(http_server: Serve, make_fetcher: MakeFetcher) -> None:
    app = site(200)
    base = await http_server(app)
    async with make_fetcher() as fetcher:
        assert (await fetcher.get(f"{base}/jobs/1", policy=HTML)).status == 200
        assert (await fetcher.get(f"{base}/jobs/2", policy=HTML)).status == 200
        with pytest.raises(PermanentFetchError, match=r"robots\.txt"):
            await fetcher.get(f"{base}/not-for-hirewire/3", policy=HTML)
    assert app[HITS] == ["/robots.txt", "/jobs/1", "/jobs/2"]  # fetched once; the refused page never asked


async def test_missing_robots_txt_allows_everything(http_server: Serve, make_fetcher: MakeFetcher) -> None:
    app = site(404)
    base = await http_server(app)
    async with make_fetcher() as fetcher:
        assert (await fetcher.get(f"{base}/private/x", policy=HTML)).status == 200
    assert app[HITS] == ["/robots.txt", "/private/x"]


@pytest.mark.parametrize("status", [500, 503, 429])
async def test_unavailable_robots_txt_disallows_everything(http_server: Serve, make_fetcher: MakeFetcher,
                                                           status: int) -> None:
    app = site(status)
    base = await http_server(app)
    async with make_fetcher() as fetcher:
        with pytest.raises(PermanentFetchError, match=r"robots\.txt") as caught:
            await fetcher.get(f"{base}/jobs/1", policy=HTML)
    assert caught.value.attempts == 1
    assert app[HITS] == ["/robots.txt"]


async def test_api_sources_are_exempt(http_server: Serve, make_fetcher: MakeFetcher) -> None:
    app = site(200, b"User-agent: *\nDisallow: /\n")
    base = await http_server(app)
    async with make_fetcher() as fetcher:
        assert (await fetcher.get(f"{base}/api/jobs", policy=API)).status == 200
    assert app[HITS] == ["/api/jobs"]


async def test_network_error_disallows_and_verdicts_expire() -> None:
    clock = [0.0]
    calls: list[str] = []

    async def unreachable(url: str) -> tuple[int, bytes]:
        calls.append(url)
        raise OSError("connection refused")

    async def fine(url: str) -> tuple[int, bytes]:
        calls.append(url)
        return 200, b"User-agent: *\nDisallow: /x\n"

    cache = RobotsCache("hirewire", ttl=86400 * 7, error_ttl=60, clock=lambda: clock[0])
    assert cache.ttl == 86400  # never longer than a day
    assert not await cache.allowed("https://example.org/a", unreachable)
    clock[0] = 59
    assert not await cache.allowed("https://example.org/a", fine)  # the error verdict is still cached
    clock[0] = 61
    assert await cache.allowed("https://example.org/a", fine)
    assert not await cache.allowed("https://example.org/x/1", fine)
    clock[0] = 61 + 86399
    assert await cache.allowed("https://example.org/a", fine)
    clock[0] = 61 + 86401
    assert await cache.allowed("https://EXAMPLE.org/a", fine)
    assert calls == ["https://example.org/robots.txt"] * 3
