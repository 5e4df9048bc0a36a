"""Sources: schedule and health state, fetch runs, and conditional-GET validators."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import asyncpg


@dataclass(slots=True)
class FetchRun:
    """One attempt to read one URL of a source, as recorded in fetch_runs."""

    source: str
    url: str
    status: str  # ok | not_modified | error
    http_status: int | None = None
    bytes: int = 0
    duration_ms: int = 0
    attempts: int = 1
    listings: int = 0
    warnings: int = 0
    error_class: str | None = None
    error_message: str | None = None


async def sync(conn: asyncpg.Connection, enabled: dict[str, bool]) -> None:
    """Make sure every configured source has a row and its enabled flag matches the config."""
    await conn.execute(
        """INSERT INTO sources (name, enabled) SELECT * FROM unnest($1::text[], $2::boolean[])
           ON CONFLICT (name) DO UPDATE SET enabled = excluded.enabled""",
        list(enabled), list(enabled.values()))


async def due(conn: asyncpg.Connection) -> list[str]:
    """Enabled sources whose next run time has come."""
    rows = await conn.fetch(
        "SELECT name FROM sources WHERE enabled AND next_run_at <= now() ORDER BY next_run_at, name")
    return [row["name"] for row in rows]


async def claim(conn: asyncpg.Connection, name: str, lease_seconds: float, job_id: str) -> bool:
    """Push next_run_at out by a lease so the scheduler doesn't enqueue it again while it runs.

    The fetch job's id is kept with the claim until an outcome is recorded, so any scheduler can
    tell when that job ended without one.
    """
    return bool(await conn.fetchval(
        """UPDATE sources SET next_run_at = now() + make_interval(secs => $2), last_run_at = now(), fetch_job = $3
           WHERE name = $1 AND next_run_at <= now() RETURNING true""", name, lease_seconds, job_id))


async def fetches_in_flight(conn: asyncpg.Connection) -> list[tuple[str, str]]:
    """(source, fetch job id) of every claim still waiting for its fetch to record an outcome."""
    rows = await conn.fetch("SELECT name, fetch_job FROM sources WHERE fetch_job IS NOT NULL ORDER BY name")
    return [(row["name"], row["fetch_job"]) for row in rows]


async def release(conn: asyncpg.Connection, name: str, job_id: str, *, due: bool) -> bool:
    """Stop waiting for fetch `job_id` of `name` (and, if `due`, make the source due now).

    Only that claim is released: if the fetch recorded its outcome meanwhile, or the source was
    claimed again, nothing changes and False is returned.
    """
    return bool(await conn.fetchval(
        """UPDATE sources SET fetch_job = NULL, next_run_at = CASE WHEN $3 THEN now() ELSE next_run_at END
           WHERE name = $1 AND fetch_job = $2 RETURNING true""", name, job_id, due))


async def record_runs(conn: asyncpg.Connection, runs: Iterable[FetchRun]) -> None:
    rows = [(r.source, r.url, r.status, r.http_status, r.bytes, r.duration_ms, r.attempts, r.listings,
             r.warnings, r.error_class, (r.error_message or "")[:2000] or None) for r in runs]
    if rows:
        await conn.executemany(
            """INSERT INTO fetch_runs (source, url, status, http_status, bytes, duration_ms, attempts, listings,
                                       warnings, error_class, error_message)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)""", rows)


# Per source, oldest first, through fetch_runs_source_started (read backwards); `$2` caps one call.
_PRUNE_RUNS = """
DELETE FROM fetch_runs WHERE id = ANY(ARRAY(
    SELECT old.id FROM sources s CROSS JOIN LATERAL (
        SELECT f.id FROM fetch_runs f
        WHERE f.source = s.name AND f.started_at < now() - make_interval(days => $1)
        ORDER BY f.started_at LIMIT $2) old
    LIMIT $2))
