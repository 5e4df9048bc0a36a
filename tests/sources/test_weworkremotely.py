"""We Work Remotely: "Company: Role" titles, the 2022 and 2026 formats, escaped descriptions."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from aggregator.errors import ParseError
from scrapers.sources.weworkremotely import split_title
from tests.sources.conftest import by_id, listing_by_id, parse, parse_normalised, raw_by_id


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Mathmo: Maths Coach", ("Mathmo", "Maths Coach")),
        ("Proxify AB: Senior Front-end Developer: Long-term job - 100% Remote",
         ("Proxify AB", "Senior Front-end Developer: Long-term job - 100% Remote")),
        ("SystemOne, LLC: Windows Forms (C#) Engineer (REMOTE)",
         ("SystemOne, LLC", "Windows Forms (C#) Engineer (REMOTE)")),
        ("Backend Engineer", (None, "Backend Engineer")),
        (": Orphan role", (None, ": Orphan role")),
    ],
)
def test_split_title(title: str, expected: tuple[str | None, str]) -> None:
    assert split_title(title) == expected


def test_sample(sample: Callable[[str], bytes]) -> None:
    page = parse("weworkremotely", sample("weworkremotely.rss"))
    assert page.warnings == [] and len(page.listings) == 6
    job = raw_by_id(page.listings, "brightwave-analytics-senior-python-backend-engineer-django")
    assert (job.company, job.title) == ("Brightwave Analytics", "Senior Python Backend Engineer (Django)")
    assert job.url == "https://weworkremotely.com/remote-jobs/brightwave-analytics-senior-python-backend-engineer-django"
    assert job.remote is True
    assert job.location_raw == "Anywhere in the World"
    assert job.places == []  # <state> is the headquarters, not where the job is
    assert job.employment_type == "Full-Time"
    assert job.tags == ["Back-End Programming", "Python", "Django", "PostgreSQL", "Celery"]
    assert job.posted_at == "Mon, 06 Jul 2026 14:12:09 +0000"
    assert job.apply_url is None  # "To apply" points back at the listing
    html = job.description_html or ""
    assert "Django &amp; Django REST Framework" in html  # &amp;amp; in the XML is &amp; in the HTML
    assert "&amp;amp;" not in html

    europe = raw_by_id(page.listings, "tidepool-logistics-backend-engineer-fastapi-kafka")
    assert europe.places == [{"country": "DE"}, {"country": "NL"}, {"country": "PL"}]
    assert europe.title == "Backend Engineer, FastAPI & Kafka"
    assert "\r" not in (europe.description_html or "")  # CRLF in the feed

    assert by_id(page.listings, "lumen-lark-contract-python-developer-flask-apis").company == "Lumen & Lark"
    assert raw_by_id(page.listings, "orbital-commerce-senior-ruby-on-rails-engineer").places == [
        {"country": "US"}, {"country": "CA"}]


def test_sample_normalised(sample: Callable[[str], bytes]) -> None:
    listings = parse_normalised("weworkremotely", sample("weworkremotely.rss"))
    job = listing_by_id(listings, "northwind-health-staff-platform-engineer-python-go")
    assert job.company == "Northwind Health"
    assert job.remote == "remote"
    assert job.posted_at == datetime(2026, 7, 5, 18, 3, 27, tzinfo=UTC)
    assert [location.country for location in job.locations] == ["US"]


def test_real_2022_programming(real: Callable[[str], bytes]) -> None:
    page = parse("weworkremotely", real("wwr-1.rss"))
    assert page.warnings == [] and len(page.listings) == 25
    job = by_id(page.listings, "assemblyai-yc-17-senior-software-engineer-python")
    assert (job.company, job.title) == ("AssemblyAI (YC 17)", "Senior Software Engineer, Python")
    assert job.location_raw == "Anywhere in the World"
    assert job.employment_type is None  # the 2022 programming feed has no <type>
    assert job.tags == ["Back-End Programming"]
    assert job.posted_at == "Wed, 10 Aug 2022 14:09:58 +0000"
    crlf = by_id(page.listings, "systemone-llc-windows-forms-c-engineer-remote")
    assert crlf.company == "SystemOne, LLC"
    assert "\r" not in (crlf.description_html or "")
    proxify = by_id(page.listings, "proxify-ab-senior-front-end-developer-long-term-job-100-remote")
    assert proxify.title == "Senior Front-end Developer: Long-term job - 100% Remote"


def test_real_2022_design(real: Callable[[str], bytes]) -> None:
    listings = parse_normalised("weworkremotely", real("wwr-2.rss"))
    assert len(listings) == 22
    job = by_id(listings, "testgorilla-web-designer")
    assert (job.company, job.title, job.employment_type) == ("TestGorilla", "Web Designer", "full_time")
    assert job.posted_at == datetime(2022, 11, 7, 13, 23, 53, tzinfo=UTC)
    assert "€46,728 - €62,953" in (job.description_text or "")
    assert job.remote == "remote"


def test_real_2026_format(real: Callable[[str], bytes]) -> None:
    page = parse("weworkremotely", real("wwr-3.rss"))
    assert page.warnings == [] and len(page.listings) == 4
    apex = raw_by_id(page.listings, "apex-trade-entry-level-crypto-market-specialist")
    assert (apex.company, apex.title) == ("APEX TRADE", "Entry-Level Crypto Market Specialist")
    assert apex.tags == ["All Other Remote", "Cryptocurrency"]
    assert apex.places == []  # <country></country>
    mathmo = by_id(page.listings, "mathmo-maths-coach")
    assert mathmo.employment_type == "Contract"
    assert mathmo.posted_at == "Fri, 10 Jul 2026 22:45:30 +0000"


def test_country_lists() -> None:
    def item(country: str) -> bytes:
        return (f"<rss><channel><item><title>Co: Python Dev</title><country>{country}</country>"
                f"<link>https://weworkremotely.com/remote-jobs/co-python-dev</link></item></channel></rss>").encode()

    (named,) = parse("weworkremotely", item("Brazil")).listings
    assert named.places == [{"country": "Brazil"}]
    many = ", ".join(f"🇦🇩 Andorra {n}" for n in range(40))
    (worldwide,) = parse("weworkremotely", item(many)).listings
    assert worldwide.places == []  # a list of most of the world says "anywhere"


def test_apply_url_when_it_leads_elsewhere() -> None:
    payload = (b"<rss><channel><item><title>Co: Python Dev</title>"
               b"<link>https://weworkremotely.com/remote-jobs/co-python-dev</link>"
               b"<description>&lt;p&gt;&lt;strong&gt;To apply:&lt;/strong&gt; "
               b"&lt;a href=\"https://co.example/jobs/1\"&gt;apply&lt;/a&gt;&lt;/p&gt;</description>"
               b"</item></channel></rss>")
    (job,) = parse("weworkremotely", payload).listings
    assert job.apply_url == "https://co.example/jobs/1"


def test_broken_item_skipped() -> None:
    payload = (b"<rss><channel><item><title>No link</title></item>"
               b"<item><title>Co: Python Dev</title><guid>https://weworkremotely.com/remote-jobs/co-python-dev</guid>"
               b"</item></channel></rss>")
    page = parse("weworkremotely", payload)
    assert [(j.external_id, j.company) for j in page.listings] == [("co-python-dev", "Co")]
    assert page.warnings == ["weworkremotely: item 0 skipped: no guid or link"]


@pytest.mark.parametrize("payload", [b"[]", b"<html><head></head></html>", b"\x00\x01binary"])
def test_not_a_feed(payload: bytes) -> None:
    with pytest.raises(ParseError, match=r"^weworkremotely: "):
        parse("weworkremotely", payload)


# --- a WWR job page, read by the jsonld source (its JobPosting `url` is the company's site) -------------

WWR_PAGE = "https://weworkremotely.com/remote-jobs/proxify-ab-senior-next-js-developer-1"


def test_real_job_page_url_is_the_listing_not_the_company_site(real: Callable[[str], bytes]) -> None:
    """jsonld-2 is Proxify's WWR page; its JobPosting `url` and hiringOrganization `sameAs` are both
    "http://career.proxify.io". Read without its address, the listing's url was that careers site."""
    [saved] = parse_normalised("jsonld", real("jsonld-2.html"))
    assert saved.url is None  # was "http://career.proxify.io/": the fragment names no page of its own
    assert saved.apply_url == "http://career.proxify.io/"
    assert saved.external_id == "proxify-ab-senior-next-js-developer-1"
    [fetched] = parse_normalised("jsonld", real("jsonld-2.html"), url=WWR_PAGE)
    assert (fetched.url, fetched.apply_url) == (WWR_PAGE, "http://career.proxify.io/")


