"""Set-at-a-time ingestion: idempotence, change tracking, cross-source duplicates, closing, concurrency."""

from __future__ import annotations

import asyncio
import json
import zlib

import asyncpg
import msgspec

from aggregator.model import RawListing
from aggregator.normalise import normalise
from aggregator.store.postings import Incoming, ingest

#: One opening's text, as a board carries it; another board adds a line to it.
PAYMENTS_API = ("We are hiring a senior Python engineer to build our payments APIs with Django and PostgreSQL. "
                "You will own services end to end, mentor engineers and improve reliability across the stack.")


def item(source: str, external_id: str, title: str, company: str = "Acme", *, description: str = "Build APIs.",
         location: str = "Remote", scope: str = "") -> Incoming:
    raw = RawListing(source=source, external_id=external_id, title=title, company=company, location_raw=location,
                     remote=True, description_html=f"<p>{description}</p>", url=f"https://{source}.example/{external_id}",
                     raw={"id": external_id, "title": title})
    return Incoming(normalise(raw), raw=f'{{"id": "{external_id}"}}'.encode(), scope=scope)


async def test_same_batch_twice_changes_nothing_but_last_seen(clean_db: str) -> None:
    conn = await asyncpg.connect(clean_db)
    try:
        batch = [item("remotive", "1", "Python Engineer"), item("remotive", "2", "Django Developer")]
        first = await ingest(conn, "remotive", batch)
        assert (first.new, first.updated, first.unchanged, len(first.new_job_ids)) == (2, 0, 0, 2)
        before = await conn.fetch("SELECT id, content_hash, updated_at, last_seen FROM postings ORDER BY id")
        second = await ingest(conn, "remotive", batch)
        assert (second.new, second.updated, second.unchanged, second.new_job_ids) == (0, 0, 2, [])
        after = await conn.fetch("SELECT id, content_hash, updated_at, last_seen FROM postings ORDER BY id")
        assert [(r["id"], r["content_hash"], r["updated_at"]) for r in before] == \
               [(r["id"], r["content_hash"], r["updated_at"]) for r in after]
        assert all(a["last_seen"] > b["last_seen"] for a, b in zip(after, before, strict=True))
        assert await conn.fetchval("SELECT count(*) FROM jobs") == 2
    finally:
        await conn.close()


async def test_updated_listing_is_updated_once(clean_db: str) -> None:
    conn = await asyncpg.connect(clean_db)
    try:
        first = item("remotive", "1", "Python Engineer", description="Old text.")
        await ingest(conn, "remotive", [first])
        # The posting keeps the whole listing, descriptions included, as `hirewire parse` prints it.
        stored = json.loads(await conn.fetchval("SELECT listing FROM postings"))
        assert stored == json.loads(msgspec.json.encode(first.listing))
        assert stored["description_text"] == "Old text."
        changed = [item("remotive", "1", "Python Engineer", description="New text with FastAPI.")]
        result = await ingest(conn, "remotive", changed)
        assert (result.new, result.updated, result.unchanged) == (0, 1, 0)
        again = await ingest(conn, "remotive", changed)
        assert (again.updated, again.unchanged) == (0, 1)
        row = await conn.fetchrow("SELECT j.description_text, j.skills, p.listing->>'description_text' AS posting "
                                  "FROM jobs j JOIN postings p ON p.job_id = j.id")
        assert row["description_text"] == "New text with FastAPI." == row["posting"]
        assert "FastAPI" in row["skills"]
        stored = json.loads(await conn.fetchval("SELECT listing FROM postings"))
        assert stored == json.loads(msgspec.json.encode(changed[0].listing))
        assert stored["description_html"] == "<p>New text with FastAPI.</p>"
    finally:
        await conn.close()


async def test_same_job_on_two_boards_is_one_job_with_two_postings(clean_db: str) -> None:
    conn = await asyncpg.connect(clean_db)
    try:
        first = await ingest(conn, "remotive", [item("remotive", "r1", "Senior Python Engineer", "Acme")])
        second = await ingest(conn, "remoteok", [item("remoteok", "k9", "Senior Python Engineer", "ACME")])
        assert len(first.new_job_ids) == 1
        assert (second.new, second.duplicates, second.new_job_ids) == (1, 1, [])
        rows = await conn.fetch("SELECT source, job_id FROM postings ORDER BY source")
        assert [r["source"] for r in rows] == ["remoteok", "remotive"]
        assert rows[0]["job_id"] == rows[1]["job_id"] == first.new_job_ids[0]
    finally:
        await conn.close()


