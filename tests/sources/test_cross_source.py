"""Every adapter recognises its own payload: another source's payload is a ParseError, never listings.

Several APIs share an envelope (`{"jobs": [...]}` is Remotive's, Greenhouse's, Ashby's, Himalayas',
Jobicy's and Workable's) and every adapter reads only the fields it knows, so a payload of the wrong
source used to parse into garbage (449 Greenhouse jobs as Remotive listings, all remote) or into one
skipped item per job. The matrix below feeds every source every other source's payload, real (from
../shared/fixtures/real, skipped with a reason when absent) and the project's own samples.

The feed adapters (rss, weworkremotely, pythonorg, and jobicy's RSS fallback) read any RSS or Atom
feed by design (see `scrapers.sources._feed.feed_page`): a feed given to another feed adapter is not
in the matrix; JSON and HTML given to them are.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from aggregator import pipeline
from aggregator.config import Settings
from aggregator.errors import ParseError
from scrapers import sources
from tests.conftest import fetching
from tests.sources.conftest import REAL, SAMPLES, parse
from tests.sources.test_corpus import MIN_LISTINGS, PREFIX_SOURCE

#: The project's samples and the source each belongs to.
SAMPLE_SOURCE: dict[str, str] = {
    "arbeitnow.json": "arbeitnow", "ashby.json": "ashby", "feed.atom": "rss", "greenhouse.json": "greenhouse",
    "himalayas.json": "himalayas", "hn_search.json": "hn", "hn_thread.json": "hn", "jobicy.json": "jobicy",
    "jobicy.rss": "jobicy", "jsonld_job.html": "jsonld", "lever.json": "lever", "pythonorg.rss": "pythonorg",
    "remoteok.json": "remoteok", "remotive.json": "remotive", "sitemap.xml": "jsonld",
    "smartrecruiters.json": "smartrecruiters", "smartrecruiters_posting_101.json": "smartrecruiters",
    "smartrecruiters_posting_102.json": "smartrecruiters", "smartrecruiters_posting_103.json": "smartrecruiters",
    "smartrecruiters_posting_104.json": "smartrecruiters", "weworkremotely.rss": "weworkremotely",
    "workable.json": "workable",
}
#: Adapters that read any RSS/Atom feed as theirs.
FEED_READERS = frozenset({"rss", "weworkremotely", "pythonorg", "jobicy"})

#: Each JSON adapter's signature as the tests expect it: where its items are (None: the document is the
#: list), the keys that some item must carry (any one alternative, all of its keys), and what the reason
#: calls the items.
SIGNATURES: dict[str, tuple[str | None, tuple[tuple[str, ...], ...], str]] = {
    "remotive": ("jobs", (("company_name", "url"),), "jobs"),
    "greenhouse": ("jobs", (("absolute_url",), ("content",)), "jobs"),
    "ashby": ("jobs", (("jobUrl",),), "jobs"),
    "himalayas": ("jobs", (("guid",),), "jobs"),
    "jobicy": ("jobs", (("jobTitle",),), "jobs"),
    "workable": ("jobs", (("shortcode",),), "jobs"),
    "arbeitnow": ("data", (("slug", "job_types"),), "jobs"),
    "smartrecruiters": ("content", (("id", "name"),), "postings"),
    "lever": (None, (("text", "hostedUrl"),), "postings"),
    "remoteok": (None, (("position",),), "jobs"),
    "hn": ("hits", (("objectID",),), "hits"),
}
#: The reason each JSON adapter gives when the envelope itself is not its own.
ENVELOPE_REASONS: dict[str, set[str]] = {
    **{name: {f"{name}: expected an object with a 'jobs' list"}
       for name in ("remotive", "greenhouse", "ashby", "himalayas", "jobicy", "workable")},
    "arbeitnow": {"arbeitnow: expected an object with a 'data' list"},
    "smartrecruiters": {"smartrecruiters: expected an object with a 'content' list or a posting with a 'jobAd'",
                        "smartrecruiters: expected a JSON object (a postings list or one posting)"},
    "lever": {"lever: expected a JSON array of postings"},
    "remoteok": {"remoteok: expected a JSON list (legal notice followed by jobs)"},
    "hn": {"hn: expected an Algolia search result or an items/{id} thread object"},
}


def _named(reader: str) -> str:
    """The signature as the reason names it."""
    return " or ".join(" and ".join(repr(key) for key in keys) for keys in SIGNATURES[reader][1])


def _refusal(reader: str, count: int) -> str:
    return f"{reader}: not this source's payload: none of its {count} {SIGNATURES[reader][2]} has {_named(reader)}"


def _kind(name: str) -> str:
    """json, feed, html or sitemap, by the file's name."""
    suffix = Path(name).suffix
    return {".json": "json", ".rss": "feed", ".atom": "feed", ".html": "html", ".xml": "sitemap"}[suffix]


