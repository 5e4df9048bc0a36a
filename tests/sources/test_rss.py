"""The generic RSS/Atom adapter, on the project's Atom sample and on every real feed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from aggregator.errors import ParseError
from aggregator.model import RawListing
from tests.sources.conftest import by_id, parse, parse_normalised

FEED_URL = "https://pyjobs-board.example/feeds/jobs.atom"


def test_atom_sample(sample: Callable[[str], bytes]) -> None:
    page = parse("rss", sample("feed.atom"), url=FEED_URL)
    assert page.warnings == [] and page.complete
    assert len(page.listings) == 5
    job = by_id(page.listings, "tag:pyjobs-board.example,2026:job/2291")
    assert isinstance(job, RawListing)
    assert job.title == "Senior Python Backend Engineer (Django)"
    assert job.url == "https://pyjobs-board.example/jobs/2291-senior-python-backend-engineer-django"
    assert job.company == "Brightwave Analytics"
    assert job.location_raw == "Remote (Worldwide)"
    assert job.employment_type == "Full-time"
    assert job.salary_text == "$140,000 – $170,000 per year"
    assert job.tags == ["Django", "PostgreSQL", "Remote"]
    assert job.posted_at == "2026-07-06T15:02:11Z"
    assert job.description_html is not None and "Django &amp; Django REST Framework APIs" in job.description_html

    xhtml = by_id(page.listings, "tag:pyjobs-board.example,2026:job/2288")
    assert (xhtml.description_html or "").startswith("<p>Kestrel Pay processes")
    # An entry with only a summary uses it as the description.
    summary = by_id(page.listings, "tag:pyjobs-board.example,2026:job/2279")
    assert summary.description_html == (
        "<p>Six-month contract keeping our Python services on Kubernetes fast and boring.</p>")


def test_atom_sample_normalised(sample: Callable[[str], bytes]) -> None:
    listings = parse_normalised("rss", sample("feed.atom"), url=FEED_URL)
    payments = by_id(listings, "tag:pyjobs-board.example,2026:job/2288")
    assert payments.company == "Kestrel Pay"
    assert payments.posted_at == datetime(2026, 7, 5, 7, 45, tzinfo=UTC)  # +02:00 in the feed
    assert (payments.salary_min, payments.salary_max, payments.salary_currency) == (72000, 90000, "EUR")


def test_company_is_unknown_unless_stated(real: Callable[[str], bytes]) -> None:
    listings = parse("rss", real("wwr-3.rss")).listings
    listing = by_id(listings, "https://weworkremotely.com/remote-jobs/qase-developer-advocate")
    assert listing.title == "Qase: Developer Advocate"  # the generic adapter does not know WWR's title form
    assert listing.company is None
    assert listing.employment_type == "Full-Time"
    assert listing.tags == ["Sales and Marketing"]
    assert listing.posted_at == "Fri, 10 Jul 2026 19:44:50 +0000"


@pytest.mark.parametrize(
    ("name", "count", "first_id", "first_title"),
    [
        ("wwr-1.rss", 25, "https://weworkremotely.com/remote-jobs/madeo-web-developer-drupal-or-wordpress",
         "Madeo: Web Developer (Drupal or Wordpress)"),
        ("wwr-2.rss", 22, "https://weworkremotely.com/remote-jobs/testgorilla-web-designer",
         "TestGorilla: Web Designer"),
        ("wwr-3.rss", 4, "https://weworkremotely.com/remote-jobs/mathmo-maths-coach", "Mathmo: Maths Coach"),
        ("pythonorg-1.rss", 20, "https://www.python.org/jobs/7831/",
         "Senior Full-stack Developer (Python, React, Elixir), Lemon.io"),
    ],
)
def test_real_feeds(
    real: Callable[[str], bytes], name: str, count: int, first_id: str, first_title: str
) -> None:
    page = parse("rss", real(name))
    assert page.warnings == [] and page.complete
    assert len(page.listings) == count
    first = page.listings[0]
    assert (first.external_id, first.title, first.url) == (first_id, first_title, first_id)
    assert len({listing.external_id for listing in page.listings}) == count


def test_real_pythonorg_has_no_date(real: Callable[[str], bytes]) -> None:
    listings = parse_normalised("rss", real("pythonorg-1.rss"))
    assert all(listing.posted_at is None for listing in listings)


def test_opaque_guids_are_scoped_by_feed_url() -> None:
    payload = (b"<rss><channel><item><title>A</title><guid isPermaLink='false'>42</guid></item>"
               b"<item><title>B</title><guid>tag:x.example,2026:7</guid></item></channel></rss>")
    page = parse("rss", payload, url="https://x.example/jobs.rss")
    assert [listing.external_id for listing in page.listings] == [
        "https://x.example/jobs.rss#42", "tag:x.example,2026:7"]


def test_broken_items_are_skipped_with_a_warning() -> None:
    payload = (b"<rss><channel>"
               b"<item><title>No id at all</title></item>"
               b"<item><link>https://x.example/2</link></item>"
               b"<item><title>Good</title><link>https://x.example/3</link></item>"
               b"</channel></rss>")
    page = parse("rss", payload)
    assert [listing.title for listing in page.listings] == ["Good"]
    assert page.warnings == ["rss: item 0 skipped: no guid or link", "rss: item 1 skipped: no title"]


@pytest.mark.parametrize("payload", [b'{"jobs": []}', b"<html><body>hi</body></html>", b"garbage"])
def test_not_a_feed(payload: bytes) -> None:
    with pytest.raises(ParseError, match=r"^rss: "):
        parse("rss", payload)
