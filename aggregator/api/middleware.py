"""Middlewares, outermost first: request id and access log, errors as JSON (or a page), body size.

Logs name the route template (`/unsubscribe/{token}`), never the concrete path or query string:
tokens travel in paths, and a log line must not be able to unsubscribe anyone.
"""

from __future__ import annotations

import re
import time
import uuid

import structlog
from aiohttp import web
from aiohttp.typedefs import Handler

from aggregator import metrics
from aggregator.api.base import LIMITS, ApiError, json_response, render_page
from aggregator.errors import InputError

__all__ = ["body_limit", "cors_for_public_reads", "errors", "is_api_path", "request_id"]

log = structlog.get_logger("hirewire.api")

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_API_PREFIXES = ("/v1/", "/healthz", "/metrics", "/openapi.json")


def is_api_path(path: str) -> bool:
    """JSON endpoints, as opposed to the subscriber's HTML pages."""
    return path.startswith(_API_PREFIXES)


def route_name(request: web.Request) -> str:
    info = request.match_info
    if info.http_exception is not None or info.route.resource is None:
        return "unmatched"
    return info.route.resource.canonical


@web.middleware
async def request_id(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Tag the request (and every log line it causes) with an id; echo it as X-Request-ID."""
    given = request.headers.get("X-Request-ID", "")
    rid = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
    started = time.perf_counter()
    status = 500
    with structlog.contextvars.bound_contextvars(request_id=rid):
        try:
            response = await handler(request)
            status = response.status
            response.headers["X-Request-ID"] = rid
            return response
        finally:
            elapsed = time.perf_counter() - started
            route = route_name(request)
            metrics.observe_request(route, request.method, status, elapsed)
            log.info("request", method=request.method, route=route, status=status,
                     ms=round(elapsed * 1000, 1))


def _page(request: web.Request, status: int, title: str, message: str) -> web.Response:
    html = render_page(request, "error.html", title=title, message=message)
    return web.Response(text=html, status=status, content_type="text/html")


_TITLES = {400: "Bad request", 404: "Not found", 405: "Method not allowed", 413: "Request too large",
           415: "Unsupported media type", 422: "Please check the form", 429: "Too many requests"}


def _method_not_allowed(request: web.Request, exc: web.HTTPMethodNotAllowed) -> ApiError:
    """405 in the common error shape: the method is the input at fault, and the message names the
    ones that work (a bare "Method Not Allowed" left a client to dig them out of the Allow header)."""
    allowed = " or ".join(sorted(exc.allowed_methods))
    # Not the path: it can carry a token (/manage/{token}), and the message is shown on a page.
    return ApiError(405, "method_not_allowed", f"{request.method} is not allowed here; use {allowed}",
                    field="method", headers={"Allow": exc.headers["Allow"]})


@web.middleware
async def errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every refusal in one shape: the JSON error body for the API, a plain page for the pages."""
    try:
        return await handler(request)
    except InputError as exc:
        error = ApiError(422, "invalid_input", exc.message, field=exc.field)
    except ApiError as exc:
        error = exc
    except web.HTTPMethodNotAllowed as exc:
        error = _method_not_allowed(request, exc)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        code = (exc.reason or "error").lower().replace(" ", "_")
        message = exc.text if exc.text and not exc.text.startswith(f"{exc.status}:") else exc.reason
        if exc.status == 413:
            message = f"the body is larger than {request.app[LIMITS].max_body} bytes"
        headers = {k: v for k, v in exc.headers.items() if k in ("Allow", "Retry-After", "WWW-Authenticate")}
        error = ApiError(exc.status, code, message, field="body" if exc.status == 413 else None, headers=headers)
    except Exception:
        log.exception("unhandled error", route=route_name(request))
        error = ApiError(500, "internal_error", "something went wrong on our side; it has been logged")
    if is_api_path(request.path):
        return json_response(error.body(), status=error.status, headers=error.headers)
    title = "This link does not work" if error.code == "invalid_token" else _TITLES.get(error.status, "Sorry")
    response = _page(request, error.status, title, error.message)
    response.headers.update(error.headers)
    return response


@web.middleware
async def body_limit(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Refuse an announced oversize body before reading a byte of it (aiohttp caps unannounced ones)."""
    limit = request.app[LIMITS].max_body
    if request.content_length is not None and request.content_length > limit:
        raise ApiError(413, "request_entity_too_large", f"the body is larger than {limit} bytes", field="body")
    return await handler(request)


_CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Retry-After, "
                                     "X-Request-ID",
}
#: What a page may send to the public reads beyond a simple GET: the validator of a conditional poll
#: (If-None-Match is not one of the headers browsers send without asking first) and a request id.
_PREFLIGHT_HEADERS = {
    **_CORS_HEADERS,
    "Access-Control-Allow-Methods": "GET, HEAD",
    "Access-Control-Allow-Headers": "If-None-Match, X-Request-ID",
    "Access-Control-Max-Age": "86400",
}


def _public_read(path: str) -> bool:
    return path in ("/openapi.json", "/v1/jobs") or path.startswith("/v1/jobs/")


@web.middleware
async def cors_preflight(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Answer a browser's preflight for the public reads: a page polling with If-None-Match asks
    first (OPTIONS), and a 405 there made the browser refuse the poll itself."""
    if (request.method == "OPTIONS" and _public_read(request.path)
            and "Access-Control-Request-Method" in request.headers):
        return web.Response(status=204, headers=_PREFLIGHT_HEADERS)
    return await handler(request)


async def cors_for_public_reads(request: web.Request, response: web.StreamResponse) -> None:
    """on_response_prepare: let any web page read the job search and the OpenAPI document.

    They are public, take no cookies and change nothing, so `*` exposes nothing a script on any
    site could not fetch through a server; without it a browser refused the response to a page on
    another origin (a job board widget could not list jobs). Errors carry it too, so the page can
    read why. Only simple GETs qualify: alerts and subscriptions stay same-origin.
    """
    if request.method in ("GET", "HEAD") and _public_read(request.path):
        response.headers.update(_CORS_HEADERS)
