"""Paging: the orchestrator follows an adapter's next links through the fetch engine, up to the cap."""

from __future__ import annotations

import json
import threading
from collections.abc import Awaitable, Callable

import pytest
from aiohttp import web
from structlog.testing import capture_logs

from aggregator import pipeline
from aggregator.config import Settings
from aggregator.model import Listing, RawListing
from aggregator.normalise import normalise
from tests.conftest import ROOT, fetching

SAMPLE = json.loads((ROOT / "aggregator" / "samples" / "arbeitnow.json").read_bytes())
PAGES = web.AppKey("pages", list[int])


def endless_feed() -> web.Application:
    """Every page links to the next one, forever; slugs differ per page."""
    app = web.Application()
    app[PAGES] = []

    async def feed(request: web.Request) -> web.Response:
        page = int(request.query.get("page", "1"))
        app[PAGES].append(page)
        data = [{**item, "slug": f"{item['slug']}-p{page}"} for item in SAMPLE["data"]]
        base = str(request.url.with_query(None))
        return web.json_response({"data": data, "links": {"next": f"{base}?page={page + 1}"}})

    app.router.add_get("/api/job-board-api", feed)
    return app


async def test_next_links_are_followed_up_to_the_page_cap(
        clean_db: str, make_settings: Callable[..., Settings],
        http_server: Callable[[web.Application], Awaitable[str]]) -> None:
    app = endless_feed()
    base = await http_server(app)
    settings = make_settings({"arbeitnow": {"url": f"{base}/api/job-board-api?page=1", "max_pages": 3,
                                            "rate": 100.0, "burst": 10, "keep_all": True}})
    async with fetching(settings, "arbeitnow") as (rt, fetcher):
        with capture_logs() as logs:
            report = await pipeline.refresh_source(settings, rt.pool, fetcher, "arbeitnow")
        async with rt.pool.acquire() as conn:
            runs = await conn.fetch("SELECT url, status FROM fetch_runs ORDER BY id")
    assert app[PAGES] == [1, 2, 3]
    # The operator is told why nothing of this feed will ever be closed, and what to change.
    [warning] = [entry for entry in logs if entry["log_level"] == "warning"]
    assert warning["event"].startswith("page cap reached")
    assert (warning["source"], warning["max_pages"], warning["hint"]) == (
        "arbeitnow", 3, "raise sources.arbeitnow.max_pages")
    assert report.ok and report.fetched == 3 * len(SAMPLE["data"])
    assert [r["url"].rsplit("=", 1)[1] for r in runs] == ["1", "2", "3"]
    assert {r["status"] for r in runs} == {"ok"}


async def test_pages_are_parsed_and_normalised_off_the_event_loop(
        clean_db: str, make_settings: Callable[..., Settings],
        http_server: Callable[[web.Application], Awaitable[str]], monkeypatch: pytest.MonkeyPatch) -> None:
    """A large page costs about a millisecond of CPU per listing: it must not stall the worker's
    other jobs, so parsing and normalising run in a thread, not on the loop's own."""
    threads: list[int] = []

    def recording(raw: RawListing) -> Listing:
        threads.append(threading.get_ident())
        return normalise(raw)

    monkeypatch.setattr(pipeline, "normalise", recording)
    base = await http_server(endless_feed())
    settings = make_settings({"arbeitnow": {"url": f"{base}/api/job-board-api?page=1", "max_pages": 2,
                                            "rate": 100.0, "burst": 10, "keep_all": True}})
    async with fetching(settings, "arbeitnow") as (rt, fetcher):
        report = await pipeline.refresh_source(settings, rt.pool, fetcher, "arbeitnow")
        async with rt.pool.acquire() as conn:
            stored = await conn.fetchval("SELECT count(*) FROM postings WHERE source = 'arbeitnow'")
    assert report.ok and report.fetched == 2 * len(SAMPLE["data"]) == stored == len(threads)
    assert threading.get_ident() not in threads
