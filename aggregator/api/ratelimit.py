"""Per-client rate limits on the public endpoints, counted in Redis so they hold across API replicas.

A fixed one-minute window per (client address, kind): reads and writes have separate budgets,
writes (subscribing, confirming, unsubscribing) a much smaller one, because each may send an email
or change a subscriber's state. Requests bearing the operator's key are not limited. Behind
reverse proxies the client is read from `X-Forwarded-For` as far as trusted proxies wrote it
(`aggregator.forwarded`).
"""

from __future__ import annotations

import hashlib
import hmac
import time

from aiohttp import web
from aiohttp.typedefs import Handler

from aggregator.api.base import LIMITS, RUNTIME, ApiError
from aggregator.forwarded import client_address

__all__ = ["is_public", "rate_limit", "throttle"]

_PRIVATE_PREFIXES = ("/v1/alerts", "/healthz", "/metrics", "/openapi.json")


def is_public(path: str) -> bool:
    """Endpoints anyone may call without a key: job search, subscriptions and the pages."""
    return not path.startswith(_PRIVATE_PREFIXES)


def _is_operator(request: web.Request) -> bool:
    key = request.app[RUNTIME].settings.api_key
    header = request.headers.get("Authorization", "")
    # Header bytes that are not UTF-8 arrive as lone surrogates (surrogateescape): compare them as bytes.
    return bool(key) and hmac.compare_digest(header.encode("utf-8", "surrogateescape"), f"Bearer {key}".encode())


async def throttle(request: web.Request, name: str, subject: str, *, limit: int, window: int) -> bool:
    """Count one event for `subject` under `name`; False once `limit` is passed within `window` seconds."""
    rt = request.app[RUNTIME]
    digest = hashlib.sha256(subject.encode()).hexdigest()[:32]  # no addresses in Redis keys
    key = f"{rt.settings.redis_prefix}:throttle:{name}:{digest}:{int(time.time()) // window}"
    async with rt.redis.pipeline(transaction=True) as pipe:
        pipe.incr(key)
        pipe.expire(key, window + 1)
        count, _ = await pipe.execute()
    return int(count) <= limit


@web.middleware
async def rate_limit(request: web.Request, handler: Handler) -> web.StreamResponse:
    if is_public(request.path) and not _is_operator(request):
        limits = request.app[LIMITS]
        write = request.method not in ("GET", "HEAD", "OPTIONS")
        limit = limits.writes_per_minute if write else limits.reads_per_minute
        settings = request.app[RUNTIME].settings
        client = client_address(request.remote, request.headers.getall("X-Forwarded-For", []),
                                settings.trusted_proxies)
        if not await throttle(request, "write" if write else "read", client, limit=limit, window=60):
            retry = 60 - int(time.time()) % 60
            raise ApiError(429, "rate_limited", f"too many requests: at most {limit} a minute; try again in "
                           f"{retry} s", headers={"Retry-After": str(retry)})
    return await handler(request)
