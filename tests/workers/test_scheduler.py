"""The scheduler: one leader across processes, due sources enqueued once, failover on resignation."""

from __future__ import annotations

from collections.abc import Callable

from aggregator.config import Settings
from aggregator.runtime import connect
from workers.scheduler import Scheduler


async def test_only_one_scheduler_leads_and_a_standby_takes_over(clean_db: str,
                                                                 make_settings: Callable[..., Settings]) -> None:
    settings = make_settings()
    async with connect(settings) as first_rt, connect(settings) as second_rt:
        first, second = Scheduler(first_rt), Scheduler(second_rt)
        assert await first.is_leader()
        assert not await second.is_leader()
        assert await first.is_leader()  # renewing its own lease
        await first.resign()
        assert await second.is_leader()
        assert not await first.is_leader()


async def test_due_source_is_enqueued_once_and_scheduled_ahead(clean_db: str,
                                                               make_settings: Callable[..., Settings]) -> None:
    settings = make_settings({"remotive": {"url": "http://127.0.0.1:9/never"}})
    async with connect(settings) as rt:
        scheduler = Scheduler(rt)
        await scheduler.sync_sources()
        assert await scheduler.enqueue_due() == ["remotive"]
        assert await scheduler.enqueue_due() == []
        queued = await rt.redis.zcard(settings.queue_name)
        assert queued == 1
        async with rt.pool.acquire() as conn:
            row = await conn.fetchrow(
                "SELECT enabled, next_run_at > now() AS ahead FROM sources WHERE name = 'remotive'")
            disabled = await conn.fetchval("SELECT count(*) FROM sources WHERE NOT enabled")
        assert row["enabled"] and row["ahead"]
        assert disabled == len(settings.sources) - 1
