"""Properties over arbitrary input: nothing raises, sanitised HTML is inert, outputs stay in their enums."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from aggregator.model import EmploymentType, Seniority
from aggregator.normalise.classify import is_python_backend
from aggregator.normalise.seniority import employment_type, seniority
from aggregator.normalise.skills import extract_skills
from aggregator.normalise.skills_taxonomy import SKILLS
from aggregator.normalise.text import canonical_url, html_to_text, parse_date, sanitise_html, tidy, tidy_block

CANONICAL = {skill.name for skill in SKILLS}
_HANDLER = re.compile(r"<[^>]*\son\w+\s*=", re.I)

#: Fragments of hostile and broken markup, glued together by hypothesis.
_PIECES = st.sampled_from([
    "<script>", "</script>", "<script src=//x>", "<img src=x onerror=alert(1)>", "<a href='javascript:x'>",
    "<a href=\"data:text/html,x\">", "<div style='x:expression(1)'>", "<svg onload=x>", "<iframe>",
    "<p>", "</p>", "<b>", "<li>", "<br>", "&amp;", "&lt;", "&#x3C;script&#x3E;", "<!--", "-->", "<",
    ">", "\"", "'", "=", " on", "onclick=", "javascript:", "<scr", "ipt>", "Python", "Go", "\n", " ",
    "<style>", "</style>", "<form>", "<textarea>", "&#0;", "\x00", "\ufeff",
])
_MARKUP = st.one_of(st.text(), st.lists(_PIECES | st.text(max_size=5), max_size=30).map("".join))


@settings(max_examples=300, deadline=None)
@given(_MARKUP)
def test_text_functions_never_raise(value: str) -> None:
    assert isinstance(html_to_text(value), str)
    assert isinstance(tidy(value), str)
    assert isinstance(tidy_block(value), str)
    assert isinstance(sanitise_html(value), str)
    result = canonical_url(value)
    assert result is None or result.startswith(("http://", "https://"))
    parsed = parse_date(value)
    assert parsed is None or parsed.utcoffset() is not None


@settings(max_examples=300, deadline=None)
@given(_MARKUP)
def test_sanitised_html_is_inert(value: str) -> None:
    out = sanitise_html(value).lower()
    assert "<script" not in out
    assert "javascript:" not in out
    assert not _HANDLER.search(out)
    assert "<img" not in out and "<iframe" not in out and "style=" not in out


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.integers(), st.floats(allow_nan=True, allow_infinity=True), st.text(), st.none()))
def test_parse_date_is_utc_or_none(value: int | float | str | None) -> None:
    parsed = parse_date(value)
    assert parsed is None or parsed.utcoffset().total_seconds() == 0  # type: ignore[union-attr]


@settings(max_examples=300, deadline=None)
@given(st.text(), st.one_of(st.none(), st.text()), st.text())
def test_seniority_and_employment_stay_in_their_enums(title: str, hint: str | None, text: str) -> None:
    assert seniority(title, hint=hint, text=text) in {*Seniority, None}
    assert employment_type(hint, title=title) in {*EmploymentType, None}


_WORDS = st.sampled_from(["Python", "Go", "go", "R", "C", "Spark", "Flask", "flask", "Django", "and", ",",
                          ".", "/", "-", "\n", "C++", "Node.js", "CI/CD", "k8s", "rest", "REST", "of"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_WORDS | st.text(max_size=8), max_size=40).map(" ".join), st.lists(st.text(max_size=12), max_size=5))
def test_skills_sorted_and_canonical(text: str, tags: list[str]) -> None:
    skills = extract_skills(text[:30], tags, text)
    assert skills == sorted(set(skills))
    assert set(skills) <= CANONICAL
    assert isinstance(is_python_backend(text[:30], skills, tags, text), bool)
