"""Text cleaning: HTML to readable text, sanitised HTML, tidy whitespace, canonical URLs, dates."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import nh3
from selectolax.lexbor import LexborHTMLParser

_WS = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANKS = re.compile(r"\n\s*\n+")


def tidy(value: str) -> str:
    """One line: entities decoded, runs of whitespace collapsed."""
    return _WS.sub(" ", html.unescape(value).replace("\n", " ")).strip()


def tidy_block(value: str) -> str:
    """Multi-line text: spaces collapsed per line, at most one blank line between paragraphs."""
    lines = [_WS.sub(" ", line).strip() for line in html.unescape(value).splitlines()]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


def html_to_text(markup: str) -> str:
    """Readable text of an HTML fragment, block elements on their own lines."""
    if "<" not in markup and "&" not in markup:
        return tidy_block(markup)
    tree = LexborHTMLParser(markup)
    root = tree.body or tree.root
    if root is None:
        return ""
    root.strip_tags(["script", "style", "noscript", "template"])
    return tidy_block(root.text(separator="\n", strip=True))


_ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "div", "dl", "dt", "em", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "s", "span", "strong", "sub", "sup",
    "table", "tbody", "td", "th", "thead", "tr", "u", "ul",
}


def sanitise_html(markup: str) -> str:
    """HTML safe to embed in an email or page: no scripts, handlers, styles, images or odd URLs."""
    return nh3.clean(
        markup,
        tags=_ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    ).strip()


_TRACKING = re.compile(r"^(utm_.*|fbclid|gclid|mc_cid|mc_eid|ref|referrer|source|src|trk|_hs.*)$", re.I)


def canonical_url(url: str | None) -> str | None:
    """The URL without tracking parameters or fragment; None for anything but http(s)."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)])
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", query, ""))


def parse_date(value: str | int | float | datetime | None) -> datetime | None:
    """An aware UTC datetime from ISO 8601, RFC 822, epoch seconds/milliseconds or a datetime."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    if isinstance(value, int | float) or (isinstance(value, str) and value.strip().isdigit()):
        number = float(value)
        if number <= 0:
            return None
        if number > 1e11:  # milliseconds
            number /= 1000
        try:
            return datetime.fromtimestamp(number, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
