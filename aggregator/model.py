"""The listing model: what sources produce (`RawListing`) and the contract everyone reads (`Listing`).

`RawListing` carries a source's values as the source states them (strings, epoch numbers, free
text); `aggregator.normalise` turns it into a `Listing`, the JSON contract of DESIGN.md.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import msgspec


class Remote(enum.StrEnum):
    REMOTE = "remote"
    HYBRID = "hybrid"
    ONSITE = "onsite"


class EmploymentType(enum.StrEnum):
    FULL_TIME = "full_time"
    PART_TIME = "part_time"
    CONTRACT = "contract"
    INTERNSHIP = "internship"
    TEMPORARY = "temporary"


class Seniority(enum.StrEnum):
    INTERN = "intern"
    JUNIOR = "junior"
    MID = "mid"
    SENIOR = "senior"
    LEAD = "lead"
    PRINCIPAL = "principal"


class SalaryPeriod(enum.StrEnum):
    YEAR = "year"
    MONTH = "month"
    WEEK = "week"
    DAY = "day"
    HOUR = "hour"


#: Multipliers that turn a salary stated per period into a yearly figure.
ANNUAL_FACTOR: dict[str, int] = {"year": 1, "month": 12, "week": 52, "day": 260, "hour": 2080}


@dataclass(slots=True, kw_only=True)
class RawListing:
    """One item as a source adapter read it: values as stated, nothing inferred.

    Structured fields (salary numbers, country codes, remote flags) are filled when the payload
    has them; free text goes to the `*_raw`/`*_text` fields and is interpreted by the normalisers.
    """

    source: str
    external_id: str
    title: str
    url: str | None = None
    apply_url: str | None = None
    company: str | None = None
    location_raw: str | None = None
    #: Structured places stated by the payload: dicts with any of country (name or code), region, city.
    places: list[dict[str, str | None]] = field(default_factory=list)
    #: A structured remote flag: True/False, or a word such as "remote", "hybrid", "onsite", "TELECOMMUTE".
    remote: bool | str | None = None
    employment_type: str | None = None
    seniority: str | None = None
    salary_min: float | None = None
    salary_max: float | None = None
    salary_currency: str | None = None
    salary_period: str | None = None
    #: Free-text pay ("$120k - $150k a year"), parsed when no structured numbers are given.
    salary_text: str | None = None
    tags: list[str] = field(default_factory=list)
    description_html: str | None = None
    description_text: str | None = None
    #: ISO 8601 / RFC 822 string, epoch seconds or milliseconds, or an aware datetime.
    posted_at: str | int | float | datetime | None = None
    #: The item as received, kept for re-parsing after a parser fix.
    raw: Any = None


class Location(msgspec.Struct, frozen=True, omit_defaults=False):
    """A place: country as ISO 3166-1 alpha-2, region and city as stated."""

    country: str | None = None
    region: str | None = None
    city: str | None = None


class Listing(msgspec.Struct, kw_only=True):
    """The normalised listing: DESIGN.md's contract, printed by `hirewire parse` and served by the API.

    Unknown is None, never a guess. The fields after `fingerprint` are additions to the contract.
    """

    source: str
    external_id: str
    url: str | None = None
    apply_url: str | None = None
    title: str
    company: str | None = None
    location_raw: str | None = None
    locations: list[Location] = []
    remote: str | None = None
    employment_type: str | None = None
    seniority: str | None = None
    salary_min: float | None = None
    salary_max: float | None = None
    salary_currency: str | None = None
    salary_period: str | None = None
    skills: list[str] = []
    description_text: str | None = None
    description_html: str | None = None
    posted_at: datetime | None = None
    python_backend: bool = False
    fingerprint: str = ""
    #: Yearly figures in the stated currency (salary × ANNUAL_FACTOR[period]), for comparisons.
    salary_annual_min: float | None = None
    salary_annual_max: float | None = None
    #: Broad areas a remote role is open to ("EMEA", "Europe", "Americas", "APAC", "Worldwide", …).
    remote_regions: list[str] = []
    #: Time-zone window a remote role asks for, as UTC offsets in hours.
    utc_offset_min: float | None = None
    utc_offset_max: float | None = None
    tags: list[str] = []


_encoder = msgspec.json.Encoder()


def listing_to_json(listing: Listing) -> bytes:
    """The contract's JSON encoding of one listing (datetimes as ISO 8601 UTC)."""
    return _encoder.encode(listing)


def listing_to_dict(listing: Listing) -> dict[str, Any]:
    """The listing as JSON-ready builtins (what webhooks and the API send)."""
    result: dict[str, Any] = msgspec.to_builtins(listing)
    return result


def listing_from_dict(data: dict[str, Any]) -> Listing:
    return msgspec.convert(data, Listing)
