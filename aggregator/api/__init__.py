"""The HTTP API (aiohttp.web): app factory; one module per resource."""

from __future__ import annotations

from aiohttp import web

from aggregator.runtime import Runtime

RUNTIME = web.AppKey("runtime", Runtime)


async def healthz(request: web.Request) -> web.Response:
    rt = request.app[RUNTIME]
    checks: dict[str, str] = {}
    try:
        async with rt.pool.acquire() as conn:
            await conn.fetchval("SELECT 1")
        checks["postgres"] = "ok"
    except Exception as exc:  # any failure is reported, not raised
        checks["postgres"] = f"error: {type(exc).__name__}"
    try:
        await rt.redis.ping()
        checks["redis"] = "ok"
    except Exception as exc:
        checks["redis"] = f"error: {type(exc).__name__}"
    healthy = all(v == "ok" for v in checks.values())
    return web.json_response({"status": "ok" if healthy else "degraded", "checks": checks},
                             status=200 if healthy else 503)


def create_app(rt: Runtime) -> web.Application:
    app = web.Application(client_max_size=64 * 1024)
    app[RUNTIME] = rt
    app.router.add_get("/healthz", healthz)
    return app
