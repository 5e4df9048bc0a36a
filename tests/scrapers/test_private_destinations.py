"""What a feed leads to cannot steer the crawler into the operator's network.

A source the operator configured on a loopback or private address (tests, mirrors) is read there.
A URL reached from a public origin (a sitemap entry, a next-page link, a redirect), or a public name
that resolves inward, is refused before anything is sent, unless private destinations are allowed;
cloud metadata is refused always.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager

import pytest
from aiohttp import web

from aggregator import pipeline
from aggregator.config import Settings
from aggregator.errors import PermanentFetchError
from aggregator.ssrf import names_private_host
from scrapers.fetch import Fetcher
from tests.conftest import fetching

HITS = web.AppKey("hits", list[str])
BOARD = "https://board.example.org/sitemap.xml"  # a public origin, as a configured board would be


def recording_app() -> web.Application:
    """A feed, a redirect to cloud metadata and a sitemap listing both; records every path asked for."""
    app = web.Application()
    app[HITS] = []

    async def feed(request: web.Request) -> web.Response:
        app[HITS].append(request.path)
        return web.json_response({"data": [], "links": {}})

    async def to_metadata(request: web.Request) -> web.Response:
        app[HITS].append(request.path)
        raise web.HTTPFound("http://169.254.169.254/latest/meta-data/")

    async def sitemap(request: web.Request) -> web.Response:
        app[HITS].append(request.path)
        here = f"http://{request.host}"
        return web.Response(text=f"<urlset><url><loc>http://169.254.169.254/latest/</loc></url>"
                                 f"<url><loc>{here}/moved</loc></url></urlset>", content_type="application/xml")

    app.router.add_get("/feed", feed)
    app.router.add_get("/moved", to_metadata)
    app.router.add_get("/sitemap.xml", sitemap)
    return app


@pytest.mark.parametrize(("url", "private"), [
    ("http://127.0.0.1:8080/feed", True), ("http://10.1.2.3/jobs.rss", True), ("http://[::1]/x", True),
    ("http://localhost:9000/x", True), ("http://mirror.localhost/x", True), ("http://2130706433/x", True),
    ("https://board.example.org/x", False), ("http://8.8.8.8/x", False),
    ("http://169.254.169.254/latest/", False),  # metadata is never "the operator's own"
    ("http://jobs.internal/x", False),  # a name: what it resolves to is not what the URL says
])
def test_which_configured_urls_name_a_private_host(url: str, private: bool) -> None:
    assert names_private_host(url) is private


async def test_a_source_configured_on_loopback_is_read_there(
        make_fetcher: Callable[..., AbstractAsyncContextManager[Fetcher]],
        http_server: Callable[[web.Application], Awaitable[str]]) -> None:
    app = recording_app()
    base = await http_server(app)
    async with make_fetcher(allow_private=False) as fetcher:
        assert (await fetcher.get(f"{base}/feed")).status == 200
    assert app[HITS] == ["/feed"]


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::ffff:127.0.0.1]", "2130706433"])
async def test_a_loopback_url_reached_from_a_public_origin_is_refused_before_anything_is_sent(
        host: str, make_fetcher: Callable[..., AbstractAsyncContextManager[Fetcher]],
        http_server: Callable[[web.Application], Awaitable[str]]) -> None:
    app = recording_app()
    port = (await http_server(app)).rsplit(":", 1)[1]
    async with make_fetcher(allow_private=False) as fetcher:
        with pytest.raises(PermanentFetchError) as refused:
            await fetcher.get(f"http://{host}:{port}/feed", origin=BOARD)
    message = str(refused.value)
    assert "refused destination" in message and "loopback" in message
    assert "HIREWIRE_ALLOW_PRIVATE_DESTINATIONS" in message
    assert refused.value.attempts == 1  # permanent: not retried
    assert app[HITS] == []


async def test_allowing_private_destinations_opens_them_to_public_origins(
        make_fetcher: Callable[..., AbstractAsyncContextManager[Fetcher]],
        http_server: Callable[[web.Application], Awaitable[str]]) -> None:
    app = recording_app()
    base = await http_server(app)
    async with make_fetcher(allow_private=True) as fetcher:
        assert (await fetcher.get(f"{base}/feed", origin=BOARD)).status == 200
    assert app[HITS] == ["/feed"]


@pytest.mark.parametrize("allow_private", [False, True])
async def test_a_redirect_to_cloud_metadata_is_refused_even_from_a_trusted_origin(
        allow_private: bool, make_fetcher: Callable[..., AbstractAsyncContextManager[Fetcher]],
        http_server: Callable[[web.Application], Awaitable[str]]) -> None:
    app = recording_app()
    base = await http_server(app)
    async with make_fetcher(allow_private=allow_private) as fetcher:
        with pytest.raises(PermanentFetchError, match=r"169\.254\.169\.254: cloud metadata address"):
            await fetcher.get(f"{base}/moved")
    assert app[HITS] == ["/moved"]


async def test_a_sitemap_leading_to_cloud_metadata_reads_the_rest_and_records_the_refusal(
        clean_db: str, make_settings: Callable[..., Settings],
        http_server: Callable[[web.Application], Awaitable[str]]) -> None:
    """Through the pipeline, with the default settings: the sitemap's metadata entry and the page
    redirecting there are refused and recorded; nothing reaches the metadata address."""
    app = recording_app()
    base = await http_server(app)
    settings = make_settings({"jsonld": {"pages": [f"{base}/sitemap.xml"], "max_pages": 5}},
                             HIREWIRE_ALLOW_PRIVATE_DESTINATIONS="false")
    assert settings.fetch.allow_private is False
    async with fetching(settings, "jsonld") as (rt, fetcher):
        report = await pipeline.refresh_source(settings, rt.pool, fetcher, "jsonld")
        async with rt.pool.acquire() as conn:
            runs = await conn.fetch("SELECT url, status, error_message FROM fetch_runs ORDER BY id")
    assert report.errors
    assert runs[0]["url"] == f"{base}/sitemap.xml" and runs[0]["status"] == "ok"
    refused = [r for r in runs if r["status"] == "error"]
    assert refused and all("cloud metadata address" in r["error_message"] for r in refused)
    assert "/sitemap.xml" in app[HITS] and all(not path.startswith("/latest") for path in app[HITS])
