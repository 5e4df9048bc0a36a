"""SmartRecruiters' public Posting API: a company's postings, read in two steps.

The list endpoint (`/v1/companies/{company}/postings?limit=100&offset=0`, answering `{offset, limit,
totalFound, content}`) states each posting's title, place, remote flags, department, employment type
and level, but no job text and no link to the page a person reads. Those come only from the posting's
detail document (`/postings/{id}`, under the list's own URL): the same fields plus the job ad as HTML
sections (`jobAd.sections`: company description, job description, qualifications, additional
information), `postingUrl` and `applyUrl`. Without the text, a "Backend Engineer" title could never be
recognised as a Python role, so the detail of every posting is worth its request.

A list page therefore yields one listing per posting at once, so that a posting whose detail page is
not read (a failed fetch, the `max_pages` cap) is still known, and follows the next list page and
every posting's detail document. A detail document yields the same posting again, with the same
external id (the posting `id`) and later in the run, so it supersedes the list entry: the pipeline keeps
the last listing of an id in a batch. `parse_item` reads both kinds of stored posting alike.

A detail URL is built from the list URL the operator configured and the posting's id, never taken
from the payload (its `ref`): a board can't send the fetcher to another host (SSRF), and an id that is
not a plain token ("../admin", "1?x=") is not followed at all.

Remote mode comes from the location's two flags, `remote` and `hybrid`. `hybrid: true` wins over
`remote: true` (partly in an office is the narrower claim). `remote: false` is on-site when `hybrid` is
false or absent (older postings have no `hybrid` flag, and their `remote: false` still says "not
remote"); the normaliser still turns it into hybrid when the location text says so. Flags that are
missing or not booleans leave the mode unknown, to be read from the text and the title; an employer's
custom field naming the workplace ("Workplace type: On-site") comes next, as for the employment type.

SmartRecruiters makes every posting name a city, remote ones too: HireVue's "Data Science Intern | Fully
Remote US" is filed under Sandy, UT, its office. A fully remote posting (the `remote` flag without
`hybrid`) is therefore placed in its country only, so it does not claim an office city or region that
nobody works in; hybrid and on-site postings keep the city they are tied to.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any, ClassVar
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from aggregator.errors import ParseError
from aggregator.model import RawListing
from scrapers.sources._boards import board_company, obj, objects, workplace
from scrapers.sources._json import Signature, check_signature, job_object, load_json, reread, text_field
from scrapers.sources._values import http_url
from scrapers.sources.base import Defaults, Page, ParseContext

#: The host of the Posting API.
API_HOST = "api.smartrecruiters.com"
#: What a posting id looks like when it is put in a detail URL's path.
_POSTING_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
#: Where the public job pages live: `/{company identifier}/{posting id}`.
JOBS_SITE = "https://jobs.smartrecruiters.com"
#: The job ad's sections in the order a job page shows them; any others follow in payload order.
_SECTIONS = ("companyDescription", "jobDescription", "qualifications", "additionalInformation")
#: Custom fields some employers use for what the standard fields leave unsaid.
_FIELD_REMOTE = re.compile(r"workplace|work\s*model|work\s*arrangement|location\s*type|remote", re.I)
_FIELD_KIND = re.compile(r"employment\s*type|job\s*type|contract\s*type", re.I)
#: A function label that says nothing about the job.
_NO_FUNCTION = "other"
#: What makes a `content` list SmartRecruiters' postings: a posting `id` and its title under `name` (the
#: `company` object may be missing: the board names it then). A detail document is told by `jobAd`.
SIGNATURE: Signature = (("id", "name"),)


class SmartRecruiters:
    name: ClassVar[str] = "smartrecruiters"
    defaults: ClassVar[Defaults] = Defaults(
        url=f"https://{API_HOST}/v1/companies/{{board}}/postings?limit=100&offset=0",
        every="6h",
        # The Posting API allows 10 requests a second; two a second reads a board at the page cap (3 list
        # pages, 297 details) in under three minutes, so several boards fit in one fetch job's twenty.
        rate=2.0,
        burst=2,
        content_types=("application/json",),
        # One list page per 100 postings plus one detail page per posting.
        max_pages=300,
        # Every posting's page is read in full: it is what completes the list's entry.
        conditional_follow=False,
    )

    def parse(self, payload: bytes, ctx: ParseContext) -> Page:
        document = load_json(payload, self.name)
        if not isinstance(document, dict):
            raise ParseError("smartrecruiters: expected a JSON object (a postings list or one posting)")
        if isinstance(document.get("content"), list):
            return self._list_page(document, ctx)
        if "jobAd" in document:
            return self._detail_page(document, ctx)
        message = _error_message(document)
        if message:
            raise ParseError(f"smartrecruiters: the API answered with an error: {message!r}")
        raise ParseError("smartrecruiters: expected an object with a 'content' list or a posting with a 'jobAd'")

    def parse_item(self, raw: Any, ctx: ParseContext) -> RawListing | None:
        """Re-read one stored posting (a list entry or a detail document); `ctx.board` is the company."""
        return reread(raw, self.name, lambda item: self._listing(item, ctx))

    def _list_page(self, document: dict[str, Any], ctx: ParseContext) -> Page:
        content: list[Any] = document["content"]
        check_signature(content, self.name, SIGNATURE, "postings")
        page = Page()
        details: list[str] = []
        base = ctx.url or self._list_url(ctx, content)
        for index, item in enumerate(content):
            try:
                listing = self._listing(item, ctx)
            except (KeyError, TypeError, ValueError) as exc:
                page.warnings.append(f"smartrecruiters: item {index} skipped: {exc}")
                continue
            page.listings.append(listing)
            detail = detail_url(base, listing.external_id)
            if detail and detail not in details:
                details.append(detail)
        following = next_page_url(base, document, len(content))
        # The next list page goes first, so that a run cut by the page cap has seen more of the board.
        if following and following != ctx.url:
            page.follow.append(following)
        page.follow.extend(details)
        return page

    def _detail_page(self, document: dict[str, Any], ctx: ParseContext) -> Page:
        """One posting; when it is broken the run goes on with a warning, as for a list entry."""
        page = Page()
        try:
            page.listings.append(self._listing(document, ctx))
        except (KeyError, TypeError, ValueError) as exc:
            page.warnings.append(f"smartrecruiters: posting skipped: {exc}")
        return page

    def _list_url(self, ctx: ParseContext, content: list[Any]) -> str | None:
        """The first list page of the board, for a payload parsed without its URL (a saved file)."""
        first = next(iter(objects(content)), {})
        board = ctx.board or text_field(obj(first.get("company")), "identifier")
        return self.defaults.url.format(board=quote(board, safe="")) if board else None

    def _listing(self, item: Any, ctx: ParseContext) -> RawListing:
        item, external_id, title = job_object(item, "id", "name")
        company = obj(item.get("company"))
        identifier = text_field(company, "identifier") or ctx.board
        location = without_office(obj(item.get("location")))
        fields = custom_fields(item.get("customField"))
        return RawListing(
            source=self.name,
            external_id=external_id,
            title=title,
            url=http_url(item.get("postingUrl")) or job_page(identifier, external_id),
            apply_url=http_url(item.get("applyUrl")),
            company=text_field(company, "name") or board_company(ctx.board or identifier),
            location_raw=location_text(location),
            places=_places(location),
            remote=remote_mode(location) or _custom_field(fields, _FIELD_REMOTE, workplace),
            employment_type=_label(item, "typeOfEmployment") or _custom_field(fields, _FIELD_KIND),
            seniority=_label(item, "experienceLevel"),
            tags=_tags(item),
            description_html=description_html(item.get("jobAd")),
            posted_at=text_field(item, "releasedDate"),
            raw=item,
        )


def detail_url(list_url: str | None, posting_id: str) -> str | None:
    """The detail document of a posting: the list URL's path plus the id, without the query.

    Built, not read from the payload, so it stays on the host the operator configured; None when there
    is no list URL or the id is not a plain token that can stand as one path segment.
    """
    if not list_url or not _POSTING_ID.fullmatch(posting_id):
        return None
    parts = urlsplit(list_url)
    return urlunsplit(parts._replace(path=f"{parts.path.rstrip('/')}/{posting_id}", query="", fragment=""))


def next_page_url(url: str | None, document: dict[str, Any], count: int) -> str | None:
    """The list URL with `offset` moved past this page, or None on the last or an empty page.

    `totalFound` says whether more postings remain; without it, only a full page (as many postings as
    the limit) suggests there is another.
    """
    if not url or count == 0:
        return None
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    offset = _whole(document.get("offset"))
    if offset is None:
        offset = _whole_text(query.get("offset")) or 0
    following = offset + count
    total = _whole(document.get("totalFound"))
    if total is not None:
        if following >= total:
            return None
    else:
        limit = _whole(document.get("limit")) or _whole_text(query.get("limit"))
        if not limit or count < limit:
            return None
    query["offset"] = str(following)
    return urlunsplit(parts._replace(query=urlencode(query)))


def job_page(identifier: str | None, external_id: str) -> str | None:
    """The public job page of a posting, which the list entries do not link to."""
    if not identifier:
        return None
    return f"{JOBS_SITE}/{quote(identifier, safe='')}/{quote(external_id, safe='')}"


def location_text(location: dict[str, Any]) -> str | None:
    """`fullLocation` without its empty parts ("Warsaw, , Poland" -> "Warsaw, Poland"); else the parts."""
    stated = text_field(location, "fullLocation")
    if stated:
        parts: list[str | None] = list(stated.split(","))
    else:
        parts = [text_field(location, "city"), text_field(location, "region"), _country(location)]
    return ", ".join(p.strip() for p in parts if p and p.strip()) or None


def without_office(location: dict[str, Any]) -> dict[str, Any]:
    """A fully remote posting's location cut to its country (the module docstring says why).

    The country's name is the last part of `fullLocation` ("Sandy, UT, United States" -> "United
    States") when a country is stated and the text has several parts, else the `country` code alone (without
    a country, the last part may be the region). Any other location is as stated.
    """
    if remote_mode(location) != "remote" or not (text_field(location, "city") or text_field(location, "region")):
        return location
    kept: dict[str, Any] = {key: location[key] for key in ("country", "remote", "hybrid") if key in location}
    parts = (text_field(location, "fullLocation") or "").split(",")
    if text_field(location, "country") and len(parts) > 1 and parts[-1].strip():
        kept["fullLocation"] = parts[-1].strip()
    return kept


def remote_mode(location: dict[str, Any]) -> str | None:
    """remote/hybrid/onsite from the location flags (the module docstring says how); None if unstated."""
    remote, hybrid = location.get("remote"), location.get("hybrid")
    if hybrid is True:
        return "hybrid"
    if remote is True:
        return "remote"
    if remote is False and (hybrid is False or hybrid is None):
        return "onsite"
    return None


def description_html(job_ad: Any) -> str | None:
    """The job ad's sections as one HTML document, each under its title as a heading."""
    sections = obj(obj(job_ad).get("sections"))
    keys = [*_SECTIONS, *(key for key in sections if key not in _SECTIONS)]
    blocks: list[str] = []
    for key in keys:
        section = obj(sections.get(key))
        text = text_field(section, "text")
        if not text:
            continue  # an empty section, or one without text (the ad's videos)
        heading = text_field(section, "title")
        if heading:
            blocks.append(f"<h3>{html.escape(heading, quote=False)}</h3>")
        blocks.append(text)
    return "\n".join(blocks) or None


