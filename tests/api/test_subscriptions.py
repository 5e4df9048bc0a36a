"""Double opt-in: a confirmation link is the only thing an unconfirmed address ever receives."""

from __future__ import annotations

import re
import time
from typing import Any

import itsdangerous.timed

from aggregator import match
from aggregator.tokens import confirmation_token
from tests.api.conftest import Api, add_jobs, confirm_link

ALERT = {"query": "django", "remote": ["remote"], "frequency": "instant", "channel": {"email": "ada@example.org"}}


async def subscribe(api: Api, body: dict[str, Any]) -> tuple[int, Any]:
    async with api.http.post(f"{api.url}/v1/subscriptions", json=body) as r:
        return r.status, await r.json()


async def match_all(api: Api, job_ids: list[int]) -> int:
    async with api.rt.pool.acquire() as conn:
        return (await match.match_jobs(conn, job_ids)).deliveries


async def test_double_opt_in(api: Api) -> None:
    status, body = await subscribe(api, ALERT)
    assert (status, body["status"]) == (202, "pending")
    assert len(api.mail.messages) == 1
    mail = api.mail.messages[0]
    assert mail["To"] == "ada@example.org" and "Confirm" in mail["Subject"]
    assert await api.fetchval("SELECT status FROM alerts") == "pending"

    # Unconfirmed: a matching job creates no delivery, so nothing can be sent.
    assert await match_all(api, await add_jobs(api, "Senior Django Engineer")) == 0
    assert await api.fetchval("SELECT count(*) FROM deliveries") == 0

    link = confirm_link(mail)
    assert link.startswith(f"{api.url}/confirm/")
    async with api.http.get(link) as r:  # a mail scanner's prefetch changes nothing
        assert r.status == 200
        page = await r.text()
    assert 'method="post"' in page and "Confirm subscription" in page
    assert await api.fetchval("SELECT status FROM alerts") == "pending"

    async with api.http.post(link) as r:
        assert r.status == 200
        page = await r.text()
    assert "Your alert is active" in page
    assert await api.fetchval("SELECT status FROM alerts") == "active"
    assert await api.fetchval("SELECT confirmed_at IS NOT NULL FROM subscribers WHERE email = 'ada@example.org'")
    assert await match_all(api, await add_jobs(api, "Django Backend Developer")) == 1
    assert len(api.mail.messages) == 1  # the API itself sent nothing but the confirmation


async def test_confirm_via_api_returns_management_token(api: Api) -> None:
    await subscribe(api, ALERT)
    token = confirm_link(api.mail.messages[0]).rsplit("/", 1)[1]
    for _ in range(2):  # idempotent
        async with api.http.post(f"{api.url}/v1/subscriptions/confirm", json={"token": token}) as r:
            assert r.status == 200
            body = await r.json()
    assert body["status"] == "active"
    async with api.http.get(f"{api.url}/v1/alerts",
                            headers={"Authorization": f"Bearer {body['management_token']}"}) as r:
        alerts = (await r.json())["alerts"]
    assert [a["id"] for a in alerts] == [body["alert_id"]]
    assert alerts[0]["channel"] == {"email": "ada@example.org"}


async def test_webhook_subscriptions_are_refused_naming_channel(api: Api) -> None:
    status, body = await subscribe(api, {"channel": {"webhook": "https://example.org/hook"}})
    assert status == 422 and body["field"] == "channel"
    assert api.mail.messages == []
    assert await api.fetchval("SELECT count(*) FROM alerts") == 0


async def test_expired_and_forged_confirmation_tokens(api: Api, monkeypatch: Any) -> None:
    await subscribe(api, ALERT)
    alert_id = await api.fetchval("SELECT id FROM alerts")
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: time.time_ns() / 1e9 - 30 * 86400)
    old = confirmation_token(api.rt.settings.secret_key, alert_id)
    monkeypatch.undo()
    async with api.http.post(f"{api.url}/v1/subscriptions/confirm", json={"token": old}) as r:
        assert r.status == 422
        body = await r.json()
    assert body["field"] == "token" and "expired" in body["message"]
    async with api.http.get(f"{api.url}/confirm/{old}") as r:
        assert r.status == 400 and "expired" in await r.text()
    forged = confirmation_token("another-key", alert_id)
    async with api.http.post(f"{api.url}/confirm/{forged}") as r:
        assert r.status == 400
    assert await api.fetchval("SELECT status FROM alerts") == "pending"


async def test_smtp_refusal_is_503_and_leaves_no_pending_alert(api: Api) -> None:
    api.mail.reject.append("550 mailbox unavailable")
    status, body = await subscribe(api, ALERT)
    assert status == 503 and body["error"] == "mail_unavailable"
    assert await api.fetchval("SELECT count(*) FROM alerts") == 0


async def test_confirmation_mails_per_address_are_capped(api: Api) -> None:
    answers = [await subscribe(api, ALERT) for _ in range(5)]
    assert {status for status, _ in answers} == {202}  # the answer never tells whether a mail went out
    assert len(api.mail.messages) == 3


async def test_form_subscription_end_to_end(api: Api) -> None:
    form = {"email": "grace@example.org", "query": "fastapi", "remote": "remote", "seniority": "senior",
            "countries": "DE, fr", "skills": "FastAPI", "min_salary": "90000", "currency": "EUR",
            "frequency": "daily"}
    async with api.http.post(f"{api.url}/subscribe", data=form) as r:
        assert r.status == 200
        assert "Check your email" in await r.text()
    alert = await api.fetchval("SELECT filters FROM alerts")
    assert alert["countries"] == ["DE", "FR"] and alert["frequency"] == "daily"
    assert alert["min_salary"]["currency"] == "EUR" and alert["skills"]["any"] == ["FastAPI"]
    async with api.http.post(f"{api.url}/subscribe", data={**form, "countries": "Atlantis"}) as r:
        assert r.status == 422
        page = await r.text()
    assert 'id="countries-error"' in page and 'aria-invalid="true"' in page and "Atlantis" in page


async def test_form_takes_an_address_beyond_ascii(api: Api) -> None:
    """HTML's type=email refuses a non-ASCII local part in the browser before anything is sent, so the
    field is text with the email keyboard; the server checks the address (see test_alert_model)."""
    async with api.http.get(f"{api.url}/") as r:
        page = await r.text()
    field = re.search(r'<input[^>]*\bname="email"[^>]*>', page)
    assert field is not None and 'type="text"' in field[0] and 'inputmode="email"' in field[0], field
    form = {"email": "jürgen@example.org", "query": "django", "frequency": "instant"}
    async with api.http.post(f"{api.url}/subscribe", data=form) as r:
        assert r.status == 200, await r.text()
    assert await api.fetchval("SELECT email FROM alerts") == "jürgen@example.org"

