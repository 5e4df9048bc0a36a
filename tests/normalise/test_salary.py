"""Salary parsing over real-world strings: job-board salary fields, HN first lines, ATS summaries."""

from __future__ import annotations

import pytest

from aggregator.normalise.currency import to_usd
from aggregator.normalise.salary import Salary, from_structured, parse_salary, period_name

Y, M, W, D, H = "year", "month", "week", "day", "hour"

# (text, default currency, expected (min, max, currency, period) or None)
TEXT_CASES: list[tuple[str, str | None, tuple[float | None, float | None, str | None, str] | None]] = [
    # Remotive `salary` values, verbatim
    ("$170k - $200k", None, (170_000, 200_000, "USD", Y)),
    ("$160k - $180k", None, (160_000, 180_000, "USD", Y)),
    ("up to $19/hour", None, (None, 19, "USD", H)),
    ("€80k-€110k", None, (80_000, 110_000, "EUR", Y)),
    ("$31,2k- $52k", None, (31_200, 52_000, "USD", Y)),
    ("$60k-$130k (depending on experience)", None, (60_000, 130_000, "USD", Y)),
    ("OTE $25k - $35k", None, (25_000, 35_000, "USD", Y)),
    ("$50-$75 /hour", None, (50, 75, "USD", H)),
    ("$20k -$35k", None, (20_000, 35_000, "USD", Y)),
    ("$30k-$70k", None, (30_000, 70_000, "USD", Y)),
    ("$220k-$300k OTE", None, (220_000, 300_000, "USD", Y)),
    ("$10k", None, (10_000, 10_000, "USD", Y)),
    ("$50k-$80k", None, (50_000, 80_000, "USD", Y)),
    ("$18 - $22/hr", None, (18, 22, "USD", H)),
    ("$45,000 - $50,000", None, (45_000, 50_000, "USD", Y)),
    ("$14/hr", None, (14, 14, "USD", H)),
    ("", None, None),
    # Ashby compensation summaries
    ("$100K – $110K", None, (100_000, 110_000, "USD", Y)),
    ("$120K - $150K", None, (120_000, 150_000, "USD", Y)),
    ("$150K – $200K • Offers Equity", None, (150_000, 200_000, "USD", Y)),
    ("€70K – €90K • 0.05% – 0.1%", None, (70_000, 90_000, "EUR", Y)),
    # HN "Who is hiring" first lines
    ("Acme | Senior Python Engineer | Remote (US) | $150k-$190k + equity | https://acme.example", None,
     (150_000, 190_000, "USD", Y)),
    ("Founding Technologist + Full Stack Developer | REMOTE | Part-or-full-time | $0 + equity", None, None),
    ("Globex | Backend Engineer | NYC | Full-time | 120-160k", None, (120_000, 160_000, None, Y)),
    ("Initech | Django developer | Berlin | €65-85k | ONSITE", None, (65_000, 85_000, "EUR", Y)),
    ("Hooli (YC W21) | 50+ engineers | Remote | Founded 2018", None, None),
    ("Umbrella | Staff Engineer | $200K-$250K base + 0.5% equity", None, (200_000, 250_000, "USD", Y)),
    ("We raised $20M Series B; hiring at $150k-$180k + equity", None, (150_000, 180_000, "USD", Y)),
    ("Series A, $12M raised, 15 people", None, None),
    ("Contract | $90-110/hr | Remote US", None, (90, 110, "USD", H)),
    ("Compensation: $140,000 - $175,000 USD + 401(k)", None, (140_000, 175_000, "USD", Y)),
    # UK and Ireland
    ("£45,000 - £55,000 per annum", None, (45_000, 55_000, "GBP", Y)),
    ("£50k-£70k p.a.", None, (50_000, 70_000, "GBP", Y)),
    ("Up to £70k", None, (None, 70_000, "GBP", Y)),
    ("£450 per day", None, (450, 450, "GBP", D)),
    ("£500 - £650 a day inside IR35", None, (500, 650, "GBP", D)),
    ("£35 ph", None, (35, 35, "GBP", H)),
    ("€55,000 - €70,000 DOE", None, (55_000, 70_000, "EUR", Y)),
    # Continental conventions
    ("60.000 € - 75.000 € pro Jahr", None, (60_000, 75_000, "EUR", Y)),
    ("120.000 € brutto/Jahr", None, (120_000, 120_000, "EUR", Y)),
    ("€3.500 - €4.200 brutto monatlich", None, (3_500, 4_200, "EUR", M)),
    ("€50.000 - €65.000", None, (50_000, 65_000, "EUR", Y)),
    ("€ 60 000 - 80 000", None, (60_000, 80_000, "EUR", Y)),
    ("1.234,56 € monthly", None, (1_234.56, 1_234.56, "EUR", M)),
    ("45 000 € par an", None, (45_000, 45_000, "EUR", Y)),
    ("CHF 120'000 – 140'000", None, (120_000, 140_000, "CHF", Y)),
    ("CHF 110’000 - 130’000 p.a.", None, (110_000, 130_000, "CHF", Y)),
    ("from €60k", None, (60_000, None, "EUR", Y)),
    ("ab 55.000 EUR", None, (55_000, None, "EUR", Y)),
    ("45 000 kr/mån", "SEK", (45_000, 45_000, "SEK", M)),
    ("PLN 15 000 - 22 000 per month", None, (15_000, 22_000, "PLN", M)),
    ("18 000 - 24 000 zł netto/mies. B2B", None, (18_000, 24_000, "PLN", M)),
    ("12 000 zł miesięcznie", None, (12_000, 12_000, "PLN", M)),
    # Other currencies and symbols
    ("US$90k - US$120k", None, (90_000, 120_000, "USD", Y)),
    ("CA$120,000–CA$140,000 CAD", None, (120_000, 140_000, "CAD", Y)),
    ("C$90k", None, (90_000, 90_000, "CAD", Y)),
    ("$95k - $115k", "CAD", (95_000, 115_000, "CAD", Y)),
    ("A$130k + super", None, (130_000, 130_000, "AUD", Y)),
    ("AUD 150,000 - 170,000", None, (150_000, 170_000, "AUD", Y)),
    ("90-120k USD", None, (90_000, 120_000, "USD", Y)),
    ("90K-110K EUR", None, (90_000, 110_000, "EUR", Y)),
    ("USD 5,000/month", None, (5_000, 5_000, "USD", M)),
    ("USD 40-60 per hour", None, (40, 60, "USD", H)),
    ("45 EUR/hour", None, (45, 45, "EUR", H)),
    ("₹12-18 LPA", None, (1_200_000, 1_800_000, "INR", Y)),
    ("INR 25,00,000 per annum", None, None),
    ("R$ 8.000/mês", None, (8_000, 8_000, "BRL", M)),
    ("¥8,000,000", None, (8_000_000, 8_000_000, "JPY", Y)),
    ("¥6,000,000 - ¥9,000,000", "CNY", (6_000_000, 9_000_000, "CNY", Y)),
    ("₱80,000 monthly", None, (80_000, 80_000, "PHP", M)),
    # Periods and qualifiers
    ("$120k/year", None, (120_000, 120_000, "USD", Y)),
    ("$85,000 - $95,000 a year", None, (85_000, 95_000, "USD", Y)),
    ("$65/h", None, (65, 65, "USD", H)),
    ("45/hr", None, (45, 45, None, H)),
    ("$50/hr – $70/hr", None, (50, 70, "USD", H)),
    ("Hourly: $50-$75", None, (50, 75, "USD", H)),
    ("$2,500 - $3,500 per month", None, (2_500, 3_500, "USD", M)),
    ("$1,000.50/week", None, (1_000.5, 1_000.5, "USD", W)),
    ("€500/day", None, (500, 500, "EUR", D)),
    ("$120k+", None, (120_000, None, "USD", Y)),
    # A "+" against the figure is a floor whatever follows it (We Work Remotely, Remote OK ads)
    ("1. Salary: $120k+ based on experience", None, (120_000, None, "USD", Y)),
    ("Salary floor for this role begins at $110,000+ per year, depending on experience.", None,
     (110_000, None, "USD", Y)),
    ("Compensation for this position consists of $220,000+ salary + 10-12% commission", None,
     (220_000, None, "USD", Y)),
    ("Rate: $50+ per hour", None, (50, None, "USD", H)),
    ("Salary: $120k + equity", None, (120_000, 120_000, "USD", Y)),
    # A dollar code written next to "$" figures says which dollar (Jobicy, League: Canada)
    ("Compensation range for Canada applicants only $77,400 – $116,200 CAD", None, (77_400, 116_200, "CAD", Y)),
    ("Compensation range for Canada applicants only $77,400 – $116,200 CAD", "USD", (77_400, 116_200, "CAD", Y)),
    ("Salary: $90k–$110k AUD", None, (90_000, 110_000, "AUD", Y)),
    ("Salary $85,000 (CAD)", None, (85_000, 85_000, "CAD", Y)),
    ("$110,000 - $135,000 cad", None, (110_000, 135_000, "CAD", Y)),
    ("Pay: $150k-$180k USD", None, (150_000, 180_000, "USD", Y)),
    ("Salary: $95,000 (DOE)", None, (95_000, 95_000, "USD", Y)),
    ("starting at $95,000", None, (95_000, None, "USD", Y)),
    ("between $100k and $120k", None, (100_000, 120_000, "USD", Y)),
    ("$90-110K", None, (90_000, 110_000, "USD", Y)),
    ("$150,000", None, (150_000, 150_000, "USD", Y)),
    ("Salary: 80,000 - 100,000", None, (80_000, 100_000, None, Y)),
    ("80,000 - 100,000", "EUR", (80_000, 100_000, "EUR", Y)),
    ("120k-150k", None, (120_000, 150_000, None, Y)),
    ("$200k - $150k", None, (150_000, 200_000, "USD", Y)),
    # Not a salary, or not enough to tell
    ("Competitive", None, None),
    ("DOE", None, None),
    ("Competitive salary + equity, DOE", None, None),
    ("$60", None, None),
    ("€4,500", None, None),
    ("$18 - $22", None, None),
    ("5+ years experience", None, None),
    ("3-5 years of Python", None, None),
    ("401k match", None, None),
    ("401(k) with 4% match", None, None),
    ("50+ engineers", None, None),
    ("Founded 2024", None, None),
    ("2020 - 2024", None, None),
    ("equity 0.5%", None, None),
    ("0.1% - 0.5% equity", None, None),
    ("Call +1 (555) 123-4567", None, None),
    ("555-123-4567 pay", None, None),
    ("10k+ stars on GitHub", None, None),
    ("50k users", None, None),
    ("$5k signing bonus", None, None),
    ("Raised $2.5M seed", None, None),
    ("$1B valuation", None, None),
    ("PHP 8 and Laravel", None, None),
    ("40 hours/week", None, None),
    ("24/7 on-call, 2 weeks PTO", None, None),
    ("$15,000,000 per year", None, None),
    ("$0.50/hour", None, None),
]


