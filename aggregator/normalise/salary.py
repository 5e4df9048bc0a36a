"""Salary from structured fields or free text, in the stated currency and period.

A figure becomes a salary only when something says it is money: a currency mark next to it, a
pay period after it ("/hr", "per annum"), a pay word before it ("Salary:", "OTE"), or a "k" with
nothing else after it. Years of experience, headcounts, dates, "401k", percentages and funding
rounds ("$20M Series B") are never read as pay. When the period is not stated, a figure of at
least 10,000 is taken as yearly; a smaller one is left unknown, since it could be monthly, daily
or hourly. Every result passes a plausibility check (e.g. 1,000–10,000,000 a year, 1–5,000 an
hour, in US dollars where the rate is known), so garbage is None rather than a wrong number.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from aggregator.model import ANNUAL_FACTOR
from aggregator.normalise.amounts import AMOUNT, Amount, amounts, read_number
from aggregator.normalise.currency import ISO_CODES, currency_code, to_usd

__all__ = ["Salary", "from_structured", "parse_salary", "period_name"]


@dataclass(frozen=True, slots=True)
class Salary:
    """Pay as stated: min ≤ max (either may be None, not both), ISO 4217 currency, a period."""

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


_PERIOD_WORDS: dict[str, str] = {
    "year": "year", "years": "year", "yearly": "year", "annual": "year", "annually": "year",
    "annum": "year", "yr": "year", "y": "year", "month": "month", "months": "month",
    "monthly": "month", "mo": "month", "mth": "month", "week": "week", "weeks": "week",
    "weekly": "week", "wk": "week", "day": "day", "days": "day", "daily": "day", "hour": "hour",
    "hours": "hour", "hourly": "hour", "hr": "hour", "h": "hour",
}
_WORDS = re.compile(r"[a-z]+")

#: Plausible pay per period, in US dollars (or in the stated units when the rate is unknown).
_BOUNDS: dict[str, tuple[float, float]] = {
    "year": (1_000, 10_000_000), "month": (100, 1_000_000), "week": (25, 250_000),
    "day": (5, 50_000), "hour": (1, 5_000),
}
#: Below this, a figure with no stated period could be any period, so it stays unknown.
_YEARLY_FLOOR = 10_000
_DOLLAR_CURRENCIES = frozenset({"USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN", "TWD"})
_KRONA_CURRENCIES = frozenset({"SEK", "NOK", "DKK", "ISK"})
_MAX_TEXT = 10_000


def period_name(value: str | None) -> str | None:
    """The period of a source's vocabulary ("per-year-salary", "1 YEAR", "HOUR", "monthly")."""
    if not value:
        return None
    for word in _WORDS.findall(value.lower()):
        if word in _PERIOD_WORDS:
            return _PERIOD_WORDS[word]
    return None


def from_structured(low: float | str | None, high: float | str | None, currency: str | None,
                    period: str | None) -> Salary | None:
    """A salary from a source's own fields; zeros and blanks are "not stated"."""
    lo, hi = _structured_number(low), _structured_number(high)
    if lo is None and hi is None:
        return None
    stated = period_name(period)
    if period and period.strip() and stated is None:
        return None  # "one-time", "commission": not a periodic salary
    code = currency_code(currency) if isinstance(currency, str) else None
    return _checked(lo, hi, code, stated)


def parse_salary(text: str, default_currency: str | None = None) -> Salary | None:
    """The first salary stated in `text`, or None; `default_currency` applies when none is written."""
    if not isinstance(text, str) or not text:
        return None
    default = currency_code(default_currency) if isinstance(default_currency, str) else None
    clean = _clean(text[:_MAX_TEXT])
    found = [a for a in amounts(clean) if not a.large]
    i = 0
    while i < len(found):
        first = found[i]
        second = found[i + 1] if i + 1 < len(found) and _joined(clean, first, found[i + 1]) else None
        salary = _candidate(clean, first, second, default)
        if salary is not None:
            return salary
        i += 2 if second is not None else 1
    return None


# -- free text ---------------------------------------------------------------------------------

_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_ODD_SPACES = re.compile(r"[\u00a0\u2007\u2009\u202f]")
# Numbers that look like pay but are not: retirement plans, percentages (equity), 24/7.
_NOISE = re.compile(r"\b40[13]\s?\(?[kb]\)?|\d+(?:[.,]\d+)?\s?%|\b24/7\b", re.IGNORECASE)
_JOIN = re.compile(r"\s*(?:-|to|till|until|through|bis|à|~|and)\s*", re.IGNORECASE)
_BETWEEN = re.compile(r"between\s*$", re.IGNORECASE)
_UNIT = (r"(?P<unit>year|yr|y|annum|an|jahr|month|mo|mth|monat|mois|mês|mes|mån|mies|week|wk|w|woche|semaine"
         r"|day|d|tag|jour|hour|hr|h|stunde|std|heure)s?(?![a-z])")
_BARE = (r"(?P<bare>yearly|annually|annual|p\.?\s?a\.?(?![a-z])|pa(?![a-z])|lpa|jährlich|hourly"
         r"|monthly|pcm|monatlich|miesięcznie|weekly|daily|ph(?![a-z]))")
