"""When a digest is due: pure arithmetic on an alert's schedule, in the subscriber's time zone.

A daily digest is due once per local day at `send_hour`, a weekly one on Mondays at that hour.
The slot is computed as a wall-clock time in the alert's zone and only then converted to UTC, so
it stays at 08:00 local across DST changes. A slot that does not exist (the spring-forward gap)
is taken at the same wall time with the offset before the change (02:30 → 03:30); an ambiguous
one (the autumn repeat) at its first occurrence — once a day either way.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

__all__ = ["digest_due", "last_slot", "next_slot"]


def _slot(day: datetime, send_hour: int, zone: ZoneInfo) -> datetime:
    return datetime.combine(day.date(), time(send_hour), tzinfo=zone).astimezone(UTC)


def last_slot(frequency: str, send_hour: int, timezone: str, now: datetime) -> datetime | None:
    """The latest scheduled digest time at or before `now` (UTC); None for instant alerts."""
    if frequency == "instant":
        return None
    zone = ZoneInfo(timezone)
    local = now.astimezone(zone)
    day = local
    if frequency == "weekly":
        day = local - timedelta(days=local.weekday())  # Monday of this week
    step = timedelta(days=7 if frequency == "weekly" else 1)
    slot = _slot(day, send_hour, zone)
    while slot > now:
        day -= step
        slot = _slot(day, send_hour, zone)
    return slot


def next_slot(frequency: str, send_hour: int, timezone: str, now: datetime) -> datetime | None:
    """The first scheduled digest time strictly after `now` (UTC); None for instant alerts."""
    if frequency == "instant":
        return None
    zone = ZoneInfo(timezone)
    step = timedelta(days=7 if frequency == "weekly" else 1)
    last = last_slot(frequency, send_hour, timezone, now)
    assert last is not None
    day = last.astimezone(zone)
    slot = last
    while slot <= now:
        day += step
        slot = _slot(day, send_hour, zone)
    return slot


def digest_due(frequency: str, send_hour: int, timezone: str, last_digest_at: datetime | None,
               now: datetime) -> bool:
    """Whether an alert's digest should go out at `now`: a slot has passed since the last one was sent."""
    slot = last_slot(frequency, send_hour, timezone, now)
    if slot is None:
        return False
    return last_digest_at is None or last_digest_at < slot
