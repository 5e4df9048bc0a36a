"""kill -9 of `hirewire run` while webhooks and emails are in flight, then a new `hirewire run`.

End to end through the daemon (tests/notify/test_kill.py covers the worker alone): a feed, alerts
on two webhook receivers and an SMTP server, receivers that answer slowly so the kill lands
mid-send. Receivers count every arrival by webhook-id / Message-ID, as a deduplicating receiver
would. Afterwards the ids received are exactly the deliveries' ids, and an id arrives twice only if
its delivery was still 'sending' when the process died: the request went out, the outcome was never
recorded, so it is sent again under the same id (at-least-once, by design).
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import pytest
from aiohttp import web
from aiosmtpd.smtp import SMTP, Envelope, Session

from aggregator.alerts import parse_alert
from aggregator.config import Settings
from aggregator.runtime import connect
from aggregator.store import alerts as store_alerts
from tests.faults.helpers import free_port, remotive_feed, start_hirewire, stop, wait_for
from tests.notify.conftest import smtp_on_loopback
from workers.notify.content import Alert, Batch
from workers.notify.email import message_id
from workers.notify.webhook import webhook_id

pytestmark = pytest.mark.slow

LISTINGS = 30
RECEIVER_DELAY = 0.3
MAIL_FROM = "Alerts <alerts@hirewire.example>"


class SlowMailbox:
    """An SMTP handler that notes each Message-ID on arrival, then waits before accepting it."""

    def __init__(self) -> None:
        self.arrived: list[str] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = (envelope.original_content or b"").decode("utf-8", "replace")
        header = next(line for line in raw.splitlines() if line.lower().startswith("message-id:"))
        with self.lock:
            self.arrived.append(header.split(":", 1)[1].strip())
        await asyncio.sleep(RECEIVER_DELAY / 3)
        return "250 OK"


@pytest.fixture
def mailbox() -> Iterator[tuple[str, SlowMailbox]]:
    box = SlowMailbox()
    with smtp_on_loopback(box) as url:
        yield url, box


def _env(settings: Settings, smtp_url: str, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HIREWIRE_")}
    env.update({"HIREWIRE_DATABASE_URL": settings.database_url or "", "HIREWIRE_REDIS_URL": settings.redis_url or "",
                "HIREWIRE_REDIS_PREFIX": settings.redis_prefix, "HIREWIRE_CONFIG": str(settings.config_path),
                "HIREWIRE_DATA_DIR": str(settings.data_dir), "HIREWIRE_SECRET_KEY": settings.secret_key,
                "HIREWIRE_SMTP_URL": smtp_url, "HIREWIRE_MAIL_FROM": MAIL_FROM,
                "HIREWIRE_PUBLIC_URL": "https://alerts.example.org", "HIREWIRE_ALLOW_PRIVATE_DESTINATIONS": "true",
                "HIREWIRE_DELIVERY_LEASE": "3s", "HIREWIRE_WEBHOOK_TIMEOUT": "2s", "HIREWIRE_SMTP_TIMEOUT": "2s",
                "HIREWIRE_DELIVERY_RETRY_SCHEDULE": "0.1s,0.1s,0.1s",
                "HIREWIRE_WEBHOOK_RATE": "1000", "HIREWIRE_WEBHOOK_CONCURRENCY": "8",
                "HIREWIRE_API_PORT": str(port), "HIREWIRE_LOG_FORMAT": "json"})
    return env


async def test_kill_run_mid_delivery_loses_nothing_and_repeats_only_in_flight(
        clean_db: str, make_settings: Callable[..., Settings], tmp_path: Path,
        mailbox: tuple[str, SlowMailbox], http_server: Callable[[web.Application], Awaitable[str]]) -> None:
    smtp_url, box = mailbox
    arrived: list[str] = []

    async def hook(request: web.Request) -> web.Response:
        await request.read()
        arrived.append(request.headers["webhook-id"])
        await asyncio.sleep(RECEIVER_DELAY)  # slow receiver: the kill lands while requests are open
        return web.Response(text="ok")

    receiver = web.Application()
    receiver.router.add_post("/a", hook)
    receiver.router.add_post("/b", hook)
    hooks = await http_server(receiver)
    feed = web.Application()
    body = remotive_feed(range(LISTINGS), "d")

    async def serve(request: web.Request) -> web.Response:
        return web.Response(body=body, content_type="application/json")

    feed.router.add_get("/jobs", serve)
    base = await http_server(feed)
    settings = make_settings({"remotive": {"url": f"{base}/jobs", "rate": 100, "burst": 10, "every": "1h"}})
    async with connect(settings) as rt, rt.pool.acquire() as conn:
        for channel in ({"webhook": f"{hooks}/a"}, {"webhook": f"{hooks}/b"}, {"email": "ada@example.org"}):
            spec = parse_alert({"query": "python", "channel": channel}, allow_private=True)
            await store_alerts.create(conn, spec, status="active")
    total = 3 * LISTINGS
    log = tmp_path / "run.log"
    db = await asyncpg.connect(clean_db)
    try:
        first = start_hirewire("run", _env(settings, smtp_url, free_port()), log)
        try:
            async def sending() -> bool:
                assert first.poll() is None, log.read_text()[-3000:]
                return len(arrived) + len(box.arrived) >= total // 3
            await wait_for(sending, 90, "deliveries under way")
        finally:
            await stop(first, 9)  # SIGKILL: scheduler, worker and API at once
        killed_at = time.monotonic()
        rows = await db.fetch("SELECT d.id, d.alert_id, d.state, a.email IS NOT NULL AS is_email "
                              "FROM deliveries d JOIN alerts a ON a.id = d.alert_id")
        assert len(rows) == total
        in_flight = {r["id"] for r in rows if r["state"] == "sending"}
        states = Counter(r["state"] for r in rows)
        assert in_flight and states["sent"] < total, states  # really killed mid-send

        # The restart. Its scheduler becomes leader once the dead one's lease runs out, and its first sweep
        # re-queues what the dead worker held (by then those deliveries' leases have run out too).
        second = start_hirewire("run", _env(settings, smtp_url, free_port()), log)
        try:
            async def all_sent() -> bool:
                assert second.poll() is None, log.read_text()[-3000:]
                return bool(await db.fetchval("SELECT count(*) = $1 FROM deliveries WHERE state = 'sent'", total))
            await wait_for(all_sent, 60, "every delivery sent after the restart")
            recovered = time.monotonic() - killed_at
            await asyncio.sleep(RECEIVER_DELAY * 2)  # nothing more should arrive
        finally:
            assert await stop(second) == 0
        final = await db.fetch("SELECT d.id, d.alert_id, d.attempts, a.email IS NOT NULL AS is_email "
                               "FROM deliveries d JOIN alerts a ON a.id = d.alert_id")
    finally:
        await db.close()

    def stable_id(row: asyncpg.Record) -> str:
        alert = Alert(id=row["alert_id"], email="ada@example.org" if row["is_email"] else None,
                      webhook_url=None if row["is_email"] else hooks, webhook_secret=None, query="python",
                      frequency="instant")
        batch = Batch(key=f"d{row['id']}", alert=alert, jobs=[], delivery_ids=[row["id"]],
                      created_at=datetime.now(UTC), attempt=1)
        return message_id(replace(settings, mail_from=MAIL_FROM), batch) if row["is_email"] else webhook_id(batch)

    expected = {stable_id(r): r["id"] for r in final}
    received = Counter(arrived) + Counter(box.arrived)
    assert set(received) == set(expected)  # every match delivered, and nothing else
    repeated = {expected[i] for i, n in received.items() if n > 1}
    assert repeated <= in_flight, (repeated, in_flight)  # a repeat only where the outcome was never recorded
    assert all(n <= 2 for n in received.values())
    assert all(r["attempts"] == (2 if r["id"] in in_flight else 1) for r in final)
    print(f"killed with {len(in_flight)} in flight ({dict(states)}); resent {len(repeated)}; "
          f"all {total} delivered {recovered:.1f} s after the kill")
