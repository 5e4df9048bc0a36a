"""`hirewire subscribe` and `hirewire alerts …` against the run's real servers."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable

import asyncpg
import pytest

from aggregator.alerts import parse_alert
from aggregator.errors import InputError
from tests.match.helpers import listing, store


def hw(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "aggregator", *args], env=env, capture_output=True, text=True,
                          timeout=120)


async def test_subscribe_show_pause_resume_backfill_delete(clean_db: str,
                                                           cli_env: Callable[..., dict[str, str]]) -> None:
    env = cli_env()
    made = hw(env, "subscribe", "--email", "ada@example.org", "--query", "django OR fastapi -php",
              "--remote", "remote", "--country", "DE", "--min-salary", "80000", "--currency", "EUR",
              "--seniority", "senior", "--frequency", "daily", "--send-hour", "7", "--timezone", "Europe/Berlin")
    assert made.returncode == 0, made.stderr
    alert_id = made.stdout.split()[1]
    assert made.stdout.strip() == f"alert {alert_id}"

    shown = json.loads(hw(env, "alerts", "show", alert_id).stdout)
    assert shown["status"] == "active" and shown["countries"] == ["DE"]
    assert shown["min_salary"] == {"amount": 80000.0, "currency": "EUR", "period": "year", "include_unknown": True}
    assert "ada@example.org" in hw(env, "alerts", "list").stdout

    assert hw(env, "alerts", "pause", alert_id).stdout.strip() == f"alert {alert_id} paused"
    assert hw(env, "alerts", "resume", alert_id).stdout.strip() == f"alert {alert_id} resumed"

    conn = await asyncpg.connect(clean_db)
    try:
        await store(conn, listing(), listing(title="PHP Developer", skills=["FastAPI"], description_text="php fastapi"))
        filled = hw(env, "alerts", "backfill", alert_id, "--days", "3")
        assert filled.returncode == 0, filled.stderr
        assert filled.stdout.strip() == f"alert {alert_id}: 1 new deliveries"
        assert hw(env, "alerts", "backfill", alert_id).stdout.strip() == f"alert {alert_id}: 0 new deliveries"
        assert await conn.fetchval("SELECT confirmed_at IS NOT NULL FROM subscribers") is True
    finally:
        await conn.close()

    assert hw(env, "alerts", "delete", alert_id).returncode == 0
    gone = hw(env, "alerts", "show", alert_id)
    assert gone.returncode == 1 and gone.stderr.strip() == f"hirewire: ID: no alert {alert_id}"


def test_subscribe_webhook_prints_secret_once(clean_db: str, cli_env: Callable[..., dict[str, str]]) -> None:
    env = cli_env(HIREWIRE_ALLOW_PRIVATE_DESTINATIONS="true")
    made = hw(env, "subscribe", "--webhook", "http://127.0.0.1:9/hook", "--skill-all", "Django")
    assert made.returncode == 0, made.stderr
    lines = made.stdout.splitlines()
    assert lines[1].startswith("secret whsec_")
    assert "whsec_" not in hw(env, "alerts", "show", lines[0].split()[1]).stdout


async def test_subscribe_refusals_name_the_flag(clean_db: str, cli_env: Callable[..., dict[str, str]]) -> None:
    """The API's validator decides; the refusal names the flag typed and exits 2, and nothing is stored."""
    env = cli_env()
    bad = hw(env, "subscribe", "--email", "ada@example.org", "--min-salary", "5", "--currency", "XYZ")
    assert (bad.returncode, bad.stderr.strip()) == (2, "hirewire: --currency: unknown currency 'XYZ'")
    country = hw(env, "subscribe", "--email", "ada@example.org", "--country", "XX")
    assert (country.returncode, country.stderr.strip()) == (
        2, "hirewire: --country: unknown country 'XX' (ISO 3166-1 alpha-2 codes)")
    private = hw(env, "subscribe", "--webhook", "https://127.0.0.1/hook")
    assert private.returncode == 2 and private.stderr.startswith("hirewire: --webhook: ")
    stop = hw(env, "subscribe", "--email", "ada@example.org", "--query", "the and of")
    assert stop.returncode == 2 and stop.stderr.startswith("hirewire: --query: has no searchable words")
    limit = hw(env, "alerts", "backfill", "1", "--limit", "5000")
    assert limit.returncode == 2 and "argument --limit: must be a whole number from 1 to 1000" in limit.stderr
    conn = await asyncpg.connect(clean_db)
    try:
        assert await conn.fetchval("SELECT count(*) FROM alerts") == 0
    finally:
        await conn.close()


@pytest.mark.parametrize("flags", [["--currency", "EUR"], ["--period", "month"], ["--exclude-unknown-salary"]])
def test_salary_options_without_min_salary_are_refused(clean_db: str, cli_env: Callable[..., dict[str, str]],
                                                       flags: list[str]) -> None:
    """Dropping them silently would save an alert that ignores what was asked for."""
    result = hw(cli_env(), "subscribe", "--email", "ada@example.org", *flags)
    assert (result.returncode, result.stdout, result.stderr.strip()) == (
        2, "", f"hirewire: {flags[0]}: needs --min-salary")


def test_the_api_has_no_min_salary_without_an_amount() -> None:
    with pytest.raises(InputError) as raised:
        parse_alert({"min_salary": {"currency": "EUR"}, "channel": {"email": "ada@example.org"}})
    assert raised.value.field == "min_salary.amount"


async def test_reindex_measures_recent_jobs_and_rekeys_alerts(clean_db: str,
                                                              cli_env: Callable[..., dict[str, str]]) -> None:
    env = cli_env()
    made = hw(env, "subscribe", "--email", "ada@example.org", "--query", "apis", "--seniority", "senior")
    alert_id = made.stdout.split()[1]
    few = hw(env, "alerts", "reindex")
    assert few.returncode == 0, few.stderr
    assert few.stdout.strip() == "too few jobs in the last 30 days to measure; alert keys left as they are"
    conn = await asyncpg.connect(clean_db)
    try:
        await store(conn, *[listing() for _ in range(200)])
        done = hw(env, "alerts", "reindex", "--days", "7")
        assert done.returncode == 0, done.stderr
        tokens = await conn.fetchval("SELECT count(*) FROM match_token_shares")
        keys = await conn.fetchval("SELECT keys FROM alerts WHERE id = $1", int(alert_id))
    finally:
        await conn.close()
    assert done.stdout.strip() == f"{tokens} token shares measured; 1 alerts re-keyed"
    assert keys == ["t:api"]
    refused = hw(env, "alerts", "reindex", "--days", "0")
    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines()[-1] == (
        "hirewire alerts reindex: error: argument --days: must be a whole number from 1 to 365")
