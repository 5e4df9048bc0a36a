"""Re-keying alerts in chunks, and the vocabulary of query lexemes kept exact while alerts are saved.

The vocabulary (`alert_terms`) decides which of a job's words reach matching: a lexeme missing from
it silently stops every alert that needs it from matching, so these tests look at its rows and at
the deliveries a job then gets."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg

from aggregator import match
from aggregator.alerts import parse_alert
from aggregator.runtime import Runtime
from aggregator.store import alerts as store_alerts
from tests.match.helpers import listing, store


async def _alert(conn: Any, email: str, query: str) -> int:
    alert_id, _ = await store_alerts.create(conn, parse_alert({"query": query, "channel": {"email": email}}))
    return alert_id


async def _vocabulary(conn: asyncpg.Connection) -> set[str]:
    return {r["term"] for r in await conn.fetch("SELECT term FROM alert_terms")}


async def test_reindexing_in_chunks_keys_every_alert_and_prunes_unused_lexemes(runtime: Runtime) -> None:
    queries = ["django", "fastapi", "flask OR litestar", "kafka", "celery"]
    async with runtime.pool.acquire() as conn:
        ids = [await _alert(conn, f"s{n}@example.org", q) for n, q in enumerate(queries)]
        keyed = {r["id"]: r["keys"] for r in await conn.fetch("SELECT id, keys FROM alerts")}
        await conn.execute("UPDATE alerts SET keys = NULL, terms = NULL WHERE id = ANY($1::bigint[])", ids[1:4])
        await conn.execute("INSERT INTO alert_terms (term) VALUES ('cobol')")  # its alert is gone

        assert await store_alerts.reindex(conn, chunk=2) == 3  # only the three without keys
        rekeyed = {r["id"]: r["keys"] for r in await conn.fetch("SELECT id, keys FROM alerts")}
        assert "cobol" in await _vocabulary(conn)  # indexing new alerts never removes lexemes

        assert await store_alerts.reindex(conn, everything=True, chunk=2) == 0  # same shares: nothing changes
        vocabulary = await _vocabulary(conn)
    assert rekeyed == keyed
    assert vocabulary == {"django", "fastapi", "flask", "litestar", "kafka", "celeri"}


async def test_a_prune_waits_for_an_alert_being_saved_that_reuses_an_unused_lexeme(runtime: Runtime) -> None:
    async with runtime.pool.acquire() as saving, runtime.pool.acquire() as watcher:
        await _alert(saving, "django@example.org", "django")
        await saving.execute("INSERT INTO alert_terms (term) VALUES ('zope')")  # left by a deleted alert
        transaction = saving.transaction()
        await transaction.start()
        alert_id = await _alert(saving, "zope@example.org", "zope")  # saved, not yet committed
        rekeying = asyncio.create_task(_rekey_everything(runtime))
        for _ in range(200):  # until the re-keying is done, or waits for the alert's transaction
            if rekeying.done() or await watcher.fetchval(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"):
                break
            await asyncio.sleep(0.02)
        waited = not rekeying.done()
        await transaction.commit()
        await asyncio.wait_for(rekeying, 10)
        vocabulary = await _vocabulary(watcher)
        [job] = await store(watcher, listing(title="Python Engineer (Zope, Plone)", skills=[],
                                              description_text="We build intranets with Zope and Plone."))
        result = await match.match_jobs(watcher, [job])
        pairs = [(r["alert_id"], r["job_id"]) for r in await watcher.fetch("SELECT alert_id, job_id FROM deliveries")]
    assert "zope" in vocabulary
    assert (result.deliveries, pairs) == (1, [(alert_id, job)])  # not the Django alert
    assert waited


async def _rekey_everything(runtime: Runtime) -> int:
    async with runtime.pool.acquire() as conn:
        return await store_alerts.reindex(conn, everything=True)
