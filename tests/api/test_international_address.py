"""A subscriber whose address goes beyond ASCII (`jürgen@example.org`), end to end: subscribe through
the API, confirm, get the matched job, against an SMTP server with SMTPUTF8 and one without."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
import pytest

from aggregator import match
from aggregator.api import create_app
from aggregator.config import Settings
from aggregator.runtime import connect
from tests.api.conftest import GENEROUS, OPERATOR_KEY, Api, add_jobs, confirm_link
from tests.notify.conftest import FAST, MailSink, smtp_on_loopback
from workers.notify import Notifier

JURGEN = "jürgen@example.org"
ALERT = {"query": "django", "channel": {"email": JURGEN}}



@pytest.fixture
def api_on_relay(clean_db: str, make_settings: Callable[..., Settings],
                 http_server: Callable[..., Awaitable[str]]) -> Callable[..., Any]:
    """The API on its own SMTP server, one that offers SMTPUTF8 or not."""

    @contextlib.asynccontextmanager
    async def start(*, smtputf8: bool) -> AsyncIterator[Api]:
        sink = MailSink()
        with smtp_on_loopback(sink, enable_SMTPUTF8=smtputf8) as smtp_url:
            settings = make_settings(HIREWIRE_SMTP_URL=smtp_url, HIREWIRE_API_KEY=OPERATOR_KEY,
                                     HIREWIRE_MAIL_FROM="hirewire <alerts@hirewire.example>")
            async with connect(settings) as rt:
                url = await http_server(create_app(rt, limits=GENEROUS))
                rt.settings = dataclasses.replace(rt.settings, public_url=url)
                async with aiohttp.ClientSession() as http:
                    yield Api(url=url, rt=rt, mail=sink, http=http)

    return start


async def test_subscribe_confirm_and_receive_with_smtputf8(api_on_relay: Callable[..., Any]) -> None:
    async with api_on_relay(smtputf8=True) as api:
        async with api.http.post(f"{api.url}/v1/subscriptions", json=ALERT) as r:
            assert r.status == 202, await r.text()
        [confirmation] = api.mail.messages
        assert api.mail.envelopes[0][1] == [JURGEN] and confirmation["To"] == JURGEN
        async with api.http.post(confirm_link(confirmation)) as r:
            assert r.status == 200
        assert await api.fetchval("SELECT status FROM alerts WHERE email = $1", JURGEN) == "active"
        async with api.rt.pool.acquire() as conn:
            assert (await match.match_jobs(conn, await add_jobs(api, "Django Developer"))).deliveries == 1
            delivery_id = await conn.fetchval("SELECT id FROM deliveries")
        notifier = Notifier(api.rt, FAST)
        assert (await notifier.deliver(delivery_id)).state == "sent"
        await notifier.aclose()
        assert api.mail.envelopes[1][1] == [JURGEN] and "Django Developer" in api.mail.messages[1]["Subject"]


async def test_without_smtputf8_the_subscription_is_refused_naming_the_address(
        api_on_relay: Callable[..., Any]) -> None:
    """Our server can never reach the address: a 422 on it, not a 503 asking to try again later."""
    async with api_on_relay(smtputf8=False) as api:
        async with api.http.post(f"{api.url}/v1/subscriptions", json=ALERT) as r:
            body = await r.json()
        assert (r.status, body["field"]) == (422, "channel.email")
        assert "SMTPUTF8" in body["message"]
        assert api.mail.messages == [] and await api.fetchval("SELECT count(*) FROM alerts") == 0

