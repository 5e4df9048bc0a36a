"""Webhook delivery against a real aiohttp receiver on loopback, verified with `standardwebhooks`."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web
from standardwebhooks import Webhook

from aggregator.errors import UnsafeDestination
from aggregator.runtime import Runtime, connect
from tests.notify.conftest import FAST, MailSink, add_alert, add_delivery, add_job, delivery
from workers import jobs as worker_jobs
from workers.notify import DeliveryPolicy, Notifier, delivery_job_id
from workers.notify.signing import generate_secret
from workers.settings import build_worker

Server = Callable[[web.Application], Awaitable[str]]
SEEN = web.AppKey("seen", list[tuple[str, Any]])
RAW = web.AppKey("raw", list[bytes])


def receiver(secret: str, script: list[tuple[int, dict[str, str]]] | None = None,
             delay: float = 0.0) -> web.Application:
    """Verifies every request's signature; answers from `script` (status, headers), then 200."""
    app = web.Application()
    app[SEEN] = []

    async def hook(request: web.Request) -> web.Response:
        body = await request.read()
        payload = Webhook(secret).verify(body, dict(request.headers))  # raises on a bad signature
        app[SEEN].append((request.headers["webhook-id"], payload))
        if delay:
            await asyncio.sleep(delay)
        status, headers = script.pop(0) if script else (200, {})
        return web.Response(status=status, headers=headers, text="x" * 100_000 if status >= 500 else "ok")

    app.router.add_post("/hook", hook)
    return app


async def _setup(rt: Runtime, url: str, secret: str, jobs: int = 1) -> tuple[int, list[int]]:
    async with rt.pool.acquire() as conn:
        alert = await add_alert(conn, webhook=url, secret=secret)
        ids = [await add_delivery(conn, alert, await add_job(conn, title=f"Job {n}"), url) for n in range(jobs)]
    return alert, ids


async def test_signed_delivery_verifies_with_the_reference_package(runtime: Runtime, http_server: Server) -> None:
    secret = generate_secret()
    assert secret.startswith("whsec_")
    app = receiver(secret)
    url = await http_server(app) + "/hook"
    _, (did,) = await _setup(runtime, url, secret)
    notifier = Notifier(runtime, FAST)
    assert (await notifier.deliver(did)).state == "sent"
    await notifier.aclose()
    [(msg_id, payload)] = app[SEEN]
    assert msg_id.startswith("msg_hw_")
    assert payload["type"] == "job.matched"
    job = payload["data"]["job"]
    assert job["title"] == "Job 0" and job["skills"] == ["Django", "PostgreSQL"] and isinstance(job["id"], int)
    assert {"source", "external_id", "fingerprint", "posted_at", "python_backend"} <= set(job)
    assert (await delivery(runtime, did))["last_status"] == 200


async def test_retries_on_5xx_and_429_with_one_id_then_sends(make_settings: Callable[..., Any], clean_db: str,
                                                              http_server: Server) -> None:
    """Through arq: each failed attempt enqueues the next, deferred by the schedule or Retry-After."""
    secret = generate_secret()
    app = receiver(secret, [(503, {}), (429, {"Retry-After": "1"}), (500, {})])
    url = await http_server(app) + "/hook"
    async with connect(make_settings()) as rt:
        _, (did,) = await _setup(rt, url, secret)
        await rt.enqueue(worker_jobs.SEND_DELIVERY, did, job_id=delivery_job_id(rt.settings.redis_prefix, did))
        loop = asyncio.get_running_loop()
        started = loop.time()
        worker = build_worker(rt, burst=True)
        worker.ctx["notify_policy"] = FAST
        await worker.async_run()
        await worker.close()
        elapsed = loop.time() - started
        row = await delivery(rt, did)
    assert row["state"] == "sent" and row["attempts"] == 4
    assert len({msg_id for msg_id, _ in app[SEEN]}) == 1 and len(app[SEEN]) == 4
    assert elapsed >= 1.0  # Retry-After: 1 outweighed the 50 ms schedule


