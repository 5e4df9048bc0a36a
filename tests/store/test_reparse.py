"""Re-parsing stored raw items: every adapter re-reads its own raw items, a parser fix reaches stored
postings and jobs exactly, nothing is closed or reopened, and the retention purge deletes only old items."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import asyncpg
import msgspec
import pytest

from aggregator.model import Listing, RawListing, listing_to_dict
from aggregator.normalise import normalise
from aggregator.reparse import reparse_source
from aggregator.runtime import Runtime
from aggregator.store import raw_items
from aggregator.store.postings import Incoming, content_hash, ingest
from scrapers import sources
from scrapers.sources.base import ParseContext
from tests.conftest import ROOT, SHARED_REAL

SAMPLES = ROOT / "aggregator" / "samples"

#: (source, payload file, parse context): every adapter and every raw-item shape it stores.
SAMPLE_CASES: list[tuple[str, str, dict[str, str]]] = [
    ("remoteok", "remoteok.json", {}),
    ("remotive", "remotive.json", {}),
    ("jobicy", "jobicy.json", {}),
    ("jobicy", "jobicy.rss", {}),
    ("weworkremotely", "weworkremotely.rss", {}),
    ("pythonorg", "pythonorg.rss", {}),
    ("arbeitnow", "arbeitnow.json", {}),
    ("himalayas", "himalayas.json", {}),
    ("greenhouse", "greenhouse.json", {"board": "acme-robotics"}),
    ("lever", "lever.json", {"board": "globex"}),
    ("ashby", "ashby.json", {"board": "initech"}),
    ("smartrecruiters", "smartrecruiters.json", {"board": "initech"}),
    ("smartrecruiters", "smartrecruiters_posting_102.json", {"board": "initech"}),
    ("workable", "workable.json", {"board": "globex"}),
    ("hn", "hn_thread.json", {}),
    ("rss", "feed.atom", {"url": "https://example.org/jobs.atom"}),
    ("jsonld", "jsonld_job.html", {"url": "https://careers.example.org/jobs/1"}),
]

#: The captured corpus too, where present: real items are where odd shapes live.
REAL_CASES: list[tuple[str, str, dict[str, str]]] = [
    ("remoteok", "remoteok-1.json", {}),
    ("remotive", "remotive-1.json", {}),
    ("jobicy", "jobicy-1.json", {}),
    ("jobicy", "jobicy-2.json", {}),
    ("weworkremotely", "wwr-1.rss", {}),
    ("weworkremotely", "wwr-2.rss", {}),
    ("weworkremotely", "wwr-3.rss", {}),
    ("pythonorg", "pythonorg-1.rss", {}),
    ("arbeitnow", "arbeitnow-1.json", {}),
    ("himalayas", "himalayas-1.json", {}),
    ("greenhouse", "greenhouse-1.json", {"board": "anthropic"}),
    ("greenhouse", "greenhouse-2.json", {"board": "stripe"}),
    ("lever", "lever-1.json", {}),
    ("lever", "lever-2.json", {}),
    ("ashby", "ashby-1.json", {}),
    ("ashby", "ashby-2.json", {}),
    ("smartrecruiters", "smartrecruiters-1.json", {"board": "hirevue"}),
    ("workable", "workable-1.json", {}),
    ("hn", "hn-1.json", {}),
    ("hn", "hn-2.json", {}),
    ("jsonld", "jsonld-1.html", {"url": "https://jobs.example.org/1"}),
    ("jsonld", "jsonld-2.html", {"url": "https://jobs.example.org/2"}),
]


def _round_trip(raw: Any) -> Any:
    """What a raw item becomes once stored: the pipeline's JSON encoding, decoded again."""
    return json.loads(json.dumps(raw, ensure_ascii=False, default=str))


def _without_raw(listing: RawListing) -> dict[str, Any]:
    fields = dataclasses.asdict(listing)
    del fields["raw"]
    return fields


def _assert_parse_item_round_trips(source: str, payload: bytes, ctx: dict[str, str]) -> None:
    adapter = sources.get(source)
    context = ParseContext(**ctx)  # type: ignore[arg-type]
    page = adapter.parse(payload, context)
    assert page.listings, f"{source}: the payload yields no listing to re-read"
    for listing in page.listings:
        again = adapter.parse_item(_round_trip(listing.raw), context)
        assert again is not None, listing.external_id
        assert _without_raw(again) == _without_raw(listing), listing.external_id


