"""The walking skeleton: scheduler → arq → worker fetches over HTTP → parse → normalise → PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import asyncpg
from aiohttp import web

from aggregator.config import Settings
from aggregator.runtime import connect
from tests.conftest import HITS, ROOT, serve_files, write_config
from workers.scheduler import Scheduler
from workers.settings import build_worker

SAMPLE = (ROOT / "aggregator" / "samples" / "remotive.json").read_bytes()


async def test_scheduler_worker_fetch_parse_store(clean_db: str, make_settings: Callable[..., Settings],
                                                  http_server: Callable[[web.Application], Awaitable[str]]) -> None:
    app = serve_files({"/api/remote-jobs": (SAMPLE, "application/json")})
    base = await http_server(app)
    settings = make_settings({"remotive": {"url": f"{base}/api/remote-jobs?category=software-dev&search=python",
                                           "rate": 100, "burst": 10}})

    async with connect(settings) as rt:
        scheduler = Scheduler(rt)
        await scheduler.sync_sources()
        assert await scheduler.is_leader()
        assert await scheduler.enqueue_due() == ["remotive"]
        # Claimed: a second tick enqueues nothing while the fetch is pending.
        assert await scheduler.enqueue_due() == []
        worker = build_worker(rt, burst=True)
        await worker.async_run()
        await worker.close()

        async with rt.pool.acquire() as conn:
            postings = await conn.fetch("SELECT source, external_id, listing FROM postings ORDER BY external_id")
            jobs = await conn.fetch("SELECT title, company, salary_min, salary_max, salary_currency, remote, "
                                    "matched_at FROM jobs ORDER BY title")
            runs = await conn.fetch("SELECT status, http_status, listings FROM fetch_runs")
            source = await conn.fetchrow("SELECT consecutive_failures, last_success_at FROM sources "
                                         "WHERE name = 'remotive'")

    assert app[HITS] == {"/api/remote-jobs": 1}
    # The sample has 5 listings; the customer-success role is not a Python backend job and is skipped.
    assert [p["external_id"] for p in postings] == ["2101240", "2101275", "2101298", "2101344"]
    senior = next(j for j in jobs if j["title"] == "Senior Python Engineer")
    assert senior["company"] == "Saltmarsh Labs"
    assert (senior["salary_min"], senior["salary_max"], senior["salary_currency"]) == (150000, 180000, "USD")
    assert senior["remote"] == "remote"
    # Matching ran in the same burst (the fetch enqueued it): every new job is marked matched.
    assert all(j["matched_at"] is not None for j in jobs)
    assert [(r["status"], r["http_status"], r["listings"]) for r in runs] == [("ok", 200, 5)]
    assert source["consecutive_failures"] == 0 and source["last_success_at"] is not None


async def test_ingest_is_idempotent_on_source_and_external_id(
        clean_db: str, make_settings: Callable[..., Settings],
        http_server: Callable[[web.Application], Awaitable[str]]) -> None:
    base = await http_server(serve_files({"/jobs": (SAMPLE, "application/json")}))
    settings = make_settings({"remotive": {"url": f"{base}/jobs", "rate": 100, "burst": 10}})
    async with connect(settings) as rt:
        for _ in range(2):
            scheduler = Scheduler(rt)
            await scheduler.sync_sources()
            async with rt.pool.acquire() as conn:
                await conn.execute("UPDATE sources SET next_run_at = now()")
            await scheduler.enqueue_due()
            worker = build_worker(rt, burst=True)
            await worker.async_run()
            await worker.close()
        async with rt.pool.acquire() as conn:
            assert await conn.fetchval("SELECT count(*) FROM postings") == 4
            assert await conn.fetchval("SELECT count(*) FROM jobs") == 4
            assert await conn.fetchval("SELECT count(*) FROM fetch_runs WHERE status = 'ok'") == 2


def test_cli_scrape_then_jobs_search(clean_db: str, cli_env: Callable[..., dict[str, str]], tmp_path: Path) -> None:
    """`hirewire scrape remotive` against a local server, then `hirewire jobs search python` shows the jobs."""
    import threading

    from aiohttp import web as aioweb

    app = serve_files({"/api": (SAMPLE, "application/json")})
    runner = aioweb.AppRunner(app)
    import asyncio

    loop = asyncio.new_event_loop()
    loop.run_until_complete(runner.setup())
    site = aioweb.TCPSite(runner, "127.0.0.1", 0)
    loop.run_until_complete(site.start())
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        config = write_config(tmp_path / "c.toml", {"remotive": {"url": f"http://127.0.0.1:{port}/api"}})
        env = cli_env(config)
        scrape = subprocess.run([sys.executable, "-m", "aggregator", "scrape", "remotive"], env=env,
                                capture_output=True, text=True, timeout=120)
        assert scrape.returncode == 0, scrape.stderr
        line = next(line for line in scrape.stdout.splitlines() if line.startswith("remotive"))
        assert line.split()[:4] == ["remotive", "5", "4", "0"]  # fetched, new, updated
        search = subprocess.run([sys.executable, "-m", "aggregator", "jobs", "search", "python"], env=env,
                                capture_output=True, text=True, timeout=60)
        assert search.returncode == 0, search.stderr
        assert "Senior Python Engineer" in search.stdout
        assert "Saltmarsh Labs" in search.stdout
        assert "Customer Success" not in search.stdout
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)


async def test_database_rows_survive_across_connections(clean_db: str) -> None:
    conn = await asyncpg.connect(clean_db)
    try:
        assert await conn.fetchval("SELECT max(version) FROM schema_migrations") >= 1
    finally:
        await conn.close()


def test_cli_scrape_of_a_source_with_nothing_to_read_says_what_to_set(
        clean_db: str, cli_env: Callable[..., dict[str, str]], tmp_path: Path) -> None:
    env = cli_env(write_config(tmp_path / "c.toml", {}))
    scrape = subprocess.run([sys.executable, "-m", "aggregator", "scrape", "workable"], env=env,
                            capture_output=True, text=True, timeout=120)
    assert scrape.returncode == 1
    assert scrape.stderr.strip().splitlines()[-1] == (
        'hirewire: SOURCE: workable has no boards to read: set boards = ["…"] under [sources.workable] '
        'in the TOML file')
