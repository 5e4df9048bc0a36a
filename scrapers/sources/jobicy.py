"""Jobicy's public API v2 (`/api/v2/remote-jobs?count=100&tag=python`), and its RSS feed as a fallback.

Terms (the API's `friendlyNotice`): listings are published with a delay, the data changes rarely and
"a few times daily" is the recommended polling; excessive querying gets access restricted; credit
Jobicy and link to the listing; no passing listings on to other job platforms.

When the API is unavailable an operator can point the source at the RSS feed
(`https://jobicy.com/?feed=job_feed&job_categories=dev&search_keywords=python`): `parse` tells the
two apart by the payload's first byte and reads RSS with the shared feed reader.

An API payload is recognised by its jobs' `jobTitle` (`_json.check_signature`): another API's `{"jobs":
[...]}` is a `ParseError`, not a page of skipped items. Any RSS or Atom feed is read as the fallback,
as the feed adapters read any feed (see `_feed.feed_page`); a JSON or HTML payload that is neither is
a `ParseError`.

Two API generations are read: the 2024 one (`annualSalaryMin/Max`, `salaryCurrency`, pubDate
"YYYY-MM-DD HH:MM:SS" in UTC without a zone) and the 2026 one (`salaryMin/Max`, `salaryCurrency`,
`salaryPeriod`, ISO 8601 pubDate with offset).
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from aggregator.model import RawListing
from scrapers.sources._feed import FeedItem, parse_feed
from scrapers.sources._json import Signature, job_object, jobs_page, reread, text_field
from scrapers.sources._values import http_url, positive, strings
from scrapers.sources.base import Defaults, Page, ParseContext

_NAIVE_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?$")
_GEO_SEPARATOR = re.compile(r"\s*,\s*")
#: RSS item elements (by local name) that may carry these facts, in order of preference.
_RSS_COMPANY = ("company", "hiringOrganization", "company_name")
_RSS_LOCATION = ("location", "jobLocation", "job_location", "region")
_RSS_JOB_TYPE = ("job_type", "jobType", "type")
#: What tells an API job from the other `{"jobs": [...]}` APIs': Jobicy's own name for the title (theirs
#: say `title`), in both API generations. The RSS fallback is told by being a feed (see `parse`).
SIGNATURE: Signature = (("jobTitle",),)


class Jobicy:
    name: ClassVar[str] = "jobicy"
    defaults: ClassVar[Defaults] = Defaults(
        url="https://jobicy.com/api/v2/remote-jobs?count=100&tag=python",
        every="6h",
        rate=0.02,
        burst=1,
        content_types=("application/json", "application/rss+xml", "application/xml", "text/xml"),
        max_pages=1,
    )

    def parse(self, payload: bytes, ctx: ParseContext) -> Page:
        if payload.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] == b"<":
            return self._parse_rss(payload, ctx)
        return jobs_page(payload, self.name, self._listing, signature=SIGNATURE)

    def parse_item(self, raw: Any, ctx: ParseContext) -> RawListing | None:
        """Re-read one stored item: an API job object, or a feed item when the source read RSS."""
        return reread(raw, self.name, lambda item: self._rss_listing(FeedItem.from_dict(item)) if _is_feed_item(item)
                      else self._listing(item))

    def _listing(self, item: Any) -> RawListing:
        item, external_id, title = job_object(item, "id", "jobTitle")
        low, high, currency, period = _salary(item)
        job_types = strings(item.get("jobType"))
        return RawListing(
            source=self.name,
            external_id=external_id,
            title=title,
            url=http_url(item.get("url")),
            company=text_field(item, "companyName"),
            location_raw=_geo(text_field(item, "jobGeo")),
            remote=True,  # a remote-only board; jobGeo says where from
            employment_type=job_types[0] if job_types else None,
            seniority=_level(text_field(item, "jobLevel")),
            salary_min=low,
            salary_max=high,
            salary_currency=currency,
            salary_period=period,
            tags=strings(item.get("jobIndustry")),
            description_html=text_field(item, "jobDescription") or text_field(item, "jobExcerpt"),
            posted_at=_utc(text_field(item, "pubDate")),
            raw=item,
        )

    def _parse_rss(self, payload: bytes, ctx: ParseContext) -> Page:
        feed = parse_feed(payload, self.name, base_url=ctx.url)
        page = Page(warnings=list(feed.warnings), complete=feed.complete)
        for item in feed.items:
            try:
                page.listings.append(self._rss_listing(item))
            except (TypeError, ValueError) as exc:
                page.warnings.append(f"jobicy: item {item.index} skipped: {exc}")
        return page

    def _rss_listing(self, item: FeedItem) -> RawListing:
        url = http_url(item.link)
        external_id = _rss_id(item.guid) or _rss_id(url)
        if not external_id or not item.title:
            raise ValueError("no guid/link or title")
        job_type = _extra(item, _RSS_JOB_TYPE)
        return RawListing(
            source=self.name,
            external_id=external_id,
            title=item.title,
            url=url,
            company=_extra(item, _RSS_COMPANY) or item.author,
            location_raw=_geo(_extra(item, _RSS_LOCATION)),
            remote=True,
            employment_type=_GEO_SEPARATOR.split(job_type)[0] if job_type else None,
            tags=list(item.categories),
            description_html=item.body,
            posted_at=item.published,
            raw=item.to_dict(),
        )


def _salary(item: dict[str, Any]) -> tuple[float | None, float | None, str | None, str | None]:
    """(min, max, currency, period) from either API generation; all None when no amount is stated."""
    low, high = positive(item.get("salaryMin")), positive(item.get("salaryMax"))
    period = text_field(item, "salaryPeriod")
    if low is None and high is None:
        # The 2024 shape names its period in the key.
        low, high = positive(item.get("annualSalaryMin")), positive(item.get("annualSalaryMax"))
        period = "year"
    if low is None and high is None:
        return None, None, None, None
    return low, high, text_field(item, "salaryCurrency"), period


def _geo(value: str | None) -> str | None:
    """jobGeo as one tidy list ("Poland,  Portugal" -> "Poland, Portugal")."""
    if not value:
        return None
    return ", ".join(part for part in _GEO_SEPARATOR.split(value) if part) or None


def _level(value: str | None) -> str | None:
    """jobLevel as a seniority hint; "Any" states no level."""
    return None if value is None or value.lower() == "any" else value


def _utc(value: str | None) -> str | None:
    """The API's zone-less timestamps are UTC; say so, so that no reader assumes local time."""
    if value and _NAIVE_TIMESTAMP.match(value):
        return value.replace(" ", "T") + "+00:00"
    return value


def _rss_id(value: str | None) -> str | None:
    """Jobicy's numeric id from a guid or listing URL (".../jobs/113597-slug" or "?p=113597").

    Using the id the API also uses makes a listing read from RSS the same posting as from the API.
    """
    if not value:
        return None
    found = re.search(r"/jobs/(\d+)(?:-|/|$)|[?&]p=(\d+)", value)
    if found:
        return found.group(1) or found.group(2)
    return value.strip() or None


def _is_feed_item(raw: Any) -> bool:
    """Whether a stored item is `FeedItem.to_dict()`'s form rather than an API job object."""
    return isinstance(raw, dict) and "jobTitle" not in raw and isinstance(raw.get("extra"), dict)


def _extra(item: FeedItem, names: tuple[str, ...]) -> str | None:
    for name in names:
        if item.extra.get(name):
            return item.extra[name]
    return None


SOURCE = Jobicy()
