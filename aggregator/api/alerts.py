"""/v1/alerts: the operator manages every alert; a subscriber manages their own.

The operator's alerts start active (no confirmation, as on the command line). A subscriber, proven
by a management token that only ever reached their confirmed address, may add email alerts to
that same address, list, pause, resume and delete theirs. Every read and write goes through
`store.subscriptions` scoped by the caller's subscriber id; another's alert answers 404, exactly
like one that does not exist.
"""

from __future__ import annotations

from typing import Any

import asyncpg
from aiohttp import web

from aggregator.alerts import check_json_shape, check_webhook, parse_alert
from aggregator.api.auth import Principal, principal
from aggregator.api.base import ALERT_OBJECT, RUNTIME, ApiError, json_response, read_object, whole_number
from aggregator.errors import InputError
from aggregator.store import alerts as store_alerts
from aggregator.store import subscriptions as store_subs

__all__ = ["alert_body", "routes"]

routes = web.RouteTableDef()

_MAX_PAGE = 200


def alert_body(row: asyncpg.Record) -> dict[str, Any]:
    """An alert as the API shows it: DESIGN.md's alert JSON plus id, status and creation time."""
    return {"id": row["id"], "status": row["status"], "created_at": row["created_at"], **dict(row["filters"])}


def _alert_id(request: web.Request) -> int:
    raw = request.match_info["id"]
    alert_id = whole_number(raw)
    if alert_id is None:
        raise ApiError(404, "not_found", f"no alert {raw!r}", field="id")
    return alert_id


async def _owned(conn: asyncpg.Connection, who: Principal, alert_id: int) -> asyncpg.Record:
    row = await store_subs.get_owned(conn, alert_id, who.subscriber_id)
    if row is None:
        raise ApiError(404, "not_found", f"no alert {alert_id}", field="id")
    return row


def _int_param(request: web.Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query.get(name)
    if raw is None:
        return default
    value = whole_number(raw)
    if value is None or not low <= value <= high:
        raise InputError(name, f"must be a whole number from {low} to {high}")
    return value


@routes.get("/v1/alerts")
async def list_alerts(request: web.Request) -> web.Response:
    who = principal(request)
    unknown = set(request.query) - {"after", "limit"}
    if unknown:
        raise InputError(sorted(unknown)[0], "unknown parameter")
    after = _int_param(request, "after", 0, 0, 2**62)
    limit = _int_param(request, "limit", 50, 1, _MAX_PAGE)
    async with request.app[RUNTIME].pool.acquire() as conn:
        rows = await store_subs.page(conn, subscriber_id=who.subscriber_id, after=after, limit=limit)
    next_after = rows[-1]["id"] if len(rows) == limit else None
    return json_response({"alerts": [alert_body(r) for r in rows], "next_after": next_after})


@routes.post("/v1/alerts")
async def create_alert(request: web.Request) -> web.Response:
    who = principal(request)
    rt = request.app[RUNTIME]
    allow_private = rt.settings.allow_private_destinations
    data = await read_object(request, ALERT_OBJECT)
    check_json_shape(data)
    spec = parse_alert(data, allow_private=allow_private)
    async with rt.pool.acquire() as conn:
        if not who.is_operator:
            assert who.subscriber_id is not None
            own = await store_subs.subscriber_email(conn, who.subscriber_id)
            if own is None:
                raise ApiError(403, "forbidden", "confirm your subscription first")
            if spec.email is None or spec.email.lower() != own.lower():
                raise InputError("channel", "your alerts go to your confirmed address; webhooks are set up "
                                 "by the operator")
        if spec.webhook:
            await check_webhook(spec.webhook, allow_private=allow_private)
        alert_id, secret = await store_alerts.create(conn, spec, status="active")
        row = await store_subs.get_owned(conn, alert_id, None)
    assert row is not None
    body = alert_body(row)
    if secret:
        body["secret"] = secret  # shown once: hirewire never returns it again
    return json_response(body, status=201, headers={"Location": f"/v1/alerts/{alert_id}"})


@routes.get(r"/v1/alerts/{id}")
async def get_alert(request: web.Request) -> web.Response:
    who = principal(request)
    async with request.app[RUNTIME].pool.acquire() as conn:
        row = await _owned(conn, who, _alert_id(request))
    return json_response(alert_body(row))


@routes.patch(r"/v1/alerts/{id}")
async def update_alert(request: web.Request) -> web.Response:
    """Pause or resume; an alert's filters are changed by deleting it and saving a new one."""
    who = principal(request)
    alert_id = _alert_id(request)
    data = await read_object(request, "{\"status\": \"active\" | \"paused\"}")
    unknown = set(data) - {"status"}
    if unknown:
        raise InputError(sorted(unknown)[0], "cannot be changed: only status (active or paused)")
    status = data.get("status")
    if not isinstance(status, str) or status not in store_alerts.PAUSE_RESUME:
        raise InputError("status", "must be \"active\" or \"paused\"")
    async with request.app[RUNTIME].pool.acquire() as conn:
        row = await _owned(conn, who, alert_id)
        if row["status"] != status:
            if not await store_alerts.set_status(conn, alert_id, status):
                raise ApiError(409, "conflict", f"alert {alert_id} is {row['status']}: it cannot become {status}",
                               field="status")
            row = await _owned(conn, who, alert_id)
    return json_response(alert_body(row))


@routes.delete(r"/v1/alerts/{id}")
async def delete_alert(request: web.Request) -> web.Response:
    who = principal(request)
    alert_id = _alert_id(request)
    async with request.app[RUNTIME].pool.acquire() as conn:
        await _owned(conn, who, alert_id)
        await store_alerts.delete(conn, alert_id)
    return web.Response(status=204)
