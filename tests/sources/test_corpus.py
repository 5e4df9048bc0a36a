"""The conformance corpus: every captured real payload through `hirewire parse`, checked against the
listing contract of DESIGN.md; and every JSON sample with one item broken, which must cost that item only.

The real payloads live in ../shared/fixtures/real (see its SOURCES.md); a file that is absent is skipped
with a reason, never failed, so the suite runs on a checkout without the corpus.
"""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from scrapers import sources
from scrapers.sources.base import ParseContext
from tests.conftest import ROOT
from tests.sources.conftest import REAL, SAMPLES

#: File-name prefix -> source, as shared/tools/parse-corpus maps them.
PREFIX_SOURCE: dict[str, str] = {
    "remoteok": "remoteok", "remotive": "remotive", "jobicy": "jobicy", "wwr": "weworkremotely",
    "pythonorg": "pythonorg", "arbeitnow": "arbeitnow", "himalayas": "himalayas", "greenhouse": "greenhouse",
    "lever": "lever", "ashby": "ashby", "hn": "hn", "jsonld": "jsonld", "smartrecruiters": "smartrecruiters",
    "workable": "workable",
}

#: The fewest listings each file must yield: its job count in SOURCES.md, less the items that are
#: genuinely not postings (remoteok-1 item 5 has an empty position; hn-1 holds 1 top-level post among
#: 6 comments; hn-2 is a story search, which only points at a thread).
MIN_LISTINGS: dict[str, int] = {
    "arbeitnow-1.json": 5, "ashby-1.json": 54, "ashby-2.json": 6, "greenhouse-1.json": 449,
    "greenhouse-2.json": 4, "himalayas-1.json": 20, "hn-1.json": 1, "hn-2.json": 0, "jobicy-1.json": 20,
    "jobicy-2.json": 8, "jsonld-1.html": 1, "jsonld-2.html": 1, "lever-1.json": 4, "lever-2.json": 28,
    "pythonorg-1.rss": 20, "remoteok-1.json": 96, "remoteok-2.json": 4, "remotive-1.json": 20,
    "remotive-2.json": 4, "wwr-1.rss": 25, "wwr-2.rss": 22, "wwr-3.rss": 4, "smartrecruiters-1.json": 3,
    "workable-1.json": 4,
}

CONTRACT_FIELDS = {
    "source", "external_id", "url", "apply_url", "title", "company", "location_raw", "locations", "remote",
    "employment_type", "seniority", "salary_min", "salary_max", "salary_currency", "salary_period", "skills",
    "description_text", "description_html", "posted_at", "python_backend", "fingerprint",
}
REMOTE = {"remote", "hybrid", "onsite"}
EMPLOYMENT = {"full_time", "part_time", "contract", "internship", "temporary"}
SENIORITY = {"intern", "junior", "mid", "senior", "lead", "principal"}
PERIODS = {"year", "month", "week", "day", "hour"}
#: ISO 3166-1 alpha-2, written out here so the check does not trust the normaliser's own table.
_ISO_ALPHA2 = """
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR
GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP
KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT
MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW
SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG
UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
"""
ISO_COUNTRIES = frozenset(_ISO_ALPHA2.split())
_UTC_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|\+00:00)$")
_TAG = re.compile(r"<[^>]*>", re.S)
_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
_JS_URL = re.compile(r"j\s*a\s*v\s*a\s*s\s*c\s*r\s*i\s*p\s*t\s*:", re.I)


def _source_of(name: str) -> str | None:
    return PREFIX_SOURCE.get(name.split("-", 1)[0])


def _run(path: Path) -> subprocess.CompletedProcess[str]:
    source = _source_of(path.name)
    assert source is not None
    return _run_parse(source, path)


def _run_parse(source: str, path: Path) -> subprocess.CompletedProcess[str]:
    """`python -m aggregator parse SOURCE FILE`, offline: the servers point nowhere and must not be needed."""
    env = {"PATH": "/usr/bin:/bin", "HIREWIRE_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none",
           "HIREWIRE_REDIS_URL": "redis://127.0.0.1:1"}
    return subprocess.run([sys.executable, "-m", "aggregator", "parse", source, str(path)], capture_output=True,
                          text=True, env=env, timeout=120, cwd=ROOT)


@pytest.fixture(scope="module")
def corpus_runs() -> dict[str, subprocess.CompletedProcess[str]]:
    """`hirewire parse` of every present corpus file, run side by side (each one is a cold start)."""
    paths = [REAL / name for name in MIN_LISTINGS if (REAL / name).exists()]
    with ThreadPoolExecutor(max_workers=8) as pool:
        return dict(zip([p.name for p in paths], pool.map(_run, paths), strict=True))


