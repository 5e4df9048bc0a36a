"""Text cleaning: HTML to readable text, sanitised HTML, tidy whitespace, canonical URLs, UTC dates.

Everything here takes untrusted input and never raises on it: what cannot be read is None or "".
"""

from __future__ import annotations

import html
import math
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import nh3
from selectolax.lexbor import LexborHTMLParser, LexborNode

__all__ = ["canonical_url", "html_to_text", "parse_date", "sanitise_html", "tidy", "tidy_block"]

_WS = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
#: Three or more new lines, spelt out rather than `\n{3,}`: a literal start lets the regex engine skip
#: ahead (several times as fast on long text).
_BLANKS = re.compile(r"\n\n\n+")
#: Control and zero-width characters that only ever get in the way of reading or matching.
_INVISIBLE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\u200b-\u200d\u2060\ufeff]")


def tidy(value: str) -> str:
    """One line: entities decoded, invisible characters dropped, runs of whitespace collapsed."""
    return _WS.sub(" ", _INVISIBLE.sub("", html.unescape(value)).replace("\n", " ")).strip()


def tidy_block(value: str) -> str:
    """Multi-line text: entities decoded, spaces collapsed per line, at most one blank line between
    paragraphs."""
    return _tidy_lines(html.unescape(value))


def _tidy_lines(value: str) -> str:
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    # Every invisible character and every whitespace character but the space is unprintable, so a
    # printable line without a double space only needs its ends stripped, and needs nothing at all
    # when no space touches a new line: most text walked from HTML is already tidy but for blank lines.
    if value.replace("\n", "").isprintable() and "  " not in value and " \n" not in value and "\n " not in value:
        return _BLANKS.sub("\n\n", value).strip()
    lines = [
        line.strip() if line.isprintable() and "  " not in line else _WS.sub(" ", _INVISIBLE.sub("", line)).strip()
        for line in value.split("\n")
    ]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


#: Payloads that escaped their HTML once more than they should ("&lt;p&gt;…"): unescaped once first.
_ESCAPED_TAG = re.compile(r"&lt;/?[a-zA-Z][a-zA-Z0-9]*[\s/&]")
_REAL_TAG = re.compile(r"<[a-zA-Z/!]")


def _unescape_if_escaped(markup: str) -> str:
    if _ESCAPED_TAG.search(markup) and not _REAL_TAG.search(markup):
        return html.unescape(markup)
    return markup


#: Elements whose content is never text to read.
_SKIP = frozenset({"script", "style", "noscript", "template", "head", "title", "iframe", "object", "embed",
                   "svg", "math", "select", "textarea", "button", "-comment"})
#: Blocks that are paragraphs: a blank line around them.
_PARAGRAPHS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "table", "blockquote",
                         "pre", "section", "article", "header", "footer", "figure", "form", "fieldset"})
#: Blocks that are lines: a line break around them.
_LINES = frozenset({"div", "li", "tr", "dt", "dd", "main", "aside", "nav", "address", "details", "summary",
                    "caption", "hr", "figcaption"})
_CELLS = frozenset({"td", "th"})
#: Break markers the walk leaves between blocks; merged afterwards so nested blocks make one break.
_LINE, _PARAGRAPH = "\x01", "\x02"
#: A run of markers, spaces and new lines from its first marker on (the spaces and new lines before
#: that marker end the text before it). It starts with a marker, which the regex engine finds fast.
_BREAKS = re.compile(r"([\x01\x02][ \n\x01\x02]*)")


def _merge_breaks(text: str) -> str:
    """The text with each run of spaces, new lines and markers that holds a marker made one break: a
    blank line when the run holds a paragraph marker or two new lines, else a new line."""
    pieces = _BREAKS.split(text)  # text, run, text, run, ..., text
    for index in range(1, len(pieces), 2):
        before = pieces[index - 1]
        kept = before.rstrip(" \n")
        run = before[len(kept):] + pieces[index]
        pieces[index - 1] = kept
        pieces[index] = "\n\n" if _PARAGRAPH in run or run.count("\n") >= 2 else "\n"
    return "".join(pieces)


def _after(node: LexborNode, root_id: int, known: dict[int, int | None]) -> int | None:
    """The id of the node that a document-order walk of the tree under the node with id `root_id`
    visits after `node`'s subtree; None when the subtree ends the walk.

    A last child shares its parent's answer, so every node climbed through is remembered in `known`:
    without that, each block of a deeply nested chain ("<div><p><div><p>…", thousands deep in a
    hostile or broken feed) climbs the whole chain again, and one description takes seconds.
    """
    climbed: list[int] = []
    found: int | None = None
    while node.mem_id != root_id:
        here = node.mem_id
        if here in known:
            found = known[here]
            break
        climbed.append(here)
        following = node.next
        if following is not None:
            found = following.mem_id
            break
        parent = node.parent
        if parent is None:
            break
        node = parent
    for here in climbed:
        known[here] = found
    return found


