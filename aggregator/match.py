"""Matching new canonical jobs against saved alerts, set-at-a-time in PostgreSQL.

One statement per batch of jobs: it locks the batch's unmatched jobs, writes a `deliveries` row for
every (alert, job) that matches (unique per alert and job, and per destination and job, so a
subscriber whose two alerts match one job is sent it once), and marks the jobs matched, all in one
transaction. A crash before commit leaves the jobs unmatched for the retry; after commit, a retry
finds nothing left to do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import asyncpg

__all__ = ["MatchResult", "match_jobs", "unmatched_job_ids"]

# The filters of an alert, as a predicate over alert `a` and job `j`.
ALERT_FILTERS = """
    (a.query = '' OR j.search @@ websearch_to_tsquery('english', a.query))
    AND (cardinality(a.remote) = 0 OR j.remote = ANY(a.remote))
    AND (cardinality(a.seniority) = 0 OR j.seniority = ANY(a.seniority))
    AND (cardinality(a.employment_types) = 0 OR j.employment_type = ANY(a.employment_types))
    AND (cardinality(a.sources) = 0 OR EXISTS (
            SELECT 1 FROM postings p WHERE p.job_id = j.id AND p.source = ANY(a.sources)))
    AND (cardinality(a.skills_any) = 0 OR j.skills && a.skills_any)
    AND j.skills @> a.skills_all
    AND (cardinality(a.exclude_companies) = 0 OR NOT (j.company_key = ANY(a.exclude_companies)))
    AND (a.max_age_days IS NULL OR coalesce(j.posted_at, j.first_seen) >= now() - make_interval(days => a.max_age_days))
    AND (a.min_salary_usd IS NULL
         OR coalesce(j.salary_usd_max, j.salary_usd_min) >= a.min_salary_usd
         OR (a.include_unknown_salary AND j.salary_usd_min IS NULL AND j.salary_usd_max IS NULL))
    AND (cardinality(a.countries) = 0
         OR j.countries && a.countries
         OR (j.remote = 'remote' AND (
                (cardinality(j.countries) = 0 AND cardinality(j.remote_regions) = 0)
                OR 'Worldwide' = ANY(j.remote_regions)
                OR j.remote_regions && a.regions)))
"""

_MATCH = f"""
WITH batch AS (
    SELECT * FROM jobs WHERE id = ANY($1::bigint[]) AND matched_at IS NULL
    ORDER BY id FOR UPDATE SKIP LOCKED
),
matches AS (
    SELECT DISTINCT ON (coalesce(lower(a.email), a.webhook_url), j.id)
           a.id AS alert_id, j.id AS job_id, coalesce(lower(a.email), a.webhook_url) AS destination
    FROM batch j JOIN alerts a ON a.status = 'active'
    WHERE {ALERT_FILTERS}
    ORDER BY coalesce(lower(a.email), a.webhook_url), j.id, a.id
),
inserted AS (
    INSERT INTO deliveries (alert_id, job_id, destination)
    SELECT alert_id, job_id, destination FROM matches
    ON CONFLICT DO NOTHING
    RETURNING id, alert_id
),
marked AS (
    UPDATE jobs SET matched_at = now() WHERE id IN (SELECT id FROM batch) RETURNING id
)
SELECT i.id, a.frequency, (SELECT count(*) FROM marked) AS jobs
FROM inserted i JOIN alerts a ON a.id = i.alert_id
"""


@dataclass(slots=True)
class MatchResult:
    jobs: int = 0
    deliveries: int = 0
    #: Deliveries of instant alerts: to be sent now.
    instant_ids: list[int] | None = None


async def match_jobs(conn: asyncpg.Connection, job_ids: Sequence[int]) -> MatchResult:
    """Match these jobs (the unmatched ones among them) against every active alert."""
    async with conn.transaction():
        rows = await conn.fetch(_MATCH, list(job_ids))
        jobs = rows[0]["jobs"] if rows else await conn.fetchval(
            "SELECT count(*) FROM jobs WHERE id = ANY($1::bigint[]) AND matched_at IS NOT NULL", list(job_ids))
    return MatchResult(jobs=int(jobs or 0), deliveries=len(rows),
                       instant_ids=[row["id"] for row in rows if row["frequency"] == "instant"])


async def unmatched_job_ids(conn: asyncpg.Connection, limit: int = 1000) -> list[int]:
    """Jobs whose matching was never done (e.g. the enqueue was lost in a crash)."""
    rows = await conn.fetch("SELECT id FROM jobs WHERE matched_at IS NULL ORDER BY id LIMIT $1", limit)
    return [row["id"] for row in rows]
