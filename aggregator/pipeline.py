"""THE orchestrator: refresh one source, top to bottom.

fetch (politely) → parse (the source's adapter) → normalise → store (one transaction per start URL:
an ATS board, a feed or a page, returning only the new canonical jobs) → hand the new job ids to
matching. Every attempt is recorded in fetch_runs and the source's health row, so a failing source is
visible and backed off without affecting any other.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import asyncpg
import structlog

from aggregator import metrics
from aggregator.config import Settings, SourceSettings
from aggregator.errors import FetchError, ParseError
from aggregator.normalise import normalise
from aggregator.store import postings as store_postings
from aggregator.store import sources as store_sources
from scrapers import sources as registry
from scrapers.fetch import Fetcher, Policy
from scrapers.sources.base import Page, ParseContext

__all__ = ["SourceReport", "refresh_source"]

log = structlog.get_logger("hirewire.pipeline")


@dataclass(slots=True)
class SourceReport:
    """What one refresh of one source did (the `hirewire scrape` summary line)."""

    source: str
    fetched: int = 0
    new: int = 0
    updated: int = 0
    duplicates: int = 0
    closed: int = 0
    skipped: int = 0
    not_modified: int = 0
    errors: list[str] = field(default_factory=list)
    new_job_ids: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _raw_bytes(raw: object) -> bytes | None:
    if raw is None:
        return None
    if isinstance(raw, bytes):
        return raw
    if isinstance(raw, str):
        return raw.encode()
    return json.dumps(raw, ensure_ascii=False, default=str).encode()


def _read_page(adapter: registry.Source, body: bytes, ctx: ParseContext, scope: str,
               keep_all: bool) -> tuple[Page, list[tuple[str, store_postings.Incoming | None]]]:
    """Parse one payload and normalise its listings: the page, and each listing's external id with
    what to store (None: not a Python backend role, skipped).

    About a millisecond of CPU per listing: it runs in a thread, so the worker's event loop keeps
    serving its other jobs (fetches, heartbeats, deliveries) while a large page is read.
    """
    parsed = adapter.parse(body, ctx)
    readings: list[tuple[str, store_postings.Incoming | None]] = []
    for raw in parsed.listings:
        listing = normalise(raw)
        keep = listing.python_backend or keep_all
        readings.append((listing.external_id,
                         store_postings.Incoming(listing, _raw_bytes(raw.raw), scope) if keep else None))
    return parsed, readings


@dataclass(slots=True)
class _Scope:
    """What reading one start URL (an ATS board, a feed, a page) and the pages it leads to gave."""

    scope: str
    #: External id -> its last reading: what to store, or None when it is not a Python backend role.
    readings: dict[str, store_postings.Incoming | None] = field(default_factory=dict)
    #: Every page was read: postings of this scope missing from it may be closed.
    complete: bool = True
    validators: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    runs: list[store_sources.FetchRun] = field(default_factory=list)
    retry_after: float | None = None

    @property
    def items(self) -> list[store_postings.Incoming]:
        return [item for item in self.readings.values() if item is not None]


async def _read_scope(cfg: SourceSettings, fetcher: Fetcher, pool: asyncpg.Pool, start_url: str, board: str | None,
                      report: SourceReport) -> _Scope:
    """Read one start URL and the pages it leads to (next pages, detail pages), up to `max_pages`.

    A listing read twice (a list page, then the posting's own page) counts once, and its last
    reading decides: it is stored as read there, or skipped when that reading is not a Python backend
    role. No database connection is held while pages are fetched.
    """
    adapter = registry.get(cfg.name)
    policy = Policy.of(cfg)
    part = _Scope(board or (start_url if (cfg.feeds or cfg.pages) else ""))
    queue: list[tuple[str, int]] = [(start_url, 0)]
    seen: set[str] = set()
    while queue:
        url, page = queue.pop(0)
        if url in seen:
            continue
        if len(seen) >= cfg.max_pages:
            # Postings beyond the cap are not seen, so none of this scope's can be closed either.
            log.warning("page cap reached: postings missing from the feed are not closed", source=cfg.name,
                        start_url=start_url, max_pages=cfg.max_pages, hint=f"raise sources.{cfg.name}.max_pages")
            part.complete = False
            break
        seen.add(url)
        etag, modified = None, None
        conditional = cfg.conditional and (page == 0 or adapter.defaults.conditional_follow)
        if conditional:
            async with pool.acquire() as conn:
                etag, modified = await store_sources.validators(conn, url)
        try:
            response = await fetcher.get(url, etag=etag, last_modified=modified, content_types=cfg.content_types,
                                         policy=policy, origin=start_url)
        except FetchError as exc:
            report.errors.append(f"{url}: {exc}")
            part.runs.append(store_sources.FetchRun(cfg.name, url, "error", http_status=exc.status,
                                                    attempts=exc.attempts, duration_ms=exc.duration_ms,
                                                    error_class=type(exc).__name__, error_message=str(exc)))
            part.retry_after = max(part.retry_after or 0, exc.retry_after or 0) or None
            part.complete = False
            break
        if response.not_modified:
            report.not_modified += 1
            part.runs.append(store_sources.FetchRun(cfg.name, url, "not_modified", http_status=304,
                                                    attempts=response.attempts, duration_ms=response.duration_ms))
            part.complete = False  # nothing to compare against: close nothing
            continue
        try:
            parsed, page_readings = await asyncio.to_thread(
                _read_page, adapter, response.body, ParseContext(url=url, board=board, page=page), part.scope,
                cfg.keep_all)
        except ParseError as exc:
            report.errors.append(f"{url}: {exc}")
            part.runs.append(store_sources.FetchRun(cfg.name, url, "error", http_status=response.status,
                                                    bytes=len(response.body), attempts=response.attempts,
                                                    duration_ms=response.duration_ms,
                                                    error_class="ParseError", error_message=str(exc)))
            part.complete = False
            break
        part.readings.update(page_readings)
        part.runs.append(store_sources.FetchRun(
            cfg.name, url, "ok", http_status=response.status, bytes=len(response.body),
            attempts=response.attempts, duration_ms=response.duration_ms, listings=len(parsed.listings),
            warnings=len(parsed.warnings),
            error_message="; ".join(parsed.warnings[:5]) or None))
        if conditional:
            part.validators.append((url, response.etag, response.last_modified))
        part.complete = part.complete and parsed.complete
        queue.extend((follow, page + 1) for follow in parsed.follow)
    return part


async def refresh_source(settings: Settings, pool: asyncpg.Pool, fetcher: Fetcher, name: str,
                         on_new_jobs: Callable[[list[int]], Awaitable[None]] | None = None) -> SourceReport:
    """Fetch, parse, normalise and store one source; then hand its new jobs to matching.

    Each start URL (board, feed, page) is stored in its own transaction as soon as it is read, and
    its new jobs handed over: a source of many boards keeps what it has read if it is cut short, and
    one transaction never holds more than a board.
    """
    cfg = settings.source(name)
    report = SourceReport(name)
    last: dict[str, bool] = {}  # external id -> its last reading was kept, over the whole source
    retry_after: float | None = None
    for start_url, board in cfg.start_urls():
        part = await _read_scope(cfg, fetcher, pool, start_url, board, report)
        async with pool.acquire() as conn:
            result = await store_postings.ingest(conn, name, part.items,
                                                 complete_scopes=[part.scope] if part.complete else [])
            # Validators are saved only once what they describe is committed.
            for url, etag, modified in part.validators:
                await store_sources.save_validators(conn, url, etag, modified)
            await store_sources.record_runs(conn, part.runs)
        last.update((external_id, item is not None) for external_id, item in part.readings.items())
        retry_after = max(retry_after or 0, part.retry_after or 0) or None
        report.new += result.new
        report.updated += result.updated
        report.duplicates += result.duplicates
        report.closed += result.closed
        report.new_job_ids += result.new_job_ids
        for run in part.runs:
            metrics.record_fetch(name, run.status != "error", not_modified=run.status == "not_modified")
        metrics.record_ingest(name, result.new + result.updated, result.duplicates)
        if result.new_job_ids and on_new_jobs is not None:
            await on_new_jobs(result.new_job_ids)
    report.fetched = len(last)
    report.skipped = sum(1 for kept in last.values() if not kept)
    async with pool.acquire() as conn:
        if report.errors:
            await store_sources.record_failure(conn, name, report.errors[0], cfg.every, settings.fetch.max_backoff,
                                               retry_after)
        else:
            await store_sources.record_success(conn, name, cfg.every)
    return report
