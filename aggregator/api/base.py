"""What every API module shares: the app's keys, the error type, JSON in and out.

Errors have one shape everywhere, `{"error": code, "message": text, "field": name}` (`field` only
when one value is to blame), so a client can show the message next to the right input.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from jinja2 import Environment

from aggregator.errors import InputError
from aggregator.runtime import Runtime

__all__ = ["ALERT_OBJECT", "JINJA", "LIMITS", "RUNTIME", "ApiError", "Limits", "dumps", "json_response", "read_json",
           "read_object", "to_json", "whole_number"]

RUNTIME = web.AppKey("runtime", Runtime)
#: What an alert body must be, for the error that a body of another JSON type gets.
ALERT_OBJECT = '(an alert, e.g. {"channel": {"email": ADDRESS}})'
JINJA = web.AppKey("jinja", Environment)


class Limits:
    """Request limits: body size, and requests per client per minute on the public endpoints."""

    def __init__(self, *, max_body: int = 64 * 1024, reads_per_minute: int = 120, writes_per_minute: int = 10) -> None:
        self.max_body = max_body
        self.reads_per_minute = reads_per_minute
        self.writes_per_minute = writes_per_minute


LIMITS = web.AppKey("limits", Limits)


class ApiError(Exception):
    """A refusal with an HTTP status; `field` names the input at fault when there is one."""

    def __init__(self, status: int, code: str, message: str, *, field: str | None = None,
                 headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.headers = dict(headers or {})

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"error": self.code, "message": self.message}
        if self.field is not None:
            body["field"] = self.field
        return body


def render_page(request: web.Request, name: str, **context: Any) -> str:
    """An HTML template rendered with `base`, the public URL's path, which every link and form action
    starts from: behind a proxy serving the API under https://example.org/jobs/, a form posting to
    "/unsubscribe/…" would leave the API."""
    base = urlsplit(request.app[RUNTIME].settings.public_url).path.rstrip("/")
    return request.app[JINJA].get_template(name).render(base=base, **context)


def to_json(value: Any) -> Any:
    """Database values as JSON values: timestamps as ISO 8601 UTC with Z, tuples as lists."""
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, Mapping):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    return value


def dumps(value: Any) -> str:
    return json.dumps(to_json(value), ensure_ascii=False, separators=(",", ":"))


def json_response(data: Any, *, status: int = 200, headers: Mapping[str, str] | None = None) -> web.Response:
    return web.Response(text=dumps(data), status=status, content_type="application/json",
                        headers=dict(headers or {}))


async def read_json(request: web.Request) -> Any:
    """The request's JSON body; 415 when it is not JSON, 400 when it does not parse."""
    if request.content_type != "application/json":
        raise ApiError(415, "unsupported_media_type", "send the body as application/json", field="body")
    raw = await request.read()  # aiohttp enforces client_max_size here (413)
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, "invalid_json", f"the body is not valid JSON: {exc}", field="body") from None
    except RecursionError:  # `[[[[…` nested deeper than the parser's stack
        raise ApiError(400, "invalid_json", "the body is not valid JSON: nested too deeply", field="body") from None


async def read_object(request: web.Request, shape: str) -> dict[str, Any]:
    """The request's JSON body when it is an object; 422 naming `body` otherwise.

    A `[]` or `"x"` body is wrong as a whole, so the error names the body rather than some field
    (it said `alert` before, which no client has an input for); `shape` tells what to send instead.
    """
    data = await read_json(request)
    if not isinstance(data, dict):
        raise InputError("body", f"must be a JSON object {shape}")
    return data


def whole_number(raw: str, *, max_digits: int = 18) -> int | None:
    """`raw` as an int when it is 1 to `max_digits` ASCII digits; None otherwise.

    str.isdigit() alone is not enough: it also accepts full-width ("１２") and superscript ("²")
    digits, which int() reads as another number or refuses with a ValueError.
    """
    if not raw.isascii() or not raw.isdigit() or len(raw) > max_digits:
        return None
    return int(raw)
