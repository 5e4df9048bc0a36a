"""The Hacker News "Who is hiring?" adapter: story search → thread → postings, and the headline parser."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from aggregator.errors import ParseError
from scrapers.sources._hn_headline import Headline, parse_headline
from tests.sources.conftest import listing_by_id, parse, parse_normalised, raw_by_id

# --- the first-line parser -------------------------------------------------------------------

H = Headline
HEADLINES: list[tuple[str, Headline]] = [
    ("Acme Payments | Senior Backend Engineer (Python/Django) | Berlin, Germany | ONSITE | €85k–€105k",
     H("Senior Backend Engineer (Python/Django)", "Acme Payments", "Berlin, Germany", "onsite",
       "€85k–€105k")),
    ("Northwind Analytics | Staff Software Engineer, Data Platform | REMOTE (US) | $180k - $220k + equity"
     " | https://northwind.example.com/careers",
     H("Staff Software Engineer, Data Platform", "Northwind Analytics", "REMOTE (US)", "remote",
       "$180k-$220k + equity", "https://northwind.example.com/careers")),
    ("Lumen Health (YC W21) | Backend Engineer, Python | San Francisco, CA | Hybrid | $150,000 - $190,000",
     H("Backend Engineer, Python", "Lumen Health", "San Francisco, CA", "hybrid", "$150,000-$190,000")),
    ("Tidewater Labs | Python Developer | Remote (EU timezones) | Full-time | €70k-€90k",
     H("Python Developer", "Tidewater Labs", "Remote (EU timezones)", "remote", "€70k-€90k",
       employment_type="Full-time")),
    ("Kelpie | Founding Engineer | NYC | ONSITE | $160k-$200k, 0.5%-1.5% equity",
     H("Founding Engineer", "Kelpie", "NYC", "onsite", "$160k-$200k, 0.5%-1.5% equity")),
    ("Orbital Freight | Senior Python Engineer | Senior Frontend Engineer | Remote | https://orbitalfreight.io/jobs",
     H("Senior Python Engineer, Senior Frontend Engineer", "Orbital Freight", "Remote", "remote",
       apply_url="https://orbitalfreight.io/jobs")),
    ("Grainline - Backend Developer (FastAPI) - London, UK - Hybrid - £70,000 - £85,000",
     H("Backend Developer (FastAPI)", "Grainline", "London, UK", "hybrid", "£70,000-£85,000")),
    ("Parcelbase • Site Reliability Engineer • Remote (Americas) • $140k–$175k",
     H("Site Reliability Engineer", "Parcelbase", "Remote (Americas)", "remote", "$140k–$175k")),
    ("Quillstack / Data Engineer / Toronto, ON / Remote-friendly",
     H("Data Engineer", "Quillstack", "Toronto, ON; Remote-friendly", "remote")),
    ("Harbor & Vine | Multiple roles | Austin, TX or Remote (US) | VISA",
     H("Multiple roles", "Harbor & Vine", "Austin, TX or Remote (US)", "remote")),
    ("Brightside Energy | Platform Engineer | Amsterdam, Netherlands | ONSITE | VISA | €75,000–€95,000",
     H("Platform Engineer", "Brightside Energy", "Amsterdam, Netherlands", "onsite", "€75,000–€95,000")),
    ("Mossgiel Robotics | Embedded Software Engineer (C++) | Munich | Onsite | Full-time",
     H("Embedded Software Engineer (C++)", "Mossgiel Robotics", "Munich", "onsite",
       employment_type="Full-time")),
    ("Vantage Ledger | Senior Django Developer | REMOTE | Contract | $90/hr",
     H("Senior Django Developer", "Vantage Ledger", "REMOTE", "remote", "$90/hr",
       employment_type="Contract")),
    ("Sundial | Senior Backend Engineer | Remote, UTC-3 to UTC+3 | 120k-150k EUR",
     H("Senior Backend Engineer", "Sundial", "Remote, UTC-3 to UTC+3", "remote", "120k-150k EUR")),
    ("Copperleaf Bio | Machine Learning Engineer | Boston, MA | Hybrid (3 days in office) | $165k–$200k"
     " | www.copperleafbio.com",
     H("Machine Learning Engineer", "Copperleaf Bio", "Boston, MA; Hybrid (3 days in office)", "hybrid",
       "$165k–$200k", "https://www.copperleafbio.com")),
    ("Fernweh Travel | Python Engineer | Lisbon, Portugal or Remote (Europe) | €60-80k",
     H("Python Engineer", "Fernweh Travel", "Lisbon, Portugal or Remote (Europe)", "remote", "€60-80k")),
    ("Atlas Grid | Backend Engineer | Denver, CO | ON-SITE | $130k-$160k | INTERNS",
     H("Backend Engineer", "Atlas Grid", "Denver, CO", "onsite", "$130k-$160k")),
    ("Pebblebrook | Senior Software Engineer (Python, Postgres) | Remote in US or Canada | $170-210k",
     H("Senior Software Engineer (Python, Postgres)", "Pebblebrook", "Remote in US or Canada", "remote",
       "$170-210k")),
    ("Helio Systems | DevOps Engineer | Remote | Part-time",
     H("DevOps Engineer", "Helio Systems", "Remote", "remote", employment_type="Part-time")),
    ("Marigold AI | Senior ML Engineer, Backend Engineer, Product Designer | SF Bay Area | Onsite"
     " | $180k-$250k",
     H("Senior ML Engineer, Backend Engineer, Product Designer", "Marigold AI", "SF Bay Area", "onsite",
       "$180k-$250k")),
    ("Northbeam Games | Gameplay Programmer | Montreal, QC | ONSITE | CAD 95k-120k",
     H("Gameplay Programmer", "Northbeam Games", "Montreal, QC", "onsite", "CAD 95k-120k")),
    ("Juniper Civic | Software Engineer | Washington, DC | Hybrid | $125,000–$155,000"
     " | https://juniper-civic.org/careers",
     H("Software Engineer", "Juniper Civic", "Washington, DC", "hybrid", "$125,000–$155,000",
       "https://juniper-civic.org/careers")),
    # No role word: the conventional second segment is still the title.
    ("Sable Insurance | Platform Wizard | Remote (UK) | £90k",
     H("Platform Wizard", "Sable Insurance", "Remote (UK)", "remote", "£90k")),
    # The poster starts with the role and names no company.
    ("Founding Backend Engineer | REMOTE | $140k + equity",
     H("Founding Backend Engineer", None, "REMOTE", "remote", "$140k + equity")),
    ("Tessellate | Senior Backend Engineer | No remote | Paris, France",
     H("Senior Backend Engineer", "Tessellate", "Paris, France", "onsite")),
    ("Redwood Fintech | Remote (US only) | $150k-$180k",
     H("Hiring at Redwood Fintech", "Redwood Fintech", "Remote (US only)", "remote", "$150k-$180k")),
    ("Gridline Labs | Backend Engineer | ONSITE | REMOTE | Berlin",
     H("Backend Engineer", "Gridline Labs", "REMOTE; Berlin", "remote")),
    # Free text: the company from the first sentence, the title from a role phrase.
    ("Ferrous is hiring senior Python engineers to build our billing platform. We're fully remote.",
     H("Senior Python engineers", "Ferrous", None, "remote")),
    ("We at Kestrel Maps are hiring a backend developer (Python, PostGIS) in Zurich, Switzerland.",
     H("Backend developer", "Kestrel Maps", "Zurich, Switzerland")),
    ("Driftwood Audio is looking for people who love sound. Remote-first, EU only.",
     H("Hiring at Driftwood Audio", "Driftwood Audio", None, "remote")),
    ("Hi HN! We are a small team building tools for farmers.",
     H("Hi HN! We are a small team building…")),
    ("", H("Job posting")),
    (" | | ", H("Job posting")),
]


@pytest.mark.parametrize(("line", "expected"), HEADLINES, ids=[line[:40] for line, _ in HEADLINES])
def test_headline(line: str, expected: Headline) -> None:
    assert parse_headline(line) == expected


def test_headline_takes_the_role_from_the_body_when_the_line_has_none() -> None:
    body = "We are looking for a Senior Data Engineer to own our pipelines."
    headline = parse_headline("Redwood Fintech | Remote (US only) | $150k-$180k", body)
    assert headline.title == "Senior Data Engineer"
    assert headline.company == "Redwood Fintech"


ODD_LINES = ["|||", "$$$ | €€€", "https:// | www.", "(" * 500, "a|" * 2000, "\x00\ufffd"]


@pytest.mark.parametrize("line", ODD_LINES)
def test_headline_never_raises_on_odd_text(line: str) -> None:
    assert parse_headline(line).title


@pytest.mark.timeout(5)
@pytest.mark.parametrize("line", ["in " + "Aa " * 30000, "Aa, " * 30000, "Senior " * 20000 + "engineer"])
def test_headline_stays_fast_on_long_prose(line: str) -> None:
    # A post without a line break is one long "first line"; no pattern may go quadratic on it.
    assert parse_headline(line, line).title


# --- the samples: story search → thread ------------------------------------------------------


def test_story_search_follows_the_newest_hiring_thread(sample: Callable[[str], bytes]) -> None:
    page = parse("hn", sample("hn_search.json"))
    # The July thread comes first in the payload and "Who wants to be hired?" is newer by a second.
    assert page.follow == ["https://hn.algolia.com/api/v1/items/49120337"]
    assert page.listings == []


def test_story_search_follows_on_the_host_it_was_fetched_from(sample: Callable[[str], bytes]) -> None:
    page = parse("hn", sample("hn_search.json"),
                 url="http://127.0.0.1:8765/mirror/api/v1/search_by_date?tags=story,author_whoishiring")
    assert page.follow == ["http://127.0.0.1:8765/mirror/api/v1/items/49120337"]


def test_thread_top_level_comments_are_the_postings(sample: Callable[[str], bytes]) -> None:
    page = parse("hn", sample("hn_thread.json"))
    ids = [listing.external_id for listing in page.listings]
    # 9 top-level comments, one deleted; replies (49121870, 49122315, 49121502) are not postings.
    assert ids == ["49120411", "49120436", "49120502", "49120588", "49120650", "49120719", "49120877",
                   "49120950"]
    assert page.warnings == []
    assert page.follow == []


def test_thread_piped_posting(sample: Callable[[str], bytes]) -> None:
    listing = raw_by_id(parse("hn", sample("hn_thread.json")).listings, "49120411")
    assert listing.title == "Senior Backend Engineer (Python, Django)"
    assert listing.company == "Lindenfeld Analytics"
    assert listing.location_raw == "Berlin, Germany or REMOTE (EU)"
    assert listing.url == "https://news.ycombinator.com/item?id=49120411"
    # HN truncates long link text; the href is the whole URL.
    assert listing.apply_url == "https://jobs.lindenfeld.example/careers/senior-backend-engineer"
    assert listing.posted_at == int(datetime(2026, 8, 3, 15, 2, 19, tzinfo=UTC).timestamp())
    assert listing.description_html is not None
    assert "<p>We build the forecasting platform" in listing.description_html


def test_thread_other_styles(sample: Callable[[str], bytes]) -> None:
    listings = parse("hn", sample("hn_thread.json")).listings
    quayside = raw_by_id(listings, "49120436")
    assert quayside.company == "Quayside"
    assert (quayside.title, quayside.remote) == ("Founding Backend Engineer", "onsite")
    assert quayside.salary_text == "$170k-$210k + 0.5–1% equity"
    orchard = raw_by_id(listings, "49120502")
    assert (orchard.company, orchard.title, orchard.employment_type) == ("Orchard Health", "Python Developer",
                                                                         "Full-time")
    assert orchard.salary_text == "$140,000-$165,000"
    tallybird = raw_by_id(listings, "49120588")
    assert (tallybird.title, tallybird.salary_text, tallybird.employment_type) == (
        "Staff Software Engineer, Platform", "$95/hr", "Contract")
    fernhill = raw_by_id(listings, "49120650")
    assert (fernhill.company, fernhill.title) == ("Fernhill Robotics", "Senior Python engineers")
    assert (fernhill.location_raw, fernhill.remote) == ("Austin, TX", "hybrid")
    cobalt = raw_by_id(listings, "49120877")
    assert cobalt.title == "Backend Engineers (Python/Go), SRE"
    assert cobalt.salary_text == "£75,000–£95,000"


def test_thread_normalised(sample: Callable[[str], bytes]) -> None:
    listings = parse_normalised("hn", sample("hn_thread.json"))
    lindenfeld = listing_by_id(listings, "49120411")
    assert lindenfeld.remote == "remote"
    assert lindenfeld.posted_at == datetime(2026, 8, 3, 15, 2, 19, tzinfo=UTC)
    assert lindenfeld.company == "Lindenfeld Analytics"
    # "Senior Python engineers": a post hiring several is still a Python backend role
    assert listing_by_id(listings, "49120650").python_backend is True


# --- the real payloads -------------------------------------------------------------------------


def test_real_comment_search_keeps_only_top_level_posts(real: Callable[[str], bytes]) -> None:
    page = parse("hn", real("hn-1.json"))
    # 6 hits: 5 replies (one a job seeker's "Full-Stack Developer | India" post) and one job post.
    assert [listing.external_id for listing in page.listings] == ["48919859"]
    listing = page.listings[0]
    assert listing.title == "Founding Technologist + Full Stack Developer"
    assert listing.company is None
    assert listing.remote == "remote"
    assert listing.location_raw == "REMOTE"
    assert listing.salary_text == "$0 + equity"
    assert listing.url == "https://news.ycombinator.com/item?id=48919859"
    assert listing.posted_at == 1784118751
    assert page.follow == []  # no URL known, so no next page to build


def test_real_comment_search_pages_on(real: Callable[[str], bytes]) -> None:
    url = "http://127.0.0.1:9000/api/v1/search_by_date?tags=comment,story_48747976&hitsPerPage=6"
    page = parse("hn", real("hn-1.json"), url=url)
    assert page.follow == [
        "http://127.0.0.1:9000/api/v1/search_by_date?tags=comment%2Cstory_48747976&hitsPerPage=6&page=1"
    ]


def test_real_story_search_is_not_date_ordered(real: Callable[[str], bytes]) -> None:
    page = parse("hn", real("hn-2.json"))
    # The 2020 "Who is hiring right now?" is not a monthly thread; Feb 2017 is newer than Nov 2016.
    assert page.follow == ["https://hn.algolia.com/api/v1/items/13541679"]


# --- bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize("payload", [b"<html>rate limited</html>", b"", b"\x89PNG\r\n\x1a\n\x00\x00"])
def test_not_json_is_a_parse_error(payload: bytes) -> None:
    with pytest.raises(ParseError, match=r"^hn: "):
        parse("hn", payload)


@pytest.mark.parametrize("document", [[], {"message": "Not found"}, {"hits": "none"}, "text", 42])
def test_wrong_shape_is_a_parse_error(document: object) -> None:
    with pytest.raises(ParseError, match=r"^hn: "):
        parse("hn", json.dumps(document).encode())


def test_story_search_without_a_hiring_thread_is_empty_with_a_warning() -> None:
    document = {"hits": [{"objectID": "1", "title": "Ask HN: Who wants to be hired? (May 2026)",
                          "created_at_i": 1, "_tags": ["story"]}]}
    page = parse("hn", json.dumps(document).encode())
    assert page.listings == [] and page.follow == []
    assert page.warnings == ["hn: no 'Ask HN: Who is hiring?' story among 1 hits"]


def test_empty_search_page_and_comment_item_give_no_postings() -> None:
    assert parse("hn", b'{"hits": [], "page": 9, "nbPages": 9}').listings == []
    reply = {"id": 5, "type": "comment", "text": "Thanks!", "children": [{"id": 6, "text": "x", "author": "a"}]}
    page = parse("hn", json.dumps(reply).encode())
    assert page.listings == []
    assert page.warnings == ["hn: item 5 is a comment, not a story"]


def test_broken_children_are_skipped_with_a_warning_and_the_rest_kept() -> None:
    good = {"id": 11, "author": "a", "parent_id": 10, "type": "comment", "created_at_i": 1785769339,
            "text": "Acme | Python Engineer | Remote"}
    thread = {"id": 10, "type": "story", "title": "Ask HN: Who is hiring? (August 2026)", "children": [
        "not an object",
        {"author": "b", "parent_id": 10, "text": "Nobody | Engineer"},  # no id
        {"id": 12, "author": None, "text": None, "parent_id": 10},  # deleted
        {"id": 13, "author": "c", "text": "[dead]", "parent_id": 10},
        {"id": 14, "author": "d", "text": "Flagged Co | Engineer", "parent_id": 10, "dead": True},
        {"id": 15, "author": "e", "text": {"html": "wrong type"}, "parent_id": 10},
        good,
    ]}
    page = parse("hn", json.dumps(thread).encode())
    assert [listing.external_id for listing in page.listings] == ["11"]
    assert page.listings[0].company == "Acme"
    assert page.warnings == ["hn: child 0 skipped: not an object", "hn: child 1 skipped: no comment id"]
