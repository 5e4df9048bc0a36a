"""Each start URL of a source (here: each ATS board) is stored and handed to matching as soon as it is
read, in its own transaction: a run cut short keeps the boards it finished."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable

import pytest
from aiohttp import web

from aggregator import pipeline
from aggregator.config import Settings
from aggregator.store import sources as store_sources
from tests.conftest import ROOT, fetching

SAMPLE = json.loads((ROOT / "aggregator" / "samples" / "greenhouse.json").read_bytes())
#: Python backend roles in the sample (the designer is skipped).
KEPT = 3


def boards(events: list[str], stall: asyncio.Event | None = None) -> web.Application:
    """Greenhouse boards serving the sample as companies of their own; with `stall`, the board "slow"
    never answers."""
    app = web.Application()

    async def jobs(request: web.Request) -> web.Response:
        board = request.match_info["board"]
        events.append(f"GET {board}")
        if board == "slow" and stall is not None:
            stall.set()
            await asyncio.sleep(3600)
        offset = {"first": 1000, "second": 2000, "slow": 3000}[board]
        return web.json_response({**SAMPLE, "jobs": [{**job, "id": job["id"] + offset, "company_name": f"{board} labs"}
                                                     for job in SAMPLE["jobs"]]})

    app.router.add_get("/v1/boards/{board}/jobs", jobs)
    return app


def _settings(make_settings: Callable[..., Settings], base: str, names: list[str]) -> Settings:
    return make_settings({"greenhouse": {"url": f"{base}/v1/boards/{{board}}/jobs?content=true", "boards": names,
                                         "rate": 100.0, "burst": 10}})


async def test_each_board_is_stored_and_handed_over_before_the_next_is_read(
        clean_db: str, make_settings: Callable[..., Settings],
        http_server: Callable[[web.Application], Awaitable[str]]) -> None:
    events: list[str] = []
    settings = _settings(make_settings, await http_server(boards(events)), ["first", "second"])

    async with fetching(settings) as (rt, fetcher):
        async def hand_over(job_ids: list[int]) -> None:
            async with rt.pool.acquire() as conn:
                scopes = await conn.fetch("SELECT DISTINCT p.scope FROM postings p WHERE p.job_id = ANY($1)", job_ids)
            events.append(f"match {len(job_ids)} from {','.join(r['scope'] for r in scopes)}")

        async with rt.pool.acquire() as conn:
            await store_sources.sync(conn, {"greenhouse": True})
        report = await pipeline.refresh_source(settings, rt.pool, fetcher, "greenhouse", on_new_jobs=hand_over)
    assert events == ["GET first", f"match {KEPT} from first", "GET second", f"match {KEPT} from second"]
    assert report.ok and (report.fetched, report.skipped, report.new) == (8, 2, 2 * KEPT)
    assert len(report.new_job_ids) == 2 * KEPT


async def test_a_run_cut_short_keeps_the_boards_it_finished(
        clean_db: str, make_settings: Callable[..., Settings],
        http_server: Callable[[web.Application], Awaitable[str]]) -> None:
    events: list[str] = []
    stall = asyncio.Event()
    settings = _settings(make_settings, await http_server(boards(events, stall)), ["first", "slow"])
    async with fetching(settings, "greenhouse") as (rt, fetcher):
        run = asyncio.create_task(pipeline.refresh_source(settings, rt.pool, fetcher, "greenhouse"))
        await asyncio.wait_for(stall.wait(), 10)
        run.cancel()  # as the worker's job timeout does
        with pytest.raises(asyncio.CancelledError):
            await run
        async with rt.pool.acquire() as conn:
            stored = await conn.fetch("SELECT scope, count(*) AS n FROM postings GROUP BY scope")
            runs = await conn.fetch("SELECT url FROM fetch_runs")
    assert [(r["scope"], r["n"]) for r in stored] == [("first", KEPT)]
    assert [r["url"].split("/")[-2] for r in runs] == ["first"]
