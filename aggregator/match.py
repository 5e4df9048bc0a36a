"""Matching new canonical jobs against saved alerts, set-at-a-time in PostgreSQL (percolation).

A stored tsquery cannot be index-searched for "which queries match this document", so, as Lucene
Monitor does, each alert is indexed by *anchor keys* when it is saved: a set of tokens of which
every job that can match it carries at least one. Tokens name a query lexeme (`t:python`) or a
structured value (`s:senior`, `m:remote`, `l:c:DE`, `k:Django`, …), or a pair of those
(`s:senior&t:django`), chosen to be as rare as the alert allows. A batch of jobs is turned into the
same tokens in SQL, candidate alerts come from the GIN index on `alerts.keys` (`&&`), and only
candidates are verified with the exact predicate (`ALERT_FILTERS`, `search @@ query_ts`). The cost
therefore follows the number of candidates, not alerts × jobs, and the result equals the naive
definition: the keys are a necessary condition, never a sufficient one.

One statement per batch locks the batch's unmatched jobs, writes a `deliveries` row for every match
(unique per alert and job, and per destination and job, so a subscriber whose two alerts match one
job is sent it once) and marks the jobs matched, all in one transaction: a crash before commit
leaves the jobs unmatched for the retry; after commit, a retry finds nothing left to do.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import asyncpg

__all__ = ["ALERT_FILTERS", "MatchResult", "TsNode", "alert_keys", "backfill", "match_jobs", "parse_tsquery",
           "required_terms", "unmatched_job_ids"]

# The exact definition of "alert `a` matches job `j`". Everything else here only narrows the pairs
# this predicate is evaluated on. Keep `store/jobs.py` search filters in step.
ALERT_FILTERS = """
    (a.query_ts IS NULL OR j.search @@ a.query_ts)
    AND (cardinality(a.remote) = 0 OR j.remote = ANY(a.remote))
    AND (cardinality(a.seniority) = 0 OR j.seniority = ANY(a.seniority))
    AND (cardinality(a.employment_types) = 0 OR j.employment_type = ANY(a.employment_types))
    AND (cardinality(a.sources) = 0 OR EXISTS (
            SELECT 1 FROM postings p WHERE p.job_id = j.id AND p.source = ANY(a.sources)))
    AND (cardinality(a.skills_any) = 0 OR j.skills && a.skills_any)
    AND j.skills @> a.skills_all
    AND (cardinality(a.exclude_companies) = 0 OR NOT (j.company_key = ANY(a.exclude_companies)))
    AND (a.max_age_days IS NULL OR coalesce(j.posted_at, j.first_seen) >= now() - make_interval(days => a.max_age_days))
    AND (a.min_salary_usd IS NULL
         OR coalesce(j.salary_usd_max, j.salary_usd_min) >= a.min_salary_usd
         OR (a.include_unknown_salary AND j.salary_usd_min IS NULL AND j.salary_usd_max IS NULL))
    AND (cardinality(a.countries) = 0
         OR j.countries && a.countries
         OR (j.remote = 'remote' AND (
                (cardinality(j.countries) = 0 AND cardinality(j.remote_regions) = 0)
                OR 'Worldwide' = ANY(j.remote_regions)
                OR j.remote_regions && a.regions)))
