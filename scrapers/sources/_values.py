"""Defensive readers for values of the job-board APIs (RemoteOK, Jobicy, Arbeitnow, Himalayas).

Their payloads are untrusted: a number may come as a string, a list as a scalar, a URL as junk. Each
reader returns the value in the expected type or None / an empty list, never raises.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit


def number(value: Any) -> float | None:
    """A finite number from an int, float or numeric string; None otherwise (booleans included)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip().replace(",", ""))
        except ValueError:
            return None
    if isinstance(value, int | float) and abs(value) < 1e308:  # an int past float range overflows isfinite
        return float(value)
    return None


def positive(value: Any) -> float | None:
    """A number above zero; the APIs write 0 (or nothing) for "not stated"."""
    found = number(value)
    return found if found is not None and found > 0 else None


def strings(value: Any) -> list[str]:
    """The non-empty strings of a list (a lone string counts as a list of one), stripped, in order."""
    items = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    found: list[str] = []
    for item in items:
        if isinstance(item, str) and item.strip() and item.strip() not in found:
            found.append(item.strip())
    return found


def http_url(value: Any) -> str | None:
    """An absolute http(s) URL, or None: listing links are shown to subscribers and fetched."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    return value if parts.scheme.lower() in ("http", "https") and parts.netloc else None