@pytest.mark.parametrize(("text", "default", "expected"), TEXT_CASES)
def test_parse_salary(text: str, default: str | None,
                      expected: tuple[float | None, float | None, str | None, str] | None) -> None:
    result = parse_salary(text, default_currency=default)
    if expected is None:
        assert result is None
    else:
        assert result == Salary(*expected)


def test_text_table_is_large() -> None:
    assert len(TEXT_CASES) >= 80


# (min, max, currency, period as the source states them, expected)
STRUCTURED_CASES: list[tuple[object, object, str | None, str | None,
                             tuple[float | None, float | None, str | None, str] | None]] = [
    (120_000, 150_000, "USD", "per-year-salary", (120_000, 150_000, "USD", Y)),   # Lever
    (45, 60, "usd", "per-hour-wage", (45, 60, "USD", H)),
    (6_000, 8_000, "EUR", "per-month-salary", (6_000, 8_000, "EUR", M)),
    (100_000, 110_000, "USD", "1 YEAR", (100_000, 110_000, "USD", Y)),            # Ashby
    (70, 90, "USD", "1 HOUR", (70, 90, "USD", H)),
    (1000.0, 2000.0, "USD", "YEAR", (1_000, 2_000, "USD", Y)),                   # schema.org, jsonld-1
    (500, 700, "GBP", "DAY", (500, 700, "GBP", D)),
    (150_000, 220_000, "USD", None, (150_000, 220_000, "USD", Y)),                # Jobicy annualSalary*
    (120_000, 145_000, "USD", "yearly", (120_000, 145_000, "USD", Y)),
    (5_000, 7_000, "USD", "monthly", (5_000, 7_000, "USD", M)),
    (80_000, None, "EUR", "annual", (80_000, None, "EUR", Y)),
    (None, 95_000, "CAD", "Annual", (None, 95_000, "CAD", Y)),
    (121_800, 197_120, None, None, (121_800, 197_120, None, Y)),                  # Himalayas
    (35_000, 35_000, None, None, (35_000, 35_000, None, Y)),
    (0, 0, None, None, None),                                                      # RemoteOK "unknown"
    (30, 30, None, None, None),                                                    # RemoteOK, no period
    (114, 225, None, None, None),
    ("0", "0", "USD", "YEAR", None),                                               # WWR JSON-LD
    ("120000", "150000", "USD", "YEAR", (120_000, 150_000, "USD", Y)),
    ("120,000", "$150,000", "usd", "year", (120_000, 150_000, "USD", Y)),
    ("120k", None, "EUR", None, (120_000, None, "EUR", Y)),
    (150_000, 120_000, "USD", "year", (120_000, 150_000, "USD", Y)),
    (90_000, 110_000, "$", None, (90_000, 110_000, "USD", Y)),
    (90_000, 110_000, "dollars", None, (90_000, 110_000, None, Y)),
    (5_000, 10_000, "USD", "one-time", None),
    (True, 100_000, "USD", "year", (None, 100_000, "USD", Y)),
    ("abc", None, "USD", "year", None),
    (float("nan"), float("inf"), "USD", "year", None),
    (-5, 10, "USD", "hour", (None, 10, "USD", H)),
    (50_000_000, None, "USD", "year", None),
    (None, None, "USD", "year", None),
    (8_000_000, 12_000_000, "JPY", "YEAR", (8_000_000, 12_000_000, "JPY", Y)),
]


