"""/metrics: the Prometheus text format, with installation-wide states refreshed on each scrape."""

from __future__ import annotations

from aiohttp import web

from aggregator import metrics
from aggregator.api.base import RUNTIME
from aggregator.api.health import worker_alive
from aggregator.store import metrics as store_metrics

__all__ = ["routes"]

routes = web.RouteTableDef()


@routes.get("/metrics")
async def scrape(request: web.Request) -> web.Response:
    rt = request.app[RUNTIME]
    async with rt.pool.acquire() as conn:
        figures = await store_metrics.figures(conn)
    metrics.set_state(deliveries=figures.deliveries, queue_depth=int(await rt.redis.zcard(rt.settings.queue_name)),
                      worker_up=await worker_alive(rt), jobs=figures.jobs, postings=figures.postings,
                      failures=figures.failures, fetches_24h=figures.fetches_24h, merged=figures.merged,
                      last_success=figures.last_success)
    return web.Response(body=metrics.render(), headers={"Content-Type": metrics.CONTENT_TYPE})
