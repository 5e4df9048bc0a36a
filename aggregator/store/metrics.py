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
    #: (source, status) -> fetch runs recorded in the last 24 hours, by every process.
    fetches_24h: dict[tuple[str, str], int]
    #: Postings that joined an existing job (the same job on another board).
    merged: int
    #: source -> Unix time of its last successful fetch (sources never read successfully are absent).
    last_success: dict[str, float]


async def figures(conn: asyncpg.Connection) -> Figures:
    deliveries = await conn.fetch("SELECT state, count(*) AS n FROM deliveries GROUP BY state")
    postings = await conn.fetch("SELECT source, count(*) AS n FROM postings GROUP BY source")
    failures = await conn.fetch("SELECT name, consecutive_failures, extract(epoch FROM last_success_at) AS success "
                                "FROM sources")
    jobs = await conn.fetchval("SELECT count(*) FROM jobs")
    fetches = await conn.fetch("SELECT source, status, count(*) AS n FROM fetch_runs "
                               "WHERE started_at > now() - interval '24 hours' GROUP BY source, status")
    postings_by_source = {r["source"]: r["n"] for r in postings}
    return Figures(deliveries={r["state"]: r["n"] for r in deliveries}, jobs=int(jobs or 0),
                   postings=postings_by_source,
                   failures={r["name"]: r["consecutive_failures"] for r in failures},
                   fetches_24h={(r["source"], r["status"]): r["n"] for r in fetches},
                   merged=max(0, sum(postings_by_source.values()) - int(jobs or 0)),
                   last_success={r["name"]: float(r["success"]) for r in failures if r["success"] is not None})
