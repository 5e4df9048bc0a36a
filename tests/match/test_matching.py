"""Matching through the real PostgreSQL: a must/must-not table over every filter and the query
syntax, equality with the naive all-pairs definition, and the once-only guarantees."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from aggregator import match
from aggregator.alerts import parse_alert
from aggregator.runtime import Runtime
from aggregator.store import alerts as store_alerts
from tests.match.helpers import listing, store

# (case, alert JSON without channel, job fields, must match)
CASES: list[tuple[str, dict[str, Any], dict[str, Any], bool]] = [
    ("no filters matches all", {}, {}, True),
    ("word in title", {"query": "python"}, {}, True),
    ("stemmed word", {"query": "engineering"}, {}, True),
    ("word in description", {"query": "apis"}, {}, True),
    ("word in company", {"query": "initech"}, {}, True),
    ("word in skills", {"query": "postgresql"}, {"description_text": "x"}, True),
    ("absent word", {"query": "haskell"}, {}, False),
    ("all words needed", {"query": "python haskell"}, {}, False),
    ("OR either", {"query": "haskell OR django"}, {}, True),
    ("OR neither", {"query": "haskell OR elixir"}, {}, False),
    ("exclusion hits", {"query": "python -django"}, {}, False),
    ("exclusion misses", {"query": "python -php"}, {}, True),
    ("only exclusion", {"query": "-php"}, {}, True),
    ("only exclusion hits", {"query": "-django"}, {}, False),
    ("phrase in order", {"query": '"python engineer"'}, {}, True),
    ("phrase out of order", {"query": '"engineer python"'}, {}, False),
    ("phrase OR word", {"query": '"machine learning" OR fastapi'}, {"description_text": "machine learning"}, True),
    ("remote wanted", {"remote": ["remote"]}, {}, True),
    ("remote any", {"remote": ["any"]}, {"remote": "onsite"}, True),
    ("hybrid wanted, onsite job", {"remote": ["hybrid"]}, {"remote": "onsite"}, False),
    ("remote wanted, unknown job", {"remote": ["remote"]}, {"remote": None}, False),
    ("country of office", {"countries": ["DE"]}, {"remote": "onsite", "countries": ["DE"]}, True),
    ("other country office", {"countries": ["DE"]}, {"remote": "onsite", "countries": ["FR"]}, False),
    ("remote restricted to US, subscriber in DE", {"countries": ["DE"]}, {"countries": ["US"]}, False),
    ("remote anywhere, subscriber in DE", {"countries": ["DE"]}, {}, True),
    ("remote EMEA, subscriber in DE", {"countries": ["DE"]}, {"remote_regions": ["EMEA"]}, True),
    ("remote Americas, subscriber in DE", {"countries": ["DE"]}, {"remote_regions": ["Americas"]}, False),
    ("remote Worldwide, subscriber in JP", {"countries": ["JP"]}, {"remote_regions": ["Worldwide"]}, True),
    ("remote LATAM, subscriber in BR", {"countries": ["BR"]}, {"remote_regions": ["Latin America"]}, True),
    ("salary above", {"min_salary": {"amount": 100000, "currency": "USD"}},
     {"salary_annual_min": 120000, "salary_annual_max": 150000, "salary_currency": "USD"}, True),
    ("salary below", {"min_salary": {"amount": 200000, "currency": "USD"}},
     {"salary_annual_min": 120000, "salary_annual_max": 150000, "salary_currency": "USD"}, False),
    ("salary in EUR vs GBP job", {"min_salary": {"amount": 90000, "currency": "EUR"}},
     {"salary_annual_min": 80000, "salary_annual_max": 80000, "salary_currency": "GBP"}, True),
    ("monthly minimum annualised", {"min_salary": {"amount": 9000, "currency": "USD", "period": "month"}},
     {"salary_annual_min": 100000, "salary_annual_max": 100000, "salary_currency": "USD"}, False),
    ("unknown salary included", {"min_salary": {"amount": 100000, "currency": "USD"}}, {}, True),
    ("unknown salary excluded", {"min_salary": {"amount": 100000, "currency": "USD", "include_unknown": False}},
     {}, False),
    ("seniority in list", {"seniority": ["senior", "lead"]}, {}, True),
    ("seniority not in list", {"seniority": ["junior"]}, {}, False),
    ("employment type", {"employment_types": ["contract"]}, {"employment_type": "contract"}, True),
    ("employment type other", {"employment_types": ["contract"]}, {}, False),
    ("skills any", {"skills": {"any": ["FastAPI", "Django"]}}, {}, True),
    ("skills any none", {"skills": {"any": ["FastAPI", "Flask"]}}, {}, False),
    ("skills all", {"skills": {"all": ["Django", "PostgreSQL"]}}, {}, True),
    ("skills all missing one", {"skills": {"all": ["Django", "Redis"]}}, {}, False),
    ("source wanted", {"sources": ["remotive"]}, {}, True),
    ("other source", {"sources": ["remoteok"]}, {}, False),
    ("company excluded", {"exclude_companies": ["Initech Inc."]}, {}, False),
    ("other company excluded", {"exclude_companies": ["Acme"]}, {}, True),
    ("young enough", {"max_age_days": 14}, {"posted_at": datetime.now(UTC) - timedelta(days=3)}, True),
    ("too old", {"max_age_days": 14}, {"posted_at": datetime.now(UTC) - timedelta(days=30)}, False),
    ("everything at once", {"query": "django OR fastapi -php", "remote": ["remote", "hybrid"], "countries": ["DE"],
                            "seniority": ["senior"], "skills": {"any": ["Django"]}, "max_age_days": 7},
     {"remote_regions": ["Europe"]}, True),
]


async def _alert(conn: Any, data: dict[str, Any], email: str) -> int:
    spec = parse_alert({**data, "channel": {"email": email}})
    alert_id, _ = await store_alerts.create(conn, spec)
    return alert_id


_NAIVE_QUERY = "a.query = '' OR j.search @@ websearch_to_tsquery('english', a.query)"
_NAIVE = f"""
SELECT a.id AS alert_id, j.id AS job_id FROM alerts a CROSS JOIN jobs j
WHERE a.status = 'active'
  AND {match.ALERT_FILTERS.replace("a.query_ts IS NULL OR j.search @@ a.query_ts", _NAIVE_QUERY)}
