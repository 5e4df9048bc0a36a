"""A delivery job that a worker started and died on before claiming its delivery: arq holds that job
id "in progress" for over ten minutes, so the sweep must queue the delivery under another id."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from arq.constants import in_progress_key_prefix

from aggregator.runtime import connect
from tests.notify.conftest import FAST, add_alert, add_delivery, add_job, worker_in_background
from workers import jobs as worker_jobs
from workers.notify import delivery_job_id

HOOKS = web.AppKey("hooks", list[str])


async def test_a_delivery_orphaned_in_progress_is_sent_under_another_id(
        make_settings: Callable[..., Any], clean_db: str,
        http_server: Callable[[web.Application], Awaitable[str]]) -> None:
    app = web.Application()
    app[HOOKS] = []

    async def hook(request: web.Request) -> web.Response:
        await request.read()
        app[HOOKS].append(request.headers["webhook-id"])
        return web.Response(text="ok")

    app.router.add_post("/hook", hook)
    url = await http_server(app) + "/hook"
    async with connect(make_settings()) as rt:
        async with rt.pool.acquire() as conn:
            alert = await add_alert(conn, webhook=url)
            delivery = await add_delivery(conn, alert, await add_job(conn), url)
            # Due for longer than a lease, and still unclaimed.
            await conn.execute("UPDATE deliveries SET next_attempt_at = now() - interval '1 minute' WHERE id = $1",
                               delivery)
        # A worker took the job (arq marks it in progress) and died before claiming the delivery.
        job_id = delivery_job_id(rt.settings.redis_prefix, delivery)
        await rt.enqueue(worker_jobs.SEND_DELIVERY, delivery, job_id=job_id)
        await rt.redis.psetex(in_progress_key_prefix + job_id, 600_000, b"1")

        await rt.enqueue(worker_jobs.SWEEP)
        async with worker_in_background(rt, FAST) as worker:
            loop = asyncio.get_running_loop()
            deadline = loop.time() + 15

            async def sent() -> bool:
                async with rt.pool.acquire() as conn:
                    return await conn.fetchval("SELECT state FROM deliveries WHERE id = $1", delivery) == "sent"

            while not await sent() and loop.time() < deadline:
                await asyncio.sleep(0.05)
            while worker.tasks and loop.time() < deadline:  # let the job finish recording its result
                await asyncio.sleep(0.05)
        async with rt.pool.acquire() as conn:
            state = await conn.fetchval("SELECT state FROM deliveries WHERE id = $1", delivery)
        orphan_queued = await rt.redis.exists(f"arq:job:{job_id}:orphan", f"arq:result:{job_id}:orphan")
    assert state == "sent" and len(app[HOOKS]) == 1
    assert orphan_queued  # sent by the job the sweep queued under the new id
