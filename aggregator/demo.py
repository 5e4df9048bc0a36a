"""`hirewire demo`: the whole pipeline on the bundled sample feeds, offline, with nothing to set up.

The run is the real one, not a simulation: the samples are served over HTTP on loopback and every
source's URL points there (the TOML file operators use for mirrors), the scheduler enqueues the
fetches, an arq worker in burst mode fetches, parses, stores, deduplicates, matches and delivers,
and the deliveries go to a local SMTP catcher and a webhook receiver that keep what they get as
files. What the run did is read back from the store and from arq's job results afterwards.

With no `HIREWIRE_DATABASE_URL` / `HIREWIRE_REDIS_URL` the servers are the embedded ones, in a
fresh temporary data directory (removed afterwards) unless `HIREWIRE_DATA_DIR` names one. With a
configured PostgreSQL the run happens in a database of its own on that server, dropped at the end,
and with a configured Redis under a key prefix of its own, whose keys are deleted at the end: sample
jobs and alerts have no place next to an operator's own, and the run can be repeated. A private
data directory named by `HIREWIRE_DATA_DIR` keeps what the demo stored (to explore it afterwards),
so there the run refuses a database that already holds jobs or alerts.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import os
import re
import shutil
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from email import policy as email_policy
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import asyncpg
from aiohttp import web
from aiosmtpd.smtp import SMTP, Envelope, Session
from arq.connections import ArqRedis
from arq.constants import result_key_prefix

from aggregator.alerts import check_webhook, parse_alert
from aggregator.config import Settings, default_data_dir, load_settings
from aggregator.display import alert_wants
from aggregator.errors import ConfigError
from aggregator.runtime import Runtime, connect, resolved
from aggregator.store import alerts as store_alerts
from aggregator.store import db
from aggregator.store import deliveries as store_deliveries
from aggregator.store import jobs as store_jobs
from scrapers import sources as registry
from workers import jobs as worker_jobs
from workers.notify import DeliveryPolicy, Notifier
from workers.notify.signing import sign
from workers.scheduler import Scheduler
from workers.settings import build_worker

__all__ = ["AlertLine", "DemoResult", "MergedJob", "SavedEmail", "SavedWebhook", "SourceLine", "run_demo",
           "signature_valid"]

SAMPLES = Path(__file__).resolve().parent / "samples"

#: Loopback path -> bundled sample. The paths keep each real endpoint's shape, so what the adapters
#: see (board in the path, HN's /api/v1/ prefix that its follow-up URL is built from) is unchanged.
_ROUTES: dict[str, str] = {
    "/remotive/api/remote-jobs": "remotive.json",
    "/remoteok/api": "remoteok.json",
    "/jobicy/api/v2/remote-jobs": "jobicy.json",
    "/weworkremotely/categories/remote-back-end-programming-jobs.rss": "weworkremotely.rss",
    "/pythonorg/jobs/feed/rss/": "pythonorg.rss",
    "/arbeitnow/api/job-board-api": "arbeitnow.json",
    "/himalayas/jobs/api": "himalayas.json",
    "/greenhouse/v1/boards/tidewater/jobs": "greenhouse.json",
    "/lever/v0/postings/quillstack": "lever.json",
    "/ashby/posting-api/job-board/harbor-labs": "ashby.json",
    "/smartrecruiters/v1/companies/initech/postings": "smartrecruiters.json",
    **{f"/smartrecruiters/v1/companies/initech/postings/743999100000{n}": f"smartrecruiters_posting_{n}.json"
       for n in ("101", "102", "103", "104")},
    "/workable/api/v1/widget/accounts/globex": "workable.json",
    "/hn/api/v1/search_by_date": "hn_search.json",
    "/careers/jobs/vk-2026-0142-senior-python-backend-engineer": "jsonld_job.html",
    "/feeds/jobs.atom": "feed.atom",
    "/feeds/jobicy.rss": "jobicy.rss",
}

_CONTENT_TYPES = {".json": "application/json", ".rss": "application/rss+xml", ".atom": "application/atom+xml",
                  ".html": "text/html"}

#: Loopback answers in microseconds: the per-host politeness meant for real sites would only make the
#: demo wait, and every source shares the one host 127.0.0.1 here.
_FAST = {"rate": 100.0, "burst": 100, "concurrency": 4}

#: Retries a second apart instead of minutes, so a failed delivery still ends the run quickly.
_POLICY = DeliveryPolicy(schedule=(0.5, 1.0), lease=30.0, destination_rate=100.0, destination_burst=100)

#: A receiver refuses signatures older than this (the Standard Webhooks recommendation), against replays.
_TOLERANCE = 300


def source_tables(base: str) -> dict[str, dict[str, Any]]:
    """The TOML `[sources.NAME]` tables pointing every source at the sample server at `base`."""
    tables: dict[str, dict[str, Any]] = {
        "remotive": {"url": f"{base}/remotive/api/remote-jobs?category=software-dev&search=python"},
        "remoteok": {"url": f"{base}/remoteok/api?tags=python"},
        "jobicy": {"url": f"{base}/jobicy/api/v2/remote-jobs?count=100&tag=python"},
        "weworkremotely": {"url": f"{base}/weworkremotely/categories/remote-back-end-programming-jobs.rss"},
        "pythonorg": {"url": f"{base}/pythonorg/jobs/feed/rss/"},
        "arbeitnow": {"url": f"{base}/arbeitnow/api/job-board-api"},
        "himalayas": {"url": f"{base}/himalayas/jobs/api?limit=20&offset=0"},
        "greenhouse": {"url": f"{base}/greenhouse/v1/boards/{{board}}/jobs?content=true", "boards": ["tidewater"]},
        "lever": {"url": f"{base}/lever/v0/postings/{{board}}?mode=json&limit=100", "boards": ["quillstack"]},
        "ashby": {"url": f"{base}/ashby/posting-api/job-board/{{board}}?includeCompensation=true",
                  "boards": ["harbor-labs"]},
        # A list page, then each posting's own page (its description) from the same host.
        "smartrecruiters": {"url": f"{base}/smartrecruiters/v1/companies/{{board}}/postings?limit=100&offset=0",
                            "boards": ["initech"]},
        "workable": {"url": f"{base}/workable/api/v1/widget/accounts/{{board}}?details=true", "boards": ["globex"]},
        "hn": {"url": f"{base}/hn/api/v1/search_by_date?tags=story,author_whoishiring&hitsPerPage=20"},
        # Jobicy's own RSS feed read as a plain feed too: its jobs arrive twice, from two sources, and
        # are merged (by exact fingerprint or by near-duplicate decision) into one job each.
        "rss": {"feeds": [f"{base}/feeds/jobs.atom", f"{base}/feeds/jobicy.rss"]},
        "jsonld": {"pages": [f"{base}/careers/jobs/vk-2026-0142-senior-python-backend-engineer"]},
    }
    assert set(tables) == set(registry.NAMES), "every source takes part in the demo"
    return {name: {"enabled": True, **_FAST, **table} for name, table in tables.items()}


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(str(value))  # a JSON string is a valid TOML basic string


def _toml(tables: Mapping[str, Mapping[str, Any]]) -> str:
    lines: list[str] = []
    for name, table in tables.items():
        lines.append(f"[sources.{name}]")
        lines += [f"{key} = {_toml_value(value)}" for key, value in table.items()]
        lines.append("")
    return "\n".join(lines)


# -- the local receivers -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SavedEmail:
    eml: Path
    html: Path | None
    to: str
    subject: str


@dataclass(frozen=True, slots=True)
class SavedWebhook:
    path: Path
    type: str
    verified: bool
    title: str


def _slug(text: str, limit: int = 48) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:limit].rstrip("-") or "message"


class MailCatcher:
    """An aiosmtpd handler that keeps each message as `.eml` (and its HTML part as `.html`)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.saved: list[SavedEmail] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        message = BytesParser(policy=email_policy.default).parsebytes(raw)
        subject = str(message.get("Subject", ""))
        stem = f"{len(self.saved) + 1:02d}-{_slug(subject)}"
        eml = self.folder / f"{stem}.eml"
        await asyncio.to_thread(eml.write_bytes, raw)
        html_path = None
        part = message.get_body(preferencelist=("html",))
        if part is not None:
            html_path = self.folder / f"{stem}.html"
            await asyncio.to_thread(html_path.write_text, str(part.get_content()), "utf-8")
        self.saved.append(SavedEmail(eml, html_path, ", ".join(envelope.rcpt_tos), subject))
        return "250 OK: kept as a file"


