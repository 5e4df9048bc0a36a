"""A tolerant, safe RSS 2.0 / RSS 1.0 / Atom reader shared by the feed adapters.

`parse_feed(payload, source)` turns bytes into a `Feed` of plain `FeedItem`s; adapters map those
onto `RawListing`s. It is pure (no I/O) and built on the standard library's expat parser because
it is fast and ships everywhere, with two guards around it:

- **Untrusted XML.** A DOCTYPE with an internal subset (where entities are declared: billion
  laughs, external entities) is refused before expat sees a byte; a bare DOCTYPE is stripped.
- **Broken feeds.** When strict parsing fails, the payload is repaired once (HTML named entities,
  bare ampersands, control characters, invalid UTF-8) and parsed again; a truncated document
  keeps the items that closed before the cut (`Feed.complete` is then False).

A payload that is not a feed at all (JSON, an HTML page, garbage) raises `ParseError`.
"""

from __future__ import annotations

import html
import html.entities
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urljoin

from aggregator.errors import ParseError
from aggregator.model import RawListing
from scrapers.sources.base import Page

__all__ = ["FEED_CONTENT_TYPES", "Feed", "FeedItem", "feed_page", "parse_feed", "reread_item"]

#: What feed servers send (prefix match); servers that mislabel feeds need a TOML override.
FEED_CONTENT_TYPES: tuple[str, ...] = (
    "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml",
)

FeedKind = Literal["rss", "rdf", "atom"]


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One `<item>` or `<entry>`, values as stated (strings stripped, empty means None)."""

    #: Position in the feed, for warnings.
    index: int
    title: str | None = None
    link: str | None = None
    guid: str | None = None
    #: HTML: RSS `<description>` or Atom `<summary>`.
    description: str | None = None
    #: HTML: `<content:encoded>` or Atom `<content>`.
    content: str | None = None
    #: `pubDate`, Atom `published` or `dc:date`, as written (RFC 822 or ISO 8601).
    published: str | None = None
    #: Atom `updated` / `dc:modified`, as written.
    updated: str | None = None
    categories: tuple[str, ...] = ()
    author: str | None = None
    #: URLs of `media:content`, `media:thumbnail` and `enclosure`.
    media: tuple[str, ...] = ()
    #: Text of the other direct child elements by local name (first non-empty one wins), so
    #: feed-specific elements (`region`, `skills`, `expires_at`, `job:company`, …) are reachable
    #: without namespaces. Empty elements are absent.
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def body(self) -> str | None:
        """The fullest HTML the item has: its content, else its description."""
        return self.content or self.description

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, kept as `RawListing.raw`."""
        return {
            "title": self.title,
            "link": self.link,
            "guid": self.guid,
            "description": self.description,
            "content": self.content,
            "published": self.published,
            "updated": self.updated,
            "categories": list(self.categories),
            "author": self.author,
            "media": list(self.media),
            "extra": dict(self.extra),
        }

    @classmethod
    def from_dict(cls, data: Any, index: int = 0) -> FeedItem:
        """The item back from `to_dict`'s form (a stored raw item); TypeError when it is not one.

        Stored items outlive the code that wrote them, so a wrong type reads as absent rather than
        being trusted; only a non-object is refused.
        """
        if not isinstance(data, dict):
            raise TypeError("not a feed item object")

        def text(key: str) -> str | None:
            value = data.get(key)
            return value if isinstance(value, str) and value else None

        def texts(key: str) -> tuple[str, ...]:
            value = data.get(key)
            return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()

        extra = data.get("extra")
        return cls(
            index=index,
            title=text("title"),
            link=text("link"),
            guid=text("guid"),
            description=text("description"),
            content=text("content"),
            published=text("published"),
            updated=text("updated"),
            categories=texts("categories"),
            author=text("author"),
            media=texts("media"),
            extra={k: v for k, v in extra.items() if isinstance(v, str)} if isinstance(extra, dict) else {},
        )


@dataclass(slots=True)
class Feed:
    kind: FeedKind
    title: str | None = None
    link: str | None = None
    items: list[FeedItem] = field(default_factory=list)
    #: One line per problem that did not stop the parse (repairs, truncation, skipped items).
    warnings: list[str] = field(default_factory=list)
    #: False when the document was cut short and only the items before the cut were read.
    complete: bool = True


