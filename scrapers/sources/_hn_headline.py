"""Read the headline of a "Who is hiring?" post: `Company | Role | Location | REMOTE | salary | URL`.

The thread asks posters for that first line, and most follow it loosely: other separators
(` - `, `•`, `/`), segments in any order, several roles, or plain prose. This module is pure so
that it can be tested on a table of real-looking first lines; it never raises on odd text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Headline", "parse_headline"]


@dataclass(frozen=True, slots=True)
class Headline:
    """What a post's first line states; None where it states nothing."""

    title: str
    company: str | None = None
    location_raw: str | None = None
    #: "remote", "hybrid" or "onsite" when the line says so.
    remote: str | None = None
    salary_text: str | None = None
    apply_url: str | None = None
    employment_type: str | None = None


_ROLE = re.compile(
    r"\b(engineers?|developers?|programmers?|architects?|scientists?|sre|devops|designers?|managers?"
    r"|leads?|cto|vp|head of|founding|analysts?|researchers?|administrators?|admins?|consultants?"
    r"|specialists?|technologists?|devrel|advocates?|roles|positions|openings|hackers?|tester|qa"
    r"|full[- ]?stack|back[- ]?end|front[- ]?end|interns?|recruiters?|directors?|ops|writers?)\b",
    re.I,
)
_URL = re.compile(r"^(?:https?://\S+|www\.\S+\.\S+|[\w-]+(?:\.[\w-]+)*\.(?:com|io|co|ai|dev|org|net|app"
                  r"|tech|so|xyz|de|uk|eu|fr|nl|se|ch|jobs|careers|health|us|ca)(?:/\S*)?)$", re.I)
_SALARY = re.compile(
    r"[$€£¥₹]\s?\d|\d\s?[kK]\b|\b\d{2,3}[,.]\d{3}\b|\b(?:USD|EUR|GBP|CAD|AUD|CHF|SEK|NOK|DKK|PLN|INR)\b"
    r"|\b(?:salary|per hour|/hr|/h|an hour|equity|comp(?:ensation)?)\b",
    re.I,
)
_NO_REMOTE = re.compile(r"\b(?:no|not)\s+remote\b", re.I)
_REMOTE = re.compile(r"\bremote(?:[- ](?:first|friendly|ok|only))?\b|\b(?:wfh|anywhere|distributed)\b", re.I)
_HYBRID = re.compile(r"\bhybrid\b", re.I)
_ONSITE = re.compile(r"\bon[- ]?site\b|\bin[- ](?:office|person)\b", re.I)
#: Segments that are nothing but a work-arrangement keyword carry no place worth keeping.
_BARE_ARRANGEMENT = re.compile(r"^(?:on[- ]?site|in[- ](?:office|person)|hybrid|(?:no|not)\s+remote)$", re.I)
_EMPLOYMENT = re.compile(
    r"^(?:full[- ]?time|part[- ]?time|contract(?:or)?|freelance|internships?|temporary|temp|permanent"
    r"|fte|(?:full[- ]?time|part[- ]?time|contract|permanent)(?:\s*(?:/|,|or|and|&|\+)\s*"
    r"(?:full[- ]?time|part[- ]?time|contract(?:or)?|freelance|permanent))*)$",
    re.I,
)
#: HN's own keywords that flag who is welcome, not what the job is.
_FLAGS = re.compile(r"^(?:visa(?: sponsorship)?|interns|remote ok)$", re.I)
_PLACE_WORDS = (
    "usa|us|u\\.s\\.|uk|eu|emea|apac|latam|europe|americas|asia|africa|worldwide|global|north america"
    "|canada|germany|france|spain|portugal|italy|netherlands|belgium|switzerland|austria|ireland|poland"
    "|sweden|norway|denmark|finland|estonia|lithuania|latvia|czechia|czech republic|romania|greece|israel"
    "|india|japan|singapore|australia|new zealand|brazil|mexico|argentina|colombia|chile|united states"
    "|united kingdom|nyc|new york|sf|sf bay area|bay area|san francisco|los angeles|seattle|boston"
    "|austin|chicago|denver|portland|atlanta|miami|toronto|vancouver|montreal|london|berlin|munich"
    "|hamburg|paris|amsterdam|dublin|lisbon|madrid|barcelona|stockholm|copenhagen|oslo|helsinki|zurich"
    "|vienna|prague|warsaw|tallinn|tel aviv|bangalore|bengaluru|tokyo|sydney|melbourne|sao paulo"
    "|palo alto|mountain view|menlo park|oakland|brooklyn|washington|dc|timezones?|utc|gmt|cet|cest|est|pst"
    "|et|pt|[a-z]+ time zones?"
)
_PLACE = re.compile(rf"(?:^|[\s,(/;])(?:{_PLACE_WORDS})(?:$|[\s,)/;.+])", re.I)
# Bounded repeats: these run on whole comments, and an unbounded run of words is quadratic.
_CITY_STATE = re.compile(r"\b[A-Z][a-zA-Z.'-]*(?: [A-Z][a-zA-Z.'-]*){0,3},\s*[A-Z]{2}\b")
_YC_BATCH = re.compile(r"\s*\((?:YC|Y Combinator)[^)]*\)", re.I)
_PAREN_URL = re.compile(r"\s*\((?:https?://)?[\w-]+(?:\.[\w-]+)+(?:/[^)]*)?\)")
#: A number range such as "$120k - $150k" must survive splitting on " - ".
_RANGE_DASH = re.compile(r"(\d[\dkK,.]*)\s+[-–—]\s+(?=[$€£]?\s?\d)")
_PROSE_LENGTH = 90
_EXCERPT_WORDS = 8