def signature_valid(secret: str, headers: Mapping[str, str], body: bytes, now: float | None = None) -> bool:
    """Verify a Standard Webhooks signature as a subscriber would: any listed `v1,` signature, fresh timestamp."""
    msg_id, timestamp = headers.get("webhook-id", ""), headers.get("webhook-timestamp", "")
    if not msg_id or not timestamp.isdigit():
        return False
    if abs((time.time() if now is None else now) - int(timestamp)) > _TOLERANCE:
        return False
    expected = sign(secret, msg_id, int(timestamp), body)
    return any(hmac.compare_digest(expected, given) for given in headers.get("webhook-signature", "").split())


def _job_title(payload: Any) -> str:
    """"Title at Company" of a job.matched event, or how many jobs a digest carries."""
    data = payload.get("data") if isinstance(payload, dict) else None
    if not isinstance(data, dict):
        return ""
    if isinstance(data.get("jobs"), list):
        return f"{len(data['jobs'])} jobs"
    job = data.get("job")
    if not isinstance(job, dict):
        return ""
    return " at ".join(str(v) for v in (job.get("title"), job.get("company")) if v)


class WebhookReceiver:
    """The subscriber's end of a webhook: verifies each request and keeps headers and body as JSON."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.secret = ""
        self.saved: list[SavedWebhook] = []

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        verified = signature_valid(self.secret, request.headers, body)
        try:
            payload: Any = json.loads(body)
        except ValueError:
            payload = body.decode("utf-8", "replace")
        kind = str(payload.get("type", "unknown")) if isinstance(payload, dict) else "unknown"
        title = _job_title(payload)
        path = self.folder / f"{len(self.saved) + 1:02d}-{_slug(f'{kind} {title}')}.json"
        record = {
            "signature_valid": verified,
            # A throwaway alert's secret, kept so anyone can check the signature again by hand.
            "secret": self.secret,
            "headers": {k.lower(): v for k, v in request.headers.items()
                        if k.lower().startswith("webhook-") or k.lower() in ("content-type", "user-agent")},
            "body": payload,
            # The bytes as signed (the body above is re-indented), to verify again with any library.
            "raw_body": body.decode("utf-8", "replace"),
        }
        await asyncio.to_thread(path.write_text, json.dumps(record, indent=2, ensure_ascii=False) + "\n", "utf-8")
        self.saved.append(SavedWebhook(path, kind, verified, title))
        # A real receiver turns away what it cannot verify; hirewire then records the failure.
        return web.Response(status=204 if verified else 401)


def _sample_app() -> web.Application:
    """The sample feeds, at their loopback paths, plus a robots.txt that allows everything."""
    app = web.Application()
    thread_id = json.loads((SAMPLES / "hn_thread.json").read_bytes())["id"]
    routes = {**_ROUTES, f"/hn/api/v1/items/{thread_id}": "hn_thread.json"}

    def serve(name: str) -> Any:
        body = (SAMPLES / name).read_bytes()
        content_type = _CONTENT_TYPES[Path(name).suffix]

        async def handler(request: web.Request) -> web.Response:
            return web.Response(body=body, content_type=content_type, charset="utf-8")

        return handler

    for path, name in routes.items():
        app.router.add_get(path, serve(name))

    async def robots(request: web.Request) -> web.Response:
        return web.Response(text="User-agent: *\nAllow: /\n")

    app.router.add_get("/robots.txt", robots)
    return app


async def _start_http(app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    return runner, f"http://{host}:{port}"


# -- the result ----------------------------------------------------------------------------------


@dataclass(slots=True)
class SourceLine:
    """One source's part in the run: listings read, postings stored, and how many were merged."""

    source: str
    fetched: int = 0
    stored: int = 0
    merged: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def new_jobs(self) -> int:
        return self.stored - self.merged

    @property
    def skipped(self) -> int:
        """Listings that are not Python backend roles (kept out of the store by design)."""
        return max(0, self.fetched - self.stored)


