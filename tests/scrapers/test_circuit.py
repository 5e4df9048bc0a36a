"""Per-source health: failures open a circuit that backs the schedule off (capped), success closes it,
`hirewire sources` shows it, and one failing source never holds up another."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime

from aiohttp import web

from aggregator import pipeline
from aggregator.config import Settings
from aggregator.runtime import Runtime, connect
from tests.conftest import ROOT, fetching
from workers.scheduler import Scheduler
from workers.settings import build_worker

SAMPLE = (ROOT / "aggregator" / "samples" / "remotive.json").read_bytes()
FAST = {"rate": 100.0, "burst": 10}
Serve = Callable[[web.Application], Awaitable[str]]
HEALTHY = web.AppKey("healthy", list[bool])


def switchable_feed() -> web.Application:
    """Answers 500 until the test flips it healthy."""
    app = web.Application()
    app[HEALTHY] = [False]

    async def feed(request: web.Request) -> web.Response:
        if not app[HEALTHY][0]:
            return web.Response(status=500, text="down")
        return web.Response(body=SAMPLE, content_type="application/json")

    app.router.add_get("/feed", feed)
    return app


async def health(rt: Runtime, name: str) -> tuple[int, float, str | None]:
    """(consecutive failures, seconds until the next run, last error) of a source."""
    async with rt.pool.acquire() as conn:
        row = await conn.fetchrow(
            "SELECT consecutive_failures, extract(epoch FROM next_run_at - now()) AS wait, last_error "
            "FROM sources WHERE name = $1", name)
    return row["consecutive_failures"], float(row["wait"]), row["last_error"]


def sources_table(settings: Settings, cli_env: Callable[..., dict[str, str]]) -> str:
    result = subprocess.run([sys.executable, "-m", "aggregator", "sources"], env=cli_env(settings.config_path),
                            capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return next(line for line in result.stdout.splitlines() if line.startswith("remotive"))


async def test_failures_back_off_exponentially_capped_and_success_closes(
        clean_db: str, make_settings: Callable[..., Settings], http_server: Serve,
        cli_env: Callable[..., dict[str, str]]) -> None:
    app = switchable_feed()
    base = await http_server(app)
    settings = make_settings({"remotive": {"url": f"{base}/feed", "every": "10s", **FAST}})
    settings = replace(settings, fetch=replace(settings.fetch, max_backoff=35.0))
    async with fetching(settings, "remotive") as (rt, fetcher):
        waits = []
        for _ in range(4):
            report = await pipeline.refresh_source(settings, rt.pool, fetcher, "remotive")
            assert not report.ok
            failures, wait, error = await health(rt, "remotive")
            waits.append(wait)
        assert failures == 4 and error is not None and "HTTP 500" in error
        for got, want in zip(waits, [10, 20, 35, 35], strict=True):
            assert want - 2 <= got <= want + 1, waits

        line = await asyncio.to_thread(sources_table, settings, cli_env)
        assert " 4 " in f" {line} " and "HTTP 500" in line

        app[HEALTHY][0] = True
        report = await pipeline.refresh_source(settings, rt.pool, fetcher, "remotive")
        assert report.ok and report.new == 4
        failures, wait, _ = await health(rt, "remotive")
        assert failures == 0 and 8 <= wait <= 11

        async with rt.pool.acquire() as conn:
            runs = await conn.fetch("SELECT status, http_status, attempts, error_class, duration_ms "
                                    "FROM fetch_runs ORDER BY id")
    assert [(r["status"], r["http_status"], r["attempts"], r["error_class"]) for r in runs] == (
        [("error", 500, 2, "TransientFetchError")] * 4 + [("ok", 200, 1, None)])
    assert all(r["duration_ms"] > 0 for r in runs[:4])  # the backoff between the two attempts
    line = await asyncio.to_thread(sources_table, settings, cli_env)
    assert " 0 " in f" {line} "


async def test_retry_after_beyond_the_cap_defers_the_schedule(
        clean_db: str, make_settings: Callable[..., Settings], http_server: Serve) -> None:
    app = web.Application()

    async def limited(request: web.Request) -> web.Response:
        return web.Response(status=429, headers={"Retry-After": "3600"})

    app.router.add_get("/feed", limited)
    base = await http_server(app)
    settings = make_settings({"remotive": {"url": f"{base}/feed", "every": "10s", **FAST}})
    async with fetching(settings, "remotive") as (rt, fetcher):
        await pipeline.refresh_source(settings, rt.pool, fetcher, "remotive")
        failures, wait, _ = await health(rt, "remotive")
    assert failures == 1 and 3590 <= wait <= 3601


async def test_one_failing_source_does_not_hold_up_another(
        clean_db: str, make_settings: Callable[..., Settings], http_server: Serve) -> None:
    """Two sources on two hosts (limits are per host: sharing one would rightly make them queue)."""
    good_app, bad_app = web.Application(), web.Application()

    async def good(request: web.Request) -> web.Response:
        return web.Response(body=SAMPLE, content_type="application/json")

    async def stall(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        await response.prepare(request)
        await asyncio.sleep(30)
        return response

    good_app.router.add_get("/good", good)
    bad_app.router.add_get("/stall", stall)
    good_base, bad_base = await http_server(good_app), await http_server(bad_app)
    settings = make_settings({"remotive": {"url": f"{good_base}/good", **FAST},
                              "remoteok": {"url": f"{bad_base}/stall", **FAST}})
    settings = replace(settings, fetch=replace(settings.fetch, read_timeout=0.5, total_timeout=1.0))
    async with connect(settings) as rt:
        scheduler = Scheduler(rt)
        await scheduler.sync_sources()
        assert sorted(await scheduler.enqueue_due()) == ["remoteok", "remotive"]
        started = datetime.now().astimezone()
        worker = build_worker(rt, burst=True)
        await worker.async_run()
        await worker.close()
        async with rt.pool.acquire() as conn:
            runs = {r["source"]: r for r in await conn.fetch("SELECT * FROM fetch_runs")}
            postings = await conn.fetchval("SELECT count(*) FROM postings WHERE source = 'remotive'")
        remotive, remoteok = await health(rt, "remotive"), await health(rt, "remoteok")

    assert runs["remotive"]["status"] == "ok" and postings == 4
    # Finished before the stalled source's timeouts (2 attempts of 0.5 s) could have been over.
    assert runs["remotive"]["duration_ms"] < 900
    assert (runs["remotive"]["started_at"] - started).total_seconds() < 1.0
    assert runs["remoteok"]["status"] == "error" and runs["remoteok"]["attempts"] == 2
    assert "timed out" in runs["remoteok"]["error_message"]
    assert remotive[0] == 0 and remoteok[0] == 1


async def test_sources_name_shows_the_whole_last_error_and_the_latest_attempts(
        clean_db: str, make_settings: Callable[..., Settings], http_server: Serve,
        cli_env: Callable[..., dict[str, str]]) -> None:
    app = switchable_feed()
    base = await http_server(app)
    settings = make_settings({"remotive": {"url": f"{base}/feed", "every": "10s", **FAST}})
    async with fetching(settings, "remotive") as (rt, fetcher):
        for healthy in (False, False, True):
            app[HEALTHY][0] = healthy
            await pipeline.refresh_source(settings, rt.pool, fetcher, "remotive")

    def show(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "aggregator", "sources", *args],
                              env=cli_env(settings.config_path), capture_output=True, text=True, timeout=60, cwd=ROOT)

    shown = await asyncio.to_thread(show, "remotive", "--runs", "2")
    assert shown.returncode == 0, shown.stderr
    head, runs = shown.stdout.split("\n\n")
    fields = dict(line.split(":", 1) for line in head.splitlines())
    assert fields["failures"].strip() == "0" and fields["listings"].strip() == "4"
    assert fields["last error"].strip() == f"{base}/feed: HTTP 500 Internal Server Error"  # whole, not cut
    header, newest, older = runs.splitlines()
    assert header.split()[:3] == ["STARTED", "STATUS", "HTTP"]
    assert newest.split()[2:5] == ["ok", "200", newest.split()[4]] and f"{base}/feed" in newest
    assert older.split()[2:4] == ["error", "500"] and older.rstrip().endswith("HTTP 500 Internal Server Error")

    unknown = await asyncio.to_thread(show, "monster")
    assert (unknown.returncode, unknown.stderr.strip()[:36]) == (2, "hirewire: SOURCE: unknown source 'mo")
