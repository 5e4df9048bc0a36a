"""The alert model: DESIGN.md's alert JSON parsed and validated into an `AlertSpec`.

Every value a subscriber sends is checked here, once, and every refusal is an `InputError` naming
the field ("min_salary.currency: unknown currency 'XYZ'"), so the API and the command line report
the same thing. Values are also canonicalised here (country codes upper-cased, skills to their
canonical names, companies to dedup keys), because matching compares them with the stored jobs'
canonical values and must not guess at match time.
"""

from __future__ import annotations

import base64
import re
import secrets
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from aggregator.errors import InputError
from aggregator.model import ANNUAL_FACTOR, EmploymentType, Remote, Seniority
from aggregator.normalise.countries import COUNTRY_NAMES
from aggregator.normalise.currency import ISO_CODES, RATES_TO_USD, to_usd
from aggregator.regions import regions_of

__all__ = ["FREQUENCIES", "MAX_QUERY_CHARS", "SEARCH_CHANNEL", "AlertSpec", "MinSalary", "check_json_shape",
           "check_webhook", "new_webhook_secret", "parse_alert"]

FREQUENCIES = ("instant", "daily", "weekly")
#: A job search (the API's and `hirewire jobs search`) is checked as an alert, so it refuses exactly
#: what an alert would; parse_alert insists on a channel, and a search has none: this stands in.
SEARCH_CHANNEL = {"email": "search@hirewire.invalid"}
MAX_QUERY_CHARS = 500
MAX_QUERY_WORDS = 32
_MAX_LIST = 50
_MAX_ITEM_CHARS = 100
#: Unicode categories refused in an address's local part: format characters (bidirectional overrides,
#: zero-width joiners), private-use, unassigned and separators; and U+FFFD, what undecodable bytes became.
_HIDDEN = frozenset({"Cf", "Co", "Cn", "Zs", "Zl", "Zp"})
_EMAIL = re.compile(r"^[^@\s]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9-]{1,63})+$")
_FIELDS = {"query", "remote", "countries", "min_salary", "seniority", "employment_types", "skills", "sources",
           "exclude_companies", "max_age_days", "frequency", "send_hour", "timezone", "channel"}


@dataclass(slots=True, frozen=True)
class MinSalary:
    amount: float
    currency: str
    period: str = "year"
    #: Whether jobs that state no salary still match.
    include_unknown: bool = True

    @property
    def usd_per_year(self) -> float:
        usd = to_usd(self.amount * ANNUAL_FACTOR[self.period], self.currency)
        assert usd is not None  # the currency was checked against the rate table
        return usd


@dataclass(slots=True, frozen=True)
class AlertSpec:
    """A validated alert; empty lists mean "any"."""

    email: str | None = None
    webhook: str | None = None
    query: str = ""
    remote: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    min_salary: MinSalary | None = None
    seniority: list[str] = field(default_factory=list)
    employment_types: list[str] = field(default_factory=list)
    skills_any: list[str] = field(default_factory=list)
    skills_all: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    exclude_companies: list[str] = field(default_factory=list)
    max_age_days: int | None = None
    frequency: str = "instant"
    send_hour: int = 8
    timezone: str = "UTC"

    @property
    def regions(self) -> list[str]:
        return regions_of(self.countries)

    @property
    def destination(self) -> str:
        """Who receives it: the key deliveries are unique on, with the job."""
        return self.email.lower() if self.email else str(self.webhook)

    def to_json(self) -> dict[str, Any]:
        """The DESIGN.md alert JSON (without the webhook secret)."""
        salary = None if self.min_salary is None else {
            "amount": self.min_salary.amount, "currency": self.min_salary.currency,
            "period": self.min_salary.period, "include_unknown": self.min_salary.include_unknown}
        return {"query": self.query, "remote": self.remote, "countries": self.countries, "min_salary": salary,
                "seniority": self.seniority, "employment_types": self.employment_types,
                "skills": {"any": self.skills_any, "all": self.skills_all}, "sources": self.sources,
                "exclude_companies": self.exclude_companies, "max_age_days": self.max_age_days,
                "frequency": self.frequency, "send_hour": self.send_hour, "timezone": self.timezone,
                "channel": {"email": self.email} if self.email else {"webhook": self.webhook}}


