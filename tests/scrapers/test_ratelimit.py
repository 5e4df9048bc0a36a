"""Per-host limits hold across OS processes, because they live in Redis."""

from __future__ import annotations

import asyncio
import os
import sys
import time
import uuid
from collections.abc import Awaitable, Callable

import redis.asyncio as aioredis
from aiohttp import web

from scrapers.ratelimit import HostLimit, HostLimiter
from tests.conftest import ROOT

Serve = Callable[[web.Application], Awaitable[str]]
ARRIVALS = web.AppKey("arrivals", list[float])
PEAK = web.AppKey("peak", list[int])


def timestamping_app(delay: float = 0.0) -> web.Application:
    """Notes when each request arrives and the most requests ever in flight at once."""
    app = web.Application()
    arrivals: list[float] = []
    in_flight = [0]
    app[ARRIVALS], app[PEAK] = arrivals, [0]

    async def handler(request: web.Request) -> web.Response:
        arrivals.append(time.monotonic())
        in_flight[0] += 1
        app[PEAK][0] = max(app[PEAK][0], in_flight[0])
        try:
            await asyncio.sleep(delay)
        finally:
            in_flight[0] -= 1
        return web.Response(text="{}", content_type="application/json")

    app.router.add_get("/hit", handler)
    return app


async def run_workers(url: str, redis_url: str, prefix: str, *, processes: int, count: int, rate: float,
                      burst: int, concurrency: int) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    workers = [await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.scrapers.hammer", url, redis_url, prefix, str(count), str(rate), str(burst),
        str(concurrency), cwd=ROOT, env=env) for _ in range(processes)]
    codes = await asyncio.wait_for(asyncio.gather(*(w.wait() for w in workers)), 60)
    assert codes == [0] * processes


async def test_two_processes_never_exceed_the_rate(redis_url: str, http_server: Serve) -> None:
    app = timestamping_app()
    base = await http_server(app)
    rate, burst, count = 10.0, 3, 12
    await run_workers(f"{base}/hit", redis_url, f"hwtest{uuid.uuid4().hex[:8]}", processes=2, count=count,
                      rate=rate, burst=burst, concurrency=8)
    arrivals = sorted(app[ARRIVALS])
    assert len(arrivals) == 2 * count
    # Any window [t_i, t_j] holds at most burst + rate * (t_j - t_i) requests (one spare for network jitter)...
    for i in range(len(arrivals)):
        for j in range(i, len(arrivals)):
            assert j - i + 1 <= burst + rate * (arrivals[j] - arrivals[i]) + 1, (i, j)
    # ...so any one-second window holds at most rate + burst.
    assert max(sum(1 for t in arrivals if start <= t < start + 1) for start in arrivals) <= rate + burst
    # And the limit really was what paced them: 24 requests at 10/s after a burst of 3.
    assert arrivals[-1] - arrivals[0] >= (2 * count - burst) / rate * 0.9


async def test_two_processes_share_the_concurrency_cap(redis_url: str, http_server: Serve) -> None:
    app = timestamping_app(delay=0.15)
    base = await http_server(app)
    await run_workers(f"{base}/hit", redis_url, f"hwtest{uuid.uuid4().hex[:8]}", processes=2, count=6,
                      rate=1000.0, burst=100, concurrency=2)
    assert len(app[ARRIVALS]) == 12
    assert app[PEAK][0] == 2


async def test_a_dead_holders_lease_expires(redis_url: str) -> None:
    """A process that dies holding a slot stops renewing it; the slot comes free after the lease."""
    prefix = f"hwtest{uuid.uuid4().hex[:8]}"
    script = (
        "import asyncio, os, redis.asyncio as r\n"
        "from scrapers.ratelimit import HostLimit, HostLimiter\n"
        "async def main():\n"
        f"    limiter = HostLimiter(r.from_url({redis_url!r}), {prefix!r}, lease=1.0)\n"
        "    async with limiter.slot('example.org', HostLimit(100.0, 10, 1)):\n"
        "        print('held', flush=True)\n"
        "        os._exit(0)\n"
        "asyncio.run(main())\n")
    dying = await asyncio.create_subprocess_exec(sys.executable, "-c", script, cwd=ROOT,
                                                 stdout=asyncio.subprocess.PIPE)
    out, _ = await dying.communicate()
    assert out.strip() == b"held"
    client = aioredis.from_url(redis_url)
    try:
        limiter = HostLimiter(client, prefix, lease=1.0)
        started = time.monotonic()
        async with limiter.slot("example.org", HostLimit(100.0, 10, 1)) as waited:
            elapsed = time.monotonic() - started
        assert 0.3 <= elapsed < 2.5 and waited >= 0.3
        # Released on exit: the next caller gets it at once.
        started = time.monotonic()
        async with limiter.slot("example.org", HostLimit(100.0, 10, 1)):
            assert time.monotonic() - started < 0.2
    finally:
        await client.aclose()


async def test_bucket_allows_a_burst_then_paces(redis_url: str) -> None:
    client = aioredis.from_url(redis_url)
    try:
        limiter = HostLimiter(client, f"hwtest{uuid.uuid4().hex[:8]}")
        limit = HostLimit(rate=20.0, burst=4, concurrency=10)
        started = time.monotonic()

        async def one() -> float:
            async with limiter.slot("Example.org:443", limit):
                return time.monotonic() - started

        times = sorted(await asyncio.gather(*(one() for _ in range(8))))
        assert times[3] < 0.1  # the burst goes at once
        for k in range(4, 8):  # then one every 1/20 s: never early (lateness is only the loop's)
            assert times[k] >= (k - 3) * 0.05 - 0.005, times
        assert times[-1] < 0.6
    finally:
        await client.aclose()
