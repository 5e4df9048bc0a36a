"""What every command shares: settings, a runtime on resolved servers, argument checks, table output."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, TypeVar

from aggregator import logs
from aggregator.alerts import AlertSpec, parse_alert
from aggregator.config import Settings, load_settings
from aggregator.errors import InputError
from aggregator.runtime import Runtime, connect, resolved
from scrapers import sources as registry

T = TypeVar("T")

#: The largest id PostgreSQL's bigint holds: every id hirewire stores is in 1..MAX_ID.
MAX_ID = 2**63 - 1


def known_source(name: str) -> str:
    """`name` if a source of that name exists; a usage error listing the known ones otherwise."""
    if name not in registry.NAMES:
        raise UsageError("SOURCE", f"unknown source {name!r} (known: {', '.join(registry.NAMES)})")
    return name


class UsageError(InputError):
    """A flag's value, or a combination of flags, that the command refuses before doing anything.

    Exit status 2, as argparse gives for its own usage errors, so a script can tell "you called it
    wrong" from "it ran and something was missing or failed" (1).
    """


def whole(low: int, high: int = MAX_ID) -> Callable[[str], int]:
    """An argparse type: a whole number from `low` to `high`.

    Checked while parsing, so an id or a count out of range is argparse's usual one error and exit
    2, never a value PostgreSQL refuses (bigint overflow, a negative LIMIT) halfway through a command.
    """

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be a whole number from {low} to {high}")
        return value

    return parse


#: An id of a stored row (alert, delivery): refused at parsing when no row could have it.
ROW_ID = whole(1)


def alert_spec(data: Mapping[str, Any], flags: Mapping[str, str], *, allow_private: bool = False) -> AlertSpec:
    """Check `data` with the API's own validator (`parse_alert`), its refusals naming the flag the user typed.

    The command line and the API then accept and refuse exactly the same values (an unknown
    country, skill or source); only the name of the field at fault is the command line's.
    """
    try:
        return parse_alert(data, allow_private=allow_private)
    except InputError as exc:
        raise UsageError(flag_for(exc.field, flags), exc.message) from None


def flag_for(field: str, flags: Mapping[str, str]) -> str:
    """The flag standing for an alert field (`countries` → `--country`); the field itself if none does."""
    return flags.get(field, flags.get(field.split(".")[0], field))


def settings() -> Settings:
    current = load_settings()
    logs.configure(current.log_format)
    return current


def run_with_runtime(fn: Callable[[Runtime], Awaitable[T]], *, migrate: bool = False,
                     loaded: Settings | None = None) -> T:
    """Resolve the servers (embedded if unset), connect, run `fn`, tear down.

    `loaded`: settings the command already read (to check its arguments against them first).
    """
    with resolved(loaded or settings()) as current:

        async def main() -> T:
            async with connect(current, migrate=migrate) as rt:
                return await fn(rt)

        return asyncio.run(main())


def cell(value: Any) -> str:
    """A value as a table shows it: "-" for none, minutes for times, "yes"/"no", lists comma-separated."""
    if value is None:
        return "-"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "-"
    return str(value)


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]], *, max_width: int = 48) -> str:
    """A plain aligned text table."""
    cells = [[cell(v) for v in row] for row in rows]
    cells = [[c if len(c) <= max_width else c[: max_width - 1] + "…" for c in row] for row in cells]
    widths = [max([len(h)] + [len(row[i]) for row in cells]) for i, h in enumerate(headers)]
    lines = ["  ".join(h.upper().ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    return "\n".join(lines)
