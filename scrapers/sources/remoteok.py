"""RemoteOK's public API (`/api?tags=python`).

Terms (the legal notice that is element 0 of every response): link back to the listing on Remote OK
with a followed link and name Remote OK as the source, or API access is suspended. So a listing's
`url` is always RemoteOK's own listing page, never the employer's. No rate is stated; the body is
~0.5 MB whatever the filter, so it is read a few times a day.

Salaries: `salary_min`/`salary_max` are what Remote OK's site shows as "$…" a year, and its API states
them as annual US dollars, so a non-zero figure is USD a year (0 means "not stated"). An employer who
typed another currency's figures there (Graphcore's PLN 350,700-474,400) says so in the ad, and the
normaliser takes the currency the ad writes the same figures in.

Payload quirks handled here: the leading legal-notice element; salary 0 meaning "not stated"; text
whose UTF-8 was decoded as Latin-1 upstream ("Weâ\\x80\\x99re", see `repair_mojibake`); literal
backslash-n sequences inside the HTML; "" for an unknown location or company.
"""

from __future__ import annotations

import contextlib
import re
from typing import Any, ClassVar

from aggregator.errors import ParseError
from aggregator.model import RawListing
from scrapers.sources._json import Signature, check_signature, load_json, reread, text_field
from scrapers.sources._values import http_url, positive, strings
from scrapers.sources.base import Defaults, Page, ParseContext

# Windows-1252 puts printable characters where Latin-1 has C1 controls; mojibake made through
# either codec must map back to the same bytes.
_CP1252_BYTES: dict[str, int] = {}
for _byte in range(0x80, 0xA0):
    # Five bytes cp1252 leaves undefined; Latin-1 covers them as C1 controls.
    with contextlib.suppress(UnicodeDecodeError):
        _CP1252_BYTES[bytes([_byte]).decode("cp1252")] = _byte
_CONT = "[\u0080-\u00bf" + "".join(_CP1252_BYTES) + "]"
# One well-formed UTF-8 multi-byte sequence, each byte shown as its Latin-1/cp1252 character.
# Matching whole sequences only (lead byte plus exactly its continuation bytes) is what keeps
# genuine accented text such as "café" or "Zürich" untouched.
_MOJIBAKE = re.compile(
    f"[\u00c2-\u00df]{_CONT}|[\u00e0-\u00ef]{_CONT}{{2}}|[\u00f0-\u00f4]{_CONT}{{3}}"
)
#: What makes a JSON array RemoteOK's jobs: `position`, RemoteOK's name for the title (Lever, the other
#: array API, calls it `text`). The legal notice is not a job and does not count either way.
SIGNATURE: Signature = (("position",),)
#: The currency and period of every salary the API states.
_API_CURRENCY, _API_PERIOD = "USD", "year"
#: Tags RemoteOK derives from ordinary words of an ad ("go", "Series C"), not from its stack.
_KEYWORD_TAGS = frozenset({"go", "c", "r"})


def _redecode(match: re.Match[str]) -> str:
    text = match.group(0)
    raw = bytes(_CP1252_BYTES.get(ch, ord(ch)) for ch in text)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return text


def repair_mojibake(text: str) -> str:
    """`text` with UTF-8 sequences that were decoded as Latin-1 or cp1252 turned back into characters.

    Only runs that form a valid UTF-8 sequence are replaced ("â\\x80\\x99" -> "’", "Ã³" -> "ó"); a
    string mixing good and broken characters keeps the good ones.
    """
    if not text.isascii():
        return _MOJIBAKE.sub(_redecode, text)
    return text


def _clean(value: str | None) -> str | None:
    """A text field with mojibake repaired; None when nothing is left."""
    if value is None:
        return None
    return repair_mojibake(value).strip() or None


class RemoteOK:
    name: ClassVar[str] = "remoteok"
    defaults: ClassVar[Defaults] = Defaults(
        url="https://remoteok.com/api?tags=python",
        every="4h",
        rate=0.05,
        burst=1,
        content_types=("application/json",),
        max_pages=1,
    )

    def parse(self, payload: bytes, ctx: ParseContext) -> Page:
        document = load_json(payload, self.name)
        if not isinstance(document, list):
            raise ParseError("remoteok: expected a JSON list (legal notice followed by jobs)")
        # A list holding only the legal notice is a search with no results.
        check_signature([item for item in document if not _is_notice(item)], self.name, SIGNATURE)
        page = Page()
        for index, item in enumerate(document):
            if _is_notice(item):
                continue  # the terms notice, not a job
            try:
                page.listings.append(self._listing(item))
            except (KeyError, TypeError, ValueError) as exc:
                page.warnings.append(f"remoteok: item {index} skipped: {exc}")
        return page

    def parse_item(self, raw: Any, ctx: ParseContext) -> RawListing | None:
        """Re-read one stored job object; the legal notice holds no listing."""
        if _is_notice(raw):
            return None
        return reread(raw, self.name, self._listing)

    def _listing(self, item: Any) -> RawListing:
        if not isinstance(item, dict):
            raise TypeError("not an object")
        external_id = text_field(item, "id")
        title = _clean(text_field(item, "position"))
        if not external_id or not title:
            raise ValueError("no id or position")
        # The attribution the terms require: RemoteOK's listing page, built from the slug if absent.
        url = http_url(item.get("url"))
        if url is None and (slug := text_field(item, "slug")):
            url = f"https://remoteok.com/remote-jobs/{slug}"
        low, high = positive(item.get("salary_min")), positive(item.get("salary_max"))
        stated = low is not None or high is not None
        description = _clean(text_field(item, "description"))
        # "Sonipat, " and "How, ": a city with an empty region after it.
        location = _clean((text_field(item, "location") or "").strip(" ,"))
        return RawListing(
            source=self.name,
            external_id=external_id,
            title=title,
            url=url,
            apply_url=http_url(item.get("apply_url")),
            company=_clean(text_field(item, "company")),
            location_raw=location,
            remote=True,  # a remote-only board
            salary_min=low,
            salary_max=high,
            # Annual US dollars, as the API states them (the module docstring says more).
            salary_currency=_API_CURRENCY if stated else None,
            salary_period=_API_PERIOD if stated else None,
            tags=_tags(item.get("tags")),
            description_html=description.replace("\\r\\n", "\n").replace("\\n", "\n") if description else None,
            posted_at=text_field(item, "date") or positive(item.get("epoch")),
            raw=item,
        )


def _tags(value: Any) -> list[str]:
    """The job's tags, without the lone words RemoteOK files every ad under whose text contains them.

    RemoteOK tags an ad with words found in it: "go" from "we go fearlessly forward", "c" from "Series
    C" or "Hepatitis C". Tags are otherwise read as the employer's own statement of the stack, so these
    would make a sales engineer a Go developer. A real Go or C job still says so in its text ("Go",
    "golang" is kept).
    """
    tags = [repair_mojibake(tag) for tag in strings(value)]
    return [tag for tag in tags if tag.strip().casefold() not in _KEYWORD_TAGS]


def _is_notice(item: Any) -> bool:
    """Whether an element of the list is the legal notice (element 0 of every response), not a job."""
    return isinstance(item, dict) and "legal" in item and "id" not in item


SOURCE = RemoteOK()
