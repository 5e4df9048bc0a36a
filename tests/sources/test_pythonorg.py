"""python.org jobs: "Role, Company" titles, the location line, no dates."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from aggregator.errors import ParseError
from scrapers.sources.pythonorg import local_dollar, pay_paragraph, split_location, split_title
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


def test_real_canadian_wage_is_read_in_canadian_dollars(real: Callable[[str], bytes]) -> None:
    """pythonorg-1's Pepper Wireless ad (Richmond, BC, Canada) says "Wage: $45 per hour" and had no salary."""
    listings = parse_normalised("pythonorg", real("pythonorg-1.rss"))
    pepper = by_id(listings, "7745")
    assert (pepper.title, pepper.company) == ("Data Administrator", "Pepper Wireless")
    assert (pepper.salary_min, pepper.salary_max, pepper.salary_currency, pepper.salary_period) == (
        45, 45, "CAD", "hour")
    assert pepper.salary_annual_min == 45 * 2080
    # Its "4% vacation pay" is no salary, and neither is Lemon.io's "Rate: up to $80" (no period).
    lemon = by_id(listings, "7831")
    assert (lemon.salary_min, lemon.salary_max, lemon.salary_currency) == (None, None, None)
    # Boothbay's New York range is still US dollars.
    boothbay = by_id(listings, "7826")
    assert (boothbay.salary_min, boothbay.salary_max, boothbay.salary_currency, boothbay.salary_period) == (
        150000, 200000, "USD", "year")
    # Toronto ads that state no pay get none from the country alone.
    assert [(job.salary_min, job.salary_currency) for job in listings if job.external_id in ("7828", "7829")] == [
        (None, None), (None, None)]


def _ad(location: str, *paragraphs: str) -> bytes:
    body = "\n".join(f"&lt;p&gt;{text}&lt;/p&gt;" for text in paragraphs)
    return (f"<rss><channel><item><title>Python Developer, Acme</title><link>https://www.python.org/jobs/9001/</link>"
            f"<description>{location}\n{body}</description></item></channel></rss>").encode()


@pytest.mark.parametrize(
    ("location", "paragraphs", "expected"),
    [
        ("Richmond, BC, Canada", ["Wage: $45 per hour"], (45, 45, "CAD", "hour")),
        # Other dollar amounts are not pay, whichever comes first.
        ("Toronto, Ontario, Canada", ["We raised $20M and pay a $500 referral bonus.", "Wages: $38-$42 per hour",
                                      "Budget: $1,000 a year for books"], (38, 42, "CAD", "hour")),
        # A currency the ad writes wins over the country's.
        ("Vancouver, BC, Canada", ["Salary: US$90,000 - US$110,000 per year"], (90000, 110000, "USD", "year")),
        ("Montreal, Quebec, Canada", ["Pay rate: 45 USD per hour"], (45, 45, "USD", "hour")),
        ("Sydney, NSW, Australia", ["Salary: $120,000 - $140,000 per year"], (120000, 140000, "AUD", "year")),
        # Elsewhere a bare "$" is US dollars.
        ("Austin, TX, United States", ["Wage: $45 per hour"], (45, 45, "USD", "hour")),
        ("Berlin, Germany", ["Wage: €30 per hour"], (30, 30, "EUR", "hour")),
        # A pay label without a figure, or a figure without a period, is no salary.
        ("Richmond, BC, Canada", ["Wage: competitive", "Ask about our $500 bonus"], (None, None, None, None)),
        ("Richmond, BC, Canada", ["Rate: up to $80 + benefits."], (None, None, None, None)),
    ],
)
def test_labelled_pay_and_the_local_dollar(location: str, paragraphs: list[str],
                                           expected: tuple[object, ...]) -> None:
    [job] = parse_normalised("pythonorg", _ad(location, *paragraphs))
    assert (job.salary_min, job.salary_max, job.salary_currency, job.salary_period) == expected


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        ("Richmond, BC, Canada", "CAD"),
        ("Toronto, Canada", "CAD"),
        ("Auckland, New Zealand", "NZD"),
        ("Remote, Remote, United States", None),
        ("Canada Way, Burnaby, Remote", None),  # only the last part names the country
        (None, None),
    ],
)
def test_local_dollar(location: str | None, expected: str | None) -> None:
    assert local_dollar(location) == expected


def test_pay_paragraph() -> None:
    assert pay_paragraph("<p>Location: Richmond, BC</p>\n<p>Wage: $45 per hour</p>") == "Wage: $45 per hour"
    assert pay_paragraph('<ul><li class="x">Salary range:  CAD&nbsp;90,000 &amp; up</li></ul>') == (
        "Salary range: CAD 90,000 & up")
    assert pay_paragraph("<p>Salary:</p>\n<p>45–70 USD per hour</p>") is None  # the label stands alone
    assert pay_paragraph("<p>Our wage policy: fair</p><p>Benefits: 4% vacation pay</p>") is None
    assert pay_paragraph(None) is None


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
