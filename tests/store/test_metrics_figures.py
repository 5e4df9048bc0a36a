"""The /metrics figures stay cheap at any size: past a limit they come from PostgreSQL's statistics,
except what an operator alerts on (deliveries waiting or being sent), which is always counted."""

from __future__ import annotations

import asyncpg

from aggregator.store import metrics
from aggregator.store.postings import ingest
from tests.store.test_ingest import item

_DELIVERY = "INSERT INTO deliveries (alert_id, job_id, destination, state) VALUES ($1, $2, $3, $4)"


def _states(figures: metrics.Figures) -> dict[str, int]:
    return {state: n for state, n in figures.deliveries.items() if n}


async def test_estimates_past_the_limit_match_the_counts_and_waiting_deliveries_are_counted(clean_db: str) -> None:
    conn = await asyncpg.connect(clean_db)
    try:
        await ingest(conn, "remotive", [item("remotive", "1", "Python Engineer", "Acme"),
                                        item("remotive", "2", "Django Developer", "Globex")])
        await ingest(conn, "remoteok", [item("remoteok", "9", "Django Developer", "Globex"),  # joins job 2
                                        item("remoteok", "8", "Go Developer", "Initech")])
        job = await conn.fetchval("SELECT min(id) FROM jobs")
        for n, state in enumerate(["sent", "sent", "sent", "dead", "dead", "pending", "pending"]):
            await conn.execute(_DELIVERY, n + 1, job, f"d{n}@example.org", state)
        await conn.execute("ANALYZE jobs, postings, deliveries")

        counted = await metrics.figures(conn)
        estimated = await metrics.figures(conn, exact_up_to=0)
        assert (counted.jobs, counted.postings, counted.merged) == (3, {"remotive": 2, "remoteok": 2}, 1)
        assert _states(counted) == {"sent": 3, "dead": 2, "pending": 2}
        assert (estimated.jobs, estimated.postings, estimated.merged) == (counted.jobs, counted.postings, 1)
        assert _states(estimated) == _states(counted)

        # Between ANALYZE runs, a new waiting delivery shows at once; a finished one at the next ANALYZE.
        await conn.execute(_DELIVERY, 8, job, "d8@example.org", "pending")
        await conn.execute(_DELIVERY, 9, job, "d9@example.org", "sent")
        assert _states(await metrics.figures(conn, exact_up_to=0)) == {"sent": 3, "dead": 2, "pending": 3}
        assert _states(await metrics.figures(conn)) == {"sent": 4, "dead": 2, "pending": 3}
    finally:
        await conn.close()


async def test_a_table_never_analysed_is_counted(clean_db: str) -> None:
    """reltuples is -1 (PostgreSQL 14+) or 0 before the first ANALYZE: that is no reason to report 0."""
    conn = await asyncpg.connect(clean_db)
    try:
        await ingest(conn, "remotive", [item("remotive", "1", "Python Engineer", "Acme")])
        figures = await metrics.figures(conn, exact_up_to=0)
        assert (figures.jobs, figures.postings) == (1, {"remotive": 1})
    finally:
        await conn.close()
