"""Location: remote/hybrid/onsite, places (ISO 3166-1 alpha-2 countries, regions, cities), the
broad areas a remote role is open to, and its time-zone window.

The remote mode comes from the source's structured hint first, then the location text, then the
title ("(Remote)"); unknown stays None. A structured `False` means "not remote": hybrid if the
text says so, otherwise onsite; but a location text that says remote ("Remote-Friendly | San
Francisco" filed as On-Site) leaves it unknown, since the listing contradicts itself.

Areas in `remote_regions` use these canonical names: Worldwide, Americas, North America,
Latin America, Europe, EMEA, APAC, Asia, Africa, Oceania, Middle East, Nordics. Blocs that are
lists of countries (DACH, Benelux) become locations instead. Areas are dropped for onsite roles,
where they describe an office's territory rather than who may apply.

A place is kept only when it can be tied to a country (directly, through a US/Canadian/Australian
region, or through a major city): a lone unknown name ("Pine Bluff") is dropped, not guessed.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from aggregator.model import Location
from aggregator.normalise import places as known
from aggregator.normalise.countries import COUNTRY_NAMES, country_code, fold
from aggregator.normalise.timezones import extract_window

__all__ = ["AREAS", "Where", "parse_location"]


@dataclass(slots=True)
class Where:
    """The location facts of one listing, in the contract's vocabulary (unknown is None or empty)."""

    remote: str | None = None
    locations: list[Location] = field(default_factory=list)
    remote_regions: list[str] = field(default_factory=list)
    utc_offset_min: float | None = None
    utc_offset_max: float | None = None


#: Folded phrases → canonical area names (the module docstring lists them).
AREAS: dict[str, str] = {
    "worldwide": "Worldwide", "anywhere": "Worldwide", "anywhere in the world": "Worldwide",
    "global": "Worldwide", "globally": "Worldwide", "world": "Worldwide", "everywhere": "Worldwide",
    "international": "Worldwide", "all countries": "Worldwide", "americas": "Americas",
    "the americas": "Americas", "amer": "Americas", "north and south america": "Americas",
    "north america": "North America", "northern america": "North America",
    "latam": "Latin America", "latin america": "Latin America", "south america": "Latin America",
    "central america": "Latin America", "lat am": "Latin America", "europe": "Europe",
    "european": "Europe", "eu": "Europe", "european union": "Europe", "eea": "Europe",
    "eastern europe": "Europe", "western europe": "Europe", "central europe": "Europe",
    "cee": "Europe", "emea": "EMEA", "apac": "APAC", "asia pacific": "APAC", "asia-pacific": "APAC",
    "asia": "Asia", "southeast asia": "Asia", "south asia": "Asia", "east asia": "Asia",
    "africa": "Africa", "sub-saharan africa": "Africa", "oceania": "Oceania",
    "middle east": "Middle East", "mena": "Middle East", "nordics": "Nordics",
    "nordic countries": "Nordics", "scandinavia": "Nordics",
}
_BLOCS: dict[str, tuple[str, ...]] = {"dach": ("DE", "AT", "CH"), "benelux": ("BE", "NL", "LU")}
# Codes common enough on job boards to read a lone two-letter piece as a country ("Remote - US").
_COMMON_CODES = frozenset(
    {
        "US", "GB", "UK", "CA", "DE", "FR", "NL", "ES", "PT", "IT", "IE", "PL", "SE", "NO", "DK", "FI",
        "CH", "AT", "BE", "AU", "NZ", "BR", "MX", "AR", "CO", "CL", "SG", "JP", "IL", "AE", "ZA", "NG",
        "KE", "CZ", "RO", "UA", "PH", "IN",
    }
)

_HINTS: dict[str, str] = {
    "remote": "remote", "telecommute": "remote", "fullyremote": "remote", "remoteonly": "remote",
    "remotefirst": "remote", "wfh": "remote", "workfromhome": "remote", "distributed": "remote",
    "anywhere": "remote", "yes": "remote", "true": "remote", "hybrid": "hybrid",
    "partiallyremote": "hybrid", "flexible": "hybrid", "onsite": "onsite", "inoffice": "onsite",
    "office": "onsite", "inperson": "onsite", "onpremise": "onsite", "onpremises": "onsite",
    "notremote": "onsite", "no": "onsite", "false": "onsite", "officebased": "onsite",
}
_LETTERS = re.compile(r"[^a-z]")
_HYBRID = re.compile(r"\bhybrid\b|\bpartially\s+remote\b|\bpartly\s+remote\b", re.IGNORECASE)
_NOT_REMOTE = re.compile(r"\b(?:no|not|non)[- ]remote\b", re.IGNORECASE)
_REMOTE = re.compile(
    r"\b(?:remote|anywhere|worldwide|work\s+from\s+(?:home|anywhere)|wfh|telecommute|telework(?:ing)?"
    r"|distributed|home[- ]based)\b",
    re.IGNORECASE,
)
_ONSITE = re.compile(r"\b(?:on[- ]?site|in[- ]office|office[- ]based|in[- ]person|on[- ]premises?)\b",
                     re.IGNORECASE)
