"""Fetch engine throughput against a local server, and what the Redis rate limiter costs.

    python bench/bench_fetch.py [--requests 2000] [--concurrency 1,8,32] [--redis redis://127.0.0.1:6379/0]

The server runs in its own process so it does not share the client's event loop. For each
concurrency it prints requests/s without cross-process limits, with the Redis limiter set far above
the load (its cost: the extra time per request, from the two throughputs), and the achieved rate
when the limiter is the bottleneck.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import redis.asyncio as aioredis
from aiohttp import web
from redis.exceptions import RedisError

from aggregator.config import FetchSettings
from aggregator.embedded import free_port
from scrapers.fetch import Fetcher, Policy

BODY = b'{"jobs": [' + b", ".join([b'{"id": 1, "title": "Python engineer"}'] * 50) + b"]}"


def serve(port: int) -> None:
    async def handler(request: web.Request) -> web.Response:
        return web.Response(body=BODY, content_type="application/json")

    app = web.Application()
    app.router.add_get("/jobs", handler)
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


async def wait_for(port: int) -> None:
    for _ in range(100):
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        except OSError:
            await asyncio.sleep(0.05)
    raise SystemExit("the benchmark server did not start")


async def run(url: str, requests: int, concurrency: int, policy: Policy, redis: aioredis.Redis | None) -> float:
    """Requests per second for `requests` GETs, `concurrency` at a time."""
    async with Fetcher(FetchSettings(), redis=redis, prefix=f"bench{uuid.uuid4().hex[:8]}") as fetcher:
        queue = iter(range(requests))

        async def client() -> None:
            for _ in queue:
                await fetcher.get(url, policy=policy)

        await fetcher.get(url, policy=policy)  # warm the pool
        started = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(concurrency)))
        return requests / (time.perf_counter() - started)


async def main(args: argparse.Namespace) -> None:
    port = free_port()
    server = multiprocessing.Process(target=serve, args=(port,), daemon=True)
    server.start()
    try:
        await wait_for(port)
        url = f"http://127.0.0.1:{port}/jobs"
        redis: aioredis.Redis | None = aioredis.from_url(args.redis)
        try:
            await redis.ping()  # type: ignore[union-attr]
        except (OSError, RedisError):
            print(f"(no Redis at {args.redis}: limiter figures skipped)")
            redis = None
        print(f"{args.requests} GETs of a {len(BODY)}-byte JSON body from a local server, cpu count {os.cpu_count()}")
        print(f"{'concurrency':>11}  {'no limiter':>12}  {'Redis limiter':>13}  {'cost':>14}")
        for concurrency in args.concurrency:
            free = Policy(rate=1e6, burst=10_000, concurrency=concurrency)
            plain = await run(url, args.requests, concurrency, free, None)
            line = f"{concurrency:>11}  {plain:>8.0f} r/s"
            if redis is not None:
                limited = await run(url, args.requests, concurrency, free, redis)
                cost_ms = (1 / limited - 1 / plain) * 1000
                line += f"  {limited:>9.0f} r/s  {cost_ms:>+8.2f} ms/req"
            print(line)
        if redis is not None:
            target = 50.0
            paced = await run(url, 200, 8, Policy(rate=target, burst=5, concurrency=8), redis)
            print(f"limiter as the bottleneck: rate {target:.0f}/s burst 5 → achieved {paced:.1f} r/s over 200 GETs")
            await redis.aclose()
    finally:
        server.terminate()
        server.join(5)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=lambda s: [int(x) for x in s.split(",")], default=[1, 8, 32])
    parser.add_argument("--redis", default=os.environ.get("HIREWIRE_REDIS_URL", "redis://127.0.0.1:6379/0"))
    asyncio.run(main(parser.parse_args()))
