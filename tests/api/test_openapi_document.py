"""/openapi.json as a client generator reads it: where it sends requests, and what it may rely on."""

from __future__ import annotations

import dataclasses
from urllib.parse import urljoin

from aggregator.config import Settings
from tests.api.conftest import Api


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
