"""Remotive's public API (software-dev category, Python search).

Terms: credit Remotive and link back to the listing URL; listings are delayed 24 h; at most a few
calls a day (more than 2 a minute is blocked); no passing listings on to Google Jobs / LinkedIn.
"""

from __future__ import annotations

from typing import Any, ClassVar

from aggregator.model import RawListing
from scrapers.sources._json import Signature, job_object, jobs_page, reread, text_field
from scrapers.sources._values import http_url, strings
from scrapers.sources.base import Defaults, Page, ParseContext

#: What tells a Remotive job from the other `{"jobs": [...]}` APIs': its company as `company_name` and its
#: page as `url`, both of which it always sends. Greenhouse's jobs have `company_name` but `absolute_url`;
#: Workable's have `url` but no company; Jobicy's and Himalayas' say `companyName`.
SIGNATURE: Signature = (("company_name", "url"),)


class Remotive:
    name: ClassVar[str] = "remotive"
    defaults: ClassVar[Defaults] = Defaults(
        url="https://remotive.com/api/remote-jobs?category=software-dev&search=python",
        every="6h",
        rate=0.02,
        burst=1,
        content_types=("application/json",),
        max_pages=1,
    )

    def parse(self, payload: bytes, ctx: ParseContext) -> Page:
        return jobs_page(payload, self.name, self._listing, signature=SIGNATURE)

    def parse_item(self, raw: Any, ctx: ParseContext) -> RawListing | None:
        """Re-read one stored job object."""
        return reread(raw, self.name, self._listing)

    def _listing(self, item: Any) -> RawListing:
        item, external_id, title = job_object(item, "id", "title")
        company = text_field(item, "company_name")
        return RawListing(
            source=self.name,
            external_id=external_id,
            title=title,
            url=http_url(item.get("url")),
            company=None if company in (None, "N/A") else company,
            location_raw=text_field(item, "candidate_required_location"),
            remote=True,
            employment_type=text_field(item, "job_type"),
            salary_text=text_field(item, "salary"),
            tags=strings(item.get("tags")),
            description_html=text_field(item, "description"),
            posted_at=text_field(item, "publication_date"),
            raw=item,
        )


SOURCE = Remotive()
