"""The embedded default: `hirewire run` with no URLs starts private servers and stops them on exit."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from aggregator.embedded import free_port
from tests.conftest import write_config


def _wait_healthy(url: str, process: subprocess.Popen[bytes], timeout: float = 120) -> dict[str, object]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"hirewire run exited early: {process.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                body: dict[str, object] = json.loads(response.read())
                return body
        except OSError:
            time.sleep(0.5)
    raise AssertionError("hirewire run did not become healthy")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.slow
@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_run_starts_and_stops_private_servers(tmp_path: Path, stop_signal: signal.Signals) -> None:
    # Outside pytest's own temporary tree, whose top folder pytest keeps private (0700) on every
    # session start: the embedded PostgreSQL runs as an unprivileged user when started by root.
    data = Path(tempfile.mkdtemp(prefix="hirewire-embedded-")) / "data"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("HIREWIRE_")}
    env.update({"HIREWIRE_DATA_DIR": str(data), "HIREWIRE_API_PORT": str(port), "HIREWIRE_LOG_FORMAT": "json",
                "HIREWIRE_CONFIG": str(write_config(tmp_path / "c.toml"))})
    process = subprocess.Popen([sys.executable, "-m", "aggregator", "run"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        health = _wait_healthy(f"http://127.0.0.1:{port}/healthz", process)
        assert health["checks"]["postgres"] == "ok" and health["checks"]["redis"] == "ok"
        redis_state = json.loads((data / "redis" / "state.json").read_text())
        assert _pid_alive(redis_state["pid"])
        postmaster = (data / "postgres" / "postmaster.pid").read_text().split()
        pg_pid = int(postmaster[0])
        assert _pid_alive(pg_pid)

        # Another command with the same data directory uses the same servers (and leaves them running).
        other = subprocess.run([sys.executable, "-m", "aggregator", "sources"], env=env, capture_output=True,
                               text=True, timeout=120)
        assert other.returncode == 0, other.stderr
        assert "remotive" in other.stdout
        assert json.loads((data / "redis" / "state.json").read_text())["pid"] == redis_state["pid"]
        assert _pid_alive(redis_state["pid"]) and _pid_alive(pg_pid)

        process.send_signal(stop_signal)
        assert process.wait(timeout=60) == 0
    finally:
        if process.poll() is None:
            process.kill()
    deadline = time.monotonic() + 15
    while (_pid_alive(redis_state["pid"]) or _pid_alive(pg_pid)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _pid_alive(redis_state["pid"]), "embedded Redis still running"
    assert not _pid_alive(pg_pid), "embedded PostgreSQL still running"
    shutil.rmtree(data.parent, ignore_errors=True)


def test_with_urls_set_nothing_is_started(tmp_path: Path, database_url: str, redis_url: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HIREWIRE_")}
    env.update({"HIREWIRE_DATA_DIR": str(tmp_path / "data"), "HIREWIRE_DATABASE_URL": database_url,
                "HIREWIRE_REDIS_URL": redis_url, "HIREWIRE_CONFIG": str(write_config(tmp_path / "c.toml"))})
    result = subprocess.run([sys.executable, "-m", "aggregator", "sources"], env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "data" / "postgres").exists()
    assert not (tmp_path / "data" / "redis").exists()
