"""The command line's refusals: one line on stderr and a non-zero exit status, never a traceback.

Arguments are refused while parsing (argparse's error, exit 2); servers that cannot be reached or
addresses that cannot be listened on are one `hirewire: …` line with exit 2, like a bad setting.
"""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import asyncpg
import pytest

from aggregator import runtime
from aggregator.cli import build_parser, main
from scrapers import sources as registry
from tests.conftest import write_config
from tests.match.helpers import listing, store


def hw(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "aggregator", *args], env=env, capture_output=True, text=True,
                          timeout=120)


@pytest.fixture
def nowhere(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """For commands run in this process: servers that do not answer, so a command that got past its
    argument checks fails at once instead of starting embedded ones or touching a real database."""
    monkeypatch.setenv("HIREWIRE_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    monkeypatch.setenv("HIREWIRE_REDIS_URL", "redis://127.0.0.1:1/0")
    monkeypatch.setenv("HIREWIRE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("HIREWIRE_CONFIG", raising=False)


@pytest.fixture
def busy_port() -> Iterator[int]:
    """A loopback port something else is already listening on."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        yield taken.getsockname()[1]


# -- the API's address ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["api", "run"])
def test_a_port_in_use_stops_api_and_run_with_one_line(clean_db: str, cli_env: Callable[..., dict[str, str]],
                                                       tmp_path: Path, busy_port: int, role: str) -> None:
    env = cli_env(write_config(tmp_path / "off.toml"))  # every source off: `run` must fetch nothing
    result = hw(env, role, "--port", str(busy_port))
    assert (result.returncode, result.stderr.strip().splitlines()) == (
        2, [f"hirewire: API: cannot listen on 127.0.0.1:{busy_port}: Address already in use"])


def test_a_host_that_is_no_address_stops_the_api(clean_db: str, cli_env: Callable[..., dict[str, str]]) -> None:
    result = hw(cli_env(), "api", "--host", "256.1.1.1", "--port", "0")
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2, result.stderr
    assert len(lines) == 1 and lines[0].startswith("hirewire: API: cannot listen on 256.1.1.1:0: ")


# -- an unreachable Redis ------------------------------------------------------------------------

#: Nothing listens on port 1; the password must never be printed.
_NO_REDIS = "redis://:s3cret-pw@127.0.0.1:1/0"


@pytest.mark.parametrize("args", [
    ["api", "--port", "0"], ["run", "--port", "0"], ["worker", "--burst"], ["scheduler"], ["workers"],
    ["subscribe", "--email", "ada@example.org"], ["alerts", "backfill", "1"], ["deliveries", "--retry-dead"],
    ["scrape"], ["demo"],
], ids=lambda args: args[0] + (f"-{args[1]}" if args[0] == "alerts" else ""))
def test_unreachable_redis_is_one_line_naming_the_setting(clean_db: str, cli_env: Callable[..., dict[str, str]],
                                                          tmp_path: Path, args: list[str]) -> None:
    env = cli_env(write_config(tmp_path / "off.toml"), HIREWIRE_REDIS_URL=_NO_REDIS)
    if args == ["demo"]:
        args = ["demo", "--out", str(tmp_path / "demo")]
    result = hw(env, *args)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "s3cret-pw" not in result.stderr + result.stdout
    # (the demo says what it is starting before it starts; the reason is still its one last line)
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("hirewire: HIREWIRE_REDIS_URL: cannot connect: Error 111 connecting to 127.0.0.1:1"), last


def test_a_password_in_a_drivers_message_is_masked() -> None:
    error = runtime._unreachable("HIREWIRE_REDIS_URL", "redis://ops:p%40ss-word@db.example:6379/0",
                                 OSError("AUTH p@ss-word refused"))
    assert str(error) == "HIREWIRE_REDIS_URL: cannot connect: AUTH *** refused"


# -- ids and counts, refused while parsing -------------------------------------------------------

_BIG = "99999999999999999999"


@pytest.mark.parametrize("args", [
    ["alerts", "show", _BIG], ["alerts", "pause", "0"], ["alerts", "resume", "-1"], ["alerts", "delete", _BIG],
    ["alerts", "backfill", _BIG], ["alerts", "backfill", "1", "--limit", "0"],
    ["alerts", "backfill", "1", "--days", "0"], ["alerts", "reindex", "--days", "366"],
    ["deliveries", "--retry", _BIG], ["deliveries", "--limit", "-1"],
    ["deliveries", "--limit", "0"], ["jobs", "search", "--limit", "0"], ["reparse", "remotive", "--batch", "0"],
    ["purge-raw", "--days", "-1"], ["worker", "--concurrency", "0"], ["worker", "--concurrency", "-1"],
    ["run", "--concurrency", "0"], ["api", "--port", "99999"], ["run", "--port", "-1"], ["alerts", "show", "x"],
])
def test_out_of_range_ids_and_counts_are_usage_errors(nowhere: None, capsys: pytest.CaptureFixture[str],
                                                      args: list[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(args)
    assert exited.value.code == 2
    error = capsys.readouterr().err.strip().splitlines()[-1]
    assert ": error: argument " in error and ("must be a whole number from " in error or "is not a whole" in error)


def test_the_largest_stored_id_and_zero_retention_are_accepted() -> None:
    parser = build_parser()
    assert parser.parse_args(["alerts", "show", str(2**63 - 1)]).id == 2**63 - 1
    assert parser.parse_args(["deliveries", "--retry", "7", "--limit", "1"]).retry == [7]
    assert parser.parse_args(["purge-raw", "--days", "0"]).days == 0
    assert parser.parse_args(["worker", "--concurrency", "1"]).concurrency == 1


# -- deliveries --retry --------------------------------------------------------------------------


async def test_retrying_a_delivery_that_does_not_exist_says_so_once(clean_db: str,
                                                                    cli_env: Callable[..., dict[str, str]]) -> None:
    env = cli_env()
    missing = hw(env, "deliveries", "--retry", "999")
    assert (missing.returncode, missing.stdout, missing.stderr.strip().splitlines()) == (
        1, "", ["hirewire: no such delivery: 999"])

    made = hw(env, "subscribe", "--email", "ada@example.org", "--query", "python")
    assert made.returncode == 0, made.stderr
    conn = await asyncpg.connect(clean_db)
    try:
        await store(conn, listing(), listing(title="Python Backend Developer", company="Globex"))
        assert hw(env, "alerts", "backfill", made.stdout.split()[1]).returncode == 0
        sent, dead = [r["id"] for r in await conn.fetch("SELECT id FROM deliveries ORDER BY id")]
        await conn.execute("UPDATE deliveries SET state = 'sent' WHERE id = $1", sent)
        await conn.execute("UPDATE deliveries SET state = 'dead' WHERE id = $1", dead)
    finally:
        await conn.close()
    mixed = hw(env, "deliveries", "--retry", str(sent), "--retry", "999", "--retry", str(dead))
    assert mixed.returncode == 1
    assert mixed.stdout.strip() == f"queued 1 deliveries for retry: {dead}"
    assert mixed.stderr.strip().splitlines() == [f"hirewire: no such delivery: 999; not failed or dead: {sent} (sent)"]


# -- jobs search: the API's validation -----------------------------------------------------------


async def test_jobs_search_canonicalises_skills_as_the_api_does(clean_db: str,
                                                                cli_env: Callable[..., dict[str, str]]) -> None:
    conn = await asyncpg.connect(clean_db)
    try:
        await store(conn, listing(title="Django Developer", skills=["Django"]),
                    listing(title="Flask Developer", skills=["Flask"], company="Globex"))
    finally:
        await conn.close()
    env = cli_env()
    for spelling in ("django", "Django", "DJANGO"):
        found = hw(env, "jobs", "search", "--skill", spelling)
        assert found.returncode == 0, found.stderr
        assert "Django Developer" in found.stdout and "Flask Developer" not in found.stdout
    found = hw(env, "jobs", "search", "--country", "de", "--source", "REMOTIVE", "--skill", "flask")
    assert found.returncode == 0, found.stderr


@pytest.mark.parametrize(("args", "line"), [
    (["--country", "XX"], "hirewire: --country: unknown country 'XX' (ISO 3166-1 alpha-2 codes)"),
    (["--source", "nosuch"], "hirewire: --source: unknown source 'nosuch'"),
    (["--skill", "nosuchskill"], "hirewire: --skill: unknown skill 'nosuchskill'"),
])
def test_jobs_search_refuses_what_the_api_refuses(nowhere: None, capsys: pytest.CaptureFixture[str],
                                                  args: list[str], line: str) -> None:
    assert main(["jobs", "search", *args]) == 2
    assert capsys.readouterr().err.strip().splitlines() == [line]


@pytest.mark.parametrize("args", [["scrape", "remotive", "monster"], ["sources", "monster"], ["reparse", "monster"]])
def test_an_unknown_source_is_a_usage_error_before_any_server_is_touched(
        nowhere: None, capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    assert main(args) == 2
    assert capsys.readouterr().err.strip().splitlines() == [
        f"hirewire: SOURCE: unknown source 'monster' (known: {', '.join(registry.NAMES)})"]
