"""/openapi.json as a client generator reads it: where it sends requests, and what it may rely on."""

from __future__ import annotations

import dataclasses
from typing import Any
from urllib.parse import urljoin

from aggregator.config import Settings
from tests.api.conftest import Api, add_jobs


async def _server(api: Api) -> str:
    """The base URL a client built from the document uses (the server resolved against the document)."""
    document_url = f"{api.url}/openapi.json"
    async with api.http.get(document_url) as r:
        assert r.status == 200
        doc = await r.json()
    return urljoin(document_url, doc["servers"][0]["url"]).rstrip("/")


async def test_without_a_public_url_clients_are_sent_to_this_api(api: Api) -> None:
    """HIREWIRE_PUBLIC_URL unset: the document named its placeholder, http://127.0.0.1:8080, whatever
    address the API listened on, so a generated client called another port (or another service)."""
    api.rt.settings = dataclasses.replace(api.rt.settings, public_url=Settings().public_url)
    server = await _server(api)
    assert server == api.url
    async with api.http.get(f"{server}/v1/jobs") as r:
        assert r.status == 200 and (await r.json())["jobs"] == []


async def test_a_public_url_the_operator_set_is_the_server(api: Api) -> None:
    """Behind a proxy, HIREWIRE_PUBLIC_URL (path prefix included) is where clients must go."""
    api.rt.settings = dataclasses.replace(api.rt.settings, public_url="https://jobs.example.org/hirewire")
    assert await _server(api) == "https://jobs.example.org/hirewire"


def _required(doc: dict[str, Any], name: str) -> set[str]:
    schema = doc["components"]["schemas"][name]
    parts = schema.get("allOf", [schema])
    found: set[str] = set()
    for part in parts:
        if "$ref" in part:
            found |= _required(doc, part["$ref"].rsplit("/", 1)[1])
        else:
            found |= set(part.get("required", []))
    return found


async def test_every_field_a_job_carries_is_required_in_the_document(api: Api) -> None:
    """Jobs, their postings and locations always carry every field (null when unknown): the document
    says so. It required only a job's id and title and a posting's id, source and external id, so
    a generated client made every other field optional."""
    [job_id] = await add_jobs(api, "Senior Python Engineer")
    await add_jobs(api, "Senior Python Engineer", source="remoteok")
    async with api.http.get(f"{api.url}/openapi.json") as r:
        doc = await r.json()
    async with api.http.get(f"{api.url}/v1/jobs") as r:
        [summary] = (await r.json())["jobs"]
    async with api.http.get(f"{api.url}/v1/jobs/{job_id}") as r:
        detail = await r.json()
    async with api.rt.pool.acquire() as conn:  # add_jobs' listings are "Remote": give this one a place
        await conn.execute("""UPDATE jobs SET locations = '[{"country": "DE", "region": null, "city": "Berlin"}]'
                              WHERE id = $1""", job_id)
    async with api.http.get(f"{api.url}/v1/jobs/{job_id}") as r:
        [location] = (await r.json())["locations"]
    assert set(summary) == _required(doc, "Job")
    assert set(detail) == _required(doc, "JobDetail")
    assert {frozenset(p) for p in detail["postings"]} == {frozenset(_required(doc, "Posting"))}
    assert set(location) == _required(doc, "Location")


async def test_every_field_an_alert_carries_is_required_in_the_document(api: Api) -> None:
    """An alert as the API answers it carries every field (defaults filled in), and its channel is
    one of the two kinds: the document says so. It required only id, status, created_at and channel,
    and let a channel hold both an email and a webhook, so a generated client typed all else optional."""
    async with api.http.post(f"{api.url}/v1/alerts", headers=api.operator,
                             json={"query": "django", "min_salary": {"amount": 90000},
                                   "channel": {"email": "ada@example.org"}}) as r:
        created = await r.json()
        assert r.status == 201, created
    async with api.http.get(f"{api.url}/v1/alerts/{created['id']}", headers=api.operator) as r:
        alert = await r.json()
    async with api.http.get(f"{api.url}/openapi.json") as r:
        schema = (await r.json())["components"]["schemas"]["Alert"]
    assert set(alert) == set(schema["required"])
    assert set(alert["min_salary"]) == set(schema["properties"]["min_salary"]["required"])
    assert set(alert["skills"]) == set(schema["properties"]["skills"]["required"])
    assert [set(kind["required"]) for kind in schema["properties"]["channel"]["oneOf"]] == [{"email"}, {"webhook"}]
    assert set(alert["channel"]) == {"email"}
