"""Arbeitnow adapter: the real capture (data only), the sample with paging links, broken input."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from aggregator.errors import ParseError
from scrapers import sources
from tests.sources.conftest import by_id, parse, parse_normalised, raw_by_id

API = "https://www.arbeitnow.com/api/job-board-api"



def test_defaults() -> None:
    defaults = sources.get("arbeitnow").defaults
    assert defaults.url == API
    assert defaults.max_pages > 1  # paged by links.next


def test_real_capture_without_links(real: Callable[[str], bytes]) -> None:
    page = parse("arbeitnow", real("arbeitnow-1.json"), url=API)
    assert page.warnings == [] and page.follow == []
    assert len(page.listings) == 5
    kausable = raw_by_id(page.listings, "ml-product-engineer-heidelberg-60723")
    assert kausable.title == "ML Product Engineer"
    assert kausable.company == "kausable GmbH"
    assert (
        kausable.url
        == "https://www.arbeitnow.com/jobs/companies/kausable-gmbh/ml-product-engineer-heidelberg-60723"
    )
    assert kausable.location_raw == "Heidelberg"
    assert kausable.remote is None  # `remote: false` is "not fully remote": on-site or hybrid
    assert kausable.posted_at == 1785792634
    assert kausable.seniority == "professional / experienced"
    assert kausable.employment_type is None
    assert kausable.tags == ["Data Scientist"]
    # Same company, same second: still two postings.
    assert raw_by_id(page.listings, "machine-meta-learner-heidelberg-235959").posted_at == 1785792634


def test_real_entity_escaped_description_becomes_html(real: Callable[[str], bytes]) -> None:
    listings = parse("arbeitnow", real("arbeitnow-1.json")).listings
    moonfare = raw_by_id(listings, "director-of-data-berlin-456700")
    assert moonfare.description_html is not None
    assert moonfare.description_html.startswith("<p><strong>Director of Data (m/f/d)</strong></p>")
    # Arbeitnow's own footer after the escaped body stays a link.
    assert moonfare.description_html.endswith(
        '<a href="https://www.arbeitnow.com">Jobs in Germany</a> on Arbeitnow</a>'
    )
    assert "&lt;" not in moonfare.description_html
    assert raw_by_id(listings, "senior-product-owner-hamburg-berlin-302643").location_raw == "Hamburg, Berlin"


def test_real_normalised(real: Callable[[str], bytes]) -> None:
    moonfare = by_id(
        parse_normalised("arbeitnow", real("arbeitnow-1.json")), "director-of-data-berlin-456700"
    )
    assert moonfare.title == "Director of Data (m/f/d)"
    assert moonfare.company == "Moonfare"
    assert moonfare.remote != "remote"
    assert moonfare.posted_at == datetime(2026, 8, 3, 21, 16, 18, tzinfo=UTC)
    assert moonfare.description_text is not None and "<p>" not in moonfare.description_text


def test_sample_page_and_its_next_link(sample: Callable[[str], bytes]) -> None:
    page = parse("arbeitnow", sample("arbeitnow.json"), url=API)
    assert page.warnings == []
    assert page.follow == []  # the sample is a single page: `links.next` is null
    document = json.loads(sample("arbeitnow.json"))
    document["links"]["next"] = f"{API}?page=2"
    assert parse("arbeitnow", json.dumps(document).encode(), url=API).follow == [f"{API}?page=2"]
    assert len(page.listings) == 5
    kranich = raw_by_id(page.listings, "senior-python-backend-engineer-berlin-481236")
    assert kranich.title == "Senior Python Backend Engineer (m/w/d)"
    assert kranich.company == "Kranich Logistik GmbH"
    assert (kranich.employment_type, kranich.seniority) == ("full time", "professional / experienced")
    assert kranich.remote is None
    sonnenfeld = raw_by_id(page.listings, "backend-developer-django-remote-munich-377120")
    assert sonnenfeld.remote is True and sonnenfeld.location_raw == "Munich"
    student = raw_by_id(page.listings, "werkstudent-python-data-engineering-hamburg-209915")
    assert student.employment_type == "part time"
    assert student.description_html is not None and student.description_html.startswith("<p>Du unterstützt")


def test_sample_normalised(sample: Callable[[str], bytes]) -> None:
    listings = parse_normalised("arbeitnow", sample("arbeitnow.json"))
    sonnenfeld = by_id(listings, "backend-developer-django-remote-munich-377120")
    assert sonnenfeld.remote == "remote"
    assert sonnenfeld.employment_type == "full_time"
    assert sonnenfeld.posted_at == datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
    assert (
        sonnenfeld.url
        == "https://www.arbeitnow.com/jobs/companies/sonnenfeld-energy/backend-developer-django-remote-munich-377120"
    )


def test_last_page_and_unsafe_next_links_are_not_followed() -> None:
    item = {"slug": "python-dev-1", "title": "Python Dev", "created_at": 1767600000, "job_types": []}
    last = {"data": [item], "links": {"next": None}}
    assert parse("arbeitnow", json.dumps(last).encode()).follow == []
    odd = {"data": [item], "links": {"next": "javascript:alert(1)"}}
    assert parse("arbeitnow", json.dumps(odd).encode()).follow == []
    empty = {"data": [], "links": {"next": f"{API}?page=9"}}
    assert parse("arbeitnow", json.dumps(empty).encode()).follow == []


@pytest.mark.parametrize("payload", [b"", b"<!doctype html><p>429</p>", b"[]", b'{"data": null}'])
def test_not_an_arbeitnow_document(payload: bytes) -> None:
    with pytest.raises(ParseError, match=r"^arbeitnow: "):
        parse("arbeitnow", payload)


def test_broken_items_are_skipped_with_warnings() -> None:
    payload = {
        "data": [
            {
                "slug": "ok-1",
                "title": "Backend Engineer",
                "remote": "yes",
                "job_types": "full time",
                "created_at": "x",
            },
            {"title": "No slug"},
            42,
        ]
    }
    page = parse("arbeitnow", json.dumps(payload).encode())
    assert [job.external_id for job in page.listings] == ["ok-1"]
    job = page.listings[0]
    assert (job.remote, job.employment_type, job.posted_at) == (None, "full time", None)
    assert page.warnings == [
        "arbeitnow: item 1 skipped: no slug or title",
        "arbeitnow: item 2 skipped: not an object",
    ]