"""


async def prune_runs(conn: asyncpg.Connection, older_than_days: int, *, limit: int) -> int:
    """Delete fetch attempts recorded more than `older_than_days` days ago, `limit` at most; returns
    how many went.

    `fetch_runs` gains a row per URL read (a sitemap of a thousand pages every six hours is 4,000 a
    day), and what it is for, telling why a source fails now, needs only the recent ones.
    """
    if older_than_days < 0:
        raise ValueError("older_than_days must not be negative")
    status: str = await conn.execute(_PRUNE_RUNS, older_than_days, limit)
    return int(status.rsplit(" ", 1)[-1])


async def record_success(conn: asyncpg.Connection, name: str, every: float) -> None:
    """Close the circuit: clear the failure count and schedule the next regular run."""
    await conn.execute(
        """UPDATE sources SET last_success_at = now(), consecutive_failures = 0, updated_at = now(),
                  next_run_at = now() + make_interval(secs => $2), fetch_job = NULL
           WHERE name = $1""", name, every)


async def record_failure(conn: asyncpg.Connection, name: str, error: str, every: float, max_backoff: float,
                         retry_after: float | None = None) -> int:
    """Count a failure and back the schedule off exponentially (capped); returns the failure count.

    The next run is the largest of the regular schedule, the backoff and a server's Retry-After.
    """
    failures: int = await conn.fetchval(
        """UPDATE sources SET consecutive_failures = consecutive_failures + 1, last_error_at = now(),
                  last_error = $2, updated_at = now(), fetch_job = NULL,
                  next_run_at = now() + make_interval(secs => greatest(
                      least($3 * power(2, consecutive_failures), $4), $3, coalesce($5, 0)))
           WHERE name = $1 RETURNING consecutive_failures""",
        name, error[:2000], every, max_backoff, retry_after)
    return failures


async def schedule(conn: asyncpg.Connection, name: str, when: datetime | None = None) -> None:
    """Run `name` at `when` (now if None), e.g. for `hirewire scrape`."""
    await conn.execute("UPDATE sources SET next_run_at = coalesce($2, now()) WHERE name = $1", name, when)


async def overview(conn: asyncpg.Connection) -> list[asyncpg.Record]:
    """Every source with its state, for `hirewire sources` and the API."""
    return list(await conn.fetch(
        """SELECT s.name, s.enabled, s.last_success_at, s.last_error_at, s.last_error, s.consecutive_failures,
                  s.next_run_at, s.last_run_at, s.fetch_job IS NOT NULL AS fetching,
                  (SELECT count(*) FROM postings p WHERE p.source = s.name AND p.closed_at IS NULL) AS listings
           FROM sources s ORDER BY s.name"""))


async def recent_runs(conn: asyncpg.Connection, name: str, limit: int = 10) -> list[asyncpg.Record]:
    """The source's last `limit` fetch attempts, newest first, for `hirewire sources NAME`."""
    return list(await conn.fetch(
        """SELECT started_at, url, status, http_status, duration_ms, attempts, bytes, listings, warnings,
                  error_class, error_message
           FROM fetch_runs WHERE source = $1 ORDER BY started_at DESC, id DESC LIMIT $2""", name, limit))


async def validators(conn: asyncpg.Connection, url: str) -> tuple[str | None, str | None]:
    row = await conn.fetchrow("SELECT etag, last_modified FROM http_cache WHERE url = $1", url)
    return (row["etag"], row["last_modified"]) if row else (None, None)


async def save_validators(conn: asyncpg.Connection, url: str, etag: str | None, last_modified: str | None) -> None:
    if etag is None and last_modified is None:
        await conn.execute("DELETE FROM http_cache WHERE url = $1", url)
        return
    await conn.execute(
        """INSERT INTO http_cache (url, etag, last_modified) VALUES ($1, $2, $3)
           ON CONFLICT (url) DO UPDATE SET etag = $2, last_modified = $3, updated_at = now()""",
        url, etag, last_modified)
