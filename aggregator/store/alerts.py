"""Alerts: saving them with their match index, reading, pausing, resuming, deleting, back-filling.

Saving an alert is where the percolation index is built: PostgreSQL normalises the query
(`websearch_to_tsquery('english', …)`, the same config as the jobs' search vectors), the result is
stored as a tsquery so matching never re-parses it, and `aggregator.match` derives the alert's
anchor keys from it. Doing this once per alert is what lets matching skip most alerts per job.
"""

from __future__ import annotations

import json
from datetime import datetime

import asyncpg

from aggregator import match
from aggregator.alerts import AlertSpec, new_webhook_secret
from aggregator.errors import InputError

__all__ = ["REINDEX_CHUNK", "VOCABULARY_LOCK", "backfill", "create", "delete", "get", "list_alerts", "reindex",
           "rekey", "set_status"]

#: Alerts (re-)keyed per transaction: each holds its rows briefly, and memory stays flat however many
#: alerts there are.
REINDEX_CHUNK = 2000

#: Held shared by every transaction that adds lexemes to `alert_terms` together with the alerts that use
#: them, and exclusively while lexemes no alert uses are pruned. Without it a prune could delete a lexeme
#: that an alert still being saved reuses (its INSERT … ON CONFLICT DO NOTHING neither adds nor locks an
#: existing row), and that alert's query words would then never reach matching.
VOCABULARY_LOCK = int.from_bytes(b"vocab", "big")
_VOCABULARY_SHARED = f"SELECT pg_advisory_xact_lock_shared({VOCABULARY_LOCK})"
_ADD_TERMS = "INSERT INTO alert_terms (term) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING"
_PRUNE_TERMS = f"""
SELECT pg_advisory_xact_lock({VOCABULARY_LOCK});
DELETE FROM alert_terms v
WHERE NOT EXISTS (SELECT 1 FROM (SELECT DISTINCT unnest(terms) AS term FROM alerts) used WHERE used.term = v.term)
"""

_INSERT = """
INSERT INTO alerts (subscriber_id, email, webhook_url, webhook_secret, query, query_ts, terms, keys, filters,
                    remote, countries, regions, seniority, employment_types, sources, skills_any, skills_all,
                    exclude_companies, min_salary_usd, include_unknown_salary, max_age_days, frequency,
                    send_hour, timezone, status, created_at)
VALUES ($1, $2, $3, $4, $5, CASE WHEN $5 = '' THEN NULL ELSE websearch_to_tsquery('english', $5) END, $6, $7,
        $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, coalesce($25, now()))
RETURNING id
"""

_SUBSCRIBER = """
INSERT INTO subscribers (email, confirmed_at) VALUES ($1, CASE WHEN $2 THEN now() END)
ON CONFLICT ((lower(email))) WHERE email IS NOT NULL
DO UPDATE SET confirmed_at = coalesce(subscribers.confirmed_at, excluded.confirmed_at), unsubscribed_at = NULL
RETURNING id
"""

_COLUMNS = """id, subscriber_id, email, webhook_url, query, filters, status, frequency, send_hour, timezone,
    created_at, last_digest_at, terms, keys,
    (SELECT count(*) FROM deliveries d WHERE d.alert_id = alerts.id) AS deliveries"""


async def _index(conn: asyncpg.Connection, query: str, *, remote: list[str], seniority: list[str],
                 employment_types: list[str], countries: list[str], regions: list[str], skills_any: list[str],
                 skills_all: list[str], sources: list[str], min_salary_usd: float | None,
                 include_unknown_salary: bool) -> tuple[list[str] | None, list[str]]:
    """(required lexemes or None, anchor keys) for an alert; adds its lexemes to the match vocabulary."""
    terms: frozenset[str] | None = None
    shares = await match.token_shares(conn)
    if query:
        text = await conn.fetchval("SELECT websearch_to_tsquery('english', $1)::text", query)
        if not text:
            raise InputError("query", "has no searchable words (only stop words or punctuation)")
        terms = match.required_terms(match.parse_tsquery(text), shares)
    keys = match.alert_keys(terms=terms, remote=remote, seniority=seniority, employment_types=employment_types,
                            countries=countries, regions=regions, skills_any=skills_any, skills_all=skills_all,
                            sources=sources, min_salary_usd=min_salary_usd,
                            include_unknown_salary=include_unknown_salary, shares=shares)
    if terms:
        await conn.execute(_VOCABULARY_SHARED)
        await conn.execute(_ADD_TERMS, sorted(terms))
    return (sorted(terms) if terms is not None else None), keys