_TITLE_MODE = re.compile(
    r"\b(?P<word>remote|hybrid|on[- ]?site)\b(?!\s+(?:sensing|control|monitoring|patient|support))",
    re.IGNORECASE,
)

_PRE = (
    (re.compile(r"washington,?\s*d\.?\s?c\.?", re.IGNORECASE), "Washington DC"),
    (re.compile(r"asia\s*[/&-]\s*pacific", re.IGNORECASE), "APAC"),
    (re.compile(r"north\s*(?:&|and|/)\s*south\s+america", re.IGNORECASE), "Americas"),
    (re.compile(r"[()\[\]{}]"), ","),
)
_GROUPS = re.compile(r"[;|\n]|\s/\s|/|\s+-\s+|\s+–\s+|\s+or\s+", re.IGNORECASE)
_MODE_WORDS = re.compile(
    r"\b(?:fully|full|100%|partially)?\s*(?:remote|hybrid|on[- ]?site|in[- ]office|wfh|work\s+from\s+home"
    r"|telecommute)(?:[- ](?:friendly|first|only|ok|flexibility|flexible|possible|optional))?\b"
    r"|\btravel[- ]required\b",
    re.IGNORECASE,
)
_QUALIFIERS = re.compile(
    r"\b(?:only|based|time\s*zones?|timezones?|tz|hours|residents?|citizens?|preferred|required"
    r"|area|hq|office|candidates?|applicants?)\b|^\s*(?:in|from|within)\s+",
    re.IGNORECASE,
)
_AND = re.compile(r"\s+and\s+|\s*&\s*", re.IGNORECASE)
_MAX_TEXT = 2_000


def parse_location(location_raw: str | None, *, places: list[dict[str, str | None]] | None = None,
                   remote: bool | str | None = None, title: str = "") -> Where:
    """Where a job is and who may apply, from structured places, free text and the title."""
    read = _read_text(location_raw[:_MAX_TEXT] if isinstance(location_raw, str) else "")
    where = Where(utc_offset_min=read.utc_offset_min, utc_offset_max=read.utc_offset_max)
    stated = _mode_from_hint(remote, read.mode)
    if stated == "onsite" and read.mode == "remote":
        where.remote = None  # "Remote-Friendly | San Francisco" filed as On-Site: the two disagree
    else:
        where.remote = stated or read.mode or _mode_from_title(title)

    found: list[Location] = []
    for place in places or []:
        location = _structured_place(place)
        if location is not None:
            found.append(location)
    found.extend(read.locations)
    areas = read.areas
    if not found and not areas:
        titled, areas = _title_places(title)
        found.extend(titled)
    where.locations = _dedup(found)
    if where.remote != "onsite":
        where.remote_regions = list(dict.fromkeys(areas))
    return where


class _Reading(NamedTuple):
    """What a location text says on its own, before the structured hints and the title are weighed."""

    utc_offset_min: float | None
    utc_offset_max: float | None
    mode: str | None
    locations: tuple[Location, ...]  # `Location` is frozen: safe to share between listings
    areas: tuple[str, ...]


@lru_cache(maxsize=4096)
def _read_text(text: str) -> _Reading:
    """The reading of a location text. Cached: a board's listings repeat a few texts ("Remote", "Berlin,
    Germany"), and reading one takes a dozen regexes and table lookups."""
    low, high, text = extract_window(text)
    parsed, areas = _parse_text(text)
    return _Reading(low, high, _mode_from_text(text), tuple(parsed), tuple(areas))


# -- remote mode -------------------------------------------------------------------------------


def _mode_from_hint(hint: object, from_text: str | None) -> str | None:
    if hint is True:
        return "remote"
    if hint is False:
        return "hybrid" if from_text == "hybrid" else "onsite"
    if isinstance(hint, str):
        mode = _HINTS.get(_LETTERS.sub("", hint.lower()))
        if mode == "onsite" and from_text == "hybrid":
            return "hybrid"
        return mode
    return None


def _mode_from_text(text: str) -> str | None:
    if not text:
        return None
    if _HYBRID.search(text):
        return "hybrid"
    if _NOT_REMOTE.search(text):
        return "onsite"
    if _REMOTE.search(text):
        return "remote"
    if _ONSITE.search(text):
        return "onsite"
    return None


