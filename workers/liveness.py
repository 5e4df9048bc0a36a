"""A killed worker's jobs run again within seconds, not after arq's in-progress mark runs out.

arq marks a job it starts "in progress" for the longest job timeout plus 10 s (over twenty minutes
here), and no worker takes that job meanwhile. A worker killed mid-job (SIGKILL, the OOM killer, a
lost machine) leaves its jobs so marked: a source goes unfetched, a batch of new jobs unmatched, a
`worker --burst` waits, for twenty minutes.

So each worker keeps a heartbeat key in Redis and lists the jobs it is running. Every worker, on
each beat, looks for workers whose heartbeat has lapsed and deletes the in-progress marks of their
jobs, which are still in arq's queue: the next poll runs them again (arq counts another try). The
check and the deletion are one Lua script, so two workers reaping the same dead one, or a worker
starting one of its jobs meanwhile, cannot interleave with it.

Every job is idempotent (PostgreSQL decides), so a worker presumed dead that was only cut off from
Redis for longer than the timeout costs at most a second run of what it was doing.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import socket
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import structlog
from arq.constants import in_progress_key_prefix
from redis.asyncio import Redis
from redis.exceptions import RedisError

__all__ = ["Liveness", "WorkerState", "tracked", "workers"]

log = structlog.get_logger("hirewire.liveness")

# KEYS: the set of worker identities. ARGV: key prefix, arq's in-progress prefix, the reaper's identity.
# For each worker whose heartbeat key is gone: its jobs' in-progress marks, its job list and its
# membership are deleted. Returns the job ids handed back.
_REAP = """
local handed = {}
for _, worker in ipairs(redis.call('smembers', KEYS[1])) do
    if worker ~= ARGV[3] and redis.call('exists', ARGV[1] .. worker) == 0 then
        local jobs_key = ARGV[1] .. worker .. ':jobs'
        for _, job in ipairs(redis.call('smembers', jobs_key)) do
            redis.call('del', ARGV[2] .. job)
            table.insert(handed, job)
        end
        redis.call('del', jobs_key)
        redis.call('srem', KEYS[1], worker)
    end
end
return handed
"""


class Liveness:
    """One worker's heartbeat and list of running jobs, and the reaper of other workers' lapsed ones."""

    def __init__(self, redis: Redis, prefix: str, *, timeout: float = 30.0) -> None:
        self.redis = redis
        self.timeout = timeout
        self.identity = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._workers = _workers_key(prefix)
        self._prefix = _worker_prefix(prefix)
        self._alive, self._jobs = _worker_keys(prefix, self.identity)
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Beat once and join the workers (a failure here fails the worker's start), then beat on."""
        await self.beat()
        await self.redis.sadd(self._workers, self.identity)  # type: ignore[misc]
        await self.reap()
        self._task = asyncio.create_task(self._run(), name="hirewire-liveness")

    async def stop(self) -> None:
        """Leave cleanly: nothing of this worker is left for others to reap."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        with contextlib.suppress(RedisError, OSError):
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.delete(self._alive, self._jobs)
                pipe.srem(self._workers, self.identity)
                await pipe.execute()

    async def beat(self) -> None:
        await self.redis.set(self._alive, b"1", px=int(self.timeout * 1000))

    async def reap(self) -> list[str]:
        """Hand back the jobs of every worker whose heartbeat has lapsed; returns their ids."""
        handed = await self.redis.eval(_REAP, 1, self._workers, self._prefix, in_progress_key_prefix,  # type: ignore[misc]
                                       self.identity)
        jobs = [job.decode() if isinstance(job, bytes) else str(job) for job in handed]
        if jobs:
            log.warning("a worker stopped answering; its jobs will run again", jobs=jobs)
        return jobs

    async def started(self, job_id: str) -> None:
        await self.redis.sadd(self._jobs, job_id)  # type: ignore[misc]

    async def finished(self, job_id: str) -> None:
        await self.redis.srem(self._jobs, job_id)  # type: ignore[misc]

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.timeout / 3)
            try:
                await self.beat()
                await self.reap()
            except Exception as exc:  # Redis away, or anything else: the loop must not die, or this
                # live worker would be taken for dead and its jobs run twice.
                log.warning("heartbeat failed", error=str(exc))


def _workers_key(prefix: str) -> str:
    return f"{prefix}:workers"


def _worker_prefix(prefix: str) -> str:
    return f"{prefix}:worker:"


def _worker_keys(prefix: str, identity: str) -> tuple[str, str]:
    """A worker's heartbeat key and the key of its running jobs (the Lua script builds the same)."""
    alive = f"{_worker_prefix(prefix)}{identity}"
    return alive, f"{alive}:jobs"


@dataclass(frozen=True, slots=True)
class WorkerState:
    """A worker as its heartbeat shows it (what `hirewire workers` prints)."""

    identity: str
    #: Milliseconds its heartbeat has left; None when it has lapsed (its jobs are about to be handed back).
    heartbeat_ms: int | None
    #: Ids of the arq jobs it is running.
    jobs: tuple[str, ...]


async def workers(redis: Redis, prefix: str) -> list[WorkerState]:
    """Every worker that has joined and not left or been reaped, in identity order."""
    identities = sorted(member.decode() for member in await redis.smembers(_workers_key(prefix)))  # type: ignore[misc]
    if not identities:
        return []
    async with redis.pipeline(transaction=False) as pipe:
        for identity in identities:
            alive, running = _worker_keys(prefix, identity)
            pipe.pttl(alive)
            pipe.smembers(running)
        replies = await pipe.execute()
    return [WorkerState(identity, ttl if ttl >= 0 else None, tuple(sorted(job.decode() for job in jobs)))
            for identity, ttl, jobs in zip(identities, replies[::2], replies[1::2], strict=True)]


def tracked(function: Callable[..., Awaitable[Any]]) -> Any:
    """The job function, listed under its worker's heartbeat while it runs.

    A job runs even when Redis refuses the listing (it is only what lets another worker take the
    job over sooner should this one die).
    """

    @functools.wraps(function)
    async def run(ctx: dict[str, Any], *args: Any) -> Any:
        liveness: Liveness | None = ctx.get("liveness")
        job_id: str | None = ctx.get("job_id")
        if liveness is None or job_id is None:
            return await function(ctx, *args)
        try:
            await liveness.started(job_id)
        except (RedisError, OSError) as exc:
            log.warning("job not listed under its worker", job=job_id, error=str(exc))
        try:
            return await function(ctx, *args)
        finally:
            with contextlib.suppress(RedisError, OSError):
                await liveness.finished(job_id)

    return run
