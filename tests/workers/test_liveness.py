"""Worker heartbeats: the jobs of a worker that stopped answering are handed back to arq's queue at
once; a live worker's jobs, and a worker that left cleanly, are never touched."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from arq.constants import in_progress_key_prefix
from redis.asyncio import Redis

from workers.liveness import Liveness, tracked


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[tuple[Redis, str]]:
    client = Redis.from_url(redis_url)
    prefix = f"hwtest{uuid.uuid4().hex[:8]}"
    try:
        yield client, prefix
    finally:
        keys = [key async for key in client.scan_iter(f"{prefix}*")]
        keys += [key async for key in client.scan_iter(f"{in_progress_key_prefix}{prefix}*")]
        if keys:
            await client.delete(*keys)
        await client.aclose()


async def _running(client: Redis, job_id: str) -> None:
    """What arq writes when a worker starts a job: its in-progress mark."""
    await client.psetex(in_progress_key_prefix + job_id, 1_210_000, b"1")


async def test_a_dead_workers_jobs_are_handed_back_and_a_live_ones_are_not(redis: tuple[Redis, str]) -> None:
    client, prefix = redis
    live = Liveness(client, prefix, timeout=30)
    dead = Liveness(client, prefix, timeout=30)
    await live.start()
    await dead.start()
    try:
        for worker, job in ((live, f"{prefix}:fetch"), (dead, f"{prefix}:match"), (dead, f"{prefix}:send")):
            await _running(client, job)
            await worker.started(job)
        # The dead one is killed: its loop stops beating (no clean stop), and its heartbeat lapses.
        assert dead._task is not None
        dead._task.cancel()
        await client.delete(f"{prefix}:worker:{dead.identity}")
        reaper = Liveness(client, prefix, timeout=30)
        await reaper.start()  # a worker that starts reaps at once
        try:
            assert await client.exists(in_progress_key_prefix + f"{prefix}:match") == 0
            assert await client.exists(in_progress_key_prefix + f"{prefix}:send") == 0
            assert await client.exists(in_progress_key_prefix + f"{prefix}:fetch") == 1  # the live worker's
            members = {member.decode() for member in await client.smembers(f"{prefix}:workers")}
            assert members == {live.identity, reaper.identity}
            assert await client.exists(f"{prefix}:worker:{dead.identity}:jobs") == 0
            assert await reaper.reap() == []  # handed back once
        finally:
            await reaper.stop()
    finally:
        await live.stop()


async def test_reap_returns_the_handed_back_jobs(redis: tuple[Redis, str]) -> None:
    client, prefix = redis
    dead = Liveness(client, prefix, timeout=30)
    await dead.start()
    assert dead._task is not None
    dead._task.cancel()
    await dead.started(f"{prefix}:sweep")
    await _running(client, f"{prefix}:sweep")
    await client.delete(f"{prefix}:worker:{dead.identity}")
    other = Liveness(client, prefix, timeout=30)
    assert await other.reap() == [f"{prefix}:sweep"]


async def test_a_worker_that_stops_cleanly_leaves_nothing_to_reap(redis: tuple[Redis, str]) -> None:
    client, prefix = redis
    worker = Liveness(client, prefix, timeout=30)
    await worker.start()
    await worker.started(f"{prefix}:fetch")
    await worker.stop()
    assert [key async for key in client.scan_iter(f"{prefix}*")] == []


async def test_a_job_is_listed_under_its_worker_while_it_runs(redis: tuple[Redis, str]) -> None:
    client, prefix = redis
    worker = Liveness(client, prefix, timeout=30)
    await worker.start()
    jobs_key = f"{prefix}:worker:{worker.identity}:jobs"
    seen: list[set[bytes]] = []

    async def job(ctx: dict[str, object], value: int) -> int:
        seen.append(await client.smembers(jobs_key))
        if value < 0:
            raise ValueError("bad input")
        return value * 2

    try:
        assert await tracked(job)({"liveness": worker, "job_id": "j1"}, 21) == 42
        with pytest.raises(ValueError, match="bad input"):
            await tracked(job)({"liveness": worker, "job_id": "j2"}, -1)
        assert seen == [{b"j1"}, {b"j2"}]
        assert await client.smembers(jobs_key) == set()  # unlisted when done, failed or not
        assert await tracked(job)({}, 1) == 2  # outside a worker (no heartbeat): runs as it is
    finally:
        await worker.stop()
