"""The scheduler: one leader across processes, due sources enqueued once, failover on resignation, and
fetches that ended without an outcome handed back to the schedule by whichever scheduler leads."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable

from arq.constants import job_key_prefix

from aggregator.config import Settings
from aggregator.runtime import Runtime, connect
from aggregator.store import sources as store_sources
from tests.conftest import ROOT
from workers.scheduler import Scheduler

_NOWHERE = {"url": "http://127.0.0.1:9/never"}


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


async def _lose(rt: Runtime, job_id: str) -> None:
    """What a Redis restart without persistence does to a queued job."""
    await rt.redis.delete(job_key_prefix + job_id)
    await rt.redis.zrem(rt.settings.queue_name, job_id)


async def _claims(rt: Runtime) -> dict[str, tuple[str | None, bool]]:
    async with rt.pool.acquire() as conn:
        rows = await conn.fetch("SELECT name, fetch_job, next_run_at <= now() AS due FROM sources WHERE enabled")
    return {r["name"]: (r["fetch_job"], r["due"]) for r in rows}


async def test_a_new_leader_hands_back_a_source_whose_fetch_redis_lost(clean_db: str,
                                                                       make_settings: Callable[..., Settings]) -> None:
    settings = make_settings({"remotive": _NOWHERE, "jobicy": _NOWHERE})
    async with connect(settings) as old_rt, connect(settings) as new_rt:
        old = Scheduler(old_rt)
        await old.sync_sources()
        assert await old.is_leader()
        assert await old.enqueue_due() == ["jobicy", "remotive"]
        claimed = await _claims(old_rt)
        await _lose(old_rt, str(claimed["remotive"][0]))
        await old.resign()  # the old leader goes; its successor never saw these jobs enqueued

        new = Scheduler(new_rt)
        assert await new.is_leader()
        assert await new.release_lost() == ["remotive"]
        after = await _claims(new_rt)
        assert await new.enqueue_due() == ["remotive"]
        again = await _claims(new_rt)
    assert claimed["jobicy"][0] and claimed["remotive"][0] and not claimed["remotive"][1]
    assert after == {"jobicy": claimed["jobicy"], "remotive": (None, True)}  # jobicy's fetch is still queued
    assert again["remotive"][0] not in (None, claimed["remotive"][0]) and not again["remotive"][1]


async def test_a_fetch_that_recorded_its_outcome_keeps_its_schedule(clean_db: str,
                                                                    make_settings: Callable[..., Settings]) -> None:
    settings = make_settings({"remotive": _NOWHERE})
    async with connect(settings) as rt:
        scheduler = Scheduler(rt)
        await scheduler.sync_sources()
        assert await scheduler.enqueue_due() == ["remotive"]
        job_id, _ = (await _claims(rt))["remotive"]
        async with rt.pool.acquire() as conn:  # as the fetch job does, before arq forgets it
            await store_sources.record_failure(conn, "remotive", "connection refused", every=3600, max_backoff=7200)
        await _lose(rt, str(job_id))
        assert await scheduler.release_lost() == []
        after = await _claims(rt)
    assert after == {"remotive": (None, False)}  # backed off as the failure asked, not made due at once


async def test_hirewire_sources_shows_a_claimed_source_as_fetching(clean_db: str,
                                                                   make_settings: Callable[..., Settings],
                                                                   cli_env: Callable[..., dict[str, str]]) -> None:
    settings = make_settings({"remotive": _NOWHERE, "jobicy": _NOWHERE})
    async with connect(settings) as rt:
        scheduler = Scheduler(rt)
        await scheduler.sync_sources()
        async with rt.pool.acquire() as conn:
            await conn.execute("UPDATE sources SET next_run_at = now() + interval '1 hour' WHERE name = 'jobicy'")
        assert await scheduler.enqueue_due() == ["remotive"]
    env = cli_env(settings.config_path, HIREWIRE_REDIS_PREFIX=settings.redis_prefix)
    result = subprocess.run([sys.executable, "-m", "aggregator", "sources"], env=env, capture_output=True, text=True,
                            cwd=ROOT, timeout=60)
    rows = {line.split()[0]: line for line in result.stdout.splitlines()[1:]}
    assert result.returncode == 0, result.stderr
    assert "fetching since" in rows["remotive"]
    assert "fetching" not in rows["jobicy"]
