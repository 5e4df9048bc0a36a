"""One worker process for the cross-process limit tests: COUNT concurrent GETs through a Fetcher.

    python -m tests.scrapers.hammer URL REDIS_URL PREFIX COUNT RATE BURST CONCURRENCY
"""

from __future__ import annotations

import asyncio
import sys

import redis.asyncio as aioredis

from aggregator.config import FetchSettings
from scrapers.fetch import Fetcher, Policy


async def main(url: str, redis_url: str, prefix: str, count: int, policy: Policy) -> None:
    client = aioredis.from_url(redis_url)
    try:
        async with Fetcher(FetchSettings(total_timeout=10.0), redis=client, prefix=prefix) as fetcher:
            await asyncio.gather(*(fetcher.get(f"{url}?n={i}", policy=policy) for i in range(count)))
    finally:
        await client.aclose()


if __name__ == "__main__":
    url, redis_url, prefix, count, rate, burst, concurrency = sys.argv[1:8]
    asyncio.run(main(url, redis_url, prefix, int(count),
                     Policy(rate=float(rate), burst=int(burst), concurrency=int(concurrency))))