@pytest.mark.parametrize(("source", "name", "ctx"), SAMPLE_CASES, ids=[c[1] for c in SAMPLE_CASES])
def test_parse_item_rereads_every_sample_listing(source: str, name: str, ctx: dict[str, str]) -> None:
    _assert_parse_item_round_trips(source, (SAMPLES / name).read_bytes(), ctx)


@pytest.mark.parametrize(("source", "name", "ctx"), REAL_CASES, ids=[c[1] for c in REAL_CASES])
def test_parse_item_rereads_every_real_listing(source: str, name: str, ctx: dict[str, str]) -> None:
    path = SHARED_REAL / name
    if not path.exists():
        pytest.skip(f"real payload {name} not present (the corpus lives in ../shared/fixtures/real)")
    payload = path.read_bytes()
    if not sources.get(source).parse(payload, ParseContext(**ctx)).listings:  # type: ignore[arg-type]
        pytest.skip(f"{name} holds no listing (a story search only points at a thread)")
    _assert_parse_item_round_trips(source, payload, ctx)


def test_every_registered_source_is_covered_by_a_sample() -> None:
    assert {case[0] for case in SAMPLE_CASES} == set(sources.NAMES)


@pytest.mark.parametrize("source", ["remoteok", "remotive", "greenhouse", "weworkremotely", "hn", "jsonld"])
def test_parse_item_refuses_a_broken_item_with_a_parse_error(source: str) -> None:
    from aggregator.errors import ParseError

    with pytest.raises(ParseError):
        sources.get(source).parse_item("not an item", ParseContext())


# --- re-parse against the database -----------------------------------------------------------------

#: (source, sample, context the fetch had, scope the pipeline stores): a JSON API, an ATS board, a
#: feed, HN comments, and JSON-LD pages reached through a sitemap (so scope and page differ).
STORED: list[tuple[str, str, dict[str, str], str]] = [
    ("remotive", "remotive.json", {}, ""),
    ("greenhouse", "greenhouse.json", {"board": "acme-robotics"}, "acme-robotics"),
    ("weworkremotely", "weworkremotely.rss", {}, ""),
    ("rss", "feed.atom", {"url": "https://example.org/jobs.atom"}, "https://example.org/jobs.atom"),
    ("hn", "hn_thread.json", {}, ""),
    ("jsonld", "jsonld_job.html", {"url": "https://careers.example.org/jobs/1"},
     "https://careers.example.org/sitemap.xml"),
]


def _parsed(source: str, name: str, ctx: dict[str, str]) -> list[RawListing]:
    return sources.get(source).parse((SAMPLES / name).read_bytes(), ParseContext(**ctx)).listings  # type: ignore[arg-type]


def _incoming(raw: RawListing, listing: Listing, scope: str) -> Incoming:
    return Incoming(listing, json.dumps(raw.raw, ensure_ascii=False, default=str).encode(), scope)


def _buggy(listing: Listing) -> Listing:
    """What a parser with a bug might have stored: a mangled title and invented pay."""
    return msgspec.structs.replace(listing, title=listing.title.upper() + " (BROKEN)", salary_min=1.0,
                                   salary_currency="XXX", skills=[])


async def _store(conn: asyncpg.Connection, source: str, name: str, ctx: dict[str, str], scope: str,
                 buggy: set[int]) -> list[Listing]:
    """Ingest a sample the way the pipeline does, with the listings at `buggy` positions mangled;
    returns the correct listings."""
    raws = _parsed(source, name, ctx)
    correct = [normalise(raw) for raw in raws]
    items = [_incoming(raw, _buggy(listing) if index in buggy else listing, scope)
             for index, (raw, listing) in enumerate(zip(raws, correct, strict=True))]
    result = await ingest(conn, source, items)
    assert result.new == len(items)
    return correct


async def _posting(conn: asyncpg.Connection, source: str, external_id: str) -> asyncpg.Record:
    row = await conn.fetchrow(
        "SELECT p.content_hash, p.listing, p.closed_at, p.job_id, j.title AS job_title, j.salary_min AS job_salary, "
        "j.skills AS job_skills FROM postings p JOIN jobs j ON j.id = p.job_id "
        "WHERE p.source = $1 AND p.external_id = $2", source, external_id)
    assert row is not None
    return row


