"""RemoteOK adapter: real API bodies, the project's sample, the mojibake repair and broken input."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from aggregator.errors import ParseError
from scrapers import sources
from scrapers.sources.remoteok import repair_mojibake
from tests.sources.conftest import by_id, parse, parse_normalised, raw_by_id

LEGAL = {"last_updated": 1773720015, "legal": "API Terms of Service: Please link back …"}



def test_defaults_point_at_the_python_tag_and_poll_rarely() -> None:
    defaults = sources.get("remoteok").defaults
    assert defaults.url == "https://remoteok.com/api?tags=python"
    assert defaults.max_pages == 1
    assert defaults.rate <= 0.1


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        ("We\u00e2\u0080\u0099re hiring", "We’re hiring"),  # Latin-1 view of U+2019
        ("We\u00e2\u20ac\u2122re hiring", "We’re hiring"),  # the cp1252 view of the same bytes
        ("Gda\u00c5\u0084sk", "Gdańsk"),
        ("Z\u00c3\u00b3calo Health", "Zócalo Health"),
        ("\u00f0\u009f\u009a\u0080 Join", "🚀 Join"),
        ("\u00e2\u0082\u00ac2,500\u00e2\u0080\u00933,500", "€2,500–3,500"),
        ("caf\u00e9 in Z\u00fcrich", "café in Zürich"),  # genuine accents stay
        ("mixed: café and we\u00e2\u0080\u0099re", "mixed: café and we’re"),
        ("plain ASCII", "plain ASCII"),
        ("\u00c3 alone", "\u00c3 alone"),  # a lead byte without its continuation is not mojibake
    ],
)
def test_repair_mojibake(broken: str, fixed: str) -> None:
    assert repair_mojibake(broken) == fixed


def test_real_full_body_skips_the_legal_notice_and_the_empty_item(real: Callable[[str], bytes]) -> None:
    page = parse("remoteok", real("remoteok-1.json"))
    # 97 jobs after the notice; one has neither position nor company and is skipped with a warning.
    assert len(page.listings) == 96
    assert page.warnings == ["remoteok: item 5 skipped: no id or position"]
    assert page.follow == []


def test_real_listing_fields(real: Callable[[str], bytes]) -> None:
    listings = parse("remoteok", real("remoteok-1.json")).listings
    job = raw_by_id(listings, "1130694")
    assert job.title == "Senior Software Engineer Python Django PostgreSQL and Vue.js"
    assert job.company == "GHX"
    assert job.url == job.apply_url
    assert job.url is not None and job.url.startswith("https://remoteOK.com/remote-jobs/")
    assert job.url.endswith("-1130694")
    assert job.location_raw is None  # "" in the payload
    assert job.salary_min is None and job.salary_max is None  # 0 means not stated
    assert "django" in job.tags and "python" in job.tags
    assert job.posted_at == "2026-03-09T18:00:23+00:00"
    assert job.remote is True


def test_real_salary_is_annual_usd_as_the_api_states(real: Callable[[str], bytes]) -> None:
    listings = parse("remoteok", real("remoteok-1.json")).listings
    amstar = raw_by_id(listings, "1130690")
    assert (amstar.salary_min, amstar.salary_max, amstar.salary_currency, amstar.salary_period) == (
        30000, 50000, "USD", "year")
    graphcore = raw_by_id(listings, "1130779")
    # As the API states it; the ad's "PLN 350,700 - 474,400" corrects it in normalisation.
    assert (graphcore.salary_min, graphcore.salary_max) == (350700, 474400)
    assert (graphcore.salary_currency, graphcore.salary_period) == ("USD", "year")
    assert graphcore.location_raw == "Gdańsk"
    ghx = raw_by_id(listings, "1130694")  # salary_min and salary_max 0: nothing stated, no currency either
    assert (ghx.salary_min, ghx.salary_max, ghx.salary_currency, ghx.salary_period) == (None, None, None, None)


def test_real_salaries_normalised_with_currency(real: Callable[[str], bytes]) -> None:
    """remoteok-1's salaries had no currency ("30000-50000, currency None"); Remote OK's are annual USD."""
    listings = parse_normalised("remoteok", real("remoteok-1.json"))

    def pay(external_id: str) -> tuple[float | None, float | None, str | None, str | None]:
        job = by_id(listings, external_id)
        return job.salary_min, job.salary_max, job.salary_currency, job.salary_period

    assert pay("1130690") == (30000, 50000, "USD", "year")  # Amstar Curacao, was currency None
    assert pay("1130780") == (180000, 210000, "USD", "year")  # VP Corporate Marketing, was currency None
    assert pay("1130773") == (110000, 160000, "USD", "year")  # Head of European and UK Policy (Dublin)
    # The ad writes the very same figures in zloty: its own currency wins over the API's.
    assert pay("1130779") == (350700, 474400, "PLN", "year")
    # 25-27 "a year" is no salary; the ad's "Compensation: $25 - $27 (per hour)" is.
    assert pay("1130733") == (25, 27, "USD", "hour")
    # 30-30 "a year" is no salary either, and the ad states none.
    assert pay("1130776") == (None, None, None, None)
    assert pay("1130694") == (None, None, None, None)  # 0 and 0


def test_real_trimmed_body_states_no_salary(real: Callable[[str], bytes]) -> None:
    listings = parse_normalised("remoteok", real("remoteok-2.json"))
    assert [(job.salary_min, job.salary_max, job.salary_currency, job.salary_period) for job in listings] == [
        (None, None, None, None)] * 4  # every salary_min/salary_max is 0


def test_real_mojibake_and_literal_newlines_are_repaired(real: Callable[[str], bytes]) -> None:
    listings = parse("remoteok", real("remoteok-1.json")).listings
    assert raw_by_id(listings, "1130733").company == "Zócalo Health"
    fisher = raw_by_id(listings, "1130788")
    assert fisher.description_html is not None
    assert "What You’ll Do" in fisher.description_html
    for job in listings:
        text = (job.description_html or "") + job.title + (job.company or "") + (job.location_raw or "")
        assert not any("\u0080" <= ch <= "\u009f" for ch in text), job.external_id
        assert "\\n" not in text, job.external_id


def test_real_normalised(real: Callable[[str], bytes]) -> None:
    listing = by_id(parse_normalised("remoteok", real("remoteok-1.json")), "1130690")
    assert listing.title == "Senior Python Backend Engineer Mission Critical"
    assert listing.company == "Amstar Curacao"
    assert listing.remote == "remote"
    assert listing.salary_min == 30000 and listing.salary_max == 50000
    assert (listing.salary_currency, listing.salary_period) == ("USD", "year")
    assert listing.posted_at == datetime(2026, 3, 9, 10, 34, 28, tzinfo=UTC)
    assert listing.url is not None and listing.url.startswith("https://remoteok.com/remote-jobs/")


def test_real_trimmed_body_with_raw_utf8(real: Callable[[str], bytes]) -> None:
    listings = parse("remoteok", real("remoteok-2.json")).listings
    assert [job.external_id for job in listings] == ["1135929", "1136039", "1135927", "1135924"]
    first = raw_by_id(listings, "1135929")
    assert first.title == "Compatibility"
    assert first.company == "DanielTems"
    assert first.location_raw == "How"  # "How, " with its empty region dropped
    assert first.description_html is not None and "don’t always think they’re right" in first.description_html


def test_sample(sample: Callable[[str], bytes]) -> None:
    page = parse("remoteok", sample("remoteok.json"))
    assert page.warnings == []
    assert [job.external_id for job in page.listings] == [
        "1140512",
        "1140498",
        "1140475",
        "1140460",
        "1140441",
    ]
    ledger = raw_by_id(page.listings, "1140512")
    assert ledger.title == "Senior Python Backend Engineer"
    assert (
        ledger.url
        == "https://remoteOK.com/remote-jobs/remote-senior-python-backend-engineer-ledgerleaf-1140512"
    )
    assert (ledger.salary_min, ledger.salary_max) == (140000, 175000)
    assert ledger.description_html is not None
    assert "We’re hiring" in ledger.description_html and "$140,000–$175,000" in ledger.description_html
    assert "\\n" not in ledger.description_html
    zocalo = raw_by_id(page.listings, "1140460")
    assert (zocalo.company, zocalo.location_raw) == ("Zócalo Labs", "Gdańsk, Poland")
    northwind = raw_by_id(page.listings, "1140475")
    assert northwind.salary_min is None and northwind.location_raw == "Remote - Americas"


def test_sample_normalised(sample: Callable[[str], bytes]) -> None:
    listings = parse_normalised("remoteok", sample("remoteok.json"))
    kettle = by_id(listings, "1140498")
    assert kettle.title == "Backend Developer (FastAPI)"
    assert kettle.remote == "remote"
    assert kettle.posted_at == datetime(2026, 1, 4, 8, 0, tzinfo=UTC)
    assert (
        kettle.url == "https://remoteok.com/remote-jobs/remote-backend-developer-fastapi-kettlebyte-1140498"
    )
    assert by_id(listings, "1140441").title == "Senior Frontend Engineer"


def test_epoch_is_used_when_date_is_missing_and_url_built_from_slug() -> None:
    item = {"id": 7, "slug": "remote-python-dev-acme-7", "position": "Python Dev", "epoch": 1767600000}
    job = parse("remoteok", json.dumps([LEGAL, item]).encode()).listings[0]
    assert job.posted_at == 1767600000
    assert job.url == "https://remoteok.com/remote-jobs/remote-python-dev-acme-7"
    assert job.company is None and job.tags == []


@pytest.mark.parametrize("payload", [b"<html>blocked</html>", b"", b'{"jobs": []}', b'"text"'])
def test_not_a_remoteok_document(payload: bytes) -> None:
    with pytest.raises(ParseError, match=r"^remoteok: "):
        parse("remoteok", payload)


def test_broken_items_are_skipped_with_warnings() -> None:
    good = {
        "id": "1",
        "position": "Python Engineer",
        "company": "Acme",
        "tags": "python",
        "salary_min": "n/a",
    }
    payload = json.dumps([LEGAL, "junk", {"id": "2"}, good, {"id": "3", "position": ["x"]}]).encode()
    page = parse("remoteok", payload)
    assert [job.external_id for job in page.listings] == ["1"]
    assert page.listings[0].tags == ["python"] and page.listings[0].salary_min is None
    assert page.warnings == [
        "remoteok: item 1 skipped: not an object",
        "remoteok: item 2 skipped: no id or position",
        "remoteok: item 4 skipped: no id or position",
    ]


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (120000, 150000, (120000, 150000, "USD", "year")),
        (90000, 0, (90000, None, "USD", "year")),  # a floor only
        (0, 0, (None, None, None, None)),
        (None, "", (None, None, None, None)),
    ],
)
def test_salary_currency_and_period_only_with_a_salary(low: object, high: object,
                                                       expected: tuple[object, ...]) -> None:
    item = {"id": "8", "position": "Python Engineer", "salary_min": low, "salary_max": high}
    [job] = parse("remoteok", json.dumps([LEGAL, item]).encode()).listings
    assert (job.salary_min, job.salary_max, job.salary_currency, job.salary_period) == expected


def test_legal_notice_only() -> None:
    assert parse("remoteok", json.dumps([LEGAL]).encode()).listings == []
