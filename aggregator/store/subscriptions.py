"""Subscriptions: the subscriber's side of alerts — double opt-in, one-click unsubscribe, ownership.

`store.alerts` saves and indexes alerts; this module holds what the public API and the subscriber
pages need on top: confirming a pending alert (and its subscriber) once, unsubscribing one alert
for good, and reading alerts scoped to one subscriber so no query can return another's.
"""

from __future__ import annotations

import asyncpg

__all__ = ["confirm", "get_owned", "neighbours", "page", "page_before", "subscriber_email", "unsubscribe"]

_COLUMNS = """id, subscriber_id, email, webhook_url, query, filters, status, frequency, send_hour, timezone,
    created_at, last_digest_at"""


async def confirm(conn: asyncpg.Connection, alert_id: int) -> asyncpg.Record | None:
    """Activate a pending alert and mark its subscriber confirmed; idempotent.

    Returns (id, subscriber_id, status) after the change, or None when the alert is gone. Only a
    pending alert becomes active: an unsubscribed (disabled) or paused one keeps its state, so an old
    confirmation link cannot undo an unsubscribe.
    """
    async with conn.transaction():
        row = await conn.fetchrow(
            "UPDATE alerts SET status = CASE WHEN status = 'pending' THEN 'active' ELSE status END "
            "WHERE id = $1 RETURNING id, subscriber_id, status", alert_id)
        if row is not None and row["subscriber_id"] is not None and row["status"] == "active":
            await conn.execute("UPDATE subscribers SET confirmed_at = coalesce(confirmed_at, now()), "
                               "unsubscribed_at = NULL WHERE id = $1", row["subscriber_id"])
    return row


async def unsubscribe(conn: asyncpg.Connection, alert_id: int) -> bool:
    """Stop an alert for good (status 'disabled'); True if it exists. Pending deliveries are then skipped."""
    async with conn.transaction():
        row = await conn.fetchrow("UPDATE alerts SET status = 'disabled' WHERE id = $1 RETURNING subscriber_id",
                                  alert_id)
        if row is None:
            return False
        if row["subscriber_id"] is not None:
            # The subscriber counts as unsubscribed once none of their alerts is live any more.
            await conn.execute(
                "UPDATE subscribers SET unsubscribed_at = now() WHERE id = $1 AND NOT EXISTS ("
                "SELECT 1 FROM alerts WHERE subscriber_id = $1 AND status IN ('active', 'paused', 'pending'))",
                row["subscriber_id"])
    return True


async def get_owned(conn: asyncpg.Connection, alert_id: int, subscriber_id: int | None) -> asyncpg.Record | None:
    """One alert; with a subscriber id, only if it is theirs (None: the operator sees every alert)."""
    return await conn.fetchrow(
        f"SELECT {_COLUMNS} FROM alerts WHERE id = $1 AND ($2::bigint IS NULL OR subscriber_id = $2)",
        alert_id, subscriber_id)


async def page(conn: asyncpg.Connection, *, subscriber_id: int | None, after: int, limit: int) -> list[asyncpg.Record]:
    """Alerts in id order after `after`; scoped to one subscriber when given."""
    return list(await conn.fetch(
        f"SELECT {_COLUMNS} FROM alerts WHERE id > $1 AND ($2::bigint IS NULL OR subscriber_id = $2) "
        "ORDER BY id LIMIT $3", after, subscriber_id, limit))


async def page_before(conn: asyncpg.Connection, *, subscriber_id: int, before: int,
                      limit: int) -> list[asyncpg.Record]:
    """The subscriber's last `limit` alerts before id `before`, in id order: the page a "Previous"
    link leads to, which keyset paging cannot reach by `after` without knowing where it starts."""
    rows = await conn.fetch(
        f"SELECT {_COLUMNS} FROM alerts WHERE id < $1 AND subscriber_id = $2 ORDER BY id DESC LIMIT $3",
        before, subscriber_id, limit)
    return list(reversed(rows))


async def neighbours(conn: asyncpg.Connection, *, subscriber_id: int, below: int, above: int) -> tuple[bool, bool]:
    """Whether the subscriber has alerts with ids below `below` and above `above`: whether a page
    spanning those ids needs a "Previous" and a "Next" link."""
    row = await conn.fetchrow(
        "SELECT EXISTS (SELECT 1 FROM alerts WHERE subscriber_id = $1 AND id < $2) AS earlier, "
        "EXISTS (SELECT 1 FROM alerts WHERE subscriber_id = $1 AND id > $3) AS later", subscriber_id, below, above)
    assert row is not None
    return bool(row["earlier"]), bool(row["later"])


async def subscriber_email(conn: asyncpg.Connection, subscriber_id: int) -> str | None:
    """The address of a confirmed subscriber (None if unknown or never confirmed)."""
    value = await conn.fetchval("SELECT email FROM subscribers WHERE id = $1 AND confirmed_at IS NOT NULL",
                                subscriber_id)
    return str(value) if value is not None else None


async def drop_unconfirmed(conn: asyncpg.Connection, older_than_days: int) -> int:
    """Delete pending (never confirmed) alerts older than the confirmation link's lifetime.

    Their links can no longer confirm them, so they are dead weight; a subscriber left with no
    alert and no confirmation is removed with them. Returns the number of alerts deleted.
    """
    async with conn.transaction():
        gone = await conn.fetch(
            "DELETE FROM alerts WHERE status = 'pending' AND created_at < now() - make_interval(days => $1) "
            "RETURNING subscriber_id", older_than_days)
        subscribers = sorted({row["subscriber_id"] for row in gone if row["subscriber_id"] is not None})
        if subscribers:
            await conn.execute(
                "DELETE FROM subscribers s WHERE s.id = ANY($1::bigint[]) AND s.confirmed_at IS NULL "
                "AND NOT EXISTS (SELECT 1 FROM alerts a WHERE a.subscriber_id = s.id)", subscribers)
    return len(gone)
