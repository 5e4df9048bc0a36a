"""The arq job functions: thin wrappers that call the domain and hand work on.

Each job is idempotent — arq delivers at least once — because PostgreSQL decides: postings are
unique per (source, external id), matching only touches unmatched jobs, deliveries are unique per
(alert, job) and move through their states in the database.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import structlog
from arq.constants import in_progress_key_prefix

from aggregator import match, metrics, pipeline
from aggregator.runtime import Runtime
from aggregator.store import alerts as store_alerts
from aggregator.store import raw_items as store_raw_items
from aggregator.store import sources as store_sources
from aggregator.store import subscriptions
from aggregator.store.deliveries import DueBatch
from aggregator.tokens import CONFIRM_MAX_AGE
from workers.notify import Notifier, delivery_job_id

log = structlog.get_logger("hirewire.jobs")

#: arq job function names, used when enqueueing.
FETCH_SOURCE = "fetch_source"
MATCH_JOBS = "match_jobs"
SEND_DELIVERY = "send_delivery"
SWEEP = "sweep"
REKEY_ALERTS = "rekey_alerts"

#: Rows of each kind one sweep deletes past their retention at most: a backlog (a first upgrade, a
#: shortened retention) goes in short transactions, 14 million a day at one sweep a minute.
PURGE_PER_SWEEP = 10_000

#: How often the token shares behind alerts' anchor keys are re-measured (and every alert re-keyed).
REKEY_EVERY = timedelta(days=1)


def timed(function: Callable[..., Awaitable[Any]]) -> Any:
    """The job function, reporting its duration to the job-duration histogram."""

    @functools.wraps(function)
    async def run(ctx: dict[str, Any], *args: Any) -> Any:
        started = time.perf_counter()
        try:
            return await function(ctx, *args)
        finally:
            metrics.observe_job(function.__name__, time.perf_counter() - started)

    return run


def _rt(ctx: dict[str, Any]) -> Runtime:
    runtime: Runtime = ctx["runtime"]
    return runtime


async def fetch_source(ctx: dict[str, Any], name: str) -> dict[str, Any]:
    """Refresh one source and enqueue matching of the jobs it created."""
    rt = _rt(ctx)

    async def hand_over(job_ids: list[int]) -> None:
        await rt.enqueue(MATCH_JOBS, job_ids)

    report = await pipeline.refresh_source(rt.settings, rt.pool, ctx["fetcher"], name, on_new_jobs=hand_over)
    log.info("source refreshed", source=name, fetched=report.fetched, new=report.new, updated=report.updated,
             duplicates=report.duplicates, closed=report.closed, errors=len(report.errors))
    return {"source": name, "fetched": report.fetched, "new": report.new, "errors": report.errors}


async def match_jobs(ctx: dict[str, Any], job_ids: list[int]) -> int:
    """Match new jobs against the alerts; send instant alerts' deliveries."""
    rt = _rt(ctx)
    try:
        result = await match.match_in_parts(rt.pool, job_ids, connections=rt.settings.match_connections)
    except match.PartialMatchError as partial:
        # What committed is sent now; arq retries the job, which matches only the jobs still unmatched.
        await _matched(rt, partial.result)
        raise
    await _matched(rt, result)
    return result.deliveries


async def _matched(rt: Runtime, result: match.MatchResult) -> None:
    for delivery_id in result.instant_ids or []:
        await rt.enqueue(SEND_DELIVERY, delivery_id, job_id=delivery_job_id(rt.settings.redis_prefix, delivery_id))
    metrics.record_match(result.deliveries)
    log.info("jobs matched", jobs=result.jobs, deliveries=result.deliveries)


def _notifier(ctx: dict[str, Any]) -> Notifier:
    """The worker's Notifier (its SMTP and HTTP connections live across jobs); made on first use."""
    if "notifier" not in ctx:
        ctx["notifier"] = Notifier(_rt(ctx), ctx.get("notify_policy") or _rt(ctx).settings.delivery)
    notifier: Notifier = ctx["notifier"]
    return notifier