async def test_budget_spent_marks_dead_and_cli_retries(make_settings: Callable[..., Any], clean_db: str,
                                                       http_server: Server, cli_env: Callable[..., Any]) -> None:
    secret = generate_secret()
    app = receiver(secret, [(500, {})] * 4)
    url = await http_server(app) + "/hook"
    async with connect(make_settings()) as rt:
        _, (did,) = await _setup(rt, url, secret)
        notifier = Notifier(rt, FAST)
        states = []
        for _ in range(4):
            outcome = await notifier.deliver(did)
            states.append(outcome.state)
            await asyncio.sleep((outcome.retry_in or 0) + 0.02)
        await notifier.aclose()
        row = await delivery(rt, did)
        assert states == ["failed", "failed", "failed", "dead"]
        assert row["state"] == "dead" and "retry budget spent" in row["last_error"]
        assert len(row["last_error"]) < 1000  # the 100 kB error body was read only up to the cap
        listing = await asyncio.to_thread(subprocess.run, [sys.executable, "-m", "aggregator", "deliveries",
                                                           "--failed"], env=cli_env(), capture_output=True,
                                          text=True, timeout=60)
        assert listing.returncode == 0, listing.stderr
        assert "dead" in listing.stdout and str(did) in listing.stdout
        retry = await asyncio.to_thread(subprocess.run, [sys.executable, "-m", "aggregator", "deliveries",
                                                         "--retry", str(did)], env=cli_env(), capture_output=True,
                                        text=True, timeout=60)
        assert retry.returncode == 0, retry.stderr
        assert (await delivery(rt, did))["state"] == "pending"
        notifier = Notifier(rt, FAST)
        assert (await notifier.deliver(did)).state == "sent"  # the receiver recovered
        await notifier.aclose()
    assert len({msg_id for msg_id, _ in app[SEEN]}) == 1


@pytest.mark.parametrize(("status", "state", "alert_status"), [(410, "dead", "disabled"), (400, "dead", "active"),
                                                               (404, "dead", "active")])
async def test_gone_disables_and_4xx_fail_without_retry(runtime: Runtime, http_server: Server, status: int,
                                                        state: str, alert_status: str) -> None:
    secret = generate_secret()
    url = await http_server(receiver(secret, [(status, {})])) + "/hook"
    alert, (did, other) = await _setup(runtime, url, secret, jobs=2)
    notifier = Notifier(runtime, FAST)
    outcome = await notifier.deliver(did)
    await notifier.aclose()
    assert (outcome.state, outcome.retry_in) == (state, None)
    row = await delivery(runtime, did)
    assert row["attempts"] == 1 and row["last_status"] == status
    async with runtime.pool.acquire() as conn:
        assert await conn.fetchval("SELECT status FROM alerts WHERE id = $1", alert) == alert_status
    assert (await delivery(runtime, other))["state"] == ("skipped" if status == 410 else "pending")


async def test_timeout_is_transient(runtime: Runtime, http_server: Server) -> None:
    secret = generate_secret()
    url = await http_server(receiver(secret, delay=0.5)) + "/hook"
    _, (did,) = await _setup(runtime, url, secret)
    notifier = Notifier(runtime, DeliveryPolicy(schedule=(0.05,), webhook_timeout=0.2, lease=2.0))
    outcome = await notifier.deliver(did)
    await notifier.aclose()
    assert outcome.state == "failed"
    assert "Timeout" in (await delivery(runtime, did))["last_error"]


async def test_digest_webhook_lists_jobs(runtime: Runtime, http_server: Server) -> None:
    from datetime import UTC, datetime

    secret = generate_secret()
    app = receiver(secret)
    url = await http_server(app) + "/hook"
    async with runtime.pool.acquire() as conn:
        alert = await add_alert(conn, webhook=url, secret=secret, frequency="weekly",
                                created_at=datetime(2025, 1, 1, tzinfo=UTC))
        for n in range(3):
            await add_delivery(conn, alert, await add_job(conn, title=f"Weekly {n}"), url)
    notifier = Notifier(runtime, FAST)
    [anchor] = await notifier.open_due_digests(datetime(2025, 1, 8, tzinfo=UTC))
    assert (await notifier.deliver(anchor)).state == "sent"
    await notifier.aclose()
    [(msg_id, payload)] = app[SEEN]
    assert payload["type"] == "jobs.digest" and len(payload["data"]["jobs"]) == 3
    assert msg_id.endswith("g20250106T0800")


async def test_first_digest_waits_for_the_first_slot_after_the_alert_was_saved(runtime: Runtime) -> None:
    from datetime import UTC, datetime

    async with runtime.pool.acquire() as conn:
        # Saved on Tuesday 7 January 2025 at 04:41 UTC; weekly digests go out on Mondays at 08:00 UTC.
        alert = await add_alert(conn, webhook="https://hooks.example/h", secret=generate_secret(),
                                frequency="weekly", created_at=datetime(2025, 1, 7, 4, 41, tzinfo=UTC))
        waiting = await add_delivery(conn, alert, await add_job(conn, title="Waits"), "https://hooks.example/h")
    notifier = Notifier(runtime, FAST)
    try:
        assert await notifier.open_due_digests(datetime(2025, 1, 7, 4, 42, tzinfo=UTC)) == []
        assert await notifier.open_due_digests(datetime(2025, 1, 13, 7, 59, tzinfo=UTC)) == []
        assert (await delivery(runtime, waiting))["batch_key"] is None
        assert await notifier.open_due_digests(datetime(2025, 1, 13, 8, 0, tzinfo=UTC)) == [waiting]
        assert (await delivery(runtime, waiting))["batch_key"] == "g20250113T0800"
    finally:
        await notifier.aclose()


