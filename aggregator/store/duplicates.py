"""The near-duplicate decision for a batch's new postings, against the open jobs of their companies.

Reads in two indexed steps (title keys, then the candidates of close titles), builds description
sketches only for pairs the other facts leave open, and caches candidates on the job rows. The
decision itself is `aggregator.dedup`'s (pure); this module is its storage side.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field

import asyncpg
import msgspec

from aggregator import dedup
from aggregator.model import Listing

__all__ = ["Decisions", "cache", "decide", "title_key"]

# The near-duplicate prefilter reads only ids and title keys of the open jobs of the batch's
# companies: candidates (with description sketches) are read for the few whose title is close.
_OPEN_TITLES = """
SELECT id, fingerprint, company_key, coalesce(title_key, '') AS title_key, title_key IS NULL AS keyless, title
FROM jobs WHERE company_key = ANY($1::text[]) AND closed_at IS NULL
"""

# A job's description is read only when its candidate has to be built (none cached yet).
_CANDIDATES = """
SELECT id, title, company, remote, countries, locations, employment_type, dedup_candidate,
       CASE WHEN dedup_candidate IS NULL THEN description_text END AS description_text
FROM jobs WHERE id = ANY($1::bigint[])
"""

#: Titles repeat (within a company, across boards, batch after batch): their keys, and the tiers of
#: pairs of them, are kept.
title_key = functools.lru_cache(maxsize=16_384)(dedup.title_key)
_title_tier = functools.lru_cache(maxsize=65_536)(dedup.title_tier)

_candidate_encoder = msgspec.msgpack.Encoder()
_candidate_decoder = msgspec.msgpack.Decoder(dedup.Candidate)

_CACHE_CANDIDATES = """
UPDATE jobs j SET dedup_candidate = c.candidate
FROM unnest($1::bigint[], $2::bytea[]) AS c (id, candidate) WHERE j.id = c.id
"""


def _light_row_candidate(row: asyncpg.Record) -> dedup.Candidate:
    """A job row's candidate without its description sketch (`dedup.sketched` adds it)."""
    return dedup.make_candidate(
        title=row["title"], company=row["company"], remote=row["remote"], countries=row["countries"],
        cities=[str(place["city"]) for place in row["locations"] if isinstance(place, dict) and place.get("city")],
        employment_type=row["employment_type"], with_sketch=False)


class _JobCandidates:
    """Candidates of the job rows read for a decision: the cached ones decoded, the others built
    without their description sketch until a pair needs it (then kept, to be cached after commit)."""

    def __init__(self, rows: Sequence[asyncpg.Record]) -> None:
        self._rows = {row["id"]: row for row in rows}
        self._full: dict[int, dedup.Candidate] = {
            row["id"]: _candidate_decoder.decode(row["dedup_candidate"])
            for row in rows if row["dedup_candidate"] is not None}
        self._light = {job_id: _light_row_candidate(row)
                       for job_id, row in self._rows.items() if job_id not in self._full}
        self.computed: list[tuple[int, bytes]] = []

    def __contains__(self, job_id: int) -> bool:
        return job_id in self._rows

    def light(self, job_id: int) -> dedup.Candidate:
        return self._full.get(job_id) or self._light[job_id]

    def full(self, job_id: int) -> dedup.Candidate:
        found = self._full.get(job_id)
        if found is None:
            found = self._full[job_id] = dedup.sketched(self._light[job_id], self._rows[job_id]["description_text"])
            self.computed.append((job_id, _candidate_encoder.encode(found)))
        return found


@dataclass(slots=True)
class Decisions:
    #: Index in the batch -> open job id the new posting duplicates.
    near: dict[int, int] = field(default_factory=dict)
    #: Index in the batch -> fingerprint to use instead, for a new posting whose fingerprint is taken by a
    #: job that the description shows to be a different role (same company, title and place, other team).
    fingerprint: dict[int, str] = field(default_factory=dict)
    #: Index in the batch -> the new posting's candidate (msgpack), stored with the job it creates.
    candidates: dict[int, bytes] = field(default_factory=dict)
    #: Candidates computed from job rows that had none cached: (job id, msgpack), written after commit.
    computed: list[tuple[int, bytes]] = field(default_factory=list)


async def decide(conn: asyncpg.Connection, listings: Sequence[Listing],
                 known: set[tuple[str, str]]) -> Decisions:
    """The near-duplicate decisions for the new postings of a batch.

    Two indexed reads per batch: the ids and title keys of the open jobs of the new postings'
    companies, then the candidates of only those jobs whose title is close to a new posting's (the
    decision needs a title tier of at least 1). What is read, and the Python work, grows with the
    close pairs, not with how many jobs the companies hold. The decision itself is dedup's pure
    `find_duplicate` / `is_same_job`.
    """
    decisions = Decisions()
    new = [(index, listing) for index, listing in enumerate(listings)
           if (listing.source, listing.external_id) not in known]
    keys = sorted({dedup.company_key(listing.company) for _, listing in new} - {""})
    if not keys:
        return decisions
    by_company: dict[str, dict[str, list[int]]] = {}  # company -> title key -> open job ids
    by_fingerprint: dict[str, int] = {}
    for row in await conn.fetch(_OPEN_TITLES, keys):
        title = title_key(row["title"]) if row["keyless"] else row["title_key"]
        by_company.setdefault(row["company_key"], {}).setdefault(title, []).append(row["id"])
        by_fingerprint[row["fingerprint"]] = row["id"]
    # Each new posting's close jobs (title tier >= 1) and the job holding its fingerprint, if open.
    pending: list[tuple[int, Listing, list[int], int | None]] = []
    for index, listing in new:
        titles = by_company.get(dedup.company_key(listing.company))
        if not titles:
            continue
        title = title_key(listing.title)
        close = [job_id for other, ids in titles.items() if _title_tier(title, other) for job_id in ids]
        taken = by_fingerprint.get(listing.fingerprint)
        if close or taken is not None:
            pending.append((index, listing, close, taken))
    if not pending:
        return decisions
    wanted = sorted({job_id for _, _, close, taken in pending for job_id in (*close, taken) if job_id is not None})
    jobs = _JobCandidates(await conn.fetch(_CANDIDATES, wanted))
    for index, listing, close, taken in pending:
        # Sketches (the costly part) are built only for pairs that the other facts leave open.
        light = dedup.candidate(listing, with_sketch=False)
        possible = [j for j in close if j in jobs and dedup.may_be_same_job(light, jobs.light(j))]
        if taken is not None and taken not in jobs:
            taken = None  # closed or gone since the first read
        if not possible and taken is None:
            continue
        mine = dedup.sketched(light, listing.description_text)
        job_id = dedup.find_duplicate(mine, ((j, jobs.full(j)) for j in possible))
        if job_id is not None:
            decisions.near[index] = job_id
            continue
        decisions.candidates[index] = _candidate_encoder.encode(mine)
        if taken is not None and mine.shingles and jobs.full(taken).shingles:
            # Same exact key, but both descriptions say these are different roles: keep them apart.
            decisions.fingerprint[index] = dedup.variant_fingerprint(listing)
    decisions.computed = sorted(jobs.computed)
    return decisions


async def cache(conn: asyncpg.Connection, computed: Sequence[tuple[int, bytes]]) -> None:
    """Store candidates built from job rows, outside the batch's transaction: a cache, so losing a
    race with another writer is harmless."""
    if not computed:
        return
    with contextlib.suppress(asyncpg.DeadlockDetectedError, asyncpg.LockNotAvailableError):
        await conn.execute(_CACHE_CANDIDATES, [c[0] for c in computed], [c[1] for c in computed])
