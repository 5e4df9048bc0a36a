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


def job_object(item: Any, id_key: str, title_key: str) -> tuple[dict[str, Any], str, str]:
    """A job object with its id and title: TypeError when it is not an object, ValueError naming the
    two keys when either is missing (the warning a skipped item gets)."""
    if not isinstance(item, dict):
        raise TypeError("not an object")
    external_id = text_field(item, id_key)
    title = text_field(item, title_key)
    if not external_id or not title:
        raise ValueError(f"no {id_key} or {title_key}")
    return item, external_id, title


def reread(raw: Any, source: str, listing: Callable[[Any], RawListing | None]) -> RawListing | None:
    """A JSON adapter's `parse_item`: one stored job object read again, or ParseError when it no longer
    reads (what `collect` would skip with a warning)."""
    try:
        return listing(raw)
    except (KeyError, TypeError, ValueError) as exc:
        raise ParseError(f"{source}: stored item unreadable: {exc}") from None


#: The keys that tell a source's job objects from another API's: alternatives, each a set of keys that
#: must all be present (`(("absolute_url",), ("content",))`: either key; `(("company_name", "url"),)`: both).
Signature = tuple[tuple[str, ...], ...]


def _signed(item: Any, signature: Signature) -> bool:
    """Whether `item` is an object holding every key of one of the signature's alternatives."""
    return isinstance(item, dict) and any(all(key in item for key in keys) for keys in signature)


def _describe(signature: Signature) -> str:
    """The signature as the one-line reason names it: "'a' and 'b'", "'a' or 'b'"."""
    return " or ".join(" and ".join(repr(key) for key in keys) for keys in signature)


def check_signature(items: list[Any], source: str, signature: Signature, what: str = "jobs") -> None:
    """ParseError unless the list is empty or at least one item carries the source's `signature`.

    Several APIs answer with the same envelope (`{"jobs": [...]}` is Remotive's, Greenhouse's, Ashby's,
    Himalayas', Jobicy's and Workable's), and each adapter reads only the fields it knows, so without this
    a payload of another source (a misconfigured URL, an API that changed its shape) would parse into
    plausible-looking garbage or into one skipped item per job. One item lacking the keys is still only
    that item's problem (it is skipped with a warning); none of them having them is the payload's. An
    empty list is a board with no open jobs, which is a valid answer.
    """
    if not items or any(_signed(item, signature) for item in items):
        return
    raise ParseError(f"{source}: not this source's payload: none of its {len(items)} {what} has {_describe(signature)}")


def jobs_page(payload: bytes, source: str, listing: Callable[[Any], RawListing | None], *,
              signature: Signature, key: str = "jobs") -> Page:
    """A Page of an API whose document is an object holding a list of jobs under `key`."""
    return collect(load_json(payload, source), source, listing, signature=signature, key=key)


def collect(document: Any, source: str, listing: Callable[[Any], RawListing | None], *,
            signature: Signature, key: str = "jobs") -> Page:
    """The listings of a decoded document holding a list of jobs under `key`.

    The document must be this source's (`check_signature`: some job carries the `signature`).
    `listing` turns one item into a RawListing (None: not a listing, skipped silently); an item it
    can't read (KeyError, TypeError, ValueError) is skipped with a warning and the rest are kept.
    """
    if not isinstance(document, dict) or not isinstance(document.get(key), list):
        raise ParseError(f"{source}: expected an object with a '{key}' list")
    check_signature(document[key], source, signature)
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
