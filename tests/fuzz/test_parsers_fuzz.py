"""Every source adapter, fuzzed: structure-aware documents and mutated real/sample payloads.

The property, for any bytes: `parse` returns a `Page` or raises `ParseError` (nothing else), within
the time and memory bounds of `bounded`; every listing it returns normalises without an exception
into the DESIGN.md contract; and every stored raw item re-reads through `parse_item` the same way.
"""

from __future__ import annotations

import html
import json
import random
import time
from typing import Any

import msgspec
import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from aggregator.errors import ParseError
from aggregator.model import RawListing
from aggregator.normalise import normalise
from scrapers import sources
from scrapers.sources.base import Page, ParseContext
from tests.fuzz.conftest import FUZZ, FUZZING, REAL, TIMEOUT, Hang, assert_listing_contract, bounded, known_bug
from tests.fuzz.strategies import DOCUMENTS, REAL_PREFIXES, contexts, mutated

pytestmark = [TIMEOUT, *([pytest.mark.fuzz] if FUZZING else [])]


def _run(source: str, payload: bytes, ctx: ParseContext) -> None:
    """Parse, normalise and re-read one payload, asserting the whole contract."""
    adapter = sources.get(source)

    def parse_and_normalise() -> tuple[Page, list[Any]] | None:
        try:
            page = adapter.parse(payload, ctx)
        except ParseError:
            return None
        assert isinstance(page, Page), type(page)
        results = []
        for raw in page.listings:
            assert isinstance(raw, RawListing), type(raw)
            assert raw.source == source
            listing = normalise(raw)
            stored = msgspec.json.decode(msgspec.json.encode(raw.raw))  # as the database keeps it
            try:
                again = adapter.parse_item(stored, ctx)
            except ParseError:
                again = None
            assert again is None or isinstance(again, RawListing)
            results.append((listing, None if again is None else normalise(again)))
        return page, results

    try:
        outcome = bounded(parse_and_normalise, input_size=len(payload))
    except Exception as exc:
        if known_bug(exc):
            event(f"known bug: {type(exc).__name__}")
            return
        raise
    if outcome is None:
        return
    page, results = outcome
    assert all(isinstance(url, str) for url in page.follow), page.follow
    assert all(isinstance(line, str) for line in page.warnings), page.warnings
    for listing, reread in results:
        assert_listing_contract(listing)
        if reread is not None:
            assert_listing_contract(reread)


@pytest.mark.parametrize("source", sources.NAMES)
@FUZZ
@given(data=st.data())
def test_structured_documents(source: str, data: st.DataObject) -> None:
    """Documents in the source's own shape, with any type in any field."""
    _run(source, data.draw(DOCUMENTS[source], label="payload"), data.draw(contexts(source), label="ctx"))


@pytest.mark.parametrize("source", sources.NAMES)
@FUZZ
@given(data=st.data())
def test_mutated_payloads(source: str, data: st.DataObject) -> None:
    """Samples and real captures (whole, or one item at a time) after random byte-level damage."""
    _run(source, data.draw(mutated(source), label="payload"), data.draw(contexts(source), label="ctx"))


def _real_cases() -> list[Any]:
    if not REAL.is_dir():
        return [pytest.param(None, None, marks=pytest.mark.skip(reason=f"real payloads absent ({REAL})"))]
    cases = []
    for source, prefixes in REAL_PREFIXES.items():
        for path in sorted(REAL.iterdir()):
            if path.name.startswith(prefixes):
                cases.append(pytest.param(source, path.name, id=f"{source}-{path.name}"))
    return cases


#: Whole-capture mutations per real file: the big captures are too slow for thousands of examples.
_WHOLE_MUTATIONS = 12 if FUZZING else 1


@pytest.mark.parametrize(("source", "name"), _real_cases())
def test_real_payload_mutations(source: str, name: str) -> None:
    """Whole real captures, cut, bit-flipped and with chunks repeated or nested deeply (seeded, repeatable)."""
    data = (REAL / name).read_bytes()
    rng = random.Random(name)
    for round_ in range(_WHOLE_MUTATIONS):
        at = rng.randrange(len(data))
        kind = ("truncate", "flip", "duplicate", "nest")[round_ % 4]
        if kind == "truncate":
            payload = data[:at]
        elif kind == "flip":
            flipped = bytearray(data)
            for _ in range(8):
                flipped[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
            payload = bytes(flipped)
        elif kind == "duplicate":
            payload = data[:at] + data[at: at + 2048] * 4 + data[at:]
        else:
            payload = data[:at] + (b"[" * 2000 if data.lstrip()[:1] in b"[{" else b"<div>" * 2000) + data[at:]
        _run(source, payload, ParseContext())


def test_guards_stop_hangs_and_catch_memory_blowups() -> None:
    """The guards are not vacuous: a busy loop is interrupted and a large allocation fails the cap."""

    def spin() -> None:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            pass

    with pytest.raises(Hang):
        bounded(spin, input_size=0, seconds=0.2)
    with pytest.raises(AssertionError, match="memory peak"):
        bounded(lambda: len(bytearray(64 * 1024 * 1024)), input_size=1000)
    assert bounded(lambda: 42, input_size=0) == 42


def test_sitemap_with_invalid_ipv6_loc_is_a_page_or_parse_error() -> None:
    """Found by test_mutated_payloads[jsonld]: one bad <loc> should be skipped, not fail the parse."""
    payload = b"<urlset><url><loc>http://[::1</loc></url><url><loc>https://example.org/a</loc></url></urlset>"
    page = sources.get("jsonld").parse(payload, ParseContext(url="https://example.org/sitemap.xml"))
    assert page.follow == ["https://example.org/a"]


def test_wwr_item_with_invalid_ipv6_link_does_not_crash() -> None:
    """Found by test_structured_documents[weworkremotely]: a link that is no URL must not crash the parse."""
    payload = b"<rss version=\"2.0\"><channel><item><title>A: B</title><link>http://[::1</link></item></channel></rss>"
    page = sources.get("weworkremotely").parse(payload, ParseContext())
    assert [(raw.company, raw.title, raw.external_id) for raw in page.listings] == [("A", "B", "http://[::1")]
    assert normalise(page.listings[0]).url is None


def _parse_seconds(source: str, payload: bytes) -> float:
    started = time.perf_counter()
    sources.get(source).parse(payload, ParseContext())
    return time.perf_counter() - started


#: Linear work on these ~50 kB payloads takes ~15 ms; the quadratic regexes take 0.6-1 s on an idle core.
_LINEAR_BUDGET = 0.12


def test_hn_comment_with_many_unclosed_links_parses_in_linear_time() -> None:
    """Found while reviewing the hang guard: a hostile mirror's comment makes `_html_line` quadratic."""
    body = "Acme | Dev | Remote<p>" + '<a href="x">y' * 2800
    payload = json.dumps({"id": 1, "type": "story", "children": [
        {"id": 2, "parent_id": 1, "author": "a", "text": body}]}).encode()
    assert _parse_seconds("hn", payload) < _LINEAR_BUDGET


def test_greenhouse_content_with_many_title_divs_parses_in_linear_time() -> None:
    """Found while reviewing the hang guard: `pay_range` is quadratic in the number of title divs."""
    content = html.escape('<div class="title">x' * 1500)
    payload = json.dumps({"jobs": [{"id": 1, "title": "Python Developer", "content": content}]}).encode()
    assert _parse_seconds("greenhouse", payload) < _LINEAR_BUDGET
