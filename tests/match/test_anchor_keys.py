"""Anchor keys chosen by measured token shares, salary bands, and batches matched in parts: each is
checked for the key it picks and, through PostgreSQL, for leaving the matches exactly as defined."""

from __future__ import annotations

from typing import Any

import pytest

from aggregator import match
from aggregator.alerts import parse_alert
from aggregator.runtime import Runtime
from aggregator.store import alerts as store_alerts
from tests.match.helpers import listing, store

MEASURED = match.TokenShares({"t:stack": 1.0, "t:django": 0.05, "s:senior": 0.4, "l:any": 0.1, "l:c:US": 0.3,
                              "k:Django": 0.05, "m:remote": 0.6})


def test_a_word_every_job_carries_is_not_the_anchor_once_measured() -> None:
    alert: dict[str, Any] = {"terms": frozenset({"stack"}), "seniority": ["senior"], "countries": ["US"]}
    assert match.alert_keys(**alert) == ["s:senior&t:stack"]  # the priors think any word is rare
    keys = match.alert_keys(**alert, shares=MEASURED)
    assert keys == ["l:any&s:senior", "l:c:US&s:senior"]


def test_the_rarest_required_word_is_taken_by_measured_shares() -> None:
    tree = match.parse_tsquery("'full' & 'stack' & 'django'")
    assert match.required_terms(tree, MEASURED) == frozenset({"full"})  # unmeasured: rarer than 1%
    shares = match.TokenShares({**MEASURED.shares, "t:full": 0.5})
    assert match.required_terms(tree, shares) == frozenset({"django"})


def test_a_skill_and_its_own_word_are_not_crossed() -> None:
    keys = match.alert_keys(terms=frozenset({"django"}), skills_any=["Django"], remote=["remote"], shares=MEASURED)
    assert keys == ["m:remote&t:django"]  # not "k:Django&t:django", which hardly narrows anything


@pytest.mark.parametrize(("minimum", "unknown", "expected"), [
    (136_000, False, ["p:125000", "p:150000", "p:175000", "p:200000", "p:250000", "p:300000", "p:400000"]),
    (400_000, True, ["p:400000", "p:none"]),
    (10_000, False, [f"p:{band}" for band in match.SALARY_BANDS]),
])
def test_a_minimum_salary_anchors_on_its_band_and_above(minimum: float, unknown: bool, expected: list[str]) -> None:
    keys = match.alert_keys(terms=None, min_salary_usd=minimum, include_unknown_salary=unknown)
    assert sorted(keys) == sorted(expected)


async def _alert(conn: Any, email: str, **fields: Any) -> int:
    alert_id, _ = await store_alerts.create(conn, parse_alert({**fields, "channel": {"email": email}}))
    return alert_id


async def test_salary_bands_match_exactly_at_their_edges(runtime: Runtime) -> None:
    async with runtime.pool.acquire() as conn:
        at_edge = await _alert(conn, "edge@example.org", min_salary={"amount": 125_000, "currency": "USD",
                                                                     "period": "year", "include_unknown": False})
        above = await _alert(conn, "above@example.org", min_salary={"amount": 125_001, "currency": "USD",
                                                                    "period": "year"})
        keys = await conn.fetchval("SELECT keys FROM alerts WHERE id = $1", at_edge)
        paid = dict(salary_min=100_000.0, salary_max=125_000.0, salary_currency="USD", salary_period="year",
                    salary_annual_min=100_000.0, salary_annual_max=125_000.0)
        [exact, unknown] = await store(conn, listing(**paid), listing())
        await match.match_jobs(conn, [exact, unknown])
        pairs = {(r["alert_id"], r["job_id"]) for r in await conn.fetch("SELECT alert_id, job_id FROM deliveries")}
    assert "p:125000" in keys and "p:100000" not in keys
    assert pairs == {(at_edge, exact), (above, unknown)}  # 'above' takes jobs with no stated pay by default


async def test_rekeying_on_measured_shares_changes_keys_not_matches(runtime: Runtime) -> None:
    async with runtime.pool.acquire() as conn:
        common = await _alert(conn, "ada@example.org", query="apis", seniority=["senior"])
        job_ids = await store(conn, *[listing() for _ in range(12)])
        before = await conn.fetchval("SELECT keys FROM alerts WHERE id = $1", common)
        assert await match.measure_token_shares(conn, min_jobs=50) == 0  # too few jobs: priors stay
        tokens = await match.measure_token_shares(conn, min_jobs=10)
        shares = await match.token_shares(conn)
        assert await store_alerts.reindex(conn, everything=True) == 1
        after = await conn.fetchval("SELECT keys FROM alerts WHERE id = $1", common)
        result = await match.match_jobs(conn, job_ids)
    assert tokens > 0 and shares.of("t:api") == 1.0 and shares.of("s:senior") == 1.0
    assert before == ["s:senior&t:api"]
    assert after == ["t:api"]  # every job has both: crossing them narrows nothing, one key does as well
    assert result.deliveries == 12


async def test_a_batch_matched_in_parts_equals_one_pass(runtime: Runtime) -> None:
    async with runtime.pool.acquire() as conn:
        for number in range(5):
            await _alert(conn, f"s{number}@example.org", query="python OR django")
        await _alert(conn, "digest@example.org", query="python", frequency="daily")
        job_ids = await store(conn, *[listing() for _ in range(240)])
    result = await match.match_in_parts(runtime.pool, job_ids, connections=2)
    async with runtime.pool.acquire() as conn:
        rows = await conn.fetch("SELECT d.id, a.frequency FROM deliveries d JOIN alerts a ON a.id = d.alert_id")
        unmatched = await conn.fetchval("SELECT count(*) FROM jobs WHERE matched_at IS NULL")
    assert (result.jobs, result.deliveries, unmatched) == (240, 6 * 240, 0)
    assert sorted(result.instant_ids or []) == sorted(r["id"] for r in rows if r["frequency"] == "instant")