def _mode_from_title(title: object) -> str | None:
    if not isinstance(title, str) or not title:
        return None
    match = _TITLE_MODE.search(title[:_MAX_TEXT])
    if match is None:
        return None
    word = match["word"].lower()
    return "remote" if word == "remote" else "hybrid" if word == "hybrid" else "onsite"


# -- places named in the title ------------------------------------------------------------------

#: A bracketed part of a title: "Senior Python Engineer (Berlin)", "Data Engineer [Remote, EU]".
_TITLE_BRACKETS = re.compile(r"\(([^()]*)\)|\[([^\[\]]*)\]")
#: What sets the last part of a title apart: "Backend Developer - Remote, UK", "Analyst | Fully Remote US".
_TITLE_TAIL = re.compile(r"\s[-–—|]\s|\s+\|")


@lru_cache(maxsize=4096)
def _title_places(title: str) -> tuple[tuple[Location, ...], tuple[str, ...]]:
    """Places and areas a title names in a part of its own, for listings whose location says nothing.

    Only a bracketed part, or the part after the last " - " / " | " (else after the last comma), is
    read, and only when every piece of it is a place, an area or a remote/hybrid word: "(Berlin)",
    "- Remote, UK", ", LATAM". A part with anything else in it ("- Digital Marketing", "(Full-Time,
    Remote, ET Hours)", ", Java") is not a place, and a place name inside the role ("Head of UK Policy")
    is never read.
    """
    if not isinstance(title, str) or not title:
        return (), ()
    title = title[:_MAX_TEXT]
    parts = [inner or square for inner, square in _TITLE_BRACKETS.findall(title)]
    bare = _TITLE_BRACKETS.sub(" ", title).strip()
    tail = _TITLE_TAIL.split(bare)
    if len(tail) > 1:
        parts.append(tail[-1])
    elif "," in bare:
        parts.append(bare.rsplit(",", 1)[1])
    locations: list[Location] = []
    areas: list[str] = []
    for part in parts:
        if _all_places(part):
            found, named = _parse_text(part)
            locations.extend(found)
            areas.extend(named)
    return tuple(locations), tuple(areas)


def _all_places(part: str) -> bool:
    """Whether every piece of a title's part names a place or an area, and at least one does."""
    for pattern, replacement in _PRE:
        part = pattern.sub(replacement, part)
    pieces = [_strip_piece(piece) for group in _GROUPS.split(part) for piece in group.split(",")]
    pieces = [word.strip() for piece in pieces if piece for word in _AND.split(piece)]
    named = [piece for piece in pieces if piece]
    return bool(named) and all(_is_place(piece) for piece in named)


def _is_place(piece: str) -> bool:
    """Whether a piece is an area, a bloc, a country, a known city or a US/Canadian/Australian region."""
    key = fold(piece)
    if key in AREAS or key in _BLOCS:
        return True
    if len(piece) == 2 and piece.isalpha():
        return piece.upper() in _COMMON_CODES or piece.upper() == "UK"
    return bool(country_code(piece, codes=False) or known.city(piece) or known.subdivision(piece))


# -- structured places -------------------------------------------------------------------------


def _structured_place(place: object) -> Location | None:
    if not isinstance(place, dict):
        return None
    country_raw, region_raw, city_raw = (_text(place.get(key)) for key in ("country", "region", "city"))
    country = country_code(country_raw) if country_raw else None
    region: str | None = None
    if region_raw:
        sub = known.subdivision(region_raw) or known.subdivision_by_code(
            region_raw, country if country in ("US", "CA", "AU") else None)
        if sub is not None and (country is None or sub.country == country):
            country, region = sub.country, sub.code
        else:
            region = _tidy(region_raw)
    city: str | None = None
    if city_raw:
        hit = known.city(city_raw)
        if hit is not None and (country is None or hit.country == country):
            country = hit.country
            region = region or hit.region
            city = hit.name
        else:
            city = _tidy(city_raw)
    if country is None:
        return None  # same rule as for text: a place must be tied to a country
    return Location(country=country, region=region, city=city)