ORDER BY 1, 2
"""


async def test_match_table_and_naive_equality(runtime: Runtime) -> None:
    async with runtime.pool.acquire() as conn:
        pairs = []
        for number, (_, alert, job, _) in enumerate(CASES):
            alert_id = await _alert(conn, alert, f"case{number}@example.org")
            job_ids_ = await store(conn, listing(**job))
            assert len(job_ids_) == 1, (number, job)
            job_id = job_ids_[0]
            pairs.append((alert_id, job_id))
        job_ids = [job for _, job in pairs]
        result = await match.match_jobs(conn, job_ids)
        found = {(r["alert_id"], r["job_id"]) for r in await conn.fetch("SELECT alert_id, job_id FROM deliveries")}
        naive = {(r["alert_id"], r["job_id"]) for r in await conn.fetch(_NAIVE)}
    assert result.jobs == len(CASES)
    wrong = [name for (name, _, _, expected), pair in zip(CASES, pairs, strict=True) if (pair in found) != expected]
    assert wrong == []
    assert found == naive
    assert result.instant_ids is not None and len(result.instant_ids) == len(found)


async def test_rerun_matches_nothing_twice(runtime: Runtime) -> None:
    async with runtime.pool.acquire() as conn:
        await _alert(conn, {"query": "python"}, "ada@example.org")
        job_ids = await store(conn, listing(), listing())
        first = await match.match_jobs(conn, job_ids)
        again = await match.match_jobs(conn, job_ids)
        assert await conn.fetchval("SELECT count(*) FROM jobs WHERE matched_at IS NULL") == 0
    assert (first.jobs, first.deliveries) == (2, 2)
    assert (again.jobs, again.deliveries) == (0, 0)


async def test_two_alerts_of_one_subscriber_send_once(runtime: Runtime) -> None:
    async with runtime.pool.acquire() as conn:
        a = await _alert(conn, {"query": "python"}, "Ada@Example.org")
        b = await _alert(conn, {"query": "django"}, "ada@example.org")
        [job] = await store(conn, listing())
        result = await match.match_jobs(conn, [job])
        rows = await conn.fetch("SELECT alert_id, destination FROM deliveries")
        subscribers = await conn.fetchval("SELECT count(*) FROM subscribers")
    assert result.deliveries == 1
    assert [(r["alert_id"], r["destination"]) for r in rows] == [(min(a, b), "ada@example.org")]
    assert subscribers == 1


async def test_job_seen_again_on_another_board_is_not_resent(runtime: Runtime) -> None:
    async with runtime.pool.acquire() as conn:
        await _alert(conn, {"query": "python"}, "ada@example.org")
        [job] = await store(conn, listing(fingerprint="same"))
        await match.match_jobs(conn, [job])
        again = await store(conn, listing(source="remoteok", fingerprint="same", description_text="updated"))
        assert again == []  # not a new canonical job: nothing to match
        result = await match.match_jobs(conn, [job])
        assert await conn.fetchval("SELECT count(*) FROM deliveries") == 1
    assert result.deliveries == 0


async def test_paused_alert_is_skipped_and_backfill_catches_up(runtime: Runtime) -> None:
    async with runtime.pool.acquire() as conn:
        alert = await _alert(conn, {"query": "python"}, "ada@example.org")
        assert await store_alerts.set_status(conn, alert, "paused", only_from=("active",))
        job_ids = await store(conn, listing(), listing(), listing())
        assert (await match.match_jobs(conn, job_ids)).deliveries == 0
        assert await store_alerts.set_status(conn, alert, "active", only_from=("paused",))
        filled = await store_alerts.backfill(conn, alert, days=7, limit=2)
        again = await store_alerts.backfill(conn, alert, days=7, limit=10)
    assert filled.deliveries == 2
    assert again.deliveries == 1


async def test_concurrent_overlapping_batches(runtime: Runtime) -> None:
    async with runtime.pool.acquire() as conn:
        for number in range(20):
            await _alert(conn, {"query": "python OR django"}, f"s{number}@example.org")
        job_ids = await store(conn, *[listing() for _ in range(30)])

    async def run(ids: list[int]) -> match.MatchResult:
        async with runtime.pool.acquire() as conn:
            return await match.match_jobs(conn, ids)

    results = await asyncio.gather(run(job_ids[:20]), run(job_ids[10:]), run(job_ids))
    async with runtime.pool.acquire() as conn:
        total = await conn.fetchval("SELECT count(*) FROM deliveries")
        unmatched = await conn.fetchval("SELECT count(*) FROM jobs WHERE matched_at IS NULL")
    assert unmatched == 0
    assert total == 20 * 30 == sum(r.deliveries for r in results)


async def test_unindexed_alert_is_still_matched_then_reindexed(runtime: Runtime) -> None:
    async with runtime.pool.acquire() as conn:
        alert = await _alert(conn, {"query": "python", "seniority": ["senior"]}, "ada@example.org")
        await conn.execute("UPDATE alerts SET keys = NULL WHERE id = $1", alert)
        [job] = await store(conn, listing())
        assert (await match.match_jobs(conn, [job])).deliveries == 1
        assert await store_alerts.reindex(conn) == 1
        keys = await conn.fetchval("SELECT keys FROM alerts WHERE id = $1", alert)
    assert keys == ["s:senior&t:python"]


@pytest.mark.parametrize(("query", "terms"), [
    ("django OR fastapi -php", {"django", "fastapi"}),
    ("python django", {"django"}),
    ('"machine learning" engineer', {"machin"}),
    ("-php", None),
    ("python OR -php", None),
    ("", None),
])
async def test_required_terms(runtime: Runtime, query: str, terms: set[str] | None) -> None:
    async with runtime.pool.acquire() as conn:
        text = await conn.fetchval("SELECT websearch_to_tsquery('english', $1)::text", query)
    found = match.required_terms(match.parse_tsquery(text))
    assert (set(found) if found is not None else None) == terms