def parse_feed(payload: bytes, source: str, *, base_url: str | None = None) -> Feed:
    """Read an RSS or Atom document; relative links resolve against `base_url` (the fetched URL).

    Raises `ParseError` (one line, prefixed with `source`) when the payload is not a feed.
    """
    prepared = _prepare(payload, source)
    collector, error = _parse(prepared)
    warnings: list[str] = []
    complete = True
    if error is not None:
        repaired = _repair(prepared)
        collector, second_error = _parse(repaired)
        if second_error is None:
            warnings.append(f"{source}: malformed XML repaired ({error})")
        elif collector.items:
            complete = False
            warnings.append(f"{source}: document cut short ({second_error}); kept the complete items")
        elif collector.root is not None and _local(collector.root.tag).lower() == "html":
            raise ParseError(f"{source}: an HTML page, not a feed ({error})")
        else:
            raise ParseError(f"{source}: not a well-formed XML feed ({error})")
    root = collector.root
    if root is None:
        raise ParseError(f"{source}: empty document")
    kind = _KINDS.get(_local(root.tag))
    if kind is None:
        raise ParseError(f"{source}: not an RSS or Atom feed (root element <{_local(root.tag)}>)")
    feed = Feed(kind=kind, warnings=warnings, complete=complete)
    base = _xml_base(root, base_url)
    _read_head(feed, root, base)
    for index, element in enumerate(collector.items):
        try:
            feed.items.append(_item(element, index, kind, base))
        except ValueError as exc:  # urljoin refuses some hrefs ("http://[::1"): lose that item only
            feed.warnings.append(f"{source}: item {index} skipped: {exc}")
    return feed


# --- bytes → elements -------------------------------------------------------------------------------

_KINDS: dict[str, FeedKind] = {"rss": "rss", "RDF": "rdf", "feed": "atom"}
_ITEM_PARENTS = frozenset({"channel", "rss", "RDF", "feed"})
_ITEM_NAMES = frozenset({"item", "entry"})

_BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_XML_DECL = re.compile(rb"^<\?xml[^>]*\?>")
_PROLOG_SKIP = re.compile(rb"\s+|<\?.*?\?>|<!--.*?-->", re.DOTALL)
_DOCTYPE = re.compile(rb"<!DOCTYPE\s+([^\s>\[]*)", re.IGNORECASE)


def _prepare(payload: bytes, source: str) -> bytes:
    """UTF-8 or an ASCII-compatible encoding, no BOM, no leading blanks and no DOCTYPE."""
    if not isinstance(payload, bytes | bytearray):
        raise ParseError(f"{source}: payload is not bytes")
    data = bytes(payload)
    for bom, codec in _BOMS:
        if data.startswith(bom):
            # The declaration names a 16/32-bit encoding the bytes no longer have after transcoding.
            data = _XML_DECL.sub(b"", data[len(bom):].decode(codec, "replace").encode("utf-8").lstrip())
            break
    data = data.removeprefix(b"\xef\xbb\xbf").lstrip()
    if not data:
        raise ParseError(f"{source}: empty document")
    if data[:1] in (b"{", b"["):  # no XML document starts so: an API's answer (or error) in JSON
        raise ParseError(f"{source}: a JSON document, not an RSS or Atom feed")
    return _strip_doctype(data, source)


def _strip_doctype(data: bytes, source: str) -> bytes:
    """Remove a DOCTYPE from the prolog; refuse one that declares anything.

    Entities are only ever declared in a DOCTYPE's internal subset, so refusing the subset closes
    entity expansion (billion laughs) and external entities; expat never loads external DTDs.
    """
    pos = 0
    while pos < len(data):
        skipped = _PROLOG_SKIP.match(data, pos)
        if skipped:
            pos = skipped.end()
            continue
        doctype = _DOCTYPE.match(data, pos)
        if doctype is None:
            return data  # the root element starts here
        if doctype.group(1).lower() == b"html":
            raise ParseError(f"{source}: an HTML page, not a feed")
        end = _doctype_end(data, doctype.end())
        if end is None:
            raise ParseError(f"{source}: document type declaration with an internal subset refused")
        return data[:pos] + data[end:]
    return data


def _doctype_end(data: bytes, pos: int) -> int | None:
    """Index just past a DOCTYPE's `>`, or None when it has an internal subset (or never ends)."""
    quote: int | None = None
    for index in range(pos, len(data)):
        char = data[index]
        if quote is not None:
            if char == quote:
                quote = None
        elif char in b"\"'":
            quote = char
        elif char == ord("["):
            return None
        elif char == ord(">"):
            return index + 1
    return None


_BAD_AMPERSAND = re.compile(rb"&(?!#[0-9]+;|#[xX][0-9a-fA-F]+;)([A-Za-z][A-Za-z0-9]*;)?")
_XML_ENTITIES = frozenset({b"amp;", b"lt;", b"gt;", b"quot;", b"apos;"})
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_DECLARED_ENCODING = re.compile(rb"^<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._-]+)")


