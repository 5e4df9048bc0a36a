"""The python.org job board's RSS feed (the 20 newest jobs).

A Django feed with only title, link, description and guid: titles are "Role, Company", the first
line of the description is the location ("City, Region, Country"), and there is no date, so
`posted_at` stays unknown.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from aggregator.model import RawListing
from scrapers.sources._feed import FEED_CONTENT_TYPES, FeedItem, feed_page, reread_item
from scrapers.sources.base import Defaults, Page, ParseContext

_JOB_ID = re.compile(r"/jobs/(\d+)/?$")
#: Legal-form suffixes that follow a comma inside a company name ("UpDoc, Inc.").
_LEGAL_FORMS = frozenset({
    "inc", "llc", "l.l.c", "ltd", "limited", "gmbh", "ag", "sa", "s.a", "sas", "bv", "b.v", "co", "corp",
    "plc", "llp", "lp", "pty ltd", "oy", "ab", "aps", "srl", "s.r.l", "sp. z o.o", "kg", "nv", "n.v",
})


class PythonOrg:
    name: ClassVar[str] = "pythonorg"
    defaults: ClassVar[Defaults] = Defaults(
        url="https://www.python.org/jobs/feed/rss/",
        every="2h",
        rate=0.2,
        burst=1,
        content_types=FEED_CONTENT_TYPES,
        max_pages=1,
    )

    def parse(self, payload: bytes, ctx: ParseContext) -> Page:
        return feed_page(payload, self.name, ctx.url, self._listing)

    def parse_item(self, raw: Any, ctx: ParseContext) -> RawListing | None:
        """Re-read one stored feed item (`FeedItem.to_dict()`'s form)."""
        return reread_item(raw, self.name, self._listing)

    def _listing(self, item: FeedItem) -> RawListing | str:
        external_id = _job_id(item.link) or _job_id(item.guid) or item.guid or item.link
        if external_id is None:
            return "no guid or link"
        if not item.title:
            return "no title"
        title, company = split_title(item.title)
        location, description = split_location(item.body)
        return RawListing(
            source=self.name,
            external_id=external_id,
            title=title,
            url=item.link,
            company=company,
            location_raw=location,
            tags=list(item.categories),
            description_html=description,
            posted_at=item.published,
            raw=item.to_dict(),
        )


def split_title(value: str) -> tuple[str, str | None]:
    """("Role", "Company") from "Role, Company".

    Roles hold commas ("Senior Software Engineer, AI") and so do companies ("UpDoc, Inc."): the last
    comma splits, unless what follows it is a legal form, which belongs to the company.
    """
    parts = value.strip().split(", ")
    if len(parts) < 2:
        return value.strip(), None
    cut = len(parts) - 1
    if len(parts) > 2 and parts[-1].strip().rstrip(".").lower() in _LEGAL_FORMS:
        cut -= 1
    role, company = ", ".join(parts[:cut]).strip(), ", ".join(parts[cut:]).strip()
    if not role or not company:
        return value.strip(), None
    return role, company


def split_location(body: str | None) -> tuple[str | None, str | None]:
    """(location, description HTML): the location is the plain-text first line, when there is one."""
    if not body:
        return None, None
    first, _, rest = body.partition("\n")
    first = first.strip()
    if not first or "<" in first:
        return None, body
    return first, rest.strip() or None


def _job_id(url: str | None) -> str | None:
    found = _JOB_ID.search(url or "")
    return found.group(1) if found else None


SOURCE = PythonOrg()
