"""Remotive adapter: both real captures, the project's sample and broken input."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from aggregator.errors import ParseError
from scrapers import sources
from tests.sources.conftest import by_id, parse, parse_normalised, raw_by_id


def test_defaults_respect_the_four_calls_a_day_advice() -> None:
    defaults = sources.get("remotive").defaults
    assert defaults.url == "https://remotive.com/api/remote-jobs?category=software-dev&search=python"
    assert defaults.every == "6h"  # at most 4 calls a day
    assert defaults.rate * 60 < 2  # more than 2 a minute is blocked
    assert defaults.max_pages == 1


def test_real_untrimmed_body(real: Callable[[str], bytes]) -> None:
    page = parse("remotive", real("remotive-1.json"))
    assert page.warnings == [] and page.follow == []
    assert len(page.listings) == 20
    mitre = raw_by_id(page.listings, "2069746")
    assert mitre.title == "Tech Lead Full-Stack Rails Engineer"
    assert mitre.company == "Mitre Media"
    assert mitre.url is not None and mitre.url.startswith(
        "https://remotive.com/remote-jobs/software-development/"
    )
    assert mitre.location_raw == "USA, Canada, USA timezones"
    assert mitre.employment_type == "full_time"
    assert mitre.salary_text == "$170k - $200k"
    assert mitre.posted_at == "2025-12-14T20:45:43"
    assert mitre.remote is True
    assert "docker" in mitre.tags


def test_real_company_oddities(real: Callable[[str], bytes]) -> None:
    listings = parse("remotive", real("remotive-1.json")).listings
    assert raw_by_id(listings, "1680495").company == "Coalition Technologies"  # trailing space in the payload
    assert raw_by_id(listings, "2087132").company is None  # "N/A"
    assert raw_by_id(listings, "2075915").salary_text is None  # ""
    assert raw_by_id(listings, "2082467").title == "Student Representatives"  # trailing space


def test_real_normalised(real: Callable[[str], bytes]) -> None:
    listings = parse_normalised("remotive", real("remotive-1.json"))
    mitre = by_id(listings, "2069746")
    assert mitre.remote == "remote"
    assert mitre.employment_type == "full_time"
    assert (mitre.salary_min, mitre.salary_max, mitre.salary_currency) == (170000, 200000, "USD")
    assert mitre.posted_at == datetime(2025, 12, 14, 20, 45, 43, tzinfo=UTC)
    assert by_id(listings, "2087621").salary_currency == "EUR"  # "€80k-€110k"


def test_real_trimmed_pretty_printed_body(real: Callable[[str], bytes]) -> None:
    listings = parse("remotive", real("remotive-2.json")).listings
    assert [job.external_id for job in listings] == ["2091081", "2090903", "2091075", "2091074"]
    workada = raw_by_id(listings, "2090903")
    assert (workada.title, workada.company) == ("Data Labeling Specialists", "Workada")
    assert (workada.employment_type, workada.salary_text) == ("freelance", "$18 - $22/hr")


def test_sample(sample: Callable[[str], bytes]) -> None:
    page = parse("remotive", sample("remotive.json"))
    assert page.warnings == []
    assert [job.external_id for job in page.listings] == [
        "2101344",
        "2101298",
        "2101275",
        "2101240",
        "2101203",
    ]
    saltmarsh = raw_by_id(page.listings, "2101344")
    assert saltmarsh.title == "Senior Python Engineer"
    assert (
        saltmarsh.url
        == "https://remotive.com/remote-jobs/software-development/senior-python-engineer-2101344"
    )
    assert saltmarsh.salary_text == "$150k - $180k"
    assert saltmarsh.tags == ["python", "django", "postgresql", "aws", "backend"]
    vellum = raw_by_id(page.listings, "2101298")
    assert vellum.company == "Vellum & Ink"
    assert (vellum.employment_type, vellum.location_raw) == ("contract", "Europe, European timezones")
    assert raw_by_id(page.listings, "2101240").company is None  # "N/A"
    assert raw_by_id(page.listings, "2101275").salary_text is None


def test_sample_normalised(sample: Callable[[str], bytes]) -> None:
    listings = parse_normalised("remotive", sample("remotive.json"))
    saltmarsh = by_id(listings, "2101344")
    assert (saltmarsh.salary_min, saltmarsh.salary_max, saltmarsh.salary_currency) == (150000, 180000, "USD")
    assert saltmarsh.seniority == "senior"
    assert saltmarsh.posted_at == datetime(2026, 1, 5, 16, 20, 11, tzinfo=UTC)
    junior = by_id(listings, "2101240")
    assert (junior.salary_min, junior.salary_max, junior.salary_currency) == (32000, 38000, "GBP")
    assert junior.seniority == "junior"
    assert by_id(listings, "2101298").employment_type == "contract"


@pytest.mark.parametrize(
    "payload",
    [b"", b"\xef\xbb\xbf", b"<html>Too many requests</html>", b"[]", b'{"jobs": null}', b'{"job-count": 0}'],
)
def test_not_a_remotive_document(payload: bytes) -> None:
    with pytest.raises(ParseError, match=r"^remotive: "):
        parse("remotive", payload)


def test_bom_is_tolerated() -> None:
    job = {"id": 1, "title": "Python Developer", "company_name": "Acme", "url": "https://remotive.com/remote-jobs/1"}
    payload = b"\xef\xbb\xbf" + json.dumps({"jobs": [job]}).encode()
    assert [job.title for job in parse("remotive", payload).listings] == ["Python Developer"]


def test_broken_items_are_skipped_with_warnings() -> None:
    payload = {
        "jobs": [
            {
                "id": 1,
                "title": "Python Developer",
                "company_name": "Acme",
                "tags": "python",
                "url": "javascript:alert(1)",
                "salary": 5,
            },
            {"id": 2},
            "junk",
            {"id": 3, "title": "Backend Engineer", "tags": [None, "django", 7], "company_name": ["x"]},
        ]
    }
    page = parse("remotive", json.dumps(payload).encode())
    assert [job.external_id for job in page.listings] == ["1", "3"]
    first, second = page.listings
    assert (first.tags, first.url, first.salary_text) == (["python"], None, "5")
    assert (second.tags, second.company) == (["django"], None)
    assert page.warnings == [
        "remotive: item 1 skipped: no id or title",
        "remotive: item 2 skipped: not an object",
    ]
