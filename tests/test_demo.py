"""`hirewire demo` end to end: the command run as a user runs it, its summary and the files it saves."""

from __future__ import annotations

import asyncio
import email
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from email import policy
from pathlib import Path

import asyncpg
import pytest
from arq.connections import ArqRedis
from standardwebhooks import Webhook

from scrapers import sources as registry


def _demo(env: dict[str, str], out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "aggregator", "demo", "--out", str(out)], env=env,
                          capture_output=True, text=True, timeout=180)


def _rows(stdout: str, first: set[str]) -> dict[str, list[str]]:
    """Table rows of the summary whose first cell is one of `first`, keyed by it."""
    rows = {}
    for line in stdout.splitlines():
        cells = line.split()
        if cells and cells[0] in first:
            rows[cells[0]] = cells
    return rows


def _check_summary(stdout: str) -> None:
    sources = _rows(stdout, {*registry.NAMES, "total"})
    assert set(sources) == {*registry.NAMES, "total"}, stdout
    for name in registry.NAMES:
        fetched, skipped, stored, new_jobs, merged, errors = map(int, sources[name][1:7])
        assert fetched > 0 and errors == 0, sources[name]
        assert fetched == skipped + stored and stored == new_jobs + merged, sources[name]
    assert int(sources["total"][5]) >= 1, "at least one posting merged into a job from another board"
    # The Jobicy feed is also read as plain RSS: its Python jobs are merged, not stored twice.
    assert "Senior Backend Engineer (Python) (Orbital Pay): jobicy + rss" in stdout
    # The same ad on a board's Atom feed and on We Work Remotely is one job, sent once.
    assert "Senior Python Backend Engineer (Django) (Brightwave Analytics): rss + weworkremotely" in stdout
    alerts = _rows(stdout, {"1", "2", "3"})
    sent = {(row[1], row[2]): int(row[-4]) for row in alerts.values()}  # …, matched, sent, failed, messages, to
    assert sent[("email", "instant")] >= 1 and sent[("webhook", "instant")] >= 1, stdout
    assert sent[("email", "daily")] >= 1, stdout


def _check_files(out: Path) -> None:
    emls = sorted((out / "emails").glob("*.eml"))
    assert emls and len(emls) == len(list((out / "emails").glob("*.html")))
    messages = [email.message_from_bytes(p.read_bytes(), policy=policy.default) for p in emls]
    instant = next(m for m in messages if m["To"] == "ada@example.org")
    assert instant["From"] == "hirewire <alerts@localhost>"
    assert instant["Subject"].startswith("New job: ")
    assert instant["List-Unsubscribe"].startswith("<http") and "/unsubscribe/" in instant["List-Unsubscribe"]
    assert instant["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    subjects = {m["Subject"] for m in messages}
    assert "New job: Senior Python Engineer, Billing at Quillstack" in subjects  # himalayas.json
    digest = next(m for m in messages if m["To"] == "grace@example.org")
    assert digest["Subject"].endswith("new jobs for your daily alert")
    html = digest.get_body(preferencelist=("html",))
    assert html is not None and "Saltmarsh Labs" in html.get_content()  # remotive.json

    hooks = sorted((out / "webhooks").glob("*.json"))
    assert hooks
    for path in hooks:
        saved = json.loads(path.read_text())
        assert saved["signature_valid"] is True
        # Verified again with the reference implementation, from the bytes as received.
        event = Webhook(saved["secret"]).verify(saved["raw_body"], saved["headers"])
        assert event["type"] == "job.matched"
        assert event["data"]["job"]["title"] and "Django" in event["data"]["job"]["skills"]


def test_demo_on_this_runs_servers(clean_db: str, cli_env: Callable[..., dict[str, str]], tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = _demo(cli_env(), out)
    assert result.returncode == 0, result.stdout + result.stderr
    _check_summary(result.stdout)
    assert str(Path("out") / "emails") in result.stdout or str(out / "emails") in result.stdout
    _check_files(out)

    assert "dropped at the end (your database is untouched)" in result.stdout
    assert "they lead nowhere now that it is gone" in result.stdout  # the emails' links, said before a click
    # It ran in a database of its own, dropped, and under Redis keys of its own, deleted: the
    # configured database holds nothing of it, so an operator's data is never mixed with samples
    # and the demo can be run again.
    assert asyncio.run(_leftovers(clean_db, cli_env()["HIREWIRE_REDIS_URL"])) == {
        "jobs": 0, "postings": 0, "alerts": 0, "sources": 0, "demo databases": 0, "demo keys": 0}


async def _leftovers(database_url: str, redis_url: str) -> dict[str, int]:
    conn = await asyncpg.connect(database_url)
    redis = ArqRedis.from_url(redis_url)
    try:
        counts = {table: await conn.fetchval(f"SELECT count(*) FROM {table}")
                  for table in ("jobs", "postings", "alerts", "sources")}
        counts["demo databases"] = await conn.fetchval(
            "SELECT count(*) FROM pg_database WHERE datname LIKE 'hirewire_demo_%'")
        counts["demo keys"] = len([key async for key in redis.scan_iter(match="*hirewire-demo-*")]) + len(
            [r for r in await redis.all_job_results() if r.queue_name.startswith("hirewire-demo-")])
        return counts
    finally:
        await conn.close()
        await redis.aclose()


@pytest.mark.slow
def test_demo_on_the_embedded_servers(tmp_path: Path) -> None:
    # Outside pytest's temporary tree (kept 0700): the embedded PostgreSQL runs unprivileged under root.
    data = Path(tempfile.mkdtemp(prefix="hirewire-demo-test-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("HIREWIRE_")}
    env.update({"HIREWIRE_DATA_DIR": str(data / "data"), "HIREWIRE_LOG_FORMAT": "json"})
    try:
        result = _demo(env, tmp_path / "out")
        assert result.returncode == 0, result.stdout + result.stderr
        assert "starting a private PostgreSQL and Redis" in result.stderr
        _check_summary(result.stdout)
        _check_files(tmp_path / "out")
        state = json.loads((data / "data" / "redis" / "state.json").read_text())
        assert state == {}, "the private Redis is stopped on exit"
    finally:
        shutil.rmtree(data, ignore_errors=True)
