"""What a feed leads to cannot steer the crawler into the operator's network: a page, sitemap entry or
redirect on a loopback, private or link-local address is refused unless the operator allows private
destinations, and cloud metadata is refused even then. Nothing is sent to a refused address."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager

import pytest
from aiohttp import web

from aggregator import pipeline
from aggregator.config import Settings
from aggregator.errors import PermanentFetchError
from scrapers.fetch import Fetcher
from tests.conftest import fetching

HITS = web.AppKey("hits", list[str])


def recording_app() -> web.Application:
    """Serves a feed, and a redirect to the cloud metadata address; records every path asked for."""
    app = web.Application()
    app[HITS] = []

    async def feed(request: web.Request) -> web.Response:
        app[HITS].append(request.path)
        return web.json_response({"data": [], "links": {}})

    async def to_metadata(request: web.Request) -> web.Response:
        app[HITS].append(request.path)
        raise web.HTTPFound("http://169.254.169.254/latest/meta-data/")

    app.router.add_get("/feed", feed)
    app.router.add_get("/moved", to_metadata)
    return app


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::ffff:127.0.0.1]", "2130706433"])
async def test_a_loopback_address_is_refused_by_default_before_anything_is_sent(
        host: str, make_fetcher: Callable[..., AbstractAsyncContextManager[Fetcher]],
        http_server: Callable[[web.Application], Awaitable[str]]) -> None:
    app = recording_app()
    port = (await http_server(app)).rsplit(":", 1)[1]
    async with make_fetcher(allow_private=False) as fetcher:
        with pytest.raises(PermanentFetchError) as refused:
            await fetcher.get(f"http://{host}:{port}/feed")
    assert "refused destination" in str(refused.value) and "loopback" in str(refused.value)
    assert "HIREWIRE_ALLOW_PRIVATE_DESTINATIONS" in str(refused.value)
    assert refused.value.attempts == 1  # permanent: not retried
    assert app[HITS] == []


async def test_allowed_private_destinations_still_never_reach_cloud_metadata(
        make_fetcher: Callable[..., AbstractAsyncContextManager[Fetcher]],
        http_server: Callable[[web.Application], Awaitable[str]]) -> None:
    app = recording_app()
    base = await http_server(app)
    async with make_fetcher(allow_private=True) as fetcher:
        assert (await fetcher.get(f"{base}/feed")).status == 200
        with pytest.raises(PermanentFetchError, match=r"169\.254\.169\.254: cloud metadata address"):
            await fetcher.get(f"{base}/moved")
    assert app[HITS] == ["/feed", "/moved"]


async def test_a_source_on_a_private_address_fails_with_the_reason_and_stores_nothing(
        clean_db: str, make_settings: Callable[..., Settings],
        http_server: Callable[[web.Application], Awaitable[str]]) -> None:
    app = recording_app()
    base = await http_server(app)
    settings = make_settings({"arbeitnow": {"url": f"{base}/feed"}}, HIREWIRE_ALLOW_PRIVATE_DESTINATIONS="false")
    assert settings.fetch.allow_private is False
    async with fetching(settings, "arbeitnow") as (rt, fetcher):
        report = await pipeline.refresh_source(settings, rt.pool, fetcher, "arbeitnow")
        async with rt.pool.acquire() as conn:
            error = await conn.fetchval("SELECT last_error FROM sources WHERE name = 'arbeitnow'")
            run = await conn.fetchrow("SELECT status, error_class FROM fetch_runs")
    assert report.errors and "127.0.0.1 resolves to 127.0.0.1: loopback" in error
    assert (run["status"], run["error_class"]) == ("error", "PermanentFetchError")
    assert app[HITS] == []
