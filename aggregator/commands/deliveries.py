"""`hirewire deliveries`: every notification's fate, and retrying dead ones by hand."""

from __future__ import annotations

import argparse
import sys
import time

from aggregator.commands.common import ROW_ID, run_with_runtime, table, whole
from aggregator.runtime import Runtime
from aggregator.store import deliveries as store


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg,unused-ignore]
    p = commands.add_parser("deliveries", help="recent deliveries and their state; retry failed ones")
    p.add_argument("--failed", action="store_true", help="only failed (retrying) and dead deliveries")
    p.add_argument("--limit", type=whole(1), default=50, help="at most N deliveries, newest first (default 50)")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--retry", type=ROW_ID, action="append", default=[], metavar="ID",
                       help="send this failed or dead delivery again with a fresh retry budget")
    group.add_argument("--retry-dead", action="store_true", help="retry every dead delivery")
    p.set_defaults(handler=deliveries_command)


def deliveries_command(args: argparse.Namespace) -> int:
    async def go(rt: Runtime) -> int:
        if args.retry or args.retry_dead:
            return await _retry(rt, args.retry or None)
        async with rt.pool.acquire() as conn:
            rows = await store.list_deliveries(conn, failed_only=args.failed, limit=args.limit)
        if not rows:
            print("no failed deliveries" if args.failed else "no deliveries", file=sys.stderr)
            return 0
        print(table(["id", "alert", "job", "destination", "state", "attempts", "status", "next attempt", "sent",
                     "last error"],
                    [[r["id"], r["alert_id"], r["job_id"], r["destination"], r["state"], r["attempts"],
                      r["last_status"], r["next_attempt_at"] if r["state"] in ("failed", "pending") else None,
                      r["sent_at"], r["last_error"]] for r in rows], max_width=60))
        return 0

    return run_with_runtime(go)


async def _retry(rt: Runtime, ids: list[int] | None) -> int:
    """Queue the deliveries asked for again; exit 1, with one line saying why, if any could not be.

    "queued 0" is never printed for ids: it would read as success next to the line saying why.
    """
    from workers.jobs import SEND_DELIVERY
    from workers.notify import delivery_job_id

    async with rt.pool.acquire() as conn:
        reset = await store.reset_for_retry(conn, ids)
        refused = sorted(set(ids or []) - set(reset))
        states = await store.states(conn, refused)
    for delivery_id in reset:
        # A fresh budget restarts attempts at 0; a unique suffix keeps arq from deduplicating a recent job.
        await rt.enqueue(SEND_DELIVERY, delivery_id,
                         job_id=f"{delivery_job_id(rt.settings.redis_prefix, delivery_id)}:manual:{time.time_ns()}")
    if reset:
        print(f"queued {len(reset)} deliveries for retry: {', '.join(map(str, reset))}")
    elif ids is None:
        print("no dead deliveries to retry")
    if refused:
        print(f"hirewire: {_why_not(refused, states)}", file=sys.stderr)
        return 1
    return 0


def _why_not(refused: list[int], states: dict[int, str]) -> str:
    """One line for the ids that could not be retried: those that do not exist, then those in another state."""
    missing = [str(i) for i in refused if i not in states]
    other = [f"{i} ({states[i]})" for i in refused if i in states]
    parts = ([f"no such delivery: {', '.join(missing)}"] if missing else []) + \
            ([f"not failed or dead: {', '.join(other)}"] if other else [])
    return "; ".join(parts)
