"""Arbeitnow's public job-board API (`/api/job-board-api`, paged by `links.next`).

Arbeitnow states no rate or redistribution terms; the API is free and keyless, so it is read hourly
at a slow rate, a few pages per run (newest first), and every listing links back to Arbeitnow.
The API has no keyword filter: the Python/backend selection happens downstream.

Quirks: `job_types` mixes two facets ("full time" next to "professional / experienced"), so
experience words become the seniority hint and the rest the employment type; some descriptions
arrive entity-escaped ("&lt;p&gt;…") instead of as HTML, followed by a real-HTML footer.

`remote` is a yes/no for fully remote work: `false` covers on-site and hybrid jobs alike (most of the
captured `false` jobs describe themselves as hybrid), so only `true` is passed on as a remote flag and
`false` leaves the mode to the location text ("Köln, Hybrid") or unknown.
"""

from __future__ import annotations

import html
from typing import Any, ClassVar

from aggregator.model import RawListing
from scrapers.sources._json import Signature, collect, job_object, load_json, reread, text_field
from scrapers.sources._values import http_url, positive, strings
from scrapers.sources.base import Defaults, Page, ParseContext

#: Fragments of Arbeitnow's job_types values that describe experience, not the contract.
_LEVEL_WORDS = (
    "experienced",
    "entry level",
    "graduate",
    "junior",
    "senior",
    "berufserfahr",
    "berufseinst",
    "leitung",
)

#: What makes a `{"data": [...]}` document Arbeitnow's: jobs identified by `slug`, with the mixed
#: `job_types` list that only Arbeitnow sends.
SIGNATURE: Signature = (("slug", "job_types"),)


class Arbeitnow:
    name: ClassVar[str] = "arbeitnow"
    defaults: ClassVar[Defaults] = Defaults(
        url="https://www.arbeitnow.com/api/job-board-api",
        every="1h",
        rate=0.2,
        burst=1,
        content_types=("application/json",),
        max_pages=5,
    )

    def parse(self, payload: bytes, ctx: ParseContext) -> Page:
        document = load_json(payload, self.name)
        page = collect(document, self.name, self._listing, signature=SIGNATURE, key="data")
        links = document.get("links")
        following = http_url(links.get("next")) if isinstance(links, dict) else None
        # An empty page with a next link would walk the whole archive for nothing.
        if following and following != ctx.url and document["data"]:
            page.follow.append(following)
        return page

    def parse_item(self, raw: Any, ctx: ParseContext) -> RawListing | None:
        """Re-read one stored job object."""
        return reread(raw, self.name, self._listing)

    def _listing(self, item: Any) -> RawListing:
        item, external_id, title = job_object(item, "slug", "title")
        levels, kinds = _split_job_types(strings(item.get("job_types")))
        remote = item.get("remote")
        url = http_url(item.get("url"))
        return RawListing(
            source=self.name,
            external_id=external_id,
            title=title,
            url=url,
            company=text_field(item, "company_name"),
            location_raw=text_field(item, "location"),
            remote=True if remote is True else None,
            employment_type=kinds[0] if kinds else None,
            seniority=levels[0] if levels else None,
            tags=strings(item.get("tags")),
            description_html=_html(text_field(item, "description")),
            posted_at=positive(item.get("created_at")),
            raw=item,
        )


def _split_job_types(values: list[str]) -> tuple[list[str], list[str]]:
    """(experience levels, employment types) from Arbeitnow's mixed job_types list."""
    levels = [v for v in values if any(word in v.lower() for word in _LEVEL_WORDS)]
    return levels, [v for v in values if v not in levels]


def _html(value: str | None) -> str | None:
    """The description as HTML; an entity-escaped body ("&lt;p&gt;…") is unescaped once.

    Arbeitnow appends its own "Find Jobs in Germany on Arbeitnow" footer as real HTML after such a
    body, so only the part before the first real tag is unescaped.
    """
    if not value:
        return value
    cut = value.find("<")
    body, footer = (value, "") if cut < 0 else (value[:cut], value[cut:])
    if "&lt;" in body:
        return html.unescape(body) + footer
    return value


SOURCE = Arbeitnow()
