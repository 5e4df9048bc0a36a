"""Helpers shared by the ATS board adapters (Greenhouse, Lever, Ashby, SmartRecruiters, Workable): one
board is one company."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from scrapers.sources._json import text_field

_SEPARATORS = re.compile(r"[-_\s]+")


def board_company(board: str | None) -> str | None:
    """A display name for a board token ("acme-robotics" -> "Acme Robotics").

    ATS payloads often name no company because the board *is* the company; the token the operator
    configured is then the best name there is. Words already cased by the operator stay as written.
    """
    if not board:
        return None
    words = [w for w in _SEPARATORS.split(board.strip()) if w]
    return " ".join(w.capitalize() if w.islower() else w for w in words) or None


def names(items: Any, key: str = "name") -> list[str]:
    """The non-empty `key` strings of a list of objects (departments, offices, teams), in order."""
    found: list[str] = []
    for item in objects(items):
        value = item.get(key)
        if isinstance(value, str) and value.strip() and value.strip() not in found:
            found.append(value.strip())
    return found


def workplace(value: Any) -> str | None:
    """An ATS workplace word ("OnSite", "On-Site", "Hybrid (Travel-Required)", "remote") as the
    model's remote/hybrid/onsite; None for anything else ("unspecified", a number, a typo)."""
    if not isinstance(value, str):
        return None
    key = re.sub(r"[^a-z]", "", value.lower())
    for word in ("remote", "hybrid", "onsite"):
        if key.startswith(word):
            return word
    return "onsite" if key in ("inoffice", "office", "inperson") else None


def number(value: Any) -> float | None:
    """A JSON number as a float; None for strings, booleans, null and non-positive amounts."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1e308:
        return None
    return float(value)


def obj(value: Any) -> dict[str, Any]:
    """`value` when it is a JSON object, else an empty one, so a wrong type reads as missing."""
    return value if isinstance(value, dict) else {}


def objects(value: Any) -> list[dict[str, Any]]:
    """The JSON objects of a list; anything else (null, a string, stray items) reads as absent."""
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def texts(item: dict[str, Any], *keys: str) -> list[str]:
    """The distinct non-empty text fields `keys` of `item`, in order (department and team often agree)."""
    return list(dict.fromkeys(t for t in (text_field(item, k) for k in keys) if t))


def board_in_url(url: str | None, hosts: tuple[str, ...]) -> str | None:
    """The board token that a hosted job URL starts with ("https://jobs.lever.co/acme/…" -> "acme").

    Lets a payload parsed without its board (`hirewire parse`, a saved file) still name its company.
    """
    if not url:
        return None
    parts = urlsplit(url)
    if parts.hostname not in hosts:
        return None
    first = parts.path.strip("/").split("/", 1)[0]
    return first or None
