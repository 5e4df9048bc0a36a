"""`hirewire demo`: run the whole pipeline offline on the bundled samples and show what came out.

The run itself is `aggregator.demo`; this module only reads the flags and prints the summary a
newcomer reads first: a table per source, what was merged, what each alert received, and the
files to open.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from aggregator import logs
from aggregator.commands.common import table
from aggregator.config import load_settings

if TYPE_CHECKING:
    from aggregator.demo import DemoResult


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("demo", help="an offline run on bundled sample feeds; saves the emails and webhooks")
    p.add_argument("--out", type=Path, default=Path("hirewire-demo"), metavar="DIR",
                   help="where the emails (.eml, .html) and webhooks (.json) go (default ./hirewire-demo)")
    p.set_defaults(handler=demo_command)


def demo_command(args: argparse.Namespace) -> int:
    # Imported here: the SMTP and HTTP servers it brings are no concern of any other command.
    from aggregator.demo import run_demo

    # Warnings only: the worker's per-job log lines would bury the summary.
    logs.configure(load_settings().log_format, level=logging.WARNING)
    private = not os.environ.get("HIREWIRE_DATABASE_URL") or not os.environ.get("HIREWIRE_REDIS_URL")
    print("hirewire demo: " + ("starting a private PostgreSQL and Redis, " if private else "")
          + "serving the sample feeds on loopback, running the scheduler and a worker …", file=sys.stderr, flush=True)
    result = run_demo(args.out)
    print(summary(result, load_settings().public_url))
    if not result.ok:
        print("hirewire: demo: not everything was fetched and delivered (see the summary above)", file=sys.stderr)
        return 1
    return 0


def _relative(path: Path) -> str:
    """A path as short as it can be written from here, for copying into a browser or mail reader."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def summary(result: DemoResult, public_url: str) -> str:
    """The printed report: fetched → stored → merged → matched → delivered, then the files, and where
    their links lead (nowhere, once the run's database is gone: a click would only meet a refusal)."""
    out: list[str] = []
    sources = result.sources
    out.append(f"1. Fetched {len(sources)} sources from the sample server at {result.feeds_url}")
    out.append("   (skipped: listings that are not Python backend roles; merged: the same job already seen "
               "on another board)\n")
    rows: list[list[object]] = [[s.source, s.fetched, s.skipped, s.stored, s.new_jobs, s.merged, len(s.errors)]
                                for s in sources]
    rows.append(["total", *(sum(int(str(row[i])) for row in rows) for i in range(1, 7))])
    out.append(_indent(table(["source", "fetched", "skipped", "stored", "new jobs", "merged", "errors"], rows)))
    for line in sources:
        for error in line.errors:
            out.append(f"   ! {line.source}: {error}")

    totals = result.totals
    out.append(f"\n2. Stored {totals['jobs']} jobs from {totals['postings']} postings; {totals['merged']} postings "
               "were merged into a job another board already had:")
    out += [f"   - {m.title}" + (f" ({m.company})" if m.company else "") + f": {' + '.join(m.sources)}"
            for m in result.merged] or ["   (none)"]

    out.append("\n3. Matched and delivered, per alert:\n")
    out.append(_indent(table(
        ["alert", "channel", "frequency", "wants", "matched", "sent", "failed", "messages", "to"],
        [[a.id, a.channel, a.frequency, a.wants, a.matched, a.sent, a.failed, a.messages, a.destination]
         for a in result.alerts])))

    out.append(f"\n4. Open these ({len(result.emails)} emails, {len(result.webhooks)} webhooks, "
               f"in {_relative(result.out_dir)}/):")
    for email in result.emails:
        shown = email.html or email.eml
        out.append(f"   {_relative(shown)}  — to {email.to}: {email.subject}")
    for hook in result.webhooks:
        mark = "signature valid" if hook.verified else "SIGNATURE INVALID"
        out.append(f"   {_relative(hook.path)}  — {hook.type}: {hook.title} ({mark})")
    out.append("   (each .html has its raw message beside it as .eml, with every header)")
    if result.kept:
        out.append(f"   Their links (unsubscribe, the alerts page) open at {public_url} while `hirewire run` serves "
                   "this database.")
    else:
        out.append(f"   Their links (unsubscribe, the alerts page) point at {public_url}, for the run's database: "
                   "they lead nowhere now that it is gone.")
    if result.own_database:
        out.append("\nThe run had a database of its own on your PostgreSQL server, dropped at the end (your "
                   "database is untouched); unset HIREWIRE_DATABASE_URL and set HIREWIRE_DATA_DIR to keep one.")
    elif result.kept:
        out.append("\nThe jobs and alerts stay in the database: try `hirewire jobs search django` or "
                   "`hirewire alerts list`.")
    else:
        out.append("\nThe private database was temporary and is gone; set HIREWIRE_DATA_DIR to keep one.")
    out.append(f"Done in {result.seconds:.1f} s.")
    return "\n".join(out)


def _indent(text: str) -> str:
    return "\n".join("   " + line for line in text.splitlines())