def _pairs(names: list[str], owner: Callable[[str], str | None]) -> list[Any]:
    """(reader, file) for every source and every file of another source, feeds to feed readers left out."""
    pairs = []
    for name in names:
        own = owner(name)
        for reader in sources.NAMES:
            if reader == own or (_kind(name) == "feed" and reader in FEED_READERS):
                continue
            pairs.append(pytest.param(reader, name, id=f"{reader}<-{name}"))
    return pairs


def _real_owner(name: str) -> str | None:
    return PREFIX_SOURCE.get(name.split("-", 1)[0])


@cache
def _bytes(path: Path) -> bytes:
    return path.read_bytes()


def _items(reader: str, document: Any) -> list[Any] | None:
    """The items the reader's signature is checked on, or None when the envelope is not the reader's."""
    key, _, _ = SIGNATURES[reader]
    if key is None:
        if not isinstance(document, list):
            return None
        if reader != "remoteok":
            return document
        return [item for item in document if not (isinstance(item, dict) and "legal" in item and "id" not in item)]
    if isinstance(document, dict) and isinstance(document.get(key), list):
        return list(document[key])
    return None


def _assert_refused(reader: str, name: str, payload: bytes) -> None:
    """The payload is refused with the one-line reason this reader gives for this kind of file."""
    with pytest.raises(ParseError) as caught:
        page = parse(reader, payload)
        pytest.fail(f"{reader} read {name}: {len(page.listings)} listings, {len(page.warnings)} warnings")
    reason = str(caught.value)
    assert "\n" not in reason and reason.startswith(f"{reader}: "), reason
    kind = _kind(name)
    if reader == "jsonld":
        expected = {"json": "jsonld: a JSON document, not an HTML page",
                    "feed": "jsonld: an RSS or Atom feed, not an HTML page"}[kind]
        assert reason == expected
    elif kind == "json" and reader in SIGNATURES:
        items = _items(reader, json.loads(payload))
        if items:
            assert reason == _refusal(reader, len(items))
        else:
            assert reason in ENVELOPE_REASONS[reader]
    elif kind == "json":
        assert reason == f"{reader}: a JSON document, not an RSS or Atom feed"
    elif reader in SIGNATURES and reader not in FEED_READERS:  # markup given to a JSON API's adapter
        assert reason.startswith(f"{reader}: not a JSON document ("), reason
    elif kind == "sitemap":
        assert reason == f"{reader}: not an RSS or Atom feed (root element <urlset>)"
    else:  # a page given to a feed reader: a full page, or a fragment of one
        assert re.match(rf"^{reader}: (an HTML page, not a feed|not a well-formed XML feed)( \(.+\))?$", reason), reason


@pytest.mark.parametrize(("reader", "name"), _pairs(sorted(MIN_LISTINGS), _real_owner))
def test_another_sources_real_payload_is_refused(reader: str, name: str) -> None:
    path = REAL / name
    if not path.exists():
        pytest.skip(f"real payload {name} not present (the corpus lives in ../shared/fixtures/real)")
    _assert_refused(reader, name, _bytes(path))


@pytest.mark.parametrize(("reader", "name"), _pairs(sorted(SAMPLE_SOURCE), SAMPLE_SOURCE.get))
def test_another_sources_sample_is_refused(reader: str, name: str) -> None:
    _assert_refused(reader, name, _bytes(SAMPLES / name))


def test_every_sample_is_in_the_table() -> None:
    assert {p.name for p in SAMPLES.iterdir() if p.is_file()} == set(SAMPLE_SOURCE)


def test_every_json_adapter_has_a_signature_here() -> None:
    readers_of_json = {name for name in sources.NAMES if name not in FEED_READERS | {"jsonld"}} | {"jobicy"}
    assert set(SIGNATURES) == readers_of_json


# --- the defects as reported ---------------------------------------------------------------------------


