"""A live API on loopback for the API tests: real PostgreSQL, Redis and an aiosmtpd SMTP server."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
import asyncpg
import pytest

from aggregator.alerts import parse_alert
from aggregator.api import Limits, create_app
from aggregator.config import Settings
from aggregator.model import RawListing
from aggregator.normalise import normalise
from aggregator.runtime import Runtime, connect
from aggregator.store import alerts as store_alerts
from aggregator.store.postings import Incoming, ingest
from tests.notify.conftest import MailSink, smtp_server  # noqa: F401 — a fixture, used by name

OPERATOR_KEY = "operator-key-for-tests"
#: High enough that only the rate-limit test ever meets a limit.
GENEROUS = Limits(reads_per_minute=100_000, writes_per_minute=100_000)


@dataclass
class Api:
    url: str
    rt: Runtime
    mail: MailSink
    http: aiohttp.ClientSession

    @property
    def operator(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {OPERATOR_KEY}"}

    async def db(self) -> asyncpg.Connection:
        return await asyncpg.connect(self.rt.settings.database_url)

    async def fetchval(self, sql: str, *args: Any) -> Any:
        async with self.rt.pool.acquire() as conn:
            return await conn.fetchval(sql, *args)


@pytest.fixture
def start_api(clean_db: str, make_settings: Callable[..., Settings], smtp_server: tuple[str, MailSink],  # noqa: F811
              http_server: Callable[..., Awaitable[str]]) -> Callable[..., Any]:
    """Start the API with `limits`; returns an async context manager yielding an Api."""
    import contextlib

    smtp_url, sink = smtp_server

    @contextlib.asynccontextmanager
    async def start(limits: Limits = GENEROUS, **env: str) -> AsyncIterator[Api]:
        settings = make_settings(HIREWIRE_SMTP_URL=smtp_url, HIREWIRE_API_KEY=OPERATOR_KEY,
                                 HIREWIRE_MAIL_FROM="hirewire <alerts@hirewire.example>", **env)
        async with connect(settings) as rt:
            url = await http_server(create_app(rt, limits=limits))
            rt.settings = dataclasses.replace(rt.settings, public_url=url)  # links in mails point here
            async with aiohttp.ClientSession() as http:
                yield Api(url=url, rt=rt, mail=sink, http=http)

    return start


@pytest.fixture
async def api(start_api: Callable[..., Any]) -> AsyncIterator[Api]:
    async with start_api() as live:
        yield live


def confirm_link(message: Any) -> str:
    body = message.get_body(("plain",)).get_content()
    found = re.search(r"https?://\S+/confirm/\S+", body)
    assert found, body
    return found.group(0)


async def add_jobs(api: Api, *titles: str, source: str = "remotive", description: str = "Build APIs.") -> list[int]:
    """Ingest listings through the real store (search vectors and all); returns their job ids."""
    items = []
    for n, title in enumerate(titles):
        raw = RawListing(source=source, external_id=f"{title}-{n}", title=title, company=f"Company {n}",
                         location_raw="Remote", remote=True, description_html=f"<p>{description}</p>",
                         url=f"https://{source}.example/{n}", raw={"id": n})
        items.append(Incoming(normalise(raw), raw=b"{}"))
    async with api.rt.pool.acquire() as conn:
        result = await ingest(conn, source, items)
    return list(result.new_job_ids)


async def operator_alert(api: Api, email: str, query: str = "python") -> tuple[int, int]:
    """An active email alert saved as the operator would; returns (alert id, subscriber id)."""
    async with api.rt.pool.acquire() as conn:
        alert_id, _ = await store_alerts.create(conn, parse_alert({"query": query, "channel": {"email": email}}))
        subscriber = await conn.fetchval("SELECT subscriber_id FROM alerts WHERE id = $1", alert_id)
    return alert_id, int(subscriber)