"""

_DESTINATION = "coalesce(lower(a.email), a.webhook_url)"

# The tokens of each job of the batch; the same vocabulary as `alert_keys` below. Query lexemes are
# kept only when some alert uses them (`alert_terms`), which keeps a job to a few hundred tokens.
_JOB_KEYS = """
struct AS (
    SELECT j.id, t.tok FROM batch j CROSS JOIN LATERAL unnest(
        array_remove(ARRAY['m:' || j.remote, 's:' || j.seniority, 'e:' || j.employment_type], NULL)
        || ARRAY(SELECT 'l:c:' || c FROM unnest(j.countries) c)
        || CASE WHEN j.remote = 'remote' THEN ARRAY(SELECT 'l:r:' || r FROM unnest(j.remote_regions) r)
                ELSE '{}'::text[] END
        || CASE WHEN j.remote = 'remote' AND ((cardinality(j.countries) = 0 AND cardinality(j.remote_regions) = 0)
                                              OR 'Worldwide' = ANY(j.remote_regions))
                THEN ARRAY['l:any'] ELSE '{}'::text[] END
        || ARRAY(SELECT 'k:' || s FROM unnest(j.skills) s)
        || ARRAY(SELECT DISTINCT 'o:' || p.source FROM postings p WHERE p.job_id = j.id)
    ) AS t(tok)
),
terms AS (
    SELECT j.id, 't:' || v.term AS tok
    FROM batch j CROSS JOIN LATERAL unnest(tsvector_to_array(j.search)) AS lx(term)
    JOIN alert_terms v ON v.term = lx.term
),
job_keys AS (
    SELECT id, array_agg(tok) AS keys FROM (
        SELECT id, '*' AS tok FROM batch
        UNION ALL SELECT id, tok FROM struct
        UNION ALL SELECT id, tok FROM terms
        UNION ALL SELECT s.id, s.tok || '&' || t.tok FROM struct s JOIN terms t ON t.id = s.id
        UNION ALL SELECT x.id, x.tok || '&' || y.tok FROM struct x JOIN struct y
                  ON y.id = x.id AND x.tok COLLATE "C" < y.tok COLLATE "C"
    ) all_tokens GROUP BY id
)"""

# Candidate pairs (for counting; `_MATCH` verifies them in the same join).
_CANDIDATES = """
candidates AS (
    SELECT k.id AS job_id, a.id AS alert_id
    FROM job_keys k JOIN alerts a ON a.keys && k.keys AND a.status = 'active'
    UNION ALL
    SELECT j.id, a.id FROM batch j CROSS JOIN alerts a WHERE a.status = 'active' AND a.keys IS NULL
)"""

# The columns matching reads. `search || ''` decompresses the job's (usually TOASTed) search vector once
# per job, not once per candidate alert.
_BATCH = """
batch AS (
    SELECT id, remote, seniority, employment_type, countries, remote_regions, skills, company_key, posted_at,
           first_seen, salary_usd_min, salary_usd_max, search || ''::tsvector AS search
    FROM jobs WHERE id = ANY($1::bigint[]) AND matched_at IS NULL
    ORDER BY id FOR UPDATE SKIP LOCKED
)"""

# Each candidate pair comes out of the GIN index scan once (an alert whose keys overlap a job's in
# several tokens is still one row of the && join), so no de-duplication is needed before verifying,
# and the alert row the index scan fetched is verified in place. `OFFSET 0` keeps the lateral
# subquery from being flattened: without it the planner, which cannot estimate `&&` on arrays built
# in the statement, may compare every active alert with every job.
_MATCH = f"""
WITH {_BATCH},
{_JOB_KEYS},
found AS (
    SELECT a.id AS alert_id, j.id AS job_id, {_DESTINATION} AS destination, a.frequency
    FROM job_keys k JOIN batch j ON j.id = k.id
    CROSS JOIN LATERAL (SELECT * FROM alerts WHERE keys && k.keys AND status = 'active' OFFSET 0) a
    WHERE {ALERT_FILTERS}
    UNION ALL
    SELECT a.id, j.id, {_DESTINATION}, a.frequency
    FROM batch j CROSS JOIN alerts a
    WHERE a.status = 'active' AND a.keys IS NULL AND {ALERT_FILTERS}
),
matches AS (
    SELECT DISTINCT ON (job_id, destination) alert_id, job_id, destination, frequency
    FROM found ORDER BY job_id, destination, alert_id
),
inserted AS (
    INSERT INTO deliveries (alert_id, job_id, destination)
    SELECT alert_id, job_id, destination FROM matches
    {{on_conflict}}
    RETURNING id, alert_id
),
marked AS (
    UPDATE jobs SET matched_at = now() WHERE id IN (SELECT id FROM batch) RETURNING id
),
ordered AS (
    SELECT array_agg(id ORDER BY id) AS ids, array_agg(alert_id ORDER BY id) AS alert_ids FROM inserted
)
SELECT (SELECT count(*) FROM marked) AS jobs,
       coalesce((SELECT ids FROM ordered), '{{}}') AS deliveries,
       coalesce((SELECT alert_ids FROM ordered), '{{}}') AS alert_ids,
       coalesce((SELECT array_agg(DISTINCT alert_id) FROM matches WHERE frequency <> 'instant'), '{{}}') AS later