def _corpus_file(name: str) -> Path:
    path = REAL / name
    if not path.exists():
        pytest.skip(f"real payload {name} not present (the corpus lives in ../shared/fixtures/real)")
    return path


def test_every_corpus_file_is_in_the_table() -> None:
    if not REAL.is_dir():
        pytest.skip("the real corpus (../shared/fixtures/real) is not present")
    present = {p.name for p in REAL.glob("*-*.*")}
    assert present <= set(MIN_LISTINGS), "new corpus files need a minimum count here"


def _contract_problems(row: dict[str, Any], source: str) -> list[str]:
    """Every way one printed listing breaks DESIGN.md's contract (empty when it keeps it)."""
    problems = [f"missing {field}" for field in sorted(CONTRACT_FIELDS - set(row))]
    if problems:
        return problems
    if row["source"] != source:
        problems.append(f"source {row['source']!r}")
    for field in ("external_id", "title", "fingerprint"):
        if not isinstance(row[field], str) or not row[field].strip():
            problems.append(f"empty {field}")
    for field, allowed in (("remote", REMOTE), ("employment_type", EMPLOYMENT), ("seniority", SENIORITY),
                           ("salary_period", PERIODS)):
        if row[field] is not None and row[field] not in allowed:
            problems.append(f"{field} {row[field]!r}")
    for place in row["locations"]:
        if set(place) != {"country", "region", "city"}:
            problems.append(f"location keys {sorted(place)}")
        elif place["country"] is not None and place["country"] not in ISO_COUNTRIES:
            problems.append(f"country {place['country']!r}")
    low, high = row["salary_min"], row["salary_max"]
    for amount in (low, high):
        if amount is not None and (not isinstance(amount, int | float) or amount <= 0):
            problems.append(f"salary {amount!r}")
    if isinstance(low, int | float) and isinstance(high, int | float) and low > high:
        problems.append(f"salary_min {low} > salary_max {high}")
    currency = row["salary_currency"]
    if currency is not None and not re.fullmatch(r"[A-Z]{3}", str(currency)):
        problems.append(f"currency {currency!r}")
    if row["posted_at"] is not None:
        if not isinstance(row["posted_at"], str) or not _UTC_ISO.match(row["posted_at"]):
            problems.append(f"posted_at {row['posted_at']!r}")
        else:
            datetime.fromisoformat(row["posted_at"].replace("Z", "+00:00"))
    if not isinstance(row["skills"], list) or row["skills"] != sorted(set(row["skills"])):
        problems.append(f"skills not sorted and unique: {row['skills']!r}")
    if not isinstance(row["python_backend"], bool):
        problems.append("python_backend not a boolean")
    markup = row["description_html"] or ""
    if "<script" in markup.lower():
        problems.append("description_html has <script")
    for tag in _TAG.findall(markup):
        if _HANDLER.search(tag):
            problems.append(f"event handler in {tag[:80]!r}")
        if _JS_URL.search(tag):
            problems.append(f"javascript: URL in {tag[:80]!r}")
    return problems


@pytest.mark.parametrize("name", sorted(MIN_LISTINGS))
def test_real_payload_parses_to_contract_listings(name: str,
                                                  corpus_runs: dict[str, subprocess.CompletedProcess[str]]) -> None:
    _corpus_file(name)
    source = _source_of(name)
    assert source is not None
    result = corpus_runs[name]
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) >= MIN_LISTINGS[name], result.stderr
    problems = {f"{row.get('external_id')}: {problem}" for row in rows for problem in _contract_problems(row, source)}
    assert not problems, sorted(problems)[:20]
    ids = [row["external_id"] for row in rows]
    assert len(ids) == len(set(ids)), "external ids repeat within one file"


# --- one broken item costs that item only ------------------------------------------------------------

