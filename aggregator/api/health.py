"""/healthz: can this API serve (PostgreSQL, Redis), and is any worker alive (its arq heartbeat)?

Only the API's own dependencies decide the status code, so a load balancer keeps routing to a
healthy API replica while the workers are being restarted; a missing worker heartbeat shows as
"degraded" in the body (and as hirewire_worker_up 0 in /metrics) for the operator to alert on.
"""

from __future__ import annotations

from aiohttp import web

from aggregator.api.base import RUNTIME, json_response
from aggregator.runtime import Runtime

__all__ = ["routes", "worker_alive"]

routes = web.RouteTableDef()


def heartbeat_key(rt: Runtime) -> str:
    """The key arq workers refresh every health-check interval (workers/settings.py)."""
    return f"{rt.settings.redis_prefix}:health-check"


async def worker_alive(rt: Runtime) -> bool:
    return bool(await rt.redis.exists(heartbeat_key(rt)))


@routes.get("/healthz")
async def healthz(request: web.Request) -> web.Response:
    rt = request.app[RUNTIME]
    checks: dict[str, str] = {}
    try:
        async with rt.pool.acquire(timeout=5) as conn:
            await conn.fetchval("SELECT 1")
        checks["postgres"] = "ok"
    except Exception as exc:  # any failure is reported, not raised
        checks["postgres"] = f"error: {type(exc).__name__}"
    try:
        await rt.redis.ping()
        checks["redis"] = "ok"
        checks["worker"] = "ok" if await worker_alive(rt) else "no heartbeat"
    except Exception as exc:
        checks["redis"] = f"error: {type(exc).__name__}"
        checks["worker"] = "unknown"
    serving = checks["postgres"] == "ok" and checks["redis"] == "ok"
    status = "ok" if serving and checks["worker"] == "ok" else ("degraded" if serving else "error")
    return json_response({"status": status, "checks": checks}, status=200 if serving else 503)
