"""The `hirewire` command line (also `python -m aggregator`).

Each sub-command lives in `aggregator.commands`; this module only builds the parser and turns
hirewire's own errors into one line on stderr and a non-zero exit status: 2 for invalid
configuration or arguments (as argparse's own usage errors), 1 for everything else.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from aggregator import __version__
from aggregator.commands import register_all
from aggregator.commands.common import UsageError
from aggregator.errors import ConfigError, HirewireError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hirewire", description="Job-listing aggregator and alert worker for Python backend jobs.")
    parser.add_argument("--version", action="version", version=f"hirewire {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    register_all(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        status: int = args.handler(args)
        return status
    except HirewireError as exc:
        print(f"hirewire: {exc}", file=sys.stderr)
        return 2 if isinstance(exc, ConfigError | UsageError) else 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
