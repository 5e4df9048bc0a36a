"""Subscriber commands: subscribe, alerts (list, show, pause, resume, delete, backfill, reindex).

The flags of `subscribe` are mapped onto DESIGN.md's alert JSON and validated by the same code as
the API (`aggregator.alerts.parse_alert`), so both accept and refuse exactly the same alerts; a
refusal names the flag and exits 2, before anything is stored.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from aggregator.commands.common import (
    ROW_ID,
    UsageError,
    alert_spec,
    flag_for,
    run_with_runtime,
    settings,
    table,
    whole,
)
from aggregator.errors import InputError
from aggregator.runtime import Runtime
from aggregator.store import alerts as store_alerts

_MAX_BACKFILL = 1000
#: The `subscribe` flag standing for each alert field, to name it in a refusal.
_FLAGS = {"query": "--query", "remote": "--remote", "countries": "--country", "min_salary": "--min-salary",
          "min_salary.amount": "--min-salary", "min_salary.currency": "--currency", "min_salary.period": "--period",
          "min_salary.include_unknown": "--exclude-unknown-salary", "seniority": "--seniority",
          "employment_types": "--employment-type", "skills.any": "--skill-any", "skills.all": "--skill-all",
          "sources": "--source", "exclude_companies": "--exclude-company", "max_age_days": "--max-age-days",
          "frequency": "--frequency", "send_hour": "--send-hour", "timezone": "--timezone", "channel.email": "--email",
          "channel.webhook": "--webhook"}
#: Refinements of --min-salary: on their own they would be silently dropped, so they need it.
_SALARY_OPTIONS = (("currency", "--currency"), ("period", "--period"),
                   ("exclude_unknown_salary", "--exclude-unknown-salary"))


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("subscribe", help="save an alert (operator subscriptions need no confirmation)")
    channel = p.add_mutually_exclusive_group(required=True)
    channel.add_argument("--email", metavar="ADDRESS")
    channel.add_argument("--webhook", metavar="URL")
    p.add_argument("--query", default="", metavar="Q", help='web-search syntax: words, "phrases", OR, -word')
    p.add_argument("--remote", action="append", default=[], choices=["remote", "hybrid", "onsite", "any"])
    p.add_argument("--country", action="append", default=[], dest="countries", metavar="CC")
    p.add_argument("--min-salary", type=float, metavar="AMOUNT")
    p.add_argument("--currency", metavar="CUR", help="of --min-salary (default USD)")
    p.add_argument("--period", metavar="PERIOD", help="of --min-salary: year (default), month, week, day or hour")
    p.add_argument("--exclude-unknown-salary", action="store_true",
                   help="with --min-salary: skip jobs that state no salary")
    p.add_argument("--seniority", action="append", default=[], metavar="LEVEL")
    p.add_argument("--employment-type", action="append", default=[], dest="employment_types", metavar="TYPE")
    p.add_argument("--skill-any", action="append", default=[], metavar="SKILL")
    p.add_argument("--skill-all", action="append", default=[], metavar="SKILL")
    p.add_argument("--source", action="append", default=[], dest="sources", metavar="SOURCE")
    p.add_argument("--exclude-company", action="append", default=[], dest="exclude_companies", metavar="NAME")
    p.add_argument("--max-age-days", type=int, metavar="N")
    p.add_argument("--frequency", default="instant", choices=["instant", "daily", "weekly"])
    p.add_argument("--send-hour", type=int, default=8, metavar="H")
    p.add_argument("--timezone", default="UTC", metavar="TZ")
    p.set_defaults(handler=subscribe_command)

    p = commands.add_parser("alerts", help="list, show, pause, resume, delete or back-fill alerts")
    sub = p.add_subparsers(dest="alerts_command", metavar="ACTION", required=True)
    sub.add_parser("list", help="every alert").set_defaults(handler=list_command)
    for name, text in (("show", "one alert as JSON"), ("pause", "stop matching an alert"),
                       ("resume", "match a paused alert again"), ("delete", "remove an alert and its deliveries")):
        s = sub.add_parser(name, help=text)
        s.add_argument("id", type=ROW_ID, metavar="ID")
        s.set_defaults(handler=_ACTIONS[name])
    s = sub.add_parser("backfill", help="match an alert against recent jobs now")
    s.add_argument("id", type=ROW_ID, metavar="ID")
    s.add_argument("--days", type=whole(1, 365), default=7, help="jobs first seen in the last N days (default 7)")
    s.add_argument("--limit", type=whole(1, _MAX_BACKFILL), default=100,
                   help=f"at most N jobs (default 100, max {_MAX_BACKFILL})")
    s.set_defaults(handler=backfill_command)
    s = sub.add_parser("reindex", help="re-measure which tokens recent jobs carry and re-key every alert by them")
    s.add_argument("--days", type=whole(1, 365), default=30,
                   help="measure on jobs first seen in the last N days (default 30)")
    s.set_defaults(handler=reindex_command)


def alert_json(args: argparse.Namespace) -> dict[str, Any]:
    """The DESIGN.md alert JSON the `subscribe` flags stand for."""
    data: dict[str, Any] = {
        "query": args.query, "remote": args.remote, "countries": args.countries, "seniority": args.seniority,
        "employment_types": args.employment_types, "skills": {"any": args.skill_any, "all": args.skill_all},
        "sources": args.sources, "exclude_companies": args.exclude_companies, "max_age_days": args.max_age_days,
        "frequency": args.frequency, "send_hour": args.send_hour, "timezone": args.timezone,
        "channel": {"email": args.email} if args.email is not None else {"webhook": args.webhook},
    }
    if args.min_salary is not None:
        data["min_salary"] = {"amount": args.min_salary, "currency": args.currency or "USD",
                              "period": args.period or "year", "include_unknown": not args.exclude_unknown_salary}
    else:
        for name, flag in _SALARY_OPTIONS:
            if getattr(args, name):
                raise UsageError(flag, "needs --min-salary")
    return data


def subscribe_command(args: argparse.Namespace) -> int:
    current = settings()
    spec = alert_spec(alert_json(args), _FLAGS, allow_private=current.allow_private_destinations)

    async def go(rt: Runtime) -> int:
        from aggregator.alerts import check_webhook

        try:
            if spec.webhook:
                await check_webhook(spec.webhook, allow_private=rt.settings.allow_private_destinations)
            async with rt.pool.acquire() as conn:
                alert_id, secret = await store_alerts.create(conn, spec, status="active")
        except InputError as exc:  # the address resolves somewhere forbidden; the query has no searchable words
            raise UsageError(flag_for(exc.field, _FLAGS), exc.message) from None
        print(f"alert {alert_id}")
        if secret:
            print(f"secret {secret}  (shown once: keep it to verify webhook signatures)")
        return 0

    return run_with_runtime(go, migrate=True, loaded=current)


def list_command(args: argparse.Namespace) -> int:
    async def go(rt: Runtime) -> int:
        async with rt.pool.acquire() as conn:
            rows = await store_alerts.list_alerts(conn)
        if not rows:
            print("no alerts")
            return 0
        print(table(["id", "status", "destination", "query", "frequency", "deliveries", "created"],
                    [[r["id"], r["status"], r["email"] or r["webhook_url"], r["query"], r["frequency"],
                      r["deliveries"], r["created_at"]] for r in rows]))
        return 0

    return run_with_runtime(go)


def show_command(args: argparse.Namespace) -> int:
    async def go(rt: Runtime) -> int:
        async with rt.pool.acquire() as conn:
            row = await store_alerts.get(conn, args.id)
        if row is None:
            raise InputError("ID", f"no alert {args.id}")
        shown = {"id": row["id"], "status": row["status"], **dict(row["filters"]),
                 "created_at": row["created_at"].isoformat(), "deliveries": row["deliveries"]}
        print(json.dumps(shown, indent=2, ensure_ascii=False))
        return 0

    return run_with_runtime(go)


def _status_command(status: str, verb: str) -> Any:
    def command(args: argparse.Namespace) -> int:
        async def go(rt: Runtime) -> int:
            async with rt.pool.acquire() as conn:
                done = await store_alerts.set_status(conn, args.id, status)
                current = await conn.fetchval("SELECT status FROM alerts WHERE id = $1", args.id)
            if current is None:
                raise InputError("ID", f"no alert {args.id}")
            if not done and current != status:
                raise InputError("ID", f"alert {args.id} is {current}")
            print(f"alert {args.id} {verb}")
            return 0

        return run_with_runtime(go)

    return command


def delete_command(args: argparse.Namespace) -> int:
    async def go(rt: Runtime) -> int:
        async with rt.pool.acquire() as conn:
            if not await store_alerts.delete(conn, args.id):
                raise InputError("ID", f"no alert {args.id}")
        print(f"alert {args.id} deleted")
        return 0

    return run_with_runtime(go)


def backfill_command(args: argparse.Namespace) -> int:
    async def go(rt: Runtime) -> int:
        from workers import jobs as worker_jobs
        from workers.notify import delivery_job_id

        async with rt.pool.acquire() as conn:
            result = await store_alerts.backfill(conn, args.id, days=args.days, limit=args.limit)
        for delivery_id in result.instant_ids or []:
            await rt.enqueue(worker_jobs.SEND_DELIVERY, delivery_id,
                             job_id=delivery_job_id(rt.settings.redis_prefix, delivery_id))
        print(f"alert {args.id}: {result.deliveries} new deliveries")
        return 0

    return run_with_runtime(go)


def reindex_command(args: argparse.Namespace) -> int:
    async def go(rt: Runtime) -> int:
        async with rt.pool.acquire() as conn:
            tokens, alerts = await store_alerts.rekey(conn, days=args.days)
        if not tokens:
            print(f"too few jobs in the last {args.days} days to measure; alert keys left as they are")
        else:
            print(f"{tokens} token shares measured; {alerts} alerts re-keyed")
        return 0

    return run_with_runtime(go)


_ACTIONS = {
    "show": show_command,
    "pause": _status_command("paused", "paused"),
    "resume": _status_command("active", "resumed"),
    "delete": delete_command,
}