@pytest.mark.parametrize(("low", "high", "currency", "period", "expected"), STRUCTURED_CASES)
def test_from_structured(low: object, high: object, currency: str | None, period: str | None,
                         expected: tuple[float | None, float | None, str | None, str] | None) -> None:
    result = from_structured(low, high, currency, period)  # type: ignore[arg-type]
    if expected is None:
        assert result is None
    else:
        assert result == Salary(*expected)


@pytest.mark.parametrize(("word", "period"), [
    ("per-year-salary", Y), ("YEAR", Y), ("1 YEAR", Y), ("yearly", Y), ("annual", Y), ("HOUR", H),
    ("per-hour-wage", H), ("per-month-salary", M), ("1 MONTH", M), ("WEEK", W), ("per-day-wage", D),
    ("salary_per_annum", Y), ("one-time", None), ("", None), (None, None),
])
def test_period_name(word: str | None, period: str | None) -> None:
    assert period_name(word) == period


@pytest.mark.parametrize(("salary", "annual"), [
    (Salary(50, 75, "USD", H), (104_000, 156_000)),
    (Salary(500, 650, "GBP", D), (130_000, 169_000)),
    (Salary(2_000, None, "EUR", W), (104_000, None)),
    (Salary(None, 6_000, "EUR", M), (None, 72_000)),
    (Salary(120_000, 150_000, "USD", Y), (120_000, 150_000)),
])
def test_annualised(salary: Salary, annual: tuple[float | None, float | None]) -> None:
    assert (salary.annual_min, salary.annual_max) == annual


