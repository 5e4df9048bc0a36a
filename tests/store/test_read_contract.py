"""The read contract for other services: versioned views, LISTEN channel, a read-only role, upgrades."""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from pathlib import Path

import asyncpg
import pytest

from aggregator.model import ANNUAL_FACTOR, RawListing
from aggregator.normalise import normalise
from aggregator.normalise.currency import to_usd
from aggregator.store import db
from aggregator.store.postings import Incoming, ingest
from tests.store.test_ingest import item

SCHEMA_V1 = Path(__file__).with_name("schema_v1.sql")


async def test_listen_announces_new_job_ids_after_commit(clean_db: str) -> None:
    listener = await asyncpg.connect(clean_db)
    writer = await asyncpg.connect(clean_db)
    received: asyncio.Queue[str] = asyncio.Queue()
    try:
        await listener.add_listener("hirewire_jobs", lambda *args: received.put_nowait(args[3]))
        result = await ingest(writer, "remotive", [item("remotive", "1", "Python Engineer"),
                                                   item("remotive", "2", "Django Developer")])
        got = sorted([int(await asyncio.wait_for(received.get(), 5)) for _ in range(2)])
        assert got == result.new_job_ids
        # Seeing the same jobs again announces nothing.
        await ingest(writer, "remotive", [item("remotive", "1", "Python Engineer")])
        await asyncio.sleep(0.3)
        assert received.empty()
    finally:
        await listener.close()
        await writer.close()


async def test_listen_announces_closed_and_reopened_jobs_after_commit(clean_db: str) -> None:
    """A reader keeping its copy current hears of a job closing (its last posting gone from a whole
    snapshot) and of its coming back, without polling closed_at."""
    listener = await asyncpg.connect(clean_db)
    writer = await asyncpg.connect(clean_db)
    heard: asyncio.Queue[tuple[str, int]] = asyncio.Queue()
    try:
        for channel in ("hirewire_jobs_closed", "hirewire_jobs_reopened"):
            await listener.add_listener(channel, lambda _c, _p, name, payload: heard.put_nowait((name, int(payload))))
        one, two = item("remotive", "1", "Python Engineer"), item("remotive", "2", "Django Developer")
        assert len((await ingest(writer, "remotive", [one, two], complete_scopes=[""])).new_job_ids) == 2
        job_one = await writer.fetchval("SELECT job_id FROM postings WHERE external_id = '1'")
        async with writer.transaction():
            await ingest(writer, "remotive", [two], complete_scopes=[""])  # the snapshot no longer lists 1
            await asyncio.sleep(0.2)
            assert heard.empty()  # nothing before commit
        assert await asyncio.wait_for(heard.get(), 5) == ("hirewire_jobs_closed", job_one)
        await ingest(writer, "remotive", [two], complete_scopes=[""])  # closed stays closed: nothing new
        await ingest(writer, "remotive", [one, two])  # 1 is listed again
        assert await asyncio.wait_for(heard.get(), 5) == ("hirewire_jobs_reopened", job_one)
        await asyncio.sleep(0.3)
        assert heard.empty()
    finally:
        await listener.close()
        await writer.close()


async def test_views_expose_jobs_postings_companies(clean_db: str) -> None:
    conn = await asyncpg.connect(clean_db)
    try:
        await ingest(conn, "remotive", [item("remotive", "1", "Senior Python Engineer", "Acme")])
        await ingest(conn, "remoteok", [item("remoteok", "9", "Senior Python Engineer", "Acme Inc.")])
        job = await conn.fetchrow("SELECT title, company, remote, python_backend FROM jobs_v1")
        assert dict(job) == {"title": "Senior Python Engineer", "company": "Acme", "remote": "remote",
                             "python_backend": True}
        assert await conn.fetchval("SELECT count(*) FROM postings_v1") == 2
        company = await conn.fetchrow("SELECT company, jobs, open_jobs FROM companies_v1")
        assert (company["jobs"], company["open_jobs"]) == (1, 1)
    finally:
        await conn.close()


