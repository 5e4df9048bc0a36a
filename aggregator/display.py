"""How listing values read to people: the one wording the emails, the digest pages and the command
line share, so a salary reads the same in a subscriber's inbox and in an operator's terminal."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["alert_wants", "salary_text"]

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


def alert_wants(filters: Mapping[str, Any]) -> str:
    """What an alert asks for, in a few words ('"fastapi", remote, senior, in DE or AT, with Django,
    ≥ 140,000 USD/year'), for the demo's summary and the subscriber's page of alerts."""
    parts = [f'"{filters["query"]}"'] if filters.get("query") else []
    parts += [*filters.get("remote", []), *filters.get("seniority", [])]
    if filters.get("countries"):
        parts.append("in " + " or ".join(filters["countries"]))
    skills = filters.get("skills") or {}
    parts += [f"with {s}" for s in skills.get("all", [])]
    if skills.get("any"):
        parts.append("with " + " or ".join(skills["any"]))
    salary = filters.get("min_salary")
    if salary:
        parts.append(f"≥ {salary['amount']:,.0f} {salary['currency']}/{salary['period']}")
    return ", ".join(parts) or "any job"
