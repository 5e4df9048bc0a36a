"""What the foreign keys of `deliveries` guaranteed, now kept by triggers and the deliveries lock:
an alert's deliveries go with it (even one written by a match still in progress), a job with
deliveries cannot be deleted, and a back-fill racing a batch never makes it send twice."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
import pytest

from aggregator import match
from aggregator.alerts import parse_alert
from aggregator.runtime import Runtime
from aggregator.store import alerts as store_alerts
from tests.match.helpers import listing, store


async def _alert(conn: Any, email: str, query: str = "python") -> int:
    alert_id, _ = await store_alerts.create(conn, parse_alert({"query": query, "channel": {"email": email}}))
    return alert_id


async def test_deleting_an_alert_or_its_subscriber_deletes_its_deliveries(runtime: Runtime) -> None:
    async with runtime.pool.acquire() as conn:
        kept = await _alert(conn, "kept@example.org")
        gone = await _alert(conn, "gone@example.org")
        cascaded = await _alert(conn, "cascaded@example.org")
        job_ids = await store(conn, listing(), listing())
        assert (await match.match_jobs(conn, job_ids)).deliveries == 6
        assert await store_alerts.delete(conn, gone)
        await conn.execute("DELETE FROM subscribers WHERE id = (SELECT subscriber_id FROM alerts WHERE id = $1)",
                           cascaded)
        left = await conn.fetch("SELECT alert_id, count(*) AS n FROM deliveries GROUP BY alert_id")
    assert [(r["alert_id"], r["n"]) for r in left] == [(kept, 2)]


async def test_a_job_with_deliveries_cannot_be_deleted(runtime: Runtime) -> None:
    async with runtime.pool.acquire() as conn:
        await _alert(conn, "ada@example.org")
        [sent, unsent] = await store(conn, listing(), listing(title="Haskell Engineer", skills=[],
                                                                description_text="Haskell"))
        await match.match_jobs(conn, [sent, unsent])
        with pytest.raises(asyncpg.ForeignKeyViolationError):
            async with conn.transaction():
                await conn.execute("DELETE FROM postings WHERE job_id = $1", sent)
                await conn.execute("DELETE FROM jobs WHERE id = $1", sent)
        async with conn.transaction():
            await conn.execute("DELETE FROM postings WHERE job_id = $1", unsent)
            await conn.execute("DELETE FROM jobs WHERE id = $1", unsent)
        remaining = await conn.fetchval("SELECT count(*) FROM jobs")
    assert remaining == 1


async def test_an_alert_deleted_while_a_match_is_writing_keeps_no_delivery(runtime: Runtime) -> None:
    async with runtime.pool.acquire() as matcher, runtime.pool.acquire() as deleter:
        alert = await _alert(matcher, "ada@example.org")
        [job] = await store(matcher, listing())
        # A match in progress: the deliveries lock held shared and its rows written but not committed.
        transaction = matcher.transaction()
        await transaction.start()
        await matcher.execute("SELECT pg_advisory_xact_lock_shared($1)", match.DELIVERIES_LOCK)
        await matcher.execute("INSERT INTO deliveries (alert_id, job_id, destination) VALUES ($1, $2, 'x')",
                              alert, job)
        deleting = asyncio.create_task(store_alerts.delete(deleter, alert))
        await asyncio.sleep(0.3)
        assert not deleting.done()  # the deletion waits for the match to commit
        await transaction.commit()
        assert await asyncio.wait_for(deleting, timeout=10)
        orphans = await matcher.fetchval("SELECT count(*) FROM deliveries")
    assert orphans == 0


async def test_a_backfill_racing_a_batch_does_not_send_twice(runtime: Runtime) -> None:
    async with runtime.pool.acquire() as conn:
        first = await _alert(conn, "ada@example.org")
        second = await _alert(conn, "bob@example.org")
        job_ids = await store(conn, listing(), listing())
        # The back-fill reaches the new jobs before their batch runs.
        assert (await store_alerts.backfill(conn, first, days=7, limit=10)).deliveries == 2
        result = await match.match_jobs(conn, job_ids)
        rows = await conn.fetch("SELECT alert_id, count(*) AS n FROM deliveries GROUP BY alert_id ORDER BY 1")
        unmatched = await conn.fetchval("SELECT count(*) FROM jobs WHERE matched_at IS NULL")
    assert (result.jobs, result.deliveries) == (2, 2)
    assert [(r["alert_id"], r["n"]) for r in rows] == [(first, 2), (second, 2)]
    assert unmatched == 0