def _repair(data: bytes) -> bytes:
    """The fixes that make most real-world broken feeds parse; only used after a strict failure."""
    declared = _DECLARED_ENCODING.match(data)
    if declared is None or declared.group(1).lower() in (b"utf-8", b"utf8"):
        data = data.decode("utf-8", "replace").encode("utf-8")
    data = _CONTROL.sub(b"", data)
    return _BAD_AMPERSAND.sub(_fix_ampersand, data)


def _fix_ampersand(match: re.Match[bytes]) -> bytes:
    name = match.group(1)
    if name is None:
        return b"&amp;"
    if name in _XML_ENTITIES:
        return match.group(0)
    char = html.entities.html5.get(name.decode("ascii"))
    if char is None:
        return b"&amp;" + name
    return "".join(f"&#{ord(c)};" for c in char).encode("ascii")


class _Collector:
    """A TreeBuilder target that remembers the root and every item/entry that closed.

    Recording items as they close is what lets a truncated document keep its complete items.
    """

    def __init__(self) -> None:
        self._builder = ET.TreeBuilder()
        self._path: list[str] = []
        self.root: ET.Element | None = None
        self.items: list[ET.Element] = []

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:
        element = self._builder.start(tag, attrs)
        if self.root is None:
            self.root = element
        self._path.append(_local(tag))
        return element

    def end(self, tag: str) -> ET.Element:
        element = self._builder.end(tag)
        name = self._path.pop()
        if name in _ITEM_NAMES and self._path and self._path[-1] in _ITEM_PARENTS:
            self.items.append(element)
        return element

    def data(self, text: str) -> None:
        self._builder.data(text)

    def close(self) -> ET.Element | None:
        return self.root


def _parse(data: bytes) -> tuple[_Collector, str | None]:
    collector = _Collector()
    parser = ET.XMLParser(target=collector)  # noqa: S314 - DOCTYPEs are refused/stripped beforehand
    try:
        parser.feed(data)
        parser.close()
    except (ET.ParseError, LookupError, ValueError) as exc:  # unknown or multi-byte declared encodings
        return collector, str(exc)
    return collector, None


# --- elements → items -------------------------------------------------------------------------------

_XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
_PUBLISHED = ("pubDate", "published", "date", "issued", "created")
_UPDATED = ("updated", "modified")
_MEDIA = frozenset({"content", "thumbnail", "enclosure"})
#: Children that have a field of their own, so `extra` does not repeat them.
_MAPPED = frozenset({"title", "link", "guid", "id", "description", "summary", "content", "encoded",
                     "category", "author", "creator", *_PUBLISHED, *_UPDATED})


def _local(tag: object) -> str:
    if not isinstance(tag, str):
        return ""  # comments and processing instructions
    return tag.rsplit("}", 1)[-1]


