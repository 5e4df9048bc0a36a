"""Digest schedules in the subscriber's time zone, across DST changes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from aggregator.digests import batch_key, digest_due, last_slot, next_slot


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


#: An alert saved long before the cases below: its first digest is due at the first slot.
SAVED = utc(2024, 12, 1)


@pytest.mark.parametrize(("frequency", "hour", "zone", "since", "now", "due"), [
    ("instant", 8, "UTC", SAVED, utc(2025, 3, 3, 9), False),
    ("daily", 8, "Europe/Berlin", SAVED, utc(2025, 1, 15, 7, 0), True),             # 08:00 CET passed
    ("daily", 8, "Europe/Berlin", utc(2025, 1, 15, 7, 0), utc(2025, 1, 15, 20), False),  # already sent today
    ("daily", 8, "Europe/Berlin", utc(2025, 1, 15, 7, 0), utc(2025, 1, 16, 6, 59), False),
    ("daily", 8, "Europe/Berlin", utc(2025, 1, 15, 7, 0), utc(2025, 1, 16, 7, 0), True),
    # Summer time: 08:00 CEST is 06:00 UTC.
    ("daily", 8, "Europe/Berlin", utc(2025, 7, 1, 6, 0), utc(2025, 7, 2, 5, 59), False),
    ("daily", 8, "Europe/Berlin", utc(2025, 7, 1, 6, 0), utc(2025, 7, 2, 6, 0), True),
    # The day DST starts in New York (9 March 2025): 08:00 EDT is 12:00 UTC, not 13:00.
    ("daily", 8, "America/New_York", utc(2025, 3, 8, 13, 0), utc(2025, 3, 9, 12, 0), True),
    ("weekly", 8, "UTC", SAVED, utc(2025, 3, 5, 12), True),                          # Monday 3 March passed
    ("weekly", 8, "UTC", utc(2025, 3, 3, 8), utc(2025, 3, 9, 23), False),           # until next Monday
    ("weekly", 8, "UTC", utc(2025, 3, 3, 8), utc(2025, 3, 10, 8), True),
    # Monday 08:00 in Tokyo is Sunday 23:00 UTC.
    ("weekly", 8, "Asia/Tokyo", utc(2025, 3, 2, 23), utc(2025, 3, 9, 23, 0), True),
    ("weekly", 8, "Asia/Tokyo", utc(2025, 3, 2, 23), utc(2025, 3, 9, 22, 59), False),
])
def test_digest_due(frequency: str, hour: int, zone: str, since: datetime, now: datetime, due: bool) -> None:
    assert digest_due(frequency, hour, zone, since, now) is due


def test_first_weekly_digest_waits_for_monday_at_its_hour() -> None:
    # Saved on Tuesday 24 November 2026 at 04:41 UTC, weekly at 09:00 in New York (EST, UTC-5).
    saved = utc(2026, 11, 24, 4, 41)
    for now in (saved, utc(2026, 11, 24, 14, 0), utc(2026, 11, 30, 13, 59)):
        assert not digest_due("weekly", 9, "America/New_York", saved, now), now
    assert digest_due("weekly", 9, "America/New_York", saved, utc(2026, 11, 30, 14, 0))


def test_first_daily_digest_waits_for_the_next_slot() -> None:
    # Saved at 05:34 in Berlin (04:34 UTC), daily at 09:00 Berlin: not before 08:00 UTC that day.
    saved = utc(2026, 11, 24, 4, 34)
    assert not digest_due("daily", 9, "Europe/Berlin", saved, utc(2026, 11, 24, 7, 59))
    assert digest_due("daily", 9, "Europe/Berlin", saved, utc(2026, 11, 24, 8, 0))
    # Saved just after today's slot: tomorrow's.
    late = utc(2026, 11, 24, 8, 1)
    assert not digest_due("daily", 9, "Europe/Berlin", late, utc(2026, 11, 25, 7, 59))
    assert digest_due("daily", 9, "Europe/Berlin", late, utc(2026, 11, 25, 8, 0))


def test_unknown_zone_falls_back_to_utc() -> None:
    assert last_slot("daily", 8, "Mars/Olympus_Mons", utc(2026, 11, 24, 12)) == utc(2026, 11, 24, 8)


def test_batch_key_names_the_slot_in_utc() -> None:
    assert batch_key(last_slot("weekly", 8, "Asia/Tokyo", utc(2025, 3, 9, 23, 30))) == "g20250309T2300"


def test_slot_in_spring_forward_gap_happens_once() -> None:
    # 02:00 does not exist in Berlin on 30 March 2025; the slot falls at 01:00 UTC (03:00 CEST).
    assert last_slot("daily", 2, "Europe/Berlin", utc(2025, 3, 30, 12)) == utc(2025, 3, 30, 1, 0)


def test_ambiguous_autumn_hour_is_the_first() -> None:
    # 02:00 happens twice in Berlin on 26 October 2025; the digest goes at the first (00:00 UTC).
    assert last_slot("daily", 2, "Europe/Berlin", utc(2025, 10, 26, 12)) == utc(2025, 10, 26, 0, 0)


def test_next_slot_across_dst_end() -> None:
    assert next_slot("daily", 8, "Europe/Berlin", utc(2025, 10, 25, 7)) == utc(2025, 10, 26, 7)
