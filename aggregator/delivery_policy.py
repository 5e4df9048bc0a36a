"""How hard hirewire tries to deliver: the retry schedule, leases, timeouts and per-destination limits.

A plain value object with production defaults; tests pass short delays. `aggregator.config` reads
the operator's overrides (the `[delivery]` table, `HIREWIRE_DELIVERY_*`, `HIREWIRE_WEBHOOK_*`) with
the other settings, so a bad one stops hirewire at start-up like any other setting.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

__all__ = ["DEFAULT_SCHEDULE", "DeliveryPolicy"]

#: The Standard Webhooks example schedule: seconds, minutes, hours, up to a day (about 3.5 days in all).
DEFAULT_SCHEDULE = (5.0, 300.0, 1800.0, 7200.0, 18000.0, 36000.0, 50400.0, 72000.0, 86400.0)


@dataclass(frozen=True, slots=True)
class DeliveryPolicy:
    #: Delay before retry n (after attempt n failed); its length is the retry budget.
    schedule: tuple[float, ...] = DEFAULT_SCHEDULE
    #: Fraction of each delay added at random, so a destination that was down is not hit by a herd.
    jitter: float = 0.1
    #: How long a claimed ('sending') delivery stays claimed; a worker dead longer than this is retried.
    #: Must exceed the longest send (timeouts below), or a slow live send could be claimed twice.
    lease: float = 300.0
    webhook_timeout: float = 10.0
    webhook_connect_timeout: float = 5.0
    smtp_timeout: float = 30.0
    #: SMTP connections a worker may hold open to the relay: concurrent sends use one each.
    smtp_connections: int = 4
    #: Bytes of a webhook response kept (for last_error); the rest is never read.
    max_response_bytes: int = 4096
    max_redirects: int = 3
    #: A Retry-After longer than this is cut to it.
    max_retry_after: float = 86400.0
    #: Per destination host, across all workers (Redis): requests per second, burst, in flight.
    destination_rate: float = 10.0
    destination_burst: int = 10
    destination_concurrency: int = 4

    @property
    def max_attempts(self) -> int:
        return len(self.schedule) + 1

    def delay(self, attempts: int, retry_after: float | None = None) -> float | None:
        """Seconds until the next attempt after `attempts` failed ones; None when the budget is spent."""
        if attempts > len(self.schedule):
            return None
        base = self.schedule[attempts - 1]
        base += base * self.jitter * random.random()
        if retry_after is not None:
            base = max(base, min(retry_after, self.max_retry_after))
        return base
