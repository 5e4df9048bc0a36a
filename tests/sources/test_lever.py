"""Lever adapter: the current format, the 2015 format, paging, the project's sample, bad input."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from aggregator.errors import ParseError
from scrapers.sources.lever import next_page_url
from tests.sources.conftest import listing_by_id, parse, parse_normalised, raw_by_id

SPOTIFY = "https://api.lever.co/v0/postings/spotify?mode=json"


def test_real_current_format(real: Callable[[str], bytes]) -> None:
    page = parse("lever", real("lever-1.json"), board="spotify", url=SPOTIFY)
    assert page.warnings == []
    assert page.follow == []  # no limit in the URL: Lever sent everything
    assert len(page.listings) == 4
    job = raw_by_id(page.listings, "08d82da1-0c72-44d1-91eb-7fa22dee3d39")
    assert job.title == "Analytics Engineer II"
    assert job.company == "Spotify"
    assert job.url == "https://jobs.lever.co/spotify/08d82da1-0c72-44d1-91eb-7fa22dee3d39"
    assert job.apply_url == "https://jobs.lever.co/spotify/08d82da1-0c72-44d1-91eb-7fa22dee3d39/apply"
    assert job.location_raw == "Stockholm; London"
    assert job.places == [{"country": "SE", "region": None, "city": None}]
    assert job.remote == "hybrid"
    assert job.employment_type == "Permanent"
    assert job.tags == ["Data and Analytics", "Platform"]
    assert job.posted_at == 1778685832322
    assert job.salary_min is None and job.salary_currency is None


def test_real_description_includes_lists_and_closing(real: Callable[[str], bytes]) -> None:
    job = raw_by_id(parse("lever", real("lever-1.json")).listings, "08d82da1-0c72-44d1-91eb-7fa22dee3d39")
    html = job.description_html
    assert html is not None
    assert html.startswith("<p data-start=")
    assert "<h3>Who You Are</h3>\n<ul>" in html
    assert "You have 2+ years of experience" in html
    assert "<h3>Where You'll Be</h3>" in html
    assert html.rstrip().endswith("</div>") and "equal opportunity employer" in html


def test_real_current_format_normalised(real: Callable[[str], bytes]) -> None:
    listings = parse_normalised("lever", real("lever-1.json"), board="spotify")
    android = listing_by_id(listings, "a0fa7da3-4c3c-4fa2-97bd-7d6eb01eb9e5")
    assert android.title == "Android Engineer - Advertising"
    assert android.remote == "remote"
    assert [loc.country for loc in android.locations] == ["US"]
    assert android.posted_at == datetime(2026, 3, 18, 18, 7, 5, 234000, tzinfo=UTC)


def test_real_2015_format(real: Callable[[str], bytes]) -> None:
    page = parse("lever", real("lever-2.json"), board="leverdemo")
    assert page.warnings == []
    assert len(page.listings) == 28
    manager = raw_by_id(page.listings, "491029da-9b63-4208-83f6-c976b6fe2ac5")
    assert manager.company == "Leverdemo"
    assert manager.location_raw == "San francisco"
    assert manager.places == []  # no country field in 2015
    assert manager.remote is None
    assert manager.employment_type == "Full-time"
    assert manager.tags == ["Sales"]
    # plain-text descriptions become paragraphs; the list follows under its heading
    assert manager.description_html is not None
    assert manager.description_html.startswith(
        "<p>We're looking for great salespeople!</p>\n<p>Be a foundational"
    )
    assert "<h3>Skills Required:</h3>" in manager.description_html
    android = raw_by_id(page.listings, "e215ebe2-cc96-420c-847c-3de12ec6c903")
    assert android.seniority == "Senior"
    assert raw_by_id(page.listings, "2901fbbf-c1f2-43db-b865-f1ac898a80bd").employment_type == "Part-time"


def test_real_2015_posting_without_description(real: Callable[[str], bytes]) -> None:
    intern = raw_by_id(parse("lever", real("lever-2.json")).listings, "0dc2f930-e8b5-4e41-8f08-ab4e8e63aedf")
    assert intern.title == "Product Marketing Intern"
    assert intern.description_html is None
    assert intern.location_raw == "London, UK"
    assert intern.employment_type == "Internship"


def test_real_2015_posted_at(real: Callable[[str], bytes]) -> None:
    listing = listing_by_id(
        parse_normalised("lever", real("lever-2.json")), "5ac21346-8e0c-4494-8e7a-3eb92ff77902"
    )
    assert listing.posted_at == datetime(2013, 10, 4, 20, 14, 27, 108000, tzinfo=UTC)
    assert listing.company == "Leverdemo"  # no board given: read from the hosted URL


def test_sample_board(sample: Callable[[str], bytes]) -> None:
    page = parse("lever", sample("lever.json"), board="quillstack")
    assert page.warnings == []
    assert len(page.listings) == 5
    senior = raw_by_id(page.listings, "3f6a2c1e-8b1d-4c57-9e0a-5d2f7b9c4a10")
    assert senior.title == "Senior Python Engineer, API Platform"
    assert senior.company == "Quillstack"
    assert (senior.salary_min, senior.salary_max, senior.salary_currency, senior.salary_period) == (
        145000,
        180000,
        "USD",
        "year",
    )
    assert senior.remote == "remote"
    contract = raw_by_id(page.listings, "5e4d3c2b-1a09-4f8e-b7d6-c5b4a3928170")
    assert (contract.salary_min, contract.salary_max, contract.salary_currency, contract.salary_period) == (
        75,
        95,
        "EUR",
        "hour",
    )
    assert contract.employment_type == "Contract"
    manager = raw_by_id(page.listings, "7b8c9d0e-1f2a-4b3c-9d4e-5f6a7b8c9d0e")
    assert manager.remote is None  # workplaceType "unspecified"
    assert manager.salary_min is None


def test_sample_normalised(sample: Callable[[str], bytes]) -> None:
    listings = parse_normalised("lever", sample("lever.json"), board="quillstack")
    django = listing_by_id(listings, "9c0d7e55-1a2b-4f3c-8d6e-7f8091a2b3c4")
    assert (django.salary_min, django.salary_max, django.salary_currency, django.salary_period) == (
        65000,
        80000,
        "GBP",
        "year",
    )
    assert [(loc.country, loc.city) for loc in django.locations] == [("GB", "London"), ("GB", "Manchester")]
    assert django.python_backend is True
    assert listing_by_id(listings, "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d").python_backend is False


@pytest.mark.parametrize(
    ("url", "count", "expected"),
    [
        (
            "https://api.lever.co/v0/postings/acme?mode=json&limit=100",
            100,
            "https://api.lever.co/v0/postings/acme?mode=json&limit=100&skip=100",
        ),
        (
            "https://api.lever.co/v0/postings/acme?mode=json&skip=100&limit=100",
            100,
            "https://api.lever.co/v0/postings/acme?mode=json&skip=200&limit=100",
        ),
        ("https://api.lever.co/v0/postings/acme?mode=json&skip=100&limit=100", 37, None),
        ("https://api.lever.co/v0/postings/acme?mode=json", 500, None),
        ("https://api.lever.co/v0/postings/acme?mode=json&limit=ten", 10, None),
        (None, 100, None),
    ],
)
def test_next_page_url(url: str | None, count: int, expected: str | None) -> None:
    assert next_page_url(url, count) == expected


def test_full_page_is_followed(real: Callable[[str], bytes]) -> None:
    page = parse("lever", real("lever-1.json"), url=SPOTIFY + "&skip=8&limit=4")
    assert page.follow == [SPOTIFY + "&skip=12&limit=4"]


def test_salary_with_non_wage_interval_is_left_out() -> None:
    item = {
        "id": "x1",
        "text": "Python Engineer",
        "hostedUrl": "https://jobs.lever.co/acme/x1",
        "salaryRange": {"currency": "USD", "interval": "one-time", "min": 5000, "max": 5000},
    }
    job = parse("lever", json.dumps([item]).encode()).listings[0]
    assert (job.salary_min, job.salary_max, job.salary_currency, job.salary_period) == (
        None,
        None,
        None,
        None,
    )


@pytest.mark.parametrize("payload", [b"", b"<!doctype html>", b'{"postings": []}', b'"text"'])
def test_not_a_lever_document(payload: bytes) -> None:
    with pytest.raises(ParseError, match=r"^lever: "):
        parse("lever", payload)


def test_api_error_object() -> None:
    with pytest.raises(ParseError, match="Document not found"):
        parse("lever", b'{"ok": false, "error": "Document not found"}')


def test_broken_items_are_skipped_with_warnings() -> None:
    items = [
        {"id": "a", "text": "Django Developer", "hostedUrl": "https://jobs.lever.co/acme/a", "categories": "Berlin",
         "lists": [{"text": 3}, "x"]},
        None,
        {"id": "b", "text": "   "},
        {"id": "c", "text": "FastAPI Developer", "createdAt": "yesterday", "salaryRange": {"min": "lots"}},
    ]
    page = parse("lever", json.dumps(items).encode())
    assert [job.external_id for job in page.listings] == ["a", "c"]
    assert len(page.warnings) == 2
    assert page.warnings[1].startswith("lever: item 2 skipped")
    assert page.listings[0].location_raw is None
    assert page.listings[1].posted_at is None
    assert page.listings[1].salary_min is None