@pytest.mark.parametrize(("reader", "name", "reason"), [
    ("greenhouse", "remotive-1.json",
     "greenhouse: not this source's payload: none of its 20 jobs has 'absolute_url' or 'content'"),
    ("remotive", "greenhouse-1.json",
     "remotive: not this source's payload: none of its 449 jobs has 'company_name' and 'url'"),
    ("jsonld", "remotive-1.json", "jsonld: a JSON document, not an HTML page"),
    ("jobicy", "remotive-1.json", "jobicy: not this source's payload: none of its 20 jobs has 'jobTitle'"),
    ("lever", "remoteok-1.json",
     "lever: not this source's payload: none of its 98 postings has 'text' and 'hostedUrl'"),  # the notice too
    ("remoteok", "lever-2.json", "remoteok: not this source's payload: none of its 28 jobs has 'position'"),
    ("ashby", "greenhouse-2.json", "ashby: not this source's payload: none of its 4 jobs has 'jobUrl'"),
    ("pythonorg", "remotive-1.json", "pythonorg: a JSON document, not an RSS or Atom feed"),
])
def test_reported_cases(reader: str, name: str, reason: str) -> None:
    path = REAL / name
    if not path.exists():
        pytest.skip(f"real payload {name} not present (the corpus lives in ../shared/fixtures/real)")
    with pytest.raises(ParseError) as caught:
        parse(reader, path.read_bytes())
    assert str(caught.value) == reason


# --- what stays valid ----------------------------------------------------------------------------------

LEGAL = {"last_updated": 1785777773, "legal": "API Terms of Service"}


@pytest.mark.parametrize(("reader", "payload"), [
    ("remotive", {"0-legal-notice": "…", "job-count": 0, "jobs": []}),
    ("greenhouse", {"jobs": [], "meta": {"total": 0}}),
    ("ashby", {"apiVersion": "1", "jobs": []}),
    ("himalayas", {"offset": 0, "limit": 20, "totalCount": 0, "jobs": []}),
    ("jobicy", {"apiVersion": "2.0", "jobCount": 0, "jobs": []}),
    ("workable", {"name": "Acme", "description": "", "jobs": []}),
    ("arbeitnow", {"data": [], "links": {"next": None}}),
    ("smartrecruiters", {"offset": 0, "limit": 100, "totalFound": 0, "content": []}),
    ("lever", []),
    ("remoteok", [LEGAL]),
    ("remoteok", []),
    ("hn", {"hits": [], "page": 0, "nbPages": 0}),
    ("hn", {"id": 1, "type": "story", "title": "Ask HN: Who is hiring? (May 2026)", "children": []}),
])
def test_an_empty_well_formed_payload_is_valid(reader: str, payload: Any) -> None:
    page = parse(reader, json.dumps(payload).encode())
    assert (page.listings, page.warnings, page.follow) == ([], [], [])


@pytest.mark.parametrize("reader", ["rss", "weworkremotely", "pythonorg", "jobicy"])
@pytest.mark.parametrize("feed", [
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>Jobs</title></channel></rss>',
    b'<feed xmlns="http://www.w3.org/2005/Atom"><title>Jobs</title></feed>',
])
def test_an_empty_feed_is_valid(reader: str, feed: bytes) -> None:
    page = parse(reader, feed)
    assert (page.listings, page.warnings, page.follow) == ([], [], [])


