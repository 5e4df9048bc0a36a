"""Currencies: ISO 4217 codes, the symbols job ads write, and approximate rates to USD.

The rates are a static table, not a feed: they only make "≥ $120k" comparable with a salary
stated in euros or rupees, where a few percent of drift does not matter. Keeping them static
keeps normalisation pure and repeatable.
"""

from __future__ import annotations

import math

__all__ = ["ISO_CODES", "RATES_TO_USD", "SYMBOLS", "currency_code", "to_usd"]

#: Active ISO 4217 currency codes.
ISO_CODES: frozenset[str] = frozenset(
    {
        "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BGN",
        "BHD", "BIF", "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHF",
        "CLP", "CNY", "COP", "CRC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB",
        "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG",
        "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF",
        "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA",
        "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MYR", "MZN", "NAD", "NGN", "NIO",
        "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD",
        "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP", "STN",
        "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX",
        "USD", "UYU", "UZS", "VES", "VND", "VUV", "WST", "XAF", "XCD", "XOF", "XPF", "YER", "ZAR", "ZMW",
        "ZWL",
    }
)

#: Symbols and prefixes as ads write them. "$" is USD unless the source's own currency is a dollar.
SYMBOLS: dict[str, str] = {
    "$": "USD", "US$": "USD", "USD$": "USD", "C$": "CAD", "CA$": "CAD", "CAD$": "CAD", "A$": "AUD",
    "AU$": "AUD", "AUD$": "AUD", "NZ$": "NZD", "S$": "SGD", "SGD$": "SGD", "HK$": "HKD", "MX$": "MXN",
    "R$": "BRL", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "RS": "INR", "RS.": "INR", "₩": "KRW",
    "₽": "RUB", "₺": "TRY", "₪": "ILS", "₱": "PHP", "₦": "NGN", "₴": "UAH", "ZŁ": "PLN", "FR.": "CHF",
    "KČ": "CZK", "LEI": "RON",
}

#: Approximate USD value of one unit of each currency (mid-2025 levels, rounded).
RATES_TO_USD: dict[str, float] = {
    "USD": 1.0, "EUR": 1.08, "GBP": 1.27, "CHF": 1.12, "CAD": 0.73, "AUD": 0.66, "NZD": 0.60,
    "JPY": 0.0067, "CNY": 0.14, "HKD": 0.128, "SGD": 0.74, "INR": 0.012, "PKR": 0.0036,
    "BDT": 0.0085, "LKR": 0.0033, "KRW": 0.00073, "TWD": 0.031, "THB": 0.028, "MYR": 0.22,
    "IDR": 0.000062, "PHP": 0.018, "VND": 0.000039, "SEK": 0.095, "NOK": 0.094, "DKK": 0.145,
    "ISK": 0.0073, "PLN": 0.25, "CZK": 0.044, "HUF": 0.0028, "RON": 0.22, "BGN": 0.55,
    "RSD": 0.0092, "UAH": 0.024, "TRY": 0.029, "ILS": 0.27, "AED": 0.27, "SAR": 0.27, "QAR": 0.27,
    "EGP": 0.020, "ZAR": 0.054, "NGN": 0.00065, "KES": 0.0077, "GHS": 0.065, "MAD": 0.10,
    "BRL": 0.18, "MXN": 0.054, "ARS": 0.00090, "CLP": 0.00105, "COP": 0.00024, "PEN": 0.27,
    "UYU": 0.025, "RUB": 0.011, "GEL": 0.37, "AMD": 0.0026, "KZT": 0.0020,
}


def currency_code(text: str | None, *, dollar: str = "USD") -> str | None:
    """The ISO code for a code or symbol ("usd", "€", "CA$"); `dollar` is what a bare "$" means."""
    if not text:
        return None
    key = text.strip().upper()
    if key == "$":
        return dollar
    if key in ISO_CODES:
        return key
    return SYMBOLS.get(key)


def to_usd(amount: float, currency: str | None) -> float | None:
    """`amount` in US dollars at the static rate; None for an unknown currency or a non-finite amount."""
    rate = RATES_TO_USD.get(currency or "")
    if rate is None or not math.isfinite(amount):
        return None
    return amount * rate
