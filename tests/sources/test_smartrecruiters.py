"""SmartRecruiters adapter: the real list page, the project's list and detail samples, paging, the
detail URLs it follows (and refuses), bad input, and re-reading stored items."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from aggregator.errors import ParseError
from scrapers import sources
from scrapers.sources.base import ParseContext
from scrapers.sources.smartrecruiters import detail_url, next_page_url
from tests.sources.conftest import listing_by_id, parse, parse_normalised, raw_by_id

API = "https://api.smartrecruiters.com/v1/companies"
HIREVUE = f"{API}/hirevue/postings?limit=100&offset=0"
INITECH = f"{API}/initech/postings?limit=100&offset=0"
INTERN, DEAL_DESK, IMPLEMENTATION = "744000138728139", "744000136509359", "744000133640099"
PYTHON, PAYMENTS, SUCCESS, ANALYST = "743999100000101", "743999100000102", "743999100000103", "743999100000104"




def _posting(external_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "id": external_id,
        "name": f"Python Developer {external_id}",
        "company": {"identifier": "acme", "name": "Acme"},
        "ref": f"{API}/acme/postings/{external_id}",
        **fields,
    }


def _list_page(*items: Any, offset: int = 0, limit: int = 100, total: int | None = None) -> bytes:
    document: dict[str, Any] = {"offset": offset, "limit": limit, "content": list(items)}
    if total is not None:
        document["totalFound"] = total
    return json.dumps(document).encode()


def test_defaults() -> None:
    defaults = sources.get("smartrecruiters").defaults
    assert defaults.url == f"{API}/{{board}}/postings?limit=100&offset=0"
    assert defaults.content_types == ("application/json",)
    assert defaults.max_pages >= 300  # 3 list pages and a detail page per posting
    assert defaults.rate <= 2.0  # a fifth of the Posting API's 10 requests a second


def test_real_list_page(real: Callable[[str], bytes]) -> None:
    page = parse("smartrecruiters", real("smartrecruiters-1.json"), board="hirevue", url=HIREVUE)
    assert page.warnings == []
    assert [job.title for job in page.listings] == [
        "Data Science Intern | Fully Remote US",
        "Deal Desk Analyst | Fully Remote Poland and UK",
        "Implementation Manager | Fully Remote Poland",
    ]
    intern = raw_by_id(page.listings, INTERN)
    assert intern.company == "HireVue Inc"
    assert intern.url == f"https://jobs.smartrecruiters.com/HireVue/{INTERN}"
    assert intern.apply_url is None  # only the detail document has one
    # Fully remote: "Sandy, UT" is the office SmartRecruiters makes every posting name, not a workplace.
    assert intern.location_raw == "United States"
    assert intern.places == [{"country": "US", "region": None, "city": None}]
    assert intern.remote == "remote"
    assert intern.employment_type == "Part-time"
    assert intern.seniority == "Internship"
    assert intern.tags == ["Data Science"]  # function "Other" says nothing
    assert intern.posted_at == "2026-07-20T20:54:18.136Z"
    assert intern.description_html is None  # the list endpoint has no text
    deal = raw_by_id(page.listings, DEAL_DESK)
    assert deal.location_raw == "Poland"  # fullLocation "Warsaw, , Poland", fully remote
    assert deal.places == [{"country": "PL", "region": None, "city": None}]
    assert (deal.employment_type, deal.seniority) == ("Full-time", "Associate")
    assert deal.tags == ["Sales"]
    implementation = raw_by_id(page.listings, IMPLEMENTATION)
    assert implementation.places == [{"country": "PL", "region": None, "city": None}]
    assert implementation.tags == ["Professional Services", "Consulting"]
    assert implementation.posted_at == "2026-06-23T15:31:20.992Z"


def test_real_fully_remote_postings_name_no_office_city(real: Callable[[str], bytes]) -> None:
    """All three HireVue postings are "Fully Remote …" (`remote: true, hybrid: false`) yet name an office
    city; a fully remote role is placed in its country only."""
    listings = parse_normalised("smartrecruiters", real("smartrecruiters-1.json"), board="hirevue")
    where = {job.external_id: (job.remote, job.location_raw, [(loc.country, loc.region, loc.city)
                                                              for loc in job.locations]) for job in listings}
    assert where == {
        INTERN: ("remote", "United States", [("US", None, None)]),  # was Sandy, UT
        DEAL_DESK: ("remote", "Poland", [("PL", None, None)]),  # was Warsaw
        IMPLEMENTATION: ("remote", "Poland", [("PL", None, None)]),  # was Warsaw, Masovian Voivodeship
    }


@pytest.mark.parametrize(
    ("location", "expected_raw", "expected_places"),
    [
        # Hybrid and on-site postings keep the office they are tied to.
        ({"city": "Austin", "region": "TX", "country": "us", "remote": True, "hybrid": True,
          "fullLocation": "Austin, TX, United States"}, "Austin, TX, United States",
         [{"country": "US", "region": "TX", "city": "Austin"}]),
        ({"city": "Austin", "region": "TX", "country": "us", "remote": False,
          "fullLocation": "Austin, TX, United States"}, "Austin, TX, United States",
         [{"country": "US", "region": "TX", "city": "Austin"}]),
        # Fully remote without fullLocation: the country code is all that is left.
        ({"city": "Austin", "region": "TX", "country": "us", "remote": True}, "US",
         [{"country": "US", "region": None, "city": None}]),
        # Without a country, the last part of "Austin, TX" is a region, not a country: nothing is claimed.
        ({"city": "Austin", "region": "TX", "remote": True, "fullLocation": "Austin, TX"}, None, []),
        # Unknown flags: the location stays as stated.
        ({"city": "Austin", "country": "us", "remote": "yes", "fullLocation": "Austin, United States"},
         "Austin, United States", [{"country": "US", "region": None, "city": "Austin"}]),
    ],
)
def test_office_city_only_dropped_when_fully_remote(location: dict[str, Any], expected_raw: str | None,
                                                    expected_places: list[dict[str, str | None]]) -> None:
    [job] = parse("smartrecruiters", _list_page(_posting("12", location=location), total=1)).listings
    assert (job.location_raw, job.places) == (expected_raw, expected_places)


def test_real_list_page_follows_next_page_then_details(real: Callable[[str], bytes]) -> None:
    page = parse("smartrecruiters", real("smartrecruiters-1.json"), board="hirevue", url=HIREVUE)
    # The capture was trimmed to 3 of totalFound 5, so 2 postings remain past offset 3.
    assert page.follow == [
        f"{API}/hirevue/postings?limit=100&offset=3",
        f"{API}/hirevue/postings/{INTERN}",
        f"{API}/hirevue/postings/{DEAL_DESK}",
        f"{API}/hirevue/postings/{IMPLEMENTATION}",
    ]


def test_real_list_page_without_url_or_board(real: Callable[[str], bytes]) -> None:
    page = parse("smartrecruiters", real("smartrecruiters-1.json"))
    assert page.follow[0] == f"{API}/HireVue/postings?limit=100&offset=3"  # the payload's own identifier
    assert raw_by_id(page.listings, INTERN).company == "HireVue Inc"


def test_real_list_page_normalised(real: Callable[[str], bytes]) -> None:
    listings = parse_normalised("smartrecruiters", real("smartrecruiters-1.json"), board="hirevue")
    intern = listing_by_id(listings, INTERN)
    assert intern.remote == "remote"
    assert [(loc.country, loc.region, loc.city) for loc in intern.locations] == [("US", None, None)]
    assert intern.employment_type == "internship"  # "Part-time", but the title names an internship
    assert intern.seniority == "intern"
    assert intern.posted_at == datetime(2026, 7, 20, 20, 54, 18, 136000, tzinfo=UTC)
    assert intern.python_backend is False
    deal = listing_by_id(listings, DEAL_DESK)
    assert deal.remote == "remote"
    assert deal.location_raw == "Poland"
    # The title's "Poland and UK" is not read for places: only the structured country is.
    assert [(loc.country, loc.city) for loc in deal.locations] == [("PL", None)]
    assert deal.employment_type == "full_time"
    assert deal.seniority == "mid"  # "Associate": between Entry level and Mid-Senior level
    implementation = listing_by_id(listings, IMPLEMENTATION)
    assert [loc.country for loc in implementation.locations] == ["PL"]
    assert implementation.tags == ["Professional Services", "Consulting"]


def test_sample_list_page(sample: Callable[[str], bytes]) -> None:
    page = parse("smartrecruiters", sample("smartrecruiters.json"), board="initech", url=INITECH)
    assert page.warnings == []
    assert len(page.listings) == 4
    # totalFound 4 and 4 postings: the last page, so only the detail pages are followed.
    assert page.follow == [f"{API}/initech/postings/{external_id}" for external_id in
                           (PYTHON, PAYMENTS, SUCCESS, ANALYST)]
    python = raw_by_id(page.listings, PYTHON)
    assert python.title == "Senior Python Backend Engineer"
    assert python.company == "Initech"
    assert python.remote == "hybrid"
    assert python.places == [{"country": "DE", "region": "Berlin", "city": "Berlin"}]
    assert python.tags == ["Engineering"]  # department and function agree
    assert python.seniority == "Mid-Senior Level"
    success = raw_by_id(page.listings, SUCCESS)
    assert success.remote == "onsite"  # remote and hybrid both false
    assert success.tags == ["Customer Success"]
    analyst = raw_by_id(page.listings, ANALYST)
    assert analyst.remote == "onsite"  # no location flags: read from the "Workplace type" custom field
    assert analyst.employment_type == "Internship"
    payments = raw_by_id(page.listings, PAYMENTS)
    assert payments.location_raw == "Poland"  # fully remote: Kraków is the office
    assert payments.remote == "remote"
    assert payments.url == f"https://jobs.smartrecruiters.com/Initech/{PAYMENTS}"


def test_sample_list_page_normalised(sample: Callable[[str], bytes]) -> None:
    listings = parse_normalised("smartrecruiters", sample("smartrecruiters.json"), board="initech")
    python = listing_by_id(listings, PYTHON)
    assert python.python_backend is True  # the title says so, even without the text
    assert python.remote == "hybrid"
    assert python.seniority == "senior"
    # A generic backend title without its text is not enough: the detail page decides.
    assert listing_by_id(listings, PAYMENTS).python_backend is False
    assert listing_by_id(listings, SUCCESS).python_backend is False
    analyst = listing_by_id(listings, ANALYST)
    assert (analyst.employment_type, analyst.seniority) == ("internship", "intern")
    assert [(loc.country, loc.city) for loc in analyst.locations] == [("GB", "London")]


def test_sample_detail_document(sample: Callable[[str], bytes]) -> None:
    page = parse("smartrecruiters", sample("smartrecruiters_posting_102.json"), board="initech",
                 url=f"{API}/initech/postings/{PAYMENTS}")
    assert page.warnings == [] and page.follow == []
    [payments] = page.listings
    assert payments.external_id == PAYMENTS  # the same id as the list entry, which it supersedes
    assert payments.title == "Backend Engineer, Payments"
    assert payments.url == f"https://jobs.smartrecruiters.com/Initech/{PAYMENTS}-backend-engineer-payments"
    assert payments.apply_url == f"https://jobs.smartrecruiters.com/Initech/{PAYMENTS}-backend-engineer-payments?oga=true"
    assert payments.company == "Initech"
    assert payments.location_raw == "Poland"
    assert payments.places == [{"country": "PL", "region": None, "city": None}]
    assert payments.remote == "remote"
    assert payments.employment_type == "Full-time"
    assert payments.tags == ["Engineering", "Information Technology"]
    assert payments.posted_at == "2026-07-10T12:05:41.512Z"
    description = payments.description_html
    assert description is not None
    assert description.startswith("<h3>Company Description</h3>\n<p>Initech makes invoicing")
    headings = [line for line in description.split("\n") if line.startswith("<h3>")]
    assert headings == [
        "<h3>Company Description</h3>",
        "<h3>Job Description</h3>",
        "<h3>Qualifications</h3>",
        "<h3>Pay &amp; Benefits</h3>",  # a title is text, escaped
    ]
    assert "<li>Write FastAPI endpoints and Celery workers backed by PostgreSQL</li>" in description
    assert description.endswith("a yearly learning budget.</p>")  # the videos section has no text


def test_sample_detail_document_normalised(sample: Callable[[str], bytes]) -> None:
    [payments] = parse_normalised("smartrecruiters", sample("smartrecruiters_posting_102.json"), board="initech")
    assert payments.python_backend is True  # what the list entry alone could not tell
    assert {"Python", "FastAPI", "PostgreSQL", "Celery"} <= set(payments.skills)
    assert (payments.salary_min, payments.salary_max, payments.salary_currency, payments.salary_period) == (
        18000,
        24000,
        "PLN",
        "month",
    )
    assert payments.seniority == "mid"  # the "Associate" level (the text asks for 3+ years, mid too)
    assert payments.description_text is not None
    assert payments.description_text.startswith("Company Description\n\nInitech makes invoicing")


def test_last_page_is_not_followed_further() -> None:
    items = [_posting(str(n)) for n in range(200, 205)]
    page = parse("smartrecruiters", _list_page(*items, offset=200, total=205),
                 url=f"{API}/acme/postings?limit=100&offset=200")
    assert len(page.listings) == 5
    assert page.follow == [f"{API}/acme/postings/{n}" for n in range(200, 205)]


def test_middle_page_follows_the_next_offset() -> None:
    items = [_posting(str(n)) for n in range(100, 200)]
    page = parse("smartrecruiters", _list_page(*items, offset=100, total=450),
                 url=f"{API}/acme/postings?limit=100&offset=100")
    assert page.follow[0] == f"{API}/acme/postings?limit=100&offset=200"
    assert len(page.follow) == 101


def test_empty_page_follows_nothing() -> None:
    # An empty page ends the walk even when totalFound (stale, or a lie) says there is more.
    page = parse("smartrecruiters", _list_page(offset=300, total=1000), url=f"{API}/acme/postings?limit=100&offset=300")
    assert page.listings == [] and page.follow == [] and page.warnings == []


@pytest.mark.parametrize(
    ("url", "document", "count", "expected"),
    [
        (INITECH, {"offset": 0, "limit": 100, "totalFound": 250}, 100, f"{API}/initech/postings?limit=100&offset=100"),
        (INITECH, {"offset": 0, "limit": 100, "totalFound": 100}, 100, None),
        # No totalFound: only a full page suggests there is another.
        (INITECH, {"offset": 0, "limit": 100}, 100, f"{API}/initech/postings?limit=100&offset=100"),
        (INITECH, {"offset": 0, "limit": 100}, 37, None),
        # The offset read from the URL when the document has none (or a wrong type).
        (f"{API}/initech/postings?offset=20&limit=10", {"offset": "20", "totalFound": 50}, 10,
         f"{API}/initech/postings?offset=30&limit=10"),
        (f"{API}/initech/postings", {"offset": 0, "limit": 10, "totalFound": 12}, 10,
         f"{API}/initech/postings?offset=10"),
        # A boolean is no count: the full page decides.
        (INITECH, {"offset": 0, "totalFound": True}, 100, f"{API}/initech/postings?limit=100&offset=100"),
        (INITECH, {"offset": 0, "totalFound": 500}, 0, None),
        (None, {"offset": 0, "totalFound": 500}, 100, None),
    ],
)
def test_next_page_url(url: str | None, document: dict[str, Any], count: int, expected: str | None) -> None:
    assert next_page_url(url, document, count) == expected


def test_server_ignoring_the_offset_does_not_loop() -> None:
    items = [_posting(str(n)) for n in range(100)]
    url = f"{API}/acme/postings?limit=100&offset=100"
    page = parse("smartrecruiters", _list_page(*items, offset=0, total=1000), url=url)
    assert url not in page.follow


@pytest.mark.parametrize("posting_id", ["../admin", "1/2", "1?x=y", "1#top", "%2e%2e", "a b", "", "1" * 65])
def test_ids_that_are_not_plain_tokens_are_not_followed(posting_id: str) -> None:
    assert detail_url(f"{API}/acme/postings?limit=100&offset=0", posting_id) is None


def test_detail_url_stays_on_the_configured_host() -> None:
    assert detail_url(f"{API}/acme/postings?limit=100&offset=0", "744000138728139") == (
        f"{API}/acme/postings/744000138728139")
    # A mirror or a test server the operator configured: the details are read from it too.
    assert detail_url("http://127.0.0.1:8080/sr/v1/companies/acme/postings/?offset=100#x", "7") == (
        "http://127.0.0.1:8080/sr/v1/companies/acme/postings/7")
    assert detail_url(None, "7") is None


def test_the_payloads_ref_is_never_followed() -> None:
    evil = _posting("2", ref="https://internal.example/admin")
    page = parse("smartrecruiters", _list_page(_posting("1"), evil, _posting("../3"), total=3),
                 url=f"{API}/acme/postings?limit=100&offset=0")
    assert [job.external_id for job in page.listings] == ["1", "2", "../3"]  # the listings themselves are kept
    assert page.follow == [f"{API}/acme/postings/1", f"{API}/acme/postings/2"]


def test_list_entry_without_company_is_named_after_the_board() -> None:
    item = {"id": "7", "name": "Django Developer", "location": {"remote": "yes", "country": "Deutschland"}}
    [job] = parse("smartrecruiters", _list_page(item, total=1), board="acme-robotics").listings
    assert job.company == "Acme Robotics"
    assert job.url == "https://jobs.smartrecruiters.com/acme-robotics/7"
    assert job.remote is None  # a flag that is not a boolean says nothing
    assert job.places == [{"country": "Deutschland", "region": None, "city": None}]
    assert job.location_raw == "Deutschland"


def test_location_parts_when_full_location_is_missing() -> None:
    item = _posting("8", location={"city": "Austin", "region": "TX", "country": "us", "remote": False})
    [job] = parse("smartrecruiters", _list_page(item, total=1)).listings
    assert job.location_raw == "Austin, TX, US"
    assert job.remote == "onsite"  # remote false, hybrid not stated


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        ({"remote": True, "hybrid": True}, "hybrid"),  # partly in an office is the narrower claim
        ({"remote": True, "hybrid": False}, "remote"),
        ({"remote": False, "hybrid": True}, "hybrid"),
        ({"remote": False, "hybrid": False}, "onsite"),
        ({"remote": False}, "onsite"),  # older postings have no hybrid flag
        ({"remote": False, "hybrid": None}, "onsite"),
        ({"remote": False, "hybrid": "yes"}, None),
        ({"remote": "true"}, None),
        ({}, None),
    ],
)
def test_remote_flags(location: dict[str, Any], expected: str | None) -> None:
    [job] = parse("smartrecruiters", _list_page(_posting("9", location=location), total=1)).listings
    assert job.remote == expected


def test_custom_fields_only_fill_what_standard_fields_leave_unsaid() -> None:
    fields = [{"fieldLabel": "Work Model", "valueLabel": "Remote"},
              {"fieldLabel": "Employment type", "valueLabel": "Contract"}]
    unstated = _posting("10", customField=fields)
    stated = _posting("11", customField=fields, location={"remote": False, "hybrid": True},
                      typeOfEmployment={"id": "permanent", "label": "Full-time"})
    first, second = parse("smartrecruiters", _list_page(unstated, stated, total=2)).listings
    assert (first.remote, first.employment_type) == ("remote", "Contract")
    assert (second.remote, second.employment_type) == ("hybrid", "Full-time")


@pytest.mark.parametrize("payload", [b"", b"<!doctype html><title>503</title>", b'"text"', b"[]", b"[{\"id\": \"1\"}]",
                                     b'{"postings": []}', b'{"content": "none"}'])
def test_not_a_smartrecruiters_document(payload: bytes) -> None:
    with pytest.raises(ParseError, match=r"^smartrecruiters: "):
        parse("smartrecruiters", payload)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b'{"message": "Company not found"}', "Company not found"),
        (b'{"errors": [{"code": "NOT_FOUND", "message": "Posting not found"}]}', "Posting not found"),
    ],
)
def test_api_error_object(payload: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        parse("smartrecruiters", payload)


def test_broken_items_are_skipped_with_warnings() -> None:
    items = [
        _posting("1", location="Berlin", company=["Acme"], department={"label": 5}, function=None,
                 typeOfEmployment="Full-time", releasedDate=1783000000),
        None,
        {"name": "Python Developer", "ref": f"{API}/acme/postings/none"},  # no id
        _posting("4", name="   "),
        _posting("5", customField=[{"fieldLabel": "Work model"}, "x", {"fieldLabel": 3, "valueLabel": "Remote"}]),
    ]
    page = parse("smartrecruiters", _list_page(*items, total=5), board="acme")
    assert [job.external_id for job in page.listings] == ["1", "5"]
    assert len(page.warnings) == 3
    assert page.warnings[1] == "smartrecruiters: item 2 skipped: no id or name"
    assert page.follow == [f"{API}/acme/postings/1", f"{API}/acme/postings/5"]  # broken items are not followed
    first = page.listings[0]
    assert (first.location_raw, first.places, first.remote) == (None, [], None)
    assert first.company == "Acme"  # the board, since `company` is not an object
    assert first.tags == ["5"]
    assert first.employment_type is None
    assert first.posted_at == "1783000000"
    assert page.listings[1].remote is None


def test_broken_detail_document_is_a_warning() -> None:
    page = parse("smartrecruiters", b'{"name": "Python Developer", "jobAd": {"sections": []}}')
    assert page.listings == []
    assert page.warnings == ["smartrecruiters: posting skipped: no id or name"]


def test_detail_document_with_odd_sections() -> None:
    document = _posting("3", postingUrl="javascript:alert(1)", applyUrl=7, jobAd={"sections": {
        "jobDescription": {"title": "<b>Role</b>", "text": "<p>Build APIs.</p>"},
        "qualifications": "Python",
        "companyDescription": {"title": "About us", "text": "   "},
        "benefits": {"title": "Perks", "text": "<p>Lunch.</p>"},
    }})
    [job] = parse("smartrecruiters", json.dumps(document).encode()).listings
    assert job.description_html == "<h3>&lt;b&gt;Role&lt;/b&gt;</h3>\n<p>Build APIs.</p>\n<h3>Perks</h3>\n<p>Lunch.</p>"
    assert job.url == "https://jobs.smartrecruiters.com/acme/3"  # not the javascript: URL
    assert job.apply_url is None


@pytest.mark.parametrize("name", ["smartrecruiters.json", "smartrecruiters_posting_102.json"])
def test_parse_item_round_trip(sample: Callable[[str], bytes], name: str) -> None:
    adapter = sources.get("smartrecruiters")
    ctx = ParseContext(board="initech")
    page = adapter.parse(sample(name), ctx)
    assert page.listings
    for listing in page.listings:
        again = adapter.parse_item(json.loads(json.dumps(listing.raw)), ctx)
        assert again == listing


def test_parse_item_real_round_trip(real: Callable[[str], bytes]) -> None:
    adapter = sources.get("smartrecruiters")
    ctx = ParseContext(board="hirevue")
    for listing in adapter.parse(real("smartrecruiters-1.json"), ctx).listings:
        assert adapter.parse_item(json.loads(json.dumps(listing.raw)), ctx) == listing


@pytest.mark.parametrize("raw", [None, "744000138728139", [], {"id": "1"}, {"name": "Python Developer"}])
def test_parse_item_broken(raw: Any) -> None:
    with pytest.raises(ParseError, match=r"^smartrecruiters: stored item unreadable"):
        sources.get("smartrecruiters").parse_item(raw, ParseContext(board="acme"))
