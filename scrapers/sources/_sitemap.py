"""Read the URLs of an XML sitemap (`<urlset>`) or sitemap index (`<sitemapindex>`).

Regular expressions rather than an XML parser: sitemaps are flat, only `<loc>` matters, and a
regex cannot be made to expand entities (the billion-laughs family) the way a parser can.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import urljoin

__all__ = ["PROLOG_COMMENT", "Sitemap", "read_sitemap"]

#: A comment whose body cannot run past its own "-->": with a lazy `.*?` the repeated prolog group could
#: end each comment at any later "-->", and a page opening with a few dozen comments took exponential time.
PROLOG_COMMENT = r"<!--(?:[^-]|-(?!->))*-->"
_ROOT = re.compile(
    rf"^\s*(?:<\?xml[^>]*\?>\s*)?(?:{PROLOG_COMMENT}\s*|<\?[^>]*\?>\s*|<!DOCTYPE[^>]*>\s*)*"
    r"<(?:[\w-]+:)?(urlset|sitemapindex)\b",
    re.I,
)
# Unprefixed <loc> only: <image:loc> and <video:loc> inside a <url> are media, not pages.
# Neither group can run past the next "<" or "]", which keeps a broken document linear.
_LOC = re.compile(r"<loc>(?:([^<]*)|\s*<!\[CDATA\[([^\]<]*)\]\]>\s*)</loc>", re.I)


@dataclass(frozen=True, slots=True)
class Sitemap:
    """The page URLs (`is_index` False) or child sitemap URLs (`is_index` True), in document order."""

    is_index: bool
    urls: list[str]


def read_sitemap(text: str, base: str | None = None) -> Sitemap | None:
    """The sitemap in `text`, or None when the document is not a sitemap."""
    root = _ROOT.match(text)
    if not root:
        return None
    seen: set[str] = set()
    urls = []
    for match in _LOC.finditer(text):
        text = html.unescape(match.group(1)) if match.group(1) is not None else match.group(2)
        try:
            url = urljoin(base or "", text.strip())
        except ValueError:  # not a URL ("http://[::1"): skip it
            continue
        if url.startswith(("http://", "https://")) and url not in seen:
            seen.add(url)
            urls.append(url)
    return Sitemap(is_index=root.group(1).lower() == "sitemapindex", urls=urls)
