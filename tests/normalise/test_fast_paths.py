"""The normaliser's fast paths give exactly what their plain formulations give.

Each hot spot was rewritten for speed (one `split` instead of a lazy regex, lexbor's own traversal,
regexes that let the engine skip ahead, substring tests before a regex, bounded caches). Here each
one is checked against the plain version it replaced, on input built to hit the edge cases: odd
whitespace and control characters, the letters IGNORECASE folds specially ("ſ", "ı", "İ", "K"),
break markers in the text itself, nested and unclosed blocks.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser, LexborNode

from aggregator.normalise import classify, location, seniority, skills, text

#: Characters that exercise the edges of word, space and case handling.
_ODD = ["\n", "\r", "\t", " ", "  ", "\u00a0", "\u2028", "\x85", "\u1680", "\x0b", "\x0c", "\x1c", "\x00",
        "\u200b", "\ufeff", "\x01", "\x02", ".", "#", "+", "-", "/", "_", "•", "é", "ſ", "ı", "İ", "K", "Σ",
        "\u0307", "中", "٣"]
_WORDS = ["python", "Python", "Go", "go", "C", "c++", "C#", ".NET", "asp", "node", ".js", "js", "REST", "rest",
          "ci", "CD", "google", "cloud", "platform", "and", "or", "years", "YRS", "yearly", "java", "script",
          "javascript:", "VBScript:", "fastapi", "DJANGO", "rails", "scala", "kotlin", "x", "1"]
_TEXT = st.lists(st.sampled_from(_ODD + _WORDS) | st.text(max_size=3), max_size=40).map("".join)


# -- skills: tokens ---------------------------------------------------------------------------

_LAZY_TOKEN = re.compile(r"(\W*?)(\.?\w+(?:(?:\+\+|#)(?!\w))?)")


@settings(max_examples=500, deadline=None)
@given(_TEXT)
def test_tokens_match_the_lazy_token_regex(value: str) -> None:
    pairs = _LAZY_TOKEN.findall(value)
    assert skills._tokens(value) == ([gap for gap, _ in pairs], [word for _, word in pairs])


def test_every_multi_word_key_is_reachable_through_its_prefixes() -> None:
    table = skills._TABLE
    for key in table.entries:
        *heads, whole = skills._key_of(key)
        assert whole == key
        assert all(head in table.prefixes for head in heads)
        assert (heads[0] if heads else key) in table.starts


# -- text: breaks, lines, walk ----------------------------------------------------------------

_OLD_BREAKS = re.compile(r"[ \n]*[\x01\x02][ \n\x01\x02]*")


def _old_merge(match: re.Match[str]) -> str:
    run = match.group()
    return "\n\n" if "\x02" in run or run.count("\n") >= 2 else "\n"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=" \n\x01\x02ab\t", max_size=30))
def test_merge_breaks_matches_the_regex_callback(value: str) -> None:
    assert text._merge_breaks(value) == _OLD_BREAKS.sub(_old_merge, value)


def _old_tidy_lines(value: str) -> str:
    cleaned = text._INVISIBLE.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [text._WS.sub(" ", line).strip() for line in cleaned.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


@settings(max_examples=500, deadline=None)
@given(_TEXT)
def test_tidy_lines_matches_line_by_line_regexes(value: str) -> None:
    assert text._tidy_lines(value) == _old_tidy_lines(value)


def _old_walk(root: LexborNode) -> str:
    """The walk as first written: an explicit stack of (node, closing), children pushed in reverse.

    A list item's paragraphs are lines, and its bullet goes before its first words."""
    parts: list[str] = []
    stack: list[tuple[LexborNode, bool]] = [(root, False)]
    preformatted = items = 0
    bullet = False
    while stack:
        node, closing = stack.pop()
        tag = node.tag or ""
        if closing:
            if tag in text._PARAGRAPHS:
                parts.append("\x01" if items else "\x02")
            elif tag in text._LINES:
                parts.append("\x01")
            if tag == "li":
                items -= 1
                bullet = False
            if tag == "pre":
                preformatted -= 1
            continue
        if tag == "-text":
            content = node.text_content or ""
            content = content if preformatted else text._WS.sub(" ", content.replace("\n", " "))
            if bullet and content.strip():
                parts.append("• ")
                content, bullet = content.lstrip(), False
            parts.append(content)
            continue
        if tag in text._SKIP or tag.startswith("-"):
            continue
        if tag == "br":
            parts.append("\n")
            continue
        if tag in text._PARAGRAPHS:
            parts.append("\x01" if items else "\x02")
        elif tag == "li":
            parts.append("\x01")
            items += 1
            bullet = True
        elif tag in text._LINES:
            parts.append("\x01")
        elif tag in text._CELLS:
            parts.append(" ")
        if tag == "pre":
            preformatted += 1
        stack.append((node, True))
        children: list[LexborNode] = []
        child = node.child
        while child is not None:
            children.append(child)
            child = child.next
        stack.extend((c, False) for c in reversed(children))
    return _OLD_BREAKS.sub(_old_merge, "".join(parts))


