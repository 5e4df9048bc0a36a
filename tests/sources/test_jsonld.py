"""The schema.org JobPosting adapter: JSON-LD in pages, lenient decoding, and sitemaps."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from aggregator.errors import ParseError
from scrapers.sources._ldjson import decode_lenient
from scrapers.sources.jsonld import MAX_SITEMAP_URLS
from tests.sources.conftest import listing_by_id, parse, parse_normalised, raw_by_id

PAGE_URL = "https://careers.veldkamp.example/jobs/vk-2026-0142-senior-python-backend-engineer"


def page_with(*blocks: str, body: str = "<p>Careers</p>") -> bytes:
    scripts = "".join(f'<script type="application/ld+json">{block}</script>' for block in blocks)
    return f"<!DOCTYPE html><html><head>{scripts}</head><body>{body}</body></html>".encode()


# --- the sample page -----------------------------------------------------------------------------


def test_sample_graph_posting(sample: Callable[[str], bytes]) -> None:
    page = parse("jsonld", sample("jsonld_job.html"), url=PAGE_URL)
    assert page.warnings == []
    assert [listing.external_id for listing in page.listings] == ["VK-2026-0142", "VK-2026-0157"]
    listing = raw_by_id(page.listings, "VK-2026-0142")
    assert listing.title == "Senior Python Backend Engineer (Payments)"
    assert listing.company == "Veldkamp Logistics"
    assert listing.url == PAGE_URL
    assert listing.apply_url == PAGE_URL + "/apply"
    assert listing.places == [{"country": "NL", "region": "South Holland", "city": "Rotterdam"}]
    assert listing.location_raw == "Rotterdam, South Holland, NL"
    assert listing.remote is None
    assert (listing.salary_min, listing.salary_max, listing.salary_currency, listing.salary_period) == (
        72000.0, 90000.0, "EUR", "year")
    assert listing.employment_type == "FULL_TIME"  # the first of ["FULL_TIME", "CONTRACTOR"]
    assert listing.posted_at == "2026-07-28T09:00:00+02:00"
    assert listing.description_html is not None
    assert listing.description_html.startswith("<p>Veldkamp moves 40,000 pallets")


def test_sample_lenient_block_with_remote_applicants(sample: Callable[[str], bytes]) -> None:
    listing = raw_by_id(parse("jsonld", sample("jsonld_job.html"), url=PAGE_URL).listings, "VK-2026-0157")
    # That block is wrapped in <!-- -->, has literal newlines in a string and trailing commas.
    assert listing.title == "Product Designer, Driver App"
    assert listing.company == "Veldkamp Logistics"  # hiringOrganization given as a bare string
    assert listing.remote == "TELECOMMUTE"
    assert listing.places == [
        {"country": "NL", "region": None, "city": None},
        {"country": "BE", "region": None, "city": None},
        {"country": None, "region": "North Rhine-Westphalia", "city": None},
    ]
    assert listing.location_raw == "NL, BE, North Rhine-Westphalia"
    assert (listing.salary_min, listing.salary_max, listing.salary_currency, listing.salary_period) == (
        3400.0, 3400.0, "EUR", "month")
    assert listing.employment_type == "PART_TIME"
    assert listing.description_html is not None and "\n<p>Figma" in listing.description_html


def test_sample_normalised(sample: Callable[[str], bytes]) -> None:
    listings = parse_normalised("jsonld", sample("jsonld_job.html"), url=PAGE_URL)
    backend = listing_by_id(listings, "VK-2026-0142")
    assert backend.posted_at == datetime(2026, 7, 28, 7, 0, tzinfo=UTC)
    assert (backend.salary_min, backend.salary_max, backend.salary_currency) == (72000.0, 90000.0, "EUR")
    assert backend.locations[0].country == "NL"
    designer = listing_by_id(listings, "VK-2026-0157")
    assert designer.remote == "remote"


def test_sample_sitemap(sample: Callable[[str], bytes]) -> None:
    page = parse("jsonld", sample("sitemap.xml"))
    assert page.listings == []
    assert page.complete
    # Document order, duplicates dropped, <image:loc> ignored, &amp; and CDATA undone.
    assert page.follow == [
        "https://careers.veldkamp.example/jobs/vk-2026-0142-senior-python-backend-engineer",
        "https://careers.veldkamp.example/jobs/vk-2026-0157-product-designer-driver-app",
        "https://careers.veldkamp.example/jobs/vk-2026-0149-python-data-engineer?utm_source=sitemap&ref=careers",
        "https://careers.veldkamp.example/jobs/vk-2026-0133-site-reliability-engineer",
    ]


# --- the real payloads -----------------------------------------------------------------------------


def test_real_wellfound_page(real: Callable[[str], bytes]) -> None:
    page = parse("jsonld", real("jsonld-1.html"), url="https://wellfound.com/jobs/3180780-founding-software-engineer")
    assert page.warnings == []
    [listing] = page.listings
    assert listing.external_id == "3180780-founding-software-engineer"
    assert listing.title == "Founding Software Engineer"
    assert listing.company == "One Frequency"
    assert listing.url == "https://wellfound.com/jobs/3180780-founding-software-engineer"
    assert listing.remote == "TELECOMMUTE"
    assert listing.places == [
        {"country": "United States", "region": "Tennessee", "city": "South Fulton"},
        {"country": "United States", "region": None, "city": None},
    ]
    assert listing.employment_type == "FULL_TIME"
    # As stated, however implausible: the board's own placeholder range.
    assert (listing.salary_min, listing.salary_max, listing.salary_currency, listing.salary_period) == (
        1000.0, 2000.0, "USD", "year")
    assert listing.posted_at == "2025-07-01T04:05:09Z"
    assert listing.description_html is not None
    assert listing.description_html.startswith("<p>Founding Software Engineer - Equity Based")


def test_real_wwr_fragment_needs_a_lenient_decode(real: Callable[[str], bytes]) -> None:
    page = parse("jsonld", real("jsonld-2.html"),
                 url="https://weworkremotely.com/remote-jobs/proxify-ab-senior-next-js-developer-1")
    assert page.warnings == []
    [listing] = page.listings
    assert listing.external_id == "proxify-ab-senior-next-js-developer-1"
    assert listing.title == "Senior Next.js Developer"
    assert listing.company == "Proxify AB"
    assert listing.apply_url == "http://career.proxify.io"
    assert listing.remote == "TELECOMMUTE"
    # 249 applicant countries: worldwide, not 249 places.
    assert listing.location_raw == "Worldwide"
    assert listing.places == []
    # minValue/maxValue "0" mean the board left the salary blank.
    assert (listing.salary_min, listing.salary_max, listing.salary_currency) == (None, None, None)
    assert listing.employment_type == "Full-Time"
    assert listing.posted_at == "2025-06-10T08:35:07Z"
    # The description arrives HTML-escaped and is unescaped once.
    assert listing.description_html is not None
    assert listing.description_html.startswith('<div>\n<h4 dir="ltr">The Role:</h4>')


def test_real_wwr_normalised(real: Callable[[str], bytes]) -> None:
    [listing] = parse_normalised("jsonld", real("jsonld-2.html"))
    assert listing.remote == "remote"
    assert listing.posted_at == datetime(2025, 6, 10, 8, 35, 7, tzinfo=UTC)
    assert listing.salary_min is None and listing.salary_max is None


# --- shapes and identifiers ---------------------------------------------------------------------------


def test_top_level_array_type_list_and_nested_main_entity() -> None:
    payload = page_with(json.dumps([
        {"@type": ["JobPosting"], "title": "Python Engineer", "identifier": 7,
         "hiringOrganization": {"name": "A"}},
        {"@type": "WebPage", "mainEntity": {"@type": "schema:JobPosting", "title": "Data Engineer",
                                            "identifier": {"@type": "PropertyValue", "value": "de-1"}}},
    ]))
    page = parse("jsonld", payload)
    assert [(listing.external_id, listing.title) for listing in page.listings] == [
        ("7", "Python Engineer"), ("de-1", "Data Engineer")]


def test_without_identifier_the_page_url_then_a_stable_hash() -> None:
    single = page_with(json.dumps({"@type": "JobPosting", "title": "Backend Engineer"}))
    assert parse("jsonld", single, url="https://jobs.example.org/42").listings[0].external_id == \
        "https://jobs.example.org/42"
    two = page_with(json.dumps({"@graph": [
        {"@type": "JobPosting", "title": "Backend Engineer", "hiringOrganization": "Acme"},
        {"@type": "JobPosting", "title": "Frontend Engineer", "hiringOrganization": "Acme"},
    ]}))
    first = parse("jsonld", two, url="https://jobs.example.org/all")
    again = parse("jsonld", two, url="https://jobs.example.org/all")
    ids = [listing.external_id for listing in first.listings]
    assert len(set(ids)) == 2 and all(i.startswith("sha256:") for i in ids)
    assert ids == [listing.external_id for listing in again.listings]


def test_organization_without_name_uses_its_site_and_salary_as_single_value() -> None:
    payload = page_with(json.dumps({
        "@type": "JobPosting", "title": "SRE", "identifier": "sre-1",
        "hiringOrganization": {"@type": "Organization", "sameAs": "https://www.brightwave.example/about"},
        "jobLocation": [{"@type": "Place", "address": {"addressLocality": "Lyon",
                                                      "addressCountry": {"@type": "Country", "name": "FR"}}}],
        "baseSalary": {"currency": "eur", "value": {"value": "65,000", "unitText": "year"}},
    }))
    [listing] = parse("jsonld", payload).listings
    assert listing.company == "brightwave.example"
    assert listing.places == [{"country": "FR", "region": None, "city": "Lyon"}]
    assert (listing.salary_min, listing.salary_max, listing.salary_currency, listing.salary_period) == (
        65000.0, 65000.0, "EUR", "year")


@pytest.mark.parametrize(("text", "expected"), [
    ('{"a": "line one\nline two\ttab"}', {"a": "line one\nline two\ttab"}),
    ('{"a": [1, 2,], "b": {"c": 3,},}', {"a": [1, 2], "b": {"c": 3}}),
    ('{"a": "keeps ,} inside strings",}', {"a": "keeps ,} inside strings"}),
    ('<!-- {"a": 1} -->', {"a": 1}),
    ('//<![CDATA[\n{"a": 1}\n//]]>', {"a": 1}),
    ('{"a": "escaped \\" quote, "}', {"a": 'escaped " quote, '}),
])
def test_decode_lenient(text: str, expected: object) -> None:
    assert decode_lenient(text) == expected


# --- sitemaps ----------------------------------------------------------------------------------------


def test_sitemap_index_follows_the_sitemaps() -> None:
    index = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://careers.example.org/sitemap-jobs-1.xml</loc><lastmod>2026-08-01</lastmod></sitemap>
  <sitemap><loc>/sitemap-jobs-2.xml</loc></sitemap>
</sitemapindex>"""
    page = parse("jsonld", index, url="https://careers.example.org/sitemap.xml")
    assert page.follow == ["https://careers.example.org/sitemap-jobs-1.xml",
                           "https://careers.example.org/sitemap-jobs-2.xml"]


