"""Himalayas adapter: the real first page, offset paging, the sample, and broken input."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from aggregator.errors import ParseError
from scrapers import sources
from tests.sources.conftest import by_id, parse, parse_normalised, raw_by_id

FIRST = "https://himalayas.app/jobs/api?limit=20&offset=0"
MT_BANK = "https://himalayas.app/companies/m-t-bank/jobs/mortgage-customer-outreach-specialist-i-9678846482"
QUILL = "https://himalayas.app/companies/quillstack/jobs/senior-python-engineer-billing"



def page_of(count: int, *, offset: int = 0, limit: int = 20, total: int = 1000) -> bytes:
    jobs = [
        {"guid": f"https://himalayas.app/companies/acme/jobs/job-{offset + i}", "title": f"Engineer {i}"}
        for i in range(count)
    ]
    return json.dumps({"offset": offset, "limit": limit, "totalCount": total, "jobs": jobs}).encode()


def test_defaults() -> None:
    defaults = sources.get("himalayas").defaults
    assert defaults.url == FIRST
    assert defaults.max_pages > 1


def test_real_first_page(real: Callable[[str], bytes]) -> None:
    page = parse("himalayas", real("himalayas-1.json"), url=FIRST)
    assert page.warnings == []
    assert len(page.listings) == 20
    assert page.follow == ["https://himalayas.app/jobs/api?limit=20&offset=20"]
    bank = raw_by_id(page.listings, MT_BANK)
    assert bank.title == "Mortgage Customer Outreach Specialist I"
    assert bank.company == "M&T Bank"
    assert bank.url == bank.apply_url == MT_BANK
    assert (bank.salary_min, bank.salary_max) == (56220, 58500)
    assert bank.salary_currency is None  # the 2025 response has no currency field
    assert bank.salary_period == "year"  # Himalayas' salaries are annual
    assert bank.employment_type == "Full Time"
    assert bank.seniority == "Entry-level"
    assert bank.places == [{"country": "United States"}]
    assert bank.location_raw == "United States (UTC-10 to UTC-5, UTC+14)"
    assert bank.posted_at == 1744122863
    assert bank.remote is True


def test_real_restrictions_and_levels(real: Callable[[str], bytes]) -> None:
    listings = parse("himalayas", real("himalayas-1.json")).listings
    anywhere = raw_by_id(
        listings,
        "https://himalayas.app/companies/byteaim-limited/jobs/political-science-researcher-analyst-remote-internship",
    )
    assert anywhere.places == []  # locationRestrictions: []
    assert anywhere.location_raw == "UTC-11 to UTC+14"
    assert anywhere.employment_type == "Intern"
    mindrift = raw_by_id(
        listings,
        "https://himalayas.app/companies/mindrift/jobs/freelance-internal-medicine-consultant-professor-8336799967",
    )
    assert mindrift.seniority == "Senior, Executive"
    assert mindrift.salary_min is None and mindrift.salary_period is None
    assert mindrift.location_raw == "France (UTC+1)"
    spain = next(job for job in listings if job.title == "Senior React Frontend Developer")
    assert spain.location_raw == "Spain (UTC+0 to UTC+1)"


def test_real_normalised(real: Callable[[str], bytes]) -> None:
    listings = parse_normalised("himalayas", real("himalayas-1.json"))
    staff = next(job for job in listings if job.title == "Staff Applied Research Scientist")
    assert staff.remote == "remote"
    assert staff.employment_type == "full_time"
    assert (staff.salary_min, staff.salary_max, staff.salary_period) == (190000, 300000, "year")
    assert staff.posted_at == datetime.fromtimestamp(1744121594, UTC)


def test_sample_last_page_and_millisecond_dates(sample: Callable[[str], bytes]) -> None:
    page = parse("himalayas", sample("himalayas.json"), url=FIRST)
    assert page.warnings == [] and page.follow == []  # 5 jobs < limit 20: the last page
    assert len(page.listings) == 5
    quill = raw_by_id(page.listings, QUILL)
    assert quill.title == "Senior Python Engineer, Billing"
    assert quill.company == "Quillstack"
    assert (quill.salary_min, quill.salary_max, quill.salary_currency, quill.salary_period) == (
        150000,
        185000,
        "USD",
        "year",
    )
    assert quill.places == [{"country": "United States"}, {"country": "Canada"}]
    assert quill.location_raw == "United States, Canada (UTC-10 to UTC-3:30)"
    assert quill.tags == ["Python Developer", "Backend Engineer", "Senior Backend Engineer"]
    assert quill.posted_at == 1767607200000
    kumo = next(job for job in page.listings if job.company == "Kumo Robotics")
    assert kumo.employment_type == "Contractor" and kumo.salary_currency is None


def test_sample_normalised(sample: Callable[[str], bytes]) -> None:
    listings = parse_normalised("himalayas", sample("himalayas.json"))
    quill = by_id(listings, QUILL)
    assert quill.posted_at == datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
    assert quill.salary_currency == "USD"
    assert quill.seniority == "senior"
    moorgate = next(job for job in listings if job.company == "Moorgate Data")
    assert (moorgate.salary_min, moorgate.salary_currency, moorgate.salary_period) == (70000, "GBP", "year")
    assert (
        moorgate.url == "https://himalayas.app/companies/moorgate-data/jobs/backend-engineer-python-fastapi"
    )


@pytest.mark.parametrize(
    ("payload", "url", "follow"),
    [
        (page_of(20), FIRST, ["https://himalayas.app/jobs/api?limit=20&offset=20"]),
        (
            page_of(20, offset=40),
            "https://himalayas.app/jobs/api?limit=20&offset=40&q=python",
            ["https://himalayas.app/jobs/api?limit=20&offset=60&q=python"],
        ),
        (page_of(20), None, ["https://himalayas.app/jobs/api?limit=20&offset=20"]),  # default URL
        (page_of(19), FIRST, []),  # fewer than the limit: last page
        (page_of(20, offset=980, total=1000), FIRST, []),  # totalCount reached
        (page_of(0), FIRST, []),
        (
            page_of(10, limit=10),
            "https://himalayas.app/jobs/api",
            ["https://himalayas.app/jobs/api?offset=10&limit=10"],
        ),
    ],
)
def test_offset_paging(payload: bytes, url: str | None, follow: list[str]) -> None:
    assert parse("himalayas", payload, url=url).follow == follow


def test_object_restrictions_and_string_offsets() -> None:
    item = {
        "guid": "https://himalayas.app/companies/acme/jobs/python",
        "title": "Python Engineer",
        "locationRestrictions": [{"alpha2": "DE", "name": "Germany"}, {"name": "Austria"}, 7],
        "timezoneRestrictions": ["UTC+1", "+02:00", "GMT+5:30", "nonsense"],
        "minSalary": "70000",
        "maxSalary": None,
        "currency": "EUR",
        "salaryPeriod": "month",
    }
    job = parse("himalayas", json.dumps({"jobs": [item]}).encode()).listings[0]
    assert job.places == [{"country": "DE"}, {"country": "Austria"}]
    assert job.location_raw == "DE, Austria (UTC+1 to UTC+2, UTC+5:30)"
    assert (job.salary_min, job.salary_max, job.salary_currency, job.salary_period) == (
        70000,
        None,
        "EUR",
        "month",
    )


@pytest.mark.parametrize("payload", [b"\x00\x01", b"[]", b'{"jobs": "none"}', b"<html></html>"])
def test_not_a_himalayas_document(payload: bytes) -> None:
    with pytest.raises(ParseError, match=r"^himalayas: "):
        parse("himalayas", payload)


def test_broken_items_are_skipped_with_warnings() -> None:
    payload = {
        "jobs": [
            {"title": "No guid"},
            {
                "guid": "g-1",
                "applicationLink": "https://acme.example/apply",
                "title": "Backend Engineer",
                "seniority": "Senior",
                "pubDate": "soon",
                "categories": None,
            },
            [],
        ]
    }
    page = parse("himalayas", json.dumps(payload).encode())
    assert [job.external_id for job in page.listings] == ["g-1"]
    job = page.listings[0]
    assert (job.url, job.apply_url) == ("https://acme.example/apply", "https://acme.example/apply")
    assert (job.seniority, job.posted_at, job.tags) == ("Senior", "soon", [])
    assert page.warnings == [
        "himalayas: item 0 skipped: no guid or title",
        "himalayas: item 2 skipped: not an object",
    ]
