"""Installation-wide figures for /metrics, read at scrape time (cheap aggregate queries)."""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg

__all__ = ["Figures", "figures"]


@dataclass(frozen=True, slots=True)
class Figures:
    deliveries: dict[str, int]
    jobs: int
    postings: dict[str, int]
    failures: dict[str, int]


async def figures(conn: asyncpg.Connection) -> Figures:
    deliveries = await conn.fetch("SELECT state, count(*) AS n FROM deliveries GROUP BY state")
    postings = await conn.fetch("SELECT source, count(*) AS n FROM postings GROUP BY source")
    failures = await conn.fetch("SELECT name, consecutive_failures FROM sources")
    jobs = await conn.fetchval("SELECT count(*) FROM jobs")
    return Figures(deliveries={r["state"]: r["n"] for r in deliveries}, jobs=int(jobs or 0),
                   postings={r["source"]: r["n"] for r in postings},
                   failures={r["name"]: r["consecutive_failures"] for r in failures})
