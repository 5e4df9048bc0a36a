"""`hirewire parse`: offline, JSON Lines out, one-line error and exit 1 for a bad payload."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

SAMPLES = ROOT / "aggregator" / "samples"
# No database, Redis or network: URLs point nowhere and must not be touched.
OFFLINE = {"HIREWIRE_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none", "HIREWIRE_REDIS_URL": "redis://127.0.0.1:1",
           "PATH": "/usr/bin:/bin"}


def hirewire(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "aggregator", *args], capture_output=True, text=True,
                          env=OFFLINE, timeout=60)


def test_parse_prints_one_normalised_listing_per_line() -> None:
    result = hirewire("parse", "remotive", str(SAMPLES / "remotive.json"))
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 5
    senior = next(r for r in rows if r["external_id"] == "2101344")
    assert senior["title"] == "Senior Python Engineer"
    assert senior["company"] == "Saltmarsh Labs"
    assert (senior["salary_min"], senior["salary_max"], senior["salary_currency"]) == (150000, 180000, "USD")
    assert senior["python_backend"] is True
    assert senior["posted_at"].endswith("Z")
    contract = {"source", "external_id", "url", "apply_url", "title", "company", "location_raw", "locations",
                "remote", "employment_type", "seniority", "salary_min", "salary_max", "salary_currency",
                "salary_period", "skills", "description_text", "description_html", "posted_at",
                "python_backend", "fingerprint"}
    assert contract <= set(senior)


def test_invalid_payload_is_one_line_and_exit_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("<html>not json</html>")
    result = hirewire("parse", "remotive", str(bad))
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("hirewire: ") and "remotive" in lines[0]


def test_missing_file_and_unknown_source() -> None:
    missing = hirewire("parse", "remotive", "/nonexistent/file.json")
    assert missing.returncode == 1 and "No such file" in missing.stderr
    unknown = hirewire("parse", "monster", str(SAMPLES / "remotive.json"))
    assert unknown.returncode == 1 and "unknown source 'monster'" in unknown.stderr


@pytest.mark.parametrize(("source", "sample", "reason"), [
    ("greenhouse", "remotive.json",
     "greenhouse: not this source's payload: none of its 5 jobs has 'absolute_url' or 'content'"),
    ("remotive", "greenhouse.json",
     "remotive: not this source's payload: none of its 4 jobs has 'company_name' and 'url'"),
    ("jobicy", "remotive.json", "jobicy: not this source's payload: none of its 5 jobs has 'jobTitle'"),
    ("jsonld", "remotive.json", "jsonld: a JSON document, not an HTML page"),
    ("weworkremotely", "jsonld_job.html", "weworkremotely: an HTML page, not a feed"),
])
def test_another_sources_payload_is_one_line_and_exit_1(source: str, sample: str, reason: str) -> None:
    path = SAMPLES / sample
    result = hirewire("parse", source, str(path))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == f"hirewire: {path}: {reason}\n"


def test_an_empty_payload_of_the_source_is_no_listings_and_exit_0(tmp_path: Path) -> None:
    empty = tmp_path / "greenhouse-empty.json"
    empty.write_text('{"jobs": [], "meta": {"total": 0}}')
    result = hirewire("parse", "greenhouse", str(empty))
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