async def test_views_carry_regions_annual_pay_and_each_postings_whole_listing(clean_db: str) -> None:
    conn = await asyncpg.connect(clean_db)
    try:
        raw = RawListing(source="remotive", external_id="7", title="Senior Python Engineer", company="Acme",
                         location_raw="Remote (EMEA)", remote=True, description_html="<p>Build APIs.</p>",
                         tags=["python", "backend"], salary_min=6000, salary_max=7000, salary_currency="EUR",
                         salary_period="month", raw={"id": 7})
        await ingest(conn, "remotive", [Incoming(normalise(raw), raw=b"{}")])
        job = await conn.fetchrow("SELECT remote_regions, salary_annual_min, salary_annual_max FROM jobs_v1")
        assert dict(job) == {"remote_regions": ["EMEA"], "salary_annual_min": 72000.0, "salary_annual_max": 84000.0}
        listing = json.loads(await conn.fetchval("SELECT listing FROM postings_v1"))
        assert (listing["title"], listing["tags"], listing["remote_regions"]) == (
            "Senior Python Engineer", ["python", "backend"], ["EMEA"])
        assert listing["description_text"] == "Build APIs."
    finally:
        await conn.close()


async def test_read_only_role_reads_views_and_nothing_else(clean_db: str) -> None:
    role = f"hw_reader_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(clean_db)
    try:
        await ingest(admin, "remotive", [item("remotive", "1", "Python Engineer")])
        await admin.execute(db.read_only_role_sql(role))
        await admin.execute(db.read_only_role_sql(role))  # running it again changes nothing
        limits = await admin.fetchrow("SELECT rolconnlimit, rolconfig FROM pg_roles WHERE rolname = $1", role)
        assert limits["rolconnlimit"] == 20
        assert sorted(limits["rolconfig"]) == ["idle_in_transaction_session_timeout=5min", "statement_timeout=60s"]
        await admin.execute(f"ALTER ROLE {role} LOGIN")
        reader = await asyncpg.connect(clean_db, user=role)  # as a service would log in (trust auth here)
        try:
            assert await reader.fetchval("SHOW statement_timeout") == "1min"
            assert await reader.fetchval("SELECT count(*) FROM jobs_v1") == 1
        finally:
            await reader.close()
        await admin.execute(f"GRANT {role} TO CURRENT_USER")
        async with admin.transaction():
            await admin.execute(f"SET LOCAL ROLE {role}")
            assert await admin.fetchval("SELECT count(*) FROM jobs_v1") == 1
            assert await admin.fetchval("SELECT count(*) FROM postings_v1") == 1
        for table in ("subscribers", "alerts", "deliveries", "jobs", "postings", "raw_items"):
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                async with admin.transaction():
                    await admin.execute(f"SET LOCAL ROLE {role}")
                    await admin.fetch(f"SELECT * FROM {table} LIMIT 1")
    finally:
        await admin.execute(f"REVOKE {role} FROM CURRENT_USER")
        await admin.execute(f"DROP OWNED BY {role}")
        await admin.execute(f"DROP ROLE {role}")
        await admin.close()


_CATALOG = """
SELECT table_name || '.' || column_name || ':' || data_type || ':' || is_nullable || ':'
       || coalesce(column_default, '') AS what
  FROM information_schema.columns WHERE table_schema = 'public'
UNION ALL SELECT indexname || ':' || indexdef FROM pg_indexes WHERE schemaname = 'public'
UNION ALL SELECT viewname FROM pg_views WHERE schemaname = 'public'
UNION ALL SELECT conrelid::regclass || ':' || conname || ':' || pg_get_constraintdef(oid)
  FROM pg_constraint WHERE connamespace = 'public'::regnamespace
UNION ALL SELECT tgrelid::regclass || ':' || tgname FROM pg_trigger WHERE NOT tgisinternal
UNION ALL SELECT 'migration ' || version FROM schema_migrations
ORDER BY 1
"""


async def test_upgrade_from_version_1_equals_a_fresh_schema(server_urls: tuple[str, str]) -> None:
    """A database made by the first release's schema, with data, upgrades to exactly today's schema."""
    async with (db.scratch_database(server_urls[0], "hirewire_mig", with_schema=False) as old_url,
                db.scratch_database(server_urls[0], "hirewire_mig", with_schema=False) as fresh_url):
        old = await asyncpg.connect(old_url)
        fresh = await asyncpg.connect(fresh_url)
        try:
            await old.execute(SCHEMA_V1.read_text())
            await old.execute("INSERT INTO jobs (fingerprint, title, source) VALUES ('f1', 'Python Engineer', 'x')")
            applied = await db.migrate(old)
            assert applied == [v for v in range(2, db.schema_version() + 1)]
            assert await db.migrate(old) == []
            await db.migrate(fresh)
            assert [r["what"] for r in await old.fetch(_CATALOG)] == [r["what"] for r in await fresh.fetch(_CATALOG)]
            assert await old.fetchval("SELECT title FROM jobs WHERE fingerprint = 'f1'") == "Python Engineer"
        finally:
            await old.close()
            await fresh.close()


