"""/v1/alerts: the operator's key manages everything; a subscriber's token manages only their alerts."""

from __future__ import annotations

from typing import Any

from aggregator.tokens import management_token, unsubscribe_token
from tests.api.conftest import Api, operator_alert


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def call(api: Api, method: str, path: str, headers: dict[str, str], body: Any = None) -> tuple[int, Any]:
    async with api.http.request(method, f"{api.url}{path}", headers=headers, json=body) as r:
        return r.status, (await r.json() if r.content_type == "application/json" else None)


async def test_credentials_are_required(api: Api) -> None:
    for headers in ({}, bearer("wrong"), {"Authorization": "Basic abc"},
                    bearer(unsubscribe_token(api.rt.settings.secret_key, 1))):
        status, body = await call(api, "GET", "/v1/alerts", headers)
        assert status == 401 and body["field"] == "Authorization"


async def test_operator_manages_alerts(api: Api) -> None:
    status, created = await call(api, "POST", "/v1/alerts", api.operator,
                                 {"query": "django OR fastapi -php", "countries": ["de"],
                                  "channel": {"email": "ops@example.org"}})
    assert status == 201 and created["status"] == "active" and created["countries"] == ["DE"]
    assert "secret" not in created and api.mail.messages == []  # operator alerts need no confirmation
    status, hook = await call(api, "POST", "/v1/alerts", api.operator,
                              {"channel": {"webhook": "http://127.0.0.1:9/hook"}, "frequency": "daily"})
    assert status == 201 and hook["secret"].startswith("whsec_")
    status, shown = await call(api, "GET", f"/v1/alerts/{hook['id']}", api.operator)
    assert status == 200 and "secret" not in shown  # shown once only

    status, page = await call(api, "GET", "/v1/alerts?limit=1", api.operator)
    assert [a["id"] for a in page["alerts"]] == [created["id"]] and page["next_after"] == created["id"]
    status, page = await call(api, "GET", f"/v1/alerts?after={created['id']}", api.operator)
    assert [a["id"] for a in page["alerts"]] == [hook["id"]] and page["next_after"] is None

    status, paused = await call(api, "PATCH", f"/v1/alerts/{created['id']}", api.operator, {"status": "paused"})
    assert (status, paused["status"]) == (200, "paused")
    status, resumed = await call(api, "PATCH", f"/v1/alerts/{created['id']}", api.operator, {"status": "active"})
    assert (status, resumed["status"]) == (200, "active")
    status, body = await call(api, "PATCH", f"/v1/alerts/{created['id']}", api.operator, {"query": "x"})
    assert status == 422 and body["field"] == "query"
    status, _ = await call(api, "DELETE", f"/v1/alerts/{created['id']}", api.operator)
    assert status == 204
    status, _ = await call(api, "GET", f"/v1/alerts/{created['id']}", api.operator)
    assert status == 404


async def test_a_subscriber_can_never_touch_another_subscribers_alerts(api: Api) -> None:
    key = api.rt.settings.secret_key
    ada_alert, ada = await operator_alert(api, "ada@example.org")
    bob_alert, bob = await operator_alert(api, "bob@example.org", query="fastapi")
    ada_h, bob_h = bearer(management_token(key, ada)), bearer(management_token(key, bob))

    status, page = await call(api, "GET", "/v1/alerts", ada_h)
    assert status == 200 and [a["id"] for a in page["alerts"]] == [ada_alert]
    status, page = await call(api, "GET", "/v1/alerts", bob_h)
    assert [a["id"] for a in page["alerts"]] == [bob_alert]

    # Bob's alert looks exactly like a missing one to Ada, whatever she tries.
    for method, body in (("GET", None), ("PATCH", {"status": "paused"}), ("DELETE", None)):
        status, answer = await call(api, method, f"/v1/alerts/{bob_alert}", ada_h, body)
        missing_status, missing = await call(api, method, "/v1/alerts/999999", ada_h, body)
        assert status == missing_status == 404
        assert answer["error"] == missing["error"] == "not_found"
    assert await api.fetchval("SELECT status FROM alerts WHERE id = $1", bob_alert) == "active"

    # Ada cannot point a new alert at Bob's address, or at a webhook.
    for channel in ({"email": "bob@example.org"}, {"webhook": "https://example.org/h"}):
        status, body = await call(api, "POST", "/v1/alerts", ada_h, {"channel": channel})
        assert status == 422 and body["field"] == "channel"
    status, mine = await call(api, "POST", "/v1/alerts", ada_h,
                              {"query": "litestar", "channel": {"email": "ADA@example.org"}})
    assert status == 201 and mine["status"] == "active"
    status, page = await call(api, "GET", "/v1/alerts", bob_h)
    assert [a["id"] for a in page["alerts"]] == [bob_alert]

    # Ada can manage her own.
    status, paused = await call(api, "PATCH", f"/v1/alerts/{ada_alert}", ada_h, {"status": "paused"})
    assert (status, paused["status"]) == (200, "paused")
    status, _ = await call(api, "DELETE", f"/v1/alerts/{mine['id']}", ada_h)
    assert status == 204

    # A forged or tampered token is refused.
    forged = management_token("another-key", bob)
    status, _ = await call(api, "GET", "/v1/alerts", bearer(forged))
    assert status == 401
    tampered = management_token(key, ada)[:-2] + "xx"
    status, _ = await call(api, "GET", "/v1/alerts", bearer(tampered))
    assert status == 401


async def test_pending_alert_cannot_be_resumed_before_confirmation(api: Api) -> None:
    async with api.http.post(f"{api.url}/v1/subscriptions",
                             json={"channel": {"email": "eve@example.org"}}) as r:
        assert r.status == 202
    alert_id = await api.fetchval("SELECT id FROM alerts")
    status, body = await call(api, "PATCH", f"/v1/alerts/{alert_id}", api.operator, {"status": "active"})
    assert status == 409 and body["field"] == "status"


async def test_bodies_must_have_the_documented_shapes(api: Api) -> None:
    """The JSON API refuses null and bare values where its document says list; nothing is stored."""
    channel = {"email": "ops@example.org"}
    for body, field in (({"seniority": None}, "seniority"), ({"query": None}, "query"),
                        ({"exclude_companies": "Acme"}, "exclude_companies"), ({"countries": "DE"}, "countries"),
                        ({"skills": ["Django"]}, "skills"), ({"skills": {"any": "Django"}}, "skills.any")):
        status, answer = await call(api, "POST", "/v1/alerts", api.operator, {**body, "channel": channel})
        assert (status, answer["field"]) == (422, field), body
        status, answer = await call(api, "POST", "/v1/subscriptions", {}, {**body, "channel": channel})
        assert (status, answer["field"]) == (422, field), body
    status, page = await call(api, "GET", "/v1/alerts", api.operator)
    assert page["alerts"] == [] and api.mail.messages == []
    # What the document allows as null is taken.
    status, created = await call(api, "POST", "/v1/alerts", api.operator,
                                 {"min_salary": None, "max_age_days": None, "seniority": [], "channel": channel})
    assert status == 201 and created["min_salary"] is None and created["seniority"] == []
