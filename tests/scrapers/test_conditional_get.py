"""Conditional GET through the orchestrator: a 304 skips parsing, is recorded, re-ingests nothing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from aiohttp import web

from aggregator import pipeline
from aggregator.config import Settings
from tests.conftest import ROOT, fetching

SAMPLE = (ROOT / "aggregator" / "samples" / "remotive.json").read_bytes()
Serve = Callable[[web.Application], Awaitable[str]]
#: Remotive's real rate (one request per 50 s) would make every second refresh wait; loopback needn't.
FAST = {"rate": 100.0, "burst": 10}
SEEN = web.AppKey("seen", list[tuple[str | None, str | None]])


def cached_feed(etag: str | None, modified: str | None, *, fail_first: int = 0) -> web.Application:
    """Serves the sample with validators; answers 304 when the client sends a matching one."""
    app = web.Application()
    seen: list[tuple[str | None, str | None]] = []
    app[SEEN] = seen

    async def feed(request: web.Request) -> web.Response:
        seen.append((request.headers.get("If-None-Match"), request.headers.get("If-Modified-Since")))
        if len(seen) <= fail_first:
            return web.Response(status=503, text="busy")
        headers = {k: v for k, v in (("ETag", etag), ("Last-Modified", modified)) if v}
        if (etag and seen[-1][0] == etag) or (modified and seen[-1][1] == modified):
            return web.Response(status=304, headers=headers)
        return web.Response(body=SAMPLE, content_type="application/json", headers=headers)

    app.router.add_get("/api/remote-jobs", feed)
    return app


@pytest.mark.parametrize(("etag", "modified"), [('"abc"', None), (None, "Wed, 21 Oct 2015 07:28:00 GMT")])
async def test_not_modified_is_recorded_and_nothing_is_reingested(
        clean_db: str, make_settings: Callable[..., Settings], http_server: Serve,
        etag: str | None, modified: str | None) -> None:
    app = cached_feed(etag, modified)
    base = await http_server(app)
    settings = make_settings({"remotive": {"url": f"{base}/api/remote-jobs", **FAST}})
    async with fetching(settings, "remotive") as (rt, fetcher):
        first = await pipeline.refresh_source(settings, rt.pool, fetcher, "remotive")
        async with rt.pool.acquire() as conn:
            before = await conn.fetch("SELECT external_id, updated_at, last_seen FROM postings ORDER BY 1")
            cached = await conn.fetchrow("SELECT etag, last_modified FROM http_cache")
        second = await pipeline.refresh_source(settings, rt.pool, fetcher, "remotive")
        async with rt.pool.acquire() as conn:
            after = await conn.fetch("SELECT external_id, updated_at, last_seen FROM postings ORDER BY 1")
            runs = await conn.fetch("SELECT status, http_status, bytes, listings FROM fetch_runs ORDER BY id")
            source = await conn.fetchrow("SELECT consecutive_failures FROM sources WHERE name = 'remotive'")

    assert (first.new, first.not_modified) == (4, 0)
    assert (second.fetched, second.new, second.updated, second.not_modified) == (0, 0, 0, 1)
    assert (cached["etag"], cached["last_modified"]) == (etag, modified)
    assert app[SEEN] == [(None, None), (etag, modified)]
    assert [tuple(r) for r in runs] == [("ok", 200, len(SAMPLE), 5), ("not_modified", 304, 0, 0)]
    assert before == after and len(after) == 4
    assert source["consecutive_failures"] == 0


async def test_switch_off_sends_no_validators(clean_db: str, make_settings: Callable[..., Settings],
                                              http_server: Serve) -> None:
    app = cached_feed('"abc"', None)
    base = await http_server(app)
    settings = make_settings({"remotive": {"url": f"{base}/api/remote-jobs", "conditional": False, **FAST}})
    async with fetching(settings) as (rt, fetcher):
        for _ in range(2):
            await pipeline.refresh_source(settings, rt.pool, fetcher, "remotive")
        async with rt.pool.acquire() as conn:
            assert await conn.fetchval("SELECT count(*) FROM postings") == 4
    assert app[SEEN] == [(None, None), (None, None)]


async def test_retried_fetch_records_attempts_and_stores_once(
        clean_db: str, make_settings: Callable[..., Settings], http_server: Serve) -> None:
    app = cached_feed(None, None, fail_first=1)
    base = await http_server(app)
    settings = make_settings({"remotive": {"url": f"{base}/api/remote-jobs", **FAST}})
    async with fetching(settings) as (rt, fetcher):
        for _ in range(2):
            await pipeline.refresh_source(settings, rt.pool, fetcher, "remotive")
        async with rt.pool.acquire() as conn:
            runs = await conn.fetch("SELECT status, attempts FROM fetch_runs ORDER BY id")
            assert await conn.fetchval("SELECT count(*) FROM postings") == 4
            assert await conn.fetchval("SELECT count(*) FROM jobs") == 4
    assert [tuple(r) for r in runs] == [("ok", 2), ("ok", 1)]
