"""Salary wording shared by emails, digests and the command line."""

from __future__ import annotations

import pytest

from aggregator.display import salary_text


@pytest.mark.parametrize(("low", "high", "currency", "period", "text"), [
    (120_000, 150_000, "EUR", "year", "EUR 120,000–150,000/yr"),
    (95, 95, "USD", "hour", "USD 95/hr"),  # one stated figure, not "95–95"
    (60_000, None, "GBP", "year", "from GBP 60,000/yr"),
    (None, 150_000, "USD", "year", "up to USD 150,000/yr"),
    (5_000, 6_000, None, "month", "5,000–6,000/mo"),  # the currency unknown: left out, not guessed
    (400, 500, "CHF", None, "CHF 400–500"),
    (None, None, "USD", "year", None),
])
def test_salary_text(low: float | None, high: float | None, currency: str | None, period: str | None,
                     text: str | None) -> None:
    assert salary_text(low, high, currency, period) == text
