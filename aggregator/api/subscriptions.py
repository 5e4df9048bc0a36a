"""/v1/subscriptions: the public double opt-in, and the actions behind the confirm and unsubscribe links.

A public subscription is saved as a *pending* alert, which matching ignores, and the only mail the
address gets is the confirmation link; once confirmed the alert is active and the subscriber gets a
management token. Public subscriptions take email channels only: a webhook cannot click a link, so
webhook alerts are the operator's (POST /v1/alerts). The functions here are shared with the HTML
pages, so the form and the API accept and refuse exactly the same things.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import structlog
from aiohttp import web

from aggregator.alerts import check_json_shape, parse_alert
from aggregator.api.base import ALERT_OBJECT, RUNTIME, ApiError, json_response, read_json, read_object
from aggregator.api.ratelimit import throttle
from aggregator.errors import DeliveryError, InputError
from aggregator.store import alerts as store_alerts
from aggregator.store import subscriptions as store_subs
from aggregator.tokens import management_token, read_confirmation_token, read_unsubscribe_token
from workers.notify.confirmation import send_confirmation
from workers.notify.smtp import NeedsSmtpUtf8

__all__ = ["Confirmed", "confirm", "routes", "subscribe", "unsubscribe"]

log = structlog.get_logger("hirewire.api")
routes = web.RouteTableDef()

#: Confirmation mails per address per hour: nobody can use hirewire to flood an inbox.
MAILS_PER_ADDRESS_PER_HOUR = 3


async def subscribe(request: web.Request, data: object) -> str:
    """Save a pending alert and mail its confirmation link; returns the address it went to."""
    rt = request.app[RUNTIME]
    if isinstance(data, Mapping) and isinstance(data.get("channel"), Mapping) and "email" not in data["channel"]:
        raise InputError("channel", "public subscriptions are by email ({\"email\": ADDRESS}); webhook alerts "
                         "are set up by the operator")
    spec = parse_alert(data, allow_private=rt.settings.allow_private_destinations)
    assert spec.email is not None
    async with rt.pool.acquire() as conn:
        alert_id, _ = await store_alerts.create(conn, spec, status="pending")
    if not await throttle(request, "confirm-mail", spec.email.lower(), limit=MAILS_PER_ADDRESS_PER_HOUR,
                          window=3600):
        log.warning("confirmation mail withheld: too many for this address this hour", alert=alert_id)
        return spec.email  # the same answer as a sent mail: the response must not reveal anything
    try:
        await send_confirmation(rt.settings, alert_id, spec.email, spec.query)
    except DeliveryError as exc:
        async with rt.pool.acquire() as conn:
            await store_alerts.delete(conn, alert_id)
        raise _unsent(alert_id, exc) from None
    log.info("confirmation mail sent", alert=alert_id)
    return spec.email


def _unsent(alert_id: int, exc: DeliveryError) -> Exception:
    """The refusal of a subscription whose confirmation mail did not go out: the address (422) when our
    mail server can never reach it, so "try again later" would never come true; else a 503."""
    if isinstance(exc, NeedsSmtpUtf8):
        log.warning("confirmation mail impossible: the SMTP server lacks SMTPUTF8", alert=alert_id)
        return InputError("channel.email", "our mail server cannot deliver to an address with characters "
                          "beyond ASCII (it does not support SMTPUTF8): please use another address")
    log.error("confirmation mail failed", alert=alert_id, error=str(exc))
    return ApiError(503, "mail_unavailable", "the confirmation email could not be sent; please try again later",
                    headers={"Retry-After": "300"})


@dataclass(frozen=True, slots=True)
class Confirmed:
    alert_id: int
    status: str
    management_token: str


async def confirm(request: web.Request, token: str) -> Confirmed:
    """Activate the alert a confirmation token names; idempotent."""
    rt = request.app[RUNTIME]
    alert_id = read_confirmation_token(rt.settings.secret_key, token)
    async with rt.pool.acquire() as conn:
        row = await store_subs.confirm(conn, alert_id)
    if row is None:
        raise ApiError(404, "not_found", "this subscription no longer exists: subscribe again", field="token")
    if row["status"] == "disabled":
        raise ApiError(409, "conflict", "this alert was unsubscribed: subscribe again to receive it",
                       field="token")
    log.info("subscription confirmed", alert=alert_id)
    return Confirmed(alert_id=alert_id, status=row["status"],
                     management_token=management_token(rt.settings.secret_key, row["subscriber_id"]))


async def unsubscribe(request: web.Request, token: str) -> int:
    """Stop the alert an unsubscribe token names; idempotent, and silent about alerts already gone."""
    rt = request.app[RUNTIME]
    alert_id = read_unsubscribe_token(rt.settings.secret_key, token)
    async with rt.pool.acquire() as conn:
        await store_subs.unsubscribe(conn, alert_id)
    log.info("unsubscribed", alert=alert_id)
    return alert_id


def _token(data: Any) -> str:
    if not isinstance(data, dict) or not isinstance(data.get("token"), str) or not data["token"]:
        raise InputError("token", "required: the token from the link in the email")
    if not data["token"].isascii():  # our tokens are URL-safe ASCII; a lone surrogate would not even encode
        raise InputError("token", "not a token from our emails")
    if set(data) - {"token"}:
        raise InputError(sorted(set(data) - {"token"})[0], "unknown field")
    token: str = data["token"]
    return token


@routes.post("/v1/subscriptions")
async def create_subscription(request: web.Request) -> web.Response:
    data = await read_object(request, ALERT_OBJECT)
    check_json_shape(data)
    await subscribe(request, data)
    return json_response({"status": "pending", "message": "check your inbox: the alert starts once you follow "
                          "the confirmation link"}, status=202)


@routes.post("/v1/subscriptions/confirm")
async def confirm_subscription(request: web.Request) -> web.Response:
    done = await confirm(request, _token(await read_json(request)))
    return json_response({"alert_id": done.alert_id, "status": done.status,
                          "management_token": done.management_token})


@routes.post("/v1/subscriptions/unsubscribe")
async def unsubscribe_subscription(request: web.Request) -> web.Response:
    alert_id = await unsubscribe(request, _token(await read_json(request)))
    return json_response({"alert_id": alert_id, "status": "unsubscribed"})