@dataclass(frozen=True, slots=True)
class MergedJob:
    title: str
    company: str | None
    sources: list[str]


@dataclass(frozen=True, slots=True)
class AlertLine:
    id: int
    channel: str
    destination: str
    #: What the subscriber asked for, in words ("fastapi, remote, senior, ≥ 140,000 USD/year").
    wants: str
    frequency: str
    matched: int
    sent: int
    failed: int
    messages: int


@dataclass(slots=True)
class DemoResult:
    feeds_url: str
    out_dir: Path
    #: Whether the stored jobs outlive the run (False: a temporary private database, removed).
    kept: bool
    #: Whether the run had a database of its own on the configured server (dropped at the end).
    own_database: bool
    sources: list[SourceLine]
    merged: list[MergedJob]
    alerts: list[AlertLine]
    emails: list[SavedEmail]
    webhooks: list[SavedWebhook]
    totals: dict[str, int]
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """Every source read without error and every match delivered."""
        return (all(not s.errors for s in self.sources) and all(a.sent == a.matched for a in self.alerts)
                and all(w.verified for w in self.webhooks))


# -- the run -------------------------------------------------------------------------------------


def _alert_specs(webhook_url: str) -> list[dict[str, Any]]:
    """Three subscribers, one per way of being told: instant email, instant webhook, daily digest."""
    return [
        {"query": "fastapi", "remote": ["remote"], "seniority": ["senior"],
         "min_salary": {"amount": 140000, "currency": "USD", "period": "year", "include_unknown": False},
         "channel": {"email": "ada@example.org"}},
        {"remote": ["remote"], "seniority": ["senior", "lead"], "skills": {"all": ["Django"]},
         "channel": {"webhook": webhook_url}},
        {"query": "python OR backend", "frequency": "daily", "send_hour": 8, "timezone": "Europe/Berlin",
         "channel": {"email": "grace@example.org"}},
    ]


