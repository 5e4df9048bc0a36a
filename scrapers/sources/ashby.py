"""Ashby's public posting API: one request per configured board returns all its jobs.

With `includeCompensation=true` each job carries its pay both as display summaries and as
structured tiers; the structured Salary component is read first because the summaries mix in
equity and bonus. Jobs with `isListed: false` are hidden on the board and are skipped silently.
"""

from __future__ import annotations

from typing import Any, ClassVar

from aggregator.model import RawListing
from scrapers.sources._boards import board_company, board_in_url, number, obj, objects, texts, workplace
from scrapers.sources._json import Signature, job_object, jobs_page, reread, text_field
from scrapers.sources.base import Defaults, Page, ParseContext

#: Ashby's compensation intervals ("1 YEAR"); anything else is not a periodic wage.
_INTERVALS = {"1 YEAR": "year", "1 MONTH": "month", "1 WEEK": "week", "1 DAY": "day", "1 HOUR": "hour"}

#: What tells an Ashby job from the other `{"jobs": [...]}` APIs': its page on the board (the listing's
#: URL, and the board's name when the payload is read without one), in both the 2025 and 2026 shapes.
SIGNATURE: Signature = (("jobUrl",),)

Pay = tuple[float | None, float | None, str | None, str | None]


class Ashby:
    name: ClassVar[str] = "ashby"
    defaults: ClassVar[Defaults] = Defaults(
        url="https://api.ashbyhq.com/posting-api/job-board/{board}?includeCompensation=true",
        every="6h",
        rate=0.2,
        burst=1,
        content_types=("application/json",),
        max_pages=1,
    )

    def parse(self, payload: bytes, ctx: ParseContext) -> Page:
        # A job taken off the board (isListed false) holds no listing: skipped without a warning.
        return jobs_page(payload, self.name, lambda item: None if isinstance(item, dict) and
                         item.get("isListed") is False else self._listing(item, ctx.board), signature=SIGNATURE)

    def parse_item(self, raw: Any, ctx: ParseContext) -> RawListing | None:
        """Re-read one stored job; one since unlisted on the board holds no listing, as in `parse`."""
        if isinstance(raw, dict) and raw.get("isListed") is False:
            return None
        return reread(raw, self.name, lambda item: self._listing(item, ctx.board))

    def _listing(self, item: Any, board: str | None) -> RawListing:
        item, external_id, title = job_object(item, "id", "title")
        compensation = obj(item.get("compensation"))
        low, high, currency, period = salary(compensation)
        is_remote = item.get("isRemote")
        return RawListing(
            source=self.name,
            external_id=external_id,
            title=title,
            url=text_field(item, "jobUrl"),
            apply_url=text_field(item, "applyUrl"),
            # The payload names no organisation: the board is the company.
            company=board_company(board or board_in_url(text_field(item, "jobUrl"), ("jobs.ashbyhq.com",))),
            location_raw=_location(item),
            places=_places(item),
            # workplaceType (2026) is the finer statement; isRemote alone cannot say "hybrid".
            remote=workplace(item.get("workplaceType"))
            or (is_remote if isinstance(is_remote, bool) else None),
            employment_type=text_field(item, "employmentType"),
            salary_min=low,
            salary_max=high,
            salary_currency=currency,
            salary_period=period,
            salary_text=None if low or high else _summary(compensation),
            tags=texts(item, "department", "team"),
            description_html=text_field(item, "descriptionHtml"),
            description_text=text_field(item, "descriptionPlain"),
            posted_at=text_field(item, "publishedAt"),
            raw=item,
        )


def salary(compensation: dict[str, Any]) -> Pay:
    """(min, max, currency, period) spanning every structured Salary component of one currency
    and interval (tiers are often per level or per zone); all None when there is none."""
    components = [
        component
        for tier in objects(compensation.get("compensationTiers"))
        for component in objects(tier.get("components"))
    ] or objects(compensation.get("summaryComponents"))
    chosen: list[dict[str, Any]] = []
    for component in components:
        if component.get("compensationType") != "Salary" or component.get("interval") not in _INTERVALS:
            continue
        if not chosen or (component.get("currencyCode"), component.get("interval")) == (
            chosen[0].get("currencyCode"),
            chosen[0].get("interval"),
        ):
            chosen.append(component)
    lows = [v for v in (number(c.get("minValue")) for c in chosen) if v is not None]
    highs = [v for v in (number(c.get("maxValue")) for c in chosen) if v is not None]
    if not lows and not highs:
        return None, None, None, None
    first = chosen[0]
    return (
        min(lows, default=None),
        max(highs, default=None),
        text_field(first, "currencyCode"),
        _INTERVALS[first["interval"]],
    )


def _summary(compensation: dict[str, Any]) -> str | None:
    """The display summary, for jobs whose pay has no structured Salary component."""
    return text_field(compensation, "scrapeableCompensationSalarySummary") or text_field(
        compensation, "compensationTierSummary"
    )


def _location(item: dict[str, Any]) -> str | None:
    """The primary location then the secondary ones, as stated ("Croatia; Romania; Serbia")."""
    stated = [text_field(item, "location")]
    stated += [text_field(extra, "location") for extra in objects(item.get("secondaryLocations"))]
    unique = list(dict.fromkeys(s for s in stated if s))
    return "; ".join(unique) or None


def _places(item: dict[str, Any]) -> list[dict[str, str | None]]:
    """The postal addresses of the primary and secondary locations (country as a name)."""
    places: list[dict[str, str | None]] = []
    for holder in [item, *objects(item.get("secondaryLocations"))]:
        postal = obj(obj(holder.get("address")).get("postalAddress"))
        place = {
            "country": text_field(postal, "addressCountry"),
            "region": text_field(postal, "addressRegion"),
            "city": text_field(postal, "addressLocality"),
        }
        if _names_only_its_country(text_field(holder, "location"), place["country"]):
            place["region"] = place["city"] = None
        if any(place.values()) and place not in places:
            places.append(place)
    return places


def _names_only_its_country(label: str | None, country: str | None) -> bool:
    """Whether a location's label is just its address's country ("Croatia").

    The board then offers the whole country, and the address under it is some office or a filler
    (Makai Labs' "Croatia" has Zagreb with the region "Belgrade", its "Serbia" Belgrade in "Novi Sad"):
    its city and region are not where the job is.
    """
    if not label or not country:
        return False
    return " ".join(label.split()).casefold() == " ".join(country.split()).casefold()


SOURCE = Ashby()
