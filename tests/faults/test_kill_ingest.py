"""kill -9 of a worker in the middle of ingesting thousands of listings, then a new worker: each stored once.

Two moments: while the feed's body is still arriving (nothing parsed yet), and inside the ingest
transaction (made certain by holding a lock the transaction needs, so the kill never races the
commit). Either way nothing half-done may be visible. The new worker sees the killed one's heartbeat
lapse and runs the killed job again within seconds, storing every listing once.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable
from pathlib import Path

import asyncpg
import pytest
from aiohttp import web

from aggregator.config import Settings
from aggregator.runtime import connect
from tests.faults.helpers import remotive_feed, start_hirewire, stop, wait_for
from workers.scheduler import Scheduler

pytestmark = pytest.mark.slow

LISTINGS = 2000


def _env(settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HIREWIRE_")}
    env.update({"HIREWIRE_DATABASE_URL": settings.database_url or "", "HIREWIRE_REDIS_URL": settings.redis_url or "",
                "HIREWIRE_REDIS_PREFIX": settings.redis_prefix, "HIREWIRE_CONFIG": str(settings.config_path),
                "HIREWIRE_DATA_DIR": str(settings.data_dir), "HIREWIRE_SECRET_KEY": "k",
                "HIREWIRE_LOG_FORMAT": "json", "HIREWIRE_DEAD_WORKER_AFTER": "2s"})
    return env


@pytest.mark.parametrize("moment", ["mid-body", "mid-transaction"])
async def test_kill_during_ingest_loses_and_duplicates_nothing(
        moment: str, clean_db: str, make_settings: Callable[..., Settings], tmp_path: Path,
        http_server: Callable[[web.Application], Awaitable[str]]) -> None:
    body = remotive_feed(range(LISTINGS), "k")
    sent = {"bytes": 0}

    async def slow_feed(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        response.content_length = len(body)
        await response.prepare(request)
        step = len(body) // 40
        for start in range(0, len(body), step):  # about 2 s for the whole body
            await response.write(body[start:start + step])
            sent["bytes"] = start + step
            await asyncio.sleep(0.05)
        await response.write_eof()
        return response

    app = web.Application()
    app.router.add_get("/jobs", slow_feed)
    base = await http_server(app)
    settings = make_settings({"remotive": {"url": f"{base}/jobs", "rate": 100, "burst": 10, "concurrency": 4,
                                           "conditional": False}})
    log = tmp_path / "worker.log"
    db = await asyncpg.connect(clean_db)
    try:
        async with connect(settings) as rt:
            scheduler = Scheduler(rt)
            await scheduler.sync_sources()
            assert await scheduler.enqueue_due() == ["remotive"]
            blocker: asyncpg.Connection | None = None
            worker = start_hirewire("worker", _env(settings), log)
            try:
                if moment == "mid-transaction":
                    async def started() -> bool:  # past its own migration, which the lock would block too
                        return "Starting worker" in log.read_text()
                    await wait_for(started, 60, "the worker starting")
                    blocker = await asyncpg.connect(clean_db)
                    await blocker.execute("BEGIN; LOCK TABLE jobs IN SHARE MODE")  # ingest's writes to jobs wait
                if moment == "mid-body":
                    async def half_sent() -> bool:
                        return sent["bytes"] >= len(body) // 2
                    await wait_for(half_sent, 60, "the worker reading half the feed")
                else:
                    async def ingest_waiting() -> bool:
                        return bool(await db.fetchval(
                            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                            "AND wait_event_type = 'Lock' AND xact_start IS NOT NULL AND pid <> pg_backend_pid()"))
                    await wait_for(ingest_waiting, 60, "the ingest transaction waiting to write jobs")
            finally:
                await stop(worker, 9)  # SIGKILL
                if blocker is not None:
                    await blocker.execute("ROLLBACK")
                    await blocker.close()
            assert worker.returncode == -9
            assert await db.fetchval("SELECT count(*) FROM postings") == 0  # nothing half-committed
            assert await db.fetchval("SELECT count(*) FROM jobs") == 0

            # A new worker. arq marks the killed job "in progress" for its timeout plus 10 s (over
            # twenty minutes); the new worker sees the killed one's heartbeat lapse and runs that
            # same job again within seconds. Nothing is queued by hand.
            assert await scheduler.enqueue_due() == []  # the source is still claimed by that job
            worker = start_hirewire("worker", _env(settings), log)
            try:
                async def all_stored() -> bool:
                    assert worker.poll() is None, log.read_text()[-3000:]
                    return bool(await db.fetchval(
                        "SELECT count(*) = $1 AND bool_and(j.matched_at IS NOT NULL) FROM postings p "
                        "JOIN jobs j ON j.id = p.job_id", LISTINGS))
                await wait_for(all_stored, 90, "every listing stored and matched by the new worker")
            finally:
                assert await stop(worker) == 0
        rows = await db.fetch("SELECT external_id, count(*) AS n FROM postings GROUP BY external_id")
        assert sorted(r["external_id"] for r in rows) == sorted(f"k{n}" for n in range(LISTINGS))
        assert all(r["n"] == 1 for r in rows)
        assert await db.fetchval("SELECT count(*) FROM jobs") == LISTINGS  # one canonical job each
        assert await db.fetchval("SELECT count(DISTINCT job_id) FROM postings") == LISTINGS
        assert await db.fetchval("SELECT count(*) FROM fetch_runs WHERE status = 'ok'") == 1
        assert "its jobs will run again" in log.read_text()
    finally:
        await db.close()
