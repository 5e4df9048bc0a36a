"""Reading canonical jobs: search with the alert query syntax and filters, one job with its postings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import asyncpg

from aggregator.regions import regions_of

if TYPE_CHECKING:
    from aggregator.alerts import AlertSpec


@dataclass(slots=True)
class JobQuery:
    """A search over stored jobs; the same syntax (websearch) and filters as alerts.

    `countries` are where the searcher can work from: a job located there, or a remote job open to
    the world or to a region containing one of them.
    """

    text: str = ""
    remote: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    seniority: list[str] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    include_closed: bool = False
    python_only: bool = False
    limit: int = 20
    #: Keyset cursor: (rank, id) of the last row of the previous page.
    after: tuple[float, int] | None = None

    @classmethod
    def of(cls, filters: AlertSpec, **rest: Any) -> JobQuery:
        """The search for an alert's query and filters (a search is checked as an alert is)."""
        return cls(text=filters.query, remote=filters.remote, countries=filters.countries,
                   seniority=filters.seniority, skills=filters.skills_all, sources=filters.sources, **rest)


_COLUMNS = """j.id, j.title, j.company, j.url, j.apply_url, j.location_raw, j.locations, j.remote,
    j.employment_type, j.seniority, j.salary_min, j.salary_max, j.salary_currency, j.salary_period,
    j.skills, j.posted_at, j.python_backend, j.first_seen, j.last_seen, j.closed_at, j.remote_regions,
    j.salary_annual_min, j.salary_annual_max"""


async def search(conn: asyncpg.Connection, query: JobQuery) -> list[asyncpg.Record]:
    """Jobs matching `query`, best first (title matches rank higher), newest first on ties."""
    sql = f"""
    SELECT {_COLUMNS},
           CASE WHEN $1 = '' THEN 0 ELSE ts_rank(j.search, websearch_to_tsquery('english', $1)) END::float8 AS rank
    FROM jobs j
    WHERE ($1 = '' OR j.search @@ websearch_to_tsquery('english', $1))
      AND (cardinality($2::text[]) = 0 OR j.remote = ANY($2))
      AND (cardinality($3::text[]) = 0 OR j.countries && $3
           OR (j.remote = 'remote' AND (
                  (cardinality(j.countries) = 0 AND cardinality(j.remote_regions) = 0)
                  OR 'Worldwide' = ANY(j.remote_regions)
                  OR j.remote_regions && $9::text[])))
      AND (cardinality($4::text[]) = 0 OR j.seniority = ANY($4))
      AND j.skills @> $5::text[]
      AND (cardinality($6::text[]) = 0 OR EXISTS (
            SELECT 1 FROM postings p WHERE p.job_id = j.id AND p.source = ANY($6)))
      AND ($7 OR j.closed_at IS NULL)
      AND (NOT $8 OR j.python_backend)
    """
    args: list[object] = [query.text.strip(), query.remote, query.countries, query.seniority, query.skills,
                          query.sources, query.include_closed, query.python_only, regions_of(query.countries)]
    outer = f"SELECT * FROM ({sql}) found"
    if query.after is not None:
        args.extend(query.after)
        outer += f" WHERE (rank, id) < (${len(args) - 1}::float8, ${len(args)}::bigint)"
    args.append(query.limit)
    outer += f" ORDER BY rank DESC, id DESC LIMIT ${len(args)}"
    return list(await conn.fetch(outer, *args))


async def get(conn: asyncpg.Connection, job_id: int) -> tuple[asyncpg.Record | None, list[asyncpg.Record]]:
    """One job and its postings."""
    job = await conn.fetchrow(f"SELECT {_COLUMNS}, j.description_text, j.description_html, j.fingerprint "
                              "FROM jobs j WHERE j.id = $1", job_id)
    if job is None:
        return None, []
    postings = await conn.fetch(
        "SELECT id, source, external_id, listing ->> 'url' AS url, first_seen, last_seen, closed_at "
        "FROM postings WHERE job_id = $1 ORDER BY first_seen, id", job_id)
    return job, list(postings)


async def stats(conn: asyncpg.Connection) -> asyncpg.Record:
    row = await conn.fetchrow(
        """SELECT (SELECT count(*) FROM jobs) AS jobs,
                  (SELECT count(*) FROM jobs WHERE closed_at IS NULL) AS open_jobs,
                  (SELECT count(*) FROM postings) AS postings,
                  (SELECT count(*) FROM postings) - (SELECT count(*) FROM jobs) AS merged,
                  (SELECT count(*) FROM alerts WHERE status = 'active') AS active_alerts,
                  (SELECT count(*) FROM deliveries WHERE state = 'sent') AS sent,
                  (SELECT count(*) FROM deliveries WHERE state IN ('pending', 'sending', 'failed')) AS queued,
                  (SELECT count(*) FROM deliveries WHERE state = 'dead') AS dead""")
    assert row is not None
    return row
