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

# GCRA: `tat` is the theoretical arrival time of the next request, in microseconds of server time.
# A request may go at tat - (burst - 1) * interval; reserving pushes tat on by one interval.
_RESERVE = """
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local tolerance = (tonumber(ARGV[2]) - 1) * interval
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local at = tat - tolerance
if at < now then at = now end
local new_tat = tat + interval
redis.call('SET', KEYS[1], string.format('%d', new_tat), 'PX', math.floor((new_tat - now) / 1000) + 1000)
return at - now
"""

_ACQUIRE = """
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lease = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], now + lease, ARGV[1])
  redis.call('PEXPIRE', KEYS[1], lease * 2)
  return 1
end
return 0
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
        self._reserve = redis.register_script(_RESERVE)
        self._acquire = redis.register_script(_ACQUIRE)
        self._renew = redis.register_script(_RENEW)

    def _key(self, host: str, kind: str) -> str:
        return f"{self.prefix}:host:{host.lower()}:{kind}"

    @contextlib.asynccontextmanager
    async def slot(self, host: str, limit: HostLimit) -> AsyncIterator[float]:
        """Hold one of the host's concurrency slots and wait for its next rate slot; yields the wait."""
        leases = self._key(host, "leases")
        token = uuid.uuid4().hex
        waited = await self._take_lease(leases, token, limit.concurrency)
        keeper = asyncio.create_task(self._keep(leases, token))
        try:
            interval_us = max(1, int(1_000_000 / limit.rate))
            delay_us = int(await self._reserve(keys=[self._key(host, "rate")],
                                               args=[interval_us, max(1, limit.burst)]))
            if delay_us > 0:
                await asyncio.sleep(delay_us / 1_000_000)
            yield waited + delay_us / 1_000_000
        finally:
            keeper.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):  # a failed renewal only shortens it
                await keeper
            await asyncio.shield(self.redis.zrem(leases, token))

    async def _take_lease(self, key: str, token: str, limit: int) -> float:
        loop = asyncio.get_running_loop()
        started = loop.time()
        pause = self.poll
        while not await self._acquire(keys=[key], args=[token, max(1, limit), self.lease_ms]):
            await asyncio.sleep(random.uniform(pause / 2, pause))
            pause = min(self.max_poll, pause * 1.5)
        return loop.time() - started

    async def _keep(self, key: str, token: str) -> None:
        """Renew the lease while the request runs, so a slow download keeps its slot."""
        while True:
            await asyncio.sleep(self.lease_ms / 3000)
            await self._renew(keys=[key], args=[token, self.lease_ms])
