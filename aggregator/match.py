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

import asyncio
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import asyncpg

__all__ = ["ALERT_FILTERS", "DELIVERIES_LOCK", "MatchResult", "PartialMatchError", "TokenShares", "TsNode",
           "alert_keys", "backfill", "match_in_parts", "match_jobs", "measure_token_shares", "parse_tsquery",
           "required_terms", "token_shares", "token_shares_measured_at", "unmatched_job_ids"]

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

#: Yearly pay bands (USD) of the salary tokens: a job carries its band, `p:<lower bound>` or `p:none`.
SALARY_BANDS = (0, 25_000, 50_000, 75_000, 100_000, 125_000, 150_000, 175_000, 200_000, 250_000, 300_000, 400_000)
_BANDS_SQL = "{" + ",".join(map(str, SALARY_BANDS)) + "}"

# The structured tokens of job `j`: the vocabulary of `alert_keys` below, besides query lexemes.
_STRUCT_TOKENS = f"""(
    array_remove(ARRAY['m:' || j.remote, 's:' || j.seniority, 'e:' || j.employment_type], NULL)
    || ARRAY(SELECT 'l:c:' || c FROM unnest(j.countries) c)
    || CASE WHEN j.remote = 'remote' THEN ARRAY(SELECT 'l:r:' || r FROM unnest(j.remote_regions) r)
            ELSE '{{}}'::text[] END
    || CASE WHEN j.remote = 'remote' AND ((cardinality(j.countries) = 0 AND cardinality(j.remote_regions) = 0)
                                          OR 'Worldwide' = ANY(j.remote_regions))
            THEN ARRAY['l:any'] ELSE '{{}}'::text[] END
    || ARRAY(SELECT 'k:' || s FROM unnest(j.skills) s)
    || ARRAY(SELECT DISTINCT 'o:' || p.source FROM postings p WHERE p.job_id = j.id)
    || ARRAY['p:' || CASE WHEN coalesce(j.salary_usd_max, j.salary_usd_min) IS NULL THEN 'none'
        ELSE coalesce((SELECT max(band) FROM unnest('{_BANDS_SQL}'::int[]) AS band
                       WHERE band <= coalesce(j.salary_usd_max, j.salary_usd_min))::text, '0') END])"""

