"""Helpers shared by the JSON API adapters: decode a payload, read fields defensively."""

from __future__ import annotations

from typing import Any

import msgspec

from aggregator.errors import ParseError


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
