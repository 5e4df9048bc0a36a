"""Ashby adapter: real boards (2026 with workplaceType, 2025 with pay), the project's sample, bad input."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from aggregator.errors import ParseError
from scrapers.sources.ashby import salary
from tests.sources.conftest import listing_by_id, parse, parse_normalised, raw_by_id


def test_real_board_2026(real: Callable[[str], bytes]) -> None:
    page = parse("ashby", real("ashby-1.json"), board="cursor")
    assert page.warnings == []
    assert len(page.listings) == 54
    growth = raw_by_id(page.listings, "0ec39ed7-a5dc-4551-bb26-b7f4f9fb4a74")
    assert growth.title == "Software Engineer, Growth"  # the payload has a trailing space
    assert growth.company == "Cursor"
    assert growth.url == "https://jobs.ashbyhq.com/cursor/0ec39ed7-a5dc-4551-bb26-b7f4f9fb4a74"
    assert (
        growth.apply_url == "https://jobs.ashbyhq.com/cursor/0ec39ed7-a5dc-4551-bb26-b7f4f9fb4a74/application"
    )
    assert growth.location_raw == "SF / NY"
    assert growth.places == []  # empty postalAddress
    assert growth.remote is None  # isRemote and workplaceType both null
    assert growth.employment_type == "FullTime"
    assert growth.tags == ["Engineering", "Enterprise & Foundations Engineering"]
    assert growth.posted_at == "2025-10-30T16:47:27.463+00:00"
    assert growth.salary_min is None and growth.salary_text is None  # empty compensation
    assert growth.description_html is not None and growth.description_html.startswith("<p ")
    assert growth.description_text is not None and growth.description_text.startswith("Our mission is")


@pytest.mark.parametrize(
    ("external_id", "remote"),
    [
        ("e08262e8-c089-488d-9b59-9e21f7702b64", "hybrid"),
        ("e4c982dd-dd63-4d80-b071-50d6d0f8f560", "remote"),
        # "SF / Remote" yet stated OnSite with isRemote false: the structured statement wins
        ("61e4677d-cf3d-458a-bf6c-02287d5d2c39", "onsite"),
    ],
)
def test_real_workplace_type(real: Callable[[str], bytes], external_id: str, remote: str) -> None:
    assert raw_by_id(parse("ashby", real("ashby-1.json")).listings, external_id).remote == remote


def test_real_postal_address_is_stripped(real: Callable[[str], bytes]) -> None:
    job = raw_by_id(parse("ashby", real("ashby-1.json")).listings, "61e4677d-cf3d-458a-bf6c-02287d5d2c39")
    assert job.places == [{"country": "United States", "region": "California", "city": "San Francisco"}]


def test_real_board_2025_with_pay(real: Callable[[str], bytes]) -> None:
    page = parse("ashby", real("ashby-2.json"), board="makai-labs")
    assert page.warnings == []
    assert len(page.listings) == 6
    engineer = raw_by_id(page.listings, "f64bb7f7-4e52-4b65-931f-115f6ae7eecb")
    assert engineer.title == "Senior Software Engineer for AI Startup"
    assert engineer.company == "Makai Labs"
    assert (engineer.salary_min, engineer.salary_max, engineer.salary_currency, engineer.salary_period) == (
        120000,
        150000,
        "USD",
        "year",
    )
    assert engineer.salary_text is None
    assert engineer.remote is True  # no workplaceType in 2025: isRemote as stated
    nextjs = raw_by_id(page.listings, "bc3d256d-8207-4612-91ba-fc73bf4e4962")
    assert nextjs.location_raw == "Croatia; Romania; Serbia"
    assert [place["country"] for place in nextjs.places] == ["Croatia", "Romania", "Serbia"]
    # The location "Croatia" is the whole country; its address (Zagreb, region "Belgrade") is not the job's.
    assert nextjs.places[0] == {"country": "Croatia", "region": None, "city": None}
    assert nextjs.tags == ["AI Engineering"]  # department and team agree


def test_real_board_2025_normalised(real: Callable[[str], bytes]) -> None:
    analyst = listing_by_id(
        parse_normalised("ashby", real("ashby-2.json")), "e170b3c0-42c9-4bab-8afb-69c3b2f714b6"
    )
    assert (analyst.salary_min, analyst.salary_max, analyst.salary_currency, analyst.salary_period) == (
        100000,
        110000,
        "USD",
        "year",
    )
    assert analyst.remote == "remote"
    assert analyst.posted_at is not None and analyst.posted_at.tzinfo is not None


def test_sample_board(sample: Callable[[str], bytes]) -> None:
    page = parse("ashby", sample("ashby.json"), board="harbor-labs")
    # the fifth job is isListed=false: dropped without a warning
    assert page.warnings == []
    assert [job.title for job in page.listings] == [
        "Senior Backend Engineer (Python)",
        "Backend Engineer, Integrations",
        "Software Engineering Intern, Python",
        "Marketing Manager",
    ]
    senior = page.listings[0]
    assert senior.company == "Harbor Labs"
    # the Salary component, not the summary that also carries equity
    assert (senior.salary_min, senior.salary_max, senior.salary_currency, senior.salary_period) == (
        160000,
        200000,
        "USD",
        "year",
    )
    assert senior.remote == "remote"
    integrations = page.listings[1]
    assert integrations.location_raw == "Lisbon; Madrid"
    assert [place["city"] for place in integrations.places] == ["Lisbon", "Madrid"]
    assert integrations.remote == "hybrid"
    intern = page.listings[2]
    assert (intern.salary_min, intern.salary_max, intern.salary_period) == (40, 48, "hour")
    assert intern.employment_type == "Intern"
    assert page.listings[3].salary_min is None


def test_sample_normalised(sample: Callable[[str], bytes]) -> None:
    listings = parse_normalised("ashby", sample("ashby.json"), board="harbor-labs")
    senior = listing_by_id(listings, "6d1e2f3a-4b5c-4d6e-8f70-81a2b3c4d5e6")
    assert senior.posted_at == datetime(2026, 7, 22, 14, 5, 11, 402000, tzinfo=UTC)
    assert senior.employment_type == "full_time"
    assert senior.python_backend is True
    assert listing_by_id(listings, "903a4b5c-6d7e-4f80-bc93-b4d5e6f70819").python_backend is False


def _component(currency: str, interval: str, low: float, high: float, kind: str = "Salary") -> dict[str, Any]:
    return {
        "compensationType": kind,
        "interval": interval,
        "currencyCode": currency,
        "minValue": low,
        "maxValue": high,
    }


def test_salary_spans_tiers_of_one_currency() -> None:
    compensation = {
        "compensationTiers": [
            {
                "components": [
                    _component("USD", "1 YEAR", 150000, 180000),
                    _component("USD", "NONE", 1, 2, "Bonus"),
                ]
            },
            {"components": [_component("USD", "1 YEAR", 170000, 210000)]},
            {"components": [_component("EUR", "1 YEAR", 90000, 110000)]},
        ]
    }
    assert salary(compensation) == (150000, 210000, "USD", "year")


def test_salary_falls_back_to_summary_components_then_text() -> None:
    assert salary({"summaryComponents": [_component("GBP", "1 MONTH", 5000, 6000)]}) == (
        5000,
        6000,
        "GBP",
        "month",
    )
    assert salary({"compensationTiers": [{"components": [_component("USD", "2 WEEK", 4000, 5000)]}]}) == (
        None,
        None,
        None,
        None,
    )
    item = {
        "id": "j1",
        "title": "Python Developer",
        "jobUrl": "https://jobs.ashbyhq.com/acme/j1",
        "compensation": {
            "compensationTierSummary": "$90K – $120K • Offers Equity",
            "scrapeableCompensationSalarySummary": "$90K - $120K",
        },
    }
    job = parse("ashby", json.dumps({"jobs": [item]}).encode()).listings[0]
    assert job.salary_min is None
    assert job.salary_text == "$90K - $120K"


@pytest.mark.parametrize("payload", [b"\x00\x01", b"[]", b'{"jobs": null}', b'{"success": false}'])
def test_not_an_ashby_document(payload: bytes) -> None:
    with pytest.raises(ParseError, match=r"^ashby: "):
        parse("ashby", payload)


def test_broken_items_are_skipped_with_warnings() -> None:
    jobs = [
        {
            "id": "a",
            "title": "Django Engineer",
            "jobUrl": "https://jobs.ashbyhq.com/acme/a",
            "compensation": [],
            "secondaryLocations": "Paris",
            "address": 4,
        },
        17,
        {"title": "No id"},
        {"id": "b", "title": "FastAPI Engineer", "isRemote": "yes", "workplaceType": 3, "publishedAt": 5},
    ]
    page = parse("ashby", json.dumps({"jobs": jobs}).encode(), board="acme")
    assert [job.external_id for job in page.listings] == ["a", "b"]
    assert len(page.warnings) == 2
    assert page.warnings[0].startswith("ashby: item 1 skipped")
    assert page.listings[0].places == [] and page.listings[0].salary_min is None
    assert page.listings[1].remote is None


def test_company_from_job_url_without_board(real: Callable[[str], bytes]) -> None:
    page = parse("ashby", real("ashby-2.json"))
    assert {job.company for job in page.listings} == {"Makai Labs"}
    item = {"id": "z", "title": "Python Developer", "jobUrl": "https://example.org/careers/z"}
    assert parse("ashby", json.dumps({"jobs": [item]}).encode()).listings[0].company is None