def test_an_empty_sitemap_is_valid() -> None:
    page = parse("jsonld", b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>')
    assert (page.listings, page.warnings, page.follow) == ([], [], [])


@pytest.mark.parametrize(("reader", "name", "count"), [
    ("weworkremotely", "pythonorg.rss", 6), ("pythonorg", "weworkremotely.rss", 6), ("rss", "jobicy.rss", 4),
    ("jobicy", "feed.atom", 5),
])
def test_feed_adapters_read_any_feed(reader: str, name: str, count: int) -> None:
    # By design (see the module docstring): being a feed is the whole signature of a feed adapter's payload.
    page = parse(reader, _bytes(SAMPLES / name))
    assert len(page.listings) == count and page.warnings == []


#: The JSON samples, each of its source: their items carry the signature.
SIGNED_SAMPLES: list[tuple[str, str]] = [
    ("remotive", "remotive.json"), ("greenhouse", "greenhouse.json"), ("ashby", "ashby.json"),
    ("himalayas", "himalayas.json"), ("jobicy", "jobicy.json"), ("workable", "workable.json"),
    ("arbeitnow", "arbeitnow.json"), ("smartrecruiters", "smartrecruiters.json"), ("lever", "lever.json"),
    ("remoteok", "remoteok.json"),
]


def _with_items(reader: str, document: Any, items: list[Any]) -> bytes:
    key, _, _ = SIGNATURES[reader]
    return json.dumps(items if key is None else {**document, key: items}).encode()


@pytest.mark.parametrize(("reader", "name"), SIGNED_SAMPLES, ids=[s[1] for s in SIGNED_SAMPLES])
def test_the_signature_is_the_payloads_not_each_items(reader: str, name: str) -> None:
    key, alternatives, _ = SIGNATURES[reader]
    keys = {k for alternative in alternatives for k in alternative}
    document = json.loads(_bytes(SAMPLES / name))
    items = document if key is None else document[key]
    before = parse(reader, _with_items(reader, document, items))
    # The last item that is a listing on its own (not RemoteOK's legal notice, not an unlisted Ashby job).
    kept = max(i for i in range(len(items)) if parse(reader, _with_items(reader, document, [items[i]])).listings)
    [alone] = parse(reader, _with_items(reader, document, [items[kept]])).listings
    stripped = [{k: v for k, v in item.items() if k not in keys} for item in items]
    # Only that item keeps the signature: the payload is still this source's. Every item is read as before
    # or, when the adapter needs a key of the signature (an id, a title), skipped with a warning.
    after = parse(reader, _with_items(reader, document, [*stripped[:kept], items[kept], *stripped[kept + 1:]]))
    assert len(after.listings) + len(after.warnings) == len(before.listings) + len(before.warnings)
    assert (alone.external_id, alone.title) in [(raw.external_id, raw.title) for raw in after.listings]
    # No item keeps it: not this source's payload.
    none_signed = stripped
    with pytest.raises(ParseError) as caught:
        parse(reader, _with_items(reader, document, none_signed))
    jobs = _items(reader, none_signed if key is None else {key: none_signed})
    assert jobs is not None
    assert str(caught.value) == _refusal(reader, len(jobs))


def test_hn_hits_need_one_with_an_object_id() -> None:
    story = {"objectID": "41", "title": "Ask HN: Who is hiring? (May 2026)", "created_at_i": 1, "_tags": ["story"]}
    page = parse("hn", json.dumps({"hits": [{"title": "no id", "_tags": ["story"]}, story]}).encode())
    assert page.follow == ["https://hn.algolia.com/api/v1/items/41"]
    with pytest.raises(ParseError) as caught:
        parse("hn", json.dumps({"hits": [{"id": 1, "title": "Python Engineer"}, "x"]}).encode())
    assert str(caught.value) == "hn: not this source's payload: none of its 2 hits has 'objectID'"


def test_hn_thread_needs_an_id() -> None:
    with pytest.raises(ParseError) as caught:
        parse("hn", json.dumps({"children": [{"id": 2, "text": "Acme | Engineer", "author": "a"}]}).encode())
    assert str(caught.value) == "hn: expected an Algolia search result or an items/{id} thread object"


# --- the worker notices ----------------------------------------------------------------------------------


async def test_a_board_answering_another_sources_payload_is_a_recorded_parse_failure(
        clean_db: str, make_settings: Callable[..., Settings],
        http_server: Callable[[web.Application], Awaitable[str]]) -> None:
    """A Greenhouse board that answers with Remotive's payload (a misconfigured URL, a changed API) is
    that source's parse failure: nothing stored, the fetch run and the source's state say why."""
    body = _bytes(SAMPLES / "remotive.json")

    async def board(request: web.Request) -> web.Response:
        return web.Response(body=body, content_type="application/json")

    app = web.Application()
    app.router.add_get("/v1/boards/{board}/jobs", board)
    base = await http_server(app)
    settings = make_settings({"greenhouse": {"url": f"{base}/v1/boards/{{board}}/jobs?content=true",
                                             "boards": ["acme"], "rate": 100.0, "burst": 10}})
    reason = "greenhouse: not this source's payload: none of its 5 jobs has 'absolute_url' or 'content'"
    async with fetching(settings, "greenhouse") as (rt, fetcher):
        report = await pipeline.refresh_source(settings, rt.pool, fetcher, "greenhouse")
        async with rt.pool.acquire() as conn:
            postings = await conn.fetchval("SELECT count(*) FROM postings")
            runs = await conn.fetch("SELECT status, http_status, error_class, error_message FROM fetch_runs")
            state = await conn.fetchrow(
                "SELECT last_error, consecutive_failures, last_success_at FROM sources WHERE name = 'greenhouse'")
    assert not report.ok and report.new == 0
    assert report.errors == [f"{base}/v1/boards/acme/jobs?content=true: {reason}"]
    assert postings == 0
    assert [tuple(run) for run in runs] == [("error", 200, "ParseError", reason)]
    assert state is not None
    assert (state["consecutive_failures"], state["last_success_at"]) == (1, None)
    assert state["last_error"] == report.errors[0]
