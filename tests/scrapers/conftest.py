"""Fixtures for the fetch engine: a Fetcher on this run's Redis with tight, fast settings."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import replace

import pytest
import redis.asyncio as aioredis

from aggregator.config import FetchSettings
from scrapers.fetch import Fetcher

#: Small timeouts, caps and waits so that every chaos case ends in well under a second or two.
FAST = FetchSettings(connect_timeout=0.5, read_timeout=0.3, total_timeout=1.0, max_bytes=64 * 1024,
                     max_redirects=3, max_attempts=3, max_retry_after=3.0, backoff_base=0.05, max_backoff=60.0,
                     lease=2.0)


@pytest.fixture
async def redis_client(redis_url: str) -> AsyncIterator[aioredis.Redis]:
    client = aioredis.from_url(redis_url)
    yield client
    await client.aclose()


@pytest.fixture
def make_fetcher(redis_client: aioredis.Redis) -> Callable[..., AbstractAsyncContextManager[Fetcher]]:
    """A Fetcher with FAST settings (overridable) on a Redis key prefix of its own."""

    def make(**overrides: object) -> AbstractAsyncContextManager[Fetcher]:
        settings = replace(FAST, **overrides)  # type: ignore[arg-type]
        return Fetcher(settings, redis=redis_client, prefix=f"hwtest{uuid.uuid4().hex[:8]}")

    return make
