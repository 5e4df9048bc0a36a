"""Prometheus metrics: one registry per process, small helpers for the code that counts.

Two kinds of figures, on purpose. Events (fetches, listings ingested, duplicates merged, matches,
job durations) are counted in the process where they happen, through the `record_*` / `observe_*`
helpers. States that belong to the whole installation (deliveries by state, queue depth, live
workers) are read from PostgreSQL and Redis when /metrics is scraped, so every API replica reports
the same truth whichever process did the work.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

__all__ = ["CONTENT_TYPE", "REGISTRY", "observe_job", "observe_request", "record_delivery", "record_fetch",
           "record_ingest", "record_match", "render", "set_state"]

#: The text exposition format's media type.
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

#: hirewire's own registry: no default process collectors, nothing global shared with other libraries.
REGISTRY = CollectorRegistry(auto_describe=True)

FETCHES = Counter("hirewire_fetches", "Source fetches, by source and result (ok, not_modified, error)",
                  ["source", "result"], registry=REGISTRY)
LISTINGS = Counter("hirewire_listings_ingested", "Listings ingested (new or changed postings), by source",
                   ["source"], registry=REGISTRY)
DUPLICATES = Counter("hirewire_duplicates_merged", "Listings merged into an existing job, by source",
                     ["source"], registry=REGISTRY)
MATCHES = Counter("hirewire_matches", "Alert matches (deliveries created)", registry=REGISTRY)
DELIVERY_ATTEMPTS = Counter("hirewire_delivery_attempts", "Delivery attempts, by channel and outcome",
                            ["channel", "outcome"], registry=REGISTRY)
JOB_SECONDS = Histogram("hirewire_job_duration_seconds", "Duration of worker jobs, by job name", ["job"],
                        buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600),
                        registry=REGISTRY)
REQUEST_SECONDS = Histogram("hirewire_http_request_duration_seconds", "API requests, by route and status",
                            ["route", "method", "status"], registry=REGISTRY)

DELIVERIES = Gauge("hirewire_deliveries", "Deliveries by state (read from PostgreSQL at scrape time)",
                   ["state"], registry=REGISTRY)
QUEUE_DEPTH = Gauge("hirewire_queue_depth", "Jobs waiting in the arq queue (read from Redis at scrape time)",
                    registry=REGISTRY)
WORKER_UP = Gauge("hirewire_worker_up", "1 when a worker's heartbeat is fresh in Redis", registry=REGISTRY)
JOBS_STORED = Gauge("hirewire_jobs_stored", "Canonical jobs in the database", registry=REGISTRY)
POSTINGS_STORED = Gauge("hirewire_postings_stored", "Postings in the database, by source", ["source"],
                        registry=REGISTRY)
SOURCE_FAILURES = Gauge("hirewire_source_consecutive_failures", "Consecutive failed fetches, by source",
                        ["source"], registry=REGISTRY)
LAST_SUCCESS = Gauge("hirewire_source_last_success_timestamp_seconds",
                     "When each source was last fetched successfully (Unix time): alert on time() minus this",
                     ["source"], registry=REGISTRY)

#: Every state a delivery row can be in (schema.sql), so absent states read 0 rather than vanish.
FETCHES_24H = Gauge("hirewire_fetch_runs_24h", "Fetch attempts recorded in the last 24 h by all processes, "
                    "by source and status (ok, not_modified, error)", ["source", "status"], registry=REGISTRY)
MERGED = Gauge("hirewire_postings_merged", "Postings stored as another board's copy of an existing job",
               registry=REGISTRY)

DELIVERY_STATES = ("pending", "sending", "sent", "failed", "dead", "skipped")


def record_fetch(source: str, ok: bool, *, not_modified: bool = False) -> None:
    """One fetch of `source` finished."""
    FETCHES.labels(source, "not_modified" if not_modified else ("ok" if ok else "error")).inc()


def record_ingest(source: str, new: int, duplicates: int) -> None:
    """A batch of `source` was stored: `new` postings written, `duplicates` merged into existing jobs."""
    LISTINGS.labels(source).inc(max(new, 0))
    DUPLICATES.labels(source).inc(max(duplicates, 0))


def record_match(n: int) -> None:
    """Matching created `n` deliveries."""
    MATCHES.inc(max(n, 0))


def record_delivery(channel: str, outcome: str) -> None:
    """One delivery attempt through `channel` ended as `outcome` (sent, failed, dead, skipped)."""
    DELIVERY_ATTEMPTS.labels(channel, outcome).inc()


def observe_job(name: str, seconds: float) -> None:
    """A worker job `name` took `seconds`."""
    JOB_SECONDS.labels(name).observe(seconds)


def observe_request(route: str, method: str, status: int, seconds: float) -> None:
    """An API request; `route` is the route template, never the concrete path (tokens live in paths)."""
    REQUEST_SECONDS.labels(route, method, str(status)).observe(seconds)


def set_state(*, deliveries: dict[str, int], queue_depth: int, worker_up: bool, jobs: int,
              postings: dict[str, int], failures: dict[str, int],
              fetches_24h: dict[tuple[str, str], int] | None = None, merged: int = 0,
              last_success: dict[str, float] | None = None) -> None:
    """Install the installation-wide figures read at scrape time."""
    for (source, status), count in (fetches_24h or {}).items():
        FETCHES_24H.labels(source, status).set(count)
    MERGED.set(merged)
    for state in DELIVERY_STATES:
        DELIVERIES.labels(state).set(deliveries.get(state, 0))
    QUEUE_DEPTH.set(queue_depth)
    WORKER_UP.set(1 if worker_up else 0)
    JOBS_STORED.set(jobs)
    for source, count in postings.items():
        POSTINGS_STORED.labels(source).set(count)
    for source, count in failures.items():
        SOURCE_FAILURES.labels(source).set(count)
    for source, when in (last_success or {}).items():
        LAST_SUCCESS.labels(source).set(when)


def render() -> bytes:
    """The registry in the Prometheus text format."""
    return generate_latest(REGISTRY)