_COMPANY_SENTENCE = re.compile(
    r"^(?:at\s+)?(?P<company>[A-Z0-9][\w&.'’-]*(?:\s+[A-Z0-9(][\w&.'’()-]*){0,4}?)\s+"
    r"(?:is|are|has|have)\s+(?:(?:now|currently|actively)\s+)?(?:hiring|looking|seeking|growing|recruiting)\b"
)
_WE_AT = re.compile(
    r"^We(?:'re| are)?\s+(?:at\s+)?(?P<company>[A-Z0-9][\w&.'’-]*(?:\s+[A-Z0-9][\w&.'’-]*){0,3})"
    r"(?:\s*,|\s+and|\s+are)"
)
_IN_PLACE = re.compile(r"\b(?:in|based in|out of)\s+((?-i:[A-Z][\w.'-]*(?:\s[A-Z][\w.'-]*){0,3})"
                       r"(?:,\s*(?-i:[A-Z][\w.'-]*(?:\s[A-Z][\w.'-]*){0,3}))?)", re.I)
_PRONOUN = re.compile(r"^(?:we|i|our|my|the team|this|it)\b", re.I)
_ROLE_PHRASE = re.compile(
    r"\b(?P<role>(?:(?:senior|staff|principal|lead|junior|sr\.?|mid[- ]level|founding)\s+)?"
    r"(?-i:(?:[A-Z][\w+#./-]*\s+){0,3})"
    r"(?:(?:software|backend|back-end|frontend|front-end|full[- ]?stack|platform|data|ml|infrastructure"
    r"|python|devops|site reliability|machine learning)\s+){0,2}"
    r"(?:engineers?|developers?|programmers?|scientists?|architects?|sres?))\b",
    re.I,
)


def parse_headline(line: str, body: str = "") -> Headline:
    """The parts of a post's first line; `body` (plain text) is searched for a role when the line has none."""
    line = " ".join(line.split())
    if not any(char.isalnum() for char in line):
        line = ""
    segments = _split(line)
    if len(segments) < 2:
        return _free_text(line, body)
    return _segmented(segments, body)


def _split(line: str) -> list[str]:
    protected = _RANGE_DASH.sub(r"\1-", line)
    for separator in ("|", "•", "·", " — ", " – ", " - ", " / "):
        if separator in protected:
            parts = [part.strip(" \t-–—") for part in protected.split(separator)]
            parts = [part for part in parts if part]
            if len(parts) >= 2 and (separator != " / " or len(parts) >= 3):
                return parts
    return [protected.strip()] if protected.strip() else []


