"""Turn a source's `RawListing` into the contract's `Listing`. Pure: no I/O, no clock, no globals.

Each concern lives in its own module (salary, location, seniority, skills, text, classify); this
function only wires them together, structured values first and free text second.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

from aggregator import dedup
from aggregator.model import Listing, RawListing
from aggregator.normalise import classify, location, salary, seniority, skills, text

__all__ = ["normalise"]

#: A description line that states pay ("Salary: $120k–$140k", "Compensation: €70,000 a year").
_PAY_LINE = re.compile(r"\b(salary|compensation|pay range|base pay|pay:|rate:|ote)\b", re.I)
#: Lines (and titles) longer than this are not a pay note but a run of text, whose reading as amounts
#: would cost seconds on a broken or hostile feed.
_PAY_TEXT_MAX = 300


def _labelled_pays(text: str, currency: str | None, *, long_lines: bool) -> Iterator[salary.Salary]:
    """Each pay stated on a line that names pay, in order, so amounts elsewhere (funding, revenue) are
    never taken. With `long_lines`, also a short window after each label inside the long one-line
    descriptions some boards send (Remote OK's Graphcore ad: "… Salary Range: PLN 350,700 - 474,400 +
    Benefits …" in one line)."""
    for line in text.splitlines():
        if len(line) <= _PAY_TEXT_MAX:
            windows = [line]
        elif long_lines:
            windows = [line[m.start():m.start() + 120] for m in _PAY_LINE.finditer(line)]
        else:
            continue
        for window in windows:
            if _PAY_LINE.search(window) and (pay := salary.parse_salary(window, default_currency=currency)):
                yield pay


def _pay_in_description(text: str, currency: str | None) -> salary.Salary | None:
    """The first pay stated on a labelled line of the description, for feeds with no salary field."""
    return next(_labelled_pays(text, currency, long_lines=False), None)


def _currency_as_written(pay: salary.Salary, text: str) -> salary.Salary:
    """`pay` in the currency the description writes the very same figures in, when that differs.

    Some boards fill their currency field with a default: Jobicy states League's Canadian range as
    USD while the ad says "$77,400 – $116,200 CAD"; Remote OK states no currency at all while the ad
    says "$140,000–$175,000". Only the same figures in the same period, written with a currency of
    their own, change it.
    """
    for written in _labelled_pays(text, pay.currency, long_lines=True):
        if (written.min, written.max, written.period) == (pay.min, pay.max, pay.period):
            if written.currency in (None, pay.currency):
                return pay
            return dataclasses.replace(pay, currency=written.currency)
    return pay


def normalise(raw: RawListing) -> Listing:
    """The normalised form of one raw listing."""
    title = text.tidy(text.html_to_text(raw.title)) if raw.title else ""
    company = text.tidy(raw.company) if raw.company else None
    description_html = text.sanitise_html(raw.description_html) if raw.description_html else None
    # The text is read from the HTML when there is some, so every source's text has the same shape
    # ("• " items, headings as written); a board's own plain twin (Ashby's "- " items under
    # UPPER-CASED headings) is the fallback.
    description_text = (text.html_to_text(raw.description_html) if raw.description_html else "") or (
        text.tidy_block(raw.description_text) if raw.description_text else None)
    location_raw = text.tidy(raw.location_raw) if raw.location_raw else None

    pay = salary.from_structured(raw.salary_min, raw.salary_max, raw.salary_currency, raw.salary_period)
    if pay is not None and description_text:
        pay = _currency_as_written(pay, description_text)
    if pay is None and raw.salary_text:
        pay = salary.parse_salary(raw.salary_text, default_currency=raw.salary_currency)
    if pay is None and description_text:
        pay = _pay_in_description(description_text, raw.salary_currency)
    if pay is None and title and len(title) <= _PAY_TEXT_MAX:
        # "Senior Independent UX/UI Designer ($110-$190/hr)": boards that have no pay field put it there
        pay = salary.parse_salary(title, default_currency=raw.salary_currency)
    where = location.parse_location(location_raw, places=raw.places, remote=raw.remote, title=title)
    found_skills = skills.extract_skills(title, raw.tags, description_text or "")
    level = seniority.seniority(title, hint=raw.seniority, text=description_text or "")
    kind = seniority.employment_type(raw.employment_type, title=title)

    listing = Listing(
        source=raw.source,
        external_id=raw.external_id,
        url=text.canonical_url(raw.url),
        apply_url=text.canonical_url(raw.apply_url),
        title=title,
        company=company or None,
        location_raw=location_raw or None,
        locations=list(where.locations),
        remote=where.remote,
        employment_type=kind,
        seniority=level,
        salary_min=pay.min if pay else None,
        salary_max=pay.max if pay else None,
        salary_currency=pay.currency if pay else None,
        salary_period=pay.period if pay else None,
        salary_annual_min=pay.annual_min if pay else None,
        salary_annual_max=pay.annual_max if pay else None,
        skills=found_skills,
        description_text=description_text or None,
        description_html=description_html or None,
        posted_at=text.parse_date(raw.posted_at),
        python_backend=classify.is_python_backend(title, found_skills, raw.tags, description_text or ""),
        remote_regions=list(where.remote_regions),
        utc_offset_min=where.utc_offset_min,
        utc_offset_max=where.utc_offset_max,
        tags=[t for t in (text.tidy(tag) for tag in raw.tags) if t],
    )
    listing.fingerprint = dedup.fingerprint(listing)
    return listing