_PERIOD_AFTER = re.compile(
    r"^[\s(),+]*(?:(?:gross|brutto|netto|net|base|salary|total|ote|before\s+tax|"
    r"usd|eur|gbp|chf|cad|aud|inr|pln|sek)\b[\s(),]*)*"
    r"(?:(?:/|per\b|an?\b|each\b|every\b|pro\b|par\b|im\b|p/)\s*" + _UNIT + "|" + _BARE + ")",
    re.IGNORECASE,
)
_PERIOD_BEFORE = re.compile(
    r"(?P<word>hourly|per\s+hour|hour(?:ly)?\s+rate|annual(?:ly)?|yearly|per\s+annum|per\s+year"
    r"|monthly|per\s+month|weekly|per\s+week|daily|day\s+rate|per\s+day)\b[^$€£\d]{0,20}$",
    re.IGNORECASE,
)
_BARE_PERIODS: dict[str, str] = {
    "yearly": "year", "annually": "year", "annual": "year", "pa": "year", "lpa": "year",
    "jährlich": "year", "hourly": "hour", "ph": "hour", "monthly": "month", "pcm": "month",
    "monatlich": "month", "miesięcznie": "month", "weekly": "week", "daily": "day",
}
_UNITS: dict[str, str] = {
    "year": "year", "yr": "year", "y": "year", "annum": "year", "an": "year", "jahr": "year",
    "month": "month", "mo": "month", "mth": "month", "monat": "month", "mois": "month",
    "mês": "month", "mes": "month", "mån": "month",
    "mies": "month",
    "week": "week", "wk": "week", "w": "week", "woche": "week", "semaine": "week", "day": "day",
    "d": "day", "tag": "day", "jour": "day", "hour": "hour", "hr": "hour", "h": "hour",
    "stunde": "hour", "std": "hour", "heure": "hour",
}
_CUE = re.compile(
    r"\b(?:salary|salaries|pay|paid|compensation|comp|base|wages?|rate|ote|income|stipend|gehalt"
    r"|salaire|budget)\b[^.;|\n]{0,25}$",
    re.IGNORECASE,
)
_UP_TO = re.compile(
    r"(?:up\s*to|max(?:imum)?\.?|at\s+most|under|below|less\s+than|bis\s+zu|jusqu'?à)\s*:?\s*$",
    re.IGNORECASE,
)
_FROM = re.compile(
    r"(?:\bfrom|starting\s+(?:at|from)|starts?\s+at|min(?:imum)?\.?|at\s+least|over|more\s+than"
    r"|\bab|à\s+partir\s+de)\s*:?\s*$",
    re.IGNORECASE,
)
# Words that may follow a bare "120k" that is pay; anything else ("50k users") means it is not.
_PAY_FOLLOWERS = frozenset({
    "ote", "base", "salary", "gross", "brutto", "net", "total", "plus", "doe", "depending", "dep",
    "per", "a", "an", "usd", "eur", "gbp", "chf", "cad", "aud", "annually", "yearly", "annual", "pa",
    "p", "and", "or", "with", "comp", "compensation", "cash", "range", "equity", "bonus",
})
_NEXT_WORD = re.compile(r"[\s)(,+]*([A-Za-z]+)")
_LOWER_OK = frozenset({"USD", "EUR", "GBP", "CHF", "CAD", "AUD", "INR"})


def _clean(text: str) -> str:
    text = _DASHES.sub("-", _ODD_SPACES.sub(" ", text)).replace("’", "'")
    return _NOISE.sub(" | ", text)


def _joined(text: str, first: Amount, second: Amount) -> bool:
    between = text[first.end:second.start]
    stated = _PERIOD_AFTER.match(between)  # "$50/hr - $70/hr"
    if stated is not None:
        between = between[stated.end():]
    match = _JOIN.fullmatch(between)
    if match is None:
        return False
    if between.strip().lower() == "and":
        return _BETWEEN.search(text, 0, first.start) is not None
    return True


def _candidate(text: str, first: Amount, second: Amount | None, default: str | None) -> Salary | None:
    last = second or first
    lo_value, hi_value = first.value, last.value
    if second is not None:
        lo_value, hi_value = _share_multiplier(first, second)
    dollar = _dollar_code(text, first, last)
    if dollar is not None:
        default = dollar
    currency = _currency(first, default) or (second and _currency(second, default))
    period = _period_after(text, last.end) or _period_before(text, first.start)
    if first.mult_word == "lpa" or last.mult_word == "lpa":
        period = "year"
    if currency is None and not _looks_like_pay(text, first, last, period, default, second):
        return None
    if second is None:
        before = text[max(0, first.start - 25):first.start]
        if _UP_TO.search(before):
            return _checked(None, hi_value, currency or default, period)
        if _FROM.search(before) or _at_least(text, first):
            return _checked(lo_value, None, currency or default, period)
    return _checked(lo_value, hi_value, currency or default, period)


