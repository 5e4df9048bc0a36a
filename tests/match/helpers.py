"""Jobs for matching tests, stored through the real ingest path (search vector, USD salary)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

import asyncpg

from aggregator.model import Listing, Location
from aggregator.store import postings

_ids = itertools.count(1)


def listing(**fields: Any) -> Listing:
    """A remote senior Python job at Initech unless told otherwise."""
    number = next(_ids)
    countries = fields.pop("countries", [])
    values: dict[str, Any] = {
        "source": "remotive", "external_id": f"x{number}", "title": "Senior Python Engineer",
        "company": "Initech", "remote": "remote", "employment_type": "full_time", "seniority": "senior",
        "skills": ["Django", "PostgreSQL"], "description_text": "We build APIs with Django and PostgreSQL.",
        "posted_at": datetime.now(UTC), "fingerprint": f"fp{number}",
        "locations": [Location(country=c) for c in countries],
    }
    values.update(fields)
    return Listing(**values)


async def store(conn: asyncpg.Connection, *items: Listing) -> list[int]:
    """Ingest each listing under its own source; returns the new canonical job ids in order."""
    ids = []
    for item in items:
        result = await postings.ingest(conn, item.source, [postings.Incoming(item)], near_duplicates=False)
        ids.extend(result.new_job_ids)
    return ids
