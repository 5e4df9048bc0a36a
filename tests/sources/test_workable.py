"""Workable adapter: the real CrewAI account, the project's sample, hidden places, bad input, re-parse."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from aggregator.errors import ParseError
from aggregator.model import Location
from aggregator.normalise import normalise
from scrapers import sources
from scrapers.sources.base import ParseContext
from scrapers.sources.workable import ACCOUNT_KEY, _uncut
from tests.sources.conftest import listing_by_id, parse, parse_normalised, raw_by_id


def _account(*jobs: Any, name: str | None = "Acme Rail") -> bytes:
    document: dict[str, Any] = {"jobs": list(jobs)}
    if name is not None:
        document["name"] = name
    return json.dumps(document).encode()


CREWAI = "https://apply.workable.com/api/v1/widget/accounts/crewai?details=true"


def test_defaults() -> None:
    defaults = sources.get("workable").defaults
    assert defaults.url == "https://apply.workable.com/api/v1/widget/accounts/{board}?details=true"
    assert defaults.max_pages == 1
    assert defaults.content_types == ("application/json",)


def test_real_account(real: Callable[[str], bytes]) -> None:
    page = parse("workable", real("workable-1.json"), board="crewai", url=CREWAI)
    assert page.warnings == []
    assert page.follow == []
    assert page.complete is True
    assert [job.external_id for job in page.listings] == ["3862836931", "96051E9EDE", "0AB5665160", "B778F12851"]
    assert {job.company for job in page.listings} == {"CrewAI"}
    csm = raw_by_id(page.listings, "3862836931")
    assert csm.title == "Customer Success Manager, LATAM"
    assert csm.url == "https://apply.workable.com/j/3862836931"
    assert csm.apply_url == "https://apply.workable.com/j/3862836931/apply"
    assert csm.location_raw == "São Paulo, State of São Paulo, Brazil"
    assert csm.places == [{"country": "BR", "region": "State of São Paulo", "city": "São Paulo"}]
    assert csm.remote == "remote"
    assert csm.employment_type == "Full-time"
    assert csm.seniority == "Mid-Senior level"
    assert csm.tags == ["Support", "Sales"]
    assert csm.posted_at == "2026-06-30"
    assert csm.description_html is not None
    assert csm.description_html.startswith(
        "<p>About the Role</p><p>As a Customer Success Manager, LATAM at CrewAI, you will be the strategic"
    )
    assert csm.raw["shortcode"] == "3862836931"
    assert csm.raw[ACCOUNT_KEY] == "CrewAI"


def test_real_onsite_and_country_only_places(real: Callable[[str], bytes]) -> None:
    listings = parse("workable", real("workable-1.json")).listings
    platform = raw_by_id(listings, "0AB5665160")
    assert platform.title == "Full-Stack Engineer, Agent Management Platform"
    assert platform.location_raw == "San Francisco, California, United States"
    assert platform.places == [{"country": "US", "region": "California", "city": "San Francisco"}]
    assert platform.remote is None  # telecommuting false: on-site or hybrid, the widget doesn't say
    assert platform.tags == ["Engineering"]
    assert platform.posted_at == "2026-06-26"
    fde = raw_by_id(listings, "96051E9EDE")
    assert fde.title == "Forward Deployed Engineer - (East coast based)"
    assert fde.location_raw == "United States"
    assert fde.places == [{"country": "US", "region": None, "city": None}]
    assert fde.remote == "remote"
    assert fde.posted_at == "2026-04-09"


def test_real_account_description_stays_out_of_jobs(real: Callable[[str], bytes]) -> None:
    for job in parse("workable", real("workable-1.json")).listings:
        assert job.description_html is not None
        assert "orchestrate Agents at Scale" not in job.description_html


def test_real_description_cut_mid_tag(real: Callable[[str], bytes]) -> None:
    page = parse("workable", real("workable-1.json"))
    support = raw_by_id(page.listings, "B778F12851")
    assert support.title == "Senior Support Engineer"
    assert support.description_html is not None
    assert support.description_html.startswith("<p>About CrewAI</p><p>CrewAI is the leading framework")
    assert support.description_html.endswith("This role owns that.</p><p></p>")
    listing = listing_by_id(parse_normalised("workable", real("workable-1.json")), "B778F12851")
    assert listing.description_text is not None
    assert listing.description_text.endswith("This role owns that.")
    assert listing.description_html is not None and "&lt;" not in listing.description_html


def test_real_normalised(real: Callable[[str], bytes]) -> None:
    listings = parse_normalised("workable", real("workable-1.json"), board="crewai")
    platform = listing_by_id(listings, "0AB5665160")
    assert platform.company == "CrewAI"
    assert platform.remote is None
    assert platform.locations == [Location(country="US", region="CA", city="San Francisco")]
    assert platform.employment_type == "full_time"
    assert platform.seniority == "senior"  # "Mid-Senior level", the level field; the title names none
    assert platform.posted_at == datetime(2026, 6, 26, tzinfo=UTC)
    assert platform.python_backend is False
    assert platform.tags == ["Engineering"]
    csm = listing_by_id(listings, "3862836931")
    assert csm.remote == "remote"
    assert [(loc.country, loc.city) for loc in csm.locations] == [("BR", "São Paulo")]
    assert csm.seniority == "senior"
    fde = listing_by_id(listings, "96051E9EDE")
    assert fde.remote == "remote"  # telecommuting; the "hybrid technical expert" in the text is no mode
    assert [loc.country for loc in fde.locations] == ["US"]


def test_reparse_round_trip(real: Callable[[str], bytes], sample: Callable[[str], bytes]) -> None:
    adapter = sources.get("workable")
    for payload, board in ((real("workable-1.json"), "crewai"), (sample("workable.json"), "globex")):
        for listing in parse("workable", payload, board=board).listings:
            stored = json.loads(json.dumps(listing.raw))
            assert adapter.parse_item(stored, ParseContext(board=board)) == listing
            # the account's own name survives, whatever the board token is
            again = adapter.parse_item(stored, ParseContext(board="some-other-token"))
            assert again is not None and again.company == listing.company


def test_sample_account(sample: Callable[[str], bytes]) -> None:
    page = parse("workable", sample("workable.json"), board="globex")
    assert page.warnings == []
    assert len(page.listings) == 4
    backend = raw_by_id(page.listings, "6A0C3F91D2")
    assert backend.title == "Senior Backend Engineer (Python)"
    assert backend.company == "Globex"
    assert backend.url == "https://apply.workable.com/globex/j/6A0C3F91D2/"
    assert backend.apply_url == "https://apply.workable.com/globex/j/6A0C3F91D2/apply"
    assert backend.location_raw == "Berlin, Germany; Amsterdam, North Holland, Netherlands"
    assert backend.places == [
        {"country": "DE", "region": "Berlin", "city": "Berlin"},
        {"country": "NL", "region": "North Holland", "city": "Amsterdam"},  # countryCode "nl"
    ]
    assert backend.remote == "remote"
    assert backend.posted_at == "2026-07-21"
    assert backend.tags == ["Engineering"]
    assert backend.description_html is not None
    assert backend.description_html.startswith("<h3>About Globex</h3>")
    assert backend.description_html.endswith("a team offsite twice a year.</p>")
    assert "Globex makes public transport run on time" not in backend.description_html
    analyst = raw_by_id(page.listings, "0D93AB5E17")
    assert analyst.posted_at == "2026-07-09"  # published_on is empty: created_at
    assert analyst.employment_type == "Part-time"
    assert analyst.tags == ["Operations", "Analyst"]


def test_sample_hidden_locations_are_skipped(sample: Callable[[str], bytes]) -> None:
    listings = parse("workable", sample("workable.json")).listings
    frontend = raw_by_id(listings, "B41E7720AF")
    assert frontend.location_raw == "London, England, United Kingdom"  # Manchester is hidden
    assert frontend.places == [{"country": "GB", "region": "England", "city": "London"}]
    analyst = raw_by_id(listings, "0D93AB5E17")
    assert analyst.location_raw == "Madrid, Community of Madrid, Spain"  # the hidden primary is left out
    assert analyst.places == [{"country": "ES", "region": "Community of Madrid", "city": "Madrid"}]


def test_sample_top_level_place_without_locations(sample: Callable[[str], bytes]) -> None:
    support = raw_by_id(parse("workable", sample("workable.json")).listings, "F27C04E8B9")
    assert support.location_raw == "Austin, Texas, United States"
    assert support.places == [{"country": "United States", "region": "Texas", "city": "Austin"}]
    assert support.employment_type == "Contract"


def test_sample_normalised(sample: Callable[[str], bytes]) -> None:
    listings = parse_normalised("workable", sample("workable.json"), board="globex")
    backend = listing_by_id(listings, "6A0C3F91D2")
    assert backend.python_backend is True
    assert {"Python", "Django", "Django REST Framework", "FastAPI", "PostgreSQL", "Celery", "Redis"} <= set(
        backend.skills
    )
    assert backend.remote == "remote"
    assert backend.locations == [
        Location(country="DE", region="Berlin", city="Berlin"),
        Location(country="NL", region="North Holland", city="Amsterdam"),
    ]
    assert backend.seniority == "senior"
    assert backend.employment_type == "full_time"
    assert backend.posted_at == datetime(2026, 7, 21, tzinfo=UTC)
    assert backend.description_text is not None and "5+ years of experience" in backend.description_text
    frontend = listing_by_id(listings, "B41E7720AF")
    assert frontend.python_backend is False
    assert frontend.skills == ["React", "TypeScript"]
    assert listing_by_id(listings, "0D93AB5E17").seniority == "junior"  # "Entry level"
    assert listing_by_id(listings, "0D93AB5E17").employment_type == "part_time"
    support = listing_by_id(listings, "F27C04E8B9")
    assert support.locations == [Location(country="US", region="TX", city="Austin")]
    assert support.employment_type == "contract"
    assert support.seniority is None  # "Not Applicable"
    assert not any(listing.python_backend for listing in listings if listing.external_id != "6A0C3F91D2")


def test_every_location_hidden() -> None:
    job = {
        "shortcode": "H1",
        "title": "Python Developer",
        "city": "Vienna",
        "country": "Austria",
        "locations": [{"country": "Austria", "countryCode": "AT", "city": "Vienna", "hidden": True}],
    }
    listing = parse("workable", _account(job)).listings[0]
    assert listing.location_raw is None
    assert listing.places == []


def test_workplace_type_when_stated() -> None:
    jobs = [
        {"shortcode": "W1", "title": "Django Engineer", "telecommuting": False, "workplace_type": "hybrid"},
        {"shortcode": "W2", "title": "Flask Engineer", "location": {"workplace_type": "on_site"}},
        {"shortcode": "W3", "title": "FastAPI Engineer", "location": {"telecommuting": True}},
        {"shortcode": "W4", "title": "Python Engineer", "telecommuting": "true", "workplace_type": "sometimes"},
    ]
    page = parse("workable", _account(*jobs))
    assert [job.remote for job in page.listings] == ["hybrid", "onsite", "remote", None]
    assert normalise(page.listings[0]).remote == "hybrid"


def test_location_object_of_the_other_job_apis() -> None:
    job = {
        "shortcode": "L1",
        "title": "Backend Engineer",
        "location": {"country": "France", "country_code": "fr", "region": "Île-de-France", "city": "Paris"},
        "country": "France",
        "city": "Paris",
    }
    listing = parse("workable", _account(job)).listings[0]
    assert listing.location_raw == "Paris, Île-de-France, France"
    assert listing.places == [{"country": "FR", "region": "Île-de-France", "city": "Paris"}]


def test_description_parts() -> None:
    split = {
        "shortcode": "D1",
        "title": "Backend Engineer",
        "description": "<p>What you do</p>",
        "requirements": "<ul><li>Python</li></ul>",
        "benefits": "  ",
    }
    whole = dict(split, shortcode="D2", full_description="<p>Everything</p>")
    page = parse("workable", _account(split, whole))
    assert page.listings[0].description_html == "<p>What you do</p>\n<ul><li>Python</li></ul>"
    assert page.listings[1].description_html == "<p>Everything</p>"


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("<p>Done.</p><", "<p>Done.</p>"),
        ("<p>Done.</p></", "<p>Done.</p>"),
        ("<p>Done.</p><stro", "<p>Done.</p>"),
        ('<p>Done.</p><a href="https://example.org', "<p>Done.</p>"),
        ("<p>Pay is a < b", "<p>Pay is a < b"),
        ("<p>We <3 Python", "<p>We <3 Python"),
        ("<p>Complete.</p>", "<p>Complete.</p>"),
        ("", ""),
    ],
)
def test_text_cut_mid_tag(markup: str, expected: str) -> None:
    assert _uncut(markup) == expected


def test_company_falls_back_to_board() -> None:
    job = {"shortcode": "C1", "title": "Python Engineer", ACCOUNT_KEY: "Injected Name"}
    page = parse("workable", _account(job, name=None), board="acme-rail")
    listing = page.listings[0]
    assert listing.company == "Acme Rail"
    assert ACCOUNT_KEY not in listing.raw  # the document named no account
    assert parse("workable", _account(job, name=None)).listings[0].company is None
    assert parse("workable", _account(job, name="Acme Rail GmbH"), board="x").listings[0].company == "Acme Rail GmbH"


def test_url_falls_back_to_shortlink() -> None:
    job = {"shortcode": "U1", "title": "Backend Engineer", "url": "", "shortlink": "https://apply.workable.com/j/U1"}
    listing = parse("workable", _account(job)).listings[0]
    assert listing.url == "https://apply.workable.com/j/U1"
    assert listing.apply_url is None


@pytest.mark.parametrize(
    "payload",
    [b"", b"<!doctype html><title>Blocked</title>", b"\xff\xfe", b"[]", b'[{"shortcode": "A"}]', b'"jobs"',
     b'{"name": "Acme"}', b'{"name": "Acme", "jobs": "none"}', b'{"jobs": {"0": {}}}'],
)
def test_not_a_workable_document(payload: bytes) -> None:
    with pytest.raises(ParseError, match=r"^workable: "):
        parse("workable", payload)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b'{"error": "Not found"}', "Not found"),
        (b'{"status": 404, "message": "Account not found"}', "Account not found"),
    ],
)
def test_api_error_object(payload: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=rf"^workable: the API answered with an error: '{message}'"):
        parse("workable", payload)


def test_empty_account_is_an_empty_snapshot() -> None:
    page = parse("workable", b'{"name": "Acme Rail", "description": "<p>Trains.</p>", "jobs": []}')
    assert page.listings == [] and page.warnings == [] and page.complete is True


def test_broken_items_are_skipped_with_warnings() -> None:
    jobs = [
        {
            "shortcode": "K1",
            "title": "Django Engineer",
            "locations": "Berlin",
            "city": "Hamburg",
            "country": "Germany",
            "telecommuting": "yes",
            "department": ["Engineering"],
            "function": None,
            "published_on": {"date": "2026-07-01"},
            "created_at": "2026-06-01",
            "description": ["<p>Build APIs</p>"],
            "url": ["https://example.org"],
        },
        None,
        {"shortcode": "K2"},
        {"title": "Python Engineer"},
        {"shortcode": "   ", "title": "Python Engineer"},
        {
            "shortcode": "K3",
            "title": "FastAPI Engineer",
            "locations": [
                "Paris",
                {"country": "Germany", "countryCode": "DEU", "city": ["Berlin"], "hidden": "yes"},
                {"country": None, "countryCode": None, "city": None},
            ],
            "experience": False,
        },
    ]
    page = parse("workable", _account(*jobs))
    assert [job.external_id for job in page.listings] == ["K1", "K3"]
    assert len(page.warnings) == 4
    assert page.warnings[0] == "workable: item 1 skipped: not an object"
    assert page.warnings[1] == "workable: item 2 skipped: no shortcode or title"
    first, last = page.listings
    assert first.location_raw == "Hamburg, Germany"  # `locations` is no list: the top-level place
    assert first.remote is None
    assert first.tags == []
    assert first.posted_at == "2026-06-01"
    assert first.description_html is None
    assert first.url is None
    assert last.location_raw == "Germany"
    assert last.places == [{"country": "Germany", "region": None, "city": None}]  # "DEU" is no ISO-2 code
    assert last.seniority is None
    normalise(first)
    normalise(last)


def test_parse_item_broken() -> None:
    adapter = sources.get("workable")
    for raw in (None, "6A0C3F91D2", {"shortcode": "X"}, [{"shortcode": "X", "title": "T"}]):
        with pytest.raises(ParseError, match=r"^workable: stored item unreadable"):
            adapter.parse_item(raw, ParseContext(board="globex"))


def test_parse_item_without_account_name_uses_board() -> None:
    listing = sources.get("workable").parse_item({"shortcode": "P1", "title": "Python Engineer"},
                                                ParseContext(board="globex"))
    assert listing is not None
    assert listing.company == "Globex"
