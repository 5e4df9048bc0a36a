"""The subscriber's pages: the subscription form, the confirm and unsubscribe links' pages, and the
pages of all a subscriber's alerts that every email links (pause, resume, unsubscribe).

Plain server-rendered HTML that works without JavaScript. A GET never changes anything: mail
scanners fetch every link in a message, so the confirm and unsubscribe pages only show a button,
and the POST (that button, or a mail client's RFC 8058 one-click POST) does the work.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import asyncpg
import structlog
from aiohttp import web
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from multidict import MultiDict, MultiDictProxy

from aggregator.api import subscriptions
from aggregator.api.base import RUNTIME, ApiError, render_page, whole_number
from aggregator.display import alert_wants
from aggregator.errors import InputError
from aggregator.store import alerts as store_alerts
from aggregator.store import subscriptions as store_subs
from aggregator.tokens import (
    CONFIRM_MAX_AGE,
    read_confirmation_token,
    read_management_token,
    read_unsubscribe_token,
)

__all__ = ["MANAGE_PAGE", "environment", "routes"]

routes = web.RouteTableDef()
log = structlog.get_logger("hirewire.api")

#: Alerts per page of the alerts page; "Previous" and "Next" links reach the others.
MANAGE_PAGE = 50

_REMOTE = [("remote", "Remote"), ("hybrid", "Hybrid"), ("onsite", "On-site")]
_SENIORITY = [("junior", "Junior"), ("mid", "Mid-level"), ("senior", "Senior"), ("lead", "Lead"),
              ("principal", "Principal")]
_FREQUENCY = [("instant", "As soon as a job appears"), ("daily", "Daily digest"), ("weekly", "Weekly digest")]
_CURRENCIES = ["USD", "EUR", "GBP", "CAD", "AUD", "CHF", "SEK", "PLN", "INR"]
#: Alert fields as the form names them, so an error lands next to the right input.
_FIELD = {"channel": "email", "channel.email": "email", "skills.any": "skills", "min_salary.amount": "min_salary",
          "min_salary.currency": "currency", "min_salary.period": "min_salary"}


def environment() -> Environment:
    return Environment(loader=PackageLoader("aggregator.api", "templates"), autoescape=select_autoescape(["html"]),
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def _render(request: web.Request, name: str, *, status: int = 200, **context: Any) -> web.Response:
    html = render_page(request, name, **context)
    return web.Response(text=html, status=status, content_type="text/html",
                        headers={"Cache-Control": "no-store", "X-Frame-Options": "DENY",
                                 "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
                                 "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"})


def _form_page(request: web.Request, form: MultiDictProxy[str] | MultiDict[str], errors: dict[str, str],
               status: int = 200) -> web.Response:
    return _render(request, "subscribe.html", status=status, form=form, errors=errors, remote_choices=_REMOTE,
                   seniority_choices=_SENIORITY, frequency_choices=_FREQUENCY, currencies=_CURRENCIES)


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def alert_from_form(form: MultiDictProxy[str]) -> dict[str, Any]:
    """The DESIGN.md alert JSON a submitted form stands for."""
    alert: dict[str, Any] = {
        "channel": {"email": form.get("email", "").strip()},
        "query": form.get("query", ""),
        "skills": {"any": _split(form.get("skills", ""))},
        "countries": _split(form.get("countries", "")),
        "remote": form.getall("remote", []),
        "seniority": form.getall("seniority", []),
        "frequency": form.get("frequency", "instant"),
    }
    amount = form.get("min_salary", "").strip()
    if amount:
        try:
            value = float(amount.replace(",", ""))
        except ValueError:
            raise InputError("min_salary", "must be a number, like 90000") from None
        alert["min_salary"] = {"amount": value, "currency": form.get("currency", "USD"), "period": "year"}
    return alert


def _bad_link(exc: InputError) -> ApiError:
    return ApiError(400, "invalid_token", f"This link does not work: {exc.message}.", field="token")


def _check(reader: Callable[[str, str], int], request: web.Request, token: str) -> None:
    try:
        reader(request.app[RUNTIME].settings.secret_key, token)
    except InputError as exc:
        raise _bad_link(exc) from None


@routes.get("/")
async def form_page(request: web.Request) -> web.Response:
    return _form_page(request, MultiDict(), {})


@routes.post("/subscribe")
async def submit(request: web.Request) -> web.Response:
    if request.content_type not in ("application/x-www-form-urlencoded", "multipart/form-data"):
        raise ApiError(415, "unsupported_media_type", "send the form as application/x-www-form-urlencoded",
                       field="body")
    try:
        form = await request.post()
    except ValueError as exc:  # e.g. multipart without a boundary
        raise ApiError(400, "invalid_form", f"the form could not be read: {exc}", field="body") from None
    fields = MultiDictProxy(MultiDict((k, v) for k, v in form.items() if isinstance(v, str)))
    try:
        email = await subscriptions.subscribe(request, alert_from_form(fields))
    except InputError as exc:
        return _form_page(request, fields, {_FIELD.get(exc.field, exc.field): exc.message}, status=422)
    return _render(request, "pending.html", email=email, days=CONFIRM_MAX_AGE // 86400)


@routes.get("/confirm/{token}")
async def confirm_page(request: web.Request) -> web.Response:
    token = request.match_info["token"]
    _check(read_confirmation_token, request, token)  # an expired link says so before any click
    return _render(request, "confirm.html", token=token)


@routes.post("/confirm/{token}")
async def confirm_action(request: web.Request) -> web.Response:
    try:
        done = await subscriptions.confirm(request, request.match_info["token"])
    except InputError as exc:
        raise _bad_link(exc) from None
    return _render(request, "confirmed.html", management_token=done.management_token)


@routes.get("/unsubscribe/{token}")
async def unsubscribe_page(request: web.Request) -> web.Response:
    token = request.match_info["token"]
    _check(read_unsubscribe_token, request, token)
    return _render(request, "unsubscribe.html", token=token)


@routes.post("/unsubscribe/{token}")
async def unsubscribe_action(request: web.Request) -> web.Response:
    """The page's button and the RFC 8058 one-click POST (`List-Unsubscribe=One-Click`) both land here."""
    await request.read()  # the body carries nothing the token does not already say
    try:
        await subscriptions.unsubscribe(request, request.match_info["token"])
    except InputError as exc:
        raise _bad_link(exc) from None
    return _render(request, "unsubscribed.html")


