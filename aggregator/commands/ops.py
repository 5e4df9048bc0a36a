"""Operator commands: migrate, scrape, sources, workers, stats, jobs search."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from arq.jobs import Job

from aggregator import pipeline
from aggregator.alerts import SEARCH_CHANNEL
from aggregator.commands.common import alert_spec, cell, known_source, run_with_runtime, table, whole
from aggregator.display import salary_text
from aggregator.errors import InputError
from aggregator.runtime import Runtime
from aggregator.store import db
from aggregator.store import jobs as store_jobs
from aggregator.store import sources as store_sources
from scrapers.fetch import Fetcher
from workers import jobs as worker_jobs
from workers import liveness


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("migrate", help="create or upgrade the database schema")
    p.set_defaults(handler=migrate_command)

    p = commands.add_parser("scrape", help="fetch sources now and ingest; prints a per-source summary")
    p.add_argument("sources", nargs="*", metavar="SOURCE", help="sources to fetch (default: every enabled one)")
    p.set_defaults(handler=scrape_command)

    p = commands.add_parser("sources", help="every source with its state, or one source's fetch attempts")
    p.add_argument("source", nargs="?", metavar="SOURCE",
                   help="show this source's state, whole last error and latest fetch attempts")
    p.add_argument("--runs", type=whole(1, 1000), default=10, help="fetch attempts shown for SOURCE (default 10)")
    p.set_defaults(handler=sources_command)

    p = commands.add_parser("workers", help="live workers, their heartbeats and the jobs they run")
    p.set_defaults(handler=workers_command)

    p = commands.add_parser("stats", help="counts of jobs, postings, alerts and deliveries")
    p.set_defaults(handler=stats_command)

    p = commands.add_parser("jobs", help="query the stored jobs")
    sub = p.add_subparsers(dest="jobs_command", metavar="ACTION", required=True)
    s = sub.add_parser("search", help="search stored jobs (web-search syntax: words, \"phrases\", OR, -word)")
    s.add_argument("query", nargs="?", default="", metavar="QUERY")
    s.add_argument("--remote", action="append", default=[], choices=["remote", "hybrid", "onsite"])
    s.add_argument("--country", action="append", default=[], dest="countries", metavar="CC")
    s.add_argument("--seniority", action="append", default=[],
                   choices=["intern", "junior", "mid", "senior", "lead", "principal"])
    s.add_argument("--skill", action="append", default=[], dest="skills", metavar="SKILL")
    s.add_argument("--source", action="append", default=[], dest="sources", metavar="SOURCE")
    s.add_argument("--include-closed", action="store_true")
    s.add_argument("--limit", type=whole(1, 1000), default=20, help="at most N jobs (default 20, max 1000)")
    s.set_defaults(handler=jobs_search_command)


def migrate_command(args: argparse.Namespace) -> int:
    async def go(rt: Runtime) -> int:
        async with rt.pool.acquire() as conn:
            applied = await db.migrate(conn)
            version = await conn.fetchval("SELECT max(version) FROM schema_migrations")
        print(f"schema at version {version}" + (f" (applied {', '.join(map(str, applied))})" if applied else ""))
        return 0

    return run_with_runtime(go, migrate=True)


def scrape_command(args: argparse.Namespace) -> int:
    for name in args.sources:
        known_source(name)

    async def go(rt: Runtime) -> int:
        for name in args.sources:
            if missing := rt.settings.source(name).missing_targets():
                raise InputError("SOURCE", f"{name} has {missing} in the TOML file")
        names = args.sources or [n for n, cfg in rt.settings.sources.items() if cfg.enabled]
        async with rt.pool.acquire() as conn:
            await store_sources.sync(conn, {n: c.enabled for n, c in rt.settings.sources.items()})

        async def hand_over(job_ids: list[int]) -> None:
            await rt.enqueue(worker_jobs.MATCH_JOBS, job_ids)

        reports = []
        async with Fetcher(rt.settings.fetch, redis=rt.redis, prefix=rt.settings.redis_prefix) as fetcher:
            for index, name in enumerate(names, 1):
                print(f"[{index}/{len(names)}] {name} …", file=sys.stderr, flush=True)
                reports.append(await pipeline.refresh_source(rt.settings, rt.pool, fetcher, name,
                                                             on_new_jobs=hand_over))
        print(table(["source", "fetched", "new", "updated", "duplicates", "closed", "skipped", "errors"],
                    [[r.source, r.fetched, r.new, r.updated, r.duplicates, r.closed, r.skipped, len(r.errors)]
                     for r in reports]))
        failed = [r for r in reports if not r.ok]
        for report in failed:
            print(f"hirewire: {report.source}: {report.errors[0]}", file=sys.stderr)
        return 1 if failed else 0

    return run_with_runtime(go, migrate=True)


def sources_command(args: argparse.Namespace) -> int:
    if args.source is not None:
        known_source(args.source)

    async def go(rt: Runtime) -> int:
        async with rt.pool.acquire() as conn:
            await store_sources.sync(conn, {n: c.enabled for n, c in rt.settings.sources.items()})
            rows = await store_sources.overview(conn)
            runs = await store_sources.recent_runs(conn, args.source, args.runs) if args.source else []
        if args.source is not None:
            _print_source(next(r for r in rows if r["name"] == args.source), runs)
            return 0
        print(table(["source", "enabled", "last success", "failures", "last error", "listings", "next run"],
                    [[r["name"], r["enabled"], r["last_success_at"], r["consecutive_failures"], r["last_error"],
                      r["listings"], _next_run(r)] for r in rows]))
        return 0

    return run_with_runtime(go)


def _print_source(row: Any, runs: list[Any]) -> None:
    """One source in full: the overview's columns one per line, the whole last error (the overview
    cuts it), then its latest fetch attempts with each one's own error."""
    fields = [("source", row["name"]), ("enabled", row["enabled"]), ("listings", row["listings"]),
              ("last success", row["last_success_at"]), ("failures", row["consecutive_failures"]),
              ("last error at", row["last_error_at"]), ("last error", row["last_error"]),
              ("next run", _next_run(row))]
    print("\n".join(f"{label + ':':<15}{cell(value)}" for label, value in fields))
    print()
    if not runs:
        print("no fetch attempts recorded")
        return
    print(table(["started", "status", "http", "ms", "tries", "bytes", "listings", "url", "error"],
                [[r["started_at"], r["status"], r["http_status"], r["duration_ms"], r["attempts"], r["bytes"],
                  r["listings"], r["url"], r["error_message"]] for r in runs], max_width=200))


