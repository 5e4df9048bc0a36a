"""What every command shares: settings, a runtime on resolved servers, and table output."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from aggregator import logs
from aggregator.config import Settings, load_settings
from aggregator.runtime import Runtime, connect, resolved

T = TypeVar("T")


def settings() -> Settings:
    current = load_settings()
    logs.configure(current.log_format)
    return current


def run_with_runtime(fn: Callable[[Runtime], Awaitable[T]], *, migrate: bool = False) -> T:
    """Resolve the servers (embedded if unset), connect, run `fn`, tear down."""
    with resolved(settings()) as current:

        async def main() -> T:
            async with connect(current, migrate=migrate) as rt:
                return await fn(rt)

        return asyncio.run(main())


def _cell(value: Any) -> str:
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
    cells = [[_cell(v) for v in row] for row in rows]
    cells = [[c if len(c) <= max_width else c[: max_width - 1] + "…" for c in row] for row in cells]
    widths = [max([len(h)] + [len(row[i]) for row in cells]) for i, h in enumerate(headers)]
    lines = ["  ".join(h.upper().ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    return "\n".join(lines)
