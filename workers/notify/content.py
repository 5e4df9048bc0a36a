"""What a notification says, independent of the channel: one batch of matched jobs for one alert."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg

__all__ = ["Alert", "Batch", "digest_order", "job_payload"]

#: Listing fields of the webhook contract (DESIGN.md, "Normalised listing"), in order.
_LISTING_FIELDS = ("source", "external_id", "url", "apply_url", "title", "company", "location_raw", "locations",
                   "remote", "employment_type", "seniority", "salary_min", "salary_max", "salary_currency",
                   "salary_period", "skills", "description_text", "description_html", "posted_at",
                   "python_backend", "fingerprint")

#: Digest order of the work arrangements; unknown comes last.
_REMOTE_ORDER = {"remote": 0, "hybrid": 1, "onsite": 2}


@dataclass(frozen=True, slots=True)
class Alert:
    id: int
    email: str | None
    webhook_url: str | None
    webhook_secret: str | None
    query: str
    frequency: str
    #: Whose alert it is: emails link the subscriber's page of all their alerts (None: no such page).
    subscriber_id: int | None = None

    @property
    def channel(self) -> str:
        return "email" if self.email else "webhook"

    @classmethod
    def from_row(cls, row: asyncpg.Record) -> Alert:
        return cls(id=row["id"], email=row["email"], webhook_url=row["webhook_url"],
                   webhook_secret=row["webhook_secret"], query=row["query"], frequency=row["frequency"],
                   subscriber_id=row["subscriber_id"])


@dataclass(frozen=True, slots=True)
class Batch:
    """One message: a lone match (instant) or a digest. `key` makes its stable Message-ID / webhook-id."""

    key: str
    alert: Alert
    jobs: list[dict[str, Any]]
    delivery_ids: list[int]
    #: When the first delivery was created: the body's event time, the same on every retry.
    created_at: datetime
    attempt: int

    @property
    def is_digest(self) -> bool:
        return self.key.startswith("g")


def job_payload(row: asyncpg.Record) -> dict[str, Any]:
    """A job as the normalised listing of the contract plus its id (JSON-ready)."""
    job: dict[str, Any] = {"id": row["id"]}
    for name in _LISTING_FIELDS:
        value = row[name]
        if isinstance(value, datetime):
            value = value.isoformat().replace("+00:00", "Z")
        job[name] = list(value) if isinstance(value, tuple) else value
    return job


def digest_order(jobs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A digest's jobs as every channel lists them: remote first, then hybrid, on-site and unknown;
    newest first within each (ties keep their order). One rule, so a webhook receiver gets the jobs
    in the order the subscriber reads them in the email, not in database order."""
    ordered = sorted(jobs, key=lambda j: j.get("posted_at") or "", reverse=True)
    ordered.sort(key=lambda j: _REMOTE_ORDER.get(j.get("remote") or "", len(_REMOTE_ORDER)))
    return ordered