@pytest.mark.parametrize(("source", "name", "ctx", "scope"), STORED, ids=[s[0] for s in STORED])
async def test_reparse_restores_exactly_what_the_fixed_parser_reads(
        runtime: Runtime, source: str, name: str, ctx: dict[str, str], scope: str) -> None:
    async with runtime.pool.acquire() as conn:
        correct = await _store(conn, source, name, ctx, scope, buggy={0})
        broken = await _posting(conn, source, correct[0].external_id)
        assert broken["content_hash"] != content_hash(correct[0])
        assert broken["job_title"].endswith("(BROKEN)")

    report = await reparse_source(runtime.pool, source, batch=2)

    assert (report.read, report.updated, report.unchanged, report.failed) == (len(correct), 1, len(correct) - 1, 0)
    async with runtime.pool.acquire() as conn:
        for listing in correct:
            row = await _posting(conn, source, listing.external_id)
            assert row["content_hash"] == content_hash(listing), listing.external_id
            stored = row["listing"] if isinstance(row["listing"], dict) else json.loads(row["listing"])
            assert stored == json.loads(json.dumps(listing_to_dict(listing), default=str)), listing.external_id
        fixed = await _posting(conn, source, correct[0].external_id)
        assert fixed["job_title"] == correct[0].title
        assert fixed["job_salary"] == correct[0].salary_min
        assert fixed["job_skills"] == correct[0].skills
        # The raw item is still the one fetched: a re-parse stores no new payload.
        assert await conn.fetchval("SELECT count(*) FROM raw_items") == len(correct)
    # A second run finds nothing left to fix.
    again = await reparse_source(runtime.pool, source)
    assert (again.read, again.updated, again.unchanged, again.failed) == (len(correct), 0, len(correct), 0)


async def test_reparse_only_touches_its_source_and_closes_and_reopens_nothing(runtime: Runtime) -> None:
    async with runtime.pool.acquire() as conn:
        remotive = await _store(conn, "remotive", "remotive.json", {}, "", buggy={0, 1})
        wwr = await _store(conn, "weworkremotely", "weworkremotely.rss", {}, "", buggy={0})
        # A posting without its raw item (purged) cannot be re-read, and must not be closed either.
        await conn.execute("DELETE FROM raw_items WHERE posting_id = (SELECT id FROM postings "
                           "WHERE source = 'remotive' AND external_id = $1)", remotive[2].external_id)
        # A closed posting stays closed: re-parsing is not seeing the job again.
        await conn.execute("UPDATE postings SET closed_at = now() WHERE source = 'remotive' AND external_id = $1",
                           remotive[1].external_id)

    report = await reparse_source(runtime.pool, "remotive")

    assert (report.read, report.updated, report.failed) == (len(remotive) - 2, 1, 0)
    async with runtime.pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM postings WHERE closed_at IS NOT NULL") == 1
        assert (await _posting(conn, "remotive", remotive[1].external_id))["closed_at"] is not None
        assert (await _posting(conn, "remotive", remotive[2].external_id))["closed_at"] is None
        # The other source's bug is still there: nobody asked to re-parse it.
        assert (await _posting(conn, "weworkremotely", wwr[0].external_id))["job_title"].endswith("(BROKEN)")


async def test_unreadable_items_are_counted_as_failed_and_the_rest_still_updated(runtime: Runtime) -> None:
    async with runtime.pool.acquire() as conn:
        correct = await _store(conn, "remotive", "remotive.json", {}, "", buggy={0, 1, 2})
        ids = {listing.external_id: await conn.fetchval(
            "SELECT id FROM postings WHERE source = 'remotive' AND external_id = $1", listing.external_id)
            for listing in correct}
        # Not JSON, not a job object, and a job whose id no longer matches its posting.
        await conn.execute("UPDATE raw_items SET payload = $2 WHERE posting_id = $1",
                           ids[correct[0].external_id], zlib.compress(b"{truncated"))
        await conn.execute("UPDATE raw_items SET payload = $2 WHERE posting_id = $1",
                           ids[correct[1].external_id], zlib.compress(b'"a string"'))
        moved = {"id": 999999999, "title": "Python Engineer", "url": "https://remotive.com/x"}
        await conn.execute("UPDATE raw_items SET payload = $2 WHERE posting_id = $1",
                           ids[correct[3].external_id], zlib.compress(json.dumps(moved).encode()))

    report = await reparse_source(runtime.pool, "remotive")

    assert (report.read, report.updated, report.unchanged, report.failed) == (len(correct), 1, len(correct) - 4, 3)
    assert not report.ok
    assert len(report.errors) == 3
    assert any("external id '999999999'" in error for error in report.errors)
    async with runtime.pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM postings") == len(correct)
        assert (await _posting(conn, "remotive", correct[2].external_id))["job_title"] == correct[2].title


