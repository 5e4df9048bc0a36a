"""Deliveries: every notification's fate, and the state machine that makes sending safe to repeat.

    pending ──claim──▶ sending ──▶ sent
                         │  ├────▶ failed ──(next_attempt_at)──▶ sending …
                         │  └────▶ dead        (budget spent, permanent error, 410)
                         └─(lease ran out: the worker died)──▶ claimable again

A delivery goes out in a *batch* (`batch_key`): itself alone for an instant alert, or every
delivery of one digest. Claiming is one conditional UPDATE, so two workers never send one batch at
once; the claim's `next_attempt_at` is a lease, so a worker killed mid-send leaves the batch to be
claimed again. Only rows in `sending` can be marked sent, failed or dead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import asyncpg

__all__ = ["Claimed", "DueBatch", "alert_for_delivery", "claim_batch", "digest_candidates", "disable_alert",
           "due_batches", "jobs_for", "list_deliveries", "load_alert", "mark_dead", "mark_failed", "mark_sent",
           "mark_skipped", "open_digest", "reset_for_retry", "states"]


@dataclass(frozen=True, slots=True)
class Claimed:
    delivery_id: int
    job_id: int
    attempts: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class DueBatch:
    """A batch that is due (or a lone instant delivery not yet batched): one send_delivery job."""

    anchor_id: int
    attempts: int
    #: How long it has been due: one due for longer than a lease should have been claimed by now.
    overdue: float = 0.0


async def alert_for_delivery(conn: asyncpg.Connection, delivery_id: int) -> asyncpg.Record | None:
    """The delivery's alert id, batch and alert frequency (None when the delivery is gone)."""
    return await conn.fetchrow(
        "SELECT d.alert_id, d.batch_key, d.state, a.frequency FROM deliveries d JOIN alerts a ON a.id = d.alert_id "
        "WHERE d.id = $1", delivery_id)


_CLAIM = """
UPDATE deliveries SET state = 'sending', attempts = attempts + 1, updated_at = now(),
       batch_key = coalesce(batch_key, $3),
       next_attempt_at = now() + make_interval(secs => $4)
WHERE {where} AND state IN ('pending', 'failed', 'sending') AND next_attempt_at <= now()
RETURNING id, job_id, attempts, created_at
"""


async def claim_batch(conn: asyncpg.Connection, *, alert_id: int, batch_key: str | None, delivery_id: int,
                      lease: float) -> tuple[str, list[Claimed]]:
    """Claim a batch for sending (a lone delivery when `batch_key` is None); returns its key and rows.

    Nothing is claimed when another worker holds the batch, it is not due, or it is finished.
    """
    if batch_key is None:
        key = f"d{delivery_id}"
        sql = _CLAIM.format(where="id = $1 AND alert_id = $2 AND (batch_key IS NULL OR batch_key = $3)")
        rows = await conn.fetch(sql, delivery_id, alert_id, key, lease)
    else:
        key = batch_key
        sql = _CLAIM.format(where="alert_id = $1 AND batch_key = $2").replace("$3", "$2").replace("$4", "$3")
        rows = await conn.fetch(sql, alert_id, key, lease)
    return key, [Claimed(r["id"], r["job_id"], r["attempts"], r["created_at"]) for r in rows]


async def load_alert(conn: asyncpg.Connection, alert_id: int) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT id, email, webhook_url, webhook_secret, query, frequency, send_hour, timezone, status, "
        "last_digest_at, subscriber_id FROM alerts WHERE id = $1", alert_id)


async def jobs_for(conn: asyncpg.Connection, job_ids: Sequence[int]) -> list[asyncpg.Record]:
    """The jobs of a batch with the listing fields notifications show (external id: the first posting's)."""
    return await conn.fetch(
        """SELECT j.id, j.source, (SELECT p.external_id FROM postings p WHERE p.job_id = j.id
                                   ORDER BY p.first_seen, p.id LIMIT 1) AS external_id,
                  j.url, j.apply_url, j.title, j.company, j.location_raw, j.locations, j.remote, j.employment_type,
                  j.seniority, j.salary_min, j.salary_max, j.salary_currency, j.salary_period, j.skills,
                  j.description_text, j.description_html, j.posted_at, j.python_backend, j.fingerprint,
                  j.first_seen
           FROM jobs j WHERE j.id = ANY($1::bigint[]) ORDER BY j.id""", list(job_ids))


async def mark_sent(conn: asyncpg.Connection, ids: Sequence[int], status: int | None) -> None:
    await conn.execute("UPDATE deliveries SET state = 'sent', sent_at = now(), last_status = $2, last_error = NULL, "
                       "updated_at = now() WHERE id = ANY($1::bigint[]) AND state = 'sending'", list(ids), status)


async def mark_failed(conn: asyncpg.Connection, ids: Sequence[int], error: str, status: int | None,
                      delay: float) -> None:
    await conn.execute(
        "UPDATE deliveries SET state = 'failed', last_error = $2, last_status = $3, updated_at = now(), "
        "next_attempt_at = now() + make_interval(secs => $4) WHERE id = ANY($1::bigint[]) AND state = 'sending'",
        list(ids), error[:2000], status, delay)


