"""Retry-After in both forms, and which statuses are worth another try."""

from __future__ import annotations

from email.utils import formatdate

import pytest

from scrapers.retry import is_retry_status, parse_retry_after

NOW = 1_700_000_000.0


@pytest.mark.parametrize(("header", "seconds"), [
    ("120", 120.0),
    (" 0 ", 0.0),
    (formatdate(NOW + 90, usegmt=True), 90.0),
    (formatdate(NOW - 90, usegmt=True), 0.0),  # a date in the past: go now
    ("Sun, 06 Nov 1994 08:49:37 GMT", 0.0),
    ("-5", None),
    ("soon", None),
    ("", None),
    (None, None),
])
def test_retry_after(header: str | None, seconds: float | None) -> None:
    assert parse_retry_after(header, now=NOW) == seconds


@pytest.mark.parametrize(("status", "retry"), [(500, True), (502, True), (503, True), (504, True), (501, True),
                                               (429, True), (408, True), (400, False), (403, False),
                                               (404, False), (410, False), (200, False)])
def test_retry_statuses(status: int, retry: bool) -> None:
    assert is_retry_status(status) is retry
