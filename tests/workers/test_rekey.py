"""The sweep re-keys alerts once a day: it queues `rekey_alerts` under the day's job id, and the
job re-measures the token shares and rewrites every alert's anchor keys."""

from __future__ import annotations

from collections.abc import Callable

from aggregator.alerts import parse_alert
from aggregator.config import Settings
from aggregator.runtime import connect
from aggregator.store import alerts as store_alerts
from tests.match.helpers import listing, store
from workers import jobs


async def test_sweep_queues_one_rekey_a_day_and_the_job_rekeys(clean_db: str,
                                                                make_settings: Callable[..., Settings]) -> None:
    settings = make_settings()
    async with connect(settings) as rt:
        async with rt.pool.acquire() as conn:
            alert, _ = await store_alerts.create(conn, parse_alert(
                {"query": "apis", "seniority": ["senior"], "channel": {"email": "ada@example.org"}}))
            await store(conn, *[listing() for _ in range(200)])
            await conn.execute("UPDATE jobs SET matched_at = now()")
        ctx = {"runtime": rt}
        await jobs.sweep(ctx)
        await jobs.sweep(ctx)
        queued = [key.decode() for key in await rt.redis.zrange(settings.queue_name, 0, -1)]
        assert len(queued) == 1 and queued[0].startswith(f"{settings.redis_prefix}:rekey:")
        assert await jobs.rekey_alerts(ctx) == 1
        async with rt.pool.acquire() as conn:
            keys = await conn.fetchval("SELECT keys FROM alerts WHERE id = $1", alert)
            measured = await conn.fetchval("SELECT count(*) FROM match_token_shares")
        await rt.redis.delete(settings.queue_name)
        await jobs.sweep(ctx)  # measured just now: nothing more to queue today
        assert await rt.redis.zcard(settings.queue_name) == 0
    assert keys == ["t:api"] and measured > 0