_TAGS = ["p", "div", "li", "ul", "br", "b", "span", "h2", "pre", "table", "tr", "td", "script", "style",
         "template", "textarea", "svg", "hr", "dl", "dd", "section", "a", "img"]
_PIECE = st.one_of(
    st.sampled_from(_TAGS).map(lambda tag: f"<{tag}>"),
    st.sampled_from(_TAGS).map(lambda tag: f"</{tag}>"),
    st.sampled_from(["<!-- c -->", "&#1;", "&#2;", "&nbsp;", "&amp;", " ", "\n  ", "\t"]),
    st.sampled_from(_ODD + _WORDS),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECE, max_size=40).map("".join))
def test_walk_matches_the_stack_walk(markup: str) -> None:
    tree = LexborHTMLParser(markup)
    root = tree.body or tree.root
    assert root is not None
    assert text._walk(root) == _old_walk(root)


# -- regexes rewritten to skip ahead ----------------------------------------------------------


@settings(max_examples=500, deadline=None)
@given(_TEXT)
def test_lower_cased_language_regex_finds_the_same_mentions(value: str) -> None:
    expected = [(m.span(), bool(m.group("py"))) for m in classify._LANGUAGES.finditer(value)]
    if not any(letter in value for letter in classify._FOLDED_APART):
        found = [(m.span(), bool(m.group("py"))) for m in classify._LANGUAGES_LOWER.finditer(value.lower())]
        assert found == expected


_PLAIN_YEAR_WORD = re.compile(r"\b(?:years?|yrs?)\b", re.I)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from([*list("yYeEaArRsS _.1-"), "ſ", "İ", "K", "é"]), max_size=20).map("".join) | _TEXT)
def test_year_word_regex_matches_the_plain_one(value: str) -> None:
    assert [m.span() for m in seniority._YEAR_WORD.finditer(value)] == [
        m.span() for m in _PLAIN_YEAR_WORD.finditer(value)]


@settings(max_examples=500, deadline=None)
@given(_TEXT)
def test_script_scheme_prefilter_never_hides_a_match(value: str) -> None:
    if text._SCRIPT_SCHEME.search(value):
        assert any(end in value for end in text._SCRIPT_SCHEME_ENDS)


# -- caches -----------------------------------------------------------------------------------


def test_cached_location_reading_is_not_shared_mutably() -> None:
    first = location.parse_location("Berlin, Germany or Remote (EMEA)")
    first.locations.clear()
    first.remote_regions.append("Nowhere")
    again = location.parse_location("Berlin, Germany or Remote (EMEA)")
    assert [loc.country for loc in again.locations] == ["DE"]
    assert again.remote_regions == ["EMEA"]
