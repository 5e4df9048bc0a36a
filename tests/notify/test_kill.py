"""Kill -9 a worker mid-send: no delivery is lost, and none reaches the receiver under two ids."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from standardwebhooks import Webhook

from aggregator.runtime import connect
from tests.conftest import ROOT
from tests.notify.conftest import FAST, add_alert, add_delivery, add_job, worker_in_background
from workers import jobs as worker_jobs
from workers.notify import delivery_job_id
from workers.notify.signing import generate_secret

WORKER = """
import asyncio
from aggregator.config import load_settings
from aggregator.runtime import connect
from workers.settings import build_worker

async def main():
    async with connect(load_settings()) as rt:
        worker = build_worker(rt, max_jobs=4)
        await worker.async_run()

asyncio.run(main())
"""
SEEN = web.AppKey("seen", list[tuple[str, str]])


async def test_kill_worker_mid_send_loses_nothing(make_settings: Callable[..., Any], clean_db: str,
                                                  http_server: Callable[[web.Application], Awaitable[str]]) -> None:
    secret = generate_secret()
    app = web.Application()
    app[SEEN] = []

    async def hook(request: web.Request) -> web.Response:
        body = await request.read()
        payload = Webhook(secret).verify(body, dict(request.headers))
        app[SEEN].append((request.headers["webhook-id"], payload["data"]["job"]["title"]))
        await asyncio.sleep(0.3)  # slow receiver: the kill lands while sends are in flight
        return web.Response(text="ok")

    app.router.add_post("/hook", hook)
    url = await http_server(app) + "/hook"
    doomed = make_settings()
    async with connect(doomed) as rt:
        async with rt.pool.acquire() as conn:
            alert = await add_alert(conn, webhook=url, secret=secret)
            ids = [await add_delivery(conn, alert, await add_job(conn, title=f"Job {n}"), url) for n in range(16)]
        for did in ids:
            await rt.enqueue(worker_jobs.SEND_DELIVERY, did, job_id=delivery_job_id(rt.settings.redis_prefix, did))

    env = {**os.environ, "HIREWIRE_DATABASE_URL": doomed.database_url or "", "HIREWIRE_REDIS_URL":
           doomed.redis_url or "", "HIREWIRE_REDIS_PREFIX": doomed.redis_prefix, "HIREWIRE_SECRET_KEY": "k",
           "HIREWIRE_DATA_DIR": str(doomed.data_dir), "HIREWIRE_CONFIG": str(doomed.config_path),
           "HIREWIRE_ALLOW_PRIVATE_DESTINATIONS": "true", "HIREWIRE_DELIVERY_LEASE": "2s",
           "HIREWIRE_WEBHOOK_TIMEOUT": "1s", "HIREWIRE_SMTP_TIMEOUT": "1s",
           "HIREWIRE_DELIVERY_RETRY_SCHEDULE": "0.05s,0.05s,0.05s", "HIREWIRE_LOG_FORMAT": "json"}
    process = subprocess.Popen([sys.executable, "-c", WORKER], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 30
        while len(app[SEEN]) < 6 and loop.time() < deadline:
            await asyncio.sleep(0.02)
        assert len(app[SEEN]) >= 6, "the worker never started sending"
    finally:
        os.kill(process.pid, signal.SIGKILL)
        await asyncio.to_thread(process.wait, 10)

    async with connect(doomed) as rt:  # a new worker on the same queue, as after a restart
        async with rt.pool.acquire() as conn:
            states = dict(await conn.fetch("SELECT state, count(*) FROM deliveries GROUP BY state"))
        assert states.get("sending", 0) > 0 and states.get("sent", 0) < len(ids)  # really killed mid-send
        await asyncio.sleep(FAST.lease + 0.2)  # the dead worker's leases run out
        await rt.enqueue(worker_jobs.SWEEP)  # what the scheduler does every minute
        # Not burst: the killed jobs stay "in progress" in arq for job_timeout + 10 s; the sweep covers them.
        async with worker_in_background(rt, FAST):
            deadline = loop.time() + 20
            while loop.time() < deadline:
                async with rt.pool.acquire() as conn:
                    if await conn.fetchval("SELECT count(*) FROM deliveries WHERE state = 'sent'") == len(ids):
                        break
                await asyncio.sleep(0.1)
        async with rt.pool.acquire() as conn:
            rows = await conn.fetch("SELECT state, attempts FROM deliveries ORDER BY id")

    assert [r["state"] for r in rows] == ["sent"] * len(ids)  # none lost
    ids_by_title: dict[str, set[str]] = {}
    for msg_id, title in app[SEEN]:
        ids_by_title.setdefault(title, set()).add(msg_id)
    assert sorted(ids_by_title) == sorted(f"Job {n}" for n in range(16))
    assert all(len(v) == 1 for v in ids_by_title.values())  # a repeat, if any, carries the same webhook-id
    assert len({msg_id for msg_id, _ in app[SEEN]}) == len(ids)
