"""The long-running roles: `run` (all in one), `worker`, `scheduler`, `api`.

SIGTERM/SIGINT stop taking work, give in-flight jobs a grace period to finish (arq re-queues any
that are cancelled), close the servers and exit 0. Embedded servers are stopped last.

Losing Redis or PostgreSQL for a while is not a reason to exit: arq's worker loop dies on the first
Redis error, so it is supervised here and started afresh until Redis answers again; the scheduler
and the API already outlive failed calls, and the asyncpg pool replaces terminated connections.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import socket

import structlog
from aiohttp import web
from arq import Worker
from redis.exceptions import RedisError

from aggregator.commands.common import settings, whole
from aggregator.config import Settings, mail_warnings
from aggregator.errors import ConfigError, HirewireError
from aggregator.runtime import Runtime, connect, resolved
from workers.scheduler import Scheduler
from workers.settings import build_worker

log = structlog.get_logger("hirewire")

#: Seconds in-flight jobs get to finish after a stop signal before they are cancelled (and re-queued).
GRACE_SECONDS = 20.0
#: Pause before starting a new arq worker after one died of a Redis error (doubling up to the maximum).
RESTART_DELAY = 0.5
RESTART_DELAY_MAX = 5.0


def register(commands: argparse._SubParsersAction) -> None:
    for name, help_text in (("run", "the daemon: scheduler, workers and API in one process"),
                            ("worker", "run queued jobs (scale out with more of these)"),
                            ("scheduler", "enqueue due sources (one leader across machines)"),
                            ("api", "serve the HTTP API")):
        p = commands.add_parser(name, help=help_text)
        if name in ("run", "api"):
            p.add_argument("--host", help="API listen address (env HIREWIRE_API_HOST, default 127.0.0.1)")
            p.add_argument("--port", type=whole(0, 65535), help="API port (env HIREWIRE_API_PORT, default 8080)")
        if name in ("run", "worker"):
            p.add_argument("--concurrency", type=whole(1, 1000), default=10,
                           help="jobs run at once by this worker (1 to 1000, default 10)")
        if name == "worker":
            p.add_argument("--burst", action="store_true", help="run queued jobs until the queue is empty, then exit")
        p.set_defaults(handler=_daemon_command, role=name)


def _daemon_command(args: argparse.Namespace) -> int:
    current = settings()
    host = getattr(args, "host", None) or current.api_host
    port = getattr(args, "port", None)
    port = current.api_port if port is None else port
    with resolved(current) as resolved_settings:
        asyncio.run(_serve(resolved_settings, args.role, host, port, getattr(args, "burst", False),
                           getattr(args, "concurrency", 10)))
    return 0


async def _start_api(rt: Runtime, host: str, port: int) -> web.AppRunner:
    """Listen on host:port, before any other role starts.

    An address that cannot be had (in use, not an address of this machine, no such host) stops the
    command at once with one line and exit status 2, like any other bad setting, rather than the
    scheduler and worker running on without the API the operator asked for.
    """
    from aggregator.api import create_app

    runner = web.AppRunner(create_app(rt), access_log=None, handle_signals=False)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
    except (OSError, OverflowError) as exc:
        await runner.cleanup()
        raise ConfigError("API", f"cannot listen on {host}:{port}: {_reason(exc)}") from None
    bound = runner.addresses[0] if runner.addresses else (host, port)
    log.info("api listening", url=f"http://{host}:{bound[1]}")
    return runner


def _reason(exc: Exception) -> str:
    """The system's words for why a socket could not be bound, without asyncio's wrapping of them."""
    if isinstance(exc, OSError) and not isinstance(exc, socket.gaierror) and exc.errno and exc.errno > 0:
        return os.strerror(exc.errno)
    return exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)


async def _run_api(runner: web.AppRunner, stop: asyncio.Event) -> None:
    try:
        await stop.wait()
    finally:
        await runner.cleanup()


async def _serve(current: Settings, role: str, host: str, port: int, burst: bool, concurrency: int) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    failure: BaseException | None = None
    async with connect(current, migrate=role in ("run", "worker", "scheduler", "api"), pool_size=20) as rt:
        api = await _start_api(rt, host, port) if role in ("run", "api") else None
        tasks: dict[str, asyncio.Task[None]] = {}
        scheduler = Scheduler(rt) if role in ("run", "scheduler") else None
        worker = _SupervisedWorker(rt, burst=burst, max_jobs=concurrency, stop=stop) \
            if role in ("run", "worker") else None
        if scheduler is not None:
            tasks["scheduler"] = asyncio.create_task(scheduler.run())
        if worker is not None:
            tasks["worker"] = asyncio.create_task(worker.run())
        if api is not None:
            tasks["api"] = asyncio.create_task(_run_api(api, stop))
        log.info("hirewire started", role=role, data_dir=str(current.data_dir))
        if role != "scheduler":  # the roles that send mail (worker) or links to it (api)
            for warning in mail_warnings(current):
                log.warning("mail settings", problem=warning)
        waiter = asyncio.create_task(stop.wait())
        done, _ = await asyncio.wait([waiter, *tasks.values()], return_when=asyncio.FIRST_COMPLETED)
        stop.set()
        for name, task in tasks.items():
            if task in done and not task.cancelled() and (error := task.exception()) is not None:
                log.error("role failed", role=name, error=repr(error))
                failure = failure or (error if isinstance(error, HirewireError)
                                      else HirewireError(f"{name} failed: {error!r}"))
        log.info("stopping", role=role)
        if scheduler is not None:
            scheduler.stop()
        if worker is not None:
            await worker.close()
        for task in tasks.values():
            if not task.done():
                task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
    log.info("stopped", role=role)
    if failure is not None:  # the command did not do what it was asked: say so in its exit status
        raise failure


async def _drain(worker: Worker) -> None:
    """Stop picking jobs and give running ones GRACE_SECONDS to finish."""
    worker.allow_pick_jobs = False
    running = [t for t in worker.tasks.values() if not t.done()]
    if running:
        await asyncio.wait(running, timeout=GRACE_SECONDS)


async def _close(worker: Worker) -> None:
    """Close a worker whose Redis may be gone: its shutdown hook (fetcher, SMTP) must still run."""
    try:
        await worker.close()
    except (RedisError, OSError) as exc:
        log.warning("worker closed without Redis", error=str(exc))
        if worker.on_shutdown is not None:
            await worker.on_shutdown(worker.ctx)
        with contextlib.suppress(RedisError, OSError):
            await worker.pool.close(close_connection_pool=True)


class _SupervisedWorker:
    """arq's worker, started again whenever its loop dies of a Redis error (Redis restarted, failed over).

    arq has no reconnect of its own: one failed poll ends `Worker.main`. A fresh Worker is built
    rather than the dead one re-entered, so no half-torn state is reused; the dead one's running
    jobs are left to finish (their results are PostgreSQL rows; arq's bookkeeping for them may be
    lost with Redis, which the design allows) and it is closed after them.
    """

    def __init__(self, rt: Runtime, *, burst: bool, max_jobs: int, stop: asyncio.Event) -> None:
        self.rt, self.burst, self.max_jobs, self._stop = rt, burst, max_jobs, stop
        self.current: Worker | None = None
        self._retiring: set[asyncio.Task[None]] = set()

    async def run(self) -> None:
        delay = RESTART_DELAY
        while not self._stop.is_set():
            self.current = build_worker(self.rt, burst=self.burst, max_jobs=self.max_jobs)
            try:
                await self.current.async_run()
                return  # burst finished, or stopped
            except (RedisError, OSError) as exc:
                log.warning("worker lost Redis; starting a new one", error=str(exc), retry_in=delay)
            dead, self.current = self.current, None
            retiring = asyncio.create_task(self._retire(dead))
            self._retiring.add(retiring)
            retiring.add_done_callback(self._retiring.discard)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), timeout=delay)
            delay = min(delay * 2, RESTART_DELAY_MAX)

    async def _retire(self, worker: Worker) -> None:
        running = [t for t in worker.tasks.values() if not t.done()]
        if running:
            await asyncio.wait(running)
        await _close(worker)

    async def close(self) -> None:
        """Drain and close the live worker and any dead one still finishing its jobs."""
        if self.current is not None:
            await _drain(self.current)
            await _close(self.current)
        for retiring in list(self._retiring):
            with contextlib.suppress(Exception):
                await asyncio.wait_for(retiring, timeout=GRACE_SECONDS)
