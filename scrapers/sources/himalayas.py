"""Himalayas' public jobs API (`/jobs/api?limit=20&offset=0`, paged by offset, newest first).

Terms: the API is free and keyless for use in apps and job boards with visible attribution (link
to the Himalayas listing); it serves at most 20 jobs a request and rate-limits heavy use, so a run
reads a few pages slowly. `/jobs/api` has no keyword filter: Python/backend selection happens
downstream.

Fields: salaries are annual per Himalayas' data dictionary unless the item states a period;
`locationRestrictions` are the countries a candidate may live in (names, or objects in newer
responses); `timezoneRestrictions` are UTC offsets; `pubDate` is epoch seconds in older responses
and milliseconds in newer ones.
"""

from __future__ import annotations

from typing import Any, ClassVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from aggregator.model import RawListing
from scrapers.sources._json import Signature, collect, load_json, reread, text_field
from scrapers.sources._values import http_url, number, positive, strings
from scrapers.sources.base import Defaults, Page, ParseContext

#: The API's documented maximum page size, used when neither payload nor URL says.
PAGE_SIZE = 20
#: What tells a Himalayas job from the other `{"jobs": [...]}` APIs': its `guid`, the listing page on
#: Himalayas that is both its id and its URL.
SIGNATURE: Signature = (("guid",),)


class Himalayas:
    name: ClassVar[str] = "himalayas"
    defaults: ClassVar[Defaults] = Defaults(
        url=f"https://himalayas.app/jobs/api?limit={PAGE_SIZE}&offset=0",
        every="1h",
        rate=0.2,
        burst=1,
        content_types=("application/json",),
        max_pages=5,
    )

    def parse(self, payload: bytes, ctx: ParseContext) -> Page:
        document = load_json(payload, self.name)
        page = collect(document, self.name, self._listing, signature=SIGNATURE)
        following = self._next_page(document, len(document["jobs"]), ctx.url or self.defaults.url)
        if following:
            page.follow.append(following)
        return page

    def _next_page(self, document: dict[str, Any], count: int, url: str) -> str | None:
        """The URL of the next offset, or None on the last page (fewer jobs than the limit)."""
        parts = urlsplit(url)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        offset = number(document.get("offset"))
        if offset is None:
            offset = number(query.get("offset")) or 0
        limit = positive(document.get("limit")) or positive(query.get("limit")) or PAGE_SIZE
        total = number(document.get("totalCount"))
        following = int(offset) + count
        if count == 0 or count < limit or (total is not None and following >= total):
            return None
        query["offset"] = str(following)
        query.setdefault("limit", str(int(limit)))
        return urlunsplit(parts._replace(query=urlencode(query)))

    def parse_item(self, raw: Any, ctx: ParseContext) -> RawListing | None:
        """Re-read one stored job object."""
        return reread(raw, self.name, self._listing)

    def _listing(self, item: Any) -> RawListing:
        if not isinstance(item, dict):
            raise TypeError("not an object")
        page_url = http_url(item.get("guid"))
        apply_url = http_url(item.get("applicationLink"))
        external_id = text_field(item, "guid") or apply_url
        title = text_field(item, "title")
        if not external_id or not title:
            raise ValueError("no guid or title")
        countries = _countries(item.get("locationRestrictions"))
        low, high = positive(item.get("minSalary")), positive(item.get("maxSalary"))
        stated = low is not None or high is not None
        return RawListing(
            source=self.name,
            external_id=external_id,
            title=title,
            url=page_url or apply_url,
            apply_url=apply_url,
            company=text_field(item, "companyName"),
            location_raw=_location(countries, _offsets(item.get("timezoneRestrictions"))),
            places=[{"country": country} for country in countries],
            remote=True,  # a remote-only board; the restrictions say from where
            employment_type=text_field(item, "employmentType"),
            seniority=", ".join(strings(item.get("seniority"))) or None,
            salary_min=low,
            salary_max=high,
            salary_currency=text_field(item, "currency") if stated else None,
            salary_period=(text_field(item, "salaryPeriod") or "year") if stated else None,
            tags=[tag.replace("-", " ") for tag in strings(item.get("categories"))],
            description_html=text_field(item, "description") or text_field(item, "excerpt"),
            posted_at=positive(item.get("pubDate")) or text_field(item, "pubDate"),
            raw=item,
        )


def _countries(value: Any) -> list[str]:
    """Country names or codes from plain strings or {name, alpha2/code} objects."""
    found: list[str] = []
    for entry in value if isinstance(value, list) else []:
        if isinstance(entry, dict):
            name = next(
                (
                    entry[k]
                    for k in ("alpha2", "code", "name", "country")
                    if isinstance(entry.get(k), str) and entry[k].strip()
                ),
                None,
            )
        else:
            name = entry
        if isinstance(name, str) and name.strip() and name.strip() not in found:
            found.append(name.strip())
    return found


def _offsets(value: Any) -> list[float]:
    """UTC offsets in hours from numbers or strings ("-5", "UTC+5:30", "+05:30")."""
    found: set[float] = set()
    for entry in value if isinstance(value, list) else []:
        offset = number(entry)
        if offset is None and isinstance(entry, str):
            offset = _offset_text(entry)
        if offset is not None and -14 <= offset <= 14:
            found.add(offset)
    return sorted(found)


def _offset_text(text: str) -> float | None:
    text = text.strip().upper().removeprefix("UTC").removeprefix("GMT").strip()
    sign = -1 if text.startswith(("-", "−")) else 1
    hours, _, minutes = text.lstrip("+-−").partition(":")
    try:
        return sign * (int(hours) + int(minutes or 0) / 60)
    except ValueError:
        return None


def _utc(offset: float) -> str:
    hours, minutes = divmod(round(abs(offset) * 60), 60)
    sign = "-" if offset < 0 else "+"
    return f"UTC{sign}{hours}" + (f":{minutes:02d}" if minutes else "")


def _location(countries: list[str], offsets: list[float]) -> str | None:
    """Human-readable restrictions, e.g. "United States (UTC-10 to UTC-5, UTC+14)".

    RawListing has no field for time zones, so they travel in the text the location normaliser reads.
    Adjacent whole-hour offsets are merged into ranges to keep a 38-offset "anywhere" list short.
    """
    runs: list[list[float]] = []
    for offset in offsets:
        if runs and offset - runs[-1][-1] <= 1:
            runs[-1].append(offset)
        else:
            runs.append([offset])
    zones = ", ".join(_utc(run[0]) if len(run) == 1 else f"{_utc(run[0])} to {_utc(run[-1])}" for run in runs)
    place = ", ".join(countries)
    if place and zones:
        return f"{place} ({zones})"
    return place or zones or None


SOURCE = Himalayas()
