"""/v1/jobs: search the stored jobs with the alerts' query syntax and filters; one job with its postings.

Filters are checked by the alert validator itself (`parse_alert`), so a search refuses exactly what
an alert would and names the same field. Pages are keyset cursors over (rank, id): stable while new
jobs arrive, and as cheap on page 100 as on page 1.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from typing import Any

import asyncpg
from aiohttp import web

from aggregator.alerts import SEARCH_CHANNEL, parse_alert
from aggregator.api.base import RUNTIME, ApiError, dumps, whole_number
from aggregator.errors import InputError
from aggregator.store import jobs as store_jobs

__all__ = ["routes"]

routes = web.RouteTableDef()

_LIST_PARAMS = ("remote", "countries", "seniority", "skills", "sources")
_PARAMS = {"query", *_LIST_PARAMS, "include_closed", "python_only", "limit", "cursor"}
_MAX_LIMIT = 100
#: Job ids are bigints.
_MAX_ID = 2**63 - 1
_SUMMARY = ("id", "title", "company", "url", "apply_url", "location_raw", "locations", "remote", "employment_type",
            "seniority", "salary_min", "salary_max", "salary_currency", "salary_period", "skills", "posted_at",
            "python_backend", "first_seen", "last_seen", "closed_at", "remote_regions", "salary_annual_min",
            "salary_annual_max")


def _list(request: web.Request, name: str) -> list[str]:
    """Repeated (`?remote=remote&remote=hybrid`) or comma-separated (`?remote=remote,hybrid`)."""
    return [part.strip() for value in request.query.getall(name, []) for part in value.split(",") if part.strip()]


def _bool(request: web.Request, name: str) -> bool:
    value = request.query.get(name, "false").lower()
    if value not in ("true", "false", "1", "0"):
        raise InputError(name, "must be true or false")
    return value in ("true", "1")


def _limit(request: web.Request) -> int:
    limit = whole_number(request.query.get("limit", "20"))
    if limit is None or not 1 <= limit <= _MAX_LIMIT:
        raise InputError("limit", f"must be a whole number from 1 to {_MAX_LIMIT}")
    return limit


def search_key(query: store_jobs.JobQuery) -> str:
    """A short digest of what a search asks (text and filters, not the page size or position).

    A cursor carries it, so that a cursor reused with other filters is refused: its (rank, id)
    position means nothing in another search, and the page it gave looked right but was not.
    """
    asked = [query.text, query.remote, query.countries, query.seniority, query.skills, query.sources,
             query.include_closed, query.python_only]
    return hashlib.sha256(json.dumps(asked).encode()).hexdigest()[:12]


def encode_cursor(rank: float, job_id: int, key: str) -> str:
    return base64.urlsafe_b64encode(json.dumps([rank, job_id, key]).encode()).decode().rstrip("=")


def decode_cursor(value: str, key: str) -> tuple[float, int]:
    """The (rank, id) a `next_cursor` carries; 422 naming `cursor` for anything this API cannot have sent.

    The id must fit a bigint and the rank be finite: a tampered or corrupted cursor holding an id
    past 2^63-1 reached PostgreSQL and came back as a 500, and a NaN rank (which json.loads accepts)
    sorts above every number there, silently restarting the listing from the top. A cursor of
    another search (`key`) is refused; one without a key (issued before keys were) is taken as is.
    """
    try:
        rank, job_id, *rest = json.loads(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)))
    except (ValueError, TypeError):
        raise InputError("cursor", "not a cursor this API returned") from None
    if (isinstance(rank, bool) or not isinstance(rank, int | float) or not math.isfinite(rank)
            or isinstance(job_id, bool) or not isinstance(job_id, int) or not 0 <= job_id <= _MAX_ID
            or len(rest) > 1):
        raise InputError("cursor", "not a cursor this API returned")
    if rest and rest[0] != key:
        raise InputError("cursor", "this cursor belongs to a search with other filters or query: "
                                   "start again without it")
    return float(rank), job_id


def job_query(request: web.Request) -> store_jobs.JobQuery:
    """The search the query string asks for, validated like an alert."""
    unknown = set(request.query) - _PARAMS
    if unknown:
        raise InputError(sorted(unknown)[0], f"unknown parameter (known: {', '.join(sorted(_PARAMS))})")
    # A single-valued parameter given twice (`limit=5&limit=500`, a client serialising a list) was
    # answered with the first value and the rest dropped unseen: ambiguous, so refused.
    for name in sorted(_PARAMS - set(_LIST_PARAMS)):
        if len(request.query.getall(name, [])) > 1:
            raise InputError(name, "give this parameter once (only the list filters repeat)")
    alert: dict[str, Any] = {name: _list(request, name) for name in _LIST_PARAMS}
    alert["skills"] = {"all": alert["skills"]}
    alert["query"] = request.query.get("query", "")
    try:
        spec = parse_alert({**alert, "channel": SEARCH_CHANNEL})
    except InputError as exc:
        raise InputError("skills" if exc.field.startswith("skills") else exc.field, exc.message) from None
    query = store_jobs.JobQuery.of(spec, include_closed=_bool(request, "include_closed"),
                                   python_only=_bool(request, "python_only"), limit=_limit(request))
    cursor = request.query.get("cursor")
    if cursor:
        query.after = decode_cursor(cursor, search_key(query))
    return query


def conditional_json(request: web.Request, data: Any) -> web.Response:
    """`data` as JSON with a strong ETag of its bytes; 304 without a body when the client holds them.

    A reader keeping jobs up to date polls them over and over and, before, downloaded each whole
    again (descriptions included) to learn it had not changed. `Cache-Control: no-cache` lets any
    cache keep the response but makes it ask again each time, since a job can change at any fetch.
    """
    text = dumps(data)
    etag = '"' + hashlib.sha256(text.encode()).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    held = {tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")}
    if etag in held or f"W/{etag}" in held or "*" in held:
        return web.Response(status=304, headers=headers)
    return web.Response(text=text, content_type="application/json", headers=headers)


def _summary(row: asyncpg.Record) -> dict[str, Any]:
    return {name: row[name] for name in _SUMMARY}


@routes.get("/v1/jobs")
async def search_jobs(request: web.Request) -> web.Response:
    query = job_query(request)
    async with request.app[RUNTIME].pool.acquire() as conn:
        rows = await store_jobs.search(conn, query)
    last = rows[-1] if len(rows) == query.limit else None
    cursor = encode_cursor(last["rank"], last["id"], search_key(query)) if last else None
    return conditional_json(request, {"jobs": [_summary(r) for r in rows], "next_cursor": cursor})


@routes.get(r"/v1/jobs/{id}")
async def get_job(request: web.Request) -> web.Response:
    raw = request.match_info["id"]
    job: asyncpg.Record | None = None
    postings: list[asyncpg.Record] = []
    job_id = whole_number(raw)
    if job_id is not None:
        async with request.app[RUNTIME].pool.acquire() as conn:
            job, postings = await store_jobs.get(conn, job_id)
    if job is None:
        raise ApiError(404, "not_found", f"no job {raw!r}", field="id")
    body = {**_summary(job), "description_text": job["description_text"],
            "description_html": job["description_html"], "fingerprint": job["fingerprint"],
            "postings": [dict(p) for p in postings]}
    return conditional_json(request, body)
