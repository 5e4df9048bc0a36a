"""Greenhouse's public job board API: one request per configured board returns all its open jobs.

`content=true` adds the description as entity-escaped HTML (`&lt;p&gt;`); without it there is no
description at all. Greenhouse has no structured pay: boards that publish pay transparency put a
`pay-range` block inside the content, which is read as free-text pay.
"""

from __future__ import annotations

import html
import re
from typing import Any, ClassVar

from aggregator.model import RawListing
from scrapers.sources._boards import board_company, names, obj, objects, workplace
from scrapers.sources._json import Signature, job_object, jobs_page, reread, text_field
from scrapers.sources.base import Defaults, Page, ParseContext

# The pay-transparency widget: an optional title div ("Annual Salary Range") then the range as
# spans ("$150,000", divider, "$190,000 USD"). It holds no nested divs, so a regex is enough.
_PAY_RANGE = re.compile(r"<div[^>]*class=\"[^\"]*\bpay-range\b[^\"]*\"[^>]*>(?P<range>(?:[^<]|<(?!/div\b))*)</div>",
                        re.I)
# The title div just before a pay range; searched only in a short window before it, so that
# content full of unclosed title divs can't make the search quadratic.
_PAY_TITLE = re.compile(r"<div[^>]*class=\"[^\"]*\btitle\b[^\"]*\"[^>]*>(?P<title>(?:[^<]|<(?!/?div\b))*)</div>\s*$",
                        re.I)
_TITLE_WINDOW = 1000
_SPAN = re.compile(r"<span(?P<attrs>[^>]*)>(?P<text>.*?)</span>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")
_METADATA_REMOTE = re.compile(r"location type|workplace|remote", re.I)
_METADATA_KIND = re.compile(r"employment type|job type|commitment", re.I)
#: What tells a Greenhouse job from the other `{"jobs": [...]}` APIs': its hosted page (`absolute_url`,
#: which every job of the Job Board API carries) or its entity-escaped `content` (with `content=true`);
#: no other source names either so.
SIGNATURE: Signature = (("absolute_url",), ("content",))


class Greenhouse:
    name: ClassVar[str] = "greenhouse"
    defaults: ClassVar[Defaults] = Defaults(
        url="https://boards-api.greenhouse.io/v1/boards/{board}/jobs?content=true",
        every="6h",
        rate=0.2,
        burst=1,
        content_types=("application/json",),
        max_pages=1,
    )

    def parse(self, payload: bytes, ctx: ParseContext) -> Page:
        return jobs_page(payload, self.name, lambda item: self._listing(item, ctx), signature=SIGNATURE)

    def parse_item(self, raw: Any, ctx: ParseContext) -> RawListing | None:
        """Re-read one stored job object; `ctx.board` names the company when the job does not."""
        return reread(raw, self.name, lambda item: self._listing(item, ctx))

    def _listing(self, item: Any, ctx: ParseContext) -> RawListing:
        item, external_id, title = job_object(item, "id", "title")
        content = text_field(item, "content")
        description_html = html.unescape(content) if content else None
        metadata = _metadata(item.get("metadata"))
        return RawListing(
            source=self.name,
            external_id=external_id,
            title=title,
            url=text_field(item, "absolute_url"),
            company=text_field(item, "company_name") or board_company(ctx.board),
            location_raw=_location(item),
            remote=next((workplace(v) for k, v in metadata if _METADATA_REMOTE.search(k)), None),
            employment_type=next((v for k, v in metadata if _METADATA_KIND.search(k)), None),
            salary_text=pay_range(description_html) if description_html else None,
            tags=names(item.get("departments")),
            description_html=description_html,
            posted_at=text_field(item, "first_published") or text_field(item, "updated_at"),
            raw=item,
        )


def _location(item: dict[str, Any]) -> str | None:
    """`location.name` as stated (it may list places joined by ";" or "|"); the offices otherwise."""
    stated = text_field(obj(item.get("location")), "name")
    return stated or "; ".join(names(item.get("offices"))) or None


def _metadata(entries: Any) -> list[tuple[str, str]]:
    """The board's custom fields as (name, value) pairs; null, numeric and list values are dropped."""
    pairs: list[tuple[str, str]] = []
    for entry in objects(entries):
        name, value = entry.get("name"), entry.get("value")
        if isinstance(name, str) and isinstance(value, str) and value.strip():
            pairs.append((name, value.strip()))
    return pairs


def pay_range(content_html: str) -> str | None:
    """The first pay-transparency range as text ("Annual Salary: $150,000 - $190,000 USD"), or None.

    The widget's divider is an em dash, which is joined as " - " so every salary parser reads a range;
    its title carries the period ("Annual", "Hourly"), so it is kept in front.
    """
    match = _PAY_RANGE.search(content_html)
    if not match:
        return None
    before = _PAY_TITLE.search(content_html, max(0, match.start() - _TITLE_WINDOW), match.start())
    spans = [
        _text(m.group("text"))
        for m in _SPAN.finditer(match.group("range"))
        if "divider" not in m.group("attrs")
    ]
    amount = " - ".join(s for s in spans if s) if spans else _text(match.group("range"))
    if not amount:
        return None
    title = _text(before.group("title")) if before else ""
    return f"{title}: {amount}" if title else amount


def _text(fragment: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", fragment)).split())


SOURCE = Greenhouse()