async def create(conn: asyncpg.Connection, spec: AlertSpec, *, status: str = "active",
                 saved_at: datetime | None = None) -> tuple[int, str | None]:
    """Save an alert; returns its id and, for a webhook, the signing secret (shown once).

    An email alert links to the subscriber with that address (created if new; confirmed when the
    alert is created active, as the operator's are). `saved_at` dates the alert earlier than now
    (the demo's digest subscriber signed up the day before, so today's digest is due); a digest's
    first slot is the first after it.
    """
    secret = new_webhook_secret() if spec.webhook else None
    salary = spec.min_salary
    async with conn.transaction():
        terms, keys = await _index(conn, spec.query, remote=spec.remote, seniority=spec.seniority,
                                   employment_types=spec.employment_types, countries=spec.countries,
                                   regions=spec.regions, skills_any=spec.skills_any, skills_all=spec.skills_all,
                                   sources=spec.sources, min_salary_usd=salary.usd_per_year if salary else None,
                                   include_unknown_salary=salary.include_unknown if salary else True)
        subscriber = await conn.fetchval(_SUBSCRIBER, spec.email, status == "active") if spec.email else None
        alert_id = await conn.fetchval(
            _INSERT, subscriber, spec.email, spec.webhook, secret, spec.query, terms, keys, spec.to_json(),
            spec.remote, spec.countries, spec.regions, spec.seniority, spec.employment_types, spec.sources,
            spec.skills_any, spec.skills_all, spec.exclude_companies,
            salary.usd_per_year if salary else None, salary.include_unknown if salary else True,
            spec.max_age_days, spec.frequency, spec.send_hour, spec.timezone, status, saved_at)
    return int(alert_id), secret


_UNINDEXED = """
SELECT id, query, websearch_to_tsquery('english', query)::text AS ts, remote, seniority, employment_types,
       countries, regions, skills_any, skills_all, sources, min_salary_usd, include_unknown_salary
FROM alerts WHERE (keys IS NULL OR $1) AND id > $2 ORDER BY id LIMIT $3
"""

_SET_INDEX = """
UPDATE alerts a
SET terms = x.terms, keys = x.keys,
    query_ts = CASE WHEN a.query = '' THEN NULL ELSE websearch_to_tsquery('english', a.query) END
FROM jsonb_to_recordset($1::text::jsonb) AS x(id bigint, terms text[], keys text[])
WHERE a.id = x.id AND (a.keys IS NULL OR ($2 AND (a.keys, a.terms) IS DISTINCT FROM (x.keys, x.terms)))
"""


async def reindex(conn: asyncpg.Connection, *, everything: bool = False, chunk: int = REINDEX_CHUNK) -> int:
    """Build the match index of every alert saved without one (or of all alerts); returns how many changed.

    Set-based, for alerts written by an older version or loaded in bulk (COPY with NULL keys), and
    for re-keying every alert after the token shares were re-measured. Alerts go `chunk` at a time,
    each chunk in its own transaction: one statement normalises its queries (`websearch_to_tsquery`,
    as `create` does), the anchor keys are derived in Python (`match.required_terms`,
    `match.alert_keys`, once per distinct query), and one UPDATE writes them. Matching stays exact
    throughout, since an alert's old keys and its new ones are both necessary conditions of it, and
    lexemes are only added to the vocabulary until the last chunk is written. A query with no
    searchable words keeps its (empty, never-matching) tsquery and is anchored by its filters only;
    `create` refuses such a query instead.

    Re-keying everything ends by pruning the lexemes no alert uses any more, which would cost every
    job a lookup.
    """
    shares = await match.token_shares(conn)
    trees: dict[str, frozenset[str] | None] = {}
    changed, after = 0, 0
    while True:
        async with conn.transaction():
            rows = await conn.fetch(_UNINDEXED, everything, after, chunk)
            if rows:
                changed += await _key_chunk(conn, rows, shares, trees, everything=everything)
        if len(rows) < chunk:
            break
        after = rows[-1]["id"]
    if everything:
        async with conn.transaction():
            await conn.execute(_PRUNE_TERMS)
    return changed