def _segmented(segments: list[str], body: str) -> Headline:
    company: str | None = _clean_company(segments[0])
    rest = segments[1:]
    # A poster who starts with the role ("Founding Engineer | REMOTE | …") names no company.
    if _ROLE.search(segments[0]) and not _looks_like_company(segments[0]):
        company, rest = None, segments
    roles: list[str] = []
    places: list[str] = []
    unclassified: list[str] = []
    salary = url = employment = remote = None
    for segment in rest:
        if len(segment) > _PROSE_LENGTH:
            continue
        if url is None and _URL.match(segment):
            url = segment if segment.lower().startswith("http") else f"https://{segment}"
        elif _FLAGS.match(segment):
            continue
        elif employment is None and _EMPLOYMENT.match(segment):
            employment = segment
        elif _arrangement(segment) is not None:
            remote = _merge_arrangement(remote, _arrangement(segment))
            if not _BARE_ARRANGEMENT.match(segment):
                places.append(segment)
        elif salary is None and _SALARY.search(segment) and not _ROLE.search(segment):
            salary = segment
        elif _ROLE.search(segment):
            roles.append(segment)
        elif _PLACE.search(segment) or _CITY_STATE.search(segment):
            places.append(segment)
        else:
            unclassified.append(segment)
    if roles:
        title = ", ".join(roles)
    elif unclassified and rest and unclassified[0] == rest[0]:
        # Convention puts the role second; a title without a role word ("Platform Wizard") still counts.
        title = unclassified[0]
    else:
        title = _role_phrase(body) or _fallback_title(company, " | ".join(segments))
    return Headline(
        title=title,
        company=company,
        location_raw="; ".join(places) or None,
        remote=remote,
        salary_text=salary,
        apply_url=url,
        employment_type=employment,
    )


def _free_text(line: str, body: str) -> Headline:
    first_sentence = re.split(r"(?<=[.!?])\s", line, maxsplit=1)[0]
    company = None
    for pattern in (_COMPANY_SENTENCE, _WE_AT):
        match = pattern.match(first_sentence)
        if match and not _PRONOUN.match(match.group("company")):
            company = _clean_company(match.group("company"))
            break
    title = _role_phrase(line) or _role_phrase(body) or _fallback_title(company, line)
    return Headline(title=title, company=company, location_raw=_place_in(line), remote=_arrangement(line))


def _place_in(text: str) -> str | None:
    """A known place named in prose: "… in Austin, TX", "based in Zurich, Switzerland"."""
    for match in _IN_PLACE.finditer(text):
        place = match.group(1).strip(" ,.")
        if _PLACE.search(f" {place} ") or _CITY_STATE.search(place):
            return place
    return None


def _arrangement(text: str) -> str | None:
    """Not the normaliser's location-text rule: "Remote or Hybrid" is remote here (the most remote option,
    as in `_merge_arrangement`), hybrid there; and "Worldwide" is a place here, not a mode."""
    if _NO_REMOTE.search(text):
        return "onsite"
    if _REMOTE.search(text):
        return "remote"
    if _HYBRID.search(text):
        return "hybrid"
    if _ONSITE.search(text):
        return "onsite"
    return None


def _merge_arrangement(current: str | None, new: str | None) -> str | None:
    # "ONSITE | REMOTE" offers a choice: the most remote option is what a remote candidate can take.
    order = {"remote": 0, "hybrid": 1, "onsite": 2}
    candidates = [value for value in (current, new) if value]
    return min(candidates, key=order.__getitem__) if candidates else None


def _clean_company(text: str) -> str | None:
    text = _PAREN_URL.sub("", _YC_BATCH.sub("", text)).strip(" ,.:;-")
    return text or None


def _looks_like_company(text: str) -> bool:
    # "Acme Engineering" or "Dev Tools Inc" are companies even though a role word appears.
    return bool(re.search(r"\b(?:inc|llc|ltd|gmbh|corp|labs?|technologies|ag|sa|bv|\(yc)\b", text, re.I))


def _role_phrase(text: str) -> str | None:
    match = _ROLE_PHRASE.search(text[:2000])
    if not match:
        return None
    role = match.group("role").strip()
    return role[0].upper() + role[1:]


def _fallback_title(company: str | None, line: str) -> str:
    """"Hiring at <company>", else the line's opening words: a post always gets a readable title."""
    if company:
        return f"Hiring at {company}"
    words = line.split()
    if not words:
        return "Job posting"
    excerpt = " ".join(words[:_EXCERPT_WORDS])
    return excerpt if len(words) <= _EXCERPT_WORDS else f"{excerpt.rstrip(',.;:!?')}…"