async def test_complete_snapshot_closes_missing_and_partial_closes_nothing(clean_db: str) -> None:
    conn = await asyncpg.connect(clean_db)
    try:
        await ingest(conn, "greenhouse", [item("greenhouse", "1", "Python Engineer", scope="acme"),
                                          item("greenhouse", "2", "Django Developer", scope="acme"),
                                          item("greenhouse", "3", "Backend Engineer", "Globex", scope="globex")],
                     complete_scopes=["acme", "globex"])
        # A failed or partial fetch of acme: nothing is closed.
        partial = await ingest(conn, "greenhouse", [item("greenhouse", "1", "Python Engineer", scope="acme")])
        assert partial.closed == 0
        assert await conn.fetchval("SELECT count(*) FROM postings WHERE closed_at IS NOT NULL") == 0
        # A complete snapshot of acme without job 2 closes it (and its job), and leaves globex alone.
        done = await ingest(conn, "greenhouse", [item("greenhouse", "1", "Python Engineer", scope="acme")],
                            complete_scopes=["acme"])
        assert done.closed == 1
        closed = await conn.fetch("SELECT p.external_id, j.closed_at IS NOT NULL AS job_closed FROM postings p "
                                  "JOIN jobs j ON j.id = p.job_id WHERE p.closed_at IS NOT NULL")
        assert [(r["external_id"], r["job_closed"]) for r in closed] == [("2", True)]
        # Seen again later: reopened.
        await ingest(conn, "greenhouse", [item("greenhouse", "2", "Django Developer", scope="acme")])
        assert await conn.fetchval("SELECT count(*) FROM jobs WHERE closed_at IS NOT NULL") == 0
    finally:
        await conn.close()


async def test_a_job_stays_open_while_another_board_still_lists_it(clean_db: str) -> None:
    conn = await asyncpg.connect(clean_db)
    try:
        await ingest(conn, "remotive", [item("remotive", "r1", "Senior Python Engineer")], complete_scopes=[""])
        await ingest(conn, "remoteok", [item("remoteok", "k1", "Senior Python Engineer")], complete_scopes=[""])
        await ingest(conn, "remotive", [], complete_scopes=[""])
        assert await conn.fetchval("SELECT count(*) FROM postings WHERE closed_at IS NOT NULL") == 1
        assert await conn.fetchval("SELECT closed_at FROM jobs") is None
    finally:
        await conn.close()


async def test_raw_items_are_kept_compressed(clean_db: str) -> None:
    conn = await asyncpg.connect(clean_db)
    try:
        await ingest(conn, "remotive", [item("remotive", "77", "Python Engineer")])
        payload = await conn.fetchval("SELECT payload FROM raw_items")
        assert zlib.decompress(payload) == b'{"id": "77"}'
    finally:
        await conn.close()

async def test_large_values_are_compressed_with_lz4_where_the_server_has_it(clean_db: str) -> None:
    conn = await asyncpg.connect(clean_db)
    try:
        has_lz4 = await conn.fetchval("SELECT 'lz4' = ANY(enumvals) FROM pg_settings "
                                      "WHERE name = 'default_toast_compression'")
        default = await conn.fetchval("SHOW default_toast_compression")
        # A description of a few KB, repetitive enough to compress: over the 2 KB TOAST threshold.
        await ingest(conn, "remotive", [item("remotive", "5", "Python Engineer", description=PAYMENTS_API * 30)])
        methods = await conn.fetchrow(
            "SELECT pg_column_compression(p.listing) AS listing, pg_column_compression(j.description_text) AS text "
            "FROM postings p JOIN jobs j ON j.id = p.job_id")
        expected = "lz4" if has_lz4 else default
        assert (methods["listing"], methods["text"]) == (expected, expected)
        # Only the ingest transaction compresses this way: the connection's own setting is untouched.
        assert await conn.fetchval("SHOW default_toast_compression") == default
        text = await conn.fetchval("SELECT description_text FROM jobs")
        assert text.count("payments APIs") == 30
    finally:
        await conn.close()



