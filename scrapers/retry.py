"""When to try a request again, and how long to wait first.

Retry-After wins over our own backoff because the server knows its load better than we do; it is
honoured exactly up to a cap, and past the cap the fetch gives up so the source's schedule (not a
worker blocked for an hour) carries the wait. Otherwise: exponential backoff with jitter (half to all
of each step), so workers that failed together do not come back together.
"""

from __future__ import annotations

import random
import time
from email.utils import parsedate_to_datetime

from tenacity import RetryCallState
from tenacity.wait import wait_base

from aggregator.errors import FetchError, TransientFetchError

__all__ = ["RetryAfterWait", "is_retry_status", "is_retryable", "parse_retry_after", "retry_after_within"]


def is_retry_status(status: int) -> bool:
    """Worth another try: the server is overloaded or broken right now (5xx, 429, 408), not refusing us."""
    return status >= 500 or status in (408, 425, 429)


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date; None if absent or bad."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # HTTP dates are GMT; a naive result means the zone was missing or "-0000"
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def is_retryable(exc: BaseException) -> bool:
    """Only transient fetch errors are retried; `retry_after_within` decides the Retry-After case."""
    return isinstance(exc, TransientFetchError)


class _RetryAfterWithin:
    def __init__(self, cap: float) -> None:
        self.cap = cap

    def __call__(self, state: RetryCallState) -> bool:
        exc = state.outcome.exception() if state.outcome is not None else None
        if exc is None or not is_retryable(exc):
            return False
        retry_after = exc.retry_after if isinstance(exc, FetchError) else None
        return retry_after is None or retry_after <= self.cap


def retry_after_within(cap: float) -> _RetryAfterWithin:
    """A tenacity retry predicate: transient, and any Retry-After no longer than `cap`."""
    return _RetryAfterWithin(cap)


class RetryAfterWait(wait_base):
    """Wait what the server asked (Retry-After), else `base * 2**n` with jitter, capped."""

    def __init__(self, base: float, cap: float, rng: random.Random | None = None) -> None:
        self.base = base
        self.cap = cap
        self.rng = rng or random.Random()

    def __call__(self, retry_state: RetryCallState) -> float:
        exc = retry_state.outcome.exception() if retry_state.outcome is not None else None
        if isinstance(exc, FetchError) and exc.retry_after is not None:
            return min(exc.retry_after, self.cap)
        ceiling = min(self.cap, self.base * 2 ** (retry_state.attempt_number - 1))
        return self.rng.uniform(ceiling / 2, ceiling)