def _text(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


# -- free text ---------------------------------------------------------------------------------


@dataclass(slots=True)
class _Draft:
    """One place being assembled from consecutive pieces ("Austin", "TX", "USA")."""

    city: str | None = None
    region: str | None = None
    country: str | None = None
    implied_country: str | None = None
    implied_region: str | None = None

    def empty(self) -> bool:
        return not (self.city or self.region or self.country)

    def location(self) -> Location | None:
        country = self.country or self.implied_country
        if country is None:
            return None
        region = self.region
        if region is None and self.implied_country == country:
            region = self.implied_region
        return Location(country=country, region=region, city=self.city)


def _parse_text(text: str) -> tuple[list[Location], list[str]]:
    if not text.strip():
        return [], []
    for pattern, replacement in _PRE:
        text = pattern.sub(replacement, text)
    locations: list[Location] = []
    areas: list[str] = []
    for group in _GROUPS.split(text):
        draft = _Draft()
        for piece in group.split(","):
            draft = _take(_strip_piece(piece), draft, locations, areas)
        _flush(draft, locations)
    return locations, areas


def _strip_piece(piece: str) -> str:
    piece = _MODE_WORDS.sub(" ", piece)
    return _QUALIFIERS.sub(" ", piece).strip(" \t-.:'\"")


def _flush(draft: _Draft, out: list[Location]) -> None:
    location = draft.location()
    if location is not None:
        out.append(location)


def _take(piece: str, draft: _Draft, out: list[Location], areas: list[str]) -> _Draft:
    """Add one comma-separated piece to the place being built; returns the draft to continue."""
    if not piece:
        return draft
    key = fold(piece)
    if key in AREAS:
        _flush(draft, out)
        areas.append(AREAS[key])
        return _Draft()
    if key in _BLOCS:
        _flush(draft, out)
        out.extend(Location(country=code) for code in _BLOCS[key])
        return _Draft()
    has_city_only = draft.city is not None and draft.region is None and draft.country is None
    if len(piece) == 2 and piece.isalpha():
        return _take_code(piece.upper(), draft, out, has_city_only)
    if has_city_only and draft.implied_country in ("US", "CA", "AU", None):
        sub = known.subdivision(piece)
        if sub is not None and (draft.implied_country in (None, sub.country)):
            draft.region, draft.country = sub.code, sub.country
            return draft
    country = country_code(piece, codes=False)
    if country is not None:
        return _with_country(country, draft, out)
    city = known.city(piece)
    if city is not None:
        _flush(draft, out)
        return _Draft(city=city.name, implied_country=city.country, implied_region=city.region)
    sub = known.subdivision(piece)
    if sub is not None:
        if draft.region is not None or (draft.country not in (None, sub.country)):
            _flush(draft, out)
            draft = _Draft()
        draft.region, draft.country = sub.code, sub.country
        return draft
    if has_city_only:
        draft.region = _tidy(piece)  # "nagercoil, Kanyakumari District, India"
        return draft
    if _AND.search(piece):
        for part in _AND.split(piece):
            draft = _take(part.strip(), draft, out, areas)
        return draft
    _flush(draft, out)
    return _Draft(city=_tidy(piece))


def _take_code(code: str, draft: _Draft, out: list[Location], has_city_only: bool) -> _Draft:
    """A two-letter piece: a state after a city ("Austin, TX"), else a country ("Berlin, DE")."""
    as_country = "GB" if code == "UK" else code if code in COUNTRY_NAMES else None
    if has_city_only:
        implied = draft.implied_country
        sub = known.subdivision_by_code(code, implied if implied in ("US", "CA", "AU") else None)
        if implied is not None and as_country == implied and not (sub and sub.country == implied):
            draft.country = implied
            return draft
        if sub is not None:
            draft.region, draft.country = sub.code, sub.country
            return draft
        if as_country is not None:
            return _with_country(as_country, draft, out)
        return draft
    if draft.region is not None and draft.country is not None and as_country is not None:
        return _with_country(as_country, draft, out)  # "Austin, TX, US"
    if as_country is not None and code in _COMMON_CODES:
        return _with_country(as_country, draft, out)
    city = known.city(code)  # "SF", "DC"
    if city is not None:
        _flush(draft, out)
        return _Draft(city=city.name, implied_country=city.country, implied_region=city.region)
    sub = known.subdivision_by_code(code)
    if sub is not None:
        _flush(draft, out)
        return _Draft(region=sub.code, country=sub.country)
    return draft


def _with_country(country: str, draft: _Draft, out: list[Location]) -> _Draft:
    if draft.country is not None and draft.country != country:
        _flush(draft, out)
        return _Draft(country=country)
    draft.country = country
    return draft


def _tidy(name: str) -> str:
    """Names shouted or whispered ("CLAYMONT", "nagercoil") in their usual case."""
    name = " ".join(name.split())
    return string.capwords(name) if name.isupper() or name.islower() else name


def _dedup(locations: list[Location]) -> list[Location]:
    """Unique places in order, without any that a more precise listed place already covers."""
    unique = list(dict.fromkeys(locations))
    return [loc for loc in unique if not any(_covers(other, loc) for other in unique if other != loc)]


def _covers(precise: Location, vague: Location) -> bool:
    """Whether `precise` says all `vague` says and more ("New York, NY, US" covers "NY, US")."""
    return (
        precise.country == vague.country
        and vague.region in (None, precise.region)
        and vague.city in (None, precise.city)
    )
