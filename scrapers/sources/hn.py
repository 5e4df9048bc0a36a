"""Hacker News "Ask HN: Who is hiring?" through the Algolia HN API.

A run reads the `whoishiring` story search, follows the newest "Who is hiring?" story's
`items/{id}` thread, and turns every top-level comment into a listing. A comment search
(`search_by_date?tags=comment,story_N`) is read too, for mirrors and back-fills; there only
comments whose parent is the story are postings, since replies (and job seekers answering a
post) share the story tag.

A payload is told to be HN's by its shape: a search result is an object with a `hits` list whose hits
carry Algolia's `objectID` (an empty list is a search past its last page); a thread is an item object
with an `id` and a `children` list. Anything else, another API's JSON included, is a `ParseError`.
"""

from __future__ import annotations

import html
import re
from typing import Any, ClassVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from aggregator.errors import ParseError
from aggregator.model import RawListing
from scrapers.sources._hn_headline import parse_headline
from scrapers.sources._json import Signature, check_signature, load_json, text_field
from scrapers.sources.base import Defaults, Page, ParseContext

_DEFAULT_BASE = "https://hn.algolia.com"
_STORY_PREFIX = "ask hn: who is hiring?"
_ITEM_URL = "https://news.ycombinator.com/item?id={}"
#: What HN leaves in place of a removed comment's text.
_REMOVED = {"[deleted]", "[dead]", "[flagged]", "[removed]"}
# The anchor's text may hold no other anchor: an unclosed `<a>` then fails at the next one instead
# of rescanning the rest of the comment (which made long hostile comments quadratic).
_ANCHOR = re.compile(r"<a\s[^>]*?href=\"([^\"]*)\"[^>]*>(?:[^<]|<(?!/?a\b))*</a>", re.I)
_TAG = re.compile(r"<[^>]+>")
_FIRST_BREAK = re.compile(r"<p>|<br\s*/?>|\n", re.I)
#: What every Algolia hit carries, story or comment.
HIT_SIGNATURE: Signature = (("objectID",),)


