"""`hirewire migrate` is idempotent: running the schema twice changes nothing."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable

import asyncpg

from aggregator.store import db

_CATALOG = """
SELECT 'column' AS kind, table_name || '.' || column_name || ':' || data_type AS what
  FROM information_schema.columns WHERE table_schema = 'public'
UNION ALL SELECT 'index', indexname || ':' || indexdef FROM pg_indexes WHERE schemaname = 'public'
UNION ALL SELECT 'view', viewname || ':' || md5(definition) FROM pg_views WHERE schemaname = 'public'
UNION ALL SELECT 'trigger', tgname FROM pg_trigger WHERE NOT tgisinternal
UNION ALL SELECT 'migration', version::text FROM schema_migrations
ORDER BY 1, 2
"""


async def test_migrate_twice_changes_nothing(clean_db: str) -> None:
    conn = await asyncpg.connect(clean_db)
    try:
        before = [tuple(r) for r in await conn.fetch(_CATALOG)]
        assert await db.migrate(conn) == []
        assert await db.migrate(conn) == []
        after = [tuple(r) for r in await conn.fetch(_CATALOG)]
    finally:
        await conn.close()
    assert before == after
    tables = {w.split(".")[0] for k, w in before if k == "column"}
    assert {"sources", "fetch_runs", "postings", "jobs", "subscribers", "alerts", "deliveries"} <= tables


def test_migrate_command(clean_db: str, cli_env: Callable[..., dict[str, str]]) -> None:
    for _ in range(2):
        result = subprocess.run([sys.executable, "-m", "aggregator", "migrate"], env=cli_env(),
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == f"schema at version {db.schema_version()}"