async def test_concurrent_overlapping_batches_neither_deadlock_nor_duplicate(clean_db: str) -> None:
    titles = [f"Python Engineer {n}" for n in range(60)]
    batch_a = [item("remotive", str(n), t) for n, t in enumerate(titles[:40])]
    batch_b = [item("remotive", str(n + 20), t) for n, t in enumerate(titles[20:])]
    # The same jobs also arrive from another board at the same time.
    batch_c = [item("remoteok", f"k{n}", t) for n, t in enumerate(reversed(titles))]
    conns = [await asyncpg.connect(clean_db) for _ in range(3)]
    try:
        for _ in range(3):
            results = await asyncio.wait_for(asyncio.gather(
                ingest(conns[0], "remotive", batch_a), ingest(conns[1], "remotive", batch_b),
                ingest(conns[2], "remoteok", batch_c)), timeout=60)
            assert sum(len(r.new_job_ids) for r in results) <= 60
        check = conns[0]
        assert await check.fetchval("SELECT count(*) FROM postings") == 120
        assert await check.fetchval("SELECT count(*) FROM jobs") == 60
        assert await check.fetchval("SELECT count(DISTINCT job_id) FROM postings") == 60
    finally:
        for conn in conns:
            await conn.close()


async def test_near_duplicate_on_another_board_joins_the_job(clean_db: str) -> None:
    conn = await asyncpg.connect(clean_db)
    try:
        first = await ingest(conn, "remotive", [item("remotive", "r1", "Sr. Python Engineer (Remote)", "ACME Inc.",
                                                     description=PAYMENTS_API)])
        second = await ingest(conn, "weworkremotely", [item("weworkremotely", "w1", "Senior Python Engineer", "Acme",
                                                            description=PAYMENTS_API + " Apply now.")])
        assert (second.new, second.duplicates, second.new_job_ids) == (1, 1, [])
        assert await conn.fetchval("SELECT count(DISTINCT job_id) FROM postings") == 1
        # A genuinely different role at the same company stays apart.
        third = await ingest(conn, "remotive", [item("remotive", "r2", "Junior Frontend Developer", "Acme",
                                                     description="Build our React dashboards.")])
        assert len(third.new_job_ids) == 1 and third.new_job_ids != first.new_job_ids
    finally:
        await conn.close()


async def test_same_key_but_different_team_stays_apart(clean_db: str) -> None:
    """Same company, title and place; the descriptions show two different teams: two jobs."""
    payments = ("Join the payments team to build card processing services in Python, settlement pipelines, "
                "ledgers and reconciliation jobs that move money reliably for merchants across Europe.")
    search = ("Join the search team to build ranking and indexing services in Python, query understanding, "
              "relevance experiments and the Elasticsearch clusters that power discovery for our users.")
    conn = await asyncpg.connect(clean_db)
    try:
        await ingest(conn, "greenhouse", [item("greenhouse", "1", "Senior Python Engineer", description=payments)])
        other = await ingest(conn, "lever", [item("lever", "9", "Senior Python Engineer", description=search)])
        assert len(other.new_job_ids) == 1
        assert await conn.fetchval("SELECT count(*) FROM jobs") == 2
        # The payments job seen on a second board still joins its own job.
        again = await ingest(conn, "remotive", [item("remotive", "p", "Senior Python Engineer", description=payments)])
        assert (again.duplicates, again.new_job_ids) == (1, [])
    finally:
        await conn.close()


async def test_candidates_are_read_and_built_only_for_jobs_with_a_close_title(clean_db: str) -> None:
    """The near-duplicate decision reads title keys first: a company's other roles cost no candidate."""
    conn = await asyncpg.connect(clean_db)
    try:
        titles = ["Python Engineer", "Frontend Developer", "Data Scientist", "Product Designer", "Sales Manager"]
        await ingest(conn, "greenhouse", [item("greenhouse", str(n), title, description=f"Team {n} builds things.")
                                          for n, title in enumerate(titles)])
        keys = dict(await conn.fetch("SELECT title, title_key FROM jobs"))
        assert keys == {"Python Engineer": "python engineer", "Frontend Developer": "frontend developer",
                        "Data Scientist": "data scientist", "Product Designer": "product designer",
                        "Sales Manager": "sales manager"}
        await conn.execute("UPDATE jobs SET dedup_candidate = NULL")
        result = await ingest(conn, "lever", [item("lever", "x", "Senior Python Engineer",
                                                   description="Our payments group ships ledgers in Python.")])
        assert len(result.new_job_ids) == 1  # a different text: not the same job
        cached = dict(await conn.fetch("SELECT title, dedup_candidate IS NOT NULL FROM jobs"))
        assert cached == {"Python Engineer": True, "Frontend Developer": False, "Data Scientist": False,
                          "Product Designer": False, "Sales Manager": False,
                          "Senior Python Engineer": True}  # stored with the job: built for the decision
    finally:
        await conn.close()


