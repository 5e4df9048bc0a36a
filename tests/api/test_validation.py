"""Refusals are clear: a 4xx with a JSON body naming the field; size and rate limits hold."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from aggregator.api import Limits
from tests.api.conftest import Api


async def post(api: Api, path: str, body: Any, headers: dict[str, str] | None = None) -> tuple[int, Any]:
    async with api.http.post(f"{api.url}{path}", json=body, headers=headers) as r:
        return r.status, await r.json()


@pytest.mark.parametrize(("body", "field"), [
    ({}, "channel"),
    ({"channel": {"email": "not an address"}}, "channel.email"),
    ({"channel": {"email": "a@example.org"}, "remote": ["moon"]}, "remote"),
    ({"channel": {"email": "a@example.org"}, "countries": ["XX"]}, "countries"),
    ({"channel": {"email": "a@example.org"}, "min_salary": {"amount": 1, "currency": "XYZ"}}, "min_salary.currency"),
    ({"channel": {"email": "a@example.org"}, "min_salary": {"amount": -5}}, "min_salary.amount"),
    ({"channel": {"email": "a@example.org"}, "frequency": "hourly"}, "frequency"),
    ({"channel": {"email": "a@example.org"}, "timezone": "Mars/Olympus"}, "timezone"),
    ({"channel": {"email": "a@example.org"}, "skills": {"any": ["Cobolish"]}}, "skills.any"),
    ({"channel": {"email": "a@example.org"}, "colour": "blue"}, "colour"),
    ({"channel": {"email": "a@example.org"}, "query": "the"}, "query"),
    ([1, 2], "body"),  # a body that is not an object is wrong as a whole: no field of it is to blame
    ([], "body"),
    ("x", "body"),
    (42, "body"),
    ({"channel": {"email": "a@example.org"}, "min_salary": {"amount": 1, "period": {}}}, "min_salary.period"),
])
async def test_invalid_alerts_name_the_field(api: Api, body: Any, field: str) -> None:
    for path, headers in (("/v1/subscriptions", None), ("/v1/alerts", api.operator)):
        status, answer = await post(api, path, body, headers)
        assert (status, answer["field"]) == (422, field), answer
        assert answer["error"] == "invalid_input" and answer["message"]
    assert api.mail.messages == []


async def test_body_must_be_json(api: Api) -> None:
    async with api.http.post(f"{api.url}/v1/subscriptions", data=b"{nope",
                             headers={"Content-Type": "application/json"}) as r:
        assert r.status == 400 and (await r.json())["field"] == "body"
    async with api.http.post(f"{api.url}/v1/subscriptions", data=b"email=a",
                             headers={"Content-Type": "text/plain"}) as r:
        assert r.status == 415


@pytest.mark.parametrize(("params", "field"), [
    ({"remote": "moon"}, "remote"), ({"countries": "XX"}, "countries"), ({"limit": "0"}, "limit"),
    ({"limit": "1000"}, "limit"), ({"cursor": "garbage"}, "cursor"), ({"skills": "Cobolish"}, "skills"),
    ({"python_only": "maybe"}, "python_only"), ({"country": "DE"}, "country"),
])
async def test_invalid_search_names_the_parameter(api: Api, params: dict[str, str], field: str) -> None:
    async with api.http.get(f"{api.url}/v1/jobs", params=params) as r:
        body = await r.json()
        assert (r.status, body["field"]) == (422, field), body


async def test_oversize_bodies_are_413(api: Api) -> None:
    big = {"channel": {"email": "a@example.org"}, "query": "x" * (70 * 1024)}
    status, body = await post(api, "/v1/subscriptions", big)
    assert status == 413 and body["field"] == "body"

    async def chunks() -> Any:  # no Content-Length: aiohttp's own cap applies while reading
        for _ in range(80):
            yield b" " * 1024

    async with api.http.post(f"{api.url}/v1/alerts", data=chunks(),
                             headers={**api.operator, "Content-Type": "application/json"}) as r:
        assert r.status == 413
    assert await api.fetchval("SELECT count(*) FROM alerts") == 0


async def test_unknown_routes_and_methods_are_json(api: Api) -> None:
    async with api.http.get(f"{api.url}/v1/nothing") as r:
        assert r.status == 404 and (await r.json())["error"] == "not_found"
    async with api.http.put(f"{api.url}/v1/jobs") as r:
        assert r.status == 405 and "Allow" in r.headers


@pytest.mark.parametrize(("method", "path", "allowed"), [
    ("PUT", "/v1/jobs", {"GET", "HEAD"}),
    ("POST", "/v1/jobs/1", {"GET", "HEAD"}),
    ("DELETE", "/v1/subscriptions", {"POST"}),
    ("PUT", "/v1/alerts/1", {"GET", "HEAD", "PATCH", "DELETE"}),
    ("PATCH", "/healthz", {"GET", "HEAD"}),
])
async def test_a_method_not_allowed_gets_the_common_error_body(api: Api, method: str, path: str,
                                                               allowed: set[str]) -> None:
    """A 405 names the method as the input at fault and says what to use, like every other refusal."""
    async with api.http.request(method, f"{api.url}{path}", headers=api.operator) as r:
        assert r.status == 405 and r.content_type == "application/json"
        assert {m.strip() for m in r.headers["Allow"].split(",")} == allowed
        body = await r.json()
    assert body["error"] == "method_not_allowed" and body["field"] == "method"
    assert body["message"].startswith(f"{method} is not allowed here; use ")
    assert all(m in body["message"] for m in allowed)


async def test_public_endpoints_are_rate_limited_per_client(start_api: Any) -> None:
    if 60 - time.time() % 60 < 3:  # keep the whole test inside one one-minute window
        await asyncio.sleep(60 - time.time() % 60 + 0.1)
    async with start_api(Limits(reads_per_minute=5, writes_per_minute=2)) as api:
        statuses = []
        for _ in range(7):
            async with api.http.get(f"{api.url}/v1/jobs") as r:
                statuses.append(r.status)
                if r.status == 429:
                    assert int(r.headers["Retry-After"]) > 0
                    assert (await r.json())["error"] == "rate_limited"
        assert statuses == [200] * 5 + [429] * 2
        writes = []
        for _ in range(3):
            async with api.http.post(f"{api.url}/v1/subscriptions", json={}) as r:
                writes.append(r.status)
        assert writes == [422, 422, 429]
        # The operator is not limited, and neither are the private endpoints.
        async with api.http.get(f"{api.url}/v1/jobs", headers=api.operator) as r:
            assert r.status == 200
        async with api.http.get(f"{api.url}/healthz") as r:
            assert r.status == 200