def _at_least(text: str, amount: Amount) -> bool:
    """Whether a "+" written against the figure makes it a floor: "$120k+", "$120k+ DOE", "$110,000+ per year".

    Only a "+" with no space before it counts; "$120k + equity" adds something else to a stated figure.
    What follows the "+" does not matter: "$120k+ bonus" still promises at least $120k, so reading it as
    a floor is never wrong, while reading "$120k+ based on experience" as exactly $120k caps the pay.
    """
    return text.startswith("+", amount.end)


def _share_multiplier(first: Amount, second: Amount) -> tuple[float, float]:
    """ "$120-150k" and "120k-150": one "k" serves both ends."""
    lo, hi = first.value, second.value
    if second.multiplier and not first.multiplier and first.number < 1000:
        lo = first.number * second.multiplier
    elif first.multiplier and not second.multiplier and second.number < 1000:
        hi = second.number * first.multiplier
    return lo, hi


def _currency(amount: Amount, default: str | None) -> str | None:
    dollar = default if default in _DOLLAR_CURRENCIES else "USD"
    for mark in (amount.pre, amount.post):
        if not mark:
            continue
        if mark.lower() == "kr":
            return default if default in _KRONA_CURRENCIES else None
        if mark == "¥" and default == "CNY":
            return "CNY"
        code = currency_code(mark, dollar=dollar)
        if code is not None and (len(mark) != 3 or mark.isupper() or mark.upper() in _LOWER_OK):
            return code
    return None


#: A dollar currency written out after the figures: "$110,000 - $135,000 CAD", "$85,000 (AUD)".
_DOLLAR_CODE_AFTER = re.compile(r"\s?\(?(?P<code>[A-Z]{3})\)?(?![A-Za-z/])")


def _dollar_code(text: str, first: Amount, last: Amount) -> str | None:
    """The dollar currency a bare "$" stands for when the text names it next to the figures.

    "$110,000 - $135,000 CAD" is Canadian dollars, not US dollars. Only a dollar code counts (a "$"
    followed by "EUR" is not read as euros), and "CAD/USD" names two, so it decides nothing.
    """
    codes = [mark.upper() for amount in (first, last) for mark in (amount.pre, amount.post) if mark]
    if any(mark != "$" and mark not in _DOLLAR_CURRENCIES for mark in codes):
        return None  # another mark ("US$", "C$", "€") already says which currency
    if "$" not in codes:
        return None
    written = [mark for mark in codes if mark in _DOLLAR_CURRENCIES]
    if not written and (after := _DOLLAR_CODE_AFTER.match(text, last.end)) is not None:
        written = [after["code"]] if after["code"] in _DOLLAR_CURRENCIES else []
    if text.startswith("/", last.end) or len(set(written)) != 1:
        return None
    return written[0]


def _period_after(text: str, end: int) -> str | None:
    match = _PERIOD_AFTER.match(text[end:end + 40])
    if match is None:
        return None
    if match["unit"]:
        return _UNITS.get(match["unit"].lower())
    bare = re.sub(r"[\s.]", "", match["bare"].lower())
    return _BARE_PERIODS.get(bare)


def _period_before(text: str, start: int) -> str | None:
    match = _PERIOD_BEFORE.search(text[max(0, start - 40):start])
    return period_name(match["word"]) if match else None


def _looks_like_pay(text: str, first: Amount, last: Amount, period: str | None, default: str | None,
                    second: Amount | None) -> bool:
    """Whether a figure with no currency mark is still clearly pay."""
    if period is not None or _CUE.search(text, max(0, first.start - 40), first.start):
        return True
    if default is not None and second is not None:
        return True
    if not last.multiplier:
        return False
    following = _NEXT_WORD.match(text, last.end)
    return following is None or following[1].lower() in _PAY_FOLLOWERS


# -- shared checks -----------------------------------------------------------------------------


def _structured_number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            number = float(value)
        except OverflowError:  # an int past the float range
            return None
    elif isinstance(value, str):
        match = AMOUNT.fullmatch(value.strip())
        if match is None or (match["mult"] or "").lower() not in ("", "k"):
            return None
        number = read_number(match["num"], match["sep"]) * (1000 if match["mult"] else 1)
    else:
        return None
    return number if math.isfinite(number) and number > 0 else None


def _checked(lo: float | None, hi: float | None, currency: str | None, period: str | None) -> Salary | None:
    """The salary if it is plausible; infers a yearly period for large figures with none stated."""
    values = [v for v in (lo, hi) if v is not None]
    if not values or any(not math.isfinite(v) or v <= 0 for v in values):
        return None
    if currency is not None and currency not in ISO_CODES:
        currency = None
    if period is None:
        if max(values) < _YEARLY_FLOOR:
            return None
        period = "year"
    floor, ceiling = _BOUNDS[period]
    for value in values:
        usd = to_usd(value, currency)
        scaled = value if usd is None else usd
        if not floor <= scaled <= ceiling:
            return None
    if lo is not None and hi is not None and lo > hi:
        lo, hi = hi, lo
    return Salary(_round(lo), _round(hi), currency, period)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
