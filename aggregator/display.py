"""How listing values read to people: the one wording the emails, the digest pages and the command
line share, so a salary reads the same in a subscriber's inbox and in an operator's terminal."""

from __future__ import annotations

__all__ = ["salary_text"]

_PERIOD = {"year": "yr", "month": "mo", "week": "wk", "day": "day", "hour": "hr"}


def salary_text(low: float | None, high: float | None, currency: str | None, period: str | None) -> str | None:
    """"EUR 120,000–150,000/yr", "USD 95/hr", "from GBP 60,000/yr", "up to USD 150,000/yr"; None
    when no figure is stated. The currency is left out when the listing does not state it."""
    if low is None and high is None:
        return None
    if low is not None and high is not None:
        figures = f"{low:,.0f}" if low == high else f"{low:,.0f}–{high:,.0f}"
        lead = ""
    elif low is not None:
        figures, lead = f"{low:,.0f}", "from "
    else:
        figures, lead = f"{high:,.0f}", "up to "
    unit = _PERIOD.get(period or "")
    return lead + " ".join(filter(None, (currency, figures))) + (f"/{unit}" if unit else "")
