"""Configuration: defaults, TOML overrides, and one clear line naming a bad setting."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from aggregator.config import load_settings, mail_warnings, parse_duration
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
    ({"HIREWIRE_SMTP_URL": "smtp://host:abc"}, "", "HIREWIRE_SMTP_URL"),
    ({"HIREWIRE_SMTP_URL": "smtp://host:70000"}, "", "HIREWIRE_SMTP_URL"),
    ({"HIREWIRE_SMTP_URL": "smtp://user:pw@:587"}, "", "HIREWIRE_SMTP_URL"),
    ({"HIREWIRE_SMTP_URL": "smtp://host:587?starttls=ture"}, "", "HIREWIRE_SMTP_URL"),
    ({"HIREWIRE_SMTP_URL": "smtp://host:587?startls=true"}, "", "HIREWIRE_SMTP_URL"),
    ({"HIREWIRE_MAIL_FROM": "garbage"}, "", "HIREWIRE_MAIL_FROM"),
    ({"HIREWIRE_MAIL_FROM": "Ops <>"}, "", "HIREWIRE_MAIL_FROM"),
    ({"HIREWIRE_MAIL_FROM": "a@example.org, b@example.org"}, "", "HIREWIRE_MAIL_FROM"),
    ({"HIREWIRE_MAIL_FROM": "Ops <ops@example.org>\r\nBcc: x@example.org"}, "", "HIREWIRE_MAIL_FROM"),
    ({}, '[sources.remotive]\nevery = "soon"\n', "sources.remotive.every"),
    # A duration needs its unit: `every = 6` may be meant as hours and would be read as seconds.
    ({}, '[sources.remotive]\nevery = 6\n', "sources.remotive.every"),
    ({}, '[sources.remotive]\nevery = "6"\n', "sources.remotive.every"),
    ({}, '[fetch]\nmax_backoff = 3600\n', "fetch.max_backoff"),
    ({}, '[delivery]\nretry_schedule = [5, "5m"]\n', "delivery.retry_schedule"),
    ({}, '[delivery]\nwebhook_timeout = 15\n', "delivery.webhook_timeout"),
    ({"HIREWIRE_DELIVERY_LEASE": "300"}, "", "HIREWIRE_DELIVERY_LEASE"),
    ({"HIREWIRE_DEAD_WORKER_AFTER": "30"}, "", "HIREWIRE_DEAD_WORKER_AFTER"),
    # Switches take true or false, not numbers; counts take whole numbers, not fractions.
    ({}, '[sources.remotive]\nenabled = 1\n', "sources.remotive.enabled"),
    ({}, '[sources.remotive]\nkeep_all = 1\n', "sources.remotive.keep_all"),
    ({}, '[sources.remotive]\nconditional = 1\n', "sources.remotive.conditional"),
    ({}, '[sources.jsonld]\nrobots = 2\n', "sources.jsonld.robots"),
    ({}, '[sources.remotive]\nenabled = ["yes"]\n', "sources.remotive.enabled"),
    ({}, '[sources.remotive]\nburst = 2.5\n', "sources.remotive.burst"),
    ({}, '[fetch]\ncontact = ["ops@example.org"]\n', "fetch.contact"),
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
                    'webhook_rate = 2.5\nwebhook_concurrency = 3\nwebhook_timeout = "15s"\n')
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


@pytest.mark.parametrize(("text", "seconds"), [("90s", 90), ("0.5s", 0.5), ("30m", 1800), ("6h", 21600), ("1d", 86400)])
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text, "x") == seconds


@pytest.mark.parametrize("bare", [6, 6.0, "6", " 6 "], ids=["int", "float", "text", "padded"])
def test_a_duration_without_a_unit_asks_for_one(bare: object) -> None:
    with pytest.raises(ConfigError) as raised:
        parse_duration(bare, "sources.remotive.every")
    number = "6.0" if isinstance(bare, float) else "6"
    assert str(raised.value) == (f'sources.remotive.every: {number} has no unit: write "{number}s", "{number}m", '
                                 f'"{number}h" or "{number}d"')


def test_config_file_that_is_a_directory_or_not_text(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as raised:
        load_settings({"HIREWIRE_CONFIG": str(tmp_path)})
    assert str(raised.value) == f"HIREWIRE_CONFIG: {tmp_path}: a directory, not a TOML file"
    binary = tmp_path / "c.toml"
    binary.write_bytes(b"\xff\xfe[sources]")
    with pytest.raises(ConfigError) as raised:
        load_settings({"HIREWIRE_CONFIG": str(binary)})
    assert raised.value.setting == "HIREWIRE_CONFIG"


def test_smtp_url_and_sender_that_work_are_kept(tmp_path: Path) -> None:
    settings = load_settings({"HIREWIRE_DATA_DIR": str(tmp_path),
                              "HIREWIRE_SMTP_URL": "smtp://user:p%40ss@mail.example.org:587?starttls=true&cafile=/ca.pem",
                              "HIREWIRE_MAIL_FROM": '"Alerts, hirewire" <alerts@example.org>'})
    assert settings.smtp_url == "smtp://user:p%40ss@mail.example.org:587?starttls=true&cafile=/ca.pem"
    assert settings.mail_from == '"Alerts, hirewire" <alerts@example.org>'
    assert load_settings({"HIREWIRE_DATA_DIR": str(tmp_path)}).mail_from == "hirewire <alerts@localhost>"


def test_smtp_url_errors_never_repeat_the_password(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as raised:
        load_settings({"HIREWIRE_DATA_DIR": str(tmp_path), "HIREWIRE_SMTP_URL": "smtp://user:s3cret@host:abc"})
    assert "s3cret" not in str(raised.value)


@pytest.mark.parametrize(("toml", "line"), [
    ("[sources.remotive]\nenabled = 1\n", "hirewire: sources.remotive.enabled: 1 is not true or false"),
    ("[sources.remotive]\nevery = 6\n",
     'hirewire: sources.remotive.every: 6 has no unit: write "6s", "6m", "6h" or "6d"'),
])
def test_command_line_names_the_key_of_a_bad_file(tmp_path: Path, toml: str, line: str) -> None:
    path = tmp_path / "c.toml"
    path.write_text(toml)
    result = subprocess.run([sys.executable, "-m", "aggregator", "sources"], capture_output=True, text=True,
                            env={"HIREWIRE_CONFIG": str(path), "HIREWIRE_DATA_DIR": str(tmp_path),
                                 "PATH": "/usr/bin:/bin"}, timeout=60)
    assert (result.returncode, result.stderr.strip().splitlines()) == (2, [line])


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


@pytest.mark.parametrize(("env", "said"), [
    ({}, []),  # no SMTP: no mail
    ({"HIREWIRE_SMTP_URL": "smtp://relay.example.org", "HIREWIRE_PUBLIC_URL": "https://jobs.example.org",
      "HIREWIRE_MAIL_FROM": "alerts@example.org"}, []),
    ({"HIREWIRE_SMTP_URL": "smtp://relay.example.org", "HIREWIRE_MAIL_FROM": "alerts@example.org"},
     ["HIREWIRE_PUBLIC_URL is http://127.0.0.1:8080: the confirm and unsubscribe links"]),
    ({"HIREWIRE_SMTP_URL": "smtp://relay.example.org", "HIREWIRE_PUBLIC_URL": "http://hirewire.localhost:8080",
      "HIREWIRE_MAIL_FROM": "alerts@example.org"}, ["HIREWIRE_PUBLIC_URL is http://hirewire.localhost:8080"]),
    ({"HIREWIRE_SMTP_URL": "smtp://relay.example.org", "HIREWIRE_PUBLIC_URL": "http://jobs.example.org",
      "HIREWIRE_MAIL_FROM": "alerts@example.org"}, ["HIREWIRE_PUBLIC_URL is not https"]),
    ({"HIREWIRE_SMTP_URL": "smtp://relay.example.org", "HIREWIRE_PUBLIC_URL": "https://jobs.example.org"},
     ["HIREWIRE_MAIL_FROM is 'hirewire <alerts@localhost>'"]),
])
def test_mail_settings_that_would_hurt_subscribers_are_named(tmp_path: Path, env: dict[str, str],
                                                            said: list[str]) -> None:
    warnings = mail_warnings(load_settings({**env, "HIREWIRE_DATA_DIR": str(tmp_path)}))
    assert len(warnings) == len(said)
    assert all(warning.startswith(start) for warning, start in zip(warnings, said, strict=True))