class HackerNews:
    name: ClassVar[str] = "hn"
    defaults: ClassVar[Defaults] = Defaults(
        url="https://hn.algolia.com/api/v1/search_by_date?tags=story,author_whoishiring&hitsPerPage=20",
        every="6h",
        rate=0.5,
        burst=2,
        content_types=("application/json",),
        max_pages=5,
    )

    def parse(self, payload: bytes, ctx: ParseContext) -> Page:
        document = load_json(payload, self.name)
        if not isinstance(document, dict):
            raise ParseError("hn: expected an Algolia search result or an items/{id} thread object")
        if isinstance(document.get("children"), list) and "hits" not in document and "id" in document:
            if document.get("type", "story") != "story":
                # A comment's item: its children are replies, never postings.
                return Page(warnings=[f"hn: item {document.get('id')} is a {document.get('type')}, not a story"])
            return self._thread(document)
        hits = document.get("hits")
        if not isinstance(hits, list):
            raise ParseError("hn: expected an Algolia search result or an items/{id} thread object")
        if not hits:
            return Page()  # past the last page of a search
        check_signature(hits, self.name, HIT_SIGNATURE, "hits")
        if any(_is_comment(hit) for hit in hits):
            return self._comment_search(document, hits, ctx)
        return self._story_search(hits, ctx)

    def _story_search(self, hits: list[Any], ctx: ParseContext) -> Page:
        # Algolia's /search ranks by relevance, so the first matching hit is not the newest thread.
        stories = [
            hit for hit in hits
            if isinstance(hit, dict) and (text_field(hit, "title") or "").lower().startswith(_STORY_PREFIX)
            and text_field(hit, "objectID")
        ]
        if not stories:
            return Page(warnings=[f"hn: no 'Ask HN: Who is hiring?' story among {len(hits)} hits"])
        newest = max(stories, key=_created_key)
        return Page(follow=[f"{_api_base(ctx.url)}/api/v1/items/{text_field(newest, 'objectID')}"])

    def _thread(self, story: dict[str, Any]) -> Page:
        page = Page()
        story_id = story.get("id")
        for index, child in enumerate(story["children"]):
            if not isinstance(child, dict):
                page.warnings.append(f"hn: child {index} skipped: not an object")
                continue
            if child.get("parent_id") not in (None, story_id):
                continue
            self._add(page, child, text_key="text", id_key="id", label=f"child {index}")
        return page

    def _comment_search(self, document: dict[str, Any], hits: list[Any], ctx: ParseContext) -> Page:
        page = Page()
        for index, hit in enumerate(hits):
            if not isinstance(hit, dict):
                page.warnings.append(f"hn: hit {index} skipped: not an object")
                continue
            story_id = hit.get("story_id")
            if story_id is None or hit.get("parent_id") != story_id:
                continue
            self._add(page, hit, text_key="comment_text", id_key="objectID", label=f"hit {index}")
        next_page = _next_search_page(ctx.url, document)
        if next_page:
            page.follow.append(next_page)
        return page

    def _add(self, page: Page, item: dict[str, Any], *, text_key: str, id_key: str, label: str) -> None:
        try:
            listing = self._listing(item, text_key=text_key, id_key=id_key)
        except (TypeError, ValueError) as exc:
            page.warnings.append(f"hn: {label} skipped: {exc}")
            return
        if listing is not None:
            page.listings.append(listing)

    def parse_item(self, raw: Any, ctx: ParseContext) -> RawListing | None:
        """Re-read one stored comment: an items/{id} thread child or a comment-search hit."""
        if not isinstance(raw, dict):
            raise ParseError("hn: stored item unreadable: not an object")
        hit = "objectID" in raw or "comment_text" in raw
        try:
            return self._listing(raw, text_key="comment_text" if hit else "text", id_key="objectID" if hit else "id")
        except (TypeError, ValueError) as exc:
            raise ParseError(f"hn: stored item unreadable: {exc}") from None

    def _listing(self, item: dict[str, Any], *, text_key: str, id_key: str) -> RawListing | None:
        """The posting in one top-level comment, or None for a removed or empty one."""
        comment_id = text_field(item, id_key)
        if not comment_id:
            raise ValueError("no comment id")
        body = text_field(item, text_key)
        if item.get("deleted") or item.get("dead") or not item.get("author") or not body or body in _REMOVED:
            return None
        first_html, _, rest_html = _split_first_line(body)
        headline = parse_headline(_html_line(first_html), _html_line(rest_html))
        created_at = item.get("created_at_i")
        posted_at: int | str | None = (
            created_at if isinstance(created_at, int) and not isinstance(created_at, bool)
            else text_field(item, "created_at")
        )
        return RawListing(
            source=self.name,
            external_id=comment_id,
            title=headline.title,
            url=_ITEM_URL.format(comment_id),
            apply_url=headline.apply_url,
            company=headline.company,
            location_raw=headline.location_raw,
            remote=headline.remote,
            employment_type=headline.employment_type,
            salary_text=headline.salary_text,
            description_html=body,
            posted_at=posted_at,
            raw=item,
        )


def _is_comment(hit: Any) -> bool:
    if not isinstance(hit, dict):
        return False
    tags = hit.get("_tags")
    return "comment_text" in hit or (isinstance(tags, list) and "comment" in tags)


def _created_key(hit: dict[str, Any]) -> tuple[int, str]:
    stamp = hit.get("created_at_i")
    return (stamp if isinstance(stamp, int) else 0, text_field(hit, "created_at") or "")


def _api_base(url: str | None) -> str:
    """Scheme, host and any path prefix of the URL that was fetched, so mirrors are followed in place."""
    if not url:
        return _DEFAULT_BASE
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return _DEFAULT_BASE
    prefix = parts.path.split("/api/v1/", 1)[0] if "/api/v1/" in parts.path else ""
    return f"{parts.scheme}://{parts.netloc}{prefix}"


def _next_search_page(url: str | None, document: dict[str, Any]) -> str | None:
    current, pages = document.get("page"), document.get("nbPages")
    if not url or not isinstance(current, int) or not isinstance(pages, int) or current + 1 >= pages:
        return None
    parts = urlsplit(url)
    query = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True) if key != "page"]
    query.append(("page", str(current + 1)))
    return urlunsplit(parts._replace(query=urlencode(query)))


def _split_first_line(body: str) -> tuple[str, str, str]:
    match = _FIRST_BREAK.search(body)
    if not match:
        return body, "", ""
    return body[: match.start()], match.group(), body[match.end():]


def _html_line(fragment: str) -> str:
    """Plain text of an HN HTML fragment, links replaced by their full target (HN truncates link text)."""
    text = _ANCHOR.sub(lambda match: f" {match.group(1)} ", fragment)
    text = _TAG.sub(" ", text)
    return " ".join(html.unescape(text).split())


SOURCE = HackerNews()
