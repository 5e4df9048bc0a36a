"""Configuration: defaults, TOML overrides, and one clear line naming a bad setting."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from aggregator.config import load_settings, parse_duration
from aggregator.errors import ConfigError


def test_defaults_without_any_configuration(tmp_path: Path) -> None:
    settings = load_settings({"HIREWIRE_DATA_DIR": str(tmp_path)})
    assert settings.database_url is None and settings.redis_url is None
    assert (settings.api_host, settings.api_port) == ("127.0.0.1", 8080)
    remotive = settings.source("remotive")
    assert remotive.enabled and remotive.url.startswith("https://remotive.com/api/remote-jobs")
    # ATS sources have no boards by default and the generic ones no feeds: off until configured.
    assert not settings.source("greenhouse").enabled
    assert not settings.source("rss").enabled


def test_empty_toml_file_is_valid(tmp_path: Path) -> None:
    path = tmp_path / "empty.toml"
    path.write_text("")
    assert load_settings({"HIREWIRE_CONFIG": str(path)}).source("remotive").enabled


def test_toml_overrides_endpoint_schedule_and_boards(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text(
        '[sources.remotive]\nurl = "http://127.0.0.1:9/x"\nevery = "30m"\nrate = 2.5\nburst = 3\n'
        '[sources.greenhouse]\nboards = ["acme", "globex"]\n'
        '[sources.rss]\nfeeds = ["https://example.org/jobs.rss"]\n')
    settings = load_settings({"HIREWIRE_CONFIG": str(path)})
    remotive = settings.source("remotive")
    assert (remotive.url, remotive.every, remotive.rate, remotive.burst) == ("http://127.0.0.1:9/x", 1800, 2.5, 3)
    greenhouse = settings.source("greenhouse")
    assert greenhouse.enabled
    assert greenhouse.start_urls() == [
        ("https://boards-api.greenhouse.io/v1/boards/acme/jobs?content=true", "acme"),
        ("https://boards-api.greenhouse.io/v1/boards/globex/jobs?content=true", "globex")]
    assert settings.source("rss").enabled
    assert settings.source("rss").start_urls() == [("https://example.org/jobs.rss", None)]


@pytest.mark.parametrize(("env", "toml", "setting"), [
    ({"HIREWIRE_API_PORT": "eighty"}, "", "HIREWIRE_API_PORT"),
    ({"HIREWIRE_API_PORT": "70000"}, "", "HIREWIRE_API_PORT"),
    ({"HIREWIRE_DATABASE_URL": "mysql://x"}, "", "HIREWIRE_DATABASE_URL"),
    ({"HIREWIRE_ALLOW_PRIVATE_DESTINATIONS": "perhaps"}, "", "HIREWIRE_ALLOW_PRIVATE_DESTINATIONS"),
    ({"HIREWIRE_SMTP_URL": "http://mail"}, "", "HIREWIRE_SMTP_URL"),
    ({}, '[sources.remotive]\nevery = "soon"\n', "sources.remotive.every"),
    ({}, '[sources.remotive]\nrate = -1\n', "sources.remotive.rate"),
    ({}, '[sources.remotive]\nrate = nan\n', "sources.remotive.rate"),
    ({}, '[sources.remotive]\nrate = inf\n', "sources.remotive.rate"),
    ({}, '[sources.remotive]\nurl = "ftp://x"\n', "sources.remotive.url"),
    ({}, '[sources.remotive]\nspeed = 3\n', "sources.remotive.speed"),
    ({}, '[sources.monster]\nenabled = true\n', "sources.monster"),
    ({}, '[sources.greenhouse]\nboards = "acme"\n', "sources.greenhouse.boards"),
    ({}, "this is = not toml [", "HIREWIRE_CONFIG"),
    # Enabled with nothing to read: an ATS source without boards, a generic one without feeds or pages.
    ({}, '[sources.workable]\nenabled = true\n', "sources.workable.enabled"),
    ({}, '[sources.smartrecruiters]\nenabled = true\nboards = []\n', "sources.smartrecruiters.enabled"),
    ({}, '[sources.rss]\nenabled = true\n', "sources.rss.enabled"),
    ({}, '[sources.jsonld]\nenabled = true\npages = []\n', "sources.jsonld.enabled"),
    # The other tables: a misspelt table or key is an error, not silently a default.
    ({}, '[fetsh]\ncontact = "ops@example.org"\n', "fetsh"),
    ({}, '[fetch]\nconect_timeout = 5\n', "fetch.conect_timeout"),
    ({}, '[delivery]\nretries = 3\n', "delivery.retries"),
    ({}, '[delivery]\nretry_schedule = []\n', "delivery.retry_schedule"),
    ({}, '[delivery]\nretry_schedule = "5s, soon"\n', "delivery.retry_schedule"),
    ({}, '[delivery]\nsmtp_connections = 65\n', "delivery.smtp_connections"),
    ({}, '[delivery]\nwebhook_rate = nan\n', "delivery.webhook_rate"),
    ({}, '[delivery]\nlease = "20s"\n', "delivery.lease"),  # shorter than a send may take (30 s)
    ({"HIREWIRE_SMTP_CONNECTIONS": "four"}, '[delivery]\nsmtp_connections = 8\n', "HIREWIRE_SMTP_CONNECTIONS"),
    ({"HIREWIRE_SMTP_CONNECTIONS": "0"}, "", "HIREWIRE_SMTP_CONNECTIONS"),
    ({"HIREWIRE_WEBHOOK_RATE": "fast"}, "", "HIREWIRE_WEBHOOK_RATE"),
    ({"HIREWIRE_WEBHOOK_RATE": "0"}, "", "HIREWIRE_WEBHOOK_RATE"),
    ({"HIREWIRE_WEBHOOK_CONCURRENCY": "2.5"}, "", "HIREWIRE_WEBHOOK_CONCURRENCY"),
    ({"HIREWIRE_DELIVERY_RETRY_SCHEDULE": " , "}, "", "HIREWIRE_DELIVERY_RETRY_SCHEDULE"),
    ({"HIREWIRE_DELIVERY_LEASE": "30s"}, '[delivery]\nlease = "10m"\n', "HIREWIRE_DELIVERY_LEASE"),
    ({"HIREWIRE_DEAD_WORKER_AFTER": "a while"}, "", "HIREWIRE_DEAD_WORKER_AFTER"),
    ({"HIREWIRE_DEAD_WORKER_AFTER": "0s"}, "", "HIREWIRE_DEAD_WORKER_AFTER"),
])
def test_bad_values_name_the_setting(tmp_path: Path, env: dict[str, str], toml: str, setting: str) -> None:
    path = tmp_path / "c.toml"
    path.write_text(toml)
    with pytest.raises(ConfigError) as raised:
        load_settings({**env, "HIREWIRE_CONFIG": str(path)})
    assert raised.value.setting == setting
    assert str(raised.value).startswith(setting + ":")


def test_delivery_limits_come_from_the_file_and_the_environment_overrides_it(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[delivery]\nretry_schedule = ["10s", "5m", "2h"]\nlease = "10m"\nsmtp_connections = 8\n'
                    'webhook_rate = 2.5\nwebhook_concurrency = 3\nwebhook_timeout = 15\n')
    default = load_settings({"HIREWIRE_DATA_DIR": str(tmp_path)}).delivery
    from_file = load_settings({"HIREWIRE_CONFIG": str(path)}).delivery
    overridden = load_settings({"HIREWIRE_CONFIG": str(path), "HIREWIRE_SMTP_CONNECTIONS": "2",
                                "HIREWIRE_DELIVERY_RETRY_SCHEDULE": "1s,1m"}).delivery
    assert (default.schedule[:2], default.lease, default.smtp_connections) == ((5.0, 300.0), 300.0, 4)
    assert from_file.schedule == (10.0, 300.0, 7200.0) and from_file.max_attempts == 4
    assert (from_file.lease, from_file.smtp_connections, from_file.webhook_timeout) == (600.0, 8, 15.0)
    assert (from_file.destination_rate, from_file.destination_concurrency) == (2.5, 3)
    assert (overridden.schedule, overridden.smtp_connections, overridden.lease) == ((1.0, 60.0), 2, 600.0)


def test_command_line_prints_one_line_and_no_traceback(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "aggregator", "sources"], capture_output=True, text=True,
                            env={"HIREWIRE_API_PORT": "eighty", "HIREWIRE_DATA_DIR": str(tmp_path),
                                 "PATH": "/usr/bin:/bin"}, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "hirewire: HIREWIRE_API_PORT: 'eighty' is not a whole number"]


@pytest.mark.parametrize(("text", "seconds"), [("90", 90), ("30s", 30), ("30m", 1800), ("6h", 21600), ("1d", 86400)])
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text, "x") == seconds


def test_sources_with_nothing_to_read_say_what_to_set(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[sources.lever]\nboards = ["acme"]\n[sources.rss]\nenabled = true\nurl = "https://jobs.example/feed"\n')
    settings = load_settings({"HIREWIRE_CONFIG": str(path)})
    assert settings.source("lever").missing_targets() is None
    assert settings.source("rss").missing_targets() is None  # a URL of the operator's own
    assert settings.source("ashby").missing_targets() == 'no boards to read: set boards = ["…"] under [sources.ashby]'
    assert not settings.source("ashby").enabled  # off by default, so not an error
    assert settings.source("jsonld").missing_targets() == (
        'no pages to read: set pages = ["https://…"] under [sources.jsonld]')
