"""Workable's public widget API: one request per configured account returns all its published jobs.

`GET apply.workable.com/api/v1/widget/accounts/{account}?details=true` answers with the account's
`name` and `description` (about the company, never mixed into a job) and a `jobs` list; `details=true`
adds each job's HTML `description`. There is no paging, so a parsed document is the whole board.

A job's places are its `locations` (the first is the primary one); entries the employer marked
`hidden` are not shown on the careers page and are left out here too. A job without `locations` still
has its primary place in the top-level `city`/`state`/`country` (`state` is the region there).

The widget states remote work only as `telecommuting`; Workable's own API documents `workplace_type`
(on_site, hybrid, remote) as its finer superset, read when a payload has it. `telecommuting: false`
covers both on-site and hybrid, so on its own it says nothing and stays unknown.

The job objects do not name the account, so the stored raw item is the job with the account's name
added under `_account_name`: a re-parse then names the company exactly as the first parse did.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar, NamedTuple

from aggregator.errors import ParseError
from aggregator.model import RawListing
from scrapers.sources._boards import board_company, obj, objects, texts, workplace
from scrapers.sources._json import Signature, collect, job_object, load_json, reread, text_field
from scrapers.sources.base import Defaults, Page, ParseContext

#: The key under which the stored raw job keeps the account's name (not a Workable field).
ACCOUNT_KEY = "_account_name"
#: What tells a Workable job from the other `{"jobs": [...]}` APIs': its `shortcode`, the job's id.
SIGNATURE: Signature = (("shortcode",),)
_ISO2 = re.compile(r"^[A-Za-z]{2}$")
#: The start of a tag ("<p", "</", or a "<" ending the text), as opposed to a "<" in prose ("a < b").
_TAG_START = re.compile(r"</?(?:[A-Za-z]|$)")


class _Place(NamedTuple):
    """One place as Workable states it: the country by name and by ISO code, region and city."""

    name: str | None
    code: str | None
    region: str | None
    city: str | None


class Workable:
    name: ClassVar[str] = "workable"
    defaults: ClassVar[Defaults] = Defaults(
        url="https://apply.workable.com/api/v1/widget/accounts/{board}?details=true",
        every="6h",
        rate=0.2,
        burst=1,
        content_types=("application/json",),
        max_pages=1,
    )

    def parse(self, payload: bytes, ctx: ParseContext) -> Page:
        document = load_json(payload, self.name)
        if isinstance(document, dict) and not isinstance(document.get("jobs"), list):
            error = text_field(document, "error") or text_field(document, "message")
            if error:
                raise ParseError(f"workable: the API answered with an error: {error!r}")
        account = text_field(document, "name") if isinstance(document, dict) else None
        return collect(document, self.name, lambda item: self._listing(_stored(item, account), ctx.board),
                       signature=SIGNATURE)

    def parse_item(self, raw: Any, ctx: ParseContext) -> RawListing | None:
        """Re-read one stored job; its `_account_name` names the company, else `ctx.board` does."""
        return reread(raw, self.name, lambda item: self._listing(item, ctx.board))

    def _listing(self, item: Any, board: str | None) -> RawListing:
        item, external_id, title = job_object(item, "shortcode", "title")
        places = _places(item)
        return RawListing(
            source=self.name,
            external_id=external_id,
            title=title,
            url=text_field(item, "url") or text_field(item, "shortlink"),
            apply_url=text_field(item, "application_url"),
            company=text_field(item, ACCOUNT_KEY) or board_company(board),
            location_raw="; ".join(_place_text(p) for p in places) or None,
            places=[_coded(p) for p in places],
            remote=_remote(item),
            employment_type=text_field(item, "employment_type"),
            seniority=text_field(item, "experience"),
            tags=texts(item, "department", "function"),
            description_html=_description(item),
            posted_at=text_field(item, "published_on") or text_field(item, "created_at"),
            raw=item,
        )


def _stored(item: Any, account: str | None) -> Any:
    """The job as it is stored: a copy carrying the account's name, which the job itself lacks.

    A job object that brought its own `_account_name` loses it when the document names no account,
    so that what is stored always says what the document said.
    """
    if not isinstance(item, dict):
        return item
    stored = {k: v for k, v in item.items() if k != ACCOUNT_KEY}
    if account:
        stored[ACCOUNT_KEY] = account
    return stored


def _places(item: dict[str, Any]) -> list[_Place]:
    """The job's visible places.

    `locations` when the job has any entry there (hidden ones dropped, even if none is left);
    otherwise the one place of the `location` object of Workable's other job APIs, or of the
    top-level fields.
    """
    listed = objects(item.get("locations"))
    if not listed:
        single = obj(item.get("location"))
        first = next((p for p in (_place(single, "country_code", "region"), _place(item, None, "state")) if any(p)),
                     None)
        return [first] if first else []
    found: list[_Place] = []
    for entry in listed:
        place = _place(entry, "countryCode", "region")
        if entry.get("hidden") is not True and any(place) and place not in found:
            found.append(place)
    return found


def _place(holder: dict[str, Any], code_key: str | None, region_key: str) -> _Place:
    return _Place(
        name=text_field(holder, "country"),
        code=text_field(holder, code_key) if code_key else None,
        region=text_field(holder, region_key),
        city=text_field(holder, "city"),
    )


def _place_text(place: _Place) -> str:
    """"City, Region, Country" with empty and repeated parts left out ("London, London" is one)."""
    parts: list[str] = []
    for part in (place.city, place.region, place.name or place.code):
        if part and part.casefold() not in (p.casefold() for p in parts):
            parts.append(part)
    return ", ".join(parts)


def _coded(place: _Place) -> dict[str, str | None]:
    """A structured place for the model: the ISO code upper-cased when it is one, else the name."""
    country = place.code.upper() if place.code and _ISO2.match(place.code) else place.name
    return {"country": country, "region": place.region, "city": place.city}


def _remote(item: dict[str, Any]) -> str | None:
    """remote/hybrid/onsite from `workplace_type` when given, "remote" from `telecommuting: true`."""
    location = obj(item.get("location"))
    stated = workplace(item.get("workplace_type")) or workplace(location.get("workplace_type"))
    if stated:
        return stated
    if item.get("telecommuting") is True or location.get("telecommuting") is True:
        return "remote"
    return None


def _description(item: dict[str, Any]) -> str | None:
    """The job's HTML description.

    Workable's job APIs may split the text into `description`, `requirements` and `benefits`, with
    `full_description` holding all three; the parts are joined when there is no whole.
    """
    whole = text_field(item, "full_description")
    keys = ("full_description",) if whole else ("description", "requirements", "benefits")
    parts = [_uncut(text_field(item, key) or "") for key in keys]
    return "\n".join(p for p in parts if p) or None


def _uncut(markup: str) -> str:
    """`markup` without a tag cut off by its end ("…</p><", "<stro"), the mark of a truncated text,
    which would otherwise be shown as a literal "<"."""
    start = markup.rfind("<")
    if start >= 0 and ">" not in markup[start:] and _TAG_START.match(markup, start):
        markup = markup[:start]
    return markup.rstrip()


SOURCE = Workable()