def test_to_usd() -> None:
    assert to_usd(100_000, "USD") == 100_000
    eur = to_usd(100_000, "EUR")
    assert eur is not None and 90_000 < eur < 130_000
    assert to_usd(100_000, None) is None
    assert to_usd(100_000, "XXX") is None
    assert to_usd(float("nan"), "USD") is None


def test_pay_line_in_description_is_read_and_other_money_is_not() -> None:
    """Feeds without a salary field (WWR, python.org) state pay on a labelled line of the description."""
    from aggregator.model import RawListing
    from aggregator.normalise import normalise

    stated = normalise(RawListing(source="weworkremotely", external_id="1", title="Python Engineer",
                                  description_text="We raised $20M last year.\nSalary: $120k - $140k per year"))
    assert (stated.salary_min, stated.salary_max, stated.salary_currency, stated.salary_period) == (
        120000, 140000, "USD", "year")
    funding = normalise(RawListing(source="weworkremotely", external_id="2", title="Python Engineer",
                                   description_text="We raised $20M and serve 50k customers.\n401k match."))
    assert funding.salary_min is None and funding.salary_max is None


def test_structured_pay_takes_the_currency_the_description_writes_the_same_figures_in() -> None:
    from aggregator.model import RawListing
    from aggregator.normalise import normalise

    def pay(currency: str | None, text: str) -> tuple[object, ...]:
        listing = normalise(RawListing(source="jobicy", external_id="1", title="Analyst", salary_min=77_400,
                                       salary_max=116_200, salary_currency=currency, description_text=text))
        return listing.salary_min, listing.salary_max, listing.salary_currency

    assert pay("USD", "Compensation range: $77,400 – $116,200 CAD") == (77_400, 116_200, "CAD")
    assert pay(None, "Salary: €77,400 - €116,200") == (77_400, 116_200, "EUR")
    # Other figures, or a bare "$" under a dollar currency, change nothing
    assert pay("USD", "Salary: $70,000 – $100,000 CAD") == (77_400, 116_200, "USD")
    assert pay("CAD", "Salary: $77,400 – $116,200") == (77_400, 116_200, "CAD")
    assert pay("USD", "We raised $77,400 – $116,200 CAD last year") == (77_400, 116_200, "USD")