async def mark_dead(conn: asyncpg.Connection, ids: Sequence[int], error: str, status: int | None) -> None:
    await conn.execute("UPDATE deliveries SET state = 'dead', last_error = $2, last_status = $3, updated_at = now() "
                       "WHERE id = ANY($1::bigint[]) AND state = 'sending'", list(ids), error[:2000], status)


async def mark_skipped(conn: asyncpg.Connection, ids: Sequence[int], reason: str) -> None:
    await conn.execute("UPDATE deliveries SET state = 'skipped', last_error = $2, updated_at = now() "
                       "WHERE id = ANY($1::bigint[]) AND state IN ('pending', 'failed', 'sending')", list(ids), reason)


async def disable_alert(conn: asyncpg.Connection, alert_id: int, reason: str) -> None:
    """The destination said 410 Gone: stop the alert and skip what it still had queued."""
    async with conn.transaction():
        await conn.execute("UPDATE alerts SET status = 'disabled' WHERE id = $1", alert_id)
        await conn.execute("UPDATE deliveries SET state = 'skipped', last_error = $2, updated_at = now() "
                           "WHERE alert_id = $1 AND state IN ('pending', 'failed')", alert_id, reason)


async def due_batches(conn: asyncpg.Connection, limit: int = 500) -> list[DueBatch]:
    """Batches to (re)send now: unsent instant deliveries, retries whose time came, expired leases."""
    rows = await conn.fetch(
        """SELECT min(d.id) AS anchor_id, max(d.attempts) AS attempts,
                  extract(epoch FROM now() - min(d.next_attempt_at))::float8 AS overdue
           FROM deliveries d JOIN alerts a ON a.id = d.alert_id
           WHERE d.state IN ('pending', 'failed', 'sending') AND d.next_attempt_at <= now()
             AND (d.batch_key IS NOT NULL OR a.frequency = 'instant')
           GROUP BY d.alert_id, coalesce(d.batch_key, 'd' || d.id)
           ORDER BY min(d.next_attempt_at) LIMIT $1""", limit)
    return [DueBatch(r["anchor_id"], r["attempts"], r["overdue"]) for r in rows]


async def digest_candidates(conn: asyncpg.Connection) -> list[asyncpg.Record]:
    """Active digest alerts with deliveries waiting for a digest (the caller decides if one is due).

    `since` is when the last digest went out or, before the first, when the alert was saved.
    """
    return await conn.fetch(
        """SELECT a.id, a.frequency, a.send_hour, a.timezone, coalesce(a.last_digest_at, a.created_at) AS since
           FROM alerts a
           WHERE a.status = 'active' AND a.frequency IN ('daily', 'weekly')
             AND EXISTS (SELECT 1 FROM deliveries d WHERE d.alert_id = a.id AND d.batch_key IS NULL
                         AND d.state = 'pending')
           ORDER BY a.id""")


async def open_digest(conn: asyncpg.Connection, alert_id: int, batch_key: str, slot: datetime) -> int | None:
    """Gather the alert's waiting deliveries into the digest for `slot`; returns an anchor id to send.

    Idempotent: a slot already opened gathers nothing new, but still names its batch if it exists.
    """
    async with conn.transaction():
        opened = await conn.fetchval(
            "UPDATE alerts SET last_digest_at = $2 WHERE id = $1 AND (last_digest_at IS NULL OR last_digest_at < $2) "
            "RETURNING id", alert_id, slot)
        if opened:
            await conn.execute("UPDATE deliveries SET batch_key = $2, updated_at = now() WHERE alert_id = $1 "
                               "AND batch_key IS NULL AND state = 'pending'", alert_id, batch_key)
        anchor: int | None = await conn.fetchval(
            "SELECT min(id) FROM deliveries WHERE alert_id = $1 AND batch_key = $2", alert_id, batch_key)
    return anchor


async def list_deliveries(conn: asyncpg.Connection, *, failed_only: bool = False,
                          limit: int = 100) -> list[asyncpg.Record]:
    where = "WHERE d.state IN ('failed', 'dead')" if failed_only else ""
    return await conn.fetch(
        f"""SELECT d.id, d.alert_id, d.job_id, d.destination, d.state, d.attempts, d.last_status, d.last_error,
                   d.next_attempt_at, d.sent_at, d.updated_at, d.batch_key
            FROM deliveries d {where} ORDER BY d.updated_at DESC, d.id DESC LIMIT $1""", limit)


async def reset_for_retry(conn: asyncpg.Connection, ids: Sequence[int] | None = None) -> list[int]:
    """An operator's retry: dead (or failed) deliveries get a fresh budget, due now; returns their ids.

    Their batch key is kept, so a receiver that got an earlier attempt recognises the repeat.
    """
    condition = "id = ANY($1::bigint[]) AND state IN ('dead', 'failed')" if ids is not None else "state = 'dead'"
    args: list[object] = [list(ids)] if ids is not None else []
    rows = await conn.fetch(f"UPDATE deliveries SET state = 'pending', attempts = 0, next_attempt_at = now(), "
                            f"updated_at = now() WHERE {condition} RETURNING id", *args)
    return sorted(r["id"] for r in rows)


async def states(conn: asyncpg.Connection, ids: Sequence[int]) -> dict[int, str]:
    """The state of each of these deliveries that exists (what an operator's retry reports on)."""
    rows = await conn.fetch("SELECT id, state FROM deliveries WHERE id = ANY($1::bigint[])", list(ids))
    return {r["id"]: r["state"] for r in rows}

