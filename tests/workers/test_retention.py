"""The daemon applies the retentions itself: each sweep deletes raw items older than
HIREWIRE_RAW_RETENTION_DAYS and fetch attempts older than HIREWIRE_FETCH_LOG_DAYS, a capped number at
a time, and leaves the postings and the recent rows alone."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import asyncpg
import pytest

from aggregator.config import ConfigError, Settings, load_settings
from aggregator.normalise import normalise
from aggregator.runtime import connect
from aggregator.store.postings import Incoming, ingest
from scrapers import sources
from scrapers.sources.base import ParseContext
from workers import jobs

SAMPLE = Path(__file__).resolve().parents[2] / "aggregator" / "samples" / "remotive.json"


async def _ingest_sample(conn: asyncpg.Connection) -> list[str]:
    """The remotive sample stored as the pipeline stores it, raw items included; its external ids."""
    raws = sources.get("remotive").parse(SAMPLE.read_bytes(), ParseContext()).listings
    items = [Incoming(normalise(raw), json.dumps(raw.raw, default=str).encode(), "") for raw in raws]
    assert (await ingest(conn, "remotive", items)).new == len(items) >= 3
    return [item.listing.external_id for item in items]


async def _age_raw_items(conn: asyncpg.Connection, external_ids: list[str], days: int) -> None:
    await conn.execute(
        "UPDATE raw_items SET fetched_at = now() - make_interval(days => $2) WHERE posting_id IN "
        "(SELECT id FROM postings WHERE external_id = ANY($1::text[]))", external_ids, days)


async def _record_runs(conn: asyncpg.Connection, source: str, ages_in_days: list[int]) -> None:
    await conn.execute("INSERT INTO sources (name) VALUES ($1) ON CONFLICT DO NOTHING", source)
    await conn.executemany(
        "INSERT INTO fetch_runs (source, url, status, started_at) "
        "VALUES ($1, $2, 'ok', now() - make_interval(days => $3))",
        [(source, f"https://{source}.example.org/{age}", age) for age in ages_in_days])


async def test_the_sweep_deletes_raw_items_and_fetch_runs_past_their_retention(
        clean_db: str, make_settings: Callable[..., Settings]) -> None:
    settings = make_settings(HIREWIRE_RAW_RETENTION_DAYS="30", HIREWIRE_FETCH_LOG_DAYS="7")
    async with connect(settings) as rt:
        async with rt.pool.acquire() as conn:
            ids = await _ingest_sample(conn)
            await _age_raw_items(conn, ids[:2], 31)
            await _age_raw_items(conn, ids[2:3], 29)
            await _record_runs(conn, "remotive", [0, 6, 8, 40])
            await _record_runs(conn, "lever", [1, 9])

        await jobs.sweep({"runtime": rt})

        async with rt.pool.acquire() as conn:
            kept = await conn.fetch("SELECT p.external_id FROM raw_items r JOIN postings p ON p.id = r.posting_id")
            runs = await conn.fetch("SELECT source, url FROM fetch_runs ORDER BY source, url")
            postings = await conn.fetchval("SELECT count(*) FROM postings WHERE closed_at IS NULL")
        await rt.redis.delete(settings.queue_name)
    assert sorted(r["external_id"] for r in kept) == sorted(ids[2:])
    assert [(r["source"], r["url"]) for r in runs] == [
        ("lever", "https://lever.example.org/1"),
        ("remotive", "https://remotive.example.org/0"),
        ("remotive", "https://remotive.example.org/6"),
    ]
    assert postings == len(ids)  # only the ability to re-parse them went


async def test_one_sweep_deletes_at_most_its_cap_and_the_next_goes_on(
        clean_db: str, make_settings: Callable[..., Settings], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jobs, "PURGE_PER_SWEEP", 2)
    settings = make_settings()
    async with connect(settings) as rt:
        async with rt.pool.acquire() as conn:
            ids = await _ingest_sample(conn)
            await _age_raw_items(conn, ids[:3], 90)
            await _record_runs(conn, "remotive", [31, 32, 33])

        counts = []
        for _ in range(3):
            await jobs.sweep({"runtime": rt})
            async with rt.pool.acquire() as conn:
                counts.append((await conn.fetchval("SELECT count(*) FROM raw_items"),
                               await conn.fetchval("SELECT count(*) FROM fetch_runs")))
        await rt.redis.delete(settings.queue_name)
    assert counts == [(len(ids) - 2, 1), (len(ids) - 3, 0), (len(ids) - 3, 0)]


def test_the_fetch_log_retention_is_checked(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="HIREWIRE_FETCH_LOG_DAYS"):
        load_settings({"HIREWIRE_FETCH_LOG_DAYS": "0", "HIREWIRE_DATA_DIR": str(tmp_path)})
    assert load_settings({"HIREWIRE_DATA_DIR": str(tmp_path)}).fetch_log_days == 30
