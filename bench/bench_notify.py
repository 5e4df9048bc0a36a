"""Benchmark: deliveries per second to local receivers, through the whole send path.

    .venv/bin/python -m bench.bench_notify [--emails 1000] [--webhooks 1000] [--concurrency 10] [--relay-ms 10]

Each delivery goes through `Notifier.deliver` as a worker runs it: claim in PostgreSQL → render or
sign → SMTP (aiosmtpd on loopback, reused connections) or HTTP POST (aiohttp receiver on loopback,
per-destination limits in Redis) → mark sent. PostgreSQL as in bench/_servers.py; Redis from
HIREWIRE_REDIS_URL, else 127.0.0.1:6379, else an embedded one.

Email is sent twice more to a relay that answers each SMTP command after `--relay-ms` (a relay in
another data centre), once over a single connection (the baseline: its round trips cannot
overlap) and once over the worker's default pool of connections.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import tempfile
import time
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

import asyncpg
import structlog
from aiohttp import web
from aiosmtpd.controller import Controller

from aggregator.config import Settings
from aggregator.embedded import EmbeddedServers, free_port
from aggregator.runtime import connect
from bench._servers import _port_open, scratch_database
from workers.notify import DeliveryPolicy, Notifier
from workers.notify.signing import generate_secret

POLICY = DeliveryPolicy(destination_rate=100_000.0, destination_burst=1000, destination_concurrency=64)


class Sink:
    def __init__(self) -> None:
        self.count = 0
        #: Seconds the server waits before each reply to MAIL, RCPT and DATA: the relay's distance.
        self.delay = 0.0

    async def _distance(self) -> None:
        if self.delay:
            await asyncio.sleep(self.delay)

    async def handle_MAIL(self, server: object, session: object, envelope: Any, address: str,
                          options: list[str]) -> str:
        await self._distance()
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(self, server: object, session: object, envelope: Any, address: str,
                          options: list[str]) -> str:
        await self._distance()
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        await self._distance()
        self.count += 1
        return "250 OK"


async def _seed(url: str, kind: str, n: int, destination: str, secret: str | None, tag: str = "") -> list[int]:
    conn = await asyncpg.connect(url)
    try:
        job_ids = [r["id"] for r in await conn.fetch(
            "INSERT INTO jobs (fingerprint, title, company, url, source, description_text, skills, remote) "
            "SELECT 'fp' || g || $2, 'Senior Python Engineer ' || g, 'Saltmarsh Labs',"
            " 'https://jobs.example.org/' || g,"
            " 'remotive', repeat('Build APIs with Django. ', 40), '{Django,PostgreSQL}', 'remote' "
            "FROM generate_series(1, $1) g RETURNING id", n, kind + tag)]
        ids = []
        for job_id in job_ids:  # one alert per delivery: instant mail to many subscribers
            email, hook = (f"user{job_id}@example.org", None) if kind == "email" else (None, destination)
            alert = await conn.fetchval("INSERT INTO alerts (email, webhook_url, webhook_secret) VALUES ($1, $2, $3) "
                                        "RETURNING id", email, hook, secret)
            ids.append(await conn.fetchval("INSERT INTO deliveries (alert_id, job_id, destination) VALUES ($1, $2, $3) "
                                           "RETURNING id", alert, job_id, email or f"{destination}#{job_id}"))
        return ids
    finally:
        await conn.close()


async def _run(notifier: Notifier, ids: list[int], concurrency: int) -> float:
    gate = asyncio.Semaphore(concurrency)

    async def one(delivery_id: int) -> None:
        async with gate:
            outcome = await notifier.deliver(delivery_id)
            assert outcome.state == "sent", outcome

    started = time.perf_counter()
    await asyncio.gather(*(one(i) for i in ids))
    return time.perf_counter() - started


async def main(emails: int, webhooks: int, concurrency: int, relay_ms: float) -> None:
    redis_url = os.environ.get("HIREWIRE_REDIS_URL") or ("redis://127.0.0.1:6379/0" if _port_open(6379) else None)
    with contextlib.ExitStack() as stack:
        if redis_url is None:
            tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="hirewire-bench-"))
            servers = EmbeddedServers(Path(tmp))
            stack.callback(servers.stop)
            redis_url = servers.start_redis()
        sink = Sink()
        controller = Controller(sink, hostname="127.0.0.1", port=free_port())
        controller.start()
        stack.callback(controller.stop)
        async with scratch_database() as db_url:
            received = 0

            async def hook(request: web.Request) -> web.Response:
                nonlocal received
                await request.read()
                received += 1
                return web.Response(text="ok")

            app = web.Application()
            app.router.add_post("/hook", hook)
            runner = web.AppRunner(app, access_log=None)
            await runner.setup()
            site = web.TCPSite(runner, "127.0.0.1", 0)
            await site.start()
            port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
            settings = Settings(database_url=db_url, redis_url=redis_url, smtp_url=f"smtp://127.0.0.1:{controller.port}",
                                secret_key="bench", allow_private_destinations=True,
                                redis_prefix=f"bench{uuid.uuid4().hex[:6]}")
            secret = generate_secret()
            mail_ids = await _seed(db_url, "email", emails, "", None)
            hook_ids = await _seed(db_url, "webhook", webhooks, f"http://127.0.0.1:{port}/hook", secret)
            relayed = min(emails, 300)
            single = await _seed(db_url, "email", relayed, "", None, "single")
            pooled = await _seed(db_url, "email", relayed, "", None, "pooled")
            async with connect(settings, pool_size=concurrency + 2) as rt:
                notifier = Notifier(rt, POLICY)
                mail_s = await _run(notifier, mail_ids, concurrency)
                hook_s = await _run(notifier, hook_ids, concurrency)
                await notifier.aclose()
                sink.delay = relay_ms / 1000
                single_notifier = Notifier(rt, replace(POLICY, smtp_connections=1))
                single_s = await _run(single_notifier, single, concurrency)
                await single_notifier.aclose()
                notifier = Notifier(rt, POLICY)
                pooled_s = await _run(notifier, pooled, concurrency)
                await notifier.aclose()
            await runner.cleanup()
    assert sink.count == emails + 2 * relayed and received == webhooks
    pool = POLICY.smtp_connections
    print(f"notify benchmark (concurrency {concurrency}, loopback receivers, full claim → send → mark path)")
    print(f"  emails:   {emails:>6} in {mail_s:6.2f} s = {emails / mail_s:8,.0f} emails/s (≤ {pool} SMTP connections)")
    print(f"  webhooks: {webhooks:>6} in {hook_s:6.2f} s = {webhooks / hook_s:8,.0f} webhooks/s (signed, SSRF-checked)")
    print(f"  relay answering after {relay_ms:g} ms:")
    print(f"    emails, one connection:   {relayed / single_s:8,.0f} emails/s (baseline: round trips in series)")
    print(f"    emails, {pool} connections:    {relayed / pooled_s:8,.0f} emails/s "
          f"({single_s / pooled_s:.1f}× the single connection)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--emails", type=int, default=1000)
    parser.add_argument("--webhooks", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--relay-ms", type=float, default=10.0)
    args = parser.parse_args()
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))  # no per-send lines
    asyncio.run(main(args.emails, args.webhooks, args.concurrency, args.relay_ms))
