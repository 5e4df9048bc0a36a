"""Worker heartbeats: the jobs of a worker that stopped answering are handed back to arq's queue at
once; a live worker's jobs, and a worker that left cleanly, are never touched."""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Callable

import pytest
from arq.constants import in_progress_key_prefix
from redis.asyncio import Redis

from aggregator.config import Settings
from aggregator.runtime import connect
from tests.conftest import ROOT
from workers import jobs
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


async def test_hirewire_workers_shows_each_worker_its_heartbeat_and_its_jobs(
        clean_db: str, make_settings: Callable[..., Settings], cli_env: Callable[..., dict[str, str]]) -> None:
    settings = make_settings()
    env = cli_env(settings.config_path, HIREWIRE_REDIS_PREFIX=settings.redis_prefix)

    def hirewire_workers() -> list[str]:
        result = subprocess.run([sys.executable, "-m", "aggregator", "workers"], env=env, capture_output=True,
                                text=True, cwd=ROOT, timeout=60)
        assert result.returncode == 0, result.stderr
        return result.stdout.splitlines()

    assert hirewire_workers() == ["no worker is running"]
    async with connect(settings) as rt:
        await rt.enqueue(jobs.FETCH_SOURCE, "remotive", job_id="fetch-1")
        await rt.enqueue(jobs.MATCH_JOBS, [4, 5, 6], job_id="match-1")
        live = Liveness(rt.redis, settings.redis_prefix, timeout=30)
        dead = Liveness(rt.redis, settings.redis_prefix, timeout=30)
        await live.start()
        await dead.start()
        try:
            await live.started("fetch-1")
            await dead.started("match-1")
            assert dead._task is not None
            dead._task.cancel()
            await rt.redis.delete(f"{settings.redis_prefix}:worker:{dead.identity}")
            lines = hirewire_workers()
        finally:
            await live.stop()
    assert lines[0].split() == ["WORKER", "HEARTBEAT", "RUNNING"]
    rows = {line.split()[0]: line for line in lines[1:]}
    assert set(rows) == {live.identity, dead.identity}
    assert "s left" in rows[live.identity] and rows[live.identity].endswith("fetch_source('remotive')")
    assert "lapsed" in rows[dead.identity] and rows[dead.identity].endswith("match_jobs([3 ids])")