def _namespace(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def _text(element: ET.Element | None) -> str | None:
    if element is None:
        return None
    value = "".join(element.itertext()).strip()
    return value or None


def _read_head(feed: Feed, root: ET.Element, base_url: str | None) -> None:
    head = next((child for child in root if _local(child.tag) == "channel"), root)
    for child in head:
        name = _local(child.tag)
        if name == "title" and feed.title is None:
            feed.title = _text(child)
        elif name == "link" and feed.link is None:
            href = child.get("href")
            if href is None and not _namespace(child.tag):
                feed.link = _text(child)
            elif href and child.get("rel", "alternate") == "alternate":
                feed.link = urljoin(base_url or "", href.strip())


def _xml_base(element: ET.Element, base: str | None) -> str | None:
    declared = element.get(_XML_BASE)
    if declared:
        return urljoin(base or "", declared.strip())
    return base


def _item(element: ET.Element, index: int, kind: FeedKind, base: str | None) -> FeedItem:
    base = _xml_base(element, base)
    first: dict[str, ET.Element] = {}
    extra: dict[str, str] = {}
    categories: list[str] = []
    media: list[str] = []
    links: list[ET.Element] = []
    for child in element:
        name = _local(child.tag)
        if not name:
            continue
        first.setdefault(name, child)
        if name == "category":
            term = child.get("label") or child.get("term") or _text(child)
            if term and term.strip():
                categories.append(term.strip())
        elif name == "link":
            links.append(child)
        elif name in _MEDIA and child.get("url"):
            media.append(child.get("url", "").strip())
        if name not in _MAPPED and name not in extra and len(child) == 0:
            value = (child.text or "").strip()
            if value:
                extra[name] = value
    guid = _text(first.get("guid")) or _text(first.get("id"))
    return FeedItem(
        index=index,
        title=_text(first.get("title")),
        link=_link(links, first.get("guid"), base),
        guid=guid,
        description=_markup(first.get("description") if kind != "atom" else first.get("summary")),
        content=_content(first, kind),
        published=_first_text(first, _PUBLISHED),
        updated=_first_text(first, _UPDATED),
        categories=tuple(categories),
        author=_author(first),
        media=tuple(media),
        extra=extra,
    )


def _first_text(first: dict[str, ET.Element], names: tuple[str, ...]) -> str | None:
    for name in names:
        value = _text(first.get(name))
        if value:
            return value
    return None


def _link(links: list[ET.Element], guid: ET.Element | None, base: str | None) -> str | None:
    """RSS `<link>` text, else Atom's alternate (HTML first), else a permalink guid."""
    alternates: list[tuple[bool, str]] = []
    for link in links:
        href = link.get("href")
        if href is None:
            text = _text(link)
            if text:
                return urljoin(base or "", text)
        elif href.strip() and link.get("rel", "alternate") == "alternate":
            is_html = link.get("type", "text/html") in ("text/html", "application/xhtml+xml")
            alternates.append((is_html, urljoin(base or "", href.strip())))
    if alternates:
        return max(alternates, key=lambda pair: pair[0])[1]
    permalink = _text(guid)
    is_permalink = guid is not None and guid.get("isPermaLink", "true").lower() != "false"
    if is_permalink and permalink and permalink.startswith(("http://", "https://")):
        return permalink
    return None


def _author(first: dict[str, ET.Element]) -> str | None:
    author = first.get("author")
    if author is not None and len(author):
        name = next((child for child in author if _local(child.tag) == "name"), None)
        return _text(name)
    return _text(author) or _text(first.get("creator"))


def _content(first: dict[str, ET.Element], kind: FeedKind) -> str | None:
    encoded = first.get("encoded")
    if encoded is not None:
        return _markup(encoded)
    if kind == "atom":
        return _markup(first.get("content"))
    return None


def _markup(element: ET.Element | None) -> str | None:
    """An element's content as HTML, whatever way the feed carried it.

    Escaped or CDATA HTML arrives as text and is HTML already; Atom `type="text"` is plain text and
    gets escaped; inline markup (Atom XHTML, or a feed that forgot to escape) is serialised back.
    """
    if element is None:
        return None
    kind = (element.get("type") or "").lower()
    if len(element) == 0:
        value = (element.text or "").strip()
        if kind in ("text", "text/plain"):
            value = html.escape(value, quote=False)
        return value or None
    children = list(element)
    if kind == "xhtml" and len(children) == 1 and _local(children[0].tag) == "div":
        element = children[0]
    parts = [html.escape(element.text or "", quote=False)]
    for child in element:
        _drop_namespaces(child)
        parts.append(ET.tostring(child, encoding="unicode", method="html"))
    value = "".join(parts).strip()
    return value or None


def _drop_namespaces(element: ET.Element) -> None:
    for node in element.iter():
        if isinstance(node.tag, str) and node.tag.startswith("{"):
            node.tag = _local(node.tag)


def feed_page(payload: bytes, source: str, base_url: str | None,
              listing: Callable[[FeedItem], RawListing | str]) -> Page:
    """A Page of a feed adapter: `listing` turns one item into a RawListing, or says why it can't.

    Being an RSS or Atom document is what makes a payload a feed adapter's: JSON, an HTML page (an
    error or bot-protection page) or any other XML is a `ParseError` (`parse_feed`), and a channel
    with no items is a valid empty feed. No feed adapter asks more of a feed than that: their items
    share no element beyond the RSS basics (python.org's have only title, link, description and guid;
    WWR's `<region>`, `<type>` and `<country>` come and go between formats), and feeds are served from
    mirrors, so neither an element nor a host could tell one job feed from another reliably.
    """
    feed = parse_feed(payload, source, base_url=base_url)
    page = Page(warnings=list(feed.warnings), complete=feed.complete)
    for item in feed.items:
        result = listing(item)
        if isinstance(result, str):
            page.warnings.append(f"{source}: item {item.index} skipped: {result}")
        else:
            page.listings.append(result)
    return page


def reread_item(raw: Any, source: str, listing: Callable[[FeedItem], RawListing | str]) -> RawListing:
    """A feed adapter's `parse_item`: one stored item (`FeedItem.to_dict()`'s form) read again."""
    try:
        result = listing(FeedItem.from_dict(raw))
    except TypeError as exc:
        raise ParseError(f"{source}: stored item unreadable: {exc}") from None
    if isinstance(result, str):
        raise ParseError(f"{source}: stored item unreadable: {result}")
    return result
