"""Soak: `hirewire run` for a while against a fast-growing local feed and a local webhook receiver.

    python bench/soak.py --minutes 2

Starts private PostgreSQL and Redis (or uses HIREWIRE_DATABASE_URL / HIREWIRE_REDIS_URL), a feed
server whose Remotive-shaped feed grows by thousands of listings a minute, a receiver that counts
every webhook-id, and a few hundred alerts, each matching a known slice of the listings. It samples
the daemon's RSS and the arq queue depth, then prints whether memory stayed flat and whether every
match was delivered exactly once (by webhook-id, as a deduplicating receiver sees it).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import psutil
import redis.asyncio as aioredis
from aiohttp import web

from aggregator.alerts import parse_alert
from aggregator.embedded import EmbeddedServers, free_port
from aggregator.store import alerts as store_alerts
from aggregator.store import db as store_db
from scrapers import sources as registry
from workers.notify.content import Alert, Batch
from workers.notify.webhook import webhook_id

ROOT = Path(__file__).resolve().parents[1]
#: Each listing carries topic n % TOPICS; alert i asks for topic i, so about ALERTS/TOPICS of them match.
TOPICS = 600
WINDOW = 3000  # the feed shows the newest WINDOW listings, like a real "latest jobs" endpoint


def _job(n: int) -> dict[str, Any]:
    return {"id": f"s{n}", "url": f"https://feed.example/jobs/{n}", "title": "Senior Python Backend Engineer",
            "company_name": f"Soak{n:07d}x Corp".replace("0", "o").replace("1", "i"),
            "job_type": "full_time", "publication_date": "2026-01-05T16:20:11",
            "candidate_required_location": "Worldwide", "salary": "$120k - $150k", "tags": ["python", "django"],
            "description": f"<p>Django and PostgreSQL services. Topic topic{n % TOPICS}x.</p>"}


class Feed:
    """Listings appear at `per_minute`; each request returns the newest WINDOW of them."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self.started = time.monotonic()
        self.frozen: int | None = None

    @property
    def total(self) -> int:
        if self.frozen is not None:
            return self.frozen
        return int((time.monotonic() - self.started) * self.per_minute / 60)

    async def handle(self, request: web.Request) -> web.Response:
        total = self.total
        jobs = [_job(n) for n in range(max(0, total - WINDOW), total)]
        return web.Response(body=json.dumps({"jobs": jobs}).encode(), content_type="application/json")


class Receiver:
    def __init__(self) -> None:
        self.ids: Counter[str] = Counter()

    async def handle(self, request: web.Request) -> web.Response:
        await request.read()
        self.ids[request.headers["webhook-id"]] += 1
        return web.Response(text="ok")


