"""Raw items: the compressed original of every posting, read back for re-parsing and purged by age.

`postings.ingest` writes them; this module reads one source's items in keyset batches (posting id
order, so a run of any size holds one batch in memory and never skips or repeats a row while
ingestion goes on) and deletes those past the retention.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import asyncpg

__all__ = ["StoredItem", "purge", "read_batch"]


@dataclass(frozen=True, slots=True)
class StoredItem:
    """One open posting's raw item, with what is needed to rebuild its parse context."""

    posting_id: int
    external_id: str
    #: The posting's snapshot scope: ATS board, feed/page URL, or '' for whole-source feeds.
    scope: str
    compressed: bytes

    @property
    def payload(self) -> bytes:
        """The item as stored before compression; `zlib.error` when the row is corrupt."""
        return zlib.decompress(self.compressed)


# Closed postings are left out: `ingest` treats every posting it sees as seen again and reopens it.
_READ_BATCH = """
SELECT p.id, p.external_id, p.scope, r.payload
FROM postings p JOIN raw_items r ON r.posting_id = p.id
WHERE p.source = $1 AND p.id > $2 AND p.closed_at IS NULL
ORDER BY p.id
LIMIT $3
"""

# Oldest first through raw_items_fetched; `$2` caps one call, so a backlog is deleted in short
# transactions (the sweep's) rather than one that holds every row it deletes.
_PURGE = """
DELETE FROM raw_items WHERE posting_id = ANY(ARRAY(
    SELECT posting_id FROM raw_items WHERE fetched_at < now() - make_interval(days => $1)
    ORDER BY fetched_at LIMIT $2))
"""


async def read_batch(conn: asyncpg.Connection, source: str, *, after: int = 0, limit: int = 500) -> list[StoredItem]:
    """The next `limit` raw items of `source`'s open postings with a posting id above `after`."""
    rows = await conn.fetch(_READ_BATCH, source, after, limit)
    return [StoredItem(row["id"], row["external_id"], row["scope"], bytes(row["payload"])) for row in rows]


async def purge(conn: asyncpg.Connection, older_than_days: int, *, limit: int | None = None) -> int:
    """Delete raw items fetched more than `older_than_days` days ago, the oldest `limit` of them at
    most (None: all); returns how many went.

    The posting itself stays: only the ability to re-parse it is given up, which is the retention's
    trade of disk for re-parsing reach.
    """
    if older_than_days < 0:
        raise ValueError("older_than_days must not be negative")
    status: str = await conn.execute(_PURGE, older_than_days, limit)
    return int(status.rsplit(" ", 1)[-1])