async def test_ssrf_refused_at_send_time_and_on_redirect(make_settings: Callable[..., Any], clean_db: str,
                                                        http_server: Server) -> None:
    secret = generate_secret()
    redirector = web.Application()

    async def bounce(request: web.Request) -> web.Response:
        raise web.HTTPTemporaryRedirect(request.query["to"])

    redirector.router.add_post("/r", bounce)
    base = await http_server(redirector)
    # Private destinations off: loopback refused when sending, even though the row exists.
    async with connect(make_settings(HIREWIRE_ALLOW_PRIVATE_DESTINATIONS="false")) as rt:
        _, (did,) = await _setup(rt, "https://localhost/hook", secret)
        notifier = Notifier(rt, FAST)
        assert (await notifier.deliver(did)).state == "dead"
        await notifier.aclose()
        assert "loopback" in (await delivery(rt, did))["last_error"]
    # Private allowed (tests, intranets): a redirect to the metadata address is still refused.
    async with connect(make_settings()) as rt:
        _, (did,) = await _setup(rt, f"{base}/r?to=http://169.254.169.254/latest/meta-data", secret)
        notifier = Notifier(rt, FAST)
        assert (await notifier.deliver(did)).state == "dead"
        await notifier.aclose()
        assert "metadata" in (await delivery(rt, did))["last_error"]


async def test_connect_time_resolver_refuses_rebinding() -> None:
    """A name resolving to loopback is refused by the session's own resolver, whatever was checked before."""
    import aiohttp

    from aggregator.ssrf import GuardedResolver

    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(
            resolver=GuardedResolver(allow_private=False))) as session:
        with pytest.raises(UnsafeDestination):
            await session.post("http://localhost:9/", data=json.dumps({}))


async def test_digest_webhook_lists_jobs_in_the_order_of_the_digest_email(
        clean_db: str, smtp_server: tuple[str, MailSink], with_smtp: Callable[..., Any], http_server: Server) -> None:
    """The same digest by both channels: the bytes the webhook receiver gets list the jobs as the
    email does (remote, hybrid, on-site, unknown; newest first in each), not in database order."""
    from datetime import UTC, datetime

    app = web.Application()
    app[RAW] = []

    async def hook(request: web.Request) -> web.Response:
        app[RAW].append(await request.read())
        return web.Response(text="ok")

    app.router.add_post("/hook", hook)
    hook_url = await http_server(app) + "/hook"
    smtp_url, sink = smtp_server
    saved = datetime(2025, 1, 1, tzinfo=UTC)
    async with connect(with_smtp(smtp_url)) as rt:
        async with rt.pool.acquire() as conn:
            by_mail = await add_alert(conn, email_to="ada@example.org", frequency="weekly", created_at=saved)
            by_hook = await add_alert(conn, webhook=hook_url, secret=generate_secret(), frequency="weekly",
                                      created_at=saved)
            for title, remote, day in [("Onsite Newest", "onsite", 6), ("Remote Old", "remote", 1),
                                       ("Unknown Place", None, 7), ("Hybrid Mid", "hybrid", 3),
                                       ("Remote New", "remote", 4)]:
                job = await add_job(conn, title=title, remote=remote, posted_at=datetime(2025, 1, day, tzinfo=UTC))
                await add_delivery(conn, by_mail, job, "ada@example.org")
                await add_delivery(conn, by_hook, job, hook_url)
        notifier = Notifier(rt, FAST)
        anchors = await notifier.open_due_digests(datetime(2025, 1, 8, tzinfo=UTC))
        assert [(await notifier.deliver(anchor)).state for anchor in anchors] == ["sent", "sent"]
        await notifier.aclose()

    expected = ["Remote New", "Remote Old", "Hybrid Mid", "Onsite Newest", "Unknown Place"]
    [raw] = app[RAW]
    assert [job["title"] for job in json.loads(raw)["data"]["jobs"]] == expected
    text = sink.messages[0].get_body(("plain",)).get_content()
    assert sorted(expected, key=text.index) == expected
