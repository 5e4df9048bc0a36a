"""A listing read twice in one run (a list page, then the posting's own page) counts once, and its last
reading decides what is stored: through the orchestrator, a real HTTP server and PostgreSQL."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
from aiohttp import web

from aggregator import pipeline
from aggregator.config import Settings
from tests.conftest import fetching

LIST_ENTRIES = [
    {"id": "1", "name": "Senior Python Engineer", "company": {"identifier": "acme", "name": "Acme"}},
    {"id": "2", "name": "Backend Engineer, Payments", "company": {"identifier": "acme", "name": "Acme"}},
    {"id": "3", "name": "Office Manager", "company": {"identifier": "acme", "name": "Acme"}},
]
AD = {
    # The posting's own page tells another story than its list entry: it was re-titled.
    "1": ("Account Executive", "<p>Sell our invoicing product to mid-sized companies in Europe.</p>"),
    "2": ("Backend Engineer, Payments",
          "<p>Build our payments API in Python with FastAPI, Celery and PostgreSQL.</p>"),
    "3": ("Office Manager", "<p>Run our Berlin office.</p>"),
}


def board() -> tuple[web.Application, list[str]]:
    app = web.Application()
    requested: list[str] = []

    async def postings(request: web.Request) -> web.Response:
        requested.append(request.path)
        # A fresh ETag on every answer: the list counts as changed, and is read in full each run.
        return web.json_response({"offset": 0, "limit": 100, "totalFound": 3, "content": LIST_ENTRIES},
                                 headers={"ETag": f'"list-{len(requested)}"'})

    async def posting(request: web.Request) -> web.Response:
        requested.append(request.path)
        posting_id = request.match_info["id"]
        etag = f'"ad-{posting_id}"'
        if request.headers.get("If-None-Match") == etag:  # an unchanged posting, as a caching API answers
            return web.Response(status=304, headers={"ETag": etag})
        title, text = AD[posting_id]
        entry: dict[str, Any] = next(e for e in LIST_ENTRIES if e["id"] == posting_id)
        return web.json_response({**entry, "name": title, "jobAd": {"sections": {
            "jobDescription": {"title": "Job Description", "text": text}}}}, headers={"ETag": etag})

    app.router.add_get("/v1/companies/acme/postings", postings)
    app.router.add_get("/v1/companies/acme/postings/{id}", posting)
    return app, requested


async def _refresh(make_settings: Callable[..., Settings], http_server: Callable[[web.Application], Awaitable[str]],
                   times: int) -> tuple[list[pipeline.SourceReport], list[str], list[asyncpg.Record], list[str]]:
    """Serve the board and refresh the source `times` times: the reports, the paths requested, the
    stored postings with their jobs, and the URLs validators are kept for."""
    app, requested = board()
    base = await http_server(app)
    settings = make_settings({"smartrecruiters": {
        "url": f"{base}/v1/companies/{{board}}/postings?limit=100&offset=0", "boards": ["acme"],
        "rate": 100.0, "burst": 10}})
    async with fetching(settings, "smartrecruiters") as (rt, fetcher):
        reports = [await pipeline.refresh_source(settings, rt.pool, fetcher, "smartrecruiters") for _ in range(times)]
        async with rt.pool.acquire() as conn:
            remembered = [r["url"] for r in await conn.fetch("SELECT url FROM http_cache")]
            stored = await conn.fetch(
                "SELECT p.external_id, j.title, j.description_text FROM postings p JOIN jobs j ON j.id = p.job_id "
                "WHERE p.source = 'smartrecruiters'")
    return reports, requested, stored, remembered


async def test_the_last_reading_of_a_listing_decides(
        clean_db: str, make_settings: Callable[..., Settings],
        http_server: Callable[[web.Application], Awaitable[str]]) -> None:
    [report], requested, stored, _ = await _refresh(make_settings, http_server, 1)
    assert requested == ["/v1/companies/acme/postings"] + [f"/v1/companies/acme/postings/{n}" for n in "123"]
    assert report.ok
    assert (report.fetched, report.skipped, report.new) == (3, 2, 1)  # three postings, each counted once
    # "2" is a Python role only by its own page; "1" was one by its list entry, and is no longer.
    assert [(r["external_id"], r["title"]) for r in stored] == [("2", "Backend Engineer, Payments")]
    assert "FastAPI" in stored[0]["description_text"]


async def test_a_posting_read_again_keeps_its_own_page(
        clean_db: str, make_settings: Callable[..., Settings],
        http_server: Callable[[web.Application], Awaitable[str]]) -> None:
    """The posting pages answer 304 to a conditional request; were they asked conditionally, the
    thinner list entry would be the last reading and overwrite the description."""
    [first, again], requested, stored, remembered = await _refresh(make_settings, http_server, 2)
    assert (first.new, again.new, again.updated, again.not_modified) == (1, 0, 0, 0)
    assert len(requested) == 8  # each page read in full both times
    # Validators are kept for the list page only: one row per posting would be kept for nothing.
    assert [url.split("?")[0].split("/", 3)[3] for url in remembered] == ["v1/companies/acme/postings"]
    assert [r["external_id"] for r in stored] == ["2"] and "FastAPI" in stored[0]["description_text"]