def custom_fields(entries: Any) -> list[tuple[str, str]]:
    """The employer's custom fields as (label, value) pairs; entries without both are dropped."""
    pairs: list[tuple[str, str]] = []
    for entry in objects(entries):
        label, value = text_field(entry, "fieldLabel"), text_field(entry, "valueLabel")
        if label and value:
            pairs.append((label, value))
    return pairs


def _custom_field(fields: list[tuple[str, str]], label: re.Pattern[str],
                  read: Callable[[str], str | None] = lambda value: value) -> str | None:
    """The first value, read by `read`, of a custom field whose label matches; None when none does."""
    return next((found for name, value in fields if label.search(name) and (found := read(value))), None)


def _places(location: dict[str, Any]) -> list[dict[str, str | None]]:
    place = {"country": _country(location), "region": text_field(location, "region"),
             "city": text_field(location, "city")}
    return [place] if any(place.values()) else []


def _country(location: dict[str, Any]) -> str | None:
    """The country as stated: an ISO code in lower case ("pl"), which is upper-cased."""
    country = text_field(location, "country")
    if country and len(country) == 2 and country.isascii() and country.isalpha():
        return country.upper()
    return country


def _label(item: dict[str, Any], key: str) -> str | None:
    """The `label` of a {id, label} field such as typeOfEmployment or experienceLevel."""
    return text_field(obj(item.get(key)), "label")


def _tags(item: dict[str, Any]) -> list[str]:
    """The department and function labels, without the placeholder "Other" (a function's default)."""
    found = [_label(item, "department"), _label(item, "function")]
    return list(dict.fromkeys(t for t in found if t and t.lower() != _NO_FUNCTION))


def _error_message(document: dict[str, Any]) -> str | None:
    """The message of an API error object (`{"message": …}` or `{"errors": [{"message": …}]}`)."""
    return text_field(document, "message") or next(
        (m for m in (text_field(e, "message") for e in objects(document.get("errors"))) if m), None)


def _whole(value: Any) -> int | None:
    """A JSON whole number of zero or more; anything else (a string, a boolean, a fraction) is None."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return None


def _whole_text(value: str | None) -> int | None:
    """A whole number written in a query string ("100"); None for anything else."""
    digits = value.strip() if value is not None else ""
    return int(digits) if digits.isascii() and digits.isdigit() and len(digits) <= 18 else None


SOURCE = SmartRecruiters()
