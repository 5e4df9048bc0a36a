"""Real receivers for the notification tests: an aiosmtpd server and aiohttp webhook endpoints."""

from __future__ import annotations

import asyncio
import contextlib
import email
import email.policy
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from typing import Any

import asyncpg
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from arq import Worker

from aggregator.embedded import free_port
from aggregator.runtime import Runtime
from workers.notify import DeliveryPolicy
from workers.settings import build_worker

#: Short delays so the retry tests run in well under a second each.
FAST = DeliveryPolicy(schedule=(0.05, 0.05, 0.05), jitter=0.0, lease=2.0, webhook_timeout=1.0,
                      webhook_connect_timeout=1.0, smtp_timeout=5.0, destination_rate=1000.0,
                      destination_burst=100, destination_concurrency=8)


@dataclass
class MailSink:
    """Collects what the SMTP server accepted; `reject` answers the next DATA commands with codes."""

    messages: list[EmailMessage] = field(default_factory=list)
    #: The DATA exactly as it arrived, for checks on encodings and line lengths.
    raws: list[bytes] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    reject: list[str] = field(default_factory=list)
    connections: int = 0

    async def handle_EHLO(self, server: SMTP, session: Session, envelope: Envelope, hostname: str,
                          responses: list[str]) -> list[str]:
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.reject:
            return self.reject.pop(0)
        raw = envelope.original_content or b""
        self.raws.append(raw)
        self.messages.append(email.message_from_bytes(raw, policy=email.policy.default))  # type: ignore[arg-type]
        self.envelopes.append((str(envelope.mail_from), list(envelope.rcpt_tos)))
        return "250 OK"


@contextlib.contextmanager
def smtp_on_loopback(handler: Any, **options: Any) -> Iterator[str]:
    """An aiosmtpd server for `handler` on a free loopback port; yields its smtp URL, stops on exit."""
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(), **options)
    controller.start()
    try:
        yield f"smtp://127.0.0.1:{controller.port}"
    finally:
        controller.stop()


@pytest.fixture
def smtp_server() -> Iterator[tuple[str, MailSink]]:
    """An SMTP server on loopback; yields (smtp URL, sink)."""
    sink = MailSink()
    with smtp_on_loopback(sink) as url:
        yield url, sink


@contextlib.asynccontextmanager
async def worker_in_background(rt: Runtime, policy: DeliveryPolicy) -> AsyncIterator[Worker]:
    """An arq worker (not burst) on `rt`'s queue with a test delivery policy, until the block ends."""
    worker = build_worker(rt)
    worker.ctx["notify_policy"] = policy
    running = asyncio.create_task(worker.async_run())
    try:
        yield worker
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
        await worker.close()


JOB_DEFAULTS: dict[str, Any] = {
    "title": "Senior Python Engineer", "company": "Saltmarsh Labs", "url": "https://jobs.example.org/1",
    "location_raw": "Remote (EU)", "remote": "remote", "seniority": "senior", "salary_min": 120000.0,
    "salary_max": 150000.0, "salary_currency": "EUR", "salary_period": "year", "skills": ["Django", "PostgreSQL"],
    "description_text": "Build APIs with Django and PostgreSQL.",
    "description_html": "<p>Build <strong>APIs</strong> with Django and PostgreSQL.</p>",
    "source": "remotive", "fingerprint": "fp",
}


async def add_job(conn: asyncpg.Connection, **fields: Any) -> int:
    values = {**JOB_DEFAULTS, **fields}
    values["fingerprint"] = f"{values['fingerprint']}-{values['title']}-{id(values)}"
    columns = ", ".join(values)
    params = ", ".join(f"${i}" for i in range(1, len(values) + 1))
    job_id: int = await conn.fetchval(f"INSERT INTO jobs ({columns}, matched_at) VALUES ({params}, now()) "
                                      "RETURNING id", *values.values())
    return job_id


async def add_alert(conn: asyncpg.Connection, *, email_to: str | None = None, webhook: str | None = None,
                    secret: str | None = None, frequency: str = "instant", query: str = "python",
                    created_at: datetime | None = None) -> int:
    alert_id: int = await conn.fetchval(
        "INSERT INTO alerts (email, webhook_url, webhook_secret, frequency, query, timezone, send_hour, created_at) "
        "VALUES ($1, $2, $3, $4, $5, 'UTC', 8, coalesce($6, now())) RETURNING id",
        email_to, webhook, secret, frequency, query, created_at)
    return alert_id


async def add_delivery(conn: asyncpg.Connection, alert_id: int, job_id: int, destination: str) -> int:
    delivery_id: int = await conn.fetchval(
        "INSERT INTO deliveries (alert_id, job_id, destination) VALUES ($1, $2, $3) RETURNING id",
        alert_id, job_id, destination)
    return delivery_id


async def delivery(rt: Runtime, delivery_id: int) -> asyncpg.Record:
    async with rt.pool.acquire() as conn:
        row = await conn.fetchrow("SELECT * FROM deliveries WHERE id = $1", delivery_id)
    assert row is not None
    return row


@pytest.fixture
def with_smtp(make_settings: Callable[..., Any]) -> Callable[..., Any]:
    def make(url: str, **env: str) -> Any:
        return make_settings(HIREWIRE_SMTP_URL=url, HIREWIRE_PUBLIC_URL="https://alerts.example.org",
                             HIREWIRE_MAIL_FROM="Hirewire Alerts <alerts@hirewire.example>", **env)

    return make


async def wait_until(predicate: Callable[[], Any], timeout: float = 5.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)

