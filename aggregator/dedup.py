"""Cross-source deduplication: the exact fingerprint and the near-duplicate decision. Pure, no I/O.

Two layers, cheapest first:

* `fingerprint(listing)` is an exact key (stored in a unique column): a hash of the normalised
  company, the normalised title and a coarse location ("remote" and the first country, or the first
  country and city). It catches the common case, the same ad re-formatted by another board, with
  one index lookup.
* `is_same_job(a, b)` decides the rest on `Candidate`s, small precomputed summaries of a listing:
  companies must match, titles must be fuzzy-similar *and* compatible (Senior never merges with
  Junior, Backend never with Frontend, "II" never with "III"), locations must not contradict, and the
  descriptions weigh in: a high overlap rescues a loosely similar title, a clearly different text
  vetoes an identical one.

Description overlap is measured by a bottom-k sketch of hashed word 3-shingles, which estimates
both Jaccard similarity and containment (how much of the shorter text the longer holds) — the
latter because boards truncate descriptions or wrap them in their own boilerplate.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
import zlib
from collections.abc import Iterable, Sequence

import msgspec
from rapidfuzz import fuzz

from aggregator.model import Listing

__all__ = [
    "Candidate",
    "candidate",
    "company_key",
    "description_similarity",
    "find_duplicate",
    "fingerprint",
    "is_same_job",
    "make_candidate",
    "may_be_same_job",
    "similarity",
    "sketched",
    "title_key",
]

# ---------------------------------------------------------------------------------------------
# Text folding shared by the keys.


_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")


def _fold(text: str) -> str:
    """Lower case without accents ("Zürich" -> "zurich"), so boards that drop diacritics agree."""
    if text.isascii():
        return text.lower()
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text)).lower()


_WORD = re.compile(r"[a-z0-9]+")


def _vocabulary(*lines: str) -> frozenset[str]:
    """A word set written as lines of space-separated words (long vocabularies stay readable)."""
    return frozenset(" ".join(lines).split())

# ---------------------------------------------------------------------------------------------
# Company key.

_LEGAL_SUFFIXES = _vocabulary(
    "inc incorporated llc llp lp ltd limited plc gmbh mbh ag kg ug sas sa sarl srl spa bv nv corp",
    "corporation co company oy ab as aps pty pte holdings",
)
_DOMAIN_TAIL = re.compile(r"\.(?:io|com|ai|co|dev|net|org|app|tech)\s*$")


@functools.lru_cache(maxsize=4096)
def company_key(name: str | None) -> str:
    """The comparable form of a company name: "The ACME, Inc." and "acme.io" both give "acme".

    Folds case and accents, drops punctuation, a leading "The", a domain tail and trailing legal
    forms (Inc, LLC, GmbH & Co. KG, …). An empty or missing name gives "". Cached: a batch names
    few companies (an ATS board only one), and ingest asks for each listing's key several times.
    """
    text = _DOMAIN_TAIL.sub("", _fold(name or "").strip())
    # Dots and apostrophes join ("B.V." -> "bv", "O'Neil" -> "oneil"); other punctuation separates.
    text = re.sub(r"[.'’`]", "", text).replace("&", " and ")
    words = _WORD.findall(text)
    if words and words[0] == "the" and len(words) > 1:
        words = words[1:]
    while len(words) > 1 and (words[-1] in _LEGAL_SUFFIXES or words[-1] == "and"):
        words.pop()
    return " ".join(words)


# ---------------------------------------------------------------------------------------------
# Title key.

#: Words that mark a title segment as remote/location noise wherever they appear in it.
_NOISE = _vocabulary(
    "remote remotely hybrid onsite wfh anywhere worldwide global globally distributed telecommute",
    "relocation relocate visa sponsorship timezone timezones homeoffice",
)
#: Places, regions and filler: a title segment made only of these is a location, not a team.
_PLACE_WORDS = _vocabulary(
    # countries and country codes (not "it", "ai": those are job words)
    "us usa u s america american united states kingdom uk gb britain great england scotland wales "
    "ireland canada mexico brazil argentina chile colombia peru uruguay germany deutschland france "
    "spain portugal italy netherlands holland belgium luxembourg switzerland austria poland czechia "
    "czech republic slovakia hungary romania bulgaria greece croatia serbia slovenia ukraine estonia "
    "latvia lithuania finland sweden norway denmark iceland turkey israel egypt nigeria kenya south "
    "africa india pakistan bangladesh singapore malaysia indonesia philippines vietnam thailand japan "
    "korea china taiwan hong kong australia new zealand nz uae emirates saudi arabia qatar "
    "de fr nl es pt pl se ch at ie dk fi no be cz ro br mx ca au in jp sg il "
    # regions, time zones
    "emea europe european eu eea apac asia pacific latam latin americas north central east west "
    "western eastern middle nordics nordic dach benelux cet cest est edt pst pdt pt et ct mt gmt utc "
    "bst ist "
    # cities
    "berlin munich munchen hamburg frankfurt cologne koln stuttgart dusseldorf leipzig dresden vienna "
    "wien zurich geneva basel bern paris lyon marseille toulouse lille nantes bordeaux london "
    "manchester edinburgh glasgow bristol cambridge oxford leeds birmingham belfast dublin cork "
    "amsterdam rotterdam utrecht eindhoven hague brussels antwerp ghent madrid barcelona valencia "
    "seville lisbon porto milan milano rome turin copenhagen stockholm gothenburg oslo helsinki "
    "tallinn riga vilnius warsaw krakow wroclaw gdansk prague brno budapest bucharest sofia athens "
    "istanbul kyiv kiev lviv tel aviv jerusalem haifa york nyc san francisco sf bay los angeles la "
    "seattle portland austin dallas houston denver boulder chicago boston atlanta miami washington dc "
    "philadelphia pittsburgh toronto vancouver montreal ottawa waterloo calgary sao paulo rio buenos "
    "aires santiago bogota lima bangalore bengaluru hyderabad pune chennai mumbai delhi gurgaon noida "
    "tokyo seoul shanghai beijing shenzhen sydney melbourne brisbane auckland wellington cape town "
    "johannesburg nairobi lagos cairo dubai "
    # US states most often named in titles
    "california texas florida colorado massachusetts oregon illinois georgia virginia carolina "
    "ny tx wa ma co il ga fl nc va nj pa ut az mn "
    # filler and employment-form noise that never tells two roles apart
    "and or only based area greater metro city region in the hq office offices within from any "
    "location locations multiple country countries state states hours overlap full time fulltime "
    "permanent ft "
    # gender tags: (m/w/d), (f/m/x), (H/F), (all genders)
    "m w f d x h n div divers diverse all gender genders gn",
)
_GENDER_SLASHES = re.compile(r"\(?\b[mwfdxh]\s*/\s*[mwfdxh](?:\s*/\s*(?:[mwfdxh]|div(?:ers)?)\b)?\)?")
_PHRASES = [
    (re.compile(r"\b(?:100\s*%\s*|fully\s+|full[- ])remote\b"), " remote "),
    (re.compile(r"\bon[- ]site\b"), " onsite "),
    (re.compile(r"\bwork(?:ing)?\s+from\s+home\b"), " wfh "),
    (re.compile(r"\bhome[- ]office\b"), " homeoffice "),
    (re.compile(r"\btime[- ]zones?\b"), " timezone "),
    (re.compile(r"\b(back|front|full)[- ]?(end|stack)\b"), r" \1\2 "),
    (re.compile(r"c\+\+"), " cpp "),
    (re.compile(r"c#"), " csharp "),
    (re.compile(r"\.net\b"), " dotnet "),
    (re.compile(r"\bnode\.?js\b"), " nodejs "),
]
_PARENTHETICAL = re.compile(r"[(\[{]([^()\[\]{}]*)[)\]}]")
_SEGMENT_BREAK = re.compile(r"\s+[-–—/]\s+|[|,@·•–—]|\s-\s*$")
_ABBREVIATIONS = {
    "sr": "senior", "snr": "senior", "sen": "senior", "jr": "junior", "jnr": "junior",
    "eng": "engineer", "engr": "engineer", "dev": "developer", "devs": "developers",
    "swe": "software engineer", "sde": "software engineer", "sw": "software", "mgr": "manager",
    "ml": "machine learning",
    "1": "i", "2": "ii", "3": "iii", "4": "iv", "5": "v",
}
#: Standalone words dropped anywhere in a title: they say where, not what.
_DROP_ANYWHERE = frozenset({"remote", "remotely", "hybrid", "onsite", "wfh", "telecommute"})


def _is_noise(segment: str) -> bool:
    """Whether a bracketed or trailing title segment is location/remote/gender noise."""
    words = _WORD.findall(segment)
    if not words:
        return True
    if any(word in _NOISE for word in words):
        return True
    return all(w in _PLACE_WORDS or w.isdigit() for w in words) and not all(w.isdigit() for w in words)


def title_key(title: str) -> str:
    """The comparable form of a job title: "Sr. Python Eng (Remote) - Berlin" gives "senior python engineer".

    Expands abbreviations, drops location, remote and gender noise in brackets or trailing segments
    ("(Remote)", "- Remote, US", "| Berlin", "(m/w/d)"), and keeps everything that tells roles apart:
    seniority, specialisation, team and level ("II"), even in brackets.
    """
    # "Engineer @ Acme": what follows an at-sign names the employer, never the role.
    text = _GENDER_SLASHES.sub(" ", _fold(title)).split(" @ ")[0]
    for pattern, replacement in _PHRASES:
        text = pattern.sub(replacement, text)
    # Brackets: noise goes, content stays ("Engineer (Payments)" is a team, "(Remote)" is not).
    previous = None
    while previous != text:
        previous = text
        text = _PARENTHETICAL.sub(lambda m: " " if _is_noise(m.group(1)) else f" , {m.group(1)} ", text)
    segments = _SEGMENT_BREAK.split(text)
    while len(segments) > 1 and _is_noise(segments[-1]):
        segments.pop()
    words: list[str] = []
    for word in _WORD.findall(" ".join(segments)):
        if word in _DROP_ANYWHERE:
            continue
        words.extend(_ABBREVIATIONS.get(word, word).split())
    return " ".join(words)


# ---------------------------------------------------------------------------------------------
# Fingerprint.

#: Bumped whenever a key function changes meaning: stored fingerprints must then be recomputed.
_FINGERPRINT_VERSION = "1"


def _location_key(listing: Listing) -> str:
    """"remote" plus the first stated country for remote roles; else the first stated country and city.

    The key sits in a unique column, so it must not join what `is_same_job` keeps apart: one
    company's same-titled openings in two offices, or remote in two countries. A side that states
    less ("Remote" alone, a country without a city) gets another key and is left to `is_same_job`.
    """
    country = next((p.country.lower() for p in listing.locations if p.country), "")
    if listing.remote == "remote":
        return f"remote:{country}"
    city = next((_city_key(p.city) for p in listing.locations if p.city), "")
    return f"{country}:{city}" if country or city else ""


def fingerprint(listing: Listing) -> str:
    """The exact cross-source key: a hash of company key, title key and coarse location key.

    Location is as coarse as the unique key allows (country, city; no region, no remote areas), so
    that boards' ways of writing a place rarely split it. Finer distinctions are `is_same_job`'s job.
    """
    basis = "\x1f".join(
        [_FINGERPRINT_VERSION, company_key(listing.company), title_key(listing.title), _location_key(listing)]
    )
    return hashlib.blake2b(basis.encode(), digest_size=16).hexdigest()


# ---------------------------------------------------------------------------------------------
# Candidates: what the near-duplicate decision compares.

_SKETCH_SIZE = 128
_SHINGLE = 3  # word 3-shingles: a one-word edit costs 3 shingles, not 5

_SENIORITY = {
    "intern": "intern", "internship": "intern", "trainee": "intern", "apprentice": "intern",
    "junior": "junior", "graduate": "junior", "entry": "junior", "mid": "mid", "middle": "mid",
    "intermediate": "mid",
    "senior": "senior", "staff": "staff", "principal": "principal", "distinguished": "principal",
    "lead": "lead", "head": "head", "director": "director", "vp": "vp", "chief": "chief",
}
_LEVELS = frozenset({"i", "ii", "iii", "iv", "v", "l1", "l2", "l3", "l4", "l5", "l6", "l7"})
_SPECIALISMS = {
    "backend": "backend", "frontend": "frontend", "fullstack": "fullstack", "mobile": "mobile",
    "ios": "ios", "android": "android", "embedded": "embedded", "data": "data", "ml": "ml",
    "machine": "ml", "devops": "devops", "sre": "sre", "reliability": "sre", "security": "security",
    "qa": "qa", "test": "qa", "testing": "qa", "platform": "platform", "infrastructure": "infrastructure",
    "infra": "infrastructure", "cloud": "cloud", "analytics": "data",
}
_ROLES = {
    "engineer": "build", "developer": "build", "programmer": "build", "developers": "build",
    "engineers": "build", "architect": "architect", "manager": "manager", "scientist": "scientist",
    "analyst": "analyst", "designer": "designer", "consultant": "consultant", "administrator": "admin",
    "recruiter": "recruiter", "writer": "writer", "advocate": "advocate", "tester": "qa",
}

_TITLE_EMPLOYMENT = {
    "contract": "contract", "contractor": "contract", "freelance": "contract", "freelancer": "contract",
    "intern": "internship", "internship": "internship", "werkstudent": "part_time",
}


class Candidate(msgspec.Struct, frozen=True, kw_only=True):
    """What the near-duplicate decision needs of one listing, computed once (and serialisable).

    `sketch` holds the smallest hashes of the description's word 3-shingles (32-bit ints, sorted);
    `shingles` is how many distinct shingles the description had (0: no description).
    """

    company: str
    title: str
    remote: str | None = None
    countries: frozenset[str] = frozenset()
    cities: frozenset[str] = frozenset()
    seniority: frozenset[str] = frozenset()
    levels: frozenset[str] = frozenset()
    specialisms: frozenset[str] = frozenset()
    roles: frozenset[str] = frozenset()
    employment: str | None = None
    sketch: tuple[int, ...] = ()
    shingles: int = 0


#: Local names of cities boards spell either way; cities compare in English.
_CITY_ALIASES = {
    "wien": "vienna", "munchen": "munich", "koln": "cologne", "praha": "prague", "warszawa": "warsaw",
    "lisboa": "lisbon", "milano": "milan", "roma": "rome", "torino": "turin", "bruxelles": "brussels",
    "brussel": "brussels", "kobenhavn": "copenhagen", "geneve": "geneva",
    "den haag": "the hague", "sevilla": "seville", "nurnberg": "nuremberg",
    "goteborg": "gothenburg", "new york city": "new york", "nyc": "new york", "sf": "san francisco",
}


def _city_key(city: str) -> str:
    key = " ".join(_WORD.findall(_fold(city)))
    return _CITY_ALIASES.get(key, key)


def _shingle_hashes(words: Sequence[str]) -> set[int]:
    """32-bit hashes of the word 3-shingles, stable across processes (unlike `hash`).

    Each word is hashed once (CRC-32); a shingle's hash mixes its three word hashes with distinct odd
    multipliers (so order counts), then a xorshift, so that the smallest values are a fair sample.
    32 bits are plenty: a sketch compares sets of a few hundred shingles, where a chance collision
    (p ≈ n²/2³²) is negligible.
    """
    if len(words) < _SHINGLE:
        words = [*words, *[""] * (_SHINGLE - len(words))]
    seen: dict[str, int] = {}  # a text repeats most of its words: hash each distinct one once
    hashed = [seen[word] if word in seen else seen.setdefault(word, zlib.crc32(word.encode())) for word in words]
    return {(v := ((a * 0x9E3779B1) ^ (b * 0x85EBCA77) ^ (c * 0xC2B2AE3D)) & 0xFFFFFFFF) ^ (v >> 16)
            for a, b, c in zip(hashed, hashed[1:], hashed[2:], strict=False)}


def _shingle_sketch(text: str | None) -> tuple[tuple[int, ...], int]:
    words = _WORD.findall(_fold(text or ""))
    if not words:
        return (), 0
    hashes = _shingle_hashes(words)
    # Sorting a few hundred ints in C beats heapq.nsmallest's Python-level loop by about 2×.
    return tuple(sorted(hashes)[:_SKETCH_SIZE]), len(hashes)


def _facets(words: Sequence[str], table: dict[str, str]) -> frozenset[str]:
    return frozenset(table[w] for w in words if w in table)


def _employment(stated: str | None, words: Sequence[str]) -> str | None:
    """The stated employment type, else one the title names ("(Contract)", "Intern"), else None."""
    if stated:
        return stated
    kinds = {_TITLE_EMPLOYMENT[w] for w in words if w in _TITLE_EMPLOYMENT}
    if "part" in words and "time" in words:
        kinds.add("part_time")
    return kinds.pop() if len(kinds) == 1 else None


def make_candidate(
    *, title: str, company: str | None, remote: str | None = None, countries: Iterable[str] = (),
    cities: Iterable[str] = (), description: str | None = None, employment_type: str | None = None,
    with_sketch: bool = True,
) -> Candidate:
    """A candidate from plain values (what the storage layer reads back from a job row).

    `with_sketch=False` leaves the description out (no sketch, 0 shingles): enough for
    `may_be_same_job`, at a fraction of the cost; `sketched` adds it later if a pair needs it.
    """
    key = title_key(title)
    words = key.split()
    sketch, shingles = _shingle_sketch(description) if with_sketch else ((), 0)
    return Candidate(
        company=company_key(company),
        title=key,
        remote=remote,
        countries=frozenset(c.upper() for c in countries if c),
        cities=frozenset(filter(None, (_city_key(c) for c in cities if c))),
        seniority=_facets(words, _SENIORITY),
        levels=frozenset(w for w in words if w in _LEVELS),
        specialisms=_facets(words, _SPECIALISMS),
        roles=_facets(words, _ROLES),
        employment=_employment(employment_type, words),
        sketch=sketch,
        shingles=shingles,
    )


def sketched(light: Candidate, description: str | None) -> Candidate:
    """A candidate built without its description (`with_sketch=False`), completed with it."""
    sketch, shingles = _shingle_sketch(description)
    return msgspec.structs.replace(light, sketch=sketch, shingles=shingles)


def candidate(listing: Listing, *, with_sketch: bool = True) -> Candidate:
    """The candidate of a normalised listing."""
    return make_candidate(
        with_sketch=with_sketch,
        title=listing.title,
        company=listing.company,
        remote=listing.remote,
        countries=(p.country for p in listing.locations if p.country),
        cities=(p.city for p in listing.locations if p.city),
        description=listing.description_text,
        employment_type=listing.employment_type,
    )


# ---------------------------------------------------------------------------------------------
# Similarities.


def description_similarity(a: Candidate, b: Candidate) -> float | None:
    """Estimated containment of the shorter description in the longer, in [0, 1]; None if either is missing.

    From bottom-k sketches: the k smallest hashes of the union sample it uniformly, the share of
    them present in both estimates Jaccard J, and |A∩B| = J(|A|+|B|)/(1+J).
    """
    if not a.shingles or not b.shingles:
        return None
    mine, theirs = set(a.sketch), set(b.sketch)
    union, both = mine | theirs, mine & theirs
    if len(union) > _SKETCH_SIZE:
        cut = sorted(union)[_SKETCH_SIZE - 1]  # the k-th smallest (sorting in C beats heapq here too)
        jaccard = sum(1 for h in both if h <= cut) / _SKETCH_SIZE
    else:
        jaccard = len(both) / len(union)
    common = jaccard * (a.shingles + b.shingles) / (1 + jaccard)
    return min(1.0, common / min(a.shingles, b.shingles))


def _title_similarity(a: Candidate, b: Candidate) -> float:
    if a.title == b.title:
        return 1.0
    return max(fuzz.token_sort_ratio(a.title, b.title), 0.9 * fuzz.token_set_ratio(a.title, b.title)) / 100


def _company_similarity(a: Candidate, b: Candidate) -> float:
    if not a.company or not b.company:
        return 0.0
    joined_a, joined_b = a.company.replace(" ", ""), b.company.replace(" ", "")
    if joined_a == joined_b:
        return 1.0
    return fuzz.ratio(joined_a, joined_b) / 100


def similarity(a: Candidate, b: Candidate) -> float:
    """A symmetric score in [0, 1] for ranking candidates; the decision itself is `is_same_job`."""
    title = _title_similarity(a, b)
    company = _company_similarity(a, b) if (a.company or b.company) else 1.0
    text = description_similarity(a, b)
    score = title if text is None else 0.6 * title + 0.4 * text
    return max(0.0, min(1.0, company * score))


# ---------------------------------------------------------------------------------------------
# The decision.

#: Company names this close (rapidfuzz ratio, spaces ignored) are one company ("Datadog"/"DataDog Hq").
_COMPANY_CLOSE = 0.92
#: Title tiers (see `_title_tier`).
_TITLE_CLOSE = 0.92
_TITLE_SUBSET = 0.9
_TITLE_LOOSE = 0.7
#: Description containment thresholds. Two *full* descriptions (FULL shingles or more each) of one
#: opening share at least SAME_AD of their text even after a board truncates, edits or wraps them;
#: one company's ads for different teams share their intro, benefits and stack paragraphs, about
#: 0.6–0.75, so an equal title with less than that is a second opening. Shorter texts (a forum post,
#: a teaser) are only vetoed when they share next to nothing (VETO). RESCUE is what it takes to
#: accept a title that is not a plain reformatting of the other.
_DESC_VETO = 0.25
_DESC_SAME_AD = 0.78
_DESC_RESCUE = 0.9
_MIN_SHINGLES_VETO = 12
_MIN_SHINGLES_SUPPORT = 30
_MIN_SHINGLES_FULL = 60


def _company_tier(a: Candidate, b: Candidate) -> int:
    """2: same company; 1: one name extends the other ("Acme" / "Acme Analytics"); 0: different."""
    if not a.company or not b.company:
        return 0
    if _company_similarity(a, b) >= _COMPANY_CLOSE:
        return 2
    short, long = sorted((a.company.split(), b.company.split()), key=len)
    return 1 if long[: len(short)] == short else 0


def _title_tier(a: Candidate, b: Candidate) -> int:
    """3: same or reformatted; 2: one title extends the other; 1: loosely similar; 0: different."""
    return title_tier(a.title, b.title)


def title_tier(a: str, b: str) -> int:
    """`_title_tier` on two title keys. `is_same_job` needs at least 1, so 0 rules a pair out
    cheaply, before a candidate (with its description sketch) is built."""
    if a == b:
        return 3
    if fuzz.token_sort_ratio(a, b) >= _TITLE_CLOSE * 100:
        return 3
    if fuzz.token_set_ratio(a, b) >= _TITLE_SUBSET * 100:
        return 2
    if fuzz.token_sort_ratio(a, b) >= _TITLE_LOOSE * 100:
        return 1
    return 0


def _conflict(x: frozenset[str], y: frozenset[str]) -> bool:
    return bool(x) and bool(y) and x != y


def _roles_compatible(a: Candidate, b: Candidate) -> tuple[bool, bool]:
    """(compatible, one-sided): stated facets that differ are a veto; a facet on one side only is doubt."""
    if _conflict(a.seniority, b.seniority) or _conflict(a.levels, b.levels):
        return False, False
    if a.specialisms and b.specialisms and not (a.specialisms & b.specialisms):
        return False, False
    if a.roles and b.roles and not (a.roles & b.roles):
        return False, False
    if a.employment and b.employment and a.employment != b.employment:
        return False, False
    pairs = [(a.seniority, b.seniority), (a.levels, b.levels), (a.specialisms, b.specialisms)]
    one_sided = any(bool(x) != bool(y) for x, y in pairs)
    return True, one_sided


def _locations_compatible(a: Candidate, b: Candidate) -> bool:
    if {a.remote, b.remote} == {"remote", "onsite"}:
        return False
    if a.countries and b.countries and not (a.countries & b.countries):
        return False
    # Two offices of one company in one country are two openings, unless the role is remote anyway.
    remote = "remote" in (a.remote, b.remote)
    return remote or not (a.cities and b.cities and not (a.cities & b.cities))


def _description_floor(shortest: int) -> float:
    if shortest >= _MIN_SHINGLES_FULL:
        return _DESC_SAME_AD
    return _DESC_VETO if shortest >= _MIN_SHINGLES_VETO else 0.0


def _facts_allow(a: Candidate, b: Candidate) -> tuple[int, bool] | None:
    """The company tier and whether a facet is stated on one side only, when company, place and
    role allow the pair to be one job; None when they rule it out. No description involved."""
    company = _company_tier(a, b)
    if company == 0 or not _locations_compatible(a, b):
        return None
    compatible, one_sided = _roles_compatible(a, b)
    return (company, one_sided) if compatible else None


def _minimum_title_tier(company: int, one_sided: bool) -> int:
    """Anything less than the same title at the same company ("Python Engineer" vs "Senior Python
    Engineer", "… , Payments" added, "Acme" vs "Acme Analytics") needs a near-identical text."""
    return 2 if company == 1 or one_sided else 1


def is_same_job(a: Candidate, b: Candidate) -> bool:
    """Whether two listings, from any boards, advertise the same opening. Symmetric."""
    if a == b:
        return True
    allowed = _facts_allow(a, b)
    if allowed is None:
        return False
    company, one_sided = allowed
    text = description_similarity(a, b)
    shortest = min(a.shingles, b.shingles)
    if text is not None and text < _description_floor(shortest):
        return False
    support = text if text is not None and shortest >= _MIN_SHINGLES_SUPPORT else 0.0
    tier = _title_tier(a, b)
    if tier == 3 and company == 2 and not one_sided:
        return True
    return tier >= _minimum_title_tier(company, one_sided) and support >= _DESC_RESCUE


def _facts(c: Candidate) -> tuple[object, ...]:
    """A candidate's fields but its description sketch."""
    return (c.company, c.title, c.remote, c.countries, c.cities, c.seniority, c.levels, c.specialisms, c.roles,
            c.employment)


def may_be_same_job(a: Candidate, b: Candidate) -> bool:
    """Whether `is_same_job(a, b)` can hold, whatever the descriptions say.

    Everything `is_same_job` checks except the description sketches, so a candidate built without
    one is enough to rule most pairs out before its sketch (the costly part) is computed.
    """
    if _facts(a) == _facts(b):
        return True  # is_same_job(a, a) holds even where the rules below would not
    allowed = _facts_allow(a, b)
    return allowed is not None and _title_tier(a, b) >= _minimum_title_tier(*allowed)


def find_duplicate(new: Candidate, existing: Iterable[tuple[int, Candidate]]) -> int | None:
    """The id of the existing job that `new` duplicates best, or None; ties go to the oldest (lowest) id."""
    best: tuple[float, int] | None = None
    for job_id, other in existing:
        if not is_same_job(new, other):
            continue
        score = similarity(new, other)
        if best is None or score > best[0] or (score == best[0] and job_id < best[1]):
            best = (score, job_id)
    return None if best is None else best[1]


def variant_fingerprint(listing: Listing) -> str:
    """A fingerprint for a listing whose exact key is taken by a different role (made unique by its id)."""
    suffix = hashlib.blake2b(f"{listing.source}\x1f{listing.external_id}".encode(), digest_size=6).hexdigest()
    return f"{listing.fingerprint}~{suffix}"
