"""Helpers shared by the JSON API adapters: decode a payload, read fields defensively."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec

from aggregator.errors import ParseError
from aggregator.model import RawListing
from scrapers.sources.base import Page


def load_json(payload: bytes, source: str) -> Any:
    """The decoded document, or ParseError with one line saying why."""
    try:
        return msgspec.json.decode(payload.removeprefix(b"\xef\xbb\xbf"))
    except (msgspec.DecodeError, UnicodeDecodeError, RecursionError) as exc:  # bad UTF-8, deep nesting
        raise ParseError(f"{source}: not a JSON document ({exc})") from None


def text_field(item: dict[str, Any], key: str) -> str | None:
    """A string field, or None when missing, empty or not a string."""
    value = item.get(key)
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def jobs_page(payload: bytes, source: str, listing: Callable[[Any], RawListing | None], key: str = "jobs") -> Page:
    """A Page of an API whose document is an object holding a list of jobs under `key`."""
    return collect(load_json(payload, source), source, listing, key)


def collect(document: Any, source: str, listing: Callable[[Any], RawListing | None], key: str = "jobs") -> Page:
    """The listings of a decoded document holding a list of jobs under `key`.

    `listing` turns one item into a RawListing (None: not a listing, skipped silently); an item it
    can't read (KeyError, TypeError, ValueError) is skipped with a warning and the rest are kept.
    """
    if not isinstance(document, dict) or not isinstance(document.get(key), list):
        raise ParseError(f"{source}: expected an object with a '{key}' list")
    page = Page()
    for index, item in enumerate(document[key]):
        try:
            result = listing(item)
        except (KeyError, TypeError, ValueError) as exc:
            page.warnings.append(f"{source}: item {index} skipped: {exc}")
            continue
        if result is not None:
            page.listings.append(result)
    return page
