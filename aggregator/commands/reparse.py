"""Raw-item commands: `reparse SOURCE` after a parser fix, `purge-raw` to apply the retention."""

from __future__ import annotations

import argparse
import sys

from aggregator import reparse
from aggregator.commands.common import known_source, run_with_runtime, table, whole
from aggregator.runtime import Runtime
from aggregator.store import raw_items as store_raw_items
from scrapers import sources as registry


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("reparse", help="re-parse a source's stored raw items (after a parser fix)")
    p.add_argument("source", metavar="SOURCE", help=f"one of: {', '.join(registry.NAMES)}")
    p.add_argument("--batch", type=whole(1), default=500, help="raw items per transaction (default: 500)")
    p.set_defaults(handler=reparse_command)

    p = commands.add_parser("purge-raw", help="delete raw items older than the retention")
    p.add_argument("--days", type=whole(0, 36500), default=None,
                   help="retention in days, 0 for all (default: HIREWIRE_RAW_RETENTION_DAYS, 30)")
    p.set_defaults(handler=purge_raw_command)


def reparse_command(args: argparse.Namespace) -> int:
    known_source(args.source)

    async def go(rt: Runtime) -> int:
        report = await reparse.reparse_source(rt.pool, args.source, batch=args.batch)
        print(table(["source", "read", "updated", "unchanged", "failed"],
                    [[report.source, report.read, report.updated, report.unchanged, report.failed]]))
        for error in report.errors:
            print(f"hirewire: {report.source}: {error}", file=sys.stderr)
        if report.failed > len(report.errors):
            print(f"hirewire: {report.source}: … and {report.failed - len(report.errors)} more", file=sys.stderr)
        return 0 if report.ok else 1

    return run_with_runtime(go)


def purge_raw_command(args: argparse.Namespace) -> int:
    async def go(rt: Runtime) -> int:
        days = rt.settings.raw_retention_days if args.days is None else args.days
        async with rt.pool.acquire() as conn:
            purged = await store_raw_items.purge(conn, days)
        print(f"purged {purged} raw item(s) older than {days} day(s)")
        return 0

    return run_with_runtime(go)
