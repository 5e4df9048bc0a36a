"""schema.org `JobPosting` JSON-LD in career pages, and the sitemaps that list those pages.

Point `url` at a job page or a sitemap (the default is a placeholder: this source reads whatever
pages the operator configures). A sitemap yields the pages to fetch; a page yields one listing per
JobPosting it embeds. These are pages written for people, so robots.txt is obeyed and the rate is
low.

What counts as this source's payload: a sitemap, or an HTML page embedding at least one JobPosting
(a posting too broken to read, e.g. without a title, still counts: it is skipped with a warning).
A JSON document is not a page (`ParseError`). A page with no JobPosting at all is a `ParseError`
when it is a page the operator listed (or `hirewire parse` was given): a page meant to hold a posting
that holds none is a bot-protection or error page served with status 200, a moved page or a posting
taken down, and reading it as "no listings" would close its posting on the strength of a block page
and say nothing; as an error it shows in the source's state and closes nothing. A page reached from a
sitemap is different: sitemaps also list pages that are not postings (the careers index, a team
page), so there it is only a warning and the rest of the sitemap is read on.

A listing's `url` is the page it was read from; when that is unknown (a saved page), the page's own
`<link rel="canonical">`. A JobPosting's `url` counts as its page only when it is not the employer's
site: We Work Remotely fills it with the company's careers site (Proxify's "http://career.proxify.io",
the same as its hiringOrganization `sameAs`), which is where one applies, not the listing.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any, ClassVar
from urllib.parse import urlsplit

from aggregator.errors import ParseError
from aggregator.model import RawListing
from scrapers.sources._jobposting import (
    first_text,
    read_company,
    read_description,
    read_employment_type,
    read_identifier,
    read_pay,
    read_where,
)
from scrapers.sources._ldjson import decode_lenient, nodes_of_type, read_markup
from scrapers.sources._sitemap import PROLOG_COMMENT, read_sitemap
from scrapers.sources.base import Defaults, Page, ParseContext

#: "2025-06-10 08:35:07 UTC", as WWR states datePosted: ISO 8601 but for the space and the zone name.
_SPACED_UTC = re.compile(r"^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}(?::\d{2})?) UTC$")
#: Pages followed from one sitemap: enough for a company's openings, not a whole site's archive.
MAX_SITEMAP_URLS = 200
#: The root of an RSS or Atom feed, after the prolog: named in the reason a feed is refused.
_FEED_ROOT = re.compile(
    rf"^\s*(?:<\?xml[^>]*\?>\s*)?(?:{PROLOG_COMMENT}\s*|<\?[^>]*\?>\s*)*<(?:[\w-]+:)?(?:rss|feed|RDF)\b")


class JsonLd:
    name: ClassVar[str] = "jsonld"
    defaults: ClassVar[Defaults] = Defaults(
        url="https://careers.example.org/sitemap.xml",
        every="12h",
        rate=0.5,
        burst=1,
        content_types=("text/html", "application/xhtml+xml", "application/xml", "text/xml"),
        # The sitemap itself plus every page it lists.
        max_pages=MAX_SITEMAP_URLS + 1,
        robots=True,
    )

    def parse(self, payload: bytes, ctx: ParseContext) -> Page:
        text = _markup_text(payload)
        sitemap = read_sitemap(text, ctx.url)
        if sitemap is not None:
            capped = sitemap.urls[:MAX_SITEMAP_URLS]
            return Page(follow=capped, complete=len(capped) == len(sitemap.urls))
        page = Page()
        markup = read_markup(text)
        if ctx.url is None:
            ctx = ParseContext(url=markup.canonical, board=ctx.board, page=ctx.page)
        postings: list[dict[str, Any]] = []
        blocks = markup.blocks
        for index, block in enumerate(blocks):
            try:
                postings.extend(nodes_of_type(decode_lenient(block), "jobposting"))
            except (ValueError, RecursionError) as exc:
                page.warnings.append(f"jsonld: script block {index} skipped: not JSON ({exc})")
        if not postings:
            reason = ("jsonld: an RSS or Atom feed, not an HTML page" if _FEED_ROOT.match(text) else
                      f"jsonld: no schema.org JobPosting in the page ({_blocks_said(len(blocks), len(page.warnings))})")
            if ctx.page == 0:
                raise ParseError(reason)
            page.warnings.append(reason)  # a page listed by a sitemap: see the module docstring
            return page
        used_ids: set[str] = set()
        single = len(postings) == 1
        for index, posting in enumerate(postings):
            try:
                listing = self._listing(posting, ctx, single=single, used_ids=used_ids)
            except (TypeError, ValueError) as exc:
                page.warnings.append(f"jsonld: JobPosting {index} skipped: {exc}")
                continue
            used_ids.add(listing.external_id)
            # The page URL and whether the page held one posting decide the listing's id and URL,
            # and a sitemap's page is not the posting's scope, so the raw item keeps both.
            listing.raw = {"page": ctx.url, "single": single, "posting": posting}
            page.listings.append(listing)
        return page

    def parse_item(self, raw: Any, ctx: ParseContext) -> RawListing | None:
        """Re-read one stored JobPosting: `parse`'s {page, single, posting} form, or a bare node."""
        if isinstance(raw, dict) and isinstance(raw.get("posting"), dict) and "single" in raw:
            posting: Any = raw["posting"]
            page = raw.get("page")
            ctx = ParseContext(url=page if isinstance(page, str) else ctx.url, board=ctx.board, page=ctx.page)
            single = raw.get("single") is True
        else:
            posting, single = raw, True
        if not isinstance(posting, dict):
            raise ParseError("jsonld: stored item unreadable: not a JobPosting object")
        try:
            listing = self._listing(posting, ctx, single=single, used_ids=set())
        except (TypeError, ValueError) as exc:
            raise ParseError(f"jsonld: stored item unreadable: {exc}") from None
        listing.raw = raw
        return listing

    def _listing(self, posting: dict[str, Any], ctx: ParseContext, *, single: bool,
                 used_ids: set[str]) -> RawListing:
        title = first_text(posting.get("title")) or first_text(posting.get("name"))
        if not title:
            raise ValueError("no title")
        company = read_company(posting.get("hiringOrganization"))
        own_url = first_text(posting.get("url"))
        # The posting's own page, unless its url is the employer's site (the module docstring says why).
        posting_page = None if _employer_site(own_url, posting.get("hiringOrganization")) else own_url
        url = ctx.url or posting_page
        where = read_where(posting)
        pay = read_pay(posting.get("baseSalary") or posting.get("estimatedSalary"))
        candidates = [
            read_identifier(posting.get("identifier")),
            # The page URL names one posting only when the page holds one.
            ctx.url if single else None,
            posting_page,
            _stable_hash(title, company, where.location_raw),
        ]
        fallback = f"{candidates[-1]}-{len(used_ids)}"
        external_id = next((c for c in candidates if c and c not in used_ids), fallback)
        return RawListing(
            source=self.name,
            external_id=external_id,
            title=title,
            url=url,
            apply_url=own_url if own_url and own_url != url else None,
            company=company,
            location_raw=where.location_raw,
            places=where.places,
            remote=where.remote,
            employment_type=read_employment_type(posting.get("employmentType")),
            salary_min=pay.minimum,
            salary_max=pay.maximum,
            salary_currency=pay.currency,
            salary_period=pay.period,
            salary_text=pay.text,
            description_html=read_description(posting.get("description")),
            posted_at=_iso_date(first_text(posting.get("datePosted"))),
            raw=posting,
        )