def _walk(root: LexborNode) -> str:
    """The text of a tree, inline elements inline and blocks on their own lines.

    One pass over the nodes in document order with lexbor's own traversal (no recursion, and no
    Python-side stack of children). A block's closing break is due when the walk reaches the node
    after the block's subtree, so open blocks wait on a stack with that node's id; the subtree of a
    skipped element is passed over the same way.
    """
    parts: list[str] = []
    root_id = root.mem_id
    #: Blocks still open, innermost last: the id of the node after the block (None: the end), the
    #: break that closes it, whether it is preformatted text and whether it is a list item.
    open_blocks: list[tuple[int | None, str, bool, bool]] = []
    skipping, skip_to = False, None
    preformatted = 0
    #: List items open around the walk: their paragraphs are lines, so "<li><p>One</p></li>" reads
    #: "• One" on one line rather than a lone bullet above a paragraph.
    items = 0
    #: A list item's bullet waits for the item's first words, wherever they are nested.
    bullet = False
    after: dict[int, int | None] = {}
    for node in root.traverse(include_text=True):
        here = node.mem_id
        if skipping:
            if here != skip_to:
                continue
            skipping = False
        while open_blocks and open_blocks[-1][0] == here:
            _, closing, pre, item = open_blocks.pop()
            parts.append(closing)
            preformatted -= pre
            items -= item
            bullet = bullet and not item  # an item that ended without words has no bullet
        tag = node.tag or ""
        if tag == "-text":
            content = node.text_content or ""
            # Whitespace collapsed, but without a regex in the common cases: a printable text without
            # a double space has none to collapse, and the indentation between tags is one space.
            if not preformatted and not (content.isprintable() and "  " not in content):
                content = " " if not content.strip(" \n\t") else _WS.sub(" ", content.replace("\n", " "))
            if bullet and content.strip():
                parts.append("• ")
                content = content.lstrip()
                bullet = False
            parts.append(content)
            continue
        if tag in _SKIP or tag.startswith("-"):
            if node.child is not None:
                skipping, skip_to = True, _after(node, root_id, after)
            continue
        if tag == "br":
            parts.append("\n")
            continue
        if tag in _PARAGRAPHS:
            brk = _LINE if items else _PARAGRAPH
            parts.append(brk)
            open_blocks.append((_after(node, root_id, after), brk, tag == "pre", False))
            if tag == "pre":
                preformatted += 1
        elif tag in _LINES:
            parts.append(_LINE)
            open_blocks.append((_after(node, root_id, after), _LINE, False, tag == "li"))
            if tag == "li":
                items += 1
                bullet = True
        elif tag in _CELLS:
            parts.append(" ")
    parts.extend(closing for _, closing, _, _ in reversed(open_blocks))
    return _merge_breaks("".join(parts))


def html_to_text(markup: str) -> str:
    """Readable text of an HTML fragment: entities decoded, inline elements inline, blocks on their
    own lines, list items as "• " bullets, scripts and styles dropped."""
    markup = _unescape_if_escaped(markup)
    if "<" not in markup:
        return _ampersands(tidy_block(markup))
    tree = LexborHTMLParser(markup)
    root = tree.body or tree.root
    if root is None:
        return ""
    return _ampersands(_tidy_lines(_walk(root)))


def _ampersands(text: str) -> str:
    """The text with ampersands escaped twice by the source ("&amp;amp;", which reads "&amp;" once
    decoded, as in Lever's 2015 postings: "guidelines &amp; processes") written as "&"."""
    while "&amp;" in text:
        text = text.replace("&amp;", "&")
    return text


_ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "div", "dl", "dt", "em", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "s", "span", "strong", "sub", "sup",
    "table", "tbody", "td", "th", "thead", "tr", "u", "ul",
}
#: Elements removed with everything inside them (the rest of the disallowed tags keep their text).
_DROPPED_WITH_CONTENT = {
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math", "form",
    "select", "textarea", "button", "title", "head", "frameset", "frame", "applet", "audio", "video",
}
_SANITISER = nh3.Cleaner(
    tags=_ALLOWED_TAGS,
    clean_content_tags=_DROPPED_WITH_CONTENT,
    attributes={"a": {"href", "title"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}},
    url_schemes={"http", "https", "mailto"},
    link_rel="noopener noreferrer nofollow",
    strip_comments=True,
)
_BLANK_LINES = re.compile(r"\n\s*\n+")
#: "javascript:" left in text (never in an attribute: those are gone) is written with an entity so no
#: later, laxer consumer of the HTML can mistake it for a URL.
_SCRIPT_SCHEME = re.compile(r"(javascript|vbscript):", re.I)
#: How every match of `_SCRIPT_SCHEME` ends (IGNORECASE matches "p" and "t" to nothing but "P" and
#: "T"): four plain substring tests, which rule out most texts far faster than the regex scan.
_SCRIPT_SCHEME_ENDS = ("pt:", "pT:", "Pt:", "PT:")


