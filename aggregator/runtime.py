"""The process's live resources: settings, the database pool, Redis, the fetcher.

`open_runtime` resolves the embedded default (private servers when no URLs are set), connects,
optionally migrates, and tears everything down in reverse order on exit.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import unquote, urlsplit

import asyncpg
from arq.connections import ArqRedis, RedisSettings, create_pool
from redis.exceptions import RedisError

from aggregator.config import Settings
from aggregator.embedded import EmbeddedServers
from aggregator.errors import ConfigError
from aggregator.store import db


@dataclass(slots=True)
class Runtime:
    settings: Settings
    pool: asyncpg.Pool
    redis: ArqRedis

    async def enqueue(self, function: str, *args: Any, job_id: str | None = None, defer: float | None = None) -> None:
        """Put an arq job on hirewire's queue (deduplicated by `job_id` while it is queued)."""
        await self.redis.enqueue_job(function, *args, _job_id=job_id, _queue_name=self.settings.queue_name,
                                     _defer_by=defer)


def redis_settings(url: str) -> RedisSettings:
    return RedisSettings.from_dsn(url)


def _unreachable(setting: str, url: str, exc: BaseException) -> ConfigError:
    """The one line for a server that does not answer, without the URL's password in it.

    Drivers word their own errors (host and port, not the URL), but a password that also happens to
    be written in one (a server echoing a bad AUTH, say) is masked all the same.
    """
    message = str(exc) or type(exc).__name__
    password = urlsplit(url).password
    for written in {password, unquote(password)} if password else ():
        message = message.replace(written, "***")
    return ConfigError(setting, f"cannot connect: {message}")


def _secret_key(settings: Settings) -> Settings:
    """Keep a generated signing key in the data directory when none is configured."""
    if settings.secret_key:
        return settings
    path = settings.data_dir / "secret_key"
    try:
        key = path.read_text().strip()
    except FileNotFoundError:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(32)
        path.write_text(key)
        path.chmod(0o600)
    return replace(settings, secret_key=key)


@contextlib.contextmanager
def resolved(settings: Settings) -> Any:
    """Settings with both URLs filled in, starting private servers for the ones left unset."""
    embedded: EmbeddedServers | None = None
    if not settings.database_url or not settings.redis_url:
        embedded = EmbeddedServers(settings.data_dir)
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        database_url, redis_url = settings.database_url, settings.redis_url
        try:
            if not database_url:
                database_url = embedded.start_postgres()
            if not redis_url:
                redis_url = embedded.start_redis()
        except Exception:
            embedded.stop()
            raise
        settings = settings.with_urls(database_url, redis_url)
    try:
        yield _secret_key(settings)
    finally:
        if embedded is not None:
            embedded.stop()


@contextlib.asynccontextmanager
async def connect(settings: Settings, *, migrate: bool = False, pool_size: int = 10) -> AsyncIterator[Runtime]:
    """A Runtime on already-resolved settings."""
    assert settings.database_url and settings.redis_url
    try:
        pool = await db.create_pool(settings, max_size=pool_size)
    except (OSError, asyncpg.PostgresError, ValueError) as exc:  # ValueError: a URL asyncpg cannot read
        raise _unreachable("HIREWIRE_DATABASE_URL", settings.database_url, exc) from None
    try:
        if migrate:
            async with pool.acquire() as conn:
                await db.migrate(conn)
        else:
            async with pool.acquire() as conn:
                if not await conn.fetchval("SELECT to_regclass('jobs') IS NOT NULL"):
                    raise ConfigError("database", "no hirewire schema here yet: run `hirewire migrate`")
        try:
            # One try, as for PostgreSQL: a command should say at once that Redis is not there, not
            # after arq's five retries a second apart. (A running worker's own reconnects are arq's.)
            redis = await create_pool(replace(redis_settings(settings.redis_url), conn_retries=0),
                                      default_queue_name=settings.queue_name)
        except (OSError, RedisError) as exc:
            raise _unreachable("HIREWIRE_REDIS_URL", settings.redis_url, exc) from None
        try:
            yield Runtime(settings=settings, pool=pool, redis=redis)
        finally:
            await redis.aclose()
    finally:
        await pool.close()