async def _key_chunk(conn: asyncpg.Connection, rows: list[asyncpg.Record], shares: match.TokenShares,
                     trees: dict[str, frozenset[str] | None], *, everything: bool) -> int:
    """Write the keys of one chunk of alerts, and add the lexemes they use to the vocabulary first."""
    vocabulary: set[str] = set()
    updates: list[dict[str, object]] = []
    for row in rows:
        terms: frozenset[str] | None = None
        if row["query"]:
            text = row["ts"]
            if text not in trees:
                trees[text] = match.required_terms(match.parse_tsquery(text), shares) if text else None
            terms = trees[text]
        keys = match.alert_keys(terms=terms, remote=row["remote"], seniority=row["seniority"],
                                employment_types=row["employment_types"], countries=row["countries"],
                                regions=row["regions"], skills_any=row["skills_any"],
                                skills_all=row["skills_all"], sources=row["sources"],
                                min_salary_usd=row["min_salary_usd"],
                                include_unknown_salary=row["include_unknown_salary"], shares=shares)
        vocabulary |= terms or frozenset()
        updates.append({"id": row["id"], "terms": sorted(terms) if terms is not None else None, "keys": keys})
    await conn.execute(_VOCABULARY_SHARED)
    await conn.execute(_ADD_TERMS, sorted(vocabulary))
    status = await conn.execute(_SET_INDEX, json.dumps(updates), everything)
    # Re-keying leaves alerts whose keys came out the same untouched (no dead row for nothing).
    return int(status.split()[-1])


async def rekey(conn: asyncpg.Connection, *, days: int = 30) -> tuple[int, int]:
    """Re-measure the token shares over the last `days` of jobs and re-key every alert by them.

    Returns (tokens measured, alerts re-keyed); nothing is re-keyed when too few recent jobs exist
    to measure. Run daily by the sweep and by `hirewire alerts reindex`.
    """
    tokens = await match.measure_token_shares(conn, days=days)
    if not tokens:
        return 0, 0
    return tokens, await reindex(conn, everything=True)


async def get(conn: asyncpg.Connection, alert_id: int) -> asyncpg.Record | None:
    return await conn.fetchrow(f"SELECT {_COLUMNS} FROM alerts WHERE id = $1", alert_id)


async def list_alerts(conn: asyncpg.Connection, *, limit: int = 1000) -> list[asyncpg.Record]:
    return list(await conn.fetch(f"SELECT {_COLUMNS} FROM alerts ORDER BY id LIMIT $1", limit))


#: Pausing and resuming: the status an alert goes to, and the one it must be in. A pending
#: (unconfirmed) or unsubscribed alert is neither paused nor resumed.
PAUSE_RESUME: dict[str, tuple[str, ...]] = {"paused": ("active",), "active": ("paused",)}


async def set_status(conn: asyncpg.Connection, alert_id: int, status: str, *,
                     only_from: tuple[str, ...] | None = None) -> bool:
    """Move an alert to `status` if it is in one of `only_from` (default: pausing or resuming, see
    PAUSE_RESUME); False if it is not (or is gone)."""
    allowed = PAUSE_RESUME[status] if only_from is None else only_from
    done = await conn.fetchval("UPDATE alerts SET status = $2 WHERE id = $1 AND status = ANY($3::text[]) "
                               "RETURNING id", alert_id, status, list(allowed))
    return done is not None


async def delete(conn: asyncpg.Connection, alert_id: int) -> bool:
    """Remove an alert and its deliveries (a removed alert is never notified again)."""
    return await conn.fetchval("DELETE FROM alerts WHERE id = $1 RETURNING id", alert_id) is not None


async def backfill(conn: asyncpg.Connection, alert_id: int, *, days: int, limit: int) -> match.MatchResult:
    """Match one active alert against jobs first seen in the last `days`, at most `limit` of them."""
    status = await conn.fetchval("SELECT status FROM alerts WHERE id = $1", alert_id)
    if status is None:
        raise InputError("ID", f"no alert {alert_id}")
    if status != "active":
        raise InputError("ID", f"alert {alert_id} is {status}, not active")
    return await match.backfill(conn, alert_id, days=days, limit=limit)
