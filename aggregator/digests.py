"""When a digest is due: pure arithmetic on an alert's schedule, in the subscriber's time zone.

A daily digest is due once per local day at `send_hour`, a weekly one on Mondays at that hour.
The slot is computed as a wall-clock time in the alert's zone and only then converted to UTC, so
it stays at 08:00 local across DST changes. A slot that does not exist (the spring-forward gap)
is taken at the same wall time with the offset before the change (02:30 → 03:30); an ambiguous
one (the autumn repeat) at its first occurrence — once a day either way.

A digest is due when a slot has passed since the last one went out or, before the first, since
the alert was saved: a weekly alert saved on a Tuesday sends its first digest on Monday at its
hour, not at once.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["batch_key", "digest_due", "last_slot", "next_slot"]


def _zone(timezone: str) -> ZoneInfo:
    """The alert's zone; UTC for a name the system's time zone database no longer knows (alerts are
    checked when saved, but tzdata updates retire names), so the digest still goes out daily."""
    try:
        return ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _slot(day: datetime, send_hour: int, zone: ZoneInfo) -> datetime:
    return datetime.combine(day.date(), time(send_hour), tzinfo=zone).astimezone(UTC)


def last_slot(frequency: str, send_hour: int, timezone: str, now: datetime) -> datetime | None:
    """The latest scheduled digest time at or before `now` (UTC); None for instant alerts."""
    if frequency == "instant":
        return None
    zone = _zone(timezone)
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
    zone = _zone(timezone)
    step = timedelta(days=7 if frequency == "weekly" else 1)
    last = last_slot(frequency, send_hour, timezone, now)
    assert last is not None
    day = last.astimezone(zone)
    slot = last
    while slot <= now:
        day += step
        slot = _slot(day, send_hour, zone)
    return slot


def digest_due(frequency: str, send_hour: int, timezone: str, since: datetime, now: datetime) -> bool:
    """Whether an alert's digest should go out at `now`: a slot has passed since `since`, the time
    the last digest went out or, before the first one, the time the alert was saved."""
    slot = last_slot(frequency, send_hour, timezone, now)
    return slot is not None and since < slot


def batch_key(slot: datetime) -> str:
    """A digest's batch key: its slot, so one slot is one message with one Message-ID."""
    return "g" + slot.astimezone(UTC).strftime("%Y%m%dT%H%M")