async def _require_empty(rt: Runtime) -> None:
    async with rt.pool.acquire() as conn:
        row = await store_jobs.stats(conn)
    if row["jobs"] or row["postings"] or row["active_alerts"]:
        raise ConfigError("HIREWIRE_DATABASE_URL",
                          f"the database already holds {row['jobs']} jobs and {row['active_alerts']} alerts; the "
                          "demo adds sample ones, so give it an empty database (or unset the URL for a private one)")


async def _drain(rt: Runtime) -> None:
    """Run one arq worker in burst mode until hirewire's queue (including retries) is empty.

    One job at a time: boards are then ingested one after another, so which posting joins which job
    is the same on every run (concurrent workers reach the same jobs, in a less repeatable order).
    """
    worker = build_worker(rt, burst=True, max_jobs=1)
    # Made here, in the worker's own context, so every job shares it (arq hands each job a copy of
    # that context) and the worker's shutdown closes its SMTP connection and HTTP session.
    worker.ctx["notifier"] = Notifier(rt, _POLICY)
    try:
        await worker.async_run()
    finally:
        await worker.close()


async def _source_lines(rt: Runtime, names: list[str]) -> list[SourceLine]:
    """Per source, from the fetch jobs' results as arq kept them (what each worker job reported)."""
    lines = {name: SourceLine(name) for name in names}
    reported: set[str] = set()
    prefix = f"{rt.settings.redis_prefix}:fetch:"
    for result in await rt.redis.all_job_results():
        if result.function != worker_jobs.FETCH_SOURCE or not (result.job_id or "").startswith(prefix):
            continue
        name = str(result.args[0])
        line = lines.setdefault(name, SourceLine(name))
        reported.add(name)
        if not result.success or not isinstance(result.result, dict):
            line.errors.append(f"fetch job failed: {result.result}")
            continue
        line.fetched += int(result.result["fetched"])
        line.stored += int(result.result["new"])
        line.errors += [str(e) for e in result.result["errors"]]
    for name in set(lines) - reported:
        lines[name].errors.append("the fetch job left no result")
    return [lines[name] for name in sorted(lines)]