"""

# A batch's jobs are locked and unmatched, so no other matcher writes their deliveries: the insert
# needs no conflict handling, which halves its index work. Only a back-fill racing the batch can
# have written one of its pairs; the batch is then redone with conflicts skipped.
_MATCH_PLAIN = _MATCH.replace("{on_conflict}", "")
_MATCH_SKIPPING = _MATCH.replace("{on_conflict}", "ON CONFLICT DO NOTHING")

# Local to the matching transaction. JIT compilation costs more than it saves on this statement.
_SETTINGS = "SET LOCAL jit = off; SET LOCAL work_mem = '128MB'"

#: Held shared while deliveries are written, exclusive by the triggers that delete an alert's deliveries
#: (schema.sql): deliveries have no foreign keys, and this keeps an alert being deleted from gaining one.
DELIVERIES_LOCK = int.from_bytes(b"dlvr", "big")
_LOCK = f"SELECT pg_advisory_xact_lock_shared({DELIVERIES_LOCK})"

# Back-filling one alert runs the other way round: the alert's predicate over recent jobs, newest first.
_BACKFILL = f"""
WITH found AS (
    SELECT a.id AS alert_id, j.id AS job_id, {_DESTINATION} AS destination, a.frequency
    FROM alerts a JOIN jobs j ON j.first_seen >= now() - make_interval(days => $2) AND j.closed_at IS NULL
    WHERE a.id = $1 AND {ALERT_FILTERS}
    ORDER BY j.first_seen DESC, j.id DESC
    LIMIT $3
),
inserted AS (
    INSERT INTO deliveries (alert_id, job_id, destination)
    SELECT alert_id, job_id, destination FROM found ORDER BY job_id
    ON CONFLICT DO NOTHING
    RETURNING id
)
SELECT i.id, (SELECT frequency FROM alerts WHERE id = $1) AS frequency FROM inserted i ORDER BY i.id
"""


@dataclass(slots=True)
class MatchResult:
    jobs: int = 0
    deliveries: int = 0
    #: Deliveries of instant alerts: to be sent now.
    instant_ids: list[int] | None = field(default_factory=list)


async def match_jobs(conn: asyncpg.Connection, job_ids: Sequence[int]) -> MatchResult:
    """Match these jobs (the unmatched ones among them) against every active alert."""
    job_ids = sorted(set(job_ids))
    try:
        row = await _match(conn, _MATCH_PLAIN, job_ids)
    except asyncpg.UniqueViolationError:
        # A back-fill wrote one of these pairs after the batch was read: redo it, skipping what exists.
        row = await _match(conn, _MATCH_SKIPPING, job_ids)
    # Which new deliveries are instant is decided here rather than by a join in SQL: the planner
    # cannot estimate a data-modifying CTE's size and may nest-loop over it.
    later = set(row["later"])
    instant = [delivery for delivery, alert in zip(row["deliveries"], row["alert_ids"], strict=True)
               if alert not in later]
    return MatchResult(jobs=int(row["jobs"]), deliveries=len(row["deliveries"]), instant_ids=instant)


async def _match(conn: asyncpg.Connection, statement: str, job_ids: list[int]) -> asyncpg.Record:
    async with conn.transaction():
        await conn.execute(f"{_SETTINGS}; {_LOCK}")
        row = await conn.fetchrow(statement, job_ids)
    assert row is not None
    return row


async def count_candidates(conn: asyncpg.Connection, job_ids: Sequence[int]) -> int:
    """How many (alert, job) pairs the index prefilter leaves to verify for these jobs (for benchmarks)."""
    sql = (f"WITH batch AS (SELECT * FROM jobs WHERE id = ANY($1::bigint[])),{_JOB_KEYS},{_CANDIDATES} "
           "SELECT count(*) FROM candidates")
    return int(await conn.fetchval(sql, sorted(set(job_ids))))


async def explain(conn: asyncpg.Connection, job_ids: Sequence[int]) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of matching these jobs, rolled back: the plan and where the time goes."""
    transaction = conn.transaction()
    await transaction.start()
    try:
        await conn.execute(_SETTINGS)
        rows = await conn.fetch(f"EXPLAIN (ANALYZE, BUFFERS) {_MATCH_PLAIN}", sorted(set(job_ids)))
    finally:
        await transaction.rollback()
    return "\n".join(row[0] for row in rows)