def test_sitemap_is_capped_in_order() -> None:
    urls = "".join(f"<url><loc>https://jobs.example.org/{n}</loc></url>" for n in range(250))
    page = parse("jsonld", f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode())
    assert len(page.follow) == MAX_SITEMAP_URLS
    assert page.follow[:2] == ["https://jobs.example.org/0", "https://jobs.example.org/1"]
    assert page.follow[-1] == f"https://jobs.example.org/{MAX_SITEMAP_URLS - 1}"
    assert not page.complete


@pytest.mark.timeout(5)
@pytest.mark.parametrize("payload", [b"<urlset>" + b"<loc>   " * 20000, b"<urlset>" + b"<loc><![CDATA[ " * 20000])
def test_broken_sitemap_is_read_in_linear_time(payload: bytes) -> None:
    assert parse("jsonld", payload).follow == []


# --- bad input -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("payload", "reason"), [
    (page_with('{"@type": "Organization", "name": "Acme"}', body="<h1>About us</h1>"),
     "no schema.org JobPosting in the page (its 1 JSON-LD block(s) describe other things)"),
    (page_with('{"@type": "JobPosting", "title": "Unclosed', '{"@type": "WebSite"}'),
     "no schema.org JobPosting in the page (its 2 JSON-LD block(s) describe other things, 1 not JSON)"),
    (page_with('{"@type": "JobPosting", "title": "Unclosed'),
     "no schema.org JobPosting in the page (its 1 JSON-LD block(s) are not JSON)"),
    (b"<!DOCTYPE html><html><body><h1>Checking your browser</h1></body></html>",
     "no schema.org JobPosting in the page (it has no JSON-LD script)"),
    (b'<?xml version="1.0"?>\n<!-- feed -->\n<rss version="2.0"><channel><title>Jobs</title></channel></rss>',
     "an RSS or Atom feed, not an HTML page"),
    (b'<feed xmlns="http://www.w3.org/2005/Atom"><title>Jobs</title></feed>', "an RSS or Atom feed, not an HTML page"),
])
def test_a_listed_page_without_a_job_posting_is_a_parse_error(payload: bytes, reason: str) -> None:
    # A page the operator listed (page 0 of its scope) that holds no posting is a block page, a moved page
    # or a posting taken down: an error the source's state shows, never an empty success.
    with pytest.raises(ParseError) as caught:
        parse("jsonld", payload, url=PAGE_URL)
    assert str(caught.value) == f"jsonld: {reason}"


