"""Seniority and employment type. (Minimal first version.)"""

from __future__ import annotations

import re

_TITLE = [
    ("intern", re.compile(r"\bintern(ship)?\b", re.I)),
    ("principal", re.compile(r"\b(principal|staff|distinguished)\b", re.I)),
    ("lead", re.compile(r"\b(lead|head of|tech lead)\b", re.I)),
    ("senior", re.compile(r"\b(senior|sr\.?)\b", re.I)),
    ("junior", re.compile(r"\b(junior|jr\.?|graduate|entry[- ]level)\b", re.I)),
    ("mid", re.compile(r"\b(mid[- ]level|intermediate)\b", re.I)),
]


def seniority(title: str, *, hint: str | None = None, text: str = "") -> str | None:
    for level, pattern in _TITLE:
        if pattern.search(title):
            return level
    if hint:
        for level, pattern in _TITLE:
            if pattern.search(hint):
                return level
    return None


_TYPES = {"fulltime": "full_time", "parttime": "part_time", "contract": "contract", "contractor": "contract",
          "internship": "internship", "intern": "internship", "temporary": "temporary", "temp": "temporary",
          "freelance": "contract"}


def employment_type(value: str | None, *, title: str = "") -> str | None:
    if not value:
        return None
    key = re.sub(r"[^a-z]", "", value.lower())
    return _TYPES.get(key)
