"""Skills: canonical names found in a listing's title, tags and description.

One pass per text: the text is split into words once, and each word that can start a skill is looked
up with the one or two words after it in a dict built from `skills_taxonomy` (longest match wins).
Names that are also ordinary words or letters ("Go", "R", "C", "Spark", "Flask") are only taken when
their rule in the taxonomy holds: exact case plus, depending on the rule, a list of other skills
around them ("Python, R, SQL") or a context word nearby ("Go developer", "Spark on big data").
Tags stated by the source are a trusted context: there "go" or "spark" is the skill.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import compress, count
from typing import NamedTuple

from aggregator.normalise.skills_taxonomy import SKILLS, Rule, Skill

__all__ = ["extract_skills"]

#: A word. `.js`/`.NET` keep their dot and `C++`/`C#` their marks, so "Node.js" and "C/C++" are read
#: the same way in the text and in the taxonomy. Captured, so that `split` returns the separators too.
_WORD = re.compile(r"(\.?\w+(?:(?:\+\+|#)(?!\w))?)")

#: Separator characters that may sit inside a multi-word name ("CI/CD", "scikit-learn", "ASP.NET").
_JOINERS = frozenset({".", "-", "/"})
#: Punctuation that ends a sentence: the next word is capitalised anyway, so its case proves nothing.
_SENTENCE_END = frozenset(".!?:;")
#: List words that may separate two skills in an enumeration ("Python, R and SQL").
_CONJUNCTIONS = frozenset({"and", "or", "plus"})
#: Words that make any nearby guarded name likely a skill ("our stack", "experience with Go").
_GENERIC_CONTEXT = frozenset({
    "stack", "skills", "languages", "language", "technologies", "tech", "tooling", "tools",
    "proficiency", "proficient", "experience", "expertise", "knowledge", "familiarity",
})
#: Words after which a single capital letter is a label, not a language ("Series C", "Vitamin C").
_LETTER_LABELS = frozenset({
    "series", "vitamin", "grade", "level", "class", "plan", "type", "section", "part", "round",
    "tier", "category", "option", "appendix", "phase", "team", "group", "unit", "block", "building",
})
#: How many words either side a context word may be from a guarded name.
_WINDOW = 5


def _tokens(text: str) -> tuple[list[str], list[str]]:
    """The words of a text and, at the same index, the separator before each one.

    One `split` in C: it alternates separator, word, ..., separator, and the last separator (after the
    last word) is never needed.
    """
    parts = _WORD.split(text)
    return parts[0:-1:2], parts[1::2]


class _Entry(NamedTuple):
    skill: Skill
    #: True when the key came from a guarded form: it needs its rule checked.
    guarded: bool
    #: The skill's name and the names it implies: what a match adds to the result.
    names: frozenset[str]


@dataclass(frozen=True, slots=True)
class _Table:
    entries: dict[str, _Entry]
    #: Lower-case first words of every key, to skip most words with one set lookup.
    starts: frozenset[str]
    #: Keys of one or more words that begin a longer key ("google", "google cloud"): a match is only
    #: extended word by word while it is one of these, so most words cost one dict lookup.
    prefixes: frozenset[str]


def _gap_key(gap: str) -> str | None:
    """The separator as it appears in a lookup key, or None when it cannot sit inside a name."""
    if not gap:
        return ""
    stripped = gap.strip()
    if not stripped:
        return " "
    if stripped in _JOINERS and len(gap) <= 3:
        return stripped
    return None


def _key_of(phrase: str) -> list[str]:
    """The lookup keys of a taxonomy phrase's first one, two, ... words (the last is the phrase's own
    key), read as text is read."""
    gaps, words = _tokens(phrase)
    keys = [words[0].lower()]
    for gap, word in zip(gaps[1:], words[1:], strict=True):
        joiner = _gap_key(gap)
        keys.append(keys[-1] + (" " if joiner is None else joiner) + word.lower())
    return keys


def _build(skills: tuple[Skill, ...]) -> _Table:
    entries: dict[str, _Entry] = {}
    starts: set[str] = set()
    prefixes: set[str] = set()
    for skill in skills:
        ambiguous = {form.lower() for form in skill.forms}
        safe = [skill.name, *skill.aliases] if skill.name.lower() not in ambiguous else list(skill.aliases)
        names = frozenset({skill.name, *skill.implies})
        for phrase, guarded in [(p, False) for p in safe] + [(f, True) for f in skill.forms]:
            *heads, key = _key_of(phrase)
            # An unambiguous alias outranks a guarded form with the same key.
            if key not in entries or entries[key].guarded:
                entries[key] = _Entry(skill, guarded, names)
            starts.add(heads[0] if heads else key)
            prefixes.update(heads)
    return _Table(entries, frozenset(starts), frozenset(prefixes))


_TABLE = _build(SKILLS)


class _Hit(NamedTuple):
    start: int
    end: int  # index of the last word of the match
    entry: _Entry


def _is_list_gap(gap: str) -> bool:
    """True when the separator between two words can separate items of a list."""
    if not gap or any(ch.isalnum() or ch in _SENTENCE_END for ch in gap):
        return False
    if "\n" in gap:
        # A new line only continues a list when it starts with a bullet.
        return any(ch in "-*•·–" for ch in gap)
    return any(ch.isspace() for ch in gap) or gap in {",", "/", "|", ";"}


def _ends_sentence(gap: str) -> bool:
    return any(ch in _SENTENCE_END or ch == "\n" for ch in gap)


def _is_sentence_start(gaps: list[str], index: int) -> bool:
    return index == 0 or _ends_sentence(gaps[index])


class _Scan:
    """The words of one text and the skills found in them.

    `find` adds the names of matches that need no further check to `found` and keeps guarded forms in
    running text in `pending`, to be checked with `accepts` once every match is known (a guarded form
    is accepted by the matches around it).
    """

    def __init__(self, text: str) -> None:
        self.gaps, self.words = _tokens(text)
        self.lows = list(map(str.lower, self.words))
        self.found: set[str] = set()
        self.pending: list[_Hit] = []
        #: Indexes of the first and of the last word of every match, for `_neighbour`.
        self.starts_at: set[int] = set()
        self.ends_at: set[int] = set()

    def find(self, table: _Table, *, trusted: bool) -> None:
        lows, words = self.lows, self.words
        # Only the few words that can start a key are looked at; the index filter runs in C.
        candidates = compress(count(), map(table.starts.__contains__, lows))
        resume = 0  # the first word after the last match: matches do not overlap
        for index in candidates:
            if index < resume:
                continue
            low = lows[index]
            end, entry = self._longest(table, index) if low in table.prefixes else (index, table.entries.get(low))
            if entry is None:
                continue
            checked = not trusted and entry.guarded
            if trusted and entry.guarded and self._compound(end):
                resume = end + 1
                continue
            # A guarded form counts only in the exact case the taxonomy gives it (tags excepted).
            if not checked or words[index] in entry.skill.forms:
                self.starts_at.add(index)
                self.ends_at.add(end)
                if checked:
                    self.pending.append(_Hit(index, end, entry))
                else:
                    self.found |= entry.names
            resume = end + 1

    def _compound(self, end: int) -> bool:
        """Whether the word ending at `end` is the first half of a compound: "R&D", "Go-to-market",
        "C-level". Even in a tag ("Advertising R&D", a Lever team) that is not the skill."""
        after = self.gaps[end + 1] if end + 1 < len(self.gaps) else ""
        return after.startswith(("-", "&"))

    def _longest(self, table: _Table, index: int) -> tuple[int, _Entry | None]:
        """The last word and the entry of the longest key at word `index` (None when there is none),
        extended one word at a time while the key so far starts a longer one."""
        key = self.lows[index]
        best = (index, table.entries.get(key))
        end = index + 1
        while key in table.prefixes and end < len(self.lows):
            joiner = _gap_key(self.gaps[end])
            if joiner is None:
                break
            key += joiner + self.lows[end]
            entry = table.entries.get(key)
            if entry:
                best = (end, entry)
            end += 1
        return best

    def _neighbour(self, index: int, step: int) -> bool:
        """True when a skill sits next to word `index` in direction `step` (-1, 1), across list separators."""
        def gap_between(a: int, b: int) -> str:
            later = max(a, b)
            return self.gaps[later] if min(a, b) >= 0 and later < len(self.gaps) else ""

        lookup = self.ends_at if step < 0 else self.starts_at
        nxt = index + step
        if not _is_list_gap(gap_between(index, nxt)):
            return False
        if nxt in lookup:
            return True
        if 0 <= nxt < len(self.lows) and self.lows[nxt] in _CONJUNCTIONS:
            beyond = nxt + step
            return _is_list_gap(gap_between(nxt, beyond)) and beyond in lookup
        return False

    def _context_near(self, hit: _Hit, words: frozenset[str], reach: int) -> bool:
        """True when a context word is within `reach` words of the hit, in the same sentence."""
        for step, edge in ((-1, hit.start), (1, hit.end)):
            index = edge
            for _ in range(reach):
                later = index if step < 0 else index + 1
                crossing = self.gaps[later] if later < len(self.gaps) else ""
                index += step
                if not 0 <= index < len(self.lows) or _ends_sentence(crossing):
                    break
                if self.lows[index] in words:
                    return True
        return False

    def accepts(self, hit: _Hit) -> bool:
        """Whether a guarded form found in running text meets its rule."""
        skill = hit.entry.skill
        if skill.rule is Rule.CASED:
            return True
        if self._compound(hit.end):
            return False  # "Go-to-market", "C-level", "R&D"
        if len(self.words[hit.start]) == 1 and hit.start > 0 and self.lows[hit.start - 1] in _LETTER_LABELS:
            return False
        listed = self._neighbour(hit.start, -1) or self._neighbour(hit.end, 1)
        if listed:
            return True
        context = skill.context | _GENERIC_CONTEXT
        if _is_sentence_start(self.gaps, hit.start):
            # Capitalised anyway: only the very next word may vouch for it ("Go developers wanted").
            return hit.end + 1 < len(self.lows) and self.lows[hit.end + 1] in context
        if skill.rule is Rule.NAME:
            return True
        return self._context_near(hit, context, _WINDOW)


def _from_text(text: str, *, trusted: bool) -> set[str]:
    scan = _Scan(text)
    scan.find(_TABLE, trusted=trusted)
    for hit in scan.pending:
        if scan.accepts(hit):
            scan.found |= hit.entry.names
    return scan.found


def extract_skills(title: str, tags: list[str], text: str) -> list[str]:
    """Canonical skill names named in the title, the source's tags or the description, sorted."""
    found: set[str] = set()
    for tag in tags:
        if isinstance(tag, str) and tag:
            found |= _from_text(tag, trusted=True)
    if title:
        found |= _from_text(title, trusted=False)
    if text:
        found |= _from_text(text, trusted=False)
    return sorted(found)