#: (source, JSON sample, parse context, the list of items inside the document, the item's required key).
JSON_SAMPLES: list[tuple[str, str, dict[str, str], Callable[[Any], list[Any]], str]] = [
    ("remoteok", "remoteok.json", {}, lambda doc: doc, "position"),
    ("remotive", "remotive.json", {}, lambda doc: doc["jobs"], "title"),
    ("jobicy", "jobicy.json", {}, lambda doc: doc["jobs"], "jobTitle"),
    ("arbeitnow", "arbeitnow.json", {}, lambda doc: doc["data"], "title"),
    ("himalayas", "himalayas.json", {}, lambda doc: doc["jobs"], "title"),
    ("greenhouse", "greenhouse.json", {"board": "acme"}, lambda doc: doc["jobs"], "title"),
    ("lever", "lever.json", {"board": "acme"}, lambda doc: doc, "text"),
    ("ashby", "ashby.json", {"board": "acme"}, lambda doc: doc["jobs"], "title"),
    ("smartrecruiters", "smartrecruiters.json", {"board": "initech"}, lambda doc: doc["content"], "name"),
    ("workable", "workable.json", {"board": "globex"}, lambda doc: doc["jobs"], "title"),
    # A comment's title comes from its text, and a comment without text is a removed one (no warning
    # owed); its id is what a posting cannot do without.
    ("hn", "hn_thread.json", {}, lambda doc: doc["children"], "id"),
]


def _drop_key(item: Any, key: str) -> Any:
    del item[key]
    return item


def _set_key(value: Any) -> Callable[[Any, str], Any]:
    def mutate(item: Any, key: str) -> Any:
        item[key] = value
        return item

    return mutate


#: Mutations that make an item unreadable: each must cost that item, with one warning.
BREAKS: dict[str, Callable[[Any, str], Any]] = {
    "field-missing": _drop_key,
    "field-a-list": _set_key(["not", "a", "title"]),
    "field-an-object": _set_key({"nested": True}),
    "field-null": _set_key(None),
    "item-a-string": lambda item, key: "not an item",
    "item-a-number": lambda item, key: 42,
    "item-null": lambda item, key: None,
}


def _page(source: str, document: Any, ctx: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    page = sources.get(source).parse(json.dumps(document).encode(), ParseContext(**ctx))  # type: ignore[arg-type]
    return {listing.external_id: listing.title for listing in page.listings}, page.warnings


def _target(source: str, items: list[Any]) -> int:
    """The index of an item that parses to a listing on its own (not RemoteOK's legal notice)."""
    return next(i for i, item in enumerate(items) if isinstance(item, dict) and "legal" not in item
                and item.get("isListed") is not False and item.get("text") != "[deleted]")


@pytest.mark.parametrize("breaking", sorted(BREAKS))
@pytest.mark.parametrize(("source", "name", "ctx", "items_of", "key"), JSON_SAMPLES, ids=[s[1] for s in JSON_SAMPLES])
def test_a_broken_item_loses_only_that_item_with_a_warning(source: str, name: str, ctx: dict[str, str],
                                                           items_of: Callable[[Any], list[Any]], key: str,
                                                           breaking: str) -> None:
    original = json.loads((SAMPLES / name).read_bytes())
    kept, warnings = _page(source, original, ctx)
    assert kept and not warnings
    document = copy.deepcopy(original)
    items = items_of(document)
    index = _target(source, items)
    lost_id = str(next((items[index][k] for k in ("id", "slug", "guid", "shortcode") if items[index].get(k)), None))
    items[index] = BREAKS[breaking](items[index], key)

    after, new_warnings = _page(source, document, ctx)

    assert len(new_warnings) == 1, new_warnings
    assert str(index) in new_warnings[0]
    expected = {k: v for k, v in kept.items() if k != lost_id}
    assert len(expected) == len(kept) - 1, f"the broken item {lost_id!r} was not among the listings"
    assert after == expected


@pytest.mark.parametrize(("source", "name", "ctx", "items_of", "key"), JSON_SAMPLES, ids=[s[1] for s in JSON_SAMPLES])
def test_a_field_of_another_type_never_takes_other_items_with_it(source: str, name: str, ctx: dict[str, str],
                                                                 items_of: Callable[[Any], list[Any]],
                                                                 key: str) -> None:
    # A number where text belongs is read as its text (ids are numbers in some APIs), so the item
    # may survive; what must hold is that every item is either kept or warned about.
    original = json.loads((SAMPLES / name).read_bytes())
    kept, _ = _page(source, original, ctx)
    document = copy.deepcopy(original)
    items = items_of(document)
    index = _target(source, items)
    items[index][key] = 12345
    after, warnings = _page(source, document, ctx)
    assert len(after) + len(warnings) == len(kept)
    assert len(set(kept) & set(after)) >= len(kept) - 1


def test_the_parse_command_counts_the_skipped_item(tmp_path: Path) -> None:
    document = json.loads((SAMPLES / "remotive.json").read_bytes())
    document["jobs"][1] = "not an item"
    broken = tmp_path / "remotive-broken.json"
    broken.write_text(json.dumps(document))
    result = _run_parse("remotive", broken)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == len(document["jobs"]) - 1
    assert "1 item(s) skipped" in result.stderr and "item 1" in result.stderr