async def backfill(conn: asyncpg.Connection, alert_id: int, *, days: int, limit: int) -> MatchResult:
    """Deliveries for one alert over the jobs first seen in the last `days` (at most `limit` jobs)."""
    async with conn.transaction():
        await conn.execute(_LOCK)
        rows = await conn.fetch(_BACKFILL, alert_id, days, limit)
    instant = [row["id"] for row in rows if row["frequency"] == "instant"]
    return MatchResult(jobs=len(rows), deliveries=len(rows), instant_ids=instant)


async def unmatched_job_ids(conn: asyncpg.Connection, limit: int = 1000) -> list[int]:
    """Jobs whose matching was never done (e.g. the enqueue was lost in a crash)."""
    rows = await conn.fetch("SELECT id FROM jobs WHERE matched_at IS NULL ORDER BY id LIMIT $1", limit)
    return [row["id"] for row in rows]


# -- the anchor keys of an alert -----------------------------------------------------------------


@dataclass(slots=True, frozen=True)
class TsNode:
    """A node of a tsquery: op is 'lex', '!', '&', '|' or '<->' (any phrase distance)."""

    op: str
    value: str = ""
    children: tuple[TsNode, ...] = ()
    #: Phrase distance for '<->' nodes; prefix flag for 'lex' nodes (`:*`) is in `value`'s suffix.
    distance: int = 1
    prefix: bool = False


_TOKEN = re.compile(r"\s*(?:(?P<lex>'(?:[^'\\]|''|\\.)*')(?P<flags>:[*A-Da-d]+)?|(?P<phrase><(?:-|\d+)>)"
                    r"|(?P<op>[&|!()]))")


def parse_tsquery(text: str) -> TsNode | None:
    """Parse PostgreSQL's text form of a tsquery (`'a' & !( 'b' | 'c' <-> 'd' )`); None when empty.

    Precedence as in PostgreSQL: ! binds tightest, then <->, then &, then |.
    """
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text.rstrip()):
        found = _TOKEN.match(text, pos)
        if found is None:
            raise ValueError(f"cannot read tsquery at {text[pos:pos + 20]!r}")
        pos = found.end()
        if found["lex"]:
            raw = found["lex"][1:-1].replace("''", "'")
            tokens.append(("lex" + ("*" if found["flags"] and "*" in found["flags"] else ""),
                           re.sub(r"\\(.)", r"\1", raw)))
        elif found["phrase"]:
            tokens.append(("<->", found["phrase"]))
        else:
            tokens.append((found["op"], ""))
    if not tokens:
        return None
    node, rest = _parse_or(tokens)
    if rest:
        raise ValueError("trailing tokens in tsquery")
    return node


Tokens = list[tuple[str, str]]


def _parse_or(tokens: Tokens) -> tuple[TsNode, Tokens]:
    node, tokens = _parse_and(tokens)
    parts = [node]
    while tokens and tokens[0][0] == "|":
        node, tokens = _parse_and(tokens[1:])
        parts.append(node)
    return (parts[0] if len(parts) == 1 else TsNode("|", children=tuple(parts))), tokens


def _parse_and(tokens: Tokens) -> tuple[TsNode, Tokens]:
    node, tokens = _parse_phrase(tokens)
    parts = [node]
    while tokens and tokens[0][0] == "&":
        node, tokens = _parse_phrase(tokens[1:])
        parts.append(node)
    return (parts[0] if len(parts) == 1 else TsNode("&", children=tuple(parts))), tokens


def _parse_phrase(tokens: Tokens) -> tuple[TsNode, Tokens]:
    node, tokens = _parse_unary(tokens)
    while tokens and tokens[0][0] == "<->":
        marker = tokens[0][1]
        right, tokens = _parse_unary(tokens[1:])
        distance = 1 if marker == "<->" else int(marker[1:-1])
        node = TsNode("<->", children=(node, right), distance=distance)
    return node, tokens


def _parse_unary(tokens: Tokens) -> tuple[TsNode, Tokens]:
    if not tokens:
        raise ValueError("tsquery ends early")
    kind, value = tokens[0]
    if kind == "!":
        child, rest = _parse_unary(tokens[1:])
        return TsNode("!", children=(child,)), rest
    if kind == "(":
        node, rest = _parse_or(tokens[1:])
        if not rest or rest[0][0] != ")":
            raise ValueError("unbalanced parentheses in tsquery")
        return node, rest[1:]
    if kind.startswith("lex"):
        return TsNode("lex", value=value, prefix=kind.endswith("*")), tokens[1:]
    raise ValueError(f"unexpected {kind!r} in tsquery")


