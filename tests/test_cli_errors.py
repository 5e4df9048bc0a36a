"""The command line's refusals: one line on stderr and a non-zero exit status, never a traceback.

Servers that cannot be reached are one `hirewire: …` line with exit 2, like a bad setting.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from aggregator import runtime
from tests.conftest import write_config


def hw(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "aggregator", *args], env=env, capture_output=True, text=True,
                          timeout=120)


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