def test_a_page_from_a_sitemap_without_a_job_posting_is_empty_with_a_warning() -> None:
    # Sitemaps also list pages that are not postings: one of them must not stop the rest of the run.
    payload = page_with('{"@type": "Organization", "name": "Acme"}', body="<h1>About us</h1>")
    page = parse("jsonld", payload, url="https://careers.example.org/about", page=1)
    assert page.listings == [] and page.follow == []
    assert page.warnings == [
        "jsonld: no schema.org JobPosting in the page (its 1 JSON-LD block(s) describe other things)"]


def test_a_page_whose_only_posting_is_broken_is_a_page_with_a_warning() -> None:
    # The posting is there but unreadable: that item is skipped, the page itself is this source's.
    page = parse("jsonld", page_with('{"@type": "JobPosting", "description": "<p>No title</p>"}'), url=PAGE_URL)
    assert page.listings == []
    assert page.warnings == ["jsonld: JobPosting 0 skipped: no title"]


@pytest.mark.timeout(5)
def test_many_leading_comments_are_read_in_linear_time() -> None:
    # The prolog's comments once took exponential time: each lazy comment could end at any later "-->".
    assert parse("jsonld", b"<!--a-->" * 5000 + b"<urlset><url><loc>https://a.example/1</loc></url></urlset>"
                 ).follow == ["https://a.example/1"]
    with pytest.raises(ParseError, match=r"^jsonld: no schema\.org JobPosting"):
        parse("jsonld", b"<!--a-->" * 5000 + b"<html><body>nothing</body></html>")