def _markup_text(payload: bytes) -> str:
    """The payload as text, or ParseError when it is not markup at all (binary, JSON, plain text).

    A JSON document is refused by its first character: JSON APIs embed HTML in their strings, so it
    does contain "<", but no page or sitemap starts with "{" or "[".
    """
    head = payload[:4096]
    if b"\x00" in head or head.startswith(b"\x1f\x8b"):
        raise ParseError("jsonld: not an HTML or XML document (binary data)")
    text = payload.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="replace")
    if text.lstrip()[:1] in ("{", "["):
        raise ParseError("jsonld: a JSON document, not an HTML page")
    if "<" not in text or text.count("\ufffd") > len(text) // 10:
        raise ParseError("jsonld: not an HTML or XML document")
    return text


def _employer_site(url: str | None, organization: Any) -> bool:
    """Whether `url` is the hiring organisation's own site (its `sameAs` or `url`), scheme, "www." and a
    trailing slash aside."""
    node = organization[0] if isinstance(organization, list) and organization else organization
    if not url or not isinstance(node, dict):
        return False
    sites = {_site_key(first_text(node.get(key))) for key in ("sameAs", "url")} - {None}
    return _site_key(url) in sites


def _site_key(url: str | None) -> tuple[str, str] | None:
    try:
        parts = urlsplit(url.strip()) if url else None
    except ValueError:
        return None
    if parts is None or not parts.hostname:
        return None
    return parts.hostname.removeprefix("www."), parts.path.rstrip("/")


def _blocks_said(blocks: int, broken: int) -> str:
    """What the page's JSON-LD held instead of a posting, for the one-line reason."""
    if not blocks:
        return "it has no JSON-LD script"
    if broken == blocks:
        return f"its {blocks} JSON-LD block(s) are not JSON"
    return f"its {blocks} JSON-LD block(s) describe other things" + (f", {broken} not JSON" if broken else "")


def _iso_date(value: str | None) -> str | None:
    """The date as stated, rewritten to ISO 8601 when it is the spaced "… UTC" form."""
    match = _SPACED_UTC.match(value) if value else None
    return f"{match.group(1)}T{match.group(2)}Z" if match else value


def _stable_hash(title: str, company: str | None, location: str | None) -> str:
    # The last resort for pages that give a posting no identifier and no URL of its own; the
    # location keeps two same-titled openings of one company apart.
    digest = hashlib.sha256("\x1f".join((title, company or "", location or "")).encode()).hexdigest()
    return f"sha256:{digest[:24]}"


SOURCE = JsonLd()
