"""python.org jobs: "Role, Company" titles, the location line, no dates."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from aggregator.errors import ParseError
from scrapers.sources.pythonorg import split_location, split_title
from tests.sources.conftest import by_id, parse, parse_normalised


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Senior Software Engineer, UpDoc", ("Senior Software Engineer", "UpDoc")),
        ("Senior Full-stack Developer (Python, React, Elixir), Lemon.io",
         ("Senior Full-stack Developer (Python, React, Elixir)", "Lemon.io")),
        ("Senior Software Engineer, AI, UpDoc, Inc.", ("Senior Software Engineer, AI", "UpDoc, Inc.")),
        ("Python Developer, Data Platform, Harbourline, Inc.",
         ("Python Developer, Data Platform", "Harbourline, Inc.")),
        ("Acme, LLC", ("Acme", "LLC")),  # two parts: nothing else can be the role
        ("Python Developer", ("Python Developer", None)),
        ("Sr. Software Engineer - R&D Modeling and Simulation, ASML",
         ("Sr. Software Engineer - R&D Modeling and Simulation", "ASML")),
    ],
)
def test_split_title(title: str, expected: tuple[str, str | None]) -> None:
    assert split_title(title) == expected


def test_split_location() -> None:
    assert split_location("Berlin, (remote), Germany\n<p>Hi</p>") == (
        "Berlin, (remote), Germany", "<p>Hi</p>")
    assert split_location("<p>No location line</p>") == (None, "<p>No location line</p>")
    assert split_location(None) == (None, None)


def test_real_feed(real: Callable[[str], bytes]) -> None:
    page = parse("pythonorg", real("pythonorg-1.rss"))
    assert page.warnings == [] and len(page.listings) == 20
    lemon = by_id(page.listings, "7831")
    assert (lemon.title, lemon.company) == ("Senior Full-stack Developer (Python, React, Elixir)", "Lemon.io")
    assert lemon.url == "https://www.python.org/jobs/7831/"
    assert lemon.location_raw == "CLAYMONT, Utah, United States"
    assert lemon.posted_at is None
    assert (lemon.description_html or "").startswith("<p>Are you a talented Senior Full-stack Developer")
    updoc = by_id(page.listings, "7747")
    assert (updoc.title, updoc.company) == ("Senior Software Engineer, AI", "UpDoc, Inc.")
    reef = by_id(page.listings, "7821")
    assert (reef.title, reef.company, reef.location_raw) == (
        "Senior Python Backend Engineer", "Reef Technologies", "Warsaw (fully remote), Poland")
    asml = by_id(page.listings, "7752")
    assert (asml.title, asml.company) == ("Sr. Software Engineer - R&D Modeling and Simulation", "ASML")
    assert [listing.external_id for listing in page.listings][:3] == ["7831", "7830", "7829"]


def test_real_feed_normalised(real: Callable[[str], bytes]) -> None:
    listings = parse_normalised("pythonorg", real("pythonorg-1.rss"))
    assert all(listing.posted_at is None for listing in listings)
    job = by_id(listings, "7749")
    assert (job.title, job.company, job.location_raw) == ("Senior Backend Engineer", "BactoBio", "London, UK")
    assert job.description_text and not job.description_text.startswith("London")


def test_sample(sample: Callable[[str], bytes]) -> None:
    page = parse("pythonorg", sample("pythonorg.rss"))
    assert page.warnings == [] and len(page.listings) == 6
    job = by_id(page.listings, "8105")
    assert (job.title, job.company) == ("Python Developer, Data Platform", "Harbourline, Inc.")
    assert job.location_raw == "Remote, Remote, United States"
    assert job.url == "https://www.python.org/jobs/8105/"
    assert job.posted_at is None
    django = by_id(page.listings, "8106")
    assert (django.title, django.company) == ("Senior Backend Engineer (Django, Celery)", "Quillstone Labs")
    assert "Celery &amp; Redis" in (django.description_html or "")
    assert by_id(page.listings, "8103").company == "Ferrovia Mobility GmbH"


def test_id_falls_back_to_guid_and_broken_items_are_skipped() -> None:
    payload = (b"<rss><channel>"
               b"<item><title>Python Dev, Acme</title><guid>https://example.org/elsewhere/x</guid></item>"
               b"<item><description>Nowhere</description></item>"
               b"</channel></rss>")
    page = parse("pythonorg", payload)
    assert [(j.external_id, j.company) for j in page.listings] == [
        ("https://example.org/elsewhere/x", "Acme")]
    assert page.warnings == ["pythonorg: item 1 skipped: no guid or link"]


@pytest.mark.parametrize("payload", [b'{"results": []}', b"<html></html>", b"Not Found"])
def test_not_a_feed(payload: bytes) -> None:
    with pytest.raises(ParseError, match=r"^pythonorg: "):
        parse("pythonorg", payload)
