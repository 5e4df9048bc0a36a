"""The one small interface every source adapter implements.

An adapter knows its default endpoint(s), how to turn one fetched payload into `RawListing`s and
which further URLs to fetch (next page, detail pages). It never opens a connection: the fetch engine
hands it bytes, which is what makes it testable on a saved payload.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

from aggregator.errors import ParseError
from aggregator.model import RawListing

__all__ = ["Defaults", "Page", "ParseContext", "ParseError", "Source"]


@dataclass(frozen=True, slots=True)
class Defaults:
    """A source's politeness and schedule defaults; every one is overridable in the TOML file."""

    url: str
    every: str = "1h"
    rate: float = 0.5
    burst: int = 2
    concurrency: int = 1
    #: Content types the endpoint is expected to serve (prefix match); empty means any.
    content_types: tuple[str, ...] = ()
    #: Upper bound on the pages (or follow-up documents) read per run.
    max_pages: int = 10
    #: Obey robots.txt (HTML pages); API endpoints meant for programs are exempt.
    robots: bool = False
    #: Boards/companies substituted for `{board}` in the URL (ATS sources).
    boards: tuple[str, ...] = ()
    #: Ask for follow-up documents conditionally too (If-None-Match). False where a follow-up completes
    #: a listing already read from a list page (a posting's own page): after a 304 the list's thinner
    #: reading would be the last one, and replace what the page had said.
    conditional_follow: bool = True


@dataclass(slots=True)
class ParseContext:
    """What an adapter may know about the payload besides its bytes."""

    url: str | None = None
    #: The ATS board / company the URL was built for, if any.
    board: str | None = None
    #: 0 for the first page of a run, 1 for the next, …
    page: int = 0


@dataclass(slots=True)
class Page:
    """The result of parsing one payload."""

    listings: list[RawListing] = field(default_factory=list)
    #: URLs to fetch next in the same run (next page, thread items, sitemap pages).
    follow: list[str] = field(default_factory=list)
    #: One line per item that was skipped because it was broken; the rest of the batch is kept.
    warnings: list[str] = field(default_factory=list)
    #: False when the adapter knows the payload is only part of the feed (a page cap, a filter).
    complete: bool = True


class Source(Protocol):
    """A job feed: bytes in, listings out."""

    name: ClassVar[str]
    defaults: ClassVar[Defaults]

    def parse(self, payload: bytes, ctx: ParseContext) -> Page:
        """Parse one fetched document.

        Raises `ParseError` when the payload is not a document of this source at all; a broken
        item is skipped with a warning instead.
        """
        ...

    def parse_item(self, raw: Any, ctx: ParseContext) -> RawListing | None:
        """Re-read one stored raw item (the JSON round trip of a `RawListing.raw`).

        This is what makes a parser fix reach listings already stored without fetching again. `ctx`
        is rebuilt from the posting's scope (the ATS board, or the feed/page URL). None when the item
        holds no listing (a removed comment, an unlisted job); `ParseError` when it is broken.
        """
        ...