async def test_reparse_of_an_unknown_source_is_a_key_error(runtime: Runtime) -> None:
    with pytest.raises(KeyError):
        await reparse_source(runtime.pool, "nosuchsource")


# --- retention ---------------------------------------------------------------------------------------


async def test_purge_deletes_only_raw_items_older_than_the_retention(runtime: Runtime) -> None:
    async with runtime.pool.acquire() as conn:
        correct = await _store(conn, "remotive", "remotive.json", {}, "", buggy=set())
        old = [listing.external_id for listing in correct[:2]]
        await conn.execute("UPDATE raw_items SET fetched_at = now() - interval '31 days' WHERE posting_id IN "
                           "(SELECT id FROM postings WHERE external_id = ANY($1::text[]))", old)
        await conn.execute("UPDATE raw_items SET fetched_at = now() - interval '29 days' WHERE posting_id = "
                           "(SELECT id FROM postings WHERE external_id = $1)", correct[2].external_id)

        assert await raw_items.purge(conn, 30) == 2
        assert await raw_items.purge(conn, 30) == 0

        left = await conn.fetch("SELECT p.external_id FROM raw_items r JOIN postings p ON p.id = r.posting_id")
        assert sorted(r["external_id"] for r in left) == sorted(listing.external_id for listing in correct[2:])
        # The postings stay: only the ability to re-parse them is given up.
        assert await conn.fetchval("SELECT count(*) FROM postings") == len(correct)
        with pytest.raises(ValueError):
            await raw_items.purge(conn, -1)


async def test_read_batch_walks_the_source_in_posting_id_order(runtime: Runtime) -> None:
    async with runtime.pool.acquire() as conn:
        await _store(conn, "remotive", "remotive.json", {}, "", buggy=set())
        await _store(conn, "weworkremotely", "weworkremotely.rss", {}, "", buggy=set())
        seen: list[int] = []
        after = 0
        while batch := await raw_items.read_batch(conn, "remotive", after=after, limit=2):
            assert len(batch) <= 2
            seen += [item.posting_id for item in batch]
            after = batch[-1].posting_id
        expected = await conn.fetch("SELECT id FROM postings WHERE source = 'remotive' ORDER BY id")
        assert seen == [r["id"] for r in expected]
        first = (await raw_items.read_batch(conn, "remotive", limit=1))[0]
        assert json.loads(first.payload)["id"]


# --- the commands ------------------------------------------------------------------------------------


def _hirewire(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "aggregator", *args], capture_output=True, text=True, env=env,
                          timeout=120, cwd=ROOT)


async def test_reparse_and_purge_raw_commands(runtime: Runtime, cli_env: Callable[..., dict[str, str]],
                                              tmp_path: Path) -> None:
    async with runtime.pool.acquire() as conn:
        correct = await _store(conn, "remotive", "remotive.json", {}, "", buggy={0})
    env = cli_env(tmp_path / "empty.toml")
    (tmp_path / "empty.toml").write_text("")

    done = _hirewire(env, "reparse", "remotive")
    assert done.returncode == 0, done.stderr
    header, row = done.stdout.splitlines()
    assert header.split() == ["SOURCE", "READ", "UPDATED", "UNCHANGED", "FAILED"]
    assert row.split() == ["remotive", str(len(correct)), "1", str(len(correct) - 1), "0"]

    async with runtime.pool.acquire() as conn:
        await conn.execute("UPDATE raw_items SET payload = $1 WHERE posting_id = 1", zlib.compress(b"[]"))
        await conn.execute("UPDATE raw_items SET fetched_at = now() - interval '40 days' WHERE posting_id <= 2")
    failed = _hirewire(env, "reparse", "remotive")
    assert failed.returncode == 1
    assert "posting 1" in failed.stderr
    assert failed.stdout.splitlines()[1].split()[-1] == "1"

    unknown = _hirewire(env, "reparse", "nosuchsource")
    assert unknown.returncode == 2 and "unknown source" in unknown.stderr

    kept = _hirewire(env, "purge-raw", "--days", "45")
    assert (kept.returncode, kept.stdout.strip()) == (0, "purged 0 raw item(s) older than 45 day(s)")
    purged = _hirewire({**env, "HIREWIRE_RAW_RETENTION_DAYS": "30"}, "purge-raw")
    assert (purged.returncode, purged.stdout.strip()) == (0, "purged 2 raw item(s) older than 30 day(s)")