#: The alerts page's buttons, by the status each moves an alert to (None: unsubscribe).
_MANAGE = {"pause": "paused", "resume": "active", "unsubscribe": None}
_STATUS_TEXT = {"active": "Active", "paused": "Paused", "pending": "Waiting for you to confirm it",
                "disabled": "Unsubscribed"}


def _when(frequency: str, hour: int, timezone: str) -> str:
    """When an alert sends, as its subscriber chose it: "instant", "daily at 08:00 Europe/Berlin"."""
    if frequency == "instant":
        return "as soon as a job appears"
    days = "Mondays" if frequency == "weekly" else "daily"
    return f"{days} at {hour:02d}:00 {timezone}"


def _subscriber(request: web.Request) -> int:
    try:
        return read_management_token(request.app[RUNTIME].settings.secret_key, request.match_info["token"])
    except InputError as exc:
        raise _bad_link(exc) from None


@dataclass(frozen=True, slots=True)
class _Cursor:
    """Which page of the alerts page: the alerts after id `at`, or (`before`) the ones just before it.

    It travels in the page's address and in its forms, so a button brings the subscriber back to the
    page they were on rather than to the first one.
    """

    at: int = 0
    before: bool = False

    @property
    def query(self) -> str:
        """The page's query string ("" for the first page)."""
        if not self.before and self.at == 0:
            return ""
        return f"?{'before' if self.before else 'after'}={self.at}"


