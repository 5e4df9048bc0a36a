"""PostgreSQL and Redis restarted under a working `hirewire run`: it recovers by itself, in seconds.

The servers are private to this test (started here, under /tmp rather than pytest's 0700 tree,
because the embedded PostgreSQL runs as an unprivileged user when started by root), so stopping
them never disturbs the rest of the suite. Recovery is judged from outside, as an operator would:
/healthz goes bad and comes back, and a listing served afterwards is stored by the next cycle.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import aiohttp
import asyncpg
import pytest
from aiohttp import web

from aggregator.embedded import EmbeddedServers
from tests.conftest import write_config
from tests.faults.helpers import free_port, remotive_feed, start_hirewire, stop, wait_for

pytestmark = pytest.mark.slow

#: How long hirewire may take to notice a server is back and finish a fetch cycle.
RECOVERY_SECONDS = 30.0


class PrivateServers:
    """A PostgreSQL and a Redis that only this test uses, and can stop and start at will."""

    def __init__(self, root: Path) -> None:
        self.embedded = EmbeddedServers(root / "servers")
        self.database_url, self.redis_url = self.embedded.start()
        self.pgdata = root / "servers" / "postgres"
        self._redis: subprocess.Popen[bytes] | None = None

    def restart_postgres(self) -> None:
        """A fast shutdown (every session is terminated) and a start with the same options."""
        from pgserver._commands import pg_ctl

        user = getattr(self.embedded._pg, "system_user", None)
        pg_ctl(["-w", "-m", "fast", "restart"], pgdata=self.pgdata, user=user, timeout=60)

    def stop_redis(self) -> int:
        state = json.loads((self.embedded._redis_dir / "state.json").read_text())
        pid, port = int(state["pid"]), int(state["port"])
        if self._redis is not None and self._redis.pid == pid:
            self._redis.kill()
            self._redis.wait(10)
        else:
            os.kill(pid, 9)  # the server EmbeddedServers started for this test (its pid, from its state file)
            for _ in range(200):
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    break
                with __import__("contextlib").suppress(ChildProcessError):
                    os.waitpid(pid, os.WNOHANG)
                __import__("time").sleep(0.05)
        return port

    def start_redis(self, port: int) -> None:
        """A new, empty Redis on the same port (the embedded one keeps nothing on disk either)."""
        binary = self.embedded._redis_binary()
        self._redis = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                        "--appendonly", "no", "--dir", str(self.embedded._redis_dir)],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        state = json.loads((self.embedded._redis_dir / "state.json").read_text())
        state["pid"] = self._redis.pid  # so EmbeddedServers stops this one at the end
        (self.embedded._redis_dir / "state.json").write_text(json.dumps(state))

    def stop(self) -> None:
        self.embedded.stop()
        if self._redis is not None and self._redis.poll() is None:
            self._redis.kill()
            self._redis.wait(10)


@pytest.fixture
def private_servers() -> AsyncIterator[PrivateServers] | object:
    root = Path(tempfile.mkdtemp(prefix="hirewire-faults-"))
    root.chmod(0o755)
    servers = PrivateServers(root)
    try:
        yield servers
    finally:
        servers.stop()
        shutil.rmtree(root, ignore_errors=True)


async def _health(http: aiohttp.ClientSession, url: str) -> str:
    try:
        async with http.get(url, timeout=aiohttp.ClientTimeout(total=3)) as response:
            body = await response.json()
            return str(body["status"])
    except (aiohttp.ClientError, TimeoutError, ValueError, KeyError):
        return "unreachable"


async def test_run_recovers_from_postgres_and_redis_restarts(
        private_servers: PrivateServers, tmp_path: Path,
        http_server: Callable[[web.Application], Awaitable[str]]) -> None:
    feed: dict[str, bytes] = {"body": remotive_feed(range(3), "r")}

    async def serve(request: web.Request) -> web.Response:
        return web.Response(body=feed["body"], content_type="application/json")

    app = web.Application()
    app.router.add_get("/jobs", serve)
    base = await http_server(app)
    config = write_config(tmp_path / "hirewire.toml", {"remotive": {
        "url": f"{base}/jobs", "every": "2s", "rate": 100, "burst": 10, "concurrency": 4, "conditional": False}})
    with config.open("a") as handle:
        handle.write("connect_timeout = 2\nread_timeout = 3\n")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("HIREWIRE_")}
    env.update({"HIREWIRE_DATABASE_URL": private_servers.database_url,
                "HIREWIRE_REDIS_URL": private_servers.redis_url, "HIREWIRE_CONFIG": str(config),
                "HIREWIRE_DATA_DIR": str(tmp_path / "data"), "HIREWIRE_SECRET_KEY": "k",
                "HIREWIRE_API_PORT": str(port), "HIREWIRE_LOG_FORMAT": "json"})
    log = tmp_path / "run.log"
    process = start_hirewire("run", env, log)
    health_url = f"http://127.0.0.1:{port}/healthz"
    statuses: list[str] = []

    async def stored(external_id: str) -> bool:
        try:
            conn = await asyncpg.connect(private_servers.database_url, timeout=3)
        except (OSError, asyncpg.PostgresError, TimeoutError):
            return False
        try:
            return bool(await conn.fetchval("SELECT count(*) FROM postings WHERE external_id = $1", external_id))
        except (OSError, asyncpg.PostgresError):
            return False
        finally:
            await conn.close()

    try:
        async with aiohttp.ClientSession() as http:
            async def watch() -> None:  # every status the API reports, so a short outage is not missed
                while True:
                    statuses.append(await _health(http, health_url))
                    await asyncio.sleep(0.1)

            async def healthy() -> bool:
                assert process.poll() is None, f"hirewire run exited: {log.read_text()[-3000:]}"
                return statuses[-1:] == ["ok"]

            watcher = asyncio.create_task(watch())
            try:
                await wait_for(healthy, 90, "hirewire run healthy")
                await wait_for(lambda: stored("r2"), 30, "the first fetch cycle")

                # PostgreSQL: every connection hirewire holds is terminated by the restart.
                statuses.clear()
                await asyncio.to_thread(private_servers.restart_postgres)
                feed["body"] = remotive_feed(range(4), "r")
                took = await wait_for(lambda: stored("r3"), RECOVERY_SECONDS, "a cycle after PostgreSQL came back")
                await wait_for(healthy, RECOVERY_SECONDS, "healthy after PostgreSQL came back")
                assert "error" in statuses or "unreachable" in statuses, statuses  # the outage was seen
                print(f"postgres restart: next listing stored {took:.1f} s after the server was back")

                # Redis: killed (its queue, leader lease and rate limits with it) and started empty.
                statuses.clear()
                redis_port = await asyncio.to_thread(private_servers.stop_redis)
                await wait_for(lambda: asyncio.sleep(0, result=bool(statuses) and statuses[-1] != "ok"), 10,
                               "/healthz reporting the Redis outage")
                await asyncio.sleep(2)  # down for a while: arq's and the scheduler's calls fail meanwhile
                await asyncio.to_thread(private_servers.start_redis, redis_port)
                feed["body"] = remotive_feed(range(5), "r")
                took = await wait_for(lambda: stored("r4"), RECOVERY_SECONDS, "a cycle after Redis came back")
                await wait_for(healthy, RECOVERY_SECONDS, "healthy after Redis came back")
                print(f"redis restart: next listing stored {took:.1f} s after the server was back")
                assert process.poll() is None, "hirewire run did not survive"
            finally:
                watcher.cancel()
                await asyncio.gather(watcher, return_exceptions=True)
    except BaseException:
        print(log.read_text()[-6000:])
        raise
    finally:
        await stop(process)
    assert parse_qs(urlsplit(private_servers.database_url).query)  # a private unix-socket server, never 5432