def _next_run(row: Any) -> Any:
    """A claimed source's next_run_at is only its lease: say that it is being fetched instead."""
    if row["fetching"]:
        return f"fetching since {row['last_run_at']:%Y-%m-%d %H:%M}"
    return row["next_run_at"]


def workers_command(args: argparse.Namespace) -> int:
    async def go(rt: Runtime) -> int:
        states = await liveness.workers(rt.redis, rt.settings.redis_prefix)
        rows = []
        for state in states:
            running = [await _describe(rt, job_id) for job_id in state.jobs]
            heartbeat = (f"{state.heartbeat_ms / 1000:.0f} s left" if state.heartbeat_ms is not None
                         else "lapsed: presumed dead")
            rows.append([state.identity, heartbeat, running])
        if not rows:
            print("no worker is running")
            return 0
        print(table(["worker", "heartbeat", "running"], rows, max_width=96))
        return 0

    return run_with_runtime(go)


async def _describe(rt: Runtime, job_id: str) -> str:
    """A running job as `function(arguments)`; its id when arq no longer knows it."""
    info = await Job(job_id, rt.redis, _queue_name=rt.settings.queue_name).info()
    if info is None:
        return job_id
    arguments = ", ".join(repr(a) if not isinstance(a, list) else f"[{len(a)} ids]" for a in info.args)
    return f"{info.function}({arguments})"


def stats_command(args: argparse.Namespace) -> int:
    async def go(rt: Runtime) -> int:
        async with rt.pool.acquire() as conn:
            row = await store_jobs.stats(conn)
        print(table(["what", "count"], [[key.replace("_", " "), value] for key, value in row.items()]))
        return 0

    return run_with_runtime(go)


#: The `jobs search` flag standing for each alert field, to name it in a refusal.
_SEARCH_FLAGS = {"query": "QUERY", "remote": "--remote", "countries": "--country", "seniority": "--seniority",
                 "skills": "--skill", "sources": "--source"}


def jobs_search_command(args: argparse.Namespace) -> int:
    # The filters go through the alert validator, as GET /v1/jobs does: skills are canonicalised
    # (django → Django, as stored) and an unknown country, skill or source is refused, not matched by nothing.
    spec = alert_spec({"query": args.query, "remote": args.remote, "countries": args.countries,
                       "seniority": args.seniority, "skills": {"all": args.skills}, "sources": args.sources,
                       "channel": SEARCH_CHANNEL}, _SEARCH_FLAGS)
    query = store_jobs.JobQuery.of(spec, include_closed=args.include_closed, limit=args.limit)

    async def go(rt: Runtime) -> int:
        async with rt.pool.acquire() as conn:
            rows = await store_jobs.search(conn, query)
        if not rows:
            print("no jobs found", file=sys.stderr)
            return 0
        print(table(["id", "title", "company", "remote", "salary", "posted", "url"],
                    [[r["id"], r["title"], r["company"], r["remote"],
                      salary_text(r["salary_min"], r["salary_max"], r["salary_currency"], r["salary_period"]),
                      r["posted_at"], r["url"]]
                     for r in rows], max_width=60))
        return 0

    return run_with_runtime(go)
