"""Pending subscriptions whose confirmation link has expired are removed by the sweep's cleanup."""

from __future__ import annotations

import asyncpg

from aggregator.store.subscriptions import drop_unconfirmed


async def test_expired_pending_alerts_and_their_lone_subscribers_are_removed(clean_db: str) -> None:
    conn = await asyncpg.connect(clean_db)
    try:
        old, fresh, confirmed = [await conn.fetchval("INSERT INTO subscribers (email) VALUES ($1) RETURNING id", email)
                                 for email in ("old@example.org", "fresh@example.org", "ada@example.org")]
        await conn.execute("UPDATE subscribers SET confirmed_at = now() WHERE id = $1", confirmed)
        await conn.execute(
            """INSERT INTO alerts (subscriber_id, email, status, created_at) VALUES
               ($1, 'old@example.org', 'pending', now() - interval '9 days'),
               ($2, 'fresh@example.org', 'pending', now() - interval '1 day'),
               ($3, 'ada@example.org', 'active', now() - interval '30 days'),
               ($3, 'ada@example.org', 'pending', now() - interval '30 days')""", old, fresh, confirmed)
        assert await drop_unconfirmed(conn, 8) == 2
        left = await conn.fetch("SELECT email, status FROM alerts ORDER BY email, status")
        assert [(r["email"], r["status"]) for r in left] == [("ada@example.org", "active"),
                                                             ("fresh@example.org", "pending")]
        emails = [r["email"] for r in await conn.fetch("SELECT email FROM subscribers ORDER BY email")]
        assert emails == ["ada@example.org", "fresh@example.org"]
    finally:
        await conn.close()
