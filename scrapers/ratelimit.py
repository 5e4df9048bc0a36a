"""Per-host politeness that holds across every worker process on every machine: it lives in Redis.

Two limits per host, each one atomic Lua script timed by the Redis server's clock (so machines with
skewed clocks still agree):

- a rate limit as a GCRA token bucket (`rate` requests per second, `burst` at once). A caller
  *reserves* the next free slot and sleeps until it, so waiters are served in order without polling;
- a concurrency cap as a sorted set of leases scored by expiry. A holder renews its lease while it
  works, and a process that dies simply stops renewing: its slot frees itself when the lease ends.

The concurrency slot is taken first and the rate slot second, so requests that queued for a slot
cannot all leave together and exceed the rate.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

from redis.asyncio import Redis

__all__ = ["HostLimit", "HostLimiter"]

# One round trip per request: take a lease on the host's concurrency set (KEYS[1]) if one is free,
# then reserve the next rate slot (KEYS[2]). Returns -1 when no lease is free, else the microseconds
# to wait. GCRA: `tat` is the theoretical arrival time of the next request (server time, µs); a
# request may go at tat - (burst - 1) * interval, and reserving pushes tat on by one interval.
_ACQUIRE = """
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now_us = tonumber(t[1]) * 1000000 + tonumber(t[2])
local now_ms = math.floor(now_us / 1000)
local lease = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now_ms)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  return -1
end
redis.call('ZADD', KEYS[1], now_ms + lease, ARGV[1])
redis.call('PEXPIRE', KEYS[1], lease * 2)
local interval = tonumber(ARGV[4])
local tolerance = (tonumber(ARGV[5]) - 1) * interval
local tat = tonumber(redis.call('GET', KEYS[2]) or '0')
if tat < now_us then tat = now_us end
local at = tat - tolerance
if at < now_us then at = now_us end
local new_tat = tat + interval
redis.call('SET', KEYS[2], string.format('%d', new_tat), 'PX', math.floor((new_tat - now_us) / 1000) + 1000)
return at - now_us
"""

_RENEW = """
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lease = tonumber(ARGV[2])
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  redis.call('ZADD', KEYS[1], 'XX', now + lease, ARGV[1])
  redis.call('PEXPIRE', KEYS[1], lease * 2)
  return 1
end
return 0
"""


@dataclass(frozen=True, slots=True)
class HostLimit:
    """How hard one host may be hit: requests per second, requests at once after a pause, in flight."""

    rate: float
    burst: int = 1
    concurrency: int = 1


class HostLimiter:
    """Grants per-host request slots from Redis; use `async with limiter.slot(host, limit)`."""

    def __init__(self, redis: Redis, prefix: str = "hirewire", *, lease: float = 30.0,
                 poll: float = 0.02, max_poll: float = 0.25) -> None:
        self.redis = redis
        self.prefix = prefix
        self.lease_ms = max(1000, int(lease * 1000))
        self.poll = poll
        self.max_poll = max_poll
        self._acquire = redis.register_script(_ACQUIRE)
        self._renew = redis.register_script(_RENEW)

    def _key(self, host: str, kind: str) -> str:
        return f"{self.prefix}:host:{host.lower()}:{kind}"

    @contextlib.asynccontextmanager
    async def slot(self, host: str, limit: HostLimit) -> AsyncIterator[float]:
        """Hold one of the host's concurrency slots and wait for its next rate slot; yields the wait."""
        leases = self._key(host, "leases")
        token = uuid.uuid4().hex
        waited, delay_us = await self._take(host, leases, token, limit)
        keeper = asyncio.create_task(self._keep(leases, token))
        try:
            if delay_us > 0:
                await asyncio.sleep(delay_us / 1_000_000)
            yield waited + delay_us / 1_000_000
        finally:
            keeper.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):  # a failed renewal only shortens it
                await keeper
            await asyncio.shield(self.redis.zrem(leases, token))

    async def _take(self, host: str, leases: str, token: str, limit: HostLimit) -> tuple[float, int]:
        """Poll (with growing, jittered pauses) until a lease is free; (seconds waited, µs to the rate slot)."""
        loop = asyncio.get_running_loop()
        started = loop.time()
        pause = self.poll
        args: list[str | int] = [token, max(1, limit.concurrency), self.lease_ms, max(1, int(1_000_000 / limit.rate)),
                max(1, limit.burst)]
        while (delay_us := int(await self._acquire(keys=[leases, self._key(host, "rate")], args=args))) < 0:
            await asyncio.sleep(random.uniform(pause / 2, pause))
            pause = min(self.max_poll, pause * 1.5)
        return loop.time() - started, delay_us

    async def _keep(self, key: str, token: str) -> None:
        """Renew the lease while the request runs, so a slow download keeps its slot."""
        while True:
            await asyncio.sleep(self.lease_ms / 3000)
            await self._renew(keys=[key], args=[token, self.lease_ms])
