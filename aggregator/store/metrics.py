"""Installation-wide figures for /metrics, read at scrape time.

Prometheus scrapes every 15 s or so, so nothing here may cost in proportion to the data kept: past
`EXACT_UP_TO` rows (PostgreSQL's own estimate of a table's size), the totals of jobs and postings and
the counts of finished deliveries come from the planner's statistics (`pg_class.reltuples`, and
`pg_stats` shares of each source or state), which autovacuum keeps within about a tenth; a source
or state too rare to be among its column's most common values is left out until it is not. What an
operator alerts on is always counted exactly, through the partial indexes that hold it: deliveries
waiting to be sent or retried, and those being sent.
"""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg

__all__ = ["EXACT_UP_TO", "Figures", "figures"]

#: Tables estimated to hold more rows than this are estimated rather than counted.
EXACT_UP_TO = 200_000


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


# Deliveries still to go: each branch is served by its partial index (deliveries_due, deliveries_stale).
_ACTIVE_DELIVERIES = """
SELECT state, count(*) AS n FROM deliveries WHERE state IN ('pending', 'failed') GROUP BY state
UNION ALL
SELECT 'sending', count(*) FROM deliveries WHERE state = 'sending'
"""
_ALL_DELIVERIES = "SELECT state, count(*) AS n FROM deliveries GROUP BY state"
_POSTINGS = "SELECT source, count(*) AS n FROM postings GROUP BY source"
_JOBS = "SELECT count(*) FROM jobs"
# The planner's row estimates of the counted tables; -1 before a table was first analysed.
_ROWS = """SELECT relname::text AS name, reltuples::bigint AS n FROM pg_class
WHERE oid = ANY(ARRAY['jobs', 'postings', 'deliveries']::regclass[])"""
# The share of rows holding each of a column's most common values, from the last ANALYZE.
_SHARES = """
SELECT most_common_vals::text::text[] AS vals, most_common_freqs AS freqs FROM pg_stats
WHERE schemaname = current_schema() AND tablename = $1 AND attname = $2
"""
_SOURCES = "SELECT name, consecutive_failures, extract(epoch FROM last_success_at) AS success FROM sources"
_FETCHES = """SELECT source, status, count(*) AS n FROM fetch_runs
WHERE started_at > now() - interval '24 hours' GROUP BY source, status"""


async def _by_value(conn: asyncpg.Connection, table: str, column: str, rows: int) -> dict[str, int]:
    """Rows per value of `column`, estimated from the shares of its most common values."""
    shares = await conn.fetchrow(_SHARES, table, column)
    if shares is None or shares["vals"] is None:
        return {}
    return {value: round(rows * share) for value, share in zip(shares["vals"], shares["freqs"], strict=True)}


async def _deliveries(conn: asyncpg.Connection, rows: int | None) -> dict[str, int]:
    if rows is None:
        return {r["state"]: r["n"] for r in await conn.fetch(_ALL_DELIVERIES)}
    active = {r["state"]: r["n"] for r in await conn.fetch(_ACTIVE_DELIVERIES)}
    finished = {state: n for state, n in (await _by_value(conn, "deliveries", "state", rows)).items()
                if state not in ("pending", "failed", "sending")}
    return {**finished, **active}


async def _postings(conn: asyncpg.Connection, rows: int | None) -> dict[str, int]:
    if rows is None:
        return {r["source"]: r["n"] for r in await conn.fetch(_POSTINGS)}
    return await _by_value(conn, "postings", "source", rows)


async def _jobs(conn: asyncpg.Connection, rows: int | None) -> int:
    return rows if rows is not None else int(await conn.fetchval(_JOBS) or 0)


async def figures(conn: asyncpg.Connection, *, exact_up_to: int = EXACT_UP_TO) -> Figures:
    # Each table's estimate when it is past `exact_up_to` (then it is estimated); absent: count it.
    estimated = {r["name"]: int(r["n"]) for r in await conn.fetch(_ROWS) if r["n"] > exact_up_to}
    deliveries = await _deliveries(conn, estimated.get("deliveries"))
    postings = await _postings(conn, estimated.get("postings"))
    jobs = await _jobs(conn, estimated.get("jobs"))
    sources = await conn.fetch(_SOURCES)
    fetches = await conn.fetch(_FETCHES)
    return Figures(deliveries=deliveries, jobs=jobs, postings=postings,
                   failures={r["name"]: r["consecutive_failures"] for r in sources},
                   fetches_24h={(r["source"], r["status"]): r["n"] for r in fetches},
                   merged=max(0, sum(postings.values()) - jobs),
                   last_success={r["name"]: float(r["success"]) for r in sources if r["success"] is not None})
