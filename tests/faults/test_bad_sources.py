"""One worker run with a hanging, a flooding and a garbage source beside two healthy ones.

The bad ones are bounded by the `[fetch]` limits (timeouts, size cap, attempts), recorded on their
sources rows and backed off; the healthy ones store their listings in the same run, on time.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import asyncpg
import pytest
from aiohttp import web

from aggregator.config import Settings
from aggregator.runtime import connect
from tests.conftest import ROOT
from tests.faults.helpers import start_hirewire, stop, wait_for
from workers.scheduler import Scheduler

pytestmark = pytest.mark.slow

SAMPLES = ROOT / "aggregator" / "samples"
#: The whole run's bound: the hanging source's attempts × total timeout, plus start-up, with margin.
RUN_BOUND = 25.0


def _misbehaving() -> web.Application:
    app = web.Application()

    async def hang(request: web.Request) -> web.Response:
        await asyncio.sleep(3600)  # accepts the connection, never answers
        return web.Response()

    async def flood(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        await response.prepare(request)
        await response.write(b'{"jobs": [')
        chunk = b'{"title": "Python developer", "companyName": "Flood"},' * 1000
        while True:  # endless: only the size cap ends it
            await response.write(chunk)

    async def garbage(request: web.Request) -> web.Response:
        return web.Response(body=os.urandom(64 * 1024), content_type="application/json")

    async def stall(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        await response.prepare(request)
        await response.write(b'{"data": [{"slug": "a", "title": "Python')
        await asyncio.sleep(3600)  # stops mid-body
        return response

    for path, handler in (("/hang", hang), ("/flood", flood), ("/garbage", garbage), ("/stall", stall)):
        app.router.add_get(path, handler)
    return app


def _healthy() -> web.Application:
    app = web.Application()
    for name in ("remotive", "remoteok"):
        body = (SAMPLES / f"{name}.json").read_bytes()

        async def serve(request: web.Request, body: bytes = body) -> web.Response:
            return web.Response(body=body, content_type="application/json")

        app.router.add_get(f"/{name}", serve)
    return app


async def test_bad_sources_affect_only_themselves(clean_db: str, make_settings: Callable[..., Settings],
                                                  tmp_path: Path,
                                                  http_server: Callable[[web.Application], Awaitable[str]]) -> None:
    bad, good = await http_server(_misbehaving()), await http_server(_healthy())
    fast = {"rate": 100, "burst": 10, "every": "10m"}
    settings = make_settings({
        "remotive": {"url": f"{good}/remotive", **fast}, "remoteok": {"url": f"{good}/remoteok", **fast},
        "jobicy": {"url": f"{bad}/hang", **fast}, "himalayas": {"url": f"{bad}/flood", **fast},
        "arbeitnow": {"url": f"{bad}/garbage", **fast}, "lever": {"url": f"{bad}/stall", "boards": ["x"], **fast}})
    assert settings.config_path is not None
    config = settings.config_path.read_text().replace(
        "total_timeout = 10", "total_timeout = 3\nread_timeout = 1\nconnect_timeout = 1\nmax_bytes = 1048576")
    settings.config_path.write_text(config)
    env = {k: v for k, v in os.environ.items() if not k.startswith("HIREWIRE_")}
    env.update({"HIREWIRE_DATABASE_URL": settings.database_url or "", "HIREWIRE_REDIS_URL": settings.redis_url or "",
                "HIREWIRE_REDIS_PREFIX": settings.redis_prefix, "HIREWIRE_CONFIG": str(settings.config_path),
                "HIREWIRE_DATA_DIR": str(settings.data_dir), "HIREWIRE_SECRET_KEY": "k",
                "HIREWIRE_LOG_FORMAT": "json"})
    async with connect(settings) as rt:
        scheduler = Scheduler(rt)
        await scheduler.sync_sources()
        enqueued = await scheduler.enqueue_due()
    assert sorted(enqueued) == ["arbeitnow", "himalayas", "jobicy", "lever", "remoteok", "remotive"]

    log = tmp_path / "worker.log"
    started = time.monotonic()
    worker = start_hirewire("worker", env, log, "--burst")
    try:
        async def finished() -> bool:
            return worker.poll() is not None
        await wait_for(finished, RUN_BOUND, "the burst run finishing despite the bad sources")
    finally:
        code = await stop(worker)
    took = time.monotonic() - started
    assert code == 0, log.read_text()[-3000:]

    db = await asyncpg.connect(clean_db)
    try:
        rows = {r["name"]: r for r in await db.fetch(
            "SELECT name, last_success_at, last_error, consecutive_failures, next_run_at - now() AS wait "
            "FROM sources WHERE enabled")}
        stored = dict(await db.fetch("SELECT source, count(*) FROM postings GROUP BY source"))
        runs = await db.fetch("SELECT source, status, error_message FROM fetch_runs")
    finally:
        await db.close()
    for name in ("remotive", "remoteok"):
        assert rows[name]["last_success_at"] is not None and rows[name]["consecutive_failures"] == 0, rows[name]
        assert stored.get(name, 0) > 0
    errors = {name: rows[name]["last_error"] for name in ("jobicy", "himalayas", "arbeitnow", "lever")}
    for name, error in errors.items():
        assert rows[name]["consecutive_failures"] == 1 and error, (name, rows[name])
        assert rows[name]["wait"].total_seconds() >= 590  # backed off at least to the regular schedule
        assert name not in stored
    assert "timed out" in errors["jobicy"] and "timed out" in errors["lever"]
    assert any(word in errors["himalayas"].lower() for word in ("large", "bytes", "cap", "size")), errors
    assert {r["source"] for r in runs if r["status"] == "error"} == set(errors)
    print(f"burst run with 4 bad sources took {took:.1f} s; errors: {errors}")
