"""Throwaway databases for benchmarks, on whatever PostgreSQL is available.

HIREWIRE_DATABASE_URL if set; else the machine's server on 127.0.0.1:5432 if it answers; else the
embedded pgserver. A fresh database is created for the run and dropped afterwards.
"""

from __future__ import annotations

import contextlib
import os
import socket
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

from aggregator.embedded import EmbeddedServers
from aggregator.store import db


def _port_open(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        return True
    return False


@contextlib.asynccontextmanager
async def scratch_database(migrate: bool = True) -> AsyncIterator[str]:
    """A URL of a new, empty (optionally migrated) database, dropped on exit."""
    embedded: EmbeddedServers | None = None
    admin_url = os.environ.get("HIREWIRE_DATABASE_URL")
    tmp = None
    if admin_url is None:
        if _port_open(5432):
            admin_url = "postgresql://postgres@127.0.0.1:5432/postgres"
        else:
            tmp = tempfile.TemporaryDirectory(prefix="hirewire-bench-")
            embedded = EmbeddedServers(Path(tmp.name))
            admin_url = embedded.start_postgres()
    try:
        async with db.scratch_database(admin_url, "hirewire_bench", with_schema=migrate) as url:
            yield url
    finally:
        if embedded is not None:
            embedded.stop()
        if tmp is not None:
            tmp.cleanup()
