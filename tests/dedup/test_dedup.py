"""Deduplication: the keys, the fingerprint, the near-duplicate decision and its measured quality."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from aggregator import dedup
from aggregator.dedup import (
    Candidate,
    candidate,
    company_key,
    fingerprint,
    is_same_job,
    may_be_same_job,
    similarity,
    title_key,
)
from aggregator.model import Listing, Location

PAIRS = Path(__file__).with_name("pairs.jsonl")


def listing(title: str, company: str | None = "Acme", **fields: Any) -> Listing:
    return msgspec.convert({"source": "test", "external_id": "1", "title": title, "company": company, **fields},
                           Listing)


def load_pairs() -> list[dict[str, Any]]:
    return [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_public_surface_is_sorted() -> None:
    assert dedup.__all__ == sorted(dedup.__all__)


# --- keys --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "key"), [
    ("Acme", "acme"),
    ("ACME Inc.", "acme"),
    ("Acme, Inc", "acme"),
    ("acme.io", "acme"),
    ("Acme.com", "acme"),
    ("The Acme Company", "acme"),
    ("Initech, LLC", "initech"),
    ("Hooli Ltd", "hooli"),
    ("Hooli Limited", "hooli"),
    ("Umbrella Health GmbH", "umbrella health"),
    ("Müller GmbH & Co. KG", "muller"),
    ("Stark Analytics AG", "stark analytics"),
    ("Wonka S.A.S.", "wonka"),
    ("Soylent Labs B.V.", "soylent labs"),
    ("Globex Corporation", "globex"),
    ("Globex Corp.", "globex"),
    ("Bluth Co.", "bluth"),
    ("Société Générale", "societe generale"),
    ("  Zürich   Insurance ", "zurich insurance"),
    ("AB InBev", "ab inbev"),  # a legal form only counts at the end
    ("The Company", "company"),  # never reduced to nothing
    ("", ""),
    (None, ""),
])
def test_company_key(name: str | None, key: str) -> None:
    assert company_key(name) == key


@pytest.mark.parametrize(("title", "key"), [
    ("Sr. Python Engineer (Remote)", "senior python engineer"),
    ("Senior Python Engineer", "senior python engineer"),
    ("Remote Senior Python Engineer", "senior python engineer"),
    ("Snr Python Eng - Remote, US", "senior python engineer"),
    ("Senior Python Engineer – 100% Remote (EU timezones)", "senior python engineer"),
    ("Senior Backend Developer (m/w/d) | Berlin", "senior backend developer"),
    ("Backend Entwickler m/w/d", "backend entwickler"),
    ("Senior Data Engineer (f/m/x) - München", "senior data engineer"),
    ("Développeur Backend Python (H/F)", "developpeur backend python"),
    ("Python Developer (all genders)", "python developer"),
    ("Jr. Dev (Full-Time)", "junior developer"),
    ("SWE II (Remote - USA)", "software engineer ii"),
    ("Software Engineer 2", "software engineer ii"),
    ("Back-End Engineer, Payments, New York, NY", "backend engineer payments"),
    ("Full Stack Developer @ Acme", "fullstack developer"),
    ("ML Engineer", "machine learning engineer"),
    ("Engineering Mgr, Backend", "engineering manager backend"),
    # what tells roles apart stays, even in brackets or after a dash
    ("Python Engineer, Payments", "python engineer payments"),
    ("Python Engineer - Search", "python engineer search"),
    ("Staff Engineer [Platform]", "staff engineer platform"),
    ("Backend Engineer (Python/Django)", "backend engineer python django"),
    ("Junior Python Developer", "junior python developer"),
    ("Python Engineer (Contract)", "python engineer contract"),
    ("C++ / C# Developer", "cpp csharp developer"),
    ("  Senior   Python\tEngineer  ", "senior python engineer"),
    ("", ""),
])
def test_title_key(title: str, key: str) -> None:
    assert title_key(title) == key


# --- fingerprint -------------------------------------------------------------------------------


def test_fingerprint_equal_for_reformatted_duplicates() -> None:
    remote = {"remote": "remote", "locations": [{"country": "DE"}]}
    first = listing("Senior Python Engineer", "Acme", **remote)
    assert fingerprint(listing("Sr. Python Engineer (Remote)", "ACME Inc.", **remote)) == fingerprint(first)
    assert fingerprint(listing("Senior Python Engineer - Remote, Germany", "acme.io", **remote)) == fingerprint(first)
    onsite = listing("Senior Backend Developer", "Umbrella Health", remote="hybrid",
                     locations=[{"country": "DE", "city": "Munich"}])
    assert fingerprint(listing("Senior Backend Developer (m/w/d) | München", "Umbrella Health GmbH", remote="hybrid",
                               locations=[{"country": "DE", "city": "München"}])) == fingerprint(onsite)


@pytest.mark.parametrize("other", [
    listing("Junior Python Engineer", "Acme", remote="remote"),
    listing("Senior Python Engineer, Payments", "Acme", remote="remote"),
    listing("Senior Frontend Engineer", "Acme", remote="remote"),
    listing("Senior Python Engineer", "Globex", remote="remote"),
    listing("Senior Python Engineer", "Acme", remote="onsite", locations=[{"country": "DE"}]),
])
def test_fingerprint_differs_for_different_roles(other: Listing) -> None:
    assert fingerprint(other) != fingerprint(listing("Senior Python Engineer", "Acme", remote="remote"))


def test_fingerprint_location_key() -> None:
    # remote: the first stated country; otherwise the first stated country and city
    def key(**fields: Any) -> str:
        return fingerprint(listing("Python Engineer", **fields))

    assert key(remote="remote", locations=[{"country": "DE"}, {"country": "AT"}]) \
        == key(remote="remote", locations=[{"region": "Europe"}, {"country": "DE"}])
    assert key(remote="remote", locations=[{"country": "DE"}]) != key(remote="remote", locations=[{"country": "AT"}])
    assert key(remote="remote") != key(remote="remote", locations=[{"country": "DE"}])  # is_same_job decides
    assert key(locations=[{"city": "Munich"}, {"country": "DE", "city": "Berlin"}]) \
        == key(remote="hybrid", locations=[{"country": "DE", "city": "München"}])
    # one company's same-titled openings in two offices are two jobs, even under the exact key
    assert key(locations=[{"country": "DE", "city": "Berlin"}]) != key(locations=[{"country": "DE", "city": "Munich"}])
    assert key(locations=[{"country": "DE"}]) != key(locations=[{"country": "GB"}])


def test_fingerprint_is_stable() -> None:
    # Stored in a unique column: a change of this value needs a migration that recomputes it.
    value = fingerprint(listing("Senior Python Engineer", "Acme", remote="remote"))
    assert value == hashlib.blake2b(b"1\x1facme\x1fsenior python engineer\x1fremote:", digest_size=16).hexdigest()
    assert value == "5e52f2b3abee1f58c39dfcd31ba2c90c"


# --- candidates and the decision ---------------------------------------------------------------

DESCRIPTION = (
    "Acme builds the invoicing platform used by 40,000 small businesses. You will design and build services "
    "in Python with Django and PostgreSQL, own features end to end and review your peers' code with care. "
    "You have six years of experience operating production systems. We offer 30 days of holiday, a learning "
    "budget and a pension plan."
)


def test_candidate_fields() -> None:
    c = candidate(listing("Sr. Backend Engineer II (Contract)", "ACME Inc.", remote="hybrid",
                          locations=[Location(country="de", city="München")], description_text=DESCRIPTION))
    assert (c.company, c.title) == ("acme", "senior backend engineer ii contract")
    assert c.countries == {"DE"} and c.cities == {"munich"}
    assert (c.seniority, c.levels, c.specialisms, c.roles) == ({"senior"}, {"ii"}, {"backend"}, {"build"})
    assert c.employment == "contract"
    assert 50 < c.shingles <= 70 and len(c.sketch) == c.shingles and list(c.sketch) == sorted(c.sketch)


def test_candidate_round_trips_through_json() -> None:
    c = candidate(listing("Senior Python Engineer", description_text=DESCRIPTION, locations=[{"country": "DE"}]))
    assert msgspec.json.decode(msgspec.json.encode(c), type=Candidate) == c
    assert all(0 <= h < 2**63 for h in c.sketch)  # fits a bigint[] column


def test_description_similarity_sees_truncation_and_boilerplate() -> None:
    full = candidate(listing("Python Engineer", description_text=DESCRIPTION))
    cut = candidate(listing("Python Engineer", description_text=" ".join(DESCRIPTION.split()[:40]) + " …"))
    wrapped = candidate(listing("Python Engineer", description_text=DESCRIPTION + " Apply via the link below."))
    other = candidate(listing("Python Engineer", description_text="We are a consultancy in Lisbon looking for a "
                              "developer to maintain Flask applications for our banking clients, on site."))
    bare = candidate(listing("Python Engineer"))
    assert dedup.description_similarity(full, cut) == pytest.approx(1.0)
    assert dedup.description_similarity(full, wrapped) == pytest.approx(1.0)
    assert dedup.description_similarity(full, other) == pytest.approx(0.0, abs=0.05)
    assert dedup.description_similarity(full, bare) is None


def pair(title_a: str, title_b: str, company_a: str | None = "Acme", company_b: str | None = "Acme",
         desc_a: str | None = DESCRIPTION, desc_b: str | None = DESCRIPTION, **fields: Any) -> bool:
    a = candidate(listing(title_a, company_a, description_text=desc_a, **fields))
    b = candidate(listing(title_b, company_b, description_text=desc_b, **fields))
    assert is_same_job(a, b) == is_same_job(b, a)
    return is_same_job(a, b)


def test_reformatted_duplicates_are_one_job() -> None:
    assert pair("Sr. Python Engineer (Remote)", "Senior Python Engineer", "ACME Inc.", "Acme")
    assert pair("Senior Python Engineer", "Senior Python Engineer", desc_b=None)  # a headline-only board
    assert pair("Python Developer", "Python Engineer")  # loosely similar title, same text


@pytest.mark.parametrize(("title_a", "title_b"), [
    ("Senior Python Engineer", "Junior Python Engineer"),
    ("Senior Python Engineer", "Staff Python Engineer"),
    ("Backend Engineer", "Frontend Engineer"),
    ("Software Engineer II", "Software Engineer III"),
    ("Python Engineer", "Engineering Manager, Python"),
    ("Data Engineer", "Data Scientist"),
    ("Python Engineer", "Python Engineering Intern"),
])
def test_incompatible_titles_never_merge_even_with_one_text(title_a: str, title_b: str) -> None:
    assert not pair(title_a, title_b)


def test_employment_types_must_agree() -> None:
    a = candidate(listing("Python Engineer", description_text=DESCRIPTION, employment_type="full_time"))
    b = candidate(listing("Python Engineer (Contract)", description_text=DESCRIPTION))
    c = candidate(listing("Python Engineer", description_text=DESCRIPTION, employment_type="contract"))
    assert not is_same_job(a, b) and not is_same_job(a, c)
    assert is_same_job(b, c)


def test_teams_and_seniority_need_a_near_identical_text() -> None:
    payments = DESCRIPTION.replace("invoicing platform", "payments ledger").replace("review", "audit")
    assert not pair("Python Engineer, Payments", "Python Engineer, Search", desc_a=payments)
    assert not pair("Python Engineer", "Senior Python Engineer", desc_b=payments)
    assert not pair("Python Engineer", "Senior Python Engineer", desc_b=None)
    assert pair("Python Engineer", "Senior Python Engineer")  # one board dropped the level; texts agree


def test_company_must_match() -> None:
    assert not pair("Senior Python Engineer", "Senior Python Engineer", "Acme", "Globex")
    robots = ("Acme Robotics designs autonomous picking robots for warehouses. You will write the Python services "
              "that plan routes for our fleet and talk to the robots over gRPC. Share options and free lunches.")
    assert not pair("Senior Python Engineer", "Senior Python Engineer", "Acme", "Acme Robotics", desc_b=robots)
    # A longer name with the same text is the same employer written out in full.
    assert pair("Senior Python Engineer", "Senior Python Engineer", "Acme", "Acme Analytics")
    assert not pair("Senior Python Engineer", "Senior Python Engineer", None, None, desc_b=None)
    assert pair("Senior Python Engineer", "Senior Python Engineer", "Datadog", "DataDog Inc")


def test_clearly_different_descriptions_veto() -> None:
    other = ("We are looking for a developer to maintain Flask applications for our banking clients in Lisbon. "
             "Experience with Oracle and SOAP services is a plus. Three days a week in the office.")
    assert not pair("Senior Python Engineer", "Senior Python Engineer", desc_b=other)


@pytest.mark.parametrize(("a", "b", "same"), [
    ({"remote": "remote"}, {"remote": "onsite"}, False),
    ({"remote": "remote"}, {"remote": "hybrid"}, True),
    ({"locations": [{"country": "DE"}]}, {"locations": [{"country": "GB"}]}, False),
    ({"locations": [{"country": "DE", "city": "Berlin"}]}, {"locations": [{"country": "DE", "city": "Munich"}]},
     False),
    ({"locations": [{"country": "AT", "city": "Wien"}]}, {"locations": [{"country": "AT", "city": "Vienna"}]}, True),
    ({"remote": "remote", "locations": [{"country": "DE", "city": "Berlin"}]},
     {"remote": "remote", "locations": [{"country": "DE", "city": "Munich"}]}, True),
    ({"locations": [{"country": "DE"}]}, {}, True),
])
def test_locations(a: dict[str, Any], b: dict[str, Any], same: bool) -> None:
    first = candidate(listing("Senior Python Engineer", description_text=DESCRIPTION, **a))
    second = candidate(listing("Senior Python Engineer", description_text=DESCRIPTION, **b))
    assert is_same_job(first, second) is same


def test_find_duplicate_picks_the_best_match() -> None:
    new = candidate(listing("Sr. Python Engineer (Remote)", "Acme Inc", remote="remote", description_text=DESCRIPTION))
    existing = [
        (7, candidate(listing("Junior Python Engineer", remote="remote", description_text=DESCRIPTION))),
        (3, candidate(listing("Senior Python Engineer, Payments", remote="remote", description_text=DESCRIPTION))),
        (5, candidate(listing("Senior Python Engineer", remote="remote", description_text=DESCRIPTION))),
        (9, candidate(listing("Senior Python Engineer", "Globex", remote="remote", description_text=DESCRIPTION))),
    ]
    assert dedup.find_duplicate(new, existing) == 5
    assert dedup.find_duplicate(new, [existing[2], (4, existing[2][1])]) == 4  # a tie goes to the oldest
    assert dedup.find_duplicate(new, [existing[0], existing[3]]) is None
    assert dedup.find_duplicate(new, []) is None


def test_make_candidate_from_a_job_row() -> None:
    stored = dedup.make_candidate(title="Senior Python Engineer", company="Acme", remote="remote",
                                  countries=["DE"], description=DESCRIPTION)
    new = candidate(listing("Sr. Python Engineer (Remote)", "ACME Inc.", remote="remote",
                            locations=[{"country": "DE"}], description_text=DESCRIPTION))
    assert is_same_job(new, stored)


# --- the labelled set --------------------------------------------------------------------------


def test_labelled_set_is_large_and_hard_enough() -> None:
    pairs = load_pairs()
    positives = [p for p in pairs if p["same"]]
    negatives = [p for p in pairs if not p["same"]]
    assert len(pairs) >= 200 and len(positives) >= 80 and len(negatives) >= 100
    notes = " | ".join(p["note"] for p in negatives)
    for kind in ("different seniority", "different specialism", "different team", "different companies",
                 "different countries, onsite", "II vs III"):
        assert kind in notes
    for p in pairs:
        for side in (p["a"], p["b"]):
            msgspec.convert(side, Listing)  # every side is a valid listing


def test_exact_key_collisions_in_labelled_set_are_only_the_undecidable_ones() -> None:
    # Same company, same title, same place, different team named only in the text: no exact key
    # can tell these apart; every other negative must get two fingerprints.
    for p in load_pairs():
        a, b = (msgspec.convert(p[side], Listing) for side in ("a", "b"))
        if not p["same"] and fingerprint(a) == fingerprint(b):
            assert "named only in the description" in p["note"], p["note"]


def test_labelled_set_precision_and_recall() -> None:
    tp = fp = fn = 0
    wrong: list[str] = []
    for number, p in enumerate(load_pairs(), 1):
        a = candidate(msgspec.convert(p["a"], Listing))
        b = candidate(msgspec.convert(p["b"], Listing))
        decided = is_same_job(a, b)
        tp += decided and p["same"]
        fp += decided and not p["same"]
        fn += not decided and p["same"]
        if decided != p["same"]:
            wrong.append(f"  line {number}: expected same={p['same']}: {p['a']['title']!r} @ {p['a']['company']!r}"
                         f" vs {p['b']['title']!r} @ {p['b']['company']!r} ({p['note']})")
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    report = f"precision {precision:.3f}, recall {recall:.3f} (tp={tp} fp={fp} fn={fn})\n" + "\n".join(wrong)
    print(report)
    assert precision >= 0.98 and recall >= 0.9, report


# --- properties --------------------------------------------------------------------------------

words = st.sampled_from(["Senior", "Sr.", "Junior", "Python", "Backend", "Frontend", "Engineer", "Developer",
                         "II", "III", "(Remote)", "- Berlin", "Payments", "Search", "Lead", "(m/w/d)", "Data"])
texts = st.lists(st.sampled_from(DESCRIPTION.split()), max_size=60).map(" ".join)
listings = st.builds(
    lambda title, company, remote, country, text: listing(
        " ".join(title), company, remote=remote, locations=[{"country": country}] if country else [],
        description_text=text or None),
    st.lists(words, max_size=6),
    st.one_of(st.none(), st.sampled_from(["Acme", "ACME Inc.", "Globex", "Acme Robotics", ""]), st.text(max_size=12)),
    st.sampled_from([None, "remote", "hybrid", "onsite"]),
    st.sampled_from([None, "DE", "GB"]),
    texts,
)


@given(listings, listings)
def test_similarity_is_symmetric_and_bounded(x: Listing, y: Listing) -> None:
    a, b = candidate(x), candidate(y)
    assert 0.0 <= similarity(a, b) <= 1.0
    assert similarity(a, b) == pytest.approx(similarity(b, a))
    assert is_same_job(a, b) == is_same_job(b, a)


@given(listings)
def test_a_listing_is_the_same_job_as_itself(x: Listing) -> None:
    a = candidate(x)
    assert is_same_job(a, a)
    assert is_same_job(a, candidate(msgspec.convert(msgspec.to_builtins(x), Listing)))


@given(st.text(max_size=80), st.text(max_size=40))
def test_keys_are_idempotent(title: str, company: str) -> None:
    assert title_key(title_key(title)) == title_key(title)
    assert company_key(company_key(company)) == company_key(company)


def test_may_be_same_job_holds_for_every_labelled_duplicate_and_rules_out_most_others() -> None:
    """The prefilter without description sketches never rules out a pair the full decision merges."""
    ruled_out = 0
    pairs = load_pairs()
    for p in pairs:
        x, y = (msgspec.convert(p[side], Listing) for side in ("a", "b"))
        light_a, light_b = candidate(x, with_sketch=False), candidate(y, with_sketch=False)
        assert light_a.sketch == () and light_a.shingles == 0
        if is_same_job(candidate(x), candidate(y)):
            assert may_be_same_job(light_a, light_b), p["note"]
            assert may_be_same_job(light_a, candidate(y)), p["note"]  # a cached full candidate on one side
        else:
            ruled_out += not may_be_same_job(light_a, light_b)
    negatives = sum(not p["same"] for p in pairs)
    assert ruled_out >= negatives * 2 // 3, (ruled_out, negatives)


@given(listings, listings)
def test_may_be_same_job_is_necessary(x: Listing, y: Listing) -> None:
    if is_same_job(candidate(x), candidate(y)):
        assert may_be_same_job(candidate(x, with_sketch=False), candidate(y, with_sketch=False))


def test_facts_are_every_field_but_the_sketch() -> None:
    """`may_be_same_job` compares `_facts`: a field added to Candidate must be added there too."""
    full = candidate(listing("Senior Python Engineer", remote="remote", locations=[{"country": "DE", "city": "Berlin"}],
                             employment_type="full_time", description_text="Build payment APIs in Python."))
    fields = [name for name in Candidate.__struct_fields__ if name not in ("sketch", "shingles")]
    assert dedup._facts(full) == tuple(getattr(full, name) for name in fields)