def _wwr_page(canonical: str | None, posting_url: str, same_as: str) -> bytes:
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    posting = {"@context": "http://schema.org/", "@type": "JobPosting", "title": "Senior Python Developer",
               "url": posting_url, "identifier": {"@type": "PropertyValue", "value": "acme-senior-python-developer"},
               "hiringOrganization": {"@type": "Organization", "name": "Acme", "sameAs": same_as}}
    return (f"<html><head>{link}<script type=\"application/ld+json\">{json.dumps(posting)}</script>"
            "</head><body></body></html>").encode()


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        # The canonical link names the WWR page; the careers site is where to apply.
        (_wwr_page("https://weworkremotely.com/remote-jobs/acme-senior-python-developer", "https://careers.acme.example",
                   "https://www.careers.acme.example/"),
         ("https://weworkremotely.com/remote-jobs/acme-senior-python-developer", "https://careers.acme.example")),
        # Neither the address nor a canonical link: the page is unknown rather than the careers site.
        (_wwr_page(None, "http://careers.acme.example", "http://careers.acme.example"),
         (None, "http://careers.acme.example")),
        # A posting url that is not the employer's site is the posting's own page, as before.
        (_wwr_page(None, "https://jobs.acme.example/42", "https://acme.example"),
         ("https://jobs.acme.example/42", None)),
    ],
)
def test_job_page_url_and_apply_url(page: bytes, expected: tuple[str | None, str | None]) -> None:
    [job] = parse("jsonld", page).listings
    assert (job.url, job.apply_url) == expected
