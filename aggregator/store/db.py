"""Connection pool and schema management."""

from __future__ import annotations

import contextlib
import json
import re
import uuid
from collections.abc import AsyncIterator
from importlib import resources
from pathlib import Path

import asyncpg

from aggregator.config import Settings

#: Advisory lock key held while migrating, so two processes starting at once don't race.
_MIGRATE_LOCK = 0x68697265


async def _init_connection(conn: asyncpg.Connection) -> None:
    await conn.set_type_codec("jsonb", encoder=json.dumps, decoder=json.loads, schema="pg_catalog")


async def create_pool(settings: Settings, *, min_size: int = 1, max_size: int = 10) -> asyncpg.Pool:
    """A pool on the configured database (jsonb decoded to Python values)."""
    if not settings.database_url:
        raise ValueError("database_url is not set (resolve the embedded default first)")
    pool = await asyncpg.create_pool(
        settings.database_url,
        min_size=min_size,
        max_size=max_size,
        init=_init_connection,
        statement_cache_size=settings.statement_cache_size,
        command_timeout=120,
    )
    assert pool is not None
    return pool


def with_database(url: str, name: str) -> str:
    """`url` naming database `name` instead (its user, host, port and query kept)."""
    head, mark, query = url.partition("?")
    scheme, _, rest = head.partition("://")
    authority = rest.partition("/")[0]
    return f"{scheme}://{authority}/{name}{mark}{query}"


@contextlib.asynccontextmanager
async def scratch_database(server_url: str, prefix: str, *, with_schema: bool = True) -> AsyncIterator[str]:
    """A new database on the server of `server_url` (optionally with hirewire's schema), dropped on exit.

    What runs on it (a test run, a benchmark, the demo) leaves the database the URL names untouched.
    Needs the CREATEDB privilege; the name is `prefix` and a random suffix.
    """
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(server_url)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        try:
            url = with_database(server_url, name)
            if with_schema:
                conn = await asyncpg.connect(url)
                try:
                    await migrate(conn)
                finally:
                    await conn.close()
            yield url
        finally:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


def schema_sql() -> str:
    return resources.files("aggregator").joinpath("schema.sql").read_text()


def _migrations() -> list[tuple[int, str]]:
    """Versioned upgrades shipped in aggregator/migrations/NNNN_name.sql, in order."""
    folder = resources.files("aggregator").joinpath("migrations")
    found = []
    for entry in folder.iterdir():
        match = re.match(r"^(\d+)_.*\.sql$", entry.name)
        if match:
            found.append((int(match.group(1)), entry.read_text()))
    return sorted(found)


def schema_version() -> int:
    """The version `schema.sql` brings a database to: the newest shipped upgrade, or 1."""
    return max([1, *(version for version, _ in _migrations())])


async def migrate(conn: asyncpg.Connection) -> list[int]:
    """Bring the schema to the current version; returns the upgrade versions applied.

    A database with no schema gets `schema.sql` whole, and every shipped upgrade is recorded as
    applied. A database at an earlier version gets the upgrades above its version in order, each
    recorded in schema_migrations, then `schema.sql` (idempotent) for views, functions and indexes.
    """
    applied: list[int] = []
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock($1)", _MIGRATE_LOCK)
        exists = await conn.fetchval("SELECT to_regclass('schema_migrations') IS NOT NULL")
        current = await conn.fetchval("SELECT max(version) FROM schema_migrations") if exists else None
        upgrades = _migrations()
        if current is not None:
            for version, sql in upgrades:
                if version > current:
                    await conn.execute(sql)
                    await conn.execute("INSERT INTO schema_migrations (version) VALUES ($1) "
                                       "ON CONFLICT DO NOTHING", version)
                    applied.append(version)
        await conn.execute(schema_sql())
        if current is None:
            await conn.executemany("INSERT INTO schema_migrations (version) VALUES ($1) ON CONFLICT DO NOTHING",
                                   [(version,) for version, _ in upgrades])
    return applied


def read_only_role_sql(role: str = "hirewire_reader") -> str:
    """SQL that creates a role able to read the versioned views and nothing else."""
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", role):
        raise ValueError("role: lower-case letters, digits and _ only")
    path = Path(__file__).with_name("read_only_role.sql")
    return path.read_text().replace("hirewire_reader", role)
