"""Digest schedules in the subscriber's time zone, across DST changes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from aggregator.digests import digest_due, last_slot, next_slot


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(("frequency", "hour", "zone", "last", "now", "due"), [
    ("instant", 8, "UTC", None, utc(2025, 3, 3, 9), False),
    ("daily", 8, "Europe/Berlin", None, utc(2025, 1, 15, 7, 0), True),             # 08:00 CET passed
    ("daily", 8, "Europe/Berlin", utc(2025, 1, 15, 7, 0), utc(2025, 1, 15, 20), False),  # already sent today
    ("daily", 8, "Europe/Berlin", utc(2025, 1, 15, 7, 0), utc(2025, 1, 16, 6, 59), False),
    ("daily", 8, "Europe/Berlin", utc(2025, 1, 15, 7, 0), utc(2025, 1, 16, 7, 0), True),
    # Summer time: 08:00 CEST is 06:00 UTC.
    ("daily", 8, "Europe/Berlin", utc(2025, 7, 1, 6, 0), utc(2025, 7, 2, 5, 59), False),
    ("daily", 8, "Europe/Berlin", utc(2025, 7, 1, 6, 0), utc(2025, 7, 2, 6, 0), True),
    # The day DST starts in New York (9 March 2025): 08:00 EDT is 12:00 UTC, not 13:00.
    ("daily", 8, "America/New_York", utc(2025, 3, 8, 13, 0), utc(2025, 3, 9, 12, 0), True),
    ("weekly", 8, "UTC", None, utc(2025, 3, 5, 12), True),                          # Monday 3 March passed
    ("weekly", 8, "UTC", utc(2025, 3, 3, 8), utc(2025, 3, 9, 23), False),           # until next Monday
    ("weekly", 8, "UTC", utc(2025, 3, 3, 8), utc(2025, 3, 10, 8), True),
    # Monday 08:00 in Tokyo is Sunday 23:00 UTC.
    ("weekly", 8, "Asia/Tokyo", utc(2025, 3, 2, 23), utc(2025, 3, 9, 23, 0), True),
    ("weekly", 8, "Asia/Tokyo", utc(2025, 3, 2, 23), utc(2025, 3, 9, 22, 59), False),
])
def test_digest_due(frequency: str, hour: int, zone: str, last: datetime | None, now: datetime, due: bool) -> None:
    assert digest_due(frequency, hour, zone, last, now) is due


def test_slot_in_spring_forward_gap_happens_once() -> None:
    # 02:00 does not exist in Berlin on 30 March 2025; the slot falls at 01:00 UTC (03:00 CEST).
    assert last_slot("daily", 2, "Europe/Berlin", utc(2025, 3, 30, 12)) == utc(2025, 3, 30, 1, 0)


def test_ambiguous_autumn_hour_is_the_first() -> None:
    # 02:00 happens twice in Berlin on 26 October 2025; the digest goes at the first (00:00 UTC).
    assert last_slot("daily", 2, "Europe/Berlin", utc(2025, 10, 26, 12)) == utc(2025, 10, 26, 0, 0)


def test_next_slot_across_dst_end() -> None:
    assert next_slot("daily", 8, "Europe/Berlin", utc(2025, 10, 25, 7)) == utc(2025, 10, 26, 7)
