"""Read the fields of one schema.org `JobPosting` node, as Google's structured-data guide defines them.

Every property may come as a string, a number, a node or a list of either, so each reader accepts
all of them and returns None for anything it does not understand.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from scrapers.sources._ldjson import types_of

__all__ = [
    "Pay",
    "Where",
    "first_text",
    "read_company",
    "read_description",
    "read_employment_type",
    "read_identifier",
    "read_pay",
    "read_where",
]

#: More applicant countries than this is a board's way of saying "anywhere" (WWR lists all 249).
WORLDWIDE_COUNTRIES = 100
_PERIODS = {"HOUR": "hour", "DAY": "day", "WEEK": "week", "MONTH": "month", "YEAR": "year"}


@dataclass(slots=True)
class Pay:
    minimum: float | None = None
    maximum: float | None = None
    currency: str | None = None
    period: str | None = None
    text: str | None = None


@dataclass(slots=True)
class Where:
    location_raw: str | None = None
    places: list[dict[str, str | None]] = field(default_factory=list)
    remote: str | None = None


def first_text(value: Any) -> str | None:
    """A property's text: the string itself, a number, a node's name or @value, or the first of a list."""
    if isinstance(value, list):
        for item in value:
            text = first_text(item)
            if text:
                return text
        return None
    if isinstance(value, dict):
        return first_text(value.get("name")) or first_text(value.get("@value"))
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def read_description(value: Any) -> str | None:
    """The description as HTML; some boards HTML-escape it a second time (`&lt;p&gt;`)."""
    text = first_text(value)
    if text and "<" not in text and "&lt;" in text:
        text = html.unescape(text)
    return text


def read_company(value: Any) -> str | None:
    """hiringOrganization's name, else the host of its `sameAs` site."""
    node = value[0] if isinstance(value, list) and value else value
    if isinstance(node, str):
        return node.strip() or None
    if not isinstance(node, dict):
        return None
    name = first_text(node.get("name"))
    if name:
        return name
    site = first_text(node.get("sameAs")) or first_text(node.get("url"))
    host = urlsplit(site).hostname if site else None
    return host.removeprefix("www.") if host else None


def read_identifier(value: Any) -> str | None:
    """identifier: a PropertyValue's value, or a bare string or number."""
    if isinstance(value, list):
        return next((found for item in value if (found := read_identifier(item))), None)
    if isinstance(value, dict):
        return first_text(value.get("value")) or first_text(value.get("@id"))
    return first_text(value)


def read_employment_type(value: Any) -> str | None:
    """The first stated employment type (FULL_TIME, "Full-Time", …) as stated."""
    return first_text(value)


def read_pay(value: Any) -> Pay:
    """baseSalary: a MonetaryAmount with a QuantitativeValue; zero means the board left it blank."""
    node = value[0] if isinstance(value, list) and value else value
    if isinstance(node, str):
        return Pay(text=node.strip() or None)
    if not isinstance(node, dict):
        return Pay()
    currency = first_text(node.get("currency"))
    amount = node.get("value")
    unit = first_text(node.get("unitText"))
    if isinstance(amount, dict):
        unit = first_text(amount.get("unitText")) or unit
        low, high = _amount(amount.get("minValue")), _amount(amount.get("maxValue"))
        if low is None and high is None:
            low = high = _amount(amount.get("value"))
    else:
        low = high = _amount(amount)
    if low is None and high is None:
        return Pay()
    return Pay(
        minimum=low,
        maximum=high,
        currency=currency.upper() if currency else None,
        period=_PERIODS.get((unit or "").strip().upper()),
    )


def read_where(posting: dict[str, Any]) -> Where:
    """Office places (jobLocation), applicant places and the remote flag, plus a readable summary."""
    where = Where()
    texts: list[str] = []
    for place in _as_list(posting.get("jobLocation")):
        text, structured = _office(place)
        if text and text not in texts:
            texts.append(text)
        if structured:
            where.places.append(structured)
    applicants = [node for node in _as_list(posting.get("applicantLocationRequirements"))
                  if isinstance(node, dict | str)]
    if len(applicants) > WORLDWIDE_COUNTRIES:
        texts.append("Worldwide")
    else:
        names = []
        for node in applicants:
            name = first_text(node)
            if not name:
                continue
            names.append(name)
            is_area = isinstance(node, dict) and "administrativearea" in types_of(node)
            where.places.append({"country": None if is_area else name, "region": name if is_area else None,
                                 "city": None})
        if names:
            texts.append(", ".join(names))
    location_type = first_text(posting.get("jobLocationType"))
    if location_type:
        where.remote = location_type
    where.location_raw = "; ".join(texts) or None
    return where


def _office(place: Any) -> tuple[str | None, dict[str, str | None] | None]:
    if isinstance(place, str):
        return place.strip() or None, None
    if not isinstance(place, dict):
        return None, None
    address = place.get("address")
    if isinstance(address, list):
        address = address[0] if address else None
    if isinstance(address, str):
        return address.strip() or first_text(place.get("name")), None
    if not isinstance(address, dict):
        return first_text(place.get("name")), None
    city = first_text(address.get("addressLocality"))
    region = first_text(address.get("addressRegion"))
    country = first_text(address.get("addressCountry"))
    parts = [part for part in (city, region, country) if part]
    if not parts:
        return first_text(place.get("name")), None
    return ", ".join(parts), {"country": country, "region": region, "city": city}


def _amount(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.replace(",", "").replace(" ", "").strip()
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) and number > 0 else None


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]

