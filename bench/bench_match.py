"""Benchmark: percolating new jobs through 10k–100k saved alerts, against a naive Python loop.

    .venv/bin/python -m bench.bench_match [--alerts 100000] [--jobs 1000] [--sample 2000]

Uses HIREWIRE_DATABASE_URL if set, else postgresql://postgres@127.0.0.1:5432/postgres if it
answers, else an embedded server; creates a throwaway database and drops it at the end. Jobs go
through the real ingest path; alerts are generated with realistic queries and filters and indexed
exactly as `store.alerts.create` does (bulk, for speed). Each run resets deliveries and
`matched_at`, activates the first N alerts and times `aggregator.match.match_jobs` on M jobs. The
naive baseline evaluates every (alert, job) pair in Python on a sample of alerts and is
extrapolated; its matches are checked against PostgreSQL's on the sample.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg

from aggregator import match
from aggregator.dedup import company_key
from aggregator.model import ANNUAL_FACTOR, Listing, Location
from aggregator.normalise.currency import to_usd
from aggregator.regions import regions_of
from aggregator.store import db, postings

TECH = ["django", "fastapi", "flask", "postgresql", "kubernetes", "aws", "docker", "celery", "redis", "kafka",
        "graphql", "pandas", "pytorch", "airflow", "spark", "terraform", "react", "typescript", "golang", "rust",
        "asyncio", "microservices", "sqlalchemy", "elasticsearch", "gcp", "azure", "linux", "ansible", "numpy",
        "scrapy", "mlops", "etl", "dbt", "snowflake", "tensorflow", "langchain", "llm", "rabbitmq", "grpc", "php"]
ROLES = ["Backend Engineer", "Python Developer", "Software Engineer", "Data Engineer", "Platform Engineer",
         "Machine Learning Engineer", "API Developer", "DevOps Engineer", "Full Stack Developer", "SRE"]
FILLER = str.split("we are a team building products for customers with modern tools you will design build and operate "
          "services work closely with product design own features end to end write tests review code mentor "
          "colleagues improve reliability performance and security of our platform benefits include equity "
          "flexible hours learning budget health insurance")
SKILLS = ["Django", "FastAPI", "Flask", "PostgreSQL", "Kubernetes", "AWS", "Docker", "Celery", "Redis", "Kafka"]
COUNTRIES = ["US"] * 8 + ["GB"] * 3 + ["DE"] * 3 + ["FR", "NL", "ES", "PL", "CA", "BR", "IN", "AU", "JP", "PT"]
REGIONS = ["Europe", "EMEA", "Americas", "North America", "Latin America", "APAC", "Worldwide"]
SOURCES = ["remotive", "remoteok", "jobicy", "arbeitnow", "himalayas", "greenhouse"]
COMPANIES = [f"Company {n}" for n in range(300)]
SENIORITY = ["junior", "mid", "senior", "senior", "lead", "principal"]


def zipf_pick(rng: random.Random, items: list[str]) -> str:
    return items[min(int(rng.paretovariate(1.1)) - 1, len(items) - 1)]


def make_job(rng: random.Random, number: int) -> Listing:
    tech = {zipf_pick(rng, TECH) for _ in range(rng.randint(3, 8))}
    words = [rng.choice(FILLER) for _ in range(rng.randint(120, 300))]
    for word in tech:
        for _ in range(rng.randint(1, 3)):
            words.insert(rng.randrange(len(words)), word)
    remote = rng.choices(["remote", "hybrid", "onsite", None], [6, 2, 2, 1])[0]
    countries = sorted({rng.choice(COUNTRIES) for _ in range(rng.choice([0, 1, 1, 1, 2]))})
    regions = sorted({rng.choice(REGIONS) for _ in range(rng.choice([0, 0, 1, 2]))}) if remote == "remote" else []
    salary = rng.choice([None, None, rng.randrange(40, 250) * 1000])
    currency = rng.choice(["USD", "USD", "EUR", "GBP"])
    seniority = rng.choice([*SENIORITY, None])
    title = f"{(seniority or '').title()} {rng.choice(ROLES)} ({rng.choice(sorted(tech)).title()})".strip()
    return Listing(source=rng.choice(SOURCES), external_id=f"b{number}", title=title,
                   company=rng.choice(COMPANIES), remote=remote, locations=[Location(country=c) for c in countries],
                   remote_regions=regions, employment_type=rng.choices(["full_time", "contract", "part_time"],
                                                                       [8, 2, 1])[0],
                   seniority=seniority, skills=sorted({s for s in SKILLS if s.lower() in tech}),
                   description_text=" ".join(words), posted_at=datetime.now(UTC) - timedelta(days=rng.randint(0, 20)),
                   salary_annual_min=salary, salary_annual_max=salary and salary * 1.2,
                   salary_currency=currency if salary else None, python_backend=True, fingerprint=f"bench{number}")


def make_query(rng: random.Random) -> str:
    kind = rng.random()
    a, b, c = (zipf_pick(rng, TECH) for _ in range(3))
    if kind < 0.3:
        return f"{a} {b}"
    if kind < 0.55:
        return f"{a} OR {b}"
    if kind < 0.7:
        return f"{a} {b} -{c}"
    if kind < 0.8:
        return f'"{rng.choice(ROLES).lower()}" {a}'
    return f"python {a} {b}"


def make_alert(rng: random.Random) -> dict[str, Any]:
    alert: dict[str, Any] = {"query": make_query(rng), "remote": [], "countries": [], "seniority": [],
                             "employment_types": [], "skills_any": [], "skills_all": [], "sources": [],
                             "exclude_companies": [], "min_salary_usd": None, "include_unknown": True,
                             "max_age_days": None}
    if rng.random() < 0.7:
        alert["remote"] = rng.choice([["remote"], ["remote", "hybrid"], ["hybrid", "onsite"]])
    if rng.random() < 0.6:
        alert["countries"] = sorted({rng.choice(COUNTRIES) for _ in range(rng.randint(1, 2))})
    if rng.random() < 0.6:
        alert["seniority"] = sorted({rng.choice(SENIORITY) for _ in range(rng.randint(1, 2))})
    if rng.random() < 0.15:
        alert["employment_types"] = ["contract"]
    if rng.random() < 0.25:
        alert["skills_any"] = sorted({rng.choice(SKILLS) for _ in range(rng.randint(1, 3))})
    if rng.random() < 0.1:
        alert["skills_all"] = [rng.choice(SKILLS)]
    if rng.random() < 0.05:
        alert["sources"] = [rng.choice(SOURCES)]
    if rng.random() < 0.1:
        alert["exclude_companies"] = [company_key(rng.choice(COMPANIES))]
    if rng.random() < 0.5:
        yearly = rng.randrange(60, 200) * 1000
        alert["min_salary_usd"] = to_usd(yearly * ANNUAL_FACTOR["year"], rng.choice(["USD", "EUR"]))
        alert["include_unknown"] = rng.random() < 0.3
    if rng.random() < 0.2:
        alert["max_age_days"] = rng.choice([7, 14, 30])
    return alert


async def insert_alerts(conn: asyncpg.Connection, alerts: list[dict[str, Any]]) -> None:
    """Index and insert alerts in bulk, exactly as store.alerts.create would one by one."""
    texts: dict[str, str] = {}
    for query in sorted({a["query"] for a in alerts if a["query"]}):
        texts[query] = await conn.fetchval("SELECT websearch_to_tsquery('english', $1)::text", query)
    vocabulary: set[str] = set()
    rows = []
    for number, a in enumerate(alerts):
        terms = match.required_terms(match.parse_tsquery(texts[a["query"]])) if a["query"] else None
        vocabulary |= terms or set()
        regions = regions_of(a["countries"])
        keys = match.alert_keys(terms=terms, remote=a["remote"], seniority=a["seniority"],
                                employment_types=a["employment_types"], countries=a["countries"], regions=regions,
                                skills_any=a["skills_any"], skills_all=a["skills_all"], sources=a["sources"])
        rows.append((f"s{number}@example.org", a["query"], sorted(terms) if terms is not None else None, keys,
                     a["remote"], a["countries"], regions, a["seniority"], a["employment_types"], a["sources"],
                     a["skills_any"], a["skills_all"], a["exclude_companies"], a["min_salary_usd"],
                     a["include_unknown"], a["max_age_days"]))
    await conn.execute("INSERT INTO alert_terms (term) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING",
                       sorted(vocabulary))
    await conn.execute("CREATE TEMP TABLE new_alerts (email text, query text, terms text[], keys text[], "
                       "remote text[], countries text[], regions text[], seniority text[], employment_types text[], "
                       "sources text[], skills_any text[], skills_all text[], exclude_companies text[], "
                       "min_salary_usd float8, include_unknown_salary bool, max_age_days int)")
    await conn.copy_records_to_table("new_alerts", records=rows)
    await conn.execute("""
        INSERT INTO alerts (email, query, query_ts, terms, keys, remote, countries, regions, seniority,
                            employment_types, sources, skills_any, skills_all, exclude_companies, min_salary_usd,
                            include_unknown_salary, max_age_days, status)
        SELECT email, query, CASE WHEN query = '' THEN NULL ELSE websearch_to_tsquery('english', query) END,
               terms, keys, remote, countries, regions, seniority, employment_types, sources, skills_any,
               skills_all, exclude_companies, min_salary_usd, include_unknown_salary, max_age_days, 'paused'
        FROM new_alerts""")


# -- the naive baseline: every pair evaluated in Python ----------------------------------------


def _positions(node: match.TsNode, doc: dict[str, set[int]]) -> set[int]:
    if node.op == "lex":
        return doc.get(node.value, set())
    if node.op == "<->":
        left, right = (_positions(child, doc) for child in node.children)
        return {p for p in right if p - node.distance in left}
    return {0} if _holds(node, doc) else set()


def _holds(node: match.TsNode, doc: dict[str, set[int]]) -> bool:
    if node.op == "lex":
        return node.value in doc
    if node.op == "!":
        return not _holds(node.children[0], doc)
    if node.op == "&":
        return all(_holds(child, doc) for child in node.children)
    if node.op == "|":
        return any(_holds(child, doc) for child in node.children)
    return bool(_positions(node, doc))


def naive_match(alert: dict[str, Any], job: dict[str, Any], now: datetime) -> bool:
    if alert["tree"] is not None and not _holds(alert["tree"], job["doc"]):
        return False
    if alert["remote"] and job["remote"] not in alert["remote"]:
        return False
    if alert["seniority"] and job["seniority"] not in alert["seniority"]:
        return False
    if alert["employment_types"] and job["employment_type"] not in alert["employment_types"]:
        return False
    if alert["sources"] and not set(alert["sources"]) & job["sources"]:
        return False
    if alert["skills_any"] and not set(alert["skills_any"]) & set(job["skills"]):
        return False
    if not set(alert["skills_all"]) <= set(job["skills"]):
        return False
    if job["company_key"] in alert["exclude_companies"]:
        return False
    if alert["max_age_days"] and (job["posted_at"] or job["first_seen"]) < now - timedelta(days=alert["max_age_days"]):
        return False
    if alert["min_salary_usd"] is not None:
        pay = job["salary_usd_max"] if job["salary_usd_max"] is not None else job["salary_usd_min"]
        if pay is None and not alert["include_unknown_salary"]:
            return False
        if pay is not None and pay < alert["min_salary_usd"]:
            return False
    if alert["countries"] and not set(alert["countries"]) & set(job["countries"]):
        regions = set(job["remote_regions"])
        open_to_all = (not job["countries"] and not regions) or "Worldwide" in regions
        if job["remote"] != "remote" or not (open_to_all or regions & set(alert["regions"])):
            return False
    return True


async def naive_baseline(conn: asyncpg.Connection, alert_ids: list[int], job_ids: list[int],
                         ) -> tuple[float, set[tuple[int, int]]]:
    """Seconds to evaluate these pairs in Python (data loading excluded), and the matching pairs."""
    jobs = [dict(r) for r in await conn.fetch(
        "SELECT j.*, (SELECT array_agg(source) FROM postings p WHERE p.job_id = j.id) AS srcs FROM jobs j "
        "WHERE id = ANY($1::bigint[])", job_ids)]
    for job in jobs:
        lexemes = await conn.fetch("SELECT lexeme, positions FROM unnest($1::tsvector)", job["search"])
        job["doc"] = {r["lexeme"]: set(r["positions"] or []) for r in lexemes}
        job["sources"] = set(job["srcs"] or [])
    alerts = [dict(r) for r in await conn.fetch("SELECT *, query_ts::text AS ts FROM alerts WHERE id = ANY($1)",
                                                alert_ids)]
    for alert in alerts:
        alert["tree"] = match.parse_tsquery(alert["ts"]) if alert["ts"] else None
    now = datetime.now(UTC)
    started = time.perf_counter()
    found = {(a["id"], j["id"]) for a in alerts for j in jobs if naive_match(a, j, now)}
    return time.perf_counter() - started, found


# -- driving --------------------------------------------------------------------------------------


async def admin_url(stack: list[Any]) -> str:
    url = os.environ.get("HIREWIRE_DATABASE_URL")
    if url:
        return url
    try:
        conn = await asyncpg.connect("postgresql://postgres@127.0.0.1:5432/postgres", timeout=3)
        await conn.close()
        return "postgresql://postgres@127.0.0.1:5432/postgres"
    except (OSError, asyncpg.PostgresError, TimeoutError):
        from aggregator.embedded import EmbeddedServers

        servers = EmbeddedServers(Path(tempfile.mkdtemp(prefix="hirewire-bench-")))
        stack.append(servers)
        return servers._start_postgres()


async def run(args: argparse.Namespace) -> None:
    stack: list[Any] = []
    admin_dsn = await admin_url(stack)
    name = f"hirewire_bench_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(admin_dsn)
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = admin_dsn.rsplit("/", 1)[0] + f"/{name}"
    try:
        conn = await asyncpg.connect(url)
        await conn.set_type_codec("jsonb", encoder=lambda v: v, decoder=lambda v: v, schema="pg_catalog")
        await db.migrate(conn)
        rng = random.Random(42)
        started = time.perf_counter()
        listings = [make_job(rng, n) for n in range(args.jobs)]
        by_source: dict[str, list[postings.Incoming]] = {}
        for item in listings:
            by_source.setdefault(item.source, []).append(postings.Incoming(item))
        job_ids: list[int] = []
        for source, items in by_source.items():
            job_ids += (await postings.ingest(conn, source, items)).new_job_ids
        job_ids.sort()
        await insert_alerts(conn, [make_alert(rng) for _ in range(args.alerts)])
        await conn.execute("VACUUM ANALYZE")
        print(f"setup: {len(job_ids)} jobs, {args.alerts} alerts in {time.perf_counter() - started:.1f} s "
              f"(vocabulary {await conn.fetchval('SELECT count(*) FROM alert_terms')} terms)")
        print(f"{'alerts':>8} {'jobs':>6} {'time s':>8} {'matches':>9} {'matches/s':>10} {'jobs/s':>8}"
              f" {'naive s (extrap.)':>18}")
        for n_alerts in sorted({min(n, args.alerts) for n in (10_000, 50_000, 100_000)}):
            await conn.execute("UPDATE alerts SET status = CASE WHEN id <= $1 THEN 'active' ELSE 'paused' END",
                               n_alerts)
            await conn.execute("VACUUM ANALYZE alerts")
            for n_jobs in sorted({min(m, len(job_ids)) for m in (100, 1000)}):
                batch = job_ids[:n_jobs]
                await conn.execute("TRUNCATE deliveries")
                await conn.execute("UPDATE jobs SET matched_at = NULL")
                t0 = time.perf_counter()
                result = await match.match_jobs(conn, batch)
                elapsed = time.perf_counter() - t0
                sample = list(range(1, min(args.sample, n_alerts) + 1))
                naive_s, naive_pairs = await naive_baseline(conn, sample, batch)
                got = {(r["alert_id"], r["job_id"]) for r in await conn.fetch(
                    "SELECT alert_id, job_id FROM deliveries WHERE alert_id <= $1", len(sample))}
                assert got == naive_pairs, f"mismatch: {len(got ^ naive_pairs)} pairs differ"
                extrapolated = naive_s * n_alerts / len(sample)
                print(f"{n_alerts:>8} {n_jobs:>6} {elapsed:>8.3f} {result.deliveries:>9} "
                      f"{result.deliveries / elapsed:>10.0f} {n_jobs / elapsed:>8.0f} {extrapolated:>18.1f}")
        await conn.close()
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
        for servers in stack:
            servers.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--alerts", type=int, default=100_000)
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--sample", type=int, default=2000, help="alerts evaluated by the naive loop")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
