"""Notification channels behind one protocol; `deliver` sends one delivery row through its channel."""

from __future__ import annotations

from aggregator.runtime import Runtime


async def deliver(rt: Runtime, delivery_id: int) -> str:
    """Send one delivery; returns its new state."""
    async with rt.pool.acquire() as conn:
        state: str = await conn.fetchval(
            "UPDATE deliveries SET state = 'skipped', last_error = 'no channel configured' "
            "WHERE id = $1 AND state = 'pending' RETURNING state", delivery_id) or "unknown"
    return state


async def due_deliveries(rt: Runtime) -> list[int]:
    async with rt.pool.acquire() as conn:
        rows = await conn.fetch("SELECT id FROM deliveries WHERE state IN ('pending', 'failed') "
                                "AND next_attempt_at <= now() ORDER BY id LIMIT 500")
    return [row["id"] for row in rows]
