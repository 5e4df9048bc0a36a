"""Properties of the salary and location normalisers on arbitrary input: never raise, always well-formed."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from aggregator.model import ANNUAL_FACTOR, Remote, SalaryPeriod
from aggregator.normalise.location import AREAS, Where, parse_location
from aggregator.normalise.salary import Salary, from_structured, parse_salary

_CODE = re.compile(r"[A-Z]{3}")
_COUNTRY = re.compile(r"[A-Z]{2}")
_PERIODS = {p.value for p in SalaryPeriod}

# Text that looks like pay and places often enough to exercise the interesting paths.
_PIECES = st.sampled_from([
    "$", "€", "£", "CHF", "USD", "k", "K", "/hr", "per annum", " a year", "p.a.", "/month", " - ", "–",
    "to", "up to", "from", "+", ",", ".", "'", " ", "000", "120", "45", "5+ years", "401k", "%", "M",
    "Remote", "Hybrid", "On-site", "US", "CA", "NY", "Berlin", "Germany", "EMEA", "UTC", "+3", "-5",
    "GMT", "+/-", "2 hours", "(", ")", ";", "|", "/", "Anywhere", "USA timezones", "Georgia", "DACH",
])
_TEXTY = st.one_of(st.text(max_size=200), st.lists(_PIECES, max_size=25).map("".join))
_NUMBERISH = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**12, max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=20),
)


def _well_formed_salary(salary: Salary | None) -> None:
    if salary is None:
        return
    assert salary.min is not None or salary.max is not None
    if salary.min is not None and salary.max is not None:
        assert salary.min <= salary.max
    for value in (salary.min, salary.max):
        assert value is None or value > 0
    assert salary.currency is None or _CODE.fullmatch(salary.currency)
    assert salary.period in _PERIODS
    factor = ANNUAL_FACTOR[salary.period]
    assert salary.annual_min == (None if salary.min is None else salary.min * factor)


def _well_formed_where(where: Where) -> None:
    assert where.remote is None or where.remote in {r.value for r in Remote}
    for location in where.locations:
        assert location.country is None or _COUNTRY.fullmatch(location.country)
        assert location.country is not None or location.region is not None
    assert len(set(where.locations)) == len(where.locations)
    assert set(where.remote_regions) <= set(AREAS.values())
    if where.utc_offset_min is not None or where.utc_offset_max is not None:
        assert where.utc_offset_min is not None and where.utc_offset_max is not None
        assert -24 <= where.utc_offset_min <= where.utc_offset_max <= 26


@settings(max_examples=400, deadline=None)
@given(text=_TEXTY, default=st.one_of(st.none(), st.sampled_from(["USD", "eur", "SEK", "CNY", "$", "bogus"])))
def test_parse_salary_never_raises_and_is_well_formed(text: str, default: str | None) -> None:
    _well_formed_salary(parse_salary(text, default_currency=default))


@settings(max_examples=400, deadline=None)
@given(low=_NUMBERISH, high=_NUMBERISH, currency=st.one_of(st.none(), st.text(max_size=5)),
       period=st.one_of(st.none(), st.text(max_size=20), st.sampled_from(["YEAR", "1 HOUR", "per-month-salary"])))
def test_from_structured_never_raises_and_is_well_formed(low: object, high: object, currency: str | None,
                                                        period: str | None) -> None:
    _well_formed_salary(from_structured(low, high, currency, period))  # type: ignore[arg-type]


_PLACE = st.dictionaries(
    st.sampled_from(["country", "region", "city", "other"]),
    st.one_of(st.none(), st.integers(), st.text(max_size=20), st.sampled_from(["US", "Germany", "CA", "SF"])),
    max_size=4,
)


@settings(max_examples=400, deadline=None)
@given(text=st.one_of(st.none(), _TEXTY), places=st.one_of(st.none(), st.lists(_PLACE, max_size=4)),
       remote=st.one_of(st.none(), st.booleans(), st.text(max_size=15),
                        st.sampled_from(["TELECOMMUTE", "on-site", "Hybrid", "in-office"])),
       title=st.one_of(_TEXTY))
def test_parse_location_never_raises_and_is_well_formed(text: str | None, places: list[dict[str, object]] | None,
                                                        remote: bool | str | None, title: str) -> None:
    _well_formed_where(parse_location(text, places=places, remote=remote, title=title))  # type: ignore[arg-type]
