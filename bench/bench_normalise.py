"""Throughput of `aggregator.normalise.normalise` next to a naive baseline. Prints figures; asserts nothing.

The listings are the real captured payloads (../shared/fixtures/real) parsed by the registered
adapters and repeated to about 5,000, or synthetic ones when the corpus is absent. The baseline does
what a first attempt would: one case-insensitive regex per skill over the whole text.

The normaliser keeps small bounded caches of what it reads from titles and location texts, which the
repeats hit; the first figure, each distinct listing once with those caches cold, is the rate for a
stream of listings never seen before.

    .venv/bin/python bench/bench_normalise.py [COUNT]
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from aggregator.model import RawListing
from aggregator.normalise import normalise
from aggregator.normalise.skills import extract_skills
from aggregator.normalise.skills_taxonomy import SKILLS
from aggregator.normalise.text import html_to_text
from scrapers import sources
from scrapers.sources.base import ParseContext

REAL = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "real"
#: Corpus file prefix -> source name.
FILES = {"remoteok": "remoteok", "remotive": "remotive", "jobicy": "jobicy", "wwr": "weworkremotely",
         "pythonorg": "pythonorg", "arbeitnow": "arbeitnow", "himalayas": "himalayas",
         "greenhouse": "greenhouse", "lever": "lever", "ashby": "ashby", "hn": "hn", "jsonld": "jsonld",
         "smartrecruiters": "smartrecruiters", "workable": "workable"}


def real_listings() -> list[RawListing]:
    listings: list[RawListing] = []
    if not REAL.is_dir():
        return listings
    for path in sorted(REAL.iterdir()):
        source = FILES.get(path.name.split("-")[0])
        if source is None:
            continue
        try:
            page = sources.get(source).parse(path.read_bytes(), ParseContext(board="bench"))
        except Exception as exc:  # an adapter still in progress must not stop the bench
            print(f"  skipped {path.name}: {type(exc).__name__}: {exc}", file=sys.stderr)
            continue
        listings.extend(page.listings)
    return listings


def synthetic_listings(count: int) -> list[RawListing]:
    stacks = ["Python, Django, PostgreSQL and Redis", "Go, gRPC and Kubernetes", "React, TypeScript and Node.js",
              "FastAPI, SQLAlchemy, Celery and RabbitMQ on AWS", "Java, Spring Boot and Kafka"]
    titles = ["Senior Backend Engineer (Python)", "Django Developer", "Frontend Engineer", "Staff Software Engineer",
              "Data Analyst"]
    return [
        RawListing(
            source="bench", external_id=str(i), title=titles[i % len(titles)], company="Acme",
            description_html=(f"<h2>About</h2><p>We build APIs with <b>{stacks[i % len(stacks)]}</b>.</p>"
                              "<ul><li>5+ years of experience</li><li>CI/CD, Docker, Terraform</li></ul>") * 8,
            employment_type="Full-Time", posted_at="2025-12-14T20:45:43", url=f"https://acme.example/j/{i}?utm_source=x",
            tags=["python", "backend"],
        )
        for i in range(count)
    ]


def naive_skills(patterns: list[tuple[str, re.Pattern[str]]]) -> Callable[[str, list[str], str], list[str]]:
    def extract(title: str, tags: list[str], text: str) -> list[str]:
        haystack = " ".join([title, *tags, text])
        return sorted({name for name, pattern in patterns if pattern.search(haystack)})

    return extract


def rate(label: str, work: Callable[[], object], count: int) -> float:
    start = time.perf_counter()
    work()
    elapsed = time.perf_counter() - start
    per_second = count / elapsed if elapsed else float("inf")
    print(f"  {label:<48} {per_second:>10,.0f} listings/s  ({elapsed:.2f} s)")
    return per_second


def main() -> None:
    target = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    base = real_listings()
    origin = f"{len(base)} real listings from {REAL}"
    if not base:
        base, origin = synthetic_listings(500), "500 synthetic listings (real corpus absent)"
    listings = [replace(base[i % len(base)], external_id=f"{base[i % len(base)].external_id}-{i}")
                for i in range(target)]
    print(f"{len(listings)} listings, repeated from {origin}")

    texts = [(raw.title, raw.tags, raw.description_text or html_to_text(raw.description_html or ""))
             for raw in listings]
    total_chars = sum(len(text) for _, _, text in texts)
    print(f"  description text: {total_chars / len(texts):,.0f} characters per listing on average")

    patterns = [
        (skill.name, re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(a) for a in (skill.name, *skill.aliases,
                                                                                     *skill.forms)) + r")(?![\w+#])",
                                re.I))
        for skill in SKILLS
    ]
    naive = naive_skills(patterns)

    print("whole normaliser:")
    rate(f"each of the {len(base)} listings once (caches cold)", lambda: [normalise(raw) for raw in base], len(base))
    rate("aggregator.normalise.normalise", lambda: [normalise(raw) for raw in listings], len(listings))
    print("skills alone, on the same text:")
    fast = rate("extract_skills (one pass, n-gram dict)", lambda: [extract_skills(*t) for t in texts], len(texts))
    slow = rate(f"naive: one regex per skill ({len(patterns)} regexes)", lambda: [naive(*t) for t in texts],
                len(texts))
    print(f"  one pass is {fast / slow:.1f}x the naive rate (and the naive one also matches 'Go', 'R', "
          "'Spark' and 'flask' in prose)")


if __name__ == "__main__":
    main()