async def send_delivery(ctx: dict[str, Any], delivery_id: int) -> str:
    """Send the batch of one delivery; a failed attempt schedules the next as its own arq job."""
    rt = _rt(ctx)
    outcome = await _notifier(ctx).deliver(delivery_id)
    if outcome.retry_in is not None:
        await rt.enqueue(SEND_DELIVERY, outcome.anchor_id, defer=outcome.retry_in,
                         job_id=delivery_job_id(rt.settings.redis_prefix, outcome.anchor_id, outcome.attempts))
    return outcome.state


async def rekey_alerts(ctx: dict[str, Any]) -> int:
    """Re-measure the token shares of recent jobs and re-key every alert by them (see match.TokenShares)."""
    rt = _rt(ctx)
    async with rt.pool.acquire() as conn:
        tokens, alerts = await store_alerts.rekey(conn)
    log.info("alerts re-keyed", tokens=tokens, alerts=alerts)
    return alerts


async def sweep(ctx: dict[str, Any]) -> None:
    """Catch up on anything a crash may have left: unmatched jobs, due digests and due deliveries;
    and apply the retentions (expired subscriptions, raw items, the fetch log).

    Deliveries come back here when their retry is due, when their enqueue was lost, or when the
    worker sending them died (its lease ran out); the job id names the attempt, so a retry that is
    already queued is not queued twice.
    """
    rt = _rt(ctx)
    async with rt.pool.acquire() as conn:
        job_ids = await match.unmatched_job_ids(conn)
        # Pending subscriptions whose confirmation link has expired can never be confirmed.
        await subscriptions.drop_unconfirmed(conn, CONFIRM_MAX_AGE // 86400 + 1)
        measured = await match.token_shares_measured_at(conn)
        raw = await store_raw_items.purge(conn, rt.settings.raw_retention_days, limit=PURGE_PER_SWEEP)
        runs = await store_sources.prune_runs(conn, rt.settings.fetch_log_days, limit=PURGE_PER_SWEEP)
    if raw or runs:
        log.info("retention applied", raw_items=raw, fetch_runs=runs)
    if job_ids:
        await rt.enqueue(MATCH_JOBS, job_ids)
    now = datetime.now(UTC)
    if measured is None or now - measured >= REKEY_EVERY:
        # One a day at most, whichever worker's sweep gets there first (the job id is the day's).
        await rt.enqueue(REKEY_ALERTS, job_id=f"{rt.settings.redis_prefix}:rekey:{now:%Y-%m-%d}")
    notifier = _notifier(ctx)
    await notifier.open_due_digests()
    due = await notifier.due()
    for batch, job_id in zip(due, await _requeue_ids(rt, due, notifier.policy.lease), strict=True):
        await rt.enqueue(SEND_DELIVERY, batch.anchor_id, job_id=job_id)


async def _requeue_ids(rt: Runtime, due: list[DueBatch], lease: float) -> list[str]:
    """The job id to queue each due batch under: its attempt's own id, so a job already queued is not
    queued twice; or, when a worker started that job and died before claiming the batch, another.

    arq keeps a started job's id "in progress" for the longest job timeout plus 10 s (over ten
    minutes) and ignores a new job with the same id meanwhile. A batch still unclaimed a lease after
    it fell due, under an id arq holds in progress, is such an orphan. A second job for a batch
    that is being sent after all is harmless: the claim in PostgreSQL lets only one of them send.
    """
    ids = [delivery_job_id(rt.settings.redis_prefix, batch.anchor_id, batch.attempts) for batch in due]
    overdue = [i for i, batch in enumerate(due) if batch.overdue > lease]
    if not overdue:
        return ids
    async with rt.redis.pipeline(transaction=False) as pipe:  # one round trip for the whole sweep
        for i in overdue:
            pipe.exists(in_progress_key_prefix + ids[i])
        held = await pipe.execute()
    for i, in_progress in zip(overdue, held, strict=True):
        if in_progress:
            ids[i] = f"{ids[i]}:orphan"
    return ids
