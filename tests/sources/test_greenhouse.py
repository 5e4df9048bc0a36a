"""Greenhouse adapter: real boards (content=false and content=true), the project's sample, bad input."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from aggregator.errors import ParseError
from scrapers.sources.greenhouse import pay_range
from tests.sources.conftest import listing_by_id, parse, parse_normalised, raw_by_id


def test_real_board_without_content(real: Callable[[str], bytes]) -> None:
    page = parse("greenhouse", real("greenhouse-1.json"), board="anthropic")
    assert len(page.listings) == 449
    assert page.warnings == []
    assert page.follow == []
    job = raw_by_id(page.listings, "5074975008")
    assert job.title == "Account Coordinator"
    assert job.company == "Anthropic"
    assert job.url == "https://job-boards.greenhouse.io/anthropic/jobs/5074975008"
    assert job.location_raw == "New York City, NY; San Francisco, CA"
    # first_published wins over updated_at (2026-03-10, the day the whole board was touched)
    assert job.posted_at == "2026-02-12T21:06:57-05:00"
    assert job.description_html is None  # content=false sends no description
    assert job.salary_text is None
    assert job.remote is None  # the "Location Type" metadata value is null


@pytest.mark.parametrize(
    ("external_id", "remote"),
    [("4978296008", "onsite"), ("4502508008", "hybrid"), ("4985140008", "remote"), ("5074975008", None)],
)
def test_real_location_type_metadata(
    real: Callable[[str], bytes], external_id: str, remote: str | None
) -> None:
    page = parse("greenhouse", real("greenhouse-1.json"), board="anthropic")
    assert raw_by_id(page.listings, external_id).remote == remote


def test_real_multi_place_location_and_trimmed_title(real: Callable[[str], bytes]) -> None:
    job = raw_by_id(parse("greenhouse", real("greenhouse-1.json")).listings, "4985140008")
    assert job.title == "Business Systems Analyst"
    assert job.location_raw == (
        "Boston, MA; Remote-Friendly (Travel-Required) | San Francisco, CA | Seattle, WA | "
        "New York City, NY; Washington, DC"
    )


def test_real_posted_at_normalises_to_utc(real: Callable[[str], bytes]) -> None:
    listing = listing_by_id(parse_normalised("greenhouse", real("greenhouse-1.json")), "4988878008")
    assert listing.title == "Staff Software Engineer, Claude Developer Platform (Backend)"
    assert listing.posted_at == datetime(2025, 11, 14, 16, 30, 40, tzinfo=UTC)


def test_real_board_with_escaped_content(real: Callable[[str], bytes]) -> None:
    page = parse("greenhouse", real("greenhouse-2.json"), board="stripe")
    assert [job.external_id for job in page.listings] == ["7954688", "8023928", "8077887", "8042978"]
    job = raw_by_id(page.listings, "7954688")
    assert job.company == "Stripe"
    assert job.url == "https://stripe.com/jobs/search?gh_jid=7954688"
    assert job.location_raw == "San Francisco, CA"
    assert job.tags == ["1654 Account Executives (AI)"]
    assert job.posted_at == "2026-06-02T08:58:57-04:00"
    assert job.description_html is not None
    assert job.description_html.startswith("<h2>Who we are</h2>\n<h3>About Stripe</h3>")
    assert "&lt;" not in job.description_html
    assert job.salary_text is None  # Stripe's content has no pay-range block
    assert raw_by_id(page.listings, "8077887").title == "Account Executive, Bridge"
    assert raw_by_id(page.listings, "8077887").location_raw == "SF, NYC, SEA, CHI"


def test_real_description_text_has_no_markup(real: Callable[[str], bytes]) -> None:
    listing = listing_by_id(
        parse_normalised("greenhouse", real("greenhouse-2.json"), board="stripe"), "8023928"
    )
    assert listing.description_text is not None
    assert "Who we are" in listing.description_text
    assert "<" not in listing.description_text and "&nbsp;" not in listing.description_text


def test_sample_board(sample: Callable[[str], bytes]) -> None:
    page = parse("greenhouse", sample("greenhouse.json"), board="tidewater")
    assert page.warnings == []
    assert len(page.listings) == 4
    job = raw_by_id(page.listings, "4410023001")
    assert job.title == "Senior Backend Engineer (Python/Django)"
    assert job.company == "Tidewater Analytics"
    assert job.remote == "remote"
    assert job.salary_text == "Annual Base Salary: $150,000 - $185,000 USD"
    assert job.tags == ["Engineering"]
    staff = raw_by_id(page.listings, "4410023003")
    assert staff.posted_at == "2026-07-25T15:45:00-04:00"  # no first_published: updated_at
    assert staff.location_raw == "New York, NY | Remote-Friendly (US)"
    assert raw_by_id(page.listings, "4410023004").salary_text is None


def test_sample_normalised_pay(sample: Callable[[str], bytes]) -> None:
    listings = parse_normalised("greenhouse", sample("greenhouse.json"), board="tidewater")
    senior = listing_by_id(listings, "4410023001")
    assert (senior.salary_min, senior.salary_max, senior.salary_currency, senior.salary_period) == (
        150000,
        185000,
        "USD",
        "year",
    )
    assert senior.posted_at == datetime(2026, 7, 14, 13, 30, tzinfo=UTC)
    payments = listing_by_id(listings, "4410023002")
    assert (payments.salary_min, payments.salary_max, payments.salary_currency) == (75000, 95000, "EUR")
    assert listing_by_id(listings, "4410023004").python_backend is False


def test_pay_range_block() -> None:
    content = (
        '<p>Intro</p><div class="content-pay-transparency"><div class="pay-input">'
        '<div class="description"><p>Ranges vary by location.</p></div>'
        '<div class="title">Hourly Pay Range</div><div class="pay-range"><span>$45</span>'
        '<span class="divider">&mdash;</span><span>$60 USD</span></div></div></div>'
    )
    assert pay_range(content) == "Hourly Pay Range: $45 - $60 USD"
    assert pay_range('<div class="pay-range"><span>£70,000</span></div>') == "£70,000"
    assert pay_range("<p>Competitive salary and equity.</p>") is None


def test_company_falls_back_to_board_name() -> None:
    payload = json.dumps({"jobs": [{"id": 1, "title": "Backend Engineer", "location": None,
                                    "absolute_url": "https://job-boards.greenhouse.io/acmerobotics/jobs/1"}]}).encode()
    job = parse("greenhouse", payload, board="acme-robotics").listings[0]
    assert job.company == "Acme Robotics"
    assert job.location_raw is None
    assert parse("greenhouse", payload).listings[0].company is None


def test_offices_when_location_is_missing() -> None:
    item = {"id": 2, "title": "Python Developer", "offices": [{"name": "Berlin"}, {"name": "Remote EU"}],
            "absolute_url": "https://job-boards.greenhouse.io/acme/jobs/2"}
    job = parse("greenhouse", json.dumps({"jobs": [item]}).encode()).listings[0]
    assert job.location_raw == "Berlin; Remote EU"


@pytest.mark.parametrize(
    "payload",
    [b"<html>Not found</html>", b"[]", b'{"jobs": "none"}', b'{"error": "board not found"}'],
)
def test_not_a_greenhouse_document(payload: bytes) -> None:
    with pytest.raises(ParseError, match=r"^greenhouse: "):
        parse("greenhouse", payload)


def test_broken_items_are_skipped_with_warnings() -> None:
    jobs = [
        {"id": 10, "title": "Django Engineer", "metadata": [{"name": "Location Type", "value": ["x"]}],
         "absolute_url": "https://job-boards.greenhouse.io/acme/jobs/10"},
        "not an object",
        {"id": 11},
        {"id": 12, "title": "FastAPI Engineer", "location": "Paris", "metadata": "none", "departments": 3},
    ]
    page = parse("greenhouse", json.dumps({"jobs": jobs}).encode())
    assert [job.external_id for job in page.listings] == ["10", "12"]
    assert len(page.warnings) == 2
    assert page.warnings[0].startswith("greenhouse: item 1 skipped")
    assert page.listings[0].remote is None
    assert page.listings[1].location_raw is None
    assert page.listings[1].tags == []