@pytest.mark.parametrize("payload", [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    b"\x1f\x8b\x08\x00\x00\x00\x00\x00",
    b'{"@type": "JobPosting", "title": "not inside HTML"}',
    b'  [{"@type": "JobPosting", "title": "a <b>JSON</b> array"}]',
    b"just some text",
    b"",
])
def test_not_markup_is_a_parse_error(payload: bytes) -> None:
    with pytest.raises(ParseError, match=r"^jsonld: "):
        parse("jsonld", payload)


def test_broken_block_and_broken_posting_are_skipped_with_warnings() -> None:
    payload = page_with(
        '{"@type": "JobPosting", "title": "Unclosed',
        json.dumps({"@graph": [
            {"@type": "JobPosting", "description": "<p>No title</p>"},
            {"@type": "JobPosting", "title": "Python Developer", "identifier": "py-1",
             "baseSalary": {"value": {"minValue": "lots"}}, "jobLocation": 42, "hiringOrganization": ["x"]},
        ]}),
    )
    page = parse("jsonld", payload)
    assert [listing.external_id for listing in page.listings] == ["py-1"]
    listing = page.listings[0]
    assert (listing.salary_min, listing.company, listing.places) == (None, "x", [])
    assert len(page.warnings) == 2
    assert page.warnings[0].startswith("jsonld: script block 0 skipped: not JSON")
    assert page.warnings[1] == "jsonld: JobPosting 0 skipped: no title"
