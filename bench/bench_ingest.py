"""Ingestion throughput: hirewire's set-at-a-time ingest vs a naive row-by-row upsert vs raw COPY.

Realistic listings (titles, companies, locations, salaries, descriptions of a few KB) are built
from a seeded generator. Figures printed:
  - end to end: normalise + dedup + store (COPY → temp table → INSERT … ON CONFLICT), in one
    process, and in two processes on two sources at once (as two workers fetching two sources)
  - store only: the same, with listings normalised beforehand; then the same listings again, all
    unchanged (what a daemon re-reading its feeds mostly does)
  - naive: the same ingest one listing per call and transaction; a bare 6-column upsert per row
  - limit: a raw COPY of the same rows into a bare table
and peak RSS per 10 batches, to show memory stays flat in the number of batches.

usage: python -m bench.bench_ingest [N ...]      (default: 10000 100000)
"""

from __future__ import annotations

import asyncio
import multiprocessing
import random
import resource
import sys
import time
from multiprocessing.synchronize import Event
from pathlib import Path

import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aggregator.model import RawListing
from aggregator.normalise import normalise
from aggregator.store.postings import Incoming, ingest
from bench._servers import scratch_database

BATCH = 1000
ROLES = ["Python Engineer", "Backend Developer", "Django Developer", "Platform Engineer", "Data Engineer",
         "Site Reliability Engineer", "FastAPI Developer", "Software Engineer, Payments", "API Engineer"]
LEVELS = ["", "Senior ", "Junior ", "Lead ", "Staff ", "Sr. "]
PLACES = ["Remote", "Remote - US only", "Berlin, Germany", "London, UK", "Remote (EMEA)", "New York, NY",
          "Toronto, Canada", "Hybrid - Amsterdam", "Anywhere", "Paris, France"]
WORDS = (
    "we", "build", "reliable", "services", "with", "python", "django", "fastapi", "postgresql", "redis",
    "celery", "kafka", "docker", "kubernetes", "aws", "terraform", "graphql", "rest", "grpc", "pytest",
    "our", "team", "ships", "small", "changes", "often", "and", "cares", "about", "observability", "testing",
    "code", "review", "mentoring", "and", "clear", "writing", "you", "will", "design", "apis", "own",
    "services", "end", "to", "end", "and", "improve", "performance", "of", "critical", "paths",
)