README = Path(__file__).resolve().parents[2] / "README.md"
_VIEW_HEADING = re.compile(r"^`(\w+_v\d+)`: ")


def readme_views() -> dict[str, list[tuple[str, str]]]:
    """README's "Database, for other services" tables: view -> [(column, type)], in order.

    A table belongs to the last paragraph before it that starts with a view's name in backticks.
    """
    text = README.read_text()
    section = text[text.index("## Database, for other services"):]
    section = section[:section.find("\n## ", 1)] if "\n## " in section[1:] else section
    views: dict[str, list[tuple[str, str]]] = {}
    view = None
    for line in section.splitlines():
        heading = _VIEW_HEADING.match(line)
        if heading:
            view = heading.group(1)
        elif view and line.startswith("| `"):
            name, kind = (cell.strip() for cell in line.split("|")[1:3])
            views.setdefault(view, []).append((name.strip("`"), kind))
    return views


async def test_readme_lists_each_views_columns_in_order_with_their_types(clean_db: str) -> None:
    """An integrator writes `SELECT *` and types from README: it must be the view, column for column.

    README once put `remote_regions` in the middle of jobs_v1's list while the view (which only
    appends) has it last, and gave companies_v1 no columns at all.
    """
    conn = await asyncpg.connect(clean_db)
    try:
        rows = await conn.fetch("""SELECT table_name, column_name, data_type, udt_name FROM information_schema.columns
                                   WHERE table_schema = 'public' AND table_name ~ '_v[0-9]+$'
                                   ORDER BY table_name, ordinal_position""")
    finally:
        await conn.close()
    actual: dict[str, list[tuple[str, str]]] = {}
    for row in rows:
        kind = row["udt_name"].lstrip("_") + "[]" if row["data_type"] == "ARRAY" else row["data_type"]
        actual.setdefault(row["table_name"], []).append((row["column_name"], kind))
    assert readme_views() == actual


async def test_jobs_join_their_company_in_companies_v1(clean_db: str) -> None:
    """A company's row in companies_v1 leads to its jobs, whatever each posting called the company.

    jobs_v1 had no company_key, so a reader could only compare names, and companies_v1.company is
    one spelling of several ("Acme" for a job posted as "ACME Inc.").
    """
    conn = await asyncpg.connect(clean_db)
    try:
        await ingest(conn, "remotive", [item("remotive", "1", "Python Engineer", "ACME Inc."),
                                        item("remotive", "2", "Django Developer", "Acme"),
                                        item("remotive", "3", "Go Developer", "Globex")])
        rows = await conn.fetch("""SELECT c.company_key, c.jobs, array_agg(j.title ORDER BY j.title) AS titles
                                   FROM companies_v1 c JOIN jobs_v1 j USING (company_key)
                                   GROUP BY c.company_key, c.jobs ORDER BY c.company_key""")
        assert [tuple(r) for r in rows] == [("acme", 2, ["Django Developer", "Python Engineer"]),
                                            ("globex", 1, ["Go Developer"])]
    finally:
        await conn.close()


#: What a reader of the views asks, and the index that must serve it.
READER_QUERIES = [
    ("jobs_posted_at", "SELECT id, title FROM jobs_v1 WHERE posted_at >= now() - interval '7 days' "
                       "ORDER BY posted_at DESC, id DESC LIMIT 50"),
    ("jobs_first_seen", "SELECT id FROM jobs_v1 WHERE first_seen > now() - interval '1 hour' ORDER BY first_seen"),
    ("jobs_countries", "SELECT id FROM jobs_v1 WHERE countries @> ARRAY['DE']"),
    ("jobs_updated_at", "SELECT id FROM jobs_v1 WHERE updated_at > now() - interval '1 hour'"),
    ("jobs_company_key", "SELECT company, open_jobs FROM companies_v1 WHERE company_key = 'acme'"),
    ("jobs_countries", "SELECT id FROM jobs_v1 WHERE countries && ARRAY['DE', 'FR']"),
    ("jobs_skills", "SELECT id FROM jobs_v1 WHERE skills @> ARRAY['Django', 'PostgreSQL']"),
    ("jobs_pkey", "SELECT p.source, p.url, j.title FROM jobs_v1 j JOIN postings_v1 p ON p.job_id = j.id "
                  "WHERE p.source = 'remotive' AND p.external_id = '1'"),
    ("postings_job", "SELECT p.url FROM jobs_v1 j JOIN postings_v1 p ON p.job_id = j.id WHERE j.id = 1"),
]


