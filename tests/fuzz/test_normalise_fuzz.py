"""`normalise` never raises: any `RawListing` becomes a `Listing` that satisfies the contract.

Adapters hand over values as sources state them, so every field gets text from the hostile corpus,
and the loosely typed ones (salary, dates, remote, places) get extreme and ill-typed values: NaN,
infinities, integers too large for a float, naive and extreme datetimes, booleans, lists, bytes.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from aggregator.model import RawListing
from aggregator.normalise import normalise
from tests.fuzz.conftest import FUZZ, FUZZING, TIMEOUT, assert_listing_contract, bounded, known_bug
from tests.fuzz.strategies import HTML, TEXT, URL

pytestmark = [TIMEOUT, *([pytest.mark.fuzz] if FUZZING else [])]

_EXTREME_FLOATS = st.sampled_from([math.nan, math.inf, -math.inf, -0.0, 0.0, 1e308, 5e-324, -1.0, 1e15])
_HUGE_INTS = st.sampled_from([10**400, -(10**400), 2**63, 2**64, -(2**63), 0, -1, 10**18])
_ZONES: st.SearchStrategy[Any] = st.sampled_from(
    [None, UTC, timezone(timedelta(hours=14)), timezone(timedelta(hours=-23, minutes=-59))])
_DATETIMES = st.one_of(
    st.datetimes(timezones=_ZONES),
    st.sampled_from([datetime.min, datetime.max, datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC),
                     datetime(1970, 1, 1, tzinfo=timezone(timedelta(hours=-23)))]),
)
_AMOUNT_TEXT = st.one_of(TEXT, st.sampled_from(["120k", "120K", "1,000.50", "1.000,50", "1e400", "nan", "inf",
                                                  "-5", "0", "", " ", "9" * 400, "120kk", "$120,000"]))
#: Values of the declared types (float | str | None for salaries, str | int | float | datetime for dates).
_SALARY = st.one_of(st.none(), st.floats(), _EXTREME_FLOATS, st.integers(), _HUGE_INTS, _AMOUNT_TEXT)
_POSTED = st.one_of(st.none(), TEXT, st.integers(), _HUGE_INTS, st.floats(), _EXTREME_FLOATS, _DATETIMES,
                    st.sampled_from(["2024-02-30", "9999-12-31T23:59:59+14:00", "0001-01-01T00:00:00-23:59",
                                     "1" * 30, "1e309", "2025-06-10 08:35:07 UTC", "Mon, 99 Foo 2024"]))
#: Ill-typed values an adapter bug or a stored raw item could carry.
_WRONG = st.one_of(st.booleans(), st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3),
                   st.integers(), max_size=2), st.binary(max_size=8), st.just(object()))
_PLACE = st.dictionaries(st.sampled_from(["country", "region", "city", "x"]),
                         st.one_of(st.none(), TEXT, st.sampled_from(["US", "de", "UK", "Deutschland", "XX", ""])),
                         max_size=3)

_PLACE_ILL_TYPED = st.dictionaries(st.sampled_from(["country", "region", "city"]), st.one_of(TEXT, _WRONG), max_size=3)


def _raw(values: dict[str, Any]) -> RawListing:
    return RawListing(**values)


def _listings(salary: Any, posted: Any, remote: Any, places: Any) -> Any:
    return st.builds(
        _raw,
        st.fixed_dictionaries({
            "source": st.sampled_from(["remotive", "rss", "hn", ""]),
            "external_id": st.text(min_size=1, max_size=20),
            "title": st.one_of(TEXT, HTML),
            "url": st.one_of(st.none(), URL),
            "apply_url": st.one_of(st.none(), URL),
            "company": st.one_of(st.none(), TEXT),
            "location_raw": st.one_of(st.none(), TEXT, st.sampled_from([
                "Remote (EU, UTC-1 to UTC+3)", "Berlin, Germany; London, UK", "Anywhere", "USA Only", "Hybrid"])),
            "places": places,
            "remote": remote,
            "employment_type": st.one_of(st.none(), TEXT),
            "seniority": st.one_of(st.none(), TEXT),
            "salary_min": salary,
            "salary_max": salary,
            "salary_currency": st.one_of(st.none(), TEXT, st.sampled_from(["USD", "eur", "$", "XXX"])),
            "salary_period": st.one_of(st.none(), TEXT, st.sampled_from(["year", "1 HOUR", "one-time"])),
            "salary_text": st.one_of(st.none(), TEXT, _AMOUNT_TEXT),
            "tags": st.lists(TEXT, max_size=4),
            "description_html": st.one_of(st.none(), HTML),
            "description_text": st.one_of(st.none(), TEXT),
            "posted_at": posted,
            "raw": st.none(),
        }),
    )


def _check(raw: RawListing) -> None:
    size = sum(len(v) for v in (raw.title, raw.description_html, raw.description_text) if isinstance(v, str))
    try:
        listing = bounded(lambda: normalise(raw), input_size=size)
    except Exception as exc:
        if known_bug(exc):
            event(f"known bug: {type(exc).__name__}")
            return
        raise
    assert_listing_contract(listing)


@FUZZ
@given(raw=_listings(_SALARY, _POSTED, st.one_of(st.none(), st.booleans(), TEXT), st.lists(_PLACE, max_size=3)))
def test_normalise_declared_types(raw: RawListing) -> None:
    """Every value of the declared field types, extremes included."""
    _check(raw)


@FUZZ
@given(raw=_listings(st.one_of(_SALARY, _WRONG), st.one_of(_POSTED, _WRONG), st.one_of(TEXT, _WRONG),
                     st.lists(_PLACE_ILL_TYPED, max_size=3)))
def test_normalise_ill_typed_values(raw: RawListing) -> None:
    """Values of the wrong type in the loosely typed fields (salary, date, remote, place values)."""
    _check(raw)


def test_integer_salary_past_float_range_is_not_a_salary() -> None:
    """Found by test_normalise_declared_types: a JSON integer such as 10**400 is a valid salary_min value."""
    listing = normalise(RawListing(source="remotive", external_id="1", title="Python Developer",
                                   salary_min=10**400, salary_currency="USD", salary_period="year"))
    assert listing.salary_min is None
