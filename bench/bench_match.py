"""Benchmark: percolating new jobs through 10k–100k saved alerts, against a naive Python loop.

    .venv/bin/python -m bench.bench_match [--alerts 100000] [--jobs 1000] [--sample 2000]

Uses HIREWIRE_DATABASE_URL if set, else postgresql://postgres@127.0.0.1:5432/postgres if it
answers, else an embedded server; creates a throwaway database and drops it at the end. Jobs are
generated as a general remote board carries them (about 7% Python-backend) and go through the real
ingest, after as many earlier jobs on which the token shares of anchor keys are measured; alerts (a
realistic query plus one to three filters, about 0.3-0.5% of pairs matching) are COPYed in and
indexed by the store's set-based `reindex`. Each run resets deliveries and `matched_at`, activates
the first N alerts and times `aggregator.match.match_jobs` on M jobs on one connection, then
`match_in_parts` on `--connections` (default 2). The
naive baseline evaluates every (alert, job) pair of a sample in Python and is extrapolated; its
matches are checked against PostgreSQL's on the sample for every run.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg

from aggregator import match
from aggregator.dedup import company_key
from aggregator.model import Listing, Location
from aggregator.normalise.currency import to_usd
from aggregator.regions import regions_of
from aggregator.store import alerts as store_alerts
from aggregator.store import postings
from bench._servers import scratch_database

# -- jobs: realistic Python-backend listings --------------------------------------------------------

#: (word as written, weight): how often a listing's stack mentions it (Zipf-like, Python-backend boards).
STACK = [("Django", 30), ("PostgreSQL", 30), ("AWS", 28), ("Docker", 25), ("FastAPI", 18), ("Kubernetes", 18),
         ("Redis", 14), ("Flask", 12), ("Celery", 10), ("React", 10), ("TypeScript", 9), ("GCP", 8),
         ("Terraform", 8), ("Kafka", 7), ("Airflow", 6), ("Pandas", 6), ("GraphQL", 6), ("MySQL", 5),
         ("Go", 5), ("SQLAlchemy", 5), ("Azure", 5), ("Elasticsearch", 4), ("RabbitMQ", 4), ("Spark", 4),
         ("asyncio", 4), ("MongoDB", 4), ("dbt", 3), ("Snowflake", 3), ("PyTorch", 3), ("gRPC", 3),
         ("Rust", 2), ("Java", 3), ("PHP", 2), ("Ruby", 2), ("Scrapy", 1), ("Pydantic", 3), ("NumPy", 3),
         ("LLM", 3), ("LangChain", 1), ("BigQuery", 2), ("ClickHouse", 1), ("Ansible", 1), ("Linux", 4)]
#: Skills the normaliser extracts (a subset of the stack words).
SKILLS = {"Django", "PostgreSQL", "AWS", "Docker", "FastAPI", "Kubernetes", "Redis", "Flask", "Celery", "React",
          "TypeScript", "GCP", "Terraform", "Kafka", "Airflow", "Pandas", "GraphQL", "Go", "SQLAlchemy", "Azure"}
DOMAINS = [("fintech", 12), ("payments", 6), ("healthcare", 8), ("healthtech", 4), ("e-commerce", 8),
           ("climate", 4), ("edtech", 4), ("security", 6), ("logistics", 4), ("marketplace", 5), ("adtech", 2),
           ("insurance", 3), ("biotech", 2), ("gaming", 2), ("crypto", 2), ("saas", 10), ("media", 3)]
ROLES = [("Backend Engineer", 30), ("Python Developer", 20), ("Software Engineer", 25), ("Data Engineer", 10),
         ("Platform Engineer", 6), ("Machine Learning Engineer", 5), ("Full Stack Engineer", 8),
         ("Site Reliability Engineer", 3), ("API Engineer", 3), ("Backend Developer", 10), ("Django Developer", 4),
         ("Data Platform Engineer", 2), ("Engineering Manager", 3)]
SENIORITY = [("junior", 7), ("mid", 18), ("senior", 38), ("lead", 8), ("principal", 4), (None, 25)]
TITLE_LEVEL = {"junior": "Junior", "mid": "", "senior": "Senior", "lead": "Lead", "principal": "Principal"}
#: Office countries of job listings and the currency paid there.
JOB_COUNTRIES = [("US", 36), ("GB", 9), ("DE", 9), ("CA", 5), ("NL", 4), ("IN", 5), ("FR", 3), ("ES", 3),
                 ("PL", 3), ("IE", 2), ("SE", 2), ("CH", 2), ("PT", 2), ("BR", 2), ("AU", 2), ("SG", 1),
                 ("MX", 1), ("AR", 1), ("IL", 1), ("JP", 1)]
CURRENCY = {"US": "USD", "GB": "GBP", "CA": "CAD", "IN": "INR", "CH": "CHF", "AU": "AUD", "BR": "BRL",
            "SE": "SEK", "PL": "PLN", "SG": "SGD", "MX": "MXN", "JP": "JPY", "IL": "ILS", "AR": "USD"}
PAY_USD = {"US": (110, 230), "CH": (100, 180), "GB": (60, 130), "CA": (80, 160), "AU": (80, 150), "IL": (70, 150),
           "DE": (60, 120), "NL": (55, 110), "IE": (60, 120), "SE": (50, 100), "FR": (45, 95), "ES": (35, 75),
           "PT": (30, 65), "PL": (35, 80), "IN": (15, 50), "BR": (25, 70), "MX": (30, 70), "AR": (30, 70),
           "SG": (60, 140), "JP": (50, 110)}
REMOTE_REGIONS = [(["Worldwide"], 6), (["Europe"], 8), (["EMEA"], 4), (["Americas"], 3), (["North America"], 5),
                  (["Latin America"], 2), (["APAC"], 2), (["Europe", "North America"], 2)]
SOURCES = ["remotive", "remoteok", "jobicy", "arbeitnow", "himalayas", "greenhouse", "lever", "ashby",
           "weworkremotely", "pythonorg", "hn"]
SYLLABLES = ["ac", "me", "lu", "mi", "no", "va", "ter", "ra", "zen", "dex", "flo", "qu", "bit", "sy", "ka", "or",
             "pix", "tal", "ven", "ly", "do", "sto", "hub", "ion"]
COMPANIES = sorted({(rng_name := random.Random(n)).choice(SYLLABLES).title() + rng_name.choice(SYLLABLES)
                    + rng_name.choice(["", "ly", "io", " Labs", " Health", " Pay", " Cloud", " Data", " AI"])
                    for n in range(2000)})[:600]
SENTENCES = [
    "You will design, build and operate the services behind our {product}.",
    "Our backend is written in Python with {a} and {b}, deployed on {c}.",
    "Our product is built with {a} and {b}, deployed on {c}.",
    "We are looking for an engineer who cares about reliability, testing and clean APIs.",
    "You will work closely with product and design and own features end to end.",
    "Experience with {a} is required; {b} is a plus.",
    "We process millions of events a day with {a} and {c}.",
    "Our team values code review, pairing, documentation and a sustainable pace.",
    "You will mentor colleagues and help shape our engineering practices.",
    "Nice to have: {b}, {c} or experience in {domain}.",
    "We offer equity, a learning budget, flexible hours and health insurance.",
    "You have {years} or more years of professional experience with Python.",
    "The role involves improving performance, observability and reliability of our platform.",
    "We are a {domain} company helping customers manage their {product}.",
    "You will build data pipelines and internal tools with {a}.",
    "Strong knowledge of SQL, HTTP and distributed systems.",
]
PRODUCTS = ["payments platform", "analytics product", "public API", "marketplace", "data platform",
            "mobile apps", "customer dashboard", "billing system", "search engine", "recommendation service"]


def weighted(rng: random.Random, pairs: list[tuple[Any, int]]) -> Any:
    return rng.choices([value for value, _ in pairs], [weight for _, weight in pairs])[0]


#: The other kinds of listings the boards carry: (roles, stack, share of listings that mention Python, weight).
OTHER_KINDS: list[tuple[list[str], list[tuple[str, int]], float, int]] = [
    (["Frontend Engineer", "Frontend Developer", "UI Engineer"],
     [("React", 30), ("TypeScript", 30), ("Vue", 8), ("Next.js", 8), ("CSS", 15), ("GraphQL", 5)], 0.02, 15),
    (["Java Developer", "Backend Engineer", "Software Engineer"],
     [("Java", 30), ("Spring", 20), ("Kotlin", 8), ("Kafka", 6), ("AWS", 10), ("PostgreSQL", 8)], 0.05, 10),
    (["Node.js Developer", "Backend Engineer", "Full Stack Engineer"],
     [("Node.js", 30), ("TypeScript", 25), ("React", 15), ("MongoDB", 8), ("AWS", 10)], 0.05, 7),
    ([".NET Developer", "C# Engineer"], [("C#", 30), (".NET", 30), ("Azure", 15), ("SQL Server", 10)], 0.02, 5),
    (["PHP Developer", "Laravel Developer", "WordPress Developer"],
     [("PHP", 30), ("Laravel", 20), ("WordPress", 10), ("MySQL", 15), ("Vue", 5)], 0.02, 4),
    (["Ruby on Rails Engineer", "Ruby Developer"], [("Ruby", 30), ("Rails", 30), ("PostgreSQL", 10)], 0.03, 3),
    (["Go Engineer", "Golang Developer"], [("Go", 30), ("Kubernetes", 12), ("gRPC", 8), ("PostgreSQL", 8)], 0.1, 3),
    (["iOS Engineer", "Android Engineer", "Mobile Developer"],
     [("Swift", 20), ("Kotlin", 20), ("React Native", 10), ("Flutter", 8)], 0.01, 5),
    (["DevOps Engineer", "Site Reliability Engineer", "Cloud Engineer"],
     [("Kubernetes", 25), ("Terraform", 25), ("AWS", 25), ("Linux", 15), ("Go", 5), ("Ansible", 5)], 0.35, 6),
    (["Data Analyst", "Analytics Engineer", "Data Scientist"],
     [("SQL", 30), ("dbt", 10), ("Snowflake", 8), ("Tableau", 10), ("Pandas", 8), ("BigQuery", 6)], 0.6, 6),
    (["Account Executive", "Customer Success Manager", "Product Designer", "Product Manager",
      "Content Marketing Manager", "Recruiter", "Support Specialist"],
     [("Salesforce", 10), ("Figma", 10), ("HubSpot", 8), ("Jira", 10), ("Zendesk", 5)], 0.0, 16),
]
PYTHON_BACKEND_WEIGHT = 6


def make_job(rng: random.Random, number: int) -> Listing:
    """A listing as the adapters produce it: realistic title, stack, place, pay and description.

    About one in fifteen is a Python-backend job, as on the general remote boards; the rest are the
    other listings those boards carry.
    """
    kinds = [(None, PYTHON_BACKEND_WEIGHT), *((kind, kind[3]) for kind in OTHER_KINDS)]
    kind = weighted(rng, kinds)
    if kind is None:
        stack = list(dict.fromkeys(weighted(rng, STACK) for _ in range(rng.randint(4, 9))))
        role = weighted(rng, ROLES)
        python = True
    else:
        roles, kind_stack, python_share, _ = kind
        stack = list(dict.fromkeys(weighted(rng, kind_stack) for _ in range(rng.randint(3, 6))))
        role = rng.choice(roles)
        python = rng.random() < python_share
        if python:
            stack.append("Python")
    domain = weighted(rng, DOMAINS)
    seniority = weighted(rng, SENIORITY)
    if rng.random() < 0.25:
        role = f"{role} ({stack[0]})"
    title = f"{TITLE_LEVEL.get(seniority or '', '')} {role}".strip()
    company = rng.choice(COMPANIES)
    remote = rng.choices(["remote", "hybrid", "onsite", None], [55, 25, 15, 5])[0]
    countries: list[str] = []
    regions: list[str] = []
    if remote == "remote":
        scope = rng.choices(["anywhere", "country", "region", "both"], [20, 40, 32, 8])[0]
        if scope in ("country", "both"):
            countries = sorted({weighted(rng, JOB_COUNTRIES) for _ in range(rng.choice([1, 1, 1, 2]))})
        if scope in ("region", "both"):
            regions = list(weighted(rng, REMOTE_REGIONS))
    elif remote is not None or rng.random() < 0.7:
        countries = [weighted(rng, JOB_COUNTRIES)]
    salary = None
    currency = None
    home = countries[0] if countries else "US"
    if rng.random() < 0.45:
        low, high = PAY_USD.get(home, (50, 120))
        currency = CURRENCY.get(home, "EUR") if rng.random() < 0.85 else "USD"
        usd = rng.uniform(low, high) * 1000 * {"junior": 0.7, "mid": 0.85, "lead": 1.15,
                                              "principal": 1.3}.get(seniority or "", 1.0)
        rate = to_usd(1.0, currency) or 1.0
        salary = round(usd / rate, -3)
    words = []
    for template in rng.sample(SENTENCES, rng.randint(6, 11)):
        if not python and "Python" in template:
            continue
        picks = rng.sample(stack, 3) if len(stack) >= 3 else [*stack, *stack, *stack][:3]
        words.append(template.format(a=picks[0], b=picks[1], c=picks[2], domain=domain,
                                     product=rng.choice(PRODUCTS), years=rng.choice([2, 3, 4, 5, 7])))
    description = f"{company} is hiring a {title}. " + " ".join(words) + f" Stack: {', '.join(stack)}."
    return Listing(source=rng.choice(SOURCES), external_id=f"b{number}", title=title, company=company,
                   remote=remote, locations=[Location(country=c) for c in countries], remote_regions=regions,
                   employment_type=rng.choices(["full_time", "contract", "part_time"], [85, 12, 3])[0],
                   seniority=seniority, skills=sorted(SKILLS & set(stack)), description_text=description,
                   posted_at=datetime.now(UTC) - timedelta(hours=rng.randint(0, 72)),
                   salary_annual_min=salary, salary_annual_max=salary and round(salary * rng.choice([1.0, 1.2,
                                                                                                      1.3]), -3),
                   salary_currency=currency, python_backend=kind is None, fingerprint=f"bench{number}")


# -- alerts: what people who want a Python-backend job ask for ----------------------------------------

#: Query kinds and their shares. Words are lower-case as typed; weights follow the jobs' stack.
FRAMEWORKS = [("django", 30), ("fastapi", 22), ("flask", 10), ("python", 1), ("postgresql", 2), ("aws", 1),
              ("kubernetes", 2), ("airflow", 4), ("celery", 2), ("pandas", 3), ("kafka", 2), ("graphql", 2),
              ("pytorch", 2), ("terraform", 2), ("rust", 2), ("go", 2), ("asyncio", 2), ("sqlalchemy", 1),
              ("snowflake", 1), ("dbt", 1), ("llm", 2), ("spark", 1), ("elasticsearch", 1), ("pydantic", 1)]
PHRASES = [('"data platform"', 2), ('"machine learning"', 3), ('"backend engineer"', 4), ('"platform engineer"', 3),
           ('"data engineer"', 6), ('"site reliability"', 2), ('"python developer"', 6), ('"full stack"', 4),
           ('"engineering manager"', 2), ('"api engineer"', 1), ('"software engineer"', 4)]
EXCLUSIONS = ["php", "java", "react", "ruby", "wordpress", "crypto", "typescript", "manager"]
#: Where subscribers live (the country filter), roughly as job-board audiences are spread.
ALERT_COUNTRIES = [("US", 28), ("GB", 8), ("DE", 8), ("IN", 10), ("CA", 4), ("NL", 3), ("FR", 3), ("ES", 3),
                   ("PL", 4), ("BR", 4), ("PT", 2), ("IE", 1), ("SE", 1), ("AU", 2), ("MX", 2), ("AR", 2),
                   ("NG", 2), ("UA", 3), ("RO", 2), ("PH", 2), ("PK", 2), ("TR", 1), ("IT", 2), ("CH", 1)]
ALERT_SENIORITY = [(["senior"], 35), (["senior", "lead"], 15), (["mid", "senior"], 15), (["mid"], 10),
                   (["junior"], 8), (["lead", "principal"], 6), (["junior", "mid"], 6), (["principal"], 2)]
ALERT_SKILLS = [(["Django"], 10), (["FastAPI"], 8), (["Flask"], 3), (["Django", "FastAPI"], 6),
                (["Kafka"], 2), (["Airflow"], 2), (["Kubernetes"], 2), (["FastAPI", "Flask"], 3),
                (["Celery", "Redis"], 1), (["GraphQL"], 1), (["Go"], 1)]


def make_query(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.002:
        return ""
    if kind < 0.40:
        return str(weighted(rng, FRAMEWORKS))
    if kind < 0.52:
        a, b = weighted(rng, FRAMEWORKS), weighted(rng, FRAMEWORKS)
        return f"{a} OR {b}" if a != b else str(a)
    if kind < 0.66:
        return str(weighted(rng, PHRASES))
    if kind < 0.76:
        return f"{weighted(rng, FRAMEWORKS)} -{rng.choice(EXCLUSIONS)}"
    if kind < 0.86:
        return f"{weighted(rng, DOMAINS)} {weighted(rng, FRAMEWORKS)}" if rng.random() < 0.6 \
            else str(weighted(rng, DOMAINS))
    if kind < 0.92:
        return rng.choice(COMPANIES).split()[0].lower()
    a, b = weighted(rng, FRAMEWORKS), weighted(rng, FRAMEWORKS)
    return f"{a} {b}" if a != b else f"{a} {weighted(rng, PHRASES)}"


def make_alert(rng: random.Random) -> dict[str, Any]:
    """A query plus, almost always, one to three structured filters."""
    alert: dict[str, Any] = {"query": make_query(rng), "remote": [], "countries": [], "seniority": [],
                             "employment_types": [], "skills_any": [], "skills_all": [], "sources": [],
                             "exclude_companies": [], "min_salary_usd": None, "include_unknown": True,
                             "max_age_days": None}
    filters = ["countries", "remote", "seniority", "salary", "skills", "employment", "age", "exclude"]
    wanted = rng.choices([0, 1, 2, 3], [1, 12, 45, 42])[0] if alert["query"] else 3
    chosen: set[str] = set()
    while len(chosen) < wanted:
        chosen.add(rng.choices(filters, [70, 45, 50, 35, 15, 4, 6, 3])[0])
    if "countries" in chosen:
        alert["countries"] = sorted({weighted(rng, ALERT_COUNTRIES) for _ in range(rng.choice([1, 1, 1, 2]))})
    if "remote" in chosen:
        alert["remote"] = rng.choices([["remote"], ["remote", "hybrid"], ["hybrid", "onsite"], ["onsite"]],
                                      [70, 18, 8, 4])[0]
    if "seniority" in chosen:
        alert["seniority"] = weighted(rng, ALERT_SENIORITY)
    if "salary" in chosen:
        country = alert["countries"][0] if alert["countries"] else "US"
        low, high = PAY_USD.get(country, (40, 100))
        alert["min_salary_usd"] = round(rng.uniform((low + high) / 2, high * 1.1)) * 1000.0
        alert["include_unknown"] = rng.random() < 0.3
    if "skills" in chosen:
        alert["skills_any"] = list(weighted(rng, ALERT_SKILLS))
    if "employment" in chosen:
        alert["employment_types"] = ["contract"]
    if "age" in chosen:
        alert["max_age_days"] = rng.choice([1, 2, 7])
    if "exclude" in chosen:
        alert["exclude_companies"] = [company_key(rng.choice(COMPANIES))]
    return alert


async def store_jobs(conn: asyncpg.Connection, listings: list[Listing]) -> list[int]:
    """Ingest listings through the real path (per source); returns the new job ids, sorted."""
    by_source: dict[str, list[postings.Incoming]] = {}
    for item in listings:
        by_source.setdefault(item.source, []).append(postings.Incoming(item))
    job_ids: list[int] = []
    for source, items in by_source.items():
        job_ids += (await postings.ingest(conn, source, items, near_duplicates=False)).new_job_ids
    return sorted(job_ids)


async def insert_alerts(conn: asyncpg.Connection, alerts: list[dict[str, Any]]) -> float:
    """COPY alerts in unindexed (paused), then index them with the store's set-based `reindex`.

    Returns the seconds `reindex` took.
    """
    rows = [(f"s{number}@example.org", a["query"], a["remote"], a["countries"], regions_of(a["countries"]),
             a["seniority"], a["employment_types"], a["sources"], a["skills_any"], a["skills_all"],
             a["exclude_companies"], a["min_salary_usd"], a["include_unknown"], a["max_age_days"], "paused")
            for number, a in enumerate(alerts)]
    await conn.copy_records_to_table(
        "alerts", records=rows,
        columns=["email", "query", "remote", "countries", "regions", "seniority", "employment_types", "sources",
                 "skills_any", "skills_all", "exclude_companies", "min_salary_usd", "include_unknown_salary",
                 "max_age_days", "status"])
    started = time.perf_counter()
    await store_alerts.reindex(conn)
    return time.perf_counter() - started


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


async def run(args: argparse.Namespace) -> None:
    async with scratch_database() as url:
        conn = await asyncpg.connect(url)
        await conn.set_type_codec("jsonb", encoder=lambda v: v, decoder=lambda v: v, schema="pg_catalog")
        # The jobs of the days before, already matched: what the token shares of anchor keys are
        # measured on, as the daily re-keying does in production. Then the batch of new jobs.
        history = random.Random(args.seed + 1)
        await store_jobs(conn, [make_job(history, n) for n in range(10**6, 10**6 + max(args.jobs, 1000))])
        tokens = await match.measure_token_shares(conn)
        await conn.execute("UPDATE jobs SET matched_at = now()")
        rng = random.Random(args.seed)
        started = time.perf_counter()
        job_ids = await store_jobs(conn, [make_job(rng, n) for n in range(args.jobs)])
        jobs_s = time.perf_counter() - started
        started = time.perf_counter()
        reindex_s = await insert_alerts(conn, [make_alert(rng) for _ in range(args.alerts)])
        alerts_s = time.perf_counter() - started
        await conn.execute("VACUUM ANALYZE")
        print(f"setup: {len(job_ids)} jobs ingested in {jobs_s:.1f} s; {args.alerts} alerts COPY + reindex in "
              f"{alerts_s:.1f} s (reindex {reindex_s:.1f} s; vocabulary "
              f"{await conn.fetchval('SELECT count(*) FROM alert_terms')} terms; {tokens} token shares measured "
              f"on {max(args.jobs, 1000)} earlier jobs)")

        sample_alerts = list(range(1, min(args.sample, args.alerts) + 1))
        sample_jobs = job_ids[:min(args.sample_jobs, len(job_ids))]
        await conn.execute("UPDATE alerts SET status = 'active' WHERE id <= $1", len(sample_alerts))
        naive_s, naive_pairs = await naive_baseline(conn, sample_alerts, sample_jobs)
        naive_rate = naive_s / (len(sample_alerts) * len(sample_jobs))
        print(f"naive Python loop: {len(sample_alerts)} alerts x {len(sample_jobs)} jobs in {naive_s:.2f} s "
              f"({naive_rate * 1e6:.2f} µs a pair), {len(naive_pairs)} matches "
              f"({100 * len(naive_pairs) / (len(sample_alerts) * len(sample_jobs)):.2f}% of pairs)")
        print(f"{'alerts':>8} {'jobs':>6} {'candidates':>11} {'matches':>9} {'rate %':>7} {'1 conn s':>9} "
              f"{'time s':>8} {'matches/s':>10} {'jobs/s':>8} {'naive s (extrap.)':>18} {'speed-up':>9}")
        pool = await asyncpg.create_pool(url, min_size=args.connections, max_size=args.connections)
        assert pool is not None
        figures = []
        for n_alerts in sorted({min(n, args.alerts) for n in (10_000, 50_000, 100_000)}):
            await conn.execute("UPDATE alerts SET status = CASE WHEN id <= $1 THEN 'active' ELSE 'paused' END",
                               n_alerts)
            await conn.execute("VACUUM ANALYZE alerts")
            for n_jobs in sorted({min(m, len(job_ids)) for m in (100, 1000)}):
                batch = job_ids[:n_jobs]
                candidates = await match.count_candidates(conn, batch)
                await reset(conn, batch)
                t0 = time.perf_counter()
                await match.match_jobs(conn, batch)
                single = time.perf_counter() - t0
                await reset(conn, batch)
                t0 = time.perf_counter()
                result = await match.match_in_parts(pool, batch, connections=args.connections)
                elapsed = time.perf_counter() - t0
                got = {(r["alert_id"], r["job_id"]) for r in await conn.fetch(
                    "SELECT alert_id, job_id FROM deliveries WHERE alert_id <= $1 AND job_id = ANY($2::bigint[])",
                    len(sample_alerts), sample_jobs)}
                assert got == naive_pairs, f"mismatch: {len(got ^ naive_pairs)} pairs differ"
                extrapolated = naive_rate * n_alerts * n_jobs
                pairs = n_alerts * n_jobs
                figures.append((n_alerts, n_jobs, elapsed))
                print(f"{n_alerts:>8} {n_jobs:>6} {candidates:>11} {result.deliveries:>9} "
                      f"{100 * result.deliveries / pairs:>7.2f} {single:>9.3f} {elapsed:>8.3f} "
                      f"{result.deliveries / elapsed:>10.0f} "
                      f"{n_jobs / elapsed:>8.0f} {extrapolated:>18.1f} {extrapolated / elapsed:>8.0f}x")
        await pool.close()
        print("SQL results equal the naive loop's on the sample for every row above.")
        await write_limit(conn)
        if args.explain:
            await reset(conn, job_ids)
            print(await match.explain(conn, job_ids))
        await conn.close()


async def write_limit(conn: asyncpg.Connection) -> None:
    """The limit: writing the last run's delivery rows alone, with no matching work at all."""
    rows = await conn.fetchval("SELECT count(*) FROM deliveries")
    await conn.execute("CREATE TABLE bare_rows (alert_id bigint, job_id bigint, destination text)")
    await conn.execute("CREATE TABLE same_rows (LIKE deliveries INCLUDING ALL)")
    for table, what in (("bare_rows", "a bare table (no index)"),
                        ("same_rows", "a copy of deliveries (same columns and indexes)")):
        started = time.perf_counter()
        await conn.execute(f"INSERT INTO {table} (alert_id, job_id, destination) "
                           "SELECT alert_id, job_id, destination FROM deliveries ORDER BY job_id, destination")
        elapsed = time.perf_counter() - started
        print(f"limit: INSERT … SELECT of those {rows:,} rows into {what}: {elapsed:.2f} s ({rows / elapsed:,.0f}/s)")
    await conn.execute("DROP TABLE bare_rows, same_rows")


async def reset(conn: asyncpg.Connection, batch: list[int]) -> None:
    """Undo a run: no deliveries, the batch unmatched, fresh statistics."""
    await conn.execute("TRUNCATE deliveries")
    await conn.execute("UPDATE jobs SET matched_at = NULL WHERE id = ANY($1::bigint[])", batch)
    await conn.execute("VACUUM ANALYZE jobs, deliveries")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--alerts", type=int, default=100_000)
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--sample", type=int, default=2000, help="alerts evaluated by the naive loop")
    parser.add_argument("--sample-jobs", type=int, default=100, help="jobs evaluated by the naive loop")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--connections", type=int, default=2, help="connections a batch is matched on at once")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN (ANALYZE, BUFFERS) of the last run")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