def _cursor(given: Mapping[str, Any]) -> _Cursor:
    """The page asked for by `after` or `before` (an alert id) in a query string or form."""
    named = [name for name in ("after", "before") if name in given]
    if not named:
        return _Cursor()
    if len(named) > 1:
        raise ApiError(400, "invalid_page", "give after or before, not both", field="before")
    raw = given[named[0]]
    at = whole_number(raw) if isinstance(raw, str) else None
    if at is None:
        raise ApiError(400, "invalid_page", f"{named[0]} must be an alert id", field=named[0])
    return _Cursor(at, before=named[0] == "before")


async def _alerts_page(conn: asyncpg.Connection, subscriber_id: int, cursor: _Cursor) -> dict[str, Any]:
    """One page of the subscriber's alerts with the query strings of its neighbours (None: no such
    page; "" is the first page).

    Keyset by alert id, so a page holds steady while alerts are added or removed elsewhere.
    """
    if cursor.before:
        rows = await store_subs.page_before(conn, subscriber_id=subscriber_id, before=cursor.at, limit=MANAGE_PAGE)
    else:
        rows = await store_subs.page(conn, subscriber_id=subscriber_id, after=cursor.at, limit=MANAGE_PAGE)
    # An empty page (its alerts deleted meanwhile) still links to the alerts on either side.
    below = rows[0]["id"] if rows else cursor.at + (0 if cursor.before else 1)
    above = rows[-1]["id"] if rows else max(below - 1, 0)
    earlier, later = await store_subs.neighbours(conn, subscriber_id=subscriber_id, below=below, above=above)
    alerts = [{"id": row["id"], "wants": alert_wants(row["filters"]), "status": row["status"],
               "status_text": _STATUS_TEXT.get(row["status"], row["status"]),
               "when": _when(row["frequency"], row["send_hour"], row["timezone"])} for row in rows]
    return {"alerts": alerts, "previous": _Cursor(below, before=True).query if earlier else None,
            "next": _Cursor(above).query if later else None}


@routes.get("/manage/{token}")
async def manage_page(request: web.Request) -> web.Response:
    """A page of the subscriber's alerts, each with its buttons; changes nothing."""
    subscriber_id = _subscriber(request)
    cursor = _cursor(request.query)
    async with request.app[RUNTIME].pool.acquire() as conn:
        page = await _alerts_page(conn, subscriber_id, cursor)
    return _render(request, "manage.html", token=request.match_info["token"], cursor=cursor, **page)


@routes.post("/manage/{token}")
async def manage_action(request: web.Request) -> web.Response:
    """A button of the alerts page: pause, resume or unsubscribe one of the subscriber's own alerts,
    then back to the page it was pressed on (303, so a reload does not post again)."""
    subscriber_id = _subscriber(request)
    form = await request.post()
    action, raw_id = form.get("action"), form.get("alert")
    if not isinstance(action, str) or action not in _MANAGE:
        raise ApiError(400, "invalid_form", "action must be pause, resume or unsubscribe", field="action")
    alert_id = whole_number(raw_id) if isinstance(raw_id, str) else None
    if alert_id is None:
        raise ApiError(400, "invalid_form", "alert must be an alert id", field="alert")
    cursor = _cursor(form)
    status = _MANAGE[action]
    async with request.app[RUNTIME].pool.acquire() as conn:
        if await store_subs.get_owned(conn, alert_id, subscriber_id) is None:
            raise ApiError(404, "not_found", f"no alert {alert_id} on this page", field="alert")
        if status is None:
            await store_subs.unsubscribe(conn, alert_id)
        else:
            await store_alerts.set_status(conn, alert_id, status)
    log.info("alert changed from its page", alert=alert_id, action=action)
    # Relative to the page's own address, so it holds behind a proxy that serves hirewire under a path.
    raise web.HTTPSeeOther(location=request.match_info["token"] + cursor.query)
