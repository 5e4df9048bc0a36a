"""Find schema.org nodes in an HTML page's JSON-LD blocks, forgiving the JSON that sites really serve.

Pages hand-write or template their JSON-LD: literal newlines inside strings (We Work Remotely),
trailing commas, `<!-- -->` or CDATA wrappers. A strict decoder would drop those postings, so
each block is repaired just enough to decode; a block that still fails is reported, not fatal.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from scrapers.sources._values import http_url

__all__ = ["Markup", "decode_lenient", "nodes_of_type", "read_markup", "types_of"]

_WRAPPERS = re.compile(r"^\s*(?:<!--|//\s*<!\[CDATA\[|<!\[CDATA\[)|(?:-->|//\s*\]\]>|\]\]>)\s*$")
#: A JobPosting may sit inside a WebPage's mainEntity or an ItemList; deeper nesting is not a posting.
_MAX_DEPTH = 6


@dataclass(frozen=True, slots=True)
class Markup:
    """What a page's HTML says about itself: its JSON-LD blocks and its canonical link."""

    #: The text of every `<script type="application/ld+json">` element, in page order.
    blocks: list[str]
    #: The page's `<link rel="canonical">`, when it is an absolute http(s) URL.
    canonical: str | None


def read_markup(document: str) -> Markup:
    """The page's JSON-LD blocks and canonical link, from one parse of the document."""
    tree = LexborHTMLParser(document)
    blocks = []
    for script in tree.css("script"):
        kind = (script.attributes.get("type") or "").strip().lower()
        if kind.startswith("application/ld+json"):
            blocks.append(script.text(deep=True))
    canonical = None
    for link in tree.css("link[rel][href]"):
        if "canonical" in (link.attributes.get("rel") or "").lower().split():
            canonical = http_url(link.attributes.get("href"))
            break
    return Markup(blocks, canonical)


def decode_lenient(text: str) -> Any:
    """The JSON value of one block; ValueError when even the repaired text is not JSON."""
    text = _WRAPPERS.sub("", text.strip()).strip().rstrip(";")
    try:
        # strict=False accepts raw control characters (newlines, tabs) inside strings.
        return json.loads(text, strict=False)
    except ValueError:
        return json.loads(_drop_trailing_commas(text), strict=False)


def types_of(node: dict[str, Any]) -> set[str]:
    """A node's @type values, lowercased and without a schema.org prefix."""
    raw = node.get("@type")
    values = raw if isinstance(raw, list) else [raw]
    return {
        value.rsplit("/", 1)[-1].removeprefix("schema:").lower()
        for value in values if isinstance(value, str)
    }


def nodes_of_type(value: Any, wanted: str, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Every node of type `wanted` (lowercase) in a JSON-LD value: top-level arrays, @graph, nesting."""
    if depth > _MAX_DEPTH:
        return
    if isinstance(value, list):
        for item in value:
            yield from nodes_of_type(item, wanted, depth + 1)
    elif isinstance(value, dict):
        if wanted in types_of(value):
            yield value
            return
        for child in value.values():
            if isinstance(child, dict | list):
                yield from nodes_of_type(child, wanted, depth + 1)


def _drop_trailing_commas(text: str) -> str:
    """The text without commas that directly precede `}` or `]`, leaving string contents untouched."""
    out: list[str] = []
    in_string = escaped = False
    pending_comma: list[str] | None = None
    for char in text:
        if in_string:
            out.append(char)
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
            continue
        if pending_comma is not None:
            if char.isspace():
                pending_comma.append(char)
                continue
            if char not in "}]":
                out.append(",")
            out.extend(pending_comma[1:])
            pending_comma = None
        if char == ",":
            pending_comma = [char]
            continue
        if char == '"':
            in_string = True
        out.append(char)
    if pending_comma is not None:
        out.extend(pending_comma)
    return "".join(out)