# The tokens of each job of the batch. Query lexemes are kept only when some alert uses them
# (`alert_terms`), which keeps a job to a few hundred tokens.
_JOB_KEYS = f"""
struct AS (
    SELECT j.id, t.tok FROM batch j CROSS JOIN LATERAL unnest({_STRUCT_TOKENS}) AS t(tok)
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


#: Batches smaller than this many jobs per connection are not split: the fixed cost would dominate.
_MIN_PART = 100


async def match_in_parts(pool: asyncpg.Pool, job_ids: Sequence[int], *, connections: int = 2) -> MatchResult:
    """`match_jobs` over up to `connections` contiguous slices of the batch at once.

    PostgreSQL runs each statement on one core; slices of distinct jobs neither wait for nor
    conflict with each other (their rows and index entries differ), and each commits on its own,
    so a crash leaves only whole slices matched and the retry does the rest.
    """
    ids = sorted(set(job_ids))
    parts = max(1, min(connections, len(ids) // _MIN_PART))
    size = -(-len(ids) // parts) if ids else 0

    async def run(part: list[int]) -> MatchResult:
        async with pool.acquire() as conn:
            return await match_jobs(conn, part)

    outcomes = await asyncio.gather(*(run(ids[start:start + size]) for start in range(0, len(ids), size or 1)),
                                    return_exceptions=True)
    for outcome in outcomes:
        if isinstance(outcome, BaseException) and not isinstance(outcome, Exception):
            raise outcome  # cancelled or interrupted: nothing to report
    results = [outcome for outcome in outcomes if isinstance(outcome, MatchResult)]
    combined = MatchResult(jobs=sum(r.jobs for r in results), deliveries=sum(r.deliveries for r in results),
                           instant_ids=[i for r in results for i in r.instant_ids or []])
    failures = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    if failures and results:
        raise PartialMatchError(combined) from failures[0]
    if failures:
        raise failures[0]
    return combined


class PartialMatchError(Exception):
    """Some slices of a batch committed and another failed: `result` is what committed.

    The caller sends the committed instant deliveries at once rather than leaving them to the
    sweep; the failed slice's jobs are still unmatched, so a retry matches exactly those.
    """

    def __init__(self, result: MatchResult) -> None:
        super().__init__(f"{result.jobs} jobs matched, the rest failed")
        self.result = result


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


# Share of recent jobs carrying each match token (the cost model of anchor keys), kept down to a floor.
_MEASURE_SHARES = f"""
WITH recent AS MATERIALIZED (
    SELECT * FROM jobs j WHERE j.first_seen >= now() - make_interval(days => $1)
),
counted AS (
    SELECT t.tok, count(DISTINCT j.id) AS jobs
    FROM recent j CROSS JOIN LATERAL unnest({_STRUCT_TOKENS}) AS t(tok) GROUP BY t.tok
    UNION ALL
    SELECT 't:' || lexeme, count(*) FROM recent j CROSS JOIN LATERAL unnest(tsvector_to_array(j.search)) AS lexeme
    GROUP BY lexeme
)
INSERT INTO match_token_shares (token, share)
SELECT tok, jobs / $2::float8 FROM counted WHERE jobs >= $2::float8 * $3
"""

#: Tokens fewer than this share of jobs carry are not kept: any of them is a good anchor.
SHARE_FLOOR = 0.01


async def measure_token_shares(conn: asyncpg.Connection, *, days: int = 30, min_jobs: int = 200) -> int:
    """Re-measure which share of the jobs first seen in the last `days` carries each token.

    Returns how many tokens were kept; 0 when there are fewer than `min_jobs` recent jobs, in which
    case the previous measurement (or the priors) stays: a handful of jobs would mislead more.
    """
    async with conn.transaction():
        total = await conn.fetchval(
            "SELECT count(*) FROM jobs WHERE first_seen >= now() - make_interval(days => $1)", days)
        if total < min_jobs:
            return 0
        await conn.execute("DELETE FROM match_token_shares")
        await conn.execute(_MEASURE_SHARES, days, total, SHARE_FLOOR)
        return int(await conn.fetchval("SELECT count(*) FROM match_token_shares"))


async def token_shares(conn: asyncpg.Connection) -> TokenShares:
    """The last measurement (priors if none)."""
    rows = await conn.fetch("SELECT token, share FROM match_token_shares")
    return TokenShares({row["token"]: row["share"] for row in rows}, SHARE_FLOOR)


async def token_shares_measured_at(conn: asyncpg.Connection) -> datetime | None:
    """When the shares were last measured (None: never)."""
    value: datetime | None = await conn.fetchval("SELECT max(measured_at) FROM match_token_shares")
    return value


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


#: Lexemes most Python-backend listings contain: the prior of a lexeme's share before any statistics.
_COMMON = frozenset({"python", "develop", "engin", "backend", "softwar", "senior", "remot", "work", "team",
                     "experi", "year", "build", "product", "data", "web", "code", "job", "role", "compani"})
#: Prior shares of structured tokens by prefix, before any statistics (an empty database).
_PRIOR = {"m:remote": 0.6, "m:hybrid": 0.2, "m:onsite": 0.3, "e:full_time": 0.8, "l:any": 0.15, "p:none": 0.5}
_PRIOR_BY_KIND = {"t": 0.03, "m": 0.3, "s": 0.2, "e": 0.1, "l": 0.05, "k": 0.15, "o": 0.15, "p": 0.08}


@dataclass(slots=True, frozen=True)
class TokenShares:
    """What share of recent jobs carries each match token: the cost model of anchor keys.

    Measured by `store.alerts.refresh_token_shares` over recent jobs, keeping tokens at least
    `floor` of jobs carry; a token not kept is rarer than that. With no measurement yet (an empty
    database), fixed priors stand in. An anchor's cost is the share of jobs it lets through.
    """

    shares: dict[str, float] = field(default_factory=dict)
    floor: float = 0.01

    def of(self, token: str) -> float:
        if not self.shares:
            if token in _PRIOR:
                return _PRIOR[token]
            if token.startswith("t:"):
                return 0.5 if token[2:] in _COMMON else 0.03
            return _PRIOR_BY_KIND.get(token.split(":", 1)[0], 0.1)
        return self.shares.get(token, self.floor / 2)

    def of_any(self, tokens: Iterable[str]) -> float:
        """Share of jobs carrying at least one of `tokens` (bounded by the sum)."""
        return min(1.0, sum(self.of(token) for token in tokens))


_NO_SHARES = TokenShares()


def required_terms(node: TsNode | None, shares: TokenShares = _NO_SHARES) -> frozenset[str] | None:
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
    sets = [required_terms(child, shares) for child in node.children]
    if node.op == "|":
        if any(s is None for s in sets):
            return None
        return frozenset().union(*[s for s in sets if s is not None])
    bounded = [s for s in sets if s is not None]
    if not bounded:
        return None
    return min(bounded, key=lambda s: (shares.of_any(f"t:{t}" for t in s), len(s), -sum(map(len, s)), sorted(s)))


_MAX_KEYS = 64


def alert_keys(*, terms: frozenset[str] | None, remote: Sequence[str] = (), seniority: Sequence[str] = (),
               employment_types: Sequence[str] = (), countries: Sequence[str] = (), regions: Sequence[str] = (),
               skills_any: Sequence[str] = (), skills_all: Sequence[str] = (),
               sources: Sequence[str] = (), min_salary_usd: float | None = None,
               include_unknown_salary: bool = True, shares: TokenShares = _NO_SHARES) -> list[str]:
    """An alert's anchor keys: the rarest one or two of its necessary conditions, crossed.

    Each condition is a set of job tokens of which a matching job has at least one; crossing two
    (every job has both) makes a rarer key, whose share is estimated as the product of the two.
    '*' (every job) when the alert constrains nothing.
    """
    conditions: list[frozenset[str]] = []
    if terms:
        conditions.append(frozenset(f"t:{t}" for t in terms))
    conditions.extend(frozenset(f"{kind}:{v}" for v in values) for kind, values in (
        ("m", remote), ("s", seniority), ("e", employment_types), ("k", skills_any), ("o", sources)) if values)
    if countries:
        conditions.append(frozenset([f"l:c:{c}" for c in countries] + [f"l:r:{r}" for r in regions] + ["l:any"]))
    conditions.extend(frozenset({f"k:{s}"}) for s in skills_all)
    if min_salary_usd is not None:
        # A job paying at least the minimum is in the minimum's band or above it.
        floor_band = max((band for band in SALARY_BANDS if band <= min_salary_usd), default=0)
        conditions.append(frozenset([f"p:{band}" for band in SALARY_BANDS if band >= floor_band]
                                    + (["p:none"] if include_unknown_salary else [])))
    if not conditions:
        return ["*"]
    dims = [(shares.of_any(tokens), tokens) for tokens in conditions]
    # Rank the options by (share, number of keys) first; only the winner's keys are spelt out.
    options: list[tuple[float, int, int, int]] = [(cost, len(tokens), n, -1) for n, (cost, tokens) in enumerate(dims)]
    for (i, (cost_a, a)), (j, (cost_b, b)) in itertools.combinations(enumerate(dims), 2):
        if len(a) * len(b) <= _MAX_KEYS and not a & b:
            crossed = min(cost_a, cost_b) if _related(a, b) else cost_a * cost_b
            options.append((crossed, len(a) * len(b), i, j))
    _, _, i, j = min(options, key=lambda option: (option[0], option[1]))
    if j < 0:
        return sorted(dims[i][1])
    return sorted("&".join(sorted(pair, key=str.encode)) for pair in itertools.product(dims[i][1], dims[j][1]))


def _related(a: frozenset[str], b: frozenset[str]) -> bool:
    """True when a skill of one condition is a word of the other ("k:Django", "t:django").

    Listings that name a skill also carry its word, so crossing the two hardly narrows anything:
    the product of their shares would badly underestimate the key's.
    """
    words = {token[2:] for token in a | b if token.startswith("t:")}
    skills = {token[2:].lower() for token in a | b if token.startswith("k:")}
    return any(skill.startswith(word) or word.startswith(skill) for skill in skills for word in words)