def new_webhook_secret() -> str:
    """A Standard Webhooks signing secret: whsec_ + base64 of 32 random bytes."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


async def check_webhook(url: str, *, allow_private: bool) -> None:
    """Refuse a webhook that resolves to a forbidden address (the send-time guard checks again)."""
    from aggregator.errors import UnsafeDestination
    from aggregator.ssrf import check_destination

    try:
        await check_destination(url, allow_private=allow_private)
    except UnsafeDestination as exc:
        raise InputError("channel.webhook", str(exc)) from None


# -- parsing -------------------------------------------------------------------------------------


def _storable(text: str) -> bool:
    """No control characters (NUL included) and no lone surrogates: text PostgreSQL can store and mail can carry."""
    return not any(ord(c) < 32 or ord(c) == 127 or 0xD800 <= ord(c) <= 0xDFFF for c in text)


def _strings(data: Mapping[str, Any], name: str, path: str | None = None) -> list[str]:
    path = path or name
    value = data.get(name)
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(path, "must be a list of strings")
    if len(value) > _MAX_LIST:
        raise InputError(path, f"at most {_MAX_LIST} values")
    out: list[str] = []
    for item in value:
        item = item.strip()
        if not item or len(item) > _MAX_ITEM_CHARS or not _storable(item):
            raise InputError(path, f"invalid value {item[:40]!r}")
        if item not in out:
            out.append(item)
    return out


def _choices(data: Mapping[str, Any], name: str, allowed: set[str], *, path: str | None = None,
             any_word: bool = False) -> list[str]:
    values = [v.lower() for v in _strings(data, name, path)]
    known = allowed | {"any"} if any_word else allowed
    for value in values:  # every value is checked, "any" or not: nothing unknown is let through
        if value not in known:
            raise InputError(path or name, f"unknown value {value!r} (one of: {', '.join(sorted(known))})")
    if any_word and "any" in values:
        return []
    return sorted(set(values))


def _countries(data: Mapping[str, Any]) -> list[str]:
    codes = []
    for value in _strings(data, "countries"):
        code = {"UK": "GB"}.get(value.upper(), value.upper())
        if code not in COUNTRY_NAMES:
            raise InputError("countries", f"unknown country {value!r} (ISO 3166-1 alpha-2 codes)")
        codes.append(code)
    return sorted(set(codes))


def _query(data: Mapping[str, Any]) -> str:
    query = data.get("query") or ""
    if not isinstance(query, str):
        raise InputError("query", "must be a string")
    query = " ".join(query.split())
    if not _storable(query):
        raise InputError("query", "must not contain control characters or invalid Unicode")
    if len(query) > MAX_QUERY_CHARS:
        raise InputError("query", f"at most {MAX_QUERY_CHARS} characters")
    if len(query.split()) > MAX_QUERY_WORDS:
        raise InputError("query", f"at most {MAX_QUERY_WORDS} words")
    return query


def _number(value: object, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(path, "must be a number")
    if not 0 < value < 1e9:
        raise InputError(path, "must be a positive amount")
    return float(value)


def _min_salary(data: Mapping[str, Any]) -> MinSalary | None:
    value = data.get("min_salary")
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise InputError("min_salary", "must be an object with amount, currency, period")
    unknown = set(value) - {"amount", "currency", "period", "include_unknown"}
    if unknown:
        raise InputError("min_salary", f"unknown field {sorted(unknown)[0]!r}")
    amount = _number(value.get("amount"), "min_salary.amount")
    currency = value.get("currency", "USD")
    if not isinstance(currency, str) or currency.upper() not in ISO_CODES:
        raise InputError("min_salary.currency", f"unknown currency {currency!r}")
    if currency.upper() not in RATES_TO_USD:
        raise InputError("min_salary.currency", f"no exchange rate for {currency.upper()!r}")
    period = value.get("period", "year")
    if not isinstance(period, str) or period not in ANNUAL_FACTOR:
        raise InputError("min_salary.period", f"unknown period {period!r} (one of: {', '.join(ANNUAL_FACTOR)})")
    include = value.get("include_unknown", True)
    if not isinstance(include, bool):
        raise InputError("min_salary.include_unknown", "must be true or false")
    return MinSalary(amount=amount, currency=currency.upper(), period=period, include_unknown=include)


def _skills(data: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    value = data.get("skills")
    if value is None:
        return [], []
    if isinstance(value, list):  # a bare list means "any of"
        value = {"any": value}
    if not isinstance(value, Mapping) or set(value) - {"any", "all"}:
        raise InputError("skills", "must be an object {\"any\": [...], \"all\": [...]}")
    return (_canonical_skills(_strings(value, "any", "skills.any"), "skills.any"),
            _canonical_skills(_strings(value, "all", "skills.all"), "skills.all"))


def _canonical_skills(names: list[str], path: str) -> list[str]:
    from aggregator.normalise.skills import extract_skills

    out = []
    for name in names:
        found = extract_skills("", [name], "")
        if len(found) != 1:
            raise InputError(path, f"unknown skill {name!r}")
        out.append(found[0])
    return sorted(set(out))


def _sources(data: Mapping[str, Any]) -> list[str]:
    from scrapers.sources import NAMES

    values = [v.lower() for v in _strings(data, "sources")]
    for value in values:
        if value not in NAMES:
            raise InputError("sources", f"unknown source {value!r}")
    return sorted(set(values))


def _companies(data: Mapping[str, Any]) -> list[str]:
    from aggregator.dedup import company_key

    keys = [company_key(name) for name in _strings(data, "exclude_companies")]
    if "" in keys:
        raise InputError("exclude_companies", "a company name has no letters or digits")
    return sorted(set(keys))


def _int(data: Mapping[str, Any], name: str, low: int, high: int, default: int | None) -> int | None:
    value = data.get(name, default)
    if value is None and default is None:  # nullable (max_age_days); send_hour is not
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InputError(name, f"must be a whole number from {low} to {high}")
    return value


def _timezone(data: Mapping[str, Any]) -> str:
    name = data.get("timezone", "UTC")
    if not isinstance(name, str) or not name or len(name) > 64 or ".." in name or name.startswith("/"):
        raise InputError("timezone", "unknown time zone")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError("timezone", f"unknown time zone {name!r}") from None
    return name


def _channel(data: Mapping[str, Any], allow_private: bool) -> tuple[str | None, str | None]:
    channel = data.get("channel")
    if not isinstance(channel, Mapping) or len(channel) != 1 or set(channel) - {"email", "webhook"}:
        raise InputError("channel", "must be {\"email\": ADDRESS} or {\"webhook\": URL}")
    if "email" in channel:
        email = channel["email"]
        if not isinstance(email, str) or not _storable(email):
            raise InputError("channel.email", "not a valid email address")
        email = unicodedata.normalize("NFC", email)  # RFC 6532: one spelling of "é", composed
        local = email.rsplit("@", 1)[0]
        # RFC 5321 counts octets; the domain must be ASCII (IDNA form), a local part may be UTF-8 (RFC 6531,
        # sent with SMTPUTF8), but not characters a reader cannot see or that reorder the text.
        if (len(email.encode()) > 254 or len(local.encode()) > 64 or not _EMAIL.match(email)
                or any(c == "\ufffd" or unicodedata.category(c) in _HIDDEN for c in local)):
            raise InputError("channel.email", "not a valid email address")
        return email, None
    url = channel["webhook"]
    if not isinstance(url, str) or len(url) > 2000 or not _storable(url):
        raise InputError("channel.webhook", "must be a URL")
    from aggregator.errors import UnsafeDestination
    from aggregator.ssrf import check_url_shape

    try:
        check_url_shape(url, allow_private=allow_private)
    except UnsafeDestination as exc:
        raise InputError("channel.webhook", str(exc)) from None
    return None, url


#: Alert fields the JSON API takes as lists only, and those it takes as null (its OpenAPI document).
_LIST_FIELDS = ("remote", "countries", "seniority", "employment_types", "sources", "exclude_companies")
_NULLABLE = ("min_salary", "max_age_days")


def check_json_shape(data: object) -> None:
    """The JSON API's alert bodies have the shapes its OpenAPI document gives: lists as lists, and
    null only where it says so. `parse_alert` itself is more lenient (null or a bare value for a
    list), for the command line and HTML forms; the API answers 422 instead of guessing."""
    if not isinstance(data, Mapping):
        return  # parse_alert says what is wrong
    for name, value in data.items():
        if value is None and name in _FIELDS and name not in _NULLABLE:
            raise InputError(name, "must not be null (leave it out instead)")
    for name in _LIST_FIELDS:
        if name in data and not isinstance(data[name], list):
            raise InputError(name, "must be a list")
    skills = data.get("skills", {})
    if not isinstance(skills, Mapping):
        raise InputError("skills", "must be an object {\"any\": [...], \"all\": [...]}")
    for key in ("any", "all"):
        if key in skills and not isinstance(skills[key], list):
            raise InputError(f"skills.{key}", "must be a list")


def parse_alert(data: object, *, allow_private: bool = False) -> AlertSpec:
    """Validate DESIGN.md's alert JSON; raises InputError naming the first bad field.

    The webhook's host is only checked for shape here; `check_webhook` resolves it.
    """
    if not isinstance(data, Mapping):
        raise InputError("alert", "must be a JSON object")
    unknown = set(data) - _FIELDS
    if unknown:
        raise InputError(sorted(unknown)[0], "unknown field")
    email, webhook = _channel(data, allow_private)
    skills_any, skills_all = _skills(data)
    frequency = data.get("frequency", "instant")
    if frequency not in FREQUENCIES:
        raise InputError("frequency", f"must be one of {', '.join(FREQUENCIES)}")
    parts: dict[str, Callable[[], Any]] = {
        "query": lambda: _query(data),
        "remote": lambda: _choices(data, "remote", {m.value for m in Remote}, any_word=True),
        "countries": lambda: _countries(data),
        "min_salary": lambda: _min_salary(data),
        "seniority": lambda: _choices(data, "seniority", {s.value for s in Seniority}),
        "employment_types": lambda: _choices(data, "employment_types", {e.value for e in EmploymentType}),
        "sources": lambda: _sources(data),
        "exclude_companies": lambda: _companies(data),
        "max_age_days": lambda: _int(data, "max_age_days", 1, 365, None),
        "send_hour": lambda: _int(data, "send_hour", 0, 23, 8),
        "timezone": lambda: _timezone(data),
    }
    values = {name: make() for name, make in parts.items()}
    return AlertSpec(email=email, webhook=webhook, skills_any=skills_any, skills_all=skills_all,
                     frequency=str(frequency), **values)
