"""The match_jobs worker job over a batch split across connections, when one slice fails: what
committed is sent at once, the failure reaches arq (which retries), and the retry matches the rest."""

from __future__ import annotations

from collections.abc import Callable

import asyncpg
import pytest

from aggregator import match
from aggregator.alerts import parse_alert
from aggregator.config import Settings
from aggregator.runtime import connect
from aggregator.store import alerts as store_alerts
from tests.match.helpers import listing, store
from workers import jobs
from workers.notify import delivery_job_id

# A real failure inside PostgreSQL for the deliveries of one job, so that only its slice rolls back.
_FAIL_ONE_JOB = """
CREATE OR REPLACE FUNCTION fail_one_job() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.job_id = {job_id} THEN RAISE EXCEPTION 'delivery refused for job %', NEW.job_id; END IF;
    RETURN NEW;
END $$;
CREATE OR REPLACE TRIGGER fail_one_job BEFORE INSERT ON deliveries FOR EACH ROW EXECUTE FUNCTION fail_one_job();
"""
_MEND = "DROP TRIGGER IF EXISTS fail_one_job ON deliveries; DROP FUNCTION IF EXISTS fail_one_job()"


async def test_one_failed_slice_sends_what_committed_and_the_retry_matches_the_rest(
        clean_db: str, make_settings: Callable[..., Settings]) -> None:
    settings = make_settings()
    async with connect(settings) as rt:
        async with rt.pool.acquire() as conn:
            await store_alerts.create(conn, parse_alert({"query": "python", "channel": {"email": "ada@example.org"}}))
            job_ids = await store(conn, *[listing() for _ in range(240)])
            await conn.execute(_FAIL_ONE_JOB.format(job_id=job_ids[-1]))  # in the second slice of two
        try:
            ctx = {"runtime": rt}
            with pytest.raises(match.PartialMatchError) as raised:
                await jobs.match_jobs(ctx, job_ids)
            assert isinstance(raised.value.__cause__, asyncpg.RaiseError)
            async with rt.pool.acquire() as conn:
                sent_now = [r["id"] for r in await conn.fetch("SELECT id FROM deliveries ORDER BY id")]
                unmatched = [r["id"] for r in await conn.fetch(
                    "SELECT id FROM jobs WHERE matched_at IS NULL ORDER BY id")]
            assert (raised.value.result.jobs, len(sent_now)) == (120, 120)
            assert unmatched == job_ids[120:]
            assert sorted(raised.value.result.instant_ids or []) == sent_now
            queued = {key.decode() for key in await rt.redis.zrange(settings.queue_name, 0, -1)}
            assert queued == {delivery_job_id(settings.redis_prefix, delivery) for delivery in sent_now}
            # The fault is mended; arq's retry matches only what is still unmatched.
            async with rt.pool.acquire() as conn:
                await conn.execute(_MEND)
            assert await jobs.match_jobs(ctx, job_ids) == 120
            async with rt.pool.acquire() as conn:
                assert await conn.fetchval("SELECT count(*) FROM deliveries") == 240
                assert await conn.fetchval("SELECT count(*) FROM jobs WHERE matched_at IS NULL") == 0
            assert await rt.redis.zcard(settings.queue_name) == 240
        finally:
            async with rt.pool.acquire() as conn:
                await conn.execute(_MEND)
        await rt.redis.delete(settings.queue_name)


async def test_every_slice_failing_is_the_failure_itself(clean_db: str,
                                                         make_settings: Callable[..., Settings]) -> None:
    settings = make_settings()
    async with connect(settings) as rt:
        async with rt.pool.acquire() as conn:
            await store_alerts.create(conn, parse_alert({"query": "python", "channel": {"email": "ada@example.org"}}))
            job_ids = await store(conn, *[listing() for _ in range(240)])
            await conn.execute(_FAIL_ONE_JOB.replace("NEW.job_id = {job_id}", "true"))
        try:
            with pytest.raises(asyncpg.RaiseError):
                await jobs.match_jobs({"runtime": rt}, job_ids)
            assert await rt.redis.zcard(settings.queue_name) == 0
        finally:
            async with rt.pool.acquire() as conn:
                await conn.execute(_MEND)