#: Lexemes most Python-backend listings contain: a poor anchor, chosen only when nothing rarer exists.
_COMMON = frozenset({"python", "develop", "engin", "backend", "softwar", "senior", "remot", "work", "team",
                     "experi", "year", "build", "product", "data", "web", "code", "job", "role", "compani"})


def _term_cost(terms: frozenset[str]) -> float:
    return sum(0.5 if term in _COMMON else 0.03 for term in terms)


def required_terms(node: TsNode | None) -> frozenset[str] | None:
    """Lexemes of which every document matching `node` contains at least one; None if unbounded.

    A negation can match a document with none of the query's words, so it bounds nothing; an OR
    needs all its branches bounded; an AND or phrase needs only one, and the rarest is taken.
    """
    if node is None:
        return None
    if node.op == "lex":
        return None if node.prefix else frozenset({node.value})
    if node.op == "!":
        return None
    sets = [required_terms(child) for child in node.children]
    if node.op == "|":
        if any(s is None for s in sets):
            return None
        return frozenset().union(*[s for s in sets if s is not None])
    bounded = [s for s in sets if s is not None]
    return min(bounded, key=lambda s: (_term_cost(s), len(s), -sum(map(len, s)))) if bounded else None


_MAX_KEYS = 64
_SENIORITY_COST = 0.2
_REMOTE_COST = {"remote": 0.6, "hybrid": 0.2, "onsite": 0.3}
_EMPLOYMENT_COST = {"full_time": 0.8}


def alert_keys(*, terms: frozenset[str] | None, remote: Sequence[str] = (), seniority: Sequence[str] = (),
               employment_types: Sequence[str] = (), countries: Sequence[str] = (), regions: Sequence[str] = (),
               skills_any: Sequence[str] = (), skills_all: Sequence[str] = (),
               sources: Sequence[str] = ()) -> list[str]:
    """An alert's anchor keys: the cheapest one or two of its necessary conditions, crossed.

    Each condition is a set of job tokens of which a matching job has at least one; crossing two
    (every job has both) makes a rarer key. '*' (every job) when the alert constrains nothing.
    """
    dims: list[tuple[float, frozenset[str]]] = []
    if terms:
        dims.append((min(1.0, _term_cost(terms)), frozenset(f"t:{t}" for t in terms)))
    if remote:
        dims.append((sum(_REMOTE_COST.get(r, 0.3) for r in remote), frozenset(f"m:{r}" for r in remote)))
    if seniority:
        dims.append((_SENIORITY_COST * len(seniority), frozenset(f"s:{s}" for s in seniority)))
    if employment_types:
        dims.append((sum(_EMPLOYMENT_COST.get(e, 0.1) for e in employment_types),
                     frozenset(f"e:{e}" for e in employment_types)))
    if countries:
        dims.append((0.3 + 0.05 * len(countries),
                     frozenset([f"l:c:{c}" for c in countries] + [f"l:r:{r}" for r in regions] + ["l:any"])))
    if skills_any:
        dims.append((0.15 * len(skills_any), frozenset(f"k:{s}" for s in skills_any)))
    dims.extend((0.15, frozenset({f"k:{s}"})) for s in skills_all)
    if sources:
        dims.append((0.15 * len(sources), frozenset(f"o:{s}" for s in sources)))
    if not dims:
        return ["*"]
    # Rank the options by (cost, number of keys) first; only the winner's keys are spelt out.
    options: list[tuple[float, int, int, int]] = [(cost, len(tokens), n, -1) for n, (cost, tokens) in enumerate(dims)]
    for (i, (cost_a, a)), (j, (cost_b, b)) in itertools.combinations(enumerate(dims), 2):
        if len(a) * len(b) <= _MAX_KEYS and not a & b:
            options.append((cost_a * cost_b, len(a) * len(b), i, j))
    _, _, i, j = min(options, key=lambda option: (option[0], option[1]))
    if j < 0:
        return sorted(dims[i][1])
    return sorted("&".join(sorted(pair, key=str.encode)) for pair in itertools.product(dims[i][1], dims[j][1]))
