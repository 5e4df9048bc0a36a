"""The HTTP API (aiohttp.web): the app factory; one module per resource.

    /v1/jobs            jobs.py           search and read stored jobs (public, rate limited)
    /v1/alerts          alerts.py         the operator's and subscribers' alerts (Bearer)
    /v1/subscriptions   subscriptions.py  double opt-in, confirm, unsubscribe (public, rate limited)
    /, /confirm, /unsubscribe  pages.py   the subscriber's HTML pages
    /healthz, /metrics  health.py, metrics.py
    /openapi.json       openapi.py
"""

from __future__ import annotations

from aiohttp import web

from aggregator.api import alerts, health, jobs, metrics, openapi, pages, subscriptions
from aggregator.api.base import JINJA, LIMITS, RUNTIME, Limits
from aggregator.api.middleware import body_limit, cors_for_public_reads, cors_preflight, errors, request_id
from aggregator.api.ratelimit import add_budget_headers, rate_limit
from aggregator.runtime import Runtime

__all__ = ["RUNTIME", "Limits", "create_app"]


def create_app(rt: Runtime, *, limits: Limits | None = None) -> web.Application:
    """The API for this runtime; `limits` overrides body size and rate limits (tests, operators)."""
    limits = limits or Limits()
    app = web.Application(client_max_size=limits.max_body,
                          middlewares=[request_id, errors, cors_preflight, body_limit, rate_limit])
    app[RUNTIME] = rt
    app[LIMITS] = limits
    app[JINJA] = pages.environment()
    for module in (health, metrics, openapi, jobs, alerts, subscriptions, pages):
        app.router.add_routes(module.routes)
    app.on_response_prepare.append(add_budget_headers)
    app.on_response_prepare.append(cors_for_public_reads)
    return app
