"""The queries the API, matching, dedup and the sweep run are served by indexes (shown with EXPLAIN).

On a tiny test table the planner may prefer a sequential scan, so sequential scans are discouraged
for the check: what is asserted is that the index exists and fits the query's shape.
"""

from __future__ import annotations

import json

import asyncpg
import pytest

from aggregator.store import duplicates, metrics, raw_items, sources
from aggregator.store.postings import ingest
from tests.store.test_ingest import item

QUERIES = [
    ("jobs_search", "SELECT id FROM jobs WHERE search @@ websearch_to_tsquery('english', 'django OR fastapi')"),
    ("jobs_company_key", "SELECT id FROM jobs WHERE company_key = ANY(ARRAY['acme']) AND closed_at IS NULL"),
    # The near-duplicate decision's two reads, as ingestion runs them.
    ("jobs_company_key", duplicates._OPEN_TITLES.replace("$1::text[]", "ARRAY['acme']")),
    ("jobs_pkey", duplicates._CANDIDATES.replace("$1::bigint[]", "ARRAY[1, 2]::bigint[]")),
    ("jobs_unmatched", "SELECT id FROM jobs WHERE matched_at IS NULL ORDER BY id LIMIT 1000"),
    ("jobs_fingerprint", "SELECT id FROM jobs WHERE fingerprint = 'x'"),
    ("postings_source_external_id_key", "SELECT id FROM postings WHERE source = 'remotive' AND external_id = '1'"),
    ("postings_source_open", "SELECT id FROM postings WHERE source = 'remotive' AND scope = ANY(ARRAY['']) "
                             "AND closed_at IS NULL"),
    ("postings_job", "SELECT id FROM postings WHERE job_id = 1"),
    ("deliveries_due", "SELECT id FROM deliveries WHERE state IN ('pending', 'failed') AND next_attempt_at <= now()"),
    ("alerts_keys", "SELECT id FROM alerts WHERE status = 'active' AND keys && ARRAY['t:django']"),
    # What /metrics counts on every scrape however large the table: deliveries still to go.
    ("deliveries_due", metrics._ACTIVE_DELIVERIES),
    ("deliveries_stale", metrics._ACTIVE_DELIVERIES),
    # The sweep's retentions.
    ("raw_items_fetched", raw_items._PURGE.replace("$1", "30").replace("$2", "10000")),
    ("fetch_runs_source_started", sources._PRUNE_RUNS.replace("$1", "30").replace("$2", "10000")),
]


def _indexes(plan: object) -> set[str]:
    found: set[str] = set()
    if isinstance(plan, dict):
        if "Index Name" in plan:
            found.add(plan["Index Name"])
        for value in plan.values():
            found |= _indexes(value)
    elif isinstance(plan, list):
        for value in plan:
            found |= _indexes(value)
    return found


@pytest.mark.parametrize(("index", "query"), QUERIES, ids=[f"{q[0]}-{n}" for n, q in enumerate(QUERIES)])
async def test_query_uses_index(clean_db: str, index: str, query: str) -> None:
    conn = await asyncpg.connect(clean_db)
    try:
        await ingest(conn, "remotive", [item("remotive", "1", "Django Developer")])
        await conn.execute("""INSERT INTO alerts (email, keys) SELECT 'a' || n || '@example.org', ARRAY['t:w' || n]
                              FROM generate_series(1, 2000) n""")
        await conn.execute("ANALYZE alerts")
        async with conn.transaction():
            await conn.execute("SET LOCAL enable_seqscan = off")
            await conn.execute("SET LOCAL enable_indexscan = off")  # bitmap scans name the index too
            plan = json.loads(await conn.fetchval(f"EXPLAIN (FORMAT JSON) {query}"))
        assert index in _indexes(plan), json.dumps(plan, indent=1)
    finally:
        await conn.close()
