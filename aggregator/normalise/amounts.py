"""Money amounts in free text: "$120k", "120.000 €", "CHF 140'000", "₹18 LPA", "€31,2k".

Only the lexical layer: find each amount with its currency marks and read its number under
both thousands conventions. Whether an amount is a salary is decided in `salary`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["AMOUNT", "Amount", "amounts", "read_number"]

_CODE_WORDS = "usd|eur|gbp|chf|cad|aud|inr"

#: One amount: optional prefix currency, the number, an optional multiplier, optional suffix currency.
AMOUNT = re.compile(
    r"""
    (?P<pre>(?<![A-Za-z])(?:USD|US|CAD|CA|AUD|AU|NZ|SGD|HK|MX|[CASR])?\$
        | [€£¥₹₩₽₺₪₱₦₴]
        | (?<![A-Za-z])(?:Rs\.?|Fr\.|[A-Z]{3}|(?i:"""
    + _CODE_WORDS
    + r"""))(?=\s?\d)
    )?
    \s?
    (?P<num>\d{1,3}(?P<sep>[,.' ])\d{3}(?:(?P=sep)\d{3})*(?:[.,]\d{1,2})?(?![\d])
        | \d+(?:[.,]\d+)?)
    (?:\s?(?P<mult>(?i:k|thousand|lpa|lakhs?|lacs?|mm|m|millions?|bn|b|billions?))(?![A-Za-z]))?
    (?P<post>\s?(?:[€£$₹]|(?i:zł|kr|kč)(?![a-z])|(?<![A-Za-z])[A-Z]{3}(?![A-Za-z])
        |(?i:"""
    + _CODE_WORDS
    + r""")(?![a-z])))?
    """,
    re.VERBOSE,
)

_MULTIPLIERS: dict[str, float] = {"k": 1e3, "thousand": 1e3, "lpa": 1e5, "lakh": 1e5, "lakhs": 1e5,
                                  "lac": 1e5, "lacs": 1e5}
# Amounts in millions are funding rounds, revenue or valuations in job ads, never pay.
_LARGE = frozenset({"m", "mm", "million", "millions", "b", "bn", "billion", "billions"})


@dataclass(frozen=True, slots=True)
class Amount:
    """One amount as written: its number, multiplier, currency marks and where it sits in the text."""

    number: float
    multiplier: float | None
    mult_word: str | None
    pre: str | None
    post: str | None
    start: int
    end: int

    @property
    def value(self) -> float:
        return self.number * (self.multiplier or 1.0)

    @property
    def large(self) -> bool:
        return self.mult_word in _LARGE


def read_number(digits: str, sep: str | None) -> float:
    """The number in `digits`; `sep` is the thousands separator when the text has one."""
    if sep:
        digits = digits.replace(sep, "")
    return float(digits.replace(",", "."))


def amounts(text: str) -> list[Amount]:
    """Every amount in `text`, left to right."""
    found: list[Amount] = []
    for match in AMOUNT.finditer(text):
        mult_word = (match["mult"] or "").lower() or None
        found.append(
            Amount(
                number=read_number(match["num"], match["sep"]),
                multiplier=_MULTIPLIERS.get(mult_word or ""),
                mult_word=mult_word,
                pre=(match["pre"] or "").strip() or None,
                post=(match["post"] or "").strip() or None,
                start=match.start(),
                end=match.end(),
            )
        )
    return found