@pytest.mark.parametrize(("index", "query"), READER_QUERIES, ids=[f"{q[0]}-{n}" for n, q in enumerate(READER_QUERIES)])
async def test_readers_queries_on_the_views_are_served_by_indexes(clean_db: str, index: str, query: str) -> None:
    """The read-only role's usual questions use an index (on a tiny table the planner would scan, so
    sequential scans are discouraged: what is asserted is that a fitting index exists).

    Jobs posted since a date, in a country or with a skill were each a scan of every job.
    """
    role = f"hw_reader_{uuid.uuid4().hex[:8]}"
    conn = await asyncpg.connect(clean_db)
    try:
        await ingest(conn, "remotive", [item("remotive", "1", "Python Engineer", location="Berlin, Germany")])
        await conn.execute(db.read_only_role_sql(role))
        await conn.execute(f"GRANT {role} TO CURRENT_USER")
        async with conn.transaction():
            await conn.execute(f"SET LOCAL ROLE {role}")
            await conn.execute("SET LOCAL enable_seqscan = off")
            await conn.execute("SET LOCAL enable_indexscan = off")  # bitmap scans name the index too
            plan = await conn.fetchval(f"EXPLAIN (FORMAT JSON) {query}")
        assert f'"Index Name": "{index}"' in plan, plan
    finally:
        await conn.execute(f"REVOKE {role} FROM CURRENT_USER")
        await conn.execute(f"DROP OWNED BY {role}")
        await conn.execute(f"DROP ROLE {role}")
        await conn.close()


async def test_readers_compare_pay_across_currencies_in_us_dollars_a_year(clean_db: str) -> None:
    """"At least $100k a year" over jobs paid in euros a month and dollars an hour.

    jobs_v1 had the yearly pay only in each job's own currency, so a reader needed a rate table of
    its own to compare; the view now carries the yearly US-dollar figures alerts compare.
    """
    conn = await asyncpg.connect(clean_db)
    try:
        listings = []
        for n, (amount, currency, period) in enumerate([(8000, "EUR", "month"), (40, "USD", "hour"),
                                                        (150000, "USD", "year")]):
            raw = RawListing(source="remotive", external_id=str(n), title=f"Python Engineer {n}", company=f"Co {n}",
                             location_raw="Remote", remote=True, description_html="<p>Build APIs.</p>",
                             salary_min=amount, salary_max=amount, salary_currency=currency, salary_period=period,
                             raw={"id": n})
            listings.append(Incoming(normalise(raw), raw=b"{}"))
        await ingest(conn, "remotive", listings)
        rows = await conn.fetch("""SELECT title, salary_annual_usd_min, salary_annual_usd_max FROM jobs_v1
                                   WHERE salary_annual_usd_min >= 100000 ORDER BY title""")
        # 8000 EUR a month is over 100k USD a year at any plausible rate; 40 USD an hour (83,200) is not.
        euros = to_usd(8000 * ANNUAL_FACTOR["month"], "EUR")
        assert euros is not None and euros >= 100000
        assert [(r["title"], r["salary_annual_usd_min"], r["salary_annual_usd_max"]) for r in rows] == [
            ("Python Engineer 0", pytest.approx(euros), pytest.approx(euros)),
            ("Python Engineer 2", 150000, 150000)]
    finally:
        await conn.close()


async def test_a_job_can_appear_after_one_with_a_later_first_seen_so_polls_overlap(clean_db: str) -> None:
    """What README tells a poller, shown: `first_seen > last` misses a job whose batch began before and
    committed after the last poll; the overlapping poll README gives finds it.
    """
    slow, fast, reader = [await asyncpg.connect(clean_db) for _ in range(3)]
    try:
        async with slow.transaction():
            await ingest(slow, "remotive", [item("remotive", "1", "Python Engineer", "Slow Co")])
            await asyncio.sleep(0.05)
            await ingest(fast, "remoteok", [item("remoteok", "2", "Django Developer", "Fast Co")])
            last = await reader.fetchval("SELECT max(first_seen) FROM jobs_v1")
            seen = {r["id"] for r in await reader.fetch("SELECT id FROM jobs_v1")}
        exact = await reader.fetch("SELECT id FROM jobs_v1 WHERE first_seen > $1", last)
        assert exact == []  # the slow batch's job is never seen this way
        overlap = await reader.fetch(
            "SELECT id, title FROM jobs_v1 WHERE first_seen > $1::timestamptz - interval '10 minutes'", last)
        assert [r["title"] for r in overlap if r["id"] not in seen] == ["Python Engineer"]
    finally:
        for conn in (slow, fast, reader):
            await conn.close()


