"""Lever's public postings API: a JSON array of postings per board, paged with `skip`/`limit`.

Two generations of the format are live on old boards: the current one (workplaceType, country,
`*Plain` twins, salaryRange) and the 2015 one (no workplaceType, no pay, descriptions as plain
text, sometimes no description at all). A posting's text is spread over `description`, `lists`
(requirements, responsibilities…) and `additional`; all three go into the description.
"""

from __future__ import annotations

import html
import re
from typing import Any, ClassVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from aggregator.errors import ParseError
from aggregator.model import RawListing
from scrapers.sources._boards import board_company, board_in_url, number, obj, objects, texts, workplace
from scrapers.sources._json import Signature, check_signature, job_object, load_json, reread, text_field
from scrapers.sources.base import Defaults, Page, ParseContext

#: Lever's salaryRange.interval vocabulary; "one-time" and unknown intervals are not a wage.
_INTERVALS = {
    "per-year-salary": "year",
    "per-month-salary": "month",
    "per-week-salary": "week",
    "per-day-wage": "day",
    "per-hour-wage": "hour",
}
#: Where Lever hosts job pages; the first path segment is the board.
_HOSTS = ("jobs.lever.co", "jobs.eu.lever.co")
_HTML_TAG = re.compile(r"<[a-zA-Z][^>]*>")
#: What makes a JSON array Lever's postings: the title under `text` and the hosted job page, both in the
#: 2015 and the current format (RemoteOK also answers with an array, of jobs with neither).
SIGNATURE: Signature = (("text", "hostedUrl"),)


class Lever:
    name: ClassVar[str] = "lever"
    defaults: ClassVar[Defaults] = Defaults(
        url="https://api.lever.co/v0/postings/{board}?mode=json&limit=100",
        every="6h",
        rate=0.2,
        burst=1,
        content_types=("application/json",),
        max_pages=20,
    )

    def parse(self, payload: bytes, ctx: ParseContext) -> Page:
        document = load_json(payload, self.name)
        if isinstance(document, dict) and document.get("ok") is False:
            raise ParseError(f"lever: the API answered with an error: {document.get('error')!r}")
        if not isinstance(document, list):
            raise ParseError("lever: expected a JSON array of postings")
        check_signature(document, self.name, SIGNATURE, "postings")
        page = Page()
        for index, item in enumerate(document):
            try:
                page.listings.append(self._listing(item, ctx))
            except (KeyError, TypeError, ValueError) as exc:
                page.warnings.append(f"lever: item {index} skipped: {exc}")
        follow = next_page_url(ctx.url, len(document))
        if follow:
            page.follow.append(follow)
        return page

    def parse_item(self, raw: Any, ctx: ParseContext) -> RawListing | None:
        """Re-read one stored posting; `ctx.board` names the company."""
        return reread(raw, self.name, lambda item: self._listing(item, ctx))

    def _listing(self, item: Any, ctx: ParseContext) -> RawListing:
        item, external_id, title = job_object(item, "id", "text")
        categories = obj(item.get("categories"))
        country = text_field(item, "country")
        low, high, currency, period = _salary(item.get("salaryRange"))
        return RawListing(
            source=self.name,
            external_id=external_id,
            title=title,
            url=text_field(item, "hostedUrl"),
            apply_url=text_field(item, "applyUrl"),
            company=board_company(ctx.board or board_in_url(text_field(item, "hostedUrl"), _HOSTS)),
            location_raw=_location(categories),
            places=[{"country": country, "region": None, "city": None}] if country else [],
            remote=workplace(item.get("workplaceType")),
            employment_type=text_field(categories, "commitment"),
            seniority=text_field(categories, "level"),
            salary_min=low,
            salary_max=high,
            salary_currency=currency,
            salary_period=period,
            tags=texts(categories, "department", "team"),
            description_html=description_html(item),
            posted_at=_epoch(item.get("createdAt")),
            raw=item,
        )


def next_page_url(url: str | None, count: int) -> str | None:
    """The URL of the next page when this one came back full, else None.

    Without a `limit` in the URL Lever returns every posting at once, so there is nothing to follow.
    """
    if not url:
        return None
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    try:
        limit = int(query.get("limit", ""))
        skip = int(query.get("skip", "0") or 0)
    except ValueError:
        return None
    if limit <= 0 or count < limit:
        return None
    query["skip"] = str(skip + limit)
    return urlunsplit(parts._replace(query=urlencode(query)))


def description_html(item: dict[str, Any]) -> str | None:
    """The intro, then each list under its heading, then the closing text, as one HTML document."""
    blocks: list[str] = []
    intro = text_field(item, "description") or _joined(item, "opening", "descriptionBody")
    if intro:
        blocks.append(_as_html(intro))
    for entry in objects(item.get("lists")):
        heading, content = text_field(entry, "text"), text_field(entry, "content")
        if heading:
            blocks.append(f"<h3>{html.escape(heading, quote=False)}</h3>")
        if content:
            # Lever sends bare <li> items without their <ul>.
            blocks.append(f"<ul>{content}</ul>" if content.lstrip().startswith("<li") else _as_html(content))
    additional = text_field(item, "additional")
    if additional:
        blocks.append(_as_html(additional))
    return "\n".join(blocks) or None


def _joined(item: dict[str, Any], *keys: str) -> str | None:
    return "".join(t for t in (text_field(item, k) for k in keys) if t) or None


def _as_html(text: str) -> str:
    """HTML kept as is; 2015-era plain text turned into paragraphs so its line breaks survive."""
    if _HTML_TAG.search(text):
        return text
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "\n".join("<p>" + html.escape(p, quote=False).replace("\n", "<br>") + "</p>" for p in paragraphs)


def _location(categories: dict[str, Any]) -> str | None:
    """Every location of the posting ("Stockholm; London"), else the primary one."""
    every = categories.get("allLocations")
    if isinstance(every, list):
        places = [p.strip() for p in every if isinstance(p, str) and p.strip()]
        if places:
            return "; ".join(places)
    return text_field(categories, "location")


def _salary(value: Any) -> tuple[float | None, float | None, str | None, str | None]:
    """(min, max, currency, period) from salaryRange; all None unless the interval is a wage."""
    if not isinstance(value, dict):
        return None, None, None, None
    period = _INTERVALS.get(str(value.get("interval")))
    low, high = number(value.get("min")), number(value.get("max"))
    if period is None or (low is None and high is None):
        return None, None, None, None
    return low, high, text_field(value, "currency"), period


def _epoch(value: Any) -> int | float | None:
    """createdAt is epoch milliseconds; anything else is unknown."""
    return value if isinstance(value, int | float) and not isinstance(value, bool) and value > 0 else None


SOURCE = Lever()
