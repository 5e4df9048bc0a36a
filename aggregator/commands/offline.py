"""`hirewire parse`: parse a saved payload offline and print normalised listings as JSON Lines."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from aggregator.errors import InputError, ParseError
from aggregator.model import listing_to_json
from aggregator.normalise import normalise
from scrapers import sources as registry
from scrapers.sources.base import ParseContext


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("parse", help="parse a saved payload of SOURCE and print listings as JSON Lines")
    parser.add_argument("source", metavar="SOURCE", help=f"one of: {', '.join(registry.NAMES)}")
    parser.add_argument("file", metavar="FILE", type=Path, help="the saved payload ('-' for standard input)")
    parser.add_argument("--board", help="the ATS board/company the payload was fetched for")
    parser.add_argument("--url", help="the URL the payload was fetched from (resolves relative links)")
    parser.set_defaults(handler=parse_command)


def parse_command(args: argparse.Namespace) -> int:
    try:
        adapter = registry.get(args.source)
    except KeyError as exc:
        raise InputError("SOURCE", str(exc.args[0])) from None
    try:
        payload = sys.stdin.buffer.read() if str(args.file) == "-" else args.file.read_bytes()
    except OSError as exc:
        raise InputError("FILE", f"{args.file}: {exc.strerror}") from None
    try:
        page = adapter.parse(payload, ParseContext(url=args.url, board=args.board))
    except ParseError as exc:
        raise ParseError(f"{args.file}: {exc}") from None
    out = sys.stdout.buffer
    for raw in page.listings:
        out.write(listing_to_json(normalise(raw)) + b"\n")
    out.flush()
    if page.warnings:
        print(f"hirewire: {len(page.warnings)} item(s) skipped: {page.warnings[0]}", file=sys.stderr)
    if page.follow and not page.listings:
        print(f"hirewire: this payload links to {len(page.follow)} more document(s) to fetch, "
              f"e.g. {page.follow[0]}", file=sys.stderr)
    return 0