async def test_readers_find_the_postings_and_jobs_changed_since_their_last_poll(clean_db: str) -> None:
    """A re-read listing with other content moves its posting's updated_at, and nothing else's; the
    query is indexed. postings_v1 had no such column: a reader had to compare every listing."""
    conn = await asyncpg.connect(clean_db)
    try:
        await ingest(conn, "remotive", [item("remotive", "1", "Python Engineer", "Acme"),
                                        item("remotive", "2", "Django Developer", "Globex")])
        mark = await conn.fetchval("SELECT max(updated_at) FROM postings_v1")
        await ingest(conn, "remotive", [item("remotive", "1", "Python Engineer", "Acme", description="Now Rust too."),
                                        item("remotive", "2", "Django Developer", "Globex")])
        changed = await conn.fetch("""SELECT p.external_id, j.description_text FROM postings_v1 p
                                      JOIN jobs_v1 j ON j.id = p.job_id WHERE p.updated_at > $1""", mark)
        assert [tuple(r) for r in changed] == [("1", "Now Rust too.")]
        async with conn.transaction():
            await conn.execute("SET LOCAL enable_seqscan = off")
            await conn.execute("SET LOCAL enable_indexscan = off")
            plan = await conn.fetchval("EXPLAIN (FORMAT JSON) SELECT id FROM postings_v1 WHERE updated_at > now()")
        assert '"Index Name": "postings_updated_at"' in plan, plan
    finally:
        await conn.close()


async def test_readers_find_the_jobs_changed_since_their_last_poll_in_jobs_v1(clean_db: str) -> None:
    """jobs_v1.updated_at moves when the job's content changes, and only then: not when its postings
    are read again unchanged, nor when another board's posting joins it, nor when it closes.
    jobs_v1 had no such column: a reader had to join postings_v1 to find changed jobs."""
    conn = await asyncpg.connect(clean_db)
    try:
        await ingest(conn, "remotive", [item("remotive", "1", "Python Engineer", "Acme"),
                                        item("remotive", "2", "Django Developer", "Globex"),
                                        item("remotive", "3", "Go Developer", "Initech")], complete_scopes=[""])
        mark = await conn.fetchval("SELECT max(updated_at) FROM jobs_v1")
        # Job 1 changes; job 2 is read again unchanged and seen on a second board; job 3 closes.
        await ingest(conn, "remotive", [item("remotive", "1", "Python Engineer", "Acme", description="Now Rust too."),
                                        item("remotive", "2", "Django Developer", "Globex")], complete_scopes=[""])
        await ingest(conn, "remoteok", [item("remoteok", "9", "Django Developer", "Globex")])
        rows = await conn.fetch("SELECT title, description_text FROM jobs_v1 WHERE updated_at > $1 ORDER BY id", mark)
        assert [tuple(r) for r in rows] == [("Python Engineer", "Now Rust too.")]
        states = await conn.fetch("""SELECT j.title, j.closed_at IS NOT NULL AS closed, count(p.id) AS postings
                                     FROM jobs_v1 j JOIN postings_v1 p ON p.job_id = j.id
                                     GROUP BY j.id, j.title, j.closed_at ORDER BY j.title""")
        assert [tuple(r) for r in states] == [("Django Developer", False, 2), ("Go Developer", True, 1),
                                              ("Python Engineer", False, 1)]
    finally:
        await conn.close()


async def test_closing_a_posting_sets_closed_at_but_not_updated_at(clean_db: str) -> None:
    """As README says: a reader polling updated_at learns of content changes; closures show in closed_at."""
    conn = await asyncpg.connect(clean_db)
    try:
        await ingest(conn, "remotive", [item("remotive", "1", "Python Engineer"), item("remotive", "2", "Go Dev")],
                     complete_scopes=[""])
        before = await conn.fetchval("SELECT updated_at FROM postings_v1 WHERE external_id = '2'")
        await ingest(conn, "remotive", [item("remotive", "1", "Python Engineer")], complete_scopes=[""])
        row = await conn.fetchrow("""SELECT p.updated_at, p.closed_at AS posting_closed, j.closed_at AS job_closed
                                     FROM postings_v1 p JOIN jobs_v1 j ON j.id = p.job_id WHERE p.external_id = '2'""")
        assert row["updated_at"] == before
        assert row["posting_closed"] is not None and row["job_closed"] is not None
    finally:
        await conn.close()
