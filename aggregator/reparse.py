"""Re-parse a source's stored raw items, so that a parser or normaliser fix reaches listings already
stored without fetching anything again.

Each raw item goes through the adapter's `parse_item` and `normalise` again and back into
`postings.ingest`, which tells changed postings from unchanged ones by content hash and refreshes
their jobs. Nothing is closed (a re-parse is not a snapshot of the feed) and no posting is created:
an item that now parses to another external id is reported as failed instead of becoming a second
posting of the same job.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass, field

import asyncpg

from aggregator.errors import ParseError
from aggregator.normalise import normalise
from aggregator.store import postings as store_postings
from aggregator.store import raw_items as store_raw_items
from scrapers import sources as registry
from scrapers.sources.base import ParseContext, Source

__all__ = ["ReparseReport", "reparse_source"]

#: Reasons kept in a report; the count says how many more there were.
_MAX_ERRORS = 20


@dataclass(slots=True)
class ReparseReport:
    """What one re-parse of one source did (the `hirewire reparse` output)."""

    source: str
    read: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    #: The first reasons for failures, "posting <id> (<external id>): <why>".
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.failed == 0


async def reparse_source(pool: asyncpg.Pool, source: str, *, batch: int = 500) -> ReparseReport:
    """Re-parse and re-normalise every stored raw item of `source`'s open postings and store the result.

    Batches are ingested one transaction each, so an interrupted run keeps what it finished and can
    simply be run again. KeyError when `source` is not a registered source.
    """
    if batch < 1:
        raise ValueError("batch must be at least 1")
    adapter = registry.get(source)
    report = ReparseReport(source)
    after = 0
    async with pool.acquire() as conn:
        while stored := await store_raw_items.read_batch(conn, source, after=after, limit=batch):
            after = stored[-1].posting_id
            items: list[store_postings.Incoming] = []
            for item in stored:
                report.read += 1
                try:
                    items.append(_reparse(adapter, item))
                except (ParseError, ValueError, TypeError, KeyError, zlib.error) as exc:
                    report.failed += 1
                    if len(report.errors) < _MAX_ERRORS:
                        report.errors.append(f"posting {item.posting_id} ({item.external_id}): {exc}")
            if items:
                # Known postings only, so no near-duplicate decisions; raw=None keeps the stored item
                # and its fetch time (the retention clock) as they are.
                result = await store_postings.ingest(conn, source, items, complete_scopes=(),
                                                     near_duplicates=False)
                report.updated += result.updated
                report.unchanged += result.unchanged
    return report


def _reparse(adapter: Source, item: store_raw_items.StoredItem) -> store_postings.Incoming:
    """The stored item parsed and normalised again, on its way back into `ingest`."""
    raw = json.loads(item.payload)
    listing = adapter.parse_item(raw, _context(adapter, item.scope))
    if listing is None:
        raise ParseError("the stored item no longer holds a listing")
    if listing.external_id != item.external_id:
        raise ParseError(f"the stored item now parses to external id {listing.external_id!r}")
    return store_postings.Incoming(normalise(listing), raw=None, scope=item.scope)


def _context(adapter: Source, scope: str) -> ParseContext:
    """The parse context a posting's scope stands for: its board for ATS sources, else its feed URL."""
    if not scope:
        return ParseContext()
    if "{board}" in adapter.defaults.url:
        return ParseContext(board=scope)
    return ParseContext(url=scope)