async def _serve(app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner, f"http://127.0.0.1:{port}"


def _config(path: Path, feed_url: str) -> Path:
    lines = []
    for name in registry.NAMES:
        lines += [f"[sources.{name}]", "enabled = false", ""]
    lines[lines.index("[sources.remotive]") + 1] = (
        f'enabled = true\nurl = "{feed_url}"\nevery = "15s"\nrate = 100\nburst = 10\nconditional = false')
    path.write_text("\n".join(lines))
    return path


async def _soak(args: argparse.Namespace, database_url: str, redis_url: str, workdir: Path) -> dict[str, Any]:
    feed, receiver = Feed(args.per_minute), Receiver()
    feed_app, hook_app = web.Application(), web.Application()
    feed_app.router.add_get("/jobs", feed.handle)
    hook_app.router.add_post("/hook", receiver.handle)
    feed_runner, feed_base = await _serve(feed_app)
    hook_runner, hook_base = await _serve(hook_app)
    prefix = f"soak{uuid.uuid4().hex[:8]}"

    conn = await asyncpg.connect(database_url)
    await store_db._init_connection(conn)  # jsonb as Python values, as hirewire's own pool has it
    await store_db.migrate(conn)
    await conn.execute("TRUNCATE deliveries, alerts, postings, jobs, raw_items, fetch_runs, sources, http_cache "
                       "RESTART IDENTITY CASCADE")
    for i in range(args.alerts):
        spec = parse_alert({"query": f"topic{i % TOPICS}x", "channel": {"webhook": f"{hook_base}/hook"}},
                           allow_private=True)
        await store_alerts.create(conn, spec, status="active")

    env = {k: v for k, v in os.environ.items() if not k.startswith("HIREWIRE_")}
    env.update({"HIREWIRE_DATABASE_URL": database_url, "HIREWIRE_REDIS_URL": redis_url,
                "HIREWIRE_REDIS_PREFIX": prefix, "HIREWIRE_DATA_DIR": str(workdir / "data"),
                "HIREWIRE_CONFIG": str(_config(workdir / "soak.toml", f"{feed_base}/jobs")),
                "HIREWIRE_SECRET_KEY": "soak", "HIREWIRE_ALLOW_PRIVATE_DESTINATIONS": "true",
                "HIREWIRE_WEBHOOK_RATE": "1000", "HIREWIRE_WEBHOOK_CONCURRENCY": "16",
                "HIREWIRE_API_PORT": str(free_port()), "HIREWIRE_LOG_FORMAT": "json"})
    log = (workdir / "run.log").open("wb")
    process = subprocess.Popen([sys.executable, "-m", "aggregator", "run"], env=env, cwd=ROOT,
                               stdout=log, stderr=subprocess.STDOUT)
    daemon = psutil.Process(process.pid)
    redis = aioredis.from_url(redis_url)
    samples: list[tuple[float, float, int]] = []  # (seconds, RSS MiB, queue depth)
    started = time.monotonic()
    drained_after: float | None = None
    try:
        deadline = started + args.minutes * 60
        while time.monotonic() < deadline + args.drain:
            if process.poll() is not None:
                raise RuntimeError(f"hirewire run exited with {process.returncode}; see {workdir / 'run.log'}")
            rss = sum(p.memory_info().rss for p in [daemon, *daemon.children(recursive=True)]) / 2**20
            depth = int(await redis.zcard(f"{prefix}:queue"))
            samples.append((time.monotonic() - started, rss, depth))
            if time.monotonic() >= deadline:
                if feed.frozen is None:
                    feed.frozen = feed.total  # stop growing; what was served must now all arrive
                ingested = await conn.fetchval("SELECT count(*) FROM postings")
                unsent = await conn.fetchval("SELECT count(*) FROM deliveries WHERE state <> 'sent'")
                unmatched = await conn.fetchval("SELECT count(*) FROM jobs WHERE matched_at IS NULL")
                if ingested >= feed.frozen and not unsent and not unmatched and depth == 0:
                    drained_after = time.monotonic() - deadline
                    break
            await asyncio.sleep(args.sample)
    finally:
        process.send_signal(signal.SIGTERM)
        code = await asyncio.to_thread(process.wait, 60)
        await redis.aclose()
        await feed_runner.cleanup()
        await hook_runner.cleanup()

    served = feed.total
    ingested = await conn.fetchval("SELECT count(*) FROM postings")
    rows = await conn.fetch("SELECT id, alert_id, state FROM deliveries")
    expected_matches = sum(1 for n in range(served) if n % TOPICS < args.alerts)
    await conn.close()

    def stable_id(delivery_id: int, alert_id: int) -> str:
        alert = Alert(id=alert_id, email=None, webhook_url=hook_base, webhook_secret=None, query="",
                      frequency="instant")
        return webhook_id(Batch(key=f"d{delivery_id}", alert=alert, jobs=[], delivery_ids=[delivery_id],
                                created_at=datetime.now(UTC), attempt=1))

    expected_ids = {stable_id(r["id"], r["alert_id"]) for r in rows}
    return {"served": served, "ingested": ingested, "matches": len(rows), "expected_matches": expected_matches,
            "sent": sum(1 for r in rows if r["state"] == "sent"), "received": sum(receiver.ids.values()),
            "duplicates": sum(n - 1 for n in receiver.ids.values() if n > 1),
            "missing": len(expected_ids - set(receiver.ids)), "unexpected": len(set(receiver.ids) - expected_ids),
            "samples": samples, "drained_after": drained_after, "exit": code}


def _report(r: dict[str, Any], minutes: float) -> None:
    samples = r["samples"]
    rss = [s[1] for s in samples]
    third = max(1, len(rss) // 3)
    middle, last = statistics.mean(rss[third:2 * third] or rss), statistics.mean(rss[-third:])
    flat = abs(last - middle) <= 0.15 * middle
    exact = (r["matches"] == r["expected_matches"] == r["sent"] and r["duplicates"] == 0 and r["missing"] == 0
             and r["unexpected"] == 0 and r["ingested"] == r["served"])
    print(f"soak: {minutes:g} min of `hirewire run`, feed growing {r['served'] / minutes:.0f} listings/min")
    print(f"listings served:          {r['served']}")
    print(f"listings ingested:        {r['ingested']}")
    print(f"matches (deliveries):     {r['matches']}  (expected {r['expected_matches']})")
    print(f"deliveries sent:          {r['sent']}")
    print(f"webhooks received:        {r['received']}")
    print(f"duplicates received:      {r['duplicates']}  (same webhook-id more than once)")
    print(f"missing deliveries:       {r['missing']}")
    drained = "not drained" if r["drained_after"] is None else f"{r['drained_after']:.1f} s"
    print(f"drained after feed froze: {drained}; daemon exit status {r['exit']}")
    print("samples (t s, RSS MiB, queue depth):")
    for t, mib, depth in samples:
        print(f"  {t:6.1f}  {mib:7.1f}  {depth:5d}")
    print(f"memory: first {rss[0]:.1f} MiB, last {rss[-1]:.1f} MiB, max {max(rss):.1f} MiB; "
          f"middle third avg {middle:.1f}, last third avg {last:.1f}")
    print(f"queue depth: max {max(s[2] for s in samples)}, last {samples[-1][2]}")
    print(f"memory flat: {'yes' if flat else 'no'}")
    print(f"every match delivered exactly once: {'yes' if exact else 'no'}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=2.0)
    parser.add_argument("--per-minute", type=int, default=3000, help="new listings a minute in the feed")
    parser.add_argument("--alerts", type=int, default=300)
    parser.add_argument("--sample", type=float, default=5.0, help="seconds between samples")
    parser.add_argument("--drain", type=float, default=90.0, help="seconds allowed to catch up at the end")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="hirewire-soak-"))
    workdir.chmod(0o755)  # the embedded PostgreSQL runs as an unprivileged user when started by root
    embedded: EmbeddedServers | None = None
    database_url, redis_url = os.environ.get("HIREWIRE_DATABASE_URL"), os.environ.get("HIREWIRE_REDIS_URL")
    try:
        if not database_url or not redis_url:
            embedded = EmbeddedServers(workdir / "servers")
            if not database_url:
                database_url = embedded.start_postgres()
            if not redis_url:
                redis_url = embedded.start_redis()
        _report(asyncio.run(_soak(args, database_url, redis_url, workdir)), args.minutes)
    finally:
        if embedded is not None:
            embedded.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
