"""When a digest is due: the latest daily or weekly (Monday) slot at the alert's hour in its time zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["batch_key", "current_slot", "is_due"]


def current_slot(now: datetime, frequency: str, send_hour: int, timezone: str) -> datetime:
    """The most recent scheduled send time not after `now` (UTC)."""
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    local = now.astimezone(zone)
    slot = local.replace(hour=send_hour, minute=0, second=0, microsecond=0)
    if slot > local:
        slot -= timedelta(days=1)
    if frequency == "weekly":
        slot -= timedelta(days=slot.weekday())
    return slot.astimezone(UTC)


def is_due(now: datetime, frequency: str, send_hour: int, timezone: str, last_digest_at: datetime | None) -> bool:
    return last_digest_at is None or last_digest_at < current_slot(now, frequency, send_hour, timezone)


def batch_key(slot: datetime) -> str:
    """A digest's batch key: its slot, so one slot is one message with one Message-ID."""
    return "g" + slot.astimezone(UTC).strftime("%Y%m%dT%H%M")
