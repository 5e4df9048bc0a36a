"""The python.org job board's RSS feed (the 20 newest jobs).

A Django feed with only title, link, description and guid: titles are "Role, Company", the first
line of the description is the location ("City, Region, Country"), and there is no date, so
`posted_at` stays unknown.

There is no salary field either. Ads that state pay tend to give it a "Label: value" paragraph of its
own ("Wage: $45 per hour"), which becomes the salary text; other figures in the ad (bonuses, budgets,
funding) are never read as pay. The board is worldwide and an employer writes its local dollars as a
bare "$": Pepper Wireless's Richmond, BC wage of "$45 per hour" is Canadian dollars. So the country
the location line ends with names the currency a bare "$" stands for, where that country's own
currency is a dollar written "$" (Canada, Australia, New Zealand); elsewhere "$" stays US dollars,
and a currency the ad writes ("45 USD", "US$45") always wins.
"""

from __future__ import annotations

import html
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


#: Countries, as the location line names them, whose own currency ads write as a bare "$".
_LOCAL_DOLLARS: dict[str, str] = {"canada": "CAD", "australia": "AUD", "new zealand": "NZD"}
#: A paragraph or list item of the ad that opens with a pay label: "<p>Wage: $45 per hour</p>".
_PAY_PARAGRAPH = re.compile(
    r"<(?:p|li)\b[^>]*>\s*(?P<text>(?:wages?|salary(?:\s+range)?|pay(?:\s+rate)?|hourly\s+rate|rate|compensation)"
    r"\s*:[^<]{1,200})</(?:p|li)>",
    re.IGNORECASE,
)


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
            salary_currency=local_dollar(location),
            salary_text=pay_paragraph(description),
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


def local_dollar(location: str | None) -> str | None:
    """The currency a bare "$" in the ad stands for: the dollar of the country the location line ends
    with ("Richmond, BC, Canada" -> CAD); None where "$" means US dollars (the module docstring says why)."""
    if not location:
        return None
    return _LOCAL_DOLLARS.get(location.rsplit(",", 1)[-1].strip().casefold())


def pay_paragraph(description: str | None) -> str | None:
    """The text of the ad's first labelled pay paragraph that holds a figure ("Wage: $45 per hour").

    A label with no figure ("Salary: Based on experience", or "Salary:" over a paragraph of its own) is
    passed over; the normaliser still reads the rest of the ad's pay lines.
    """
    for found in _PAY_PARAGRAPH.finditer(description or ""):
        text = " ".join(html.unescape(found.group("text")).split())
        if any(char.isdigit() for char in text):
            return text
    return None


def _job_id(url: str | None) -> str | None:
    found = _JOB_ID.search(url or "")
    return found.group(1) if found else None


SOURCE = PythonOrg()
