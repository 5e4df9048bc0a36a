"""Structured logs: JSON lines, and no secrets in them."""

from __future__ import annotations

import json
import logging

import pytest
import structlog

from aggregator import logs


def test_json_logs_redact_secrets(capsys: pytest.CaptureFixture[str]) -> None:
    logs.configure("json")
    log = structlog.get_logger("hirewire.test")
    log.info("connecting", smtp_url="smtp://ada:hunter2@mail.example:587", api_key="k-123",
             webhook_secret="whsec_abc", target="redis://user:pa55@cache:6379/0", source="remotive")
    logging.getLogger("arq.worker").info("plain stdlib record with postgresql://svc:s3cret@db/hirewire")
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    event = next(line for line in lines if line["event"] == "connecting")
    assert event["smtp_url"] == event["api_key"] == event["webhook_secret"] == "[redacted]"
    assert event["target"] == "redis://user:[redacted]@cache:6379/0"
    assert event["source"] == "remotive" and event["level"] == "info" and event["timestamp"].endswith("Z")
    stdlib = next(line for line in lines if line["logger"] == "arq.worker")
    assert "s3cret" not in stdlib["event"] and "[redacted]" in stdlib["event"]


def test_json_logs_carry_the_traceback_with_its_secrets_masked(capsys: pytest.CaptureFixture[str]) -> None:
    """An error logged with its exception says what went wrong, from hirewire's loggers and arq's alike."""
    logs.configure("json")
    try:
        raise ConnectionError("cannot reach smtp://ada:hunter2@mail.example:587")
    except ConnectionError:
        structlog.get_logger("hirewire.notify").exception("unexpected delivery error", deliveries=[7])
        logging.getLogger("arq.worker").exception("job failed")
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    ours = next(line for line in lines if line["event"] == "unexpected delivery error")
    theirs = next(line for line in lines if line["event"] == "job failed")
    for line in (ours, theirs):
        assert line["exception"].startswith("Traceback (most recent call last):")
        assert line["exception"].rstrip().endswith(
            "ConnectionError: cannot reach smtp://ada:[redacted]@mail.example:587")
        assert "hunter2" not in json.dumps(line) and "exc_info" not in line
    assert ours["deliveries"] == [7] and ours["level"] == "error"