async def test_jobs_stored_without_title_keys_still_take_their_duplicates(clean_db: str) -> None:
    """Jobs written before title keys existed (NULL) are keyed when read."""
    conn = await asyncpg.connect(clean_db)
    try:
        first = await ingest(conn, "remotive", [item("remotive", "r1", "Sr. Python Engineer (Remote)", "ACME Inc.",
                                                     description=PAYMENTS_API)])
        await conn.execute("UPDATE jobs SET title_key = NULL, dedup_candidate = NULL")
        second = await ingest(conn, "weworkremotely", [item("weworkremotely", "w1", "Senior Python Engineer", "Acme",
                                                            description=PAYMENTS_API + " Apply now.")])
        assert (second.new, second.duplicates, second.new_job_ids) == (1, 1, [])
        assert await conn.fetchval("SELECT array_agg(DISTINCT job_id) FROM postings") == first.new_job_ids
    finally:
        await conn.close()


async def test_mixed_re_read_touches_unchanged_rows_only_and_closes_only_what_is_missing(clean_db: str) -> None:
    """A re-read feed: unchanged listings only move last_seen (and scope), the rest goes through."""
    conn = await asyncpg.connect(clean_db)
    try:
        first = [item("lever", "1", "Python Engineer", scope="old"), item("lever", "2", "Django Developer"),
                 item("lever", "3", "Data Engineer")]
        await ingest(conn, "lever", first, complete_scopes=["", "old"])
        before = {r["external_id"]: r for r in await conn.fetch(
            "SELECT p.external_id, p.updated_at, p.last_seen, r.fetched_at FROM postings p "
            "JOIN raw_items r ON r.posting_id = p.id")}
        again = [item("lever", "1", "Python Engineer", scope=""),  # unchanged, now in the whole-feed scope
                 item("lever", "2", "Django Developer", description="Now with FastAPI."),  # changed
                 item("lever", "4", "Platform Engineer")]  # new; "3" is gone
        result = await ingest(conn, "lever", again, complete_scopes=[""])
        assert (result.new, result.updated, result.unchanged, result.closed) == (1, 1, 1, 1)
        rows = {r["external_id"]: r for r in await conn.fetch(
            "SELECT p.external_id, p.scope, p.updated_at, p.last_seen, p.closed_at, r.fetched_at, "
            "j.closed_at AS job_closed FROM postings p JOIN raw_items r ON r.posting_id = p.id "
            "JOIN jobs j ON j.id = p.job_id")}
        assert rows["1"]["scope"] == "" and rows["1"]["last_seen"] > before["1"]["last_seen"]
        assert rows["1"]["updated_at"] == before["1"]["updated_at"]
        assert rows["1"]["fetched_at"] == before["1"]["fetched_at"]  # its raw item is not rewritten
        assert rows["2"]["updated_at"] > before["2"]["updated_at"]
        assert rows["2"]["fetched_at"] > before["2"]["fetched_at"]
        assert [k for k, r in sorted(rows.items()) if r["closed_at"] is not None] == ["3"]
        assert rows["3"]["job_closed"] is not None and rows["1"]["job_closed"] is None
        # Listed again, unchanged: reopened, posting and job.
        back = await ingest(conn, "lever", [item("lever", "3", "Data Engineer")])
        assert back.unchanged == 1
        assert await conn.fetchval("SELECT count(*) FROM postings WHERE closed_at IS NOT NULL") == 0
        assert await conn.fetchval("SELECT count(*) FROM jobs WHERE closed_at IS NOT NULL") == 0
    finally:
        await conn.close()
