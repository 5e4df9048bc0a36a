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

__all__ = ["BUDGET", "add_budget_headers", "count", "is_public", "rate_limit", "throttle"]

_PRIVATE_PREFIXES = ("/v1/alerts", "/healthz", "/metrics", "/openapi.json")


def is_public(path: str) -> bool:
    """Endpoints anyone may call without a key: job search, subscriptions and the pages."""
    return not path.startswith(_PRIVATE_PREFIXES)


def _is_operator(request: web.Request) -> bool:
    key = request.app[RUNTIME].settings.api_key
    header = request.headers.get("Authorization", "")
    # Header bytes that are not UTF-8 arrive as lone surrogates (surrogateescape): compare them as bytes.
    return bool(key) and hmac.compare_digest(header.encode("utf-8", "surrogateescape"), f"Bearer {key}".encode())


async def count(request: web.Request, name: str, subject: str, *, window: int) -> int:
    """Count one event for `subject` under `name` in the current `window`; returns the window's count."""
    rt = request.app[RUNTIME]
    digest = hashlib.sha256(subject.encode()).hexdigest()[:32]  # no addresses in Redis keys
    key = f"{rt.settings.redis_prefix}:throttle:{name}:{digest}:{int(time.time()) // window}"
    async with rt.redis.pipeline(transaction=True) as pipe:
        pipe.incr(key)
        pipe.expire(key, window + 1)
        counted, _ = await pipe.execute()
    return int(counted)


async def throttle(request: web.Request, name: str, subject: str, *, limit: int, window: int) -> bool:
    """Count one event for `subject` under `name`; False once `limit` is passed within `window` seconds."""
    return await count(request, name, subject, window=window) <= limit


#: The budget headers of this request's response, set by `rate_limit` and added by `add_budget_headers`.
BUDGET = web.RequestKey("rate_limit_budget", dict[str, str])


@web.middleware
async def rate_limit(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Refuse a client past its budget (429 with Retry-After); tell every client its budget.

    Each limited response carries RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset (seconds
    until the window ends), as the IETF RateLimit header fields draft names them, so a client can
    slow down before it is refused; before, the budget showed only once exhausted, as a 429.
    """
    if is_public(request.path) and not _is_operator(request):
        limits = request.app[LIMITS]
        write = request.method not in ("GET", "HEAD", "OPTIONS")
        limit = limits.writes_per_minute if write else limits.reads_per_minute
        settings = request.app[RUNTIME].settings
        client = client_address(request.remote, request.headers.getall("X-Forwarded-For", []),
                                settings.trusted_proxies)
        counted = await count(request, "write" if write else "read", client, window=60)
        reset = 60 - int(time.time()) % 60
        request[BUDGET] = {"RateLimit-Limit": str(limit), "RateLimit-Remaining": str(max(0, limit - counted)),
                           "RateLimit-Reset": str(reset)}
        if counted > limit:
            raise ApiError(429, "rate_limited", f"too many requests: at most {limit} a minute; try again in "
                           f"{reset} s", headers={"Retry-After": str(reset)})
    return await handler(request)


async def add_budget_headers(request: web.Request, response: web.StreamResponse) -> None:
    """on_response_prepare: the budget headers on every limited response, refusals and errors included
    (those are built outside this middleware, by `middleware.errors`)."""
    budget = request.get(BUDGET)
    if budget:
        response.headers.update(budget)
