"""Jobicy adapter: both API generations, the RSS fallback, and broken input."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from aggregator.errors import ParseError
from scrapers import sources
from tests.sources.conftest import by_id, parse, parse_normalised, raw_by_id


def envelope(*jobs: object) -> bytes:
    return json.dumps({"apiVersion": "2.0", "jobCount": len(jobs), "jobs": list(jobs)}).encode()


def test_defaults_respect_the_few_times_a_day_notice() -> None:
    defaults = sources.get("jobicy").defaults
    assert defaults.url == "https://jobicy.com/api/v2/remote-jobs?count=100&tag=python"
    assert defaults.every == "6h"
    assert defaults.max_pages == 1
    assert "application/rss+xml" in defaults.content_types


def test_real_2024_api(real: Callable[[str], bytes]) -> None:
    page = parse("jobicy", real("jobicy-1.json"))
    assert len(page.listings) == 20 and page.warnings == []
    deepgram = raw_by_id(page.listings, "74847")
    assert deepgram.title == "Research Scientist (Voice AI Foundations)"
    assert deepgram.company == "Deepgram"
    assert deepgram.url == "https://jobicy.com/jobs/74847-research-scientist-2"
    assert (deepgram.salary_min, deepgram.salary_max) == (150000, 220000)
    assert (deepgram.salary_currency, deepgram.salary_period) == ("USD", "year")
    assert deepgram.location_raw == "USA"
    assert deepgram.employment_type == "full-time"
    assert deepgram.seniority is None  # jobLevel "Any"
    assert deepgram.posted_at == "2024-12-07T04:03:02+00:00"  # zone-less pubDate read as UTC
    python = raw_by_id(page.listings, "109041")
    assert python.title == "Software Engineer, Python - Mid / Senior"
    assert python.location_raw == "Poland, Portugal, Romania, Spain"  # "Poland,  Portugal,  …"
    assert python.salary_min is None and python.salary_currency is None
    contract = raw_by_id(page.listings, "111985")
    assert (contract.employment_type, contract.seniority) == ("contract", "Senior")


def test_real_2024_api_normalised(real: Callable[[str], bytes]) -> None:
    listings = parse_normalised("jobicy", real("jobicy-1.json"))
    senior = by_id(listings, "94818")
    assert senior.title == "Senior Data Scientist"
    assert senior.remote == "remote"
    assert senior.employment_type == "full_time"
    assert senior.seniority == "senior"
    assert (senior.salary_min, senior.salary_max, senior.salary_currency) == (175100, 206000, "USD")
    assert senior.salary_period == "year"
    assert senior.posted_at == datetime(2024, 12, 2, 4, 47, 39, tzinfo=UTC)


def test_real_second_capture_keeps_entity_escaped_industries(real: Callable[[str], bytes]) -> None:
    listings = parse("jobicy", real("jobicy-2.json")).listings
    assert len(listings) == 8
    crossfit = raw_by_id(listings, "111984")
    assert crossfit.company == "CrossFit"
    assert crossfit.tags == ["Marketing &amp; Sales"]  # as stated; the normaliser decodes entities
    assert by_id(parse_normalised("jobicy", real("jobicy-2.json")), "111984").tags == ["Marketing & Sales"]
    seo = raw_by_id(listings, "110777")
    assert seo.location_raw == "Canada, USA"


def test_sample_2026_api(sample: Callable[[str], bytes]) -> None:
    page = parse("jobicy", sample("jobicy.json"))
    assert page.warnings == []
    assert [job.external_id for job in page.listings] == ["152301", "152288", "152270", "152255", "152240"]
    orbital = raw_by_id(page.listings, "152301")
    assert orbital.title == "Senior Backend Engineer (Python)"
    assert (orbital.salary_min, orbital.salary_max, orbital.salary_currency) == (85000, 110000, "EUR")
    assert orbital.salary_period == "yearly"
    assert orbital.posted_at == "2026-01-06T09:15:00+00:00"
    fernhill = raw_by_id(page.listings, "152288")
    assert (fernhill.salary_min, fernhill.salary_max, fernhill.salary_period) == (55, 70, "hourly")
    assert fernhill.location_raw == "USA, Canada"
    assert fernhill.seniority == "Midweight"
    tidewater = raw_by_id(page.listings, "152270")
    assert tidewater.employment_type == "Full-Time"  # the first of ["Full-Time", "Contract"]
    assert tidewater.salary_min is None and tidewater.salary_period is None


def test_sample_normalised(sample: Callable[[str], bytes]) -> None:
    listings = parse_normalised("jobicy", sample("jobicy.json"))
    fernhill = by_id(listings, "152288")
    assert fernhill.title == "Python Developer – Django"
    assert (fernhill.salary_min, fernhill.salary_max, fernhill.salary_currency) == (55, 70, "USD")
    assert fernhill.salary_period == "hour"
    brightloop = by_id(listings, "152255")
    assert brightloop.employment_type == "part_time"
    assert brightloop.seniority == "junior"
    assert (brightloop.salary_min, brightloop.salary_currency, brightloop.salary_period) == (
        28000,
        "GBP",
        "year",
    )
    assert brightloop.posted_at == datetime(2026, 1, 4, 11, 20, tzinfo=UTC)


def test_sample_rss_matches_the_api_ids(sample: Callable[[str], bytes]) -> None:
    page = parse("jobicy", sample("jobicy.rss"))
    assert page.warnings == []
    assert [job.external_id for job in page.listings] == ["152301", "152288", "152270", "152240"]
    fernhill = raw_by_id(page.listings, "152288")
    assert fernhill.title == "Python Developer – Django"
    assert fernhill.company == "Fernhill Analytics"
    assert fernhill.url == "https://jobicy.com/jobs/152288-python-developer-django"
    assert fernhill.location_raw == "USA, Canada"
    assert fernhill.employment_type == "Full-Time"
    assert fernhill.remote is True
    assert fernhill.posted_at == "Mon, 05 Jan 2026 14:02:41 +0000"
    assert fernhill.description_html is not None and "Django REST Framework" in fernhill.description_html
    assert raw_by_id(page.listings, "152270").employment_type == "Full-Time"  # "Full-Time, Contract"


def test_sample_rss_normalised(sample: Callable[[str], bytes]) -> None:
    orbital = by_id(parse_normalised("jobicy", sample("jobicy.rss")), "152301")
    assert orbital.company == "Orbital Pay"
    assert orbital.employment_type == "full_time"
    assert orbital.posted_at == datetime(2026, 1, 6, 9, 15, tzinfo=UTC)


def test_rss_item_without_title_is_skipped() -> None:
    payload = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Jobs</title>
      <item><link>https://jobicy.com/jobs/1-no-title</link></item>
      <item><title>Python Engineer</title><link>https://jobicy.com/jobs/2-python-engineer</link>
        <dc:creator xmlns:dc="http://purl.org/dc/elements/1.1/">Acme</dc:creator></item>
    </channel></rss>"""
    page = parse("jobicy", payload)
    assert [(job.external_id, job.company) for job in page.listings] == [("2", "Acme")]
    assert page.warnings == ["jobicy: item 0 skipped: no guid/link or title"]