async def _merged_jobs(rt: Runtime, lines: list[SourceLine]) -> list[MergedJob]:
    """Jobs with postings from more than one listing; each later posting counts as its source's merge."""
    by_source = {line.source: line for line in lines}
    merged: list[MergedJob] = []
    async with rt.pool.acquire() as conn:
        for row in await store_jobs.search(conn, store_jobs.JobQuery(include_closed=True, limit=1000)):
            _, postings = await store_jobs.get(conn, row["id"])
            if len(postings) < 2:
                continue
            for posting in postings[1:]:
                if posting["source"] in by_source:
                    by_source[posting["source"]].merged += 1
            merged.append(MergedJob(row["title"], row["company"], [p["source"] for p in postings]))
    return sorted(merged, key=lambda m: (m.company or "", m.title))


async def _alert_lines(rt: Runtime, catcher: MailCatcher, receiver: WebhookReceiver) -> list[AlertLine]:
    async with rt.pool.acquire() as conn:
        alerts = await store_alerts.list_alerts(conn)
        deliveries = await store_deliveries.list_deliveries(conn, limit=100_000)
    lines = []
    for alert in alerts:
        states = [d["state"] for d in deliveries if d["alert_id"] == alert["id"]]
        if alert["email"]:
            channel, destination = "email", str(alert["email"])
            messages = sum(1 for e in catcher.saved if e.to.lower() == destination.lower())
        else:
            channel, destination = "webhook", str(alert["webhook_url"])
            messages = len(receiver.saved)
        lines.append(AlertLine(alert["id"], channel, destination, alert_wants(alert["filters"]), alert["frequency"],
                               matched=len(states), sent=states.count("sent"),
                               failed=sum(1 for s in states if s in ("failed", "dead")), messages=messages))
    return lines


@contextlib.asynccontextmanager
async def _own_database(server_url: str) -> AsyncIterator[str]:
    """A database of the demo's own on the operator's server, dropped at the end."""
    try:
        async with db.scratch_database(server_url, "hirewire_demo") as url:
            yield url
    except asyncpg.InsufficientPrivilegeError as exc:
        raise ConfigError("HIREWIRE_DATABASE_URL",
                          f"the demo runs in a database of its own and cannot create one on this server ({exc}); "
                          "grant CREATEDB or unset the URL for a private server") from None


async def _forget(redis: ArqRedis, prefix: str, queue_name: str) -> None:
    """Delete the demo's Redis keys: its own (under `prefix`), arq's for the jobs whose ids carry the
    prefix, and the results of the jobs its queue ran (whatever their ids)."""
    keys = [key for pattern in (f"{prefix}:*", f"arq:*{prefix}:*")
            async for key in redis.scan_iter(match=pattern, count=1000)]
    keys += [result_key_prefix + str(result.job_id) for result in await redis.all_job_results()
             if result.queue_name == queue_name and result.job_id]
    for start in range(0, len(keys), 1000):
        await redis.delete(*keys[start:start + 1000])


