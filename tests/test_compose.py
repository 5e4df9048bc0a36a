"""docker-compose.yml: the services, their commands, dependencies and environment are consistent.

Docker can't run here, so the file is checked as data.
"""

from __future__ import annotations

from typing import Any

import yaml

from aggregator.cli import build_parser
from aggregator.config import load_settings
from tests.conftest import ROOT


def _compose() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return document


def test_services_present_with_health_checks() -> None:
    services = _compose()["services"]
    assert set(services) == {"postgres", "redis", "migrate", "scheduler", "worker", "api", "mailpit"}
    for name in ("postgres", "redis", "api"):
        assert "healthcheck" in services[name], name


def test_roles_run_real_hirewire_commands() -> None:
    services = _compose()["services"]
    known = set(build_parser()._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    for name, role in (("migrate", "migrate"), ("scheduler", "scheduler"), ("worker", "worker"), ("api", "api")):
        command = services[name]["command"]
        assert command[:2] == ["hirewire", role]
        assert role in known
    # The worker must be scalable: no fixed container name or host port.
    assert "container_name" not in services["worker"] and "ports" not in services["worker"]


def test_dependencies_wait_for_healthy_servers_and_migration() -> None:
    services = _compose()["services"]
    for name in ("scheduler", "worker", "api"):
        depends = services[name]["depends_on"]
        assert depends["postgres"]["condition"] == "service_healthy"
        assert depends["redis"]["condition"] == "service_healthy"
        assert depends["migrate"]["condition"] == "service_completed_successfully"
    assert "migrate" not in services["migrate"]["depends_on"]


def test_environment_is_valid_hirewire_configuration() -> None:
    services = _compose()["services"]
    for name in ("migrate", "scheduler", "worker", "api"):
        env = {k: str(v) for k, v in services[name]["environment"].items()}
        assert env["HIREWIRE_DATABASE_URL"].split("@")[1].startswith("postgres:5432/")
        assert env["HIREWIRE_REDIS_URL"].startswith("redis://redis:6379")
        assert env["HIREWIRE_SMTP_URL"] == "smtp://mailpit:1025"
        concrete = {k: v for k, v in env.items() if "${" not in v and k != "HIREWIRE_CONFIG"}
        settings = load_settings(concrete)
        assert settings.database_url and settings.redis_url and settings.smtp_url
    pg = services["postgres"]["environment"]
    url = services["worker"]["environment"]["HIREWIRE_DATABASE_URL"]
    assert url == f"postgresql://{pg['POSTGRES_USER']}:{pg['POSTGRES_PASSWORD']}@postgres:5432/{pg['POSTGRES_DB']}"