def test_rss_with_entity_declarations_is_refused() -> None:
    payload = b"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>
      <rss version="2.0"><channel><item><title>&b;</title></item></channel></rss>"""
    with pytest.raises(ParseError, match=r"^jobicy: "):
        parse("jobicy", payload)


def test_both_salary_generations_and_zero_amounts() -> None:
    page = parse(
        "jobicy",
        envelope(
            {
                "id": 1,
                "jobTitle": "Python Engineer",
                "annualSalaryMin": "90000",
                "annualSalaryMax": "120000",
                "salaryCurrency": "EUR",
                "pubDate": "2024-12-07 04:10:26",
            },
            {
                "id": 2,
                "jobTitle": "Backend Engineer",
                "salaryMin": 0,
                "salaryMax": 0,
                "salaryCurrency": "USD",
                "salaryPeriod": "yearly",
                "pubDate": "2026-08-03T18:45:05+00:00",
            },
        ),
    )
    first, second = page.listings
    assert (first.salary_min, first.salary_max, first.salary_currency, first.salary_period) == (
        90000,
        120000,
        "EUR",
        "year",
    )
    assert (second.salary_min, second.salary_currency, second.salary_period) == (None, None, None)
    assert second.posted_at == "2026-08-03T18:45:05+00:00"


@pytest.mark.parametrize("payload", [b"not json", b"[]", b'{"jobs": {}}', b"<html><body>503</body></html>"])
def test_not_a_jobicy_document(payload: bytes) -> None:
    with pytest.raises(ParseError, match=r"^jobicy: "):
        parse("jobicy", payload)


def test_broken_items_are_skipped_with_warnings() -> None:
    page = parse(
        "jobicy",
        envelope(
            None,
            {
                "id": 3,
                "jobTitle": "Python Engineer",
                "jobType": "full-time",
                "jobGeo": 5,
                "jobIndustry": [1, "Dev"],
            },
            {"jobTitle": "No id"},
        ),
    )
    assert [job.external_id for job in page.listings] == ["3"]
    job = page.listings[0]
    assert (job.employment_type, job.location_raw, job.tags) == ("full-time", "5", ["Dev"])
    assert page.warnings == [
        "jobicy: item 0 skipped: not an object",
        "jobicy: item 2 skipped: no id or jobTitle",
    ]