async def _run(resolved_settings: Settings, env: Mapping[str, str], out_dir: Path, own_database: bool) -> DemoResult:
    emails_dir, webhooks_dir = out_dir / "emails", out_dir / "webhooks"
    for folder in (emails_dir, webhooks_dir):
        folder.mkdir(parents=True, exist_ok=True)
    catcher, receiver = MailCatcher(emails_dir), WebhookReceiver(webhooks_dir)
    hooks = web.Application()
    hooks.router.add_post("/hooks/hirewire", receiver.handle)

    loop = asyncio.get_running_loop()
    smtp = await loop.create_server(lambda: SMTP(catcher, hostname="hirewire-demo.localhost"), "127.0.0.1", 0)
    feeds_runner, feeds_url = await _start_http(_sample_app())
    hooks_runner, hooks_url = await _start_http(hooks)
    try:
        smtp_port = smtp.sockets[0].getsockname()[1]
        with tempfile.TemporaryDirectory(prefix="hirewire-demo-") as scratch:
            config = Path(scratch) / "sources.toml"
            config.write_text(_toml(source_tables(feeds_url)))
            demo_env = {**env, "HIREWIRE_CONFIG": str(config), "HIREWIRE_SMTP_URL": f"smtp://127.0.0.1:{smtp_port}",
                        "HIREWIRE_ALLOW_PRIVATE_DESTINATIONS": "true",
                        # Its own queue and keys: a worker of another installation on this Redis never
                        # picks up a demo job (it could not reach these loopback URLs).
                        "HIREWIRE_REDIS_PREFIX": f"hirewire-demo-{uuid.uuid4().hex[:8]}"}
            settings = replace(load_settings(demo_env), database_url=resolved_settings.database_url,
                               redis_url=resolved_settings.redis_url, secret_key=resolved_settings.secret_key)
        async with contextlib.AsyncExitStack() as stack:
            if own_database:
                assert settings.database_url is not None
                settings = replace(settings, database_url=await stack.enter_async_context(
                    _own_database(settings.database_url)))
            rt = await stack.enter_async_context(connect(settings, migrate=True))
            stack.push_async_callback(_forget, rt.redis, settings.redis_prefix, settings.queue_name)
            if not own_database:  # a database of its own is empty by construction
                await _require_empty(rt)
            for data in _alert_specs(f"{hooks_url}/hooks/hirewire"):
                spec = parse_alert(data, allow_private=True)
                if spec.webhook:
                    await check_webhook(spec.webhook, allow_private=True)
                # The digest subscriber signed up two days ago, so a slot has passed and today's digest
                # is due (a digest alert saved now waits for its first slot).
                saved_at = datetime.now(UTC) - timedelta(days=2) if spec.frequency != "instant" else None
                async with rt.pool.acquire() as conn:
                    _, secret = await store_alerts.create(conn, spec, status="active", saved_at=saved_at)
                receiver.secret = secret or receiver.secret
            scheduler = Scheduler(rt)
            await scheduler.sync_sources()
            names = await scheduler.enqueue_due()
            await _drain(rt)
            # The sweep the scheduler runs every minute: it opens the digest whose slot has passed.
            await rt.enqueue(worker_jobs.SWEEP)
            await _drain(rt)
            sources = await _source_lines(rt, names)
            merged = await _merged_jobs(rt, sources)
            alerts = await _alert_lines(rt, catcher, receiver)
            async with rt.pool.acquire() as conn:
                totals = {key: int(value) for key, value in (await store_jobs.stats(conn)).items()}
    finally:
        await hooks_runner.cleanup()
        await feeds_runner.cleanup()
        smtp.close()
        await smtp.wait_closed()
    return DemoResult(feeds_url=feeds_url, out_dir=out_dir, kept=not own_database, own_database=own_database,
                      sources=sources, merged=merged,
                      alerts=alerts, emails=catcher.saved, webhooks=receiver.saved, totals=totals)


def run_demo(out_dir: Path, env: Mapping[str, str] | None = None) -> DemoResult:
    """Run the demo, saving messages under `out_dir`; servers are embedded when no URLs are set."""
    started = time.monotonic()
    environment = dict(os.environ if env is None else env)
    temporary: Path | None = None
    if not environment.get("HIREWIRE_DATA_DIR"):
        parent = default_data_dir() / "demo"
        parent.mkdir(parents=True, exist_ok=True)
        temporary = Path(tempfile.mkdtemp(prefix="run-", dir=parent))
        environment["HIREWIRE_DATA_DIR"] = str(temporary)
    try:
        settings = load_settings(environment)
        own_database = bool(settings.database_url)
        with resolved(settings) as current:
            result = asyncio.run(_run(current, environment, out_dir.resolve(), own_database))
        result.kept = temporary is None and not own_database
        result.seconds = time.monotonic() - started
        return result
    finally:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)
