"""Postings and canonical jobs: set-at-a-time ingestion of one source's batch.

The batch's known postings are read with their content hashes (locked, in id order): unchanged
ones only move `last_seen`, in one statement, and go no further. The rest is copied into a
temporary table, then a fixed number of statements (never one per row) tells new and changed
postings apart, attaches new postings to canonical jobs (exact fingerprint or near-duplicate
decision), keeps the raw items and, for a complete snapshot, closes what disappeared. Everything
happens in one transaction, so the dedup decision and the rows it produces commit together; new
job ids are returned for matching after commit.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field

import asyncpg
import msgspec

from aggregator import dedup
from aggregator.model import Listing
from aggregator.normalise.currency import to_usd
from aggregator.store import duplicates

__all__ = ["Incoming", "IngestResult", "ingest"]


@dataclass(slots=True)
class Incoming:
    """One normalised listing on its way in, with the raw item it came from."""

    listing: Listing
    raw: bytes | None = None
    #: The snapshot it belongs to (ATS board or feed URL); '' for whole-source feeds.
    scope: str = ""


@dataclass(slots=True)
class IngestResult:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    #: New postings that joined an existing job (the same job seen on another board or again).
    duplicates: int = 0
    closed: int = 0
    new_job_ids: list[int] = field(default_factory=list)


_encoder = msgspec.json.Encoder()

_COLUMNS = [
    "source", "external_id", "scope", "content_hash", "fingerprint", "company_key", "title", "company", "url",
    "apply_url", "location_raw", "locations", "countries", "remote_regions", "remote", "employment_type",
    "seniority", "salary_min", "salary_max", "salary_currency", "salary_period", "salary_annual_min",
    "salary_annual_max", "skills", "description_text", "description_html", "posted_at", "python_backend",
    "listing", "raw", "near_job_id", "salary_usd_min", "salary_usd_max", "title_key", "dedup_candidate",
]

# Local to an ingest transaction. A batch's rows carry whole descriptions: its sorts and hashes
# (DISTINCT ON, the joins) stay in memory with this work_mem, rather than spilling to temporary
# files at the default 4 MB. Every row is also larger than PostgreSQL's 2 KB TOAST threshold three
# times over (descriptions as text and HTML, the listing as JSON), in the batch table, in postings and
# in jobs, so each is compressed on the way in: lz4, where the server is built with it, compresses
# them several times faster than the default pglz (the ingest benchmark's COPY and postings insert
# take half the time). Where it is not, the setting stays as it is.
_SETTINGS = """
SET LOCAL work_mem = '64MB';
SELECT set_config('default_toast_compression', 'lz4', true) FROM pg_settings
WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)
"""

_ANALYZE_INCOMING = "ANALYZE incoming (source, external_id, fingerprint, near_job_id)"

_CREATE_INCOMING = """
CREATE TEMP TABLE IF NOT EXISTS incoming (
    source text, external_id text, scope text, content_hash text, fingerprint text, company_key text,
    title text, company text, url text, apply_url text, location_raw text, locations text,
    countries text[], remote_regions text[], remote text, employment_type text, seniority text,
    salary_min double precision, salary_max double precision, salary_currency text, salary_period text,
    salary_annual_min double precision, salary_annual_max double precision, skills text[],
    description_text text, description_html text, posted_at timestamptz, python_backend boolean,
    listing text, raw bytea, near_job_id bigint, salary_usd_min double precision, salary_usd_max double precision,
    title_key text, dedup_candidate bytea
) ON COMMIT DELETE ROWS
"""

def _whole_listing(row: str) -> str:
    """The stored listing: the batch table carries it without its descriptions, which travel once, as
    columns of their own (they are most of a listing's bytes), and are put back here."""
    return (f"{row}.listing::jsonb || jsonb_build_object('description_text', {row}.description_text, "
            f"'description_html', {row}.description_html)")


# Known postings: refresh last_seen, and content where the hash changed. Returns one row each.
_UPDATE_KNOWN = f"""
WITH known AS (
    SELECT p.id, p.job_id, p.content_hash AS old_hash, i.*
    FROM postings p JOIN incoming i ON p.source = i.source AND p.external_id = i.external_id
    ORDER BY p.id
    FOR UPDATE OF p
)
UPDATE postings p
SET last_seen = now(), closed_at = NULL, scope = known.scope,
    content_hash = known.content_hash,
    listing = CASE WHEN known.old_hash <> known.content_hash THEN {_whole_listing('known')} ELSE p.listing END,
    updated_at = CASE WHEN known.old_hash <> known.content_hash THEN now() ELSE p.updated_at END
FROM known
WHERE p.id = known.id
RETURNING p.id, p.job_id, known.old_hash <> known.content_hash AS changed
"""

# A changed posting refreshes its job (and the job's updated_at) when it is the posting the job was
# built from.
_REFRESH_JOBS = """
UPDATE jobs j
SET title = i.title, company = i.company, url = i.url, apply_url = i.apply_url,
    location_raw = i.location_raw, locations = i.locations::jsonb, countries = i.countries,
    remote_regions = i.remote_regions, remote = i.remote, employment_type = i.employment_type,
    seniority = i.seniority, salary_min = i.salary_min, salary_max = i.salary_max,
    salary_currency = i.salary_currency, salary_period = i.salary_period,
    salary_annual_min = i.salary_annual_min, salary_annual_max = i.salary_annual_max, skills = i.skills,
    salary_usd_min = i.salary_usd_min, salary_usd_max = i.salary_usd_max,
    description_text = i.description_text, description_html = i.description_html,
    posted_at = coalesce(i.posted_at, j.posted_at), python_backend = i.python_backend,
    search = {search}, title_key = i.title_key, dedup_candidate = i.dedup_candidate, updated_at = now()
FROM postings p JOIN incoming i ON p.source = i.source AND p.external_id = i.external_id
WHERE p.id = ANY($1::bigint[]) AND j.id = p.job_id AND j.source = p.source
"""

# Rows are locked in id order, so two batches touching the same jobs queue rather than deadlock.
_TOUCH_JOBS = """
UPDATE jobs SET last_seen = now(), closed_at = NULL
WHERE id IN (SELECT id FROM jobs WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE)
"""

_SEARCH = """(setweight(to_tsvector('english', coalesce(i.title, '')), 'A')
 || setweight(to_tsvector('english', coalesce(i.company, '') || ' ' || array_to_string(i.skills, ' ')), 'B')
 || setweight(to_tsvector('english', left(coalesce(i.description_text, ''), 200000)), 'C'))"""

# New canonical jobs for new postings that are neither known nor a near duplicate. An existing
# fingerprint is the exact cross-source key: the row is only touched (xmax <> 0 tells).
_INSERT_JOBS = f"""
INSERT INTO jobs (fingerprint, company_key, title, company, url, apply_url, location_raw, locations,
                  countries, remote_regions, remote, employment_type, seniority, salary_min, salary_max,
                  salary_currency, salary_period, salary_annual_min, salary_annual_max, skills,
                  description_text, description_html, posted_at, python_backend, source, search,
                  salary_usd_min, salary_usd_max, title_key, dedup_candidate)
SELECT DISTINCT ON (i.fingerprint)
       i.fingerprint, i.company_key, i.title, i.company, i.url, i.apply_url, i.location_raw,
       i.locations::jsonb, i.countries, i.remote_regions, i.remote, i.employment_type, i.seniority,
       i.salary_min, i.salary_max, i.salary_currency, i.salary_period, i.salary_annual_min,
       i.salary_annual_max, i.skills, i.description_text, i.description_html, i.posted_at,
       i.python_backend, i.source, {_SEARCH}, i.salary_usd_min, i.salary_usd_max, i.title_key,
       i.dedup_candidate
FROM incoming i
WHERE i.near_job_id IS NULL
  AND NOT EXISTS (SELECT 1 FROM postings p WHERE p.source = i.source AND p.external_id = i.external_id)
ORDER BY i.fingerprint, i.external_id
ON CONFLICT (fingerprint) DO UPDATE SET last_seen = now(), closed_at = NULL
RETURNING id, (xmax = 0) AS inserted
"""

# The job is looked up per row through jobs_fingerprint: a join let the planner hash all of jobs.
_INSERT_POSTINGS = f"""
INSERT INTO postings (source, external_id, scope, job_id, content_hash, listing)
SELECT i.source, i.external_id, i.scope,
       coalesce(i.near_job_id, (SELECT j.id FROM jobs j WHERE j.fingerprint = i.fingerprint)),
       i.content_hash, {_whole_listing('i')}
FROM incoming i
WHERE NOT EXISTS (SELECT 1 FROM postings p WHERE p.source = i.source AND p.external_id = i.external_id)
ORDER BY i.source, i.external_id
ON CONFLICT (source, external_id) DO NOTHING
RETURNING id, job_id
"""

_KEEP_RAW = """
INSERT INTO raw_items (posting_id, payload)
SELECT p.id, i.raw FROM incoming i JOIN postings p ON p.source = i.source AND p.external_id = i.external_id
WHERE i.raw IS NOT NULL AND p.id = ANY($1::bigint[])
ON CONFLICT (posting_id) DO UPDATE SET payload = excluded.payload, fetched_at = now()
"""

# What the snapshot no longer lists: neither in the batch table (new and changed) nor seen again.
_CLOSE_POSTINGS = """
UPDATE postings p SET closed_at = now()
WHERE p.source = $1 AND p.scope = ANY($2::text[]) AND p.closed_at IS NULL AND p.id <> ALL($3::bigint[])
  AND NOT EXISTS (SELECT 1 FROM incoming i WHERE i.source = p.source AND i.external_id = p.external_id)
RETURNING p.job_id
"""

# A job closes when its last open posting closes.
_CLOSE_JOBS = """
UPDATE jobs j SET closed_at = now()
WHERE j.id = ANY($1::bigint[]) AND j.closed_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM postings p WHERE p.job_id = j.id AND p.closed_at IS NULL)
"""

# The batch's known postings with their content hashes, locked in id order (as every statement that
# locks postings does, so overlapping batches queue rather than deadlock).
_KNOWN = """
SELECT id, job_id, source, external_id, content_hash FROM postings
WHERE (source, external_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))
ORDER BY id FOR UPDATE
"""

# Known postings whose content hash is unchanged: only seen again (the usual case of a re-read feed).
_SEEN_AGAIN = """
UPDATE postings p SET last_seen = now(), closed_at = NULL, scope = u.scope
FROM unnest($1::bigint[], $2::text[]) AS u (id, scope) WHERE p.id = u.id
"""


def content_hash(listing: Listing) -> str:
    return _Encoded.of(Incoming(listing)).content_hash


def _record(item: _Encoded, near_job_id: int | None, fingerprint: str | None,
            candidate: bytes | None) -> tuple[object, ...]:
    listing = item.listing
    return (
        listing.source, listing.external_id, item.scope, item.content_hash, fingerprint or listing.fingerprint,
        dedup.company_key(listing.company), listing.title, listing.company, listing.url, listing.apply_url,
        listing.location_raw, _encoder.encode(listing.locations).decode(),
        sorted({loc.country for loc in listing.locations if loc.country}), listing.remote_regions,
        listing.remote, listing.employment_type, listing.seniority, listing.salary_min, listing.salary_max,
        listing.salary_currency, listing.salary_period, listing.salary_annual_min, listing.salary_annual_max,
        listing.skills, listing.description_text, listing.description_html, listing.posted_at,
        listing.python_backend, item.bare.decode(),
        zlib.compress(item.raw, 6) if item.raw is not None else None, near_job_id,
        _usd(listing.salary_annual_min, listing.salary_currency),
        _usd(listing.salary_annual_max, listing.salary_currency),
        duplicates.title_key(listing.title), candidate,
    )


@dataclass(slots=True)
class _Encoded:
    """An incoming listing with its content hash, and encoded for the batch table."""

    listing: Listing
    raw: bytes | None
    scope: str
    content_hash: str
    #: The listing without its descriptions, which the batch table carries once, in their own columns.
    bare: bytes

    @classmethod
    def of(cls, item: Incoming) -> _Encoded:
        listing = item.listing
        digest = hashlib.blake2b(_encoder.encode(listing), digest_size=16).hexdigest()
        bare = _encoder.encode(msgspec.structs.replace(listing, description_text=None, description_html=None))
        return cls(listing, item.raw, item.scope, digest, bare)


def _usd(amount: float | None, currency: str | None) -> float | None:
    """Yearly pay in USD, what alerts' minimum salaries are compared with."""
    return None if amount is None else to_usd(amount, currency)


async def ingest(conn: asyncpg.Connection, source: str, items: Sequence[Incoming], *,
                 complete_scopes: Sequence[str] = (), near_duplicates: bool = True) -> IngestResult:
    """Store one batch of `source`; close postings missing from each scope in `complete_scopes`.

    Returns counts and the ids of canonical jobs created by this batch (what matching sees).
    """
    unique: dict[str, Incoming] = {}
    for item in items:  # the last occurrence of an external id in a batch wins
        unique[item.listing.external_id] = item
    batch = list(unique.values())
    for _ in range(_ATTEMPTS - 1):
        try:
            return await _ingest_once(conn, source, batch, complete_scopes, near_duplicates)
        except asyncpg.DeadlockDetectedError:
            # Overlapping batches lock shared jobs in the orders their statements meet them (by
            # fingerprint when inserting, by id when touching); PostgreSQL breaks the rare cycle by
            # aborting one transaction, which then simply runs again.
            continue
    return await _ingest_once(conn, source, batch, complete_scopes, near_duplicates)


#: How many times a batch is tried when PostgreSQL picks it as a deadlock victim.
_ATTEMPTS = 3


async def _store_fresh(conn: asyncpg.Connection, items: list[_Encoded], known: set[tuple[str, str]],
                       near_duplicates: bool, result: IngestResult,
                       touched: set[int]) -> tuple[list[int], duplicates.Decisions]:
    """New and changed listings: through the batch table into postings and jobs.

    Fills `result` and adds the jobs to touch to `touched`; returns the ids of the postings whose
    raw item is to be kept, and the near-duplicate decisions made.
    """
    decisions = (await duplicates.decide(conn, [item.listing for item in items], known) if near_duplicates
                 else duplicates.Decisions())
    near = decisions.near
    records = [_record(item, near.get(i), decisions.fingerprint.get(i), decisions.candidates.get(i))
               for i, item in enumerate(items)]
    await conn.copy_records_to_table("incoming", records=records, columns=_COLUMNS)
    # Without statistics a temporary table looks big to the planner, which then hashes whole
    # tables (postings, jobs) instead of probing their indexes once per row of the batch.
    await conn.execute(_ANALYZE_INCOMING)
    known_rows = await conn.fetch(_UPDATE_KNOWN)
    changed = [row["id"] for row in known_rows if row["changed"]]
    result.updated = len(changed)
    result.unchanged += len(known_rows) - len(changed)
    if changed:
        await conn.execute(_REFRESH_JOBS.format(search=_SEARCH), changed)
    touched.update(row["job_id"] for row in known_rows)
    jobs = await conn.fetch(_INSERT_JOBS)
    result.new_job_ids = sorted(row["id"] for row in jobs if row["inserted"])
    postings = await conn.fetch(_INSERT_POSTINGS)
    result.new = len(postings)
    result.duplicates = result.new - len(result.new_job_ids)
    touched.update(near.values())
    return [row["id"] for row in postings] + changed, decisions


async def _ingest_once(conn: asyncpg.Connection, source: str, batch: list[Incoming],
                       complete_scopes: Sequence[str], near_duplicates: bool) -> IngestResult:
    result = IngestResult()
    encoded = [_Encoded.of(item) for item in batch]
    decisions = duplicates.Decisions()
    async with conn.transaction():
        await conn.execute(f"{_SETTINGS}; {_CREATE_INCOMING}")
        stored = {(row["source"], row["external_id"]): row for row in await conn.fetch(
            _KNOWN, [i.listing.source for i in encoded], [i.listing.external_id for i in encoded])}
        # Unchanged listings (same content hash) only move last_seen: they are not copied over at all.
        again: list[tuple[asyncpg.Record, _Encoded]] = []
        fresh_items: list[_Encoded] = []
        for item in encoded:
            row = stored.get((item.listing.source, item.listing.external_id))
            if row is not None and row["content_hash"] == item.content_hash:
                again.append((row, item))
            else:
                fresh_items.append(item)
        if again:
            await conn.execute(_SEEN_AGAIN, [row["id"] for row, _ in again], [item.scope for _, item in again])
        seen_again = sorted(row["id"] for row, _ in again)
        result.unchanged = len(again)
        touched = {row["job_id"] for row, _ in again}
        fresh: list[int] = []
        if fresh_items:
            fresh, decisions = await _store_fresh(conn, fresh_items, set(stored), near_duplicates, result, touched)
        if touched:
            await conn.execute(_TOUCH_JOBS, sorted(touched))
        if fresh:
            await conn.execute(_KEEP_RAW, fresh)
        if complete_scopes:
            gone = await conn.fetch(_CLOSE_POSTINGS, source, list(complete_scopes), seen_again)
            result.closed = len(gone)
            if gone:
                await conn.execute(_CLOSE_JOBS, sorted({row["job_id"] for row in gone}))
    await duplicates.cache(conn, decisions.computed)
    return result