def make_raw(rng: random.Random, n: int) -> RawListing:
    title = rng.choice(LEVELS) + rng.choice(ROLES)
    paragraphs = ["<p>" + " ".join(rng.choice(WORDS) for _ in range(rng.randint(60, 90))) + ".</p>"
                  for _ in range(rng.randint(4, 6))]
    low = rng.choice([None, 60_000, 90_000, 120_000, 150_000])
    return RawListing(
        source="bench", external_id=str(n), title=title, company=f"Company {n % 3000}",
        location_raw=rng.choice(PLACES), remote=None, url=f"https://jobs.example/{n}?utm_source=feed",
        salary_min=low, salary_max=(low + 30_000) if low else None, salary_currency="USD" if low else None,
        salary_period="year", tags=["python", "backend"],
        description_html="<ul><li>Python</li></ul>" + "".join(paragraphs),
        posted_at=1_760_000_000 + n, raw={"id": n, "title": title})


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def end_to_end(url: str, raws: list[RawListing], source: str = "bench") -> tuple[float, list[float]]:
    conn = await asyncpg.connect(url)
    memory = []
    try:
        started = time.perf_counter()
        for index in range(0, len(raws), BATCH):
            chunk = raws[index:index + BATCH]
            items = [Incoming(normalise(raw), raw=str(raw.raw).encode()) for raw in chunk]
            await ingest(conn, source, items)
            if (index // BATCH) % 10 == 9:
                memory.append(rss_mb())
        return time.perf_counter() - started, memory
    finally:
        await conn.close()


def _worker(url: str, source: str, n: int, start: int, go: Event) -> None:
    """One process of the two-process run: build, normalise and store its own source's listings."""
    rng = random.Random(n * 7 + start)
    raws = [replace_source(make_raw(rng, start + i), source) for i in range(n)]
    go.wait()
    asyncio.run(end_to_end(url, raws, source=source))


def replace_source(raw: RawListing, source: str) -> RawListing:
    raw.source = source
    return raw


def two_processes(url: str, n: int) -> float:
    """Wall time for two processes, each normalising and storing n/2 listings of its own source."""
    context = multiprocessing.get_context("spawn")
    go = context.Event()
    half = n // 2
    workers = [context.Process(target=_worker, args=(url, f"bench{k}", half, k * half, go)) for k in range(2)]
    for worker in workers:
        worker.start()
    time.sleep(3 + n / 5000)  # let both build their listings before the clock starts
    started = time.perf_counter()
    go.set()
    for worker in workers:
        worker.join()
        if worker.exitcode != 0:
            raise RuntimeError(f"worker exited with {worker.exitcode}")
    return time.perf_counter() - started


async def store_only(url: str, items: list[Incoming]) -> tuple[float, float]:
    """Seconds to store the listings, then to store them again unchanged (a daemon's usual re-read)."""
    conn = await asyncpg.connect(url)
    try:
        times = []
        for _ in range(2):
            started = time.perf_counter()
            for index in range(0, len(items), BATCH):
                await ingest(conn, "bench", items[index:index + BATCH])
            times.append(time.perf_counter() - started)
        return times[0], times[1]
    finally:
        await conn.close()


async def naive(url: str, items: list[Incoming]) -> float:
    """The same ingestion done row by row (one listing per call and transaction): the baseline."""
    conn = await asyncpg.connect(url)
    try:
        started = time.perf_counter()
        for item in items:
            await ingest(conn, "bench", [item])
        return time.perf_counter() - started
    finally:
        await conn.close()


async def naive_upsert(url: str, items: list[Incoming]) -> float:
    """A bare one-statement-per-row upsert of six columns (no dedup, no search vector, no jobs)."""
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("CREATE TABLE naive (source text, external_id text, title text, company text, "
                           "description text, listing text, PRIMARY KEY (source, external_id))")
        started = time.perf_counter()
        for item in items:
            listing = item.listing
            await conn.execute(
                "INSERT INTO naive VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (source, external_id) DO UPDATE "
                "SET title = excluded.title, company = excluded.company, description = excluded.description, "
                "listing = excluded.listing", listing.source, listing.external_id, listing.title, listing.company,
                listing.description_text, listing.description_html)
        return time.perf_counter() - started
    finally:
        await conn.close()


async def raw_copy(url: str, items: list[Incoming]) -> float:
    """COPY of the same rows into a bare table: the limit."""
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("CREATE TABLE bare (source text, external_id text, title text, company text, "
                           "description text, listing text)")
        records = [(i.listing.source, i.listing.external_id, i.listing.title, i.listing.company,
                    i.listing.description_text, i.listing.description_html) for i in items]
        started = time.perf_counter()
        for index in range(0, len(records), BATCH):
            await conn.copy_records_to_table("bare", records=records[index:index + BATCH])
        return time.perf_counter() - started
    finally:
        await conn.close()


async def run(n: int) -> None:
    rng = random.Random(n)
    raws = [make_raw(rng, i) for i in range(n)]
    started = time.perf_counter()
    items = [Incoming(normalise(raw), raw=str(raw.raw).encode()) for raw in raws]
    normalise_s = time.perf_counter() - started
    naive_n = min(n, 2_000)
    async with scratch_database() as url:
        e2e_s, memory = await end_to_end(url, raws)
    async with scratch_database() as url:
        two_s = await asyncio.to_thread(two_processes, url, n)
    async with scratch_database() as url:
        store_s, again_s = await store_only(url, items)
    async with scratch_database() as url:
        naive_s = await naive(url, items[:naive_n])
    async with scratch_database() as url:
        bare_s = await naive_upsert(url, items[:naive_n])
    async with scratch_database() as url:
        copy_s = await raw_copy(url, items)
    rate = {"end to end (normalise + dedup + store)": n / e2e_s,
            "end to end, 2 processes (2 sources at once)": n / two_s,
            "store only (hirewire ingest)": n / store_s,
            "store again, all unchanged (only last_seen moves)": n / again_s,
            "normalise only": n / normalise_s,
            f"naive: the same ingest row by row ({naive_n} rows)": naive_n / naive_s,
            f"bare 6-column upsert row by row ({naive_n} rows)": naive_n / bare_s,
            "raw COPY into a bare table (limit)": n / copy_s}
    size = sum(len(i.listing.description_text or "") for i in items) / n
    print(f"\n{n:,} listings (description ≈ {size / 1024:.1f} KB of text), batches of {BATCH}")
    for name, value in rate.items():
        print(f"  {name:50} {value:>9,.0f} listings/s")
    versus_copy = rate["store only (hirewire ingest)"] / rate["raw COPY into a bare table (limit)"]
    naive_rate = naive_n / naive_s
    print(f"  store vs raw COPY: {versus_copy:.2f}×"
          f"   store vs naive: {rate['store only (hirewire ingest)'] / naive_rate:.1f}×"
          f"   end to end (2 processes) vs naive: {n / two_s / naive_rate:.1f}×")
    print("  peak RSS every 10 batches (MB): " + ", ".join(f"{m:.0f}" for m in memory))


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [10_000, 100_000]
    for n in sizes:
        asyncio.run(run(n))


if __name__ == "__main__":
    main()