@pytest.mark.parametrize(("title", "expected"), [
    ("Senior Independent UX/UI Designer ($110-$190/hr)", (110, 190, "USD", "hour")),
    ("Backend Engineer - €70k", (70_000, 70_000, "EUR", "year")),
    ("Python Developer (5+ years, 401k)", (None, None, None, None)),
    ("Series B startup ($20M raised) seeks Django Engineer", (None, None, None, None)),
])
def test_pay_in_the_title_when_nothing_else_states_it(title: str, expected: tuple[object, ...]) -> None:
    from aggregator.model import RawListing
    from aggregator.normalise import normalise

    listing = normalise(RawListing(source="rss", external_id="1", title=title))
    assert (listing.salary_min, listing.salary_max, listing.salary_currency, listing.salary_period) == expected


def test_a_runaway_title_is_not_read_for_pay() -> None:
    """A broken feed's 9,000-digit title took over a second to scan for amounts (the parser fuzz test
    ran past its deadline on one); a title that long is no title, and is not read for pay."""
    import time

    from aggregator.model import RawListing
    from aggregator.normalise import normalise

    title = "-" + "9" * 9_000 + " Senior Developer ($110-$190/hr)"
    started = time.perf_counter()
    listing = normalise(RawListing(source="rss", external_id="1", title=title))
    assert time.perf_counter() - started < 0.5
    assert listing.salary_min is None
