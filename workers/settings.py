"""arq worker settings: which functions run, with what limits, and the per-worker context."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from arq import Worker
from arq.worker import Function, func

from aggregator.runtime import Runtime, redis_settings
from scrapers.fetch import Fetcher
from workers import jobs
from workers.liveness import Liveness, tracked
from workers.notify import Notifier

#: Per-function time limits (arq's job_timeout). A fetch reads up to a source's page cap at its rate
#: limit; the scheduler's claim on a source outlasts this (workers.scheduler.FETCH_LEASE_SECONDS).
FETCH_TIMEOUT = 1200


def _job(function: Callable[..., Awaitable[Any]], name: str, timeout: int) -> Function:
    """A job function, timed and listed under its worker's heartbeat while it runs."""
    return func(tracked(jobs.timed(function)), name=name, timeout=timeout)


FUNCTIONS = [
    _job(jobs.fetch_source, jobs.FETCH_SOURCE, FETCH_TIMEOUT),
    _job(jobs.match_jobs, jobs.MATCH_JOBS, 300),
    _job(jobs.send_delivery, jobs.SEND_DELIVERY, 120),
    _job(jobs.sweep, jobs.SWEEP, 300),
    _job(jobs.rekey_alerts, jobs.REKEY_ALERTS, 600),
]


def build_worker(rt: Runtime, *, burst: bool = False, max_jobs: int = 10) -> Worker:
    """An arq Worker on hirewire's queue that shares this process's runtime (pool, settings)."""

    async def on_startup(ctx: dict[str, Any]) -> None:
        ctx["runtime"] = rt
        # Joins the workers' heartbeats and hands back the jobs of any worker that died mid-job.
        liveness = Liveness(rt.redis, rt.settings.redis_prefix, timeout=rt.settings.dead_worker_after)
        await liveness.start()
        ctx["liveness"] = liveness
        fetcher = Fetcher(rt.settings.fetch, redis=rt.redis, prefix=rt.settings.redis_prefix)
        await fetcher.__aenter__()
        ctx["fetcher"] = fetcher
        # arq gives each job a shallow copy of this context: long-lived connections are made here,
        # once per worker, or every job would open (and leak) its own.
        if "notifier" not in ctx:
            ctx["notifier"] = Notifier(rt, ctx.get("notify_policy") or rt.settings.delivery)

    async def on_shutdown(ctx: dict[str, Any]) -> None:
        liveness = ctx.pop("liveness", None)
        if liveness is not None:
            await liveness.stop()
        fetcher = ctx.get("fetcher")
        if fetcher is not None:
            await fetcher.__aexit__(None, None, None)
        notifier = ctx.pop("notifier", None)  # workers.notify: SMTP and webhook connections
        if notifier is not None:
            await notifier.aclose()

    return Worker(
        functions=FUNCTIONS,
        queue_name=rt.settings.queue_name,
        redis_settings=redis_settings(rt.settings.redis_url or ""),
        on_startup=on_startup,
        on_shutdown=on_shutdown,
        handle_signals=False,
        burst=burst,
        poll_delay=0.2,
        max_jobs=max_jobs,
        job_timeout=600,
        keep_result=60,
        max_tries=5,
        health_check_interval=15,
        health_check_key=f"{rt.settings.redis_prefix}:health-check",
        log_results=False,
    )


__all__ = ["FUNCTIONS", "build_worker"]
