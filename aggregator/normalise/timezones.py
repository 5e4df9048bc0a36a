"""Time-zone windows in location text: "UTC-3 to UTC+3", "GMT+1 +/- 2 hours", "CET ± 3h", "EST".

Remote roles often ask for overlap with a zone rather than a country. The window is returned as
UTC offsets in hours (min, max); the text is handed back with those phrases blanked out so the
place parser does not read "EST" as Estonia or "+/-" as a separator.
"""

from __future__ import annotations

import re

__all__ = ["ZONE_OFFSETS", "extract_window"]

#: Standard offsets of the zone abbreviations job ads use (US abbreviations as written, not DST-aware).
ZONE_OFFSETS: dict[str, float] = {
    "UTC": 0, "GMT": 0, "WET": 0, "WEST": 1, "BST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3,
    "MSK": 3, "EAT": 3, "WAT": 1, "CAT": 2, "SAST": 2, "IST": 5.5, "PKT": 5, "SGT": 8, "HKT": 8,
    "AWST": 8, "JST": 9, "KST": 9, "AEST": 10, "AEDT": 11, "NZST": 12, "NZDT": 13, "BRT": -3,
    "ART": -3, "EST": -5, "EDT": -4, "ET": -5, "CST": -6, "CDT": -5, "CT": -6, "MST": -7,
    "MDT": -6, "MT": -7, "PST": -8, "PDT": -7, "PT": -8, "AKST": -9, "HST": -10,
}

_LONG = "|".join(sorted((z for z in ZONE_OFFSETS if len(z) > 2), key=len, reverse=True))
# Two-letter zones ("PT", "CT") are also country and state codes, so they count only when the
# text makes the zone reading explicit: an offset or a following "time"/"hours"/"timezone".
_ZONE = re.compile(
    r"(?<![A-Za-z])(?:(?P<name>(?i:utc|gmt)|" + _LONG + r")|(?P<short>ET|CT|MT|PT)"
    r"(?=\s*(?:[+-]\s*\d|time|hours|tz|zone)))(?![A-Za-z])"
    r"(?:\s?(?P<sign>[+-])\s?(?P<hours>\d{1,2})(?::?(?P<minutes>[0-5]\d))?(?!\d))?"
    r"(?:\s*(?:\+/-|±|\+-|\+ /-|plus\s+or\s+minus)\s*(?P<spread>\d{1,2}(?:\.\d+)?)"
    r"\s*(?:h(?:ou)?rs?|hours?|h)?\b)?",
)
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")


#: What joins two offsets into one range: "UTC-10 to UTC-5", "UTC-8 - UTC-5".
_RANGE_JOIN = re.compile(r"\s*(?:-|to|until|through)\s*", re.IGNORECASE)
#: Offsets past this lie beyond the date line: UTC+13 and UTC+14 keep the clock of UTC-11 and UTC-10.
_DATE_LINE = 12


def extract_window(text: str) -> tuple[float | None, float | None, str]:
    """(min offset, max offset, text without the zone phrases); (None, None, text) when none.

    A lone offset beyond the date line listed next to western ones is read as the same clock a day
    behind: Himalayas' "United States (UTC-10 to UTC-5, UTC+14)" is the window UTC-10 to UTC-5, not
    the whole world from UTC-10 to UTC+14. A range that runs to it ("UTC-11 to UTC+14") is kept.
    """
    text = _DASHES.sub("-", text)
    offsets: list[float] = []
    lone_far_east: list[float] = []
    previous_end: int | None = None
    for match in _ZONE.finditer(text):
        ends_a_range = previous_end is not None and _RANGE_JOIN.fullmatch(text, previous_end, match.start())
        previous_end = match.end()
        name = (match["name"] or match["short"]).upper()
        offset = ZONE_OFFSETS[name]
        if match["hours"] is not None:
            shift = int(match["hours"]) + int(match["minutes"] or 0) / 60
            offset += shift if match["sign"] == "+" else -shift
        if not -12 <= offset <= 14:
            continue
        spread = float(match["spread"]) if match["spread"] else 0.0
        if spread > 12:
            continue
        if offset > _DATE_LINE and not spread and not ends_a_range:
            lone_far_east.append(offset)
            continue
        offsets.extend((offset - spread, offset + spread))
    if offsets and lone_far_east and min(offsets) < 0:
        offsets.extend(offset - 24 for offset in lone_far_east)
    else:
        offsets.extend(lone_far_east)
    if not offsets:
        return None, None, text
    return min(offsets), max(offsets), _ZONE.sub(" , ", text)