def sanitise_html(markup: str) -> str:
    """HTML safe to embed in an email or page.

    Only structural and inline text elements survive; scripts, styles, forms, frames and media go
    with their content; images go (remote images track readers); no attribute survives but a link's
    href (http, https or mailto only — never javascript: or data:) and title.
    """
    cleaned: str = _SANITISER.clean(_unescape_if_escaped(markup))
    if any(end in cleaned for end in _SCRIPT_SCHEME_ENDS):
        cleaned = _SCRIPT_SCHEME.sub(r"\1&#58;", cleaned)
    return _BLANK_LINES.sub("\n", cleaned).strip()


_TRACKING = re.compile(
    r"^(utm_.*|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|twclid|igshid|li_fat_id|mc_cid|mc_eid|"
    r"_hs.*|hsCtaTracking|_ga|_gl|ref|ref_src|referrer|source|src|trk|trkCampaign|gh_src|"
    r"lever-source|lever-origin|lever-source\[\]|__s|oly_.*|vero_.*|mkt_tok)$",
    re.I,
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical_url(url: str | None) -> str | None:
    """The URL without tracking parameters, fragment, default port or credentials; None for anything
    but an absolute http(s) URL."""
    if not url or not isinstance(url, str):
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
        host = parts.hostname
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    # (The URL is stripped: it holds whitespace when it splits in two.)
    if scheme not in _DEFAULT_PORTS or not host or len(url.split(maxsplit=1)) > 1:
        return None
    netloc = host if ":" not in host else f"[{host}]"
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        netloc += f":{port}"
    query = parts.query and urlencode(  # (no query, nothing to filter)
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)]
    )
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


#: Dates are read as garbage outside these years (a zero epoch, a typo'd year).
_EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
_LATEST = datetime(2100, 1, 1, tzinfo=UTC)
_NUMERIC = re.compile(r"^\d+(?:\.\d+)?$")
_FRACTION = re.compile(r"(\.\d{6})\d+")
_ZONE_NAME = re.compile(r"\s*(?:UTC|GMT|Z)$", re.I)
#: Formats not covered by ISO 8601 or RFC 822, day before month where it is ambiguous.
_FORMATS = ("%Y-%m-%d %H:%M:%S %z", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d", "%d.%m.%Y %H:%M", "%d.%m.%Y",
            "%b %d, %Y", "%B %d, %Y", "%d %b %Y", "%d %B %Y", "%b %d %Y", "%B %d %Y", "%a, %d %b %Y",
            "%Y%m%d")


def _in_range(moment: datetime) -> datetime | None:
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment if _EARLIEST <= moment < _LATEST else None


def _from_number(number: float) -> datetime | None:
    if not math.isfinite(number) or number <= 0:
        return None
    if number > 1e14:  # microseconds
        number /= 1_000_000
    elif number > 1e11:  # milliseconds
        number /= 1000
    try:
        return _in_range(datetime.fromtimestamp(number, UTC))
    except (OverflowError, OSError, ValueError):
        return None


def _from_text(text: str) -> datetime | None:
    if len(text) == 8 and text.isdigit():
        try:
            return _in_range(datetime.strptime(text, "%Y%m%d"))
        except ValueError:
            pass
    if _NUMERIC.match(text):
        return _from_number(float(text))
    iso = _FRACTION.sub(r"\1", _ZONE_NAME.sub("+00:00", text) if text[:4].isdigit() else text)
    try:
        return _in_range(datetime.fromisoformat(iso))
    except ValueError:
        pass
    try:
        return _in_range(parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError):
        pass
    for fmt in _FORMATS:
        try:
            return _in_range(datetime.strptime(text, fmt))
        except ValueError:
            continue
    return None


def parse_date(value: str | int | float | datetime | None) -> datetime | None:
    """An aware UTC datetime from ISO 8601 ("2025-12-14T20:45:43", "2024-12-05 10:00:00"), RFC 822
    ("Mon, 04 Nov 2024 12:00:00 +0000"), epoch seconds, milliseconds or microseconds, a few written
    forms ("Dec 5, 2024", "05.12.2024") or a datetime. A time without a zone is read as UTC.
    """
    try:
        if value is None or isinstance(value, bool):
            return None
        if isinstance(value, datetime):
            return _in_range(value)
        if isinstance(value, int | float):
            return _from_number(float(value))
        if isinstance(value, str):
            text = value.strip()
            return _from_text(text) if text else None
    except (OverflowError, ValueError):
        return None
    return None
