"""Any RSS 2.0 / RSS 1.0 / Atom job feed the operator lists (`[sources.rss] feeds = [...]`).

A generic feed says little about jobs: the title, link, body, date and categories are all it is
sure to have. Company, location, employment type and pay are read only from elements that name
them (`<company>`, `<job:location>`, …); otherwise they stay unknown and the normalisers work from
the text.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from aggregator.model import RawListing
from scrapers.sources._feed import FeedItem, feed_page, reread_item
from scrapers.sources.base import Defaults, Page, ParseContext

#: Local names under which job feeds state a field (first present wins), namespace-agnostic.
_COMPANY = ("company", "company_name", "companyName", "hiringOrganization", "employer", "organization")
_LOCATION = ("location", "job_location", "jobLocation", "joblocation", "city")
_EMPLOYMENT = ("job_type", "jobType", "jobtype", "employment_type", "employmentType", "type")
_SALARY = ("salary", "job_salary", "jobSalary", "compensation")

_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S")


class Rss:
    name: ClassVar[str] = "rss"
    #: The URL is a placeholder: the configuration supplies one per listed feed.
    defaults: ClassVar[Defaults] = Defaults(url="https://example.org/jobs.rss", every="1h", max_pages=1)

    def parse(self, payload: bytes, ctx: ParseContext) -> Page:
        return feed_page(payload, self.name, ctx.url, lambda item: self._listing(item, ctx))

    def parse_item(self, raw: Any, ctx: ParseContext) -> RawListing | None:
        """Re-read one stored feed item; `ctx.url` must be its feed's URL, which scopes bare guids."""
        return reread_item(raw, self.name, lambda item: self._listing(item, ctx))

    def _listing(self, item: FeedItem, ctx: ParseContext) -> RawListing | str:
        external_id = feed_item_id(item, ctx.url)
        if external_id is None:
            return "no guid or link"
        if not item.title:
            return "no title"
        return RawListing(
            source=self.name,
            external_id=external_id,
            title=item.title,
            url=item.link,
            company=_first(item, _COMPANY),
            location_raw=_first(item, _LOCATION),
            employment_type=_first(item, _EMPLOYMENT),
            salary_text=_first(item, _SALARY),
            tags=list(item.categories),
            description_html=item.body,
            posted_at=item.published or item.updated,
            raw=item.to_dict(),
        )


def feed_item_id(item: FeedItem, feed_url: str | None) -> str | None:
    """A stable id for an item: its guid, else its link.

    A guid that is not a URI ("12345") is only unique within its feed, and this one source reads
    many feeds, so it is scoped by the feed's URL.
    """
    if item.guid:
        if _URI.match(item.guid) or not feed_url:
            return item.guid
        return f"{feed_url}#{item.guid}"
    return item.link


def _first(item: FeedItem, names: tuple[str, ...]) -> str | None:
    return next((item.extra[name] for name in names if name in item.extra), None)


SOURCE = Rss()
