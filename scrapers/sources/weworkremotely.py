"""We Work Remotely's category RSS feeds (RSS only; no API).

Item titles are "Company: Role". Every WWR job is remote: `<region>` says from where ("USA Only",
"Anywhere in the World"). The 2026 format adds `<country>` (the countries a candidate may live in,
each with its flag, e.g. "🇺🇸 United States of America, 🇨🇦 Canada"), `<state>` (the company's
headquarters, not the job's place, so it is not used as a location), `<skills>`, `<type>` and
`<expires_at>`, any of which may be empty.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar
from urllib.parse import urlsplit

from aggregator.model import RawListing
from scrapers.sources._feed import FEED_CONTENT_TYPES, FeedItem, feed_page, reread_item
from scrapers.sources.base import Defaults, Page, ParseContext

#: A country list this long is WWR's way of saying "anywhere": listing every place adds nothing.
_MAX_COUNTRIES = 20
_FLAG = re.compile("([\U0001f1e6-\U0001f1ff]{2})\\s*")
_LIST_SPLIT = re.compile(r",\s*(?:and\s+)?|\s+and\s+")
_APPLY = re.compile(r"To apply:\s*</strong>\s*<a\s[^>]*href=\"([^\"]+)\"", re.IGNORECASE)


class WeWorkRemotely:
    name: ClassVar[str] = "weworkremotely"
    defaults: ClassVar[Defaults] = Defaults(
        url="https://weworkremotely.com/categories/remote-back-end-programming-jobs.rss",
        every="1h",
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
        external_id = _job_slug(item.link or item.guid)
        if external_id is None:
            return "no guid or link"
        if not item.title:
            return "no title"
        company, title = split_title(item.title)
        tags = list(item.categories)
        tags += [skill for skill in _LIST_SPLIT.split(item.extra.get("skills", "")) if skill.strip()]
        body = item.body
        return RawListing(
            source=self.name,
            external_id=external_id,
            title=title,
            url=item.link,
            apply_url=_apply_url(body, item.link),
            company=company,
            location_raw=item.extra.get("region"),
            places=_countries(item.extra.get("country")),
            remote=True,
            employment_type=item.extra.get("type"),
            salary_text=item.extra.get("salary"),
            tags=[tag.strip() for tag in tags],
            description_html=body,
            posted_at=item.published,
            raw=item.to_dict(),
        )


def split_title(value: str) -> tuple[str | None, str]:
    """("Company", "Role") from "Company: Role"; roles may hold colons, so the first one splits."""
    company, sep, role = value.partition(": ")
    if not sep or not company.strip() or not role.strip():
        return None, value.strip()
    return company.strip(), role.strip()


def _job_slug(url: str | None) -> str | None:
    """"mathmo-maths-coach" from ".../remote-jobs/mathmo-maths-coach"; other ids as they are."""
    if not url:
        return None
    try:
        path = urlsplit(url).path.rstrip("/")
    except ValueError:  # not a URL at all ("http://[::1"): keep it as the id
        return url
    if "/remote-jobs/" in path:
        return path.rsplit("/", 1)[-1] or url
    return url


def _countries(value: str | None) -> list[dict[str, str | None]]:
    """Structured places from the 2026 `<country>` list; a flag gives the ISO code exactly."""
    if not value:
        return []
    names = [name.strip() for name in _LIST_SPLIT.split(value) if name.strip()]
    if len(names) > _MAX_COUNTRIES or any("..." in name for name in names):
        return []
    places: list[dict[str, str | None]] = []
    for name in names:
        flag = _FLAG.match(name)
        if flag:
            code = "".join(chr(ord(char) - 0x1F1E6 + ord("A")) for char in flag.group(1))
            places.append({"country": code})
        else:
            places.append({"country": name})
    return places


def _apply_url(body: str | None, link: str | None) -> str | None:
    """The "To apply:" link when it leads somewhere other than the listing itself."""
    found = _APPLY.search(body or "")
    if found is None or found.group(1) == link:
        return None
    return found.group(1)


SOURCE = WeWorkRemotely()
