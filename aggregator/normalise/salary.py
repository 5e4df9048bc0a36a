"""Salary from structured fields or free text. (Minimal first version; see tests for the contract.)"""

from __future__ import annotations

import re
from dataclasses import dataclass

from aggregator.model import ANNUAL_FACTOR


@dataclass(frozen=True, slots=True)
class Salary:
    min: float | None
    max: float | None
    currency: str | None
    period: str

    @property
    def annual_min(self) -> float | None:
        return None if self.min is None else self.min * ANNUAL_FACTOR[self.period]

    @property
    def annual_max(self) -> float | None:
        return None if self.max is None else self.max * ANNUAL_FACTOR[self.period]


_PERIODS = {"year": "year", "yearly": "year", "annual": "year", "annually": "year", "month": "month",
            "monthly": "month", "week": "week", "weekly": "week", "day": "day", "daily": "day",
            "hour": "hour", "hourly": "hour"}


def period_name(value: str | None) -> str | None:
    if not value:
        return None
    return _PERIODS.get(value.strip().lower().replace("per ", "").replace("_", ""))


def from_structured(low: float | str | None, high: float | str | None, currency: str | None,
                    period: str | None) -> Salary | None:
    def num(v: float | str | None) -> float | None:
        try:
            n = float(v) if v not in (None, "") else None  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return None
        return n if n and n > 0 else None

    lo, hi = num(low), num(high)
    if lo is None and hi is None:
        return None
    if lo is not None and hi is not None and lo > hi:
        lo, hi = hi, lo
    return Salary(lo, hi, (currency or "").strip().upper() or None, period_name(period) or "year")


_RANGE = re.compile(r"([$€£])\s?(\d[\d,.]*)\s*([kK])?(?:\s*[-–to]+\s*[$€£]?\s?(\d[\d,.]*)\s*([kK])?)?")
_SYMBOL = {"$": "USD", "€": "EUR", "£": "GBP"}


def parse_salary(text: str, default_currency: str | None = None) -> Salary | None:
    match = _RANGE.search(text)
    if not match:
        return None

    def val(digits: str | None, k: str | None) -> float | None:
        if not digits:
            return None
        n = float(digits.replace(",", ""))
        return n * 1000 if k else n

    lo, hi = val(match.group(2), match.group(3)), val(match.group(4), match.group(5) or match.group(3))
    return from_structured(lo, hi, _SYMBOL.get(match.group(1), default_currency), "year")
