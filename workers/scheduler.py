"""The scheduler: enqueue due sources and periodic sweeps, with one leader across all machines.

Leadership is a Redis key with a short expiry, renewed by the leader while it lives; a scheduler
that is not the leader just waits. The state that decides what is due lives in PostgreSQL
(sources.next_run_at), so a new leader picks up exactly where the old one stopped.

A claim pushes next_run_at out by FETCH_LEASE_SECONDS and keeps the fetch job's id with it; the
fetch job moves next_run_at on and clears the id when it records its outcome. A job that never
records one (Redis lost it from the queue, or it died when PostgreSQL went away) would leave the
source idle for the whole lease, so the leader watches every claimed fetch, including those an
earlier leader enqueued, and hands such a source straight back to the schedule.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import uuid

import asyncpg
import structlog
from arq.jobs import Job, JobStatus
from redis.exceptions import RedisError

from aggregator.runtime import Runtime
from aggregator.store import sources as store_sources
from workers import jobs

log = structlog.get_logger("hirewire.scheduler")

LEASE_SECONDS = 15.0
#: How long a claimed source is held before it may be enqueued again (its job timeout, with margin).
FETCH_LEASE_SECONDS = 1500.0

_RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then
    return redis.call('pexpire', KEYS[1], ARGV[2])
end
return redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) and 1 or 0
"""


class Scheduler:
    def __init__(self, rt: Runtime, *, tick: float = 5.0, sweep_every: float = 60.0) -> None:
        self.rt = rt
        self.tick = tick
        self.sweep_every = sweep_every
        self.identity = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.key = f"{rt.settings.redis_prefix}:scheduler:leader"
        self._stop = asyncio.Event()

    async def is_leader(self) -> bool:
        """Take or renew the leader lease."""
        result = await self.rt.redis.eval(_RENEW, 1, self.key, self.identity, str(int(LEASE_SECONDS * 1000)))  # type: ignore[misc]
        return bool(result)

    async def sync_sources(self) -> None:
        async with self.rt.pool.acquire() as conn:
            await store_sources.sync(conn, {name: cfg.enabled for name, cfg in self.rt.settings.sources.items()})

    async def enqueue_due(self) -> list[str]:
        """Enqueue a fetch for every source whose time has come; returns their names."""
        enqueued = []
        async with self.rt.pool.acquire() as conn:
            for name in await store_sources.due(conn):
                job_id = f"{self.rt.settings.redis_prefix}:fetch:{name}:{uuid.uuid4().hex[:8]}"
                # The claim commits only once the job is queued: Redis failing in between leaves the source due.
                async with conn.transaction():
                    if not await store_sources.claim(conn, name, FETCH_LEASE_SECONDS, job_id):
                        continue
                    await self.rt.enqueue(jobs.FETCH_SOURCE, name, job_id=job_id)
                enqueued.append(name)
        if enqueued:
            log.info("sources enqueued", sources=enqueued)
        return enqueued

    async def release_lost(self) -> list[str]:
        """Put sources whose fetch ended without recording an outcome back on the schedule; returns them.

        A fetch that returned normally has recorded its outcome (and moved next_run_at) itself. One that
        failed, or that Redis no longer knows (lost in a restart, or finished longer ago than arq keeps
        results), may not have: such a source is made due now, which at worst fetches it once more
        (ingest is idempotent).
        """
        released = []
        async with self.rt.pool.acquire() as conn:
            for name, job_id in await store_sources.fetches_in_flight(conn):
                job = Job(job_id, self.rt.redis, _queue_name=self.rt.settings.queue_name)
                status = await job.status()
                if status in (JobStatus.queued, JobStatus.deferred, JobStatus.in_progress):
                    continue
                info = await job.result_info() if status is JobStatus.complete else None
                succeeded = info is not None and info.success
                if await store_sources.release(conn, name, job_id, due=not succeeded) and not succeeded:
                    released.append(name)
        if released:
            log.warning("fetches ended without an outcome; sources due again", sources=released)
        return released

    async def run(self) -> None:
        await self.sync_sources()
        loop = asyncio.get_running_loop()
        last_sweep = 0.0
        while not self._stop.is_set():
            try:
                if await self.is_leader():
                    await self.release_lost()
                    await self.enqueue_due()
                    if loop.time() - last_sweep >= self.sweep_every:
                        await self.rt.enqueue(jobs.SWEEP)
                        last_sweep = loop.time()
            except (OSError, RedisError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                log.warning("scheduler tick failed", error=str(exc))  # PostgreSQL or Redis away: next tick
            except Exception as exc:
                log.exception("scheduler tick failed", error=str(exc))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), timeout=self.tick)
        await self.resign()

    async def resign(self) -> None:
        """Give up leadership at once so another scheduler takes over without waiting for expiry."""
        try:
            if (await self.rt.redis.get(self.key)) == self.identity.encode():
                await self.rt.redis.delete(self.key)
        except (OSError, RedisError):
            pass  # Redis away: the lease simply expires

    def stop(self) -> None:
        self._stop.set()
