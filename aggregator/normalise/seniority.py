"""Seniority and employment type, in the contract's vocabularies.

Seniority comes from the title first (what the employer calls the role), then from the source's own
level field (`hint`), then from the years of experience the description asks for. The ladder is
intern < junior < mid < senior < lead < principal. "Staff" maps to **lead**: in the common
engineering ladders Staff is the first rung above Senior, and Principal/Distinguished sit above
Staff, so mapping Staff to lead keeps the order. Management titles follow the same idea: "Head of"
and Director are lead; VP, CTO and other chiefs are principal.
Years of experience map by their lower bound: under 2 junior, 2–3 mid, 4–7 senior, 8–11 lead, 12
or more principal ("3-5 years" is mid, "5+" and "at least 7 years" senior, "8+ years" lead). Years
are the weakest evidence, so they lean to the common rungs: Staff and Principal roles are asking for
8+ and 12+ years, and an account executive or a counsel asking for eight years is not a principal.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from functools import lru_cache

__all__ = ["LEVELS", "employment_type", "seniority"]

#: The contract's levels, lowest first.
LEVELS: tuple[str, ...] = ("intern", "junior", "mid", "senior", "lead", "principal")
_RANK = {level: rank for rank, level in enumerate(LEVELS)}

#: Words and phrases naming a level; matched case-insensitively on word boundaries.
_LEVEL_WORDS: tuple[tuple[str, str], ...] = (
    ("intern", r"interns?|internship|trainee|werkstudent(?:in)?|praktikant(?:in)?|praktikum|"
               r"apprentice(?:ship)?"),
    ("principal", r"principal|distinguished|vice\s+president|vp|cto|cio|ceo|coo|cfo|cmo|cpo|ciso|"
                  r"chief(?:\s+\w+\s+officer)?"),
    # "Staff" is a rung only on technical ladders: a Staff Accountant or Staff Nurse is not a lead.
    ("lead", r"(?:senior\s+)?staff(?=(?:\s+[\w/&-]+){0,2}?\s+(?:engineer|developer|scientist|architect|"
             r"designer|researcher|programmer|swe|sre)s?\b)|lead|tech\s*lead|team\s*lead|head\s+of|director"),
    ("senior", r"senior|sr\.?|snr\.?|mid[-\s]senior"),
    ("mid", r"mid|mid[-\s]?level|mid[-\s]?weight|intermediate|medior"),
    ("junior", r"junior|jr\.?|graduate|grad|new\s+grad|entry[-\s]?level|early[-\s]career|berufseinsteiger"),
)
_LEVEL_RES = tuple(
    (level, re.compile(rf"(?<![\w-])(?:{words})(?![\w-])", re.I)) for level, words in _LEVEL_WORDS
)
#: Level fields that name a level no title word does ("Executive" in a title is a sales role). On the
#: LinkedIn ladder that Workable and SmartRecruiters use (Internship, Entry level, Associate,
#: Mid-Senior level, Director, Executive), Associate is the rung between junior and senior.
_HINT_ONLY = {"executive": "principal", "entry": "junior", "experienced": None, "associate": "mid"}

#: Phrases in which a level word is not about the role's level: "Lead Generation", "Senior Living", the
#: customer segment "Mid Market" / "Mid-Size" of sales titles ("Account Executive, Mid Market"), the
#: person a role works for or in whose office ("Executive Assistant to the CTO", "Office of the CTO"),
#: and "Chief of Staff", a staff role rather than an officer.
_NOT_A_LEVEL = re.compile(r"\blead\s+gen\w*|\bsenior\s+(?:living|care|citizens?|homes?)\b"
                          r"|\bmid[-\s]?(?:market|size[d]?)\b"
                          r"|\b(?:to|of|for)\s+(?:the|our)\s+(?:[\w-]+\s+){0,2}?(?:cto|ceo|cio|coo|cfo|vp|vice\s+president"
                          r"|chief\s+\w+(?:\s+\w+)?\s+officer|director|head|founders?)\b"
                          r"|\bchief\s+of\s+staff\b", re.I)
#: Numbered levels at the end of a title or before a separator: "Engineer II", "Specialist I".
_ROMAN = re.compile(r"(?i:engineer|developer|programmer|specialist|analyst|scientist|architect|"
                    r"administrator|consultant|representative|associate|technician|designer)\s+"
                    r"(I{1,3}|IV|V)(?=\s*(?:$|[,(|/–-]))")
_ROMAN_LEVEL = {"I": "junior", "II": "mid", "III": "senior", "IV": "lead", "V": "principal"}
#: "Junior/Mid", "Mid / Senior", "Senior to Lead": a range, read as its lower bound. "Mid-Senior"
#: written as one word is not a range but LinkedIn's rung for experienced staff: senior (above).
_RANGE_SEPARATOR = re.compile(r"^\s*(?:/|-|–|to|or|&|and)\s*$", re.I)


def _levels_in(text: str) -> list[tuple[int, int, str]]:
    """(start, end, level) of every level word in `text`, in order."""
    found: list[tuple[int, int, str]] = []
    blocked = [match.span() for match in _NOT_A_LEVEL.finditer(text)]
    for level, pattern in _LEVEL_RES:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(b_start <= start < b_end for b_start, b_end in blocked):
                continue
            if any(start < o_end and o_start < end for o_start, o_end, _ in found):
                continue  # "Senior Staff" is one phrase, matched once as staff
            found.append((start, end, level))
    if roman := _ROMAN.search(text):
        found.append((roman.start(1), roman.end(1), _ROMAN_LEVEL[roman.group(1)]))
    return sorted(found)


@lru_cache(maxsize=4096)
def _level_from(text: str, *, lowest: bool = False) -> str | None:
    """The level a title or level field names.

    A range ("Junior/Mid") gives its lower bound. Otherwise a title's highest word wins ("Senior Lead
    Engineer" is lead), and a level field listing several levels gives the lowest (`lowest`): the role
    is open from there.

    Cached: titles and level fields are short and come back often ("Senior Software Engineer"), and
    reading one takes eight case-insensitive regexes.
    """
    found = _levels_in(text)
    if not found:
        return _HINT_ONLY.get(text.strip().lower()) if lowest else None
    for (_, end, first), (start, _, second) in itertools.pairwise(found):
        if _RANGE_SEPARATOR.match(text[end:start]):
            return min(first, second, key=_RANK.__getitem__)
    pick = min if lowest else max
    return pick((level for _, _, level in found), key=_RANK.__getitem__)


_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20}
_NUMBER = r"\b(\d{1,2}|" + "|".join(_NUMBER_WORDS) + r")"
#: "years"/"yrs": found first, since it is rare, and the number is then read just before it. Written
#: as `\b(?:years?|yrs?)\b` in any case, but starting with a plain character class so that the regex
#: engine can skip from one "y" to the next instead of trying every position (three times as fast).
_YEAR_WORD = re.compile(r"[yY](?<=\b[yY])(?i:ears?|rs?)\b")
#: "5+", "3-5", "at least 7", "minimum of 4", "five" — at the end of the text before "years".
_YEARS_BEFORE = re.compile(rf"{_NUMBER}\s*(?:\+|plus)?\s*(?:(?:-|–|to)\s*{_NUMBER}\s*\+?\s*)?$", re.I)
_EXPERIENCE = re.compile(r"experience|\bexp\b|background|professional|industry|hands[-\s]on|working|"
                         r"in\s+(?:a\s+)?(?:software|backend|engineering|development|python|similar)", re.I)


def _years_level(text: str) -> str | None:
    """The level implied by the largest "N years of experience" the text asks for."""
    most: int | None = None
    for match in _YEAR_WORD.finditer(text):
        number = _YEARS_BEFORE.search(text[max(0, match.start() - 24):match.start()])
        if number is None:
            continue
        tail = re.split(r"[.\n]", text[match.end():match.end() + 60], maxsplit=1)[0]
        before = text[max(0, match.start() - 50):match.start()]
        if not (_EXPERIENCE.search(tail) or "experience" in before.lower()):
            continue
        low = number.group(1).lower()
        years = int(low) if low.isdigit() else _NUMBER_WORDS.get(low)
        if years is not None and years <= 30:
            most = years if most is None else max(most, years)
    if most is None:
        return None
    if most < 2:
        return "junior"
    if most < 4:
        return "mid"
    if most < 8:
        return "senior"
    return "lead" if most < 12 else "principal"


def seniority(title: str, *, hint: str | None = None, text: str = "") -> str | None:
    """The contract's seniority: from the title, else the source's level field, else years asked for."""
    return (_level_from(title) if title else None) or (_level_from(hint, lowest=True) if hint else None) or (
        _years_level(text) if text else None)


#: Employment-type words, keyed by their letters only ("Full-Time", "FULL_TIME", "full time" → fulltime).
#: "Permanent" (and its translations) says nothing of the hours, so it stays unknown.
_TYPES: dict[str, str] = {
    "fulltime": "full_time", "ft": "full_time", "vollzeit": "full_time", "tempsplein": "full_time",
    "parttime": "part_time", "pt": "part_time", "teilzeit": "part_time", "werkstudent": "part_time",
    "minijob": "part_time", "tempspartiel": "part_time",
    "contract": "contract", "contractor": "contract", "contracttohire": "contract", "freelance": "contract",
    "freelancer": "contract", "freelancing": "contract", "consultant": "contract", "selfemployed": "contract",
    "b2b": "contract",
    "internship": "internship", "intern": "internship", "praktikum": "internship", "stage": "internship",
    "trainee": "internship", "apprenticeship": "internship",
    "temporary": "temporary", "temp": "temporary", "seasonal": "temporary", "fixedterm": "temporary",
    "befristet": "temporary", "cdd": "temporary",
}
_SPLIT = re.compile(r"\s*(?:[,;|/]|\bor\b|\band\b|&)\s*", re.I)
_TITLE_TYPES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("internship", re.compile(r"\b(?:interns?|internship|praktikum|werkstudent\w*)\b", re.I)),
    ("part_time", re.compile(r"\bpart[-\s]?time\b|\bteilzeit\b", re.I)),
    ("temporary", re.compile(r"\b(?:temporary|fixed[-\s]term|seasonal)\b", re.I)),
    ("contract", re.compile(r"\b(?:contractor|freelancer?|contract[-\s]to[-\s]hire)\b|\(\s*contract\b|"
                            r"\bcontract\s*(?:\)|role|position|$)|[-–|]\s*contract\b", re.I)),
    ("full_time", re.compile(r"\bfull[-\s]?time\b|\bvollzeit\b", re.I)),
)


@lru_cache(maxsize=4096)
def _title_type(title: str) -> str | None:
    """The employment type a title names, if any (cached like `_level_from`)."""
    return next((kind for kind, pattern in _TITLE_TYPES if pattern.search(title)), None)


def _type_of(word: str) -> str | None:
    return _TYPES.get(re.sub(r"[^a-z0-9]", "", word.lower()))


def employment_type(value: str | Sequence[str] | None, *, title: str = "") -> str | None:
    """The contract's employment type from the source's value (a word or a list), else the title.

    The first recognised value wins; a title naming an internship overrides a full- or part-time
    value, since boards file interns under their hours.
    """
    words: list[str] = []
    if isinstance(value, str):
        words = [value, *_SPLIT.split(value)]
    elif isinstance(value, Sequence):
        words = [item for item in value if isinstance(item, str)]
    stated = next((kind for kind in map(_type_of, words) if kind), None)
    from_title = _title_type(title) if title else None
    if from_title == "internship" and stated in (None, "full_time", "part_time"):
        return "internship"
    return stated or from_title
