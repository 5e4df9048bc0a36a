"""Hypothesis strategies for the parser fuzz tests: documents in each source's shape, and byte mutations.

Structure-aware documents reach deep into an adapter (an item with an id and a title gets past the
envelope checks and into salary, location and date reading), while every field may still hold a
value of the wrong type; the mutations then break the framing itself (bit flips, cuts, splices,
control bytes, huge numbers, deep nesting) starting from samples and real captures.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import note
from hypothesis import strategies as st

from scrapers import sources
from scrapers.sources.base import ParseContext
from tests.fuzz.conftest import REAL, SAMPLES

__all__ = ["DOCUMENTS", "contexts", "mutated", "seeds"]

Strategy = st.SearchStrategy[Any]

# --- values ------------------------------------------------------------------------------------------------

#: Text that has broken parsers before: markup, entities, control and bidi characters, pay, places.
_HOSTILE = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<a href=\"javascript:alert(1)\">x</a>",
    "&lt;p&gt;escaped&lt;/p&gt;", "&amp;lt;b&amp;gt;", "&#0;", "&#x110000;", "&#99999999999;", "&nbsp;", "&bogus;",
    "\x00", "\x1b[31m", "\x0c", "\u202e", "\ufeff", "\u2028", "e\u0301", "\U0001f1fa\U0001f1f8", "]]>",
    "<![CDATA[", "-->", "<!--", "\\n", "\r\n", "\n\n", "<p>", "</p>", "<li>", "<br>", "<", ">", "&", "\"", "'",
    "€85k–€105k", "$120,000 - $150,000 a year", "£50/hr", "100-200k", "1e309", "-1", "0", "NaN",
    "Remote (EU)", "Berlin, Germany", "UTC+5:30", "GMT-3 to GMT+2", "🇺🇸 United States of America, 🇨🇦 Canada",
    "USA Only", "Anywhere in the World", "Senior", "Intern", "full time", "CONTRACTOR", "per-hour-wage",
    "Python", "Django, FastAPI and PostgreSQL", "Ask HN: Who is hiring? (May 2026)", "x" * 300,
]
TEXT: Strategy = st.one_of(
    st.text(max_size=30),
    st.sampled_from(_HOSTILE),
    st.lists(st.sampled_from(_HOSTILE) | st.text(max_size=8), max_size=6).map("".join),
)
_HUGE = st.sampled_from([10**400, -(10**30), 2**63, 2**64 + 1, -(2**63) - 1, 0, -1, 1, 10**15, 1.5e308, 5e-324])
SCALAR: Strategy = st.one_of(
    st.none(), st.booleans(), st.integers(), _HUGE, st.floats(allow_nan=False, allow_infinity=False), TEXT,
)
ANY_JSON: Strategy = st.recursive(
    SCALAR, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)
URL: Strategy = st.one_of(
    st.sampled_from([
        "https://example.org/jobs/1", "https://jobs.lever.co/acme/abc-123", "https://jobs.ashbyhq.com/acme/x",
        "https://remoteok.com/remote-jobs/x-1", "https://weworkremotely.com/remote-jobs/acme-backend-dev",
        "https://www.python.org/jobs/8106/", "https://jobicy.com/jobs/113597-python-dev", "http://[::1",
        "https://user:pw@example.org:99999/x", "javascript:alert(1)", "data:text/html,<script>x</script>",
        "//evil.example/x", "", " ", "https://example.org/?utm_source=x&ref=y#frag", "HTTPS://EXAMPLE.ORG",
    ]),
    st.builds("https://{}/{}".format, st.from_regex(r"[a-z0-9.-]{1,20}", fullmatch=True), st.text(max_size=12)),
    TEXT,
)
_DATE_TEXT = st.sampled_from([
    "2026-08-03T15:02:19.000Z", "2025-12-14T20:45:43", "2024-12-05 10:00:00", "Mon, 04 Nov 2024 12:00:00 +0000",
    "Dec 5, 2024", "05.12.2024", "20241205", "0000-00-00", "9999-12-31T23:59:59Z", "2024-02-30", "yesterday",
    "1785769339", "1785769339000", "-1", "2025-06-10 08:35:07 UTC", "2026-07-28T09:00:00+02:00",
])
_ZONES: Strategy = st.sampled_from(
    [None, UTC, timezone(timedelta(hours=14)), timezone(timedelta(hours=-12, minutes=-30))])
DATE: Strategy = st.one_of(
    _DATE_TEXT, st.integers(), _HUGE, st.floats(allow_nan=False, allow_infinity=False),
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=_ZONES).map(
        lambda moment: moment.isoformat()),
    TEXT,
)
NUMBER: Strategy = st.one_of(
    st.integers(min_value=-10, max_value=10**7), _HUGE, st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["120000", "120k", "1,000.50", "NaN", "inf", "-5", "1e400", "", "12.000,00"]),
)
ID: Strategy = st.one_of(st.integers(), st.text(min_size=1, max_size=12), st.sampled_from(["", " ", "0", "N/A"]))
CURRENCY: Strategy = st.one_of(st.sampled_from(["USD", "EUR", "gbp", "$", "€", "XXX", "", "US Dollar"]), TEXT)
PERIOD: Strategy = st.one_of(st.sampled_from(["year", "MONTH", "1 HOUR", "per-day-wage", "one-time", "weekly"]), TEXT)
BOOL: Strategy = st.one_of(st.booleans(), st.none(), st.sampled_from(["true", "remote", "hybrid", "OnSite", "0"]))


def _markup(text: Strategy = TEXT) -> Strategy:
    """An HTML description: random text wrapped in random (possibly unbalanced) elements."""
    return st.lists(
        st.tuples(st.sampled_from(["p", "li", "ul", "b", "a href=\"https://x.example\"", "div", "h3", "script",
                                   "style", "pre", "span", "table", "td", "svg", "math", "noscript"]),
                  text, st.booleans()),
        max_size=5,
    ).map(lambda parts: "".join(f"<{tag}>{body}" + (f"</{tag.split()[0]}>" if close else "")
                                for tag, body, close in parts))


HTML: Strategy = st.one_of(_markup(), _markup().map(html.escape), TEXT)


def _field(plausible: Strategy) -> Strategy:
    """Mostly a value of the right kind, sometimes any JSON value at all."""
    return st.one_of(plausible, plausible, plausible, ANY_JSON)


def _strings(text: Strategy = TEXT) -> Strategy:
    return st.one_of(st.lists(text, max_size=4), text)


def _object(required: dict[str, Strategy], optional: dict[str, Strategy]) -> Strategy:
    return st.fixed_dictionaries(
        {key: _field(value) for key, value in required.items()},
        optional={key: _field(value) for key, value in optional.items()},
    )


def _items(item: Strategy) -> Strategy:
    """A list of items, a few of which are not objects at all."""
    return st.lists(st.one_of(item, item, item, item, ANY_JSON), max_size=4)


def _json(document: Strategy) -> Strategy:
    """JSON bytes, ASCII-escaped or raw UTF-8 as different servers write them."""
    return st.tuples(document, st.booleans()).map(
        lambda pair: json.dumps(pair[0], ensure_ascii=pair[1]).encode("utf-8", "surrogatepass"))


# --- JSON APIs ---------------------------------------------------------------------------------------------

_REMOTIVE = _object(
    {"id": ID, "title": TEXT},
    {"url": URL, "company_name": TEXT, "candidate_required_location": TEXT, "job_type": TEXT, "salary": TEXT,
     "tags": _strings(), "description": HTML, "publication_date": DATE},
)
_REMOTEOK = _object(
    {"id": ID, "position": TEXT},
    {"slug": TEXT, "url": URL, "apply_url": URL, "salary_min": NUMBER, "salary_max": NUMBER, "description": HTML,
     "location": TEXT, "company": TEXT, "tags": _strings(), "date": DATE, "epoch": DATE},
)
_JOBICY = _object(
    {"id": ID, "jobTitle": TEXT},
    {"url": URL, "companyName": TEXT, "jobGeo": TEXT, "jobType": _strings(), "jobLevel": TEXT,
     "salaryMin": NUMBER, "salaryMax": NUMBER, "annualSalaryMin": NUMBER, "annualSalaryMax": NUMBER,
     "salaryCurrency": CURRENCY, "salaryPeriod": PERIOD, "jobIndustry": _strings(), "jobDescription": HTML,
     "jobExcerpt": TEXT, "pubDate": DATE},
)
_ARBEITNOW = _object(
    {"slug": ID, "title": TEXT},
    {"url": URL, "company_name": TEXT, "location": TEXT, "remote": BOOL, "job_types": _strings(),
     "tags": _strings(), "description": HTML, "created_at": DATE},
)
_COUNTRY = st.one_of(
    TEXT, st.sampled_from(["US", "de", "United Kingdom", "Côte d'Ivoire", "UK", "XX"]),
    st.fixed_dictionaries({}, optional={"alpha2": ID, "name": TEXT, "code": ID, "country": TEXT}),
)
_HIMALAYAS = _object(
    {"guid": URL, "title": TEXT},
    {"applicationLink": URL, "companyName": TEXT, "locationRestrictions": st.lists(_COUNTRY, max_size=4),
     "timezoneRestrictions": st.lists(st.one_of(NUMBER, st.sampled_from(["UTC+5:30", "-5", "GMT", "+14:00"])),
                                      max_size=4),
     "minSalary": NUMBER, "maxSalary": NUMBER, "currency": CURRENCY, "salaryPeriod": PERIOD,
     "employmentType": TEXT, "seniority": _strings(), "categories": _strings(), "description": HTML,
     "excerpt": TEXT, "pubDate": DATE},
)
_NAMED = st.lists(st.fixed_dictionaries({}, optional={"name": _field(TEXT), "id": ID}), max_size=3)
_PAY_BLOCK = st.builds(
    "<div class=\"title\">{}</div><div class=\"pay-range\"><span>{}</span><span class=\"divider\">—</span>"
    "<span>{}</span></div>".format, TEXT, TEXT, TEXT)
_GREENHOUSE = _object(
    {"id": ID, "title": TEXT},
    {"absolute_url": URL, "company_name": TEXT, "location": st.fixed_dictionaries({}, optional={"name": TEXT}),
     "offices": _NAMED, "departments": _NAMED,
     "metadata": st.lists(st.fixed_dictionaries({"name": _field(st.sampled_from(
         ["Location Type", "Employment Type", "Workplace", "x"])), "value": _field(TEXT)}), max_size=3),
     "content": st.one_of(HTML, st.tuples(HTML, _PAY_BLOCK).map("".join)).map(html.escape),
     "first_published": DATE, "updated_at": DATE},
)
_LEVER = _object(
    {"id": ID, "text": TEXT},
    {"hostedUrl": URL, "applyUrl": URL, "country": _COUNTRY, "workplaceType": BOOL,
     "categories": st.fixed_dictionaries({}, optional={
         "commitment": _field(TEXT), "level": _field(TEXT), "location": _field(TEXT),
         "allLocations": _field(_strings()), "department": _field(TEXT), "team": _field(TEXT)}),
     "salaryRange": st.fixed_dictionaries({}, optional={
         "min": NUMBER, "max": NUMBER, "currency": CURRENCY,
         "interval": st.sampled_from(["per-year-salary", "per-hour-wage", "one-time", "x"])}),
     "description": HTML, "descriptionBody": HTML, "opening": HTML,
     "lists": st.lists(st.fixed_dictionaries({}, optional={"text": _field(TEXT), "content": _field(HTML)}),
                       max_size=3),
     "additional": HTML, "createdAt": DATE},
)
_POSTAL = st.fixed_dictionaries({}, optional={"postalAddress": st.fixed_dictionaries({}, optional={
    "addressCountry": _field(_COUNTRY), "addressRegion": _field(TEXT), "addressLocality": _field(TEXT)})})
_COMPONENT = st.fixed_dictionaries({}, optional={
    "compensationType": st.sampled_from(["Salary", "EquityPercentage", "Bonus", "x"]),
    "interval": st.sampled_from(["1 YEAR", "1 HOUR", "1 MONTH", "NONE", "x"]), "currencyCode": _field(CURRENCY),
    "minValue": _field(NUMBER), "maxValue": _field(NUMBER)})
_LABEL = st.fixed_dictionaries({}, optional={"id": _field(TEXT), "label": _field(TEXT)})
_SR_LOCATION = st.fixed_dictionaries({}, optional={
    "city": _field(TEXT), "region": _field(TEXT), "country": _field(_COUNTRY), "remote": BOOL, "hybrid": BOOL,
    "fullLocation": _field(TEXT)})
_SR_SECTION = st.fixed_dictionaries({}, optional={"title": _field(TEXT), "text": _field(HTML)})
_SMARTRECRUITERS = _object(
    {"id": ID, "name": TEXT},
    {"company": st.fixed_dictionaries({}, optional={"identifier": _field(TEXT), "name": _field(TEXT)}),
     "releasedDate": DATE, "location": _SR_LOCATION, "department": _LABEL, "function": _LABEL,
     "typeOfEmployment": _LABEL, "experienceLevel": _LABEL, "ref": URL, "postingUrl": URL, "applyUrl": URL,
     "customField": st.lists(st.fixed_dictionaries({}, optional={"fieldLabel": _field(TEXT),
                                                               "valueLabel": _field(TEXT)}), max_size=3),
     "jobAd": st.fixed_dictionaries({}, optional={"sections": st.dictionaries(
         st.sampled_from(["companyDescription", "jobDescription", "qualifications", "additionalInformation", "x"]),
         _field(_SR_SECTION), max_size=4)})},
)
_WORKABLE_PLACE = st.fixed_dictionaries({}, optional={
    "country": _field(TEXT), "countryCode": _field(_COUNTRY), "city": _field(TEXT), "region": _field(TEXT),
    "hidden": BOOL})
_WORKABLE = _object(
    {"shortcode": ID, "title": TEXT},
    {"employment_type": TEXT, "telecommuting": BOOL, "department": TEXT, "url": URL, "shortlink": URL,
     "application_url": URL, "published_on": DATE, "created_at": DATE, "country": TEXT, "city": TEXT,
     "state": TEXT, "experience": TEXT, "function": TEXT, "industry": TEXT,
     "locations": st.lists(_WORKABLE_PLACE, max_size=3), "description": HTML},
)
_ASHBY = _object(
    {"id": ID, "title": TEXT},
    {"jobUrl": URL, "applyUrl": URL, "location": TEXT, "address": _POSTAL,
     "secondaryLocations": st.lists(st.fixed_dictionaries({}, optional={"location": TEXT, "address": _POSTAL}),
                                    max_size=3),
     "workplaceType": BOOL, "isRemote": BOOL, "isListed": BOOL, "employmentType": TEXT,
     "compensation": st.fixed_dictionaries({}, optional={
         "compensationTiers": st.lists(st.fixed_dictionaries({"components": st.lists(_COMPONENT, max_size=3)}),
                                       max_size=3),
         "summaryComponents": st.lists(_COMPONENT, max_size=3),
         "scrapeableCompensationSalarySummary": TEXT, "compensationTierSummary": TEXT}),
     "department": TEXT, "team": TEXT, "descriptionHtml": HTML, "descriptionPlain": TEXT, "publishedAt": DATE},
)

# --- Hacker News -------------------------------------------------------------------------------------------

_HEADLINE_PART = st.one_of(
    st.sampled_from(["Acme Corp", "Senior Backend Engineer (Python, Django)", "Berlin, Germany", "REMOTE (EU)",
                     "ONSITE", "Full-time", "$120k-$160k", "€85k–€105k", "VISA", "INTERNS", "Remote | Onsite",
                     "<a href=\"https:&#x2F;&#x2F;acme.example&#x2F;jobs\" rel=\"nofollow\">acme.example/jobs</a>"]),
    TEXT,
)
_HEADLINE = st.tuples(
    st.lists(_HEADLINE_PART, max_size=7), st.sampled_from([" | ", " - ", " / ", "|", " · "]), st.booleans(), HTML,
).map(lambda parts: parts[1].join(parts[0]) + ("<p>" if parts[2] else "") + parts[3])


@st.composite
def _comment_tree(draw: st.DrawFn, parent: Any, depth: int = 0) -> dict[str, Any]:
    comment_id = draw(_field(st.integers(min_value=1, max_value=10**9)))
    comment: dict[str, Any] = draw(st.fixed_dictionaries(
        {"id": st.just(comment_id), "parent_id": st.one_of(st.just(parent), ANY_JSON)},
        optional={"author": _field(TEXT), "text": _field(_HEADLINE), "created_at_i": _field(DATE),
                  "created_at": _field(DATE), "deleted": BOOL, "dead": BOOL,
                  "type": st.sampled_from(["comment", "story", "x"])},
    ))
    if depth < 3:
        comment["children"] = draw(st.lists(_comment_tree(comment_id, depth + 1), max_size=2))
    return comment


@st.composite
def _hn_thread(draw: st.DrawFn) -> dict[str, Any]:
    story_id = draw(_field(st.integers(min_value=1, max_value=10**9)))
    thread: dict[str, Any] = {"id": story_id, "type": draw(st.sampled_from(["story", "comment", "job"])),
                              "title": draw(_field(_HEADLINE_PART)), "author": "whoishiring"}
    thread["children"] = draw(st.lists(st.one_of(_comment_tree(story_id), ANY_JSON), max_size=4))
    return thread


_HN_HIT = st.fixed_dictionaries({}, optional={
    "objectID": _field(ID), "comment_text": _field(_HEADLINE), "story_id": _field(st.integers(1, 5)),
    "parent_id": _field(st.integers(1, 5)), "author": _field(TEXT), "created_at_i": _field(DATE),
    "created_at": _field(DATE), "title": _field(st.sampled_from(["Ask HN: Who is hiring? (July 2026)", "x"])),
    "_tags": st.lists(st.sampled_from(["comment", "story", "story_1", "author_whoishiring"]), max_size=3),
})
_HN = st.one_of(
    _hn_thread(),
    st.fixed_dictionaries({"hits": st.lists(st.one_of(_HN_HIT, _HN_HIT, ANY_JSON), max_size=5)},
                          optional={"page": _field(st.integers(0, 3)), "nbPages": _field(st.integers(0, 3))}),
)

# --- feeds ---------------------------------------------------------------------------------------------------


def _xml_text(value: str, mode: str) -> str:
    """Element text as feeds really write it: escaped, in CDATA, or raw (and so often malformed)."""
    if mode == "escaped":
        return html.escape(value, quote=False)
    if mode == "cdata":
        return f"<![CDATA[{value}]]>"
    return value


_XML_MODE = st.sampled_from(["escaped", "escaped", "cdata", "raw"])
_RSS_CHILDREN = {
    "title": TEXT, "link": URL, "guid": st.one_of(URL, ID.map(str)), "description": HTML, "content:encoded": HTML,
    "pubDate": DATE.map(str), "dc:date": DATE.map(str), "category": TEXT, "author": TEXT, "dc:creator": TEXT,
    "region": TEXT, "country": _COUNTRY.map(str), "state": TEXT, "skills": TEXT, "type": TEXT,
    "expires_at": DATE.map(str), "company": TEXT, "job:location": TEXT, "salary": TEXT, "job_type": TEXT,
}
_PYTHONORG_TITLE = st.builds("{}, {}".format, TEXT, st.sampled_from(["Acme", "UpDoc, Inc.", "Foo GmbH", ""]))
_WWR_TITLE = st.builds("{}: {}".format, TEXT, TEXT)
_JOB_LINK = st.one_of(URL, st.integers(0, 10**6).map("https://www.python.org/jobs/{}/".format),
                      st.text(max_size=10).map("https://weworkremotely.com/remote-jobs/{}".format))


@st.composite
def _feed_item(draw: st.DrawFn, kind: str) -> str:
    children = dict(_RSS_CHILDREN)
    children["title"] = st.one_of(TEXT, _PYTHONORG_TITLE, _WWR_TITLE)
    children["link"] = _JOB_LINK
    names = draw(st.lists(st.sampled_from(sorted(children)), max_size=9))
    if draw(st.booleans()):
        names = ["title", "link", *names]
    parts = []
    for name in names:
        value, mode = str(draw(children[name])), draw(_XML_MODE)
        if kind == "atom" and name == "link":
            parts.append(f"<link href=\"{html.escape(value)}\"/>")
        elif kind == "atom" and name in ("description", "content:encoded"):
            tag = "summary" if name == "description" else "content"
            parts.append(f"<{tag} type=\"html\">{_xml_text(value, mode)}</{tag}>")
        else:
            parts.append(f"<{name}>{_xml_text(value, mode)}</{name}>")
    if draw(st.booleans()):
        parts.append("<media:content url=\"https://x.example/a.png\"/><enclosure url=\"relative/b.mp3\"/>")
    tag = "entry" if kind == "atom" else "item"
    about = " rdf:about=\"https://example.org/1\"" if kind == "rdf" else ""
    return f"<{tag}{about}>{''.join(parts)}</{tag}>"


_NAMESPACES = ('xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"'
               ' xmlns:media="http://search.yahoo.com/mrss/" xmlns:job="urn:x-job"')
_PROLOGS = ["", "<?xml version=\"1.0\" encoding=\"utf-8\"?>", "\ufeff<?xml version=\"1.0\"?>",
            "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>", "<!DOCTYPE rss>", "\n\n  <!-- c -->",
            "<!DOCTYPE rss [<!ENTITY e \"x\">]>", "<?xml-stylesheet href=\"s.xsl\"?>",
            "<?xml version=\"1.0\" encoding=\"utf-32\"?>", "<?xml version=\"1.0\" encoding=\"nope\"?>"]


@st.composite
def _feed(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["rss", "rss", "atom", "rdf"]))
    items = "".join(draw(st.lists(_feed_item(kind), max_size=4)))
    title = _xml_text(draw(TEXT), draw(_XML_MODE))
    if kind == "rss":
        body = f"<rss version=\"2.0\" {_NAMESPACES}><channel><title>{title}</title>{items}</channel></rss>"
    elif kind == "atom":
        body = f"<feed xmlns=\"http://www.w3.org/2005/Atom\" {_NAMESPACES}><title>{title}</title>{items}</feed>"
    else:
        body = (f"<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns=\"http://purl.org/rss/1.0/\""
                f" {_NAMESPACES}><channel><title>{title}</title></channel>{items}</rdf:RDF>")
    text = draw(st.sampled_from(_PROLOGS)) + body
    if draw(st.booleans()):
        text = text[: draw(st.integers(0, len(text)))]  # a feed cut short by the network
    codec = draw(st.sampled_from(["utf-8", "utf-8", "utf-16", "latin-1"]))
    return text.encode(codec, "replace")


# --- JSON-LD pages and sitemaps ------------------------------------------------------------------------

_TYPE = st.sampled_from(["JobPosting", ["JobPosting", "Thing"], "schema:JobPosting", "http://schema.org/JobPosting",
                         "jobposting", "Organization", 7])
_PLACE = st.fixed_dictionaries({}, optional={
    "@type": st.just("Place"), "name": _field(TEXT),
    "address": st.one_of(TEXT, st.fixed_dictionaries({}, optional={
        "addressLocality": _field(TEXT), "addressRegion": _field(TEXT), "addressCountry": _field(_COUNTRY)}))})
_POSTING = st.fixed_dictionaries({"@type": _TYPE}, optional={
    "title": _field(TEXT), "name": _field(TEXT), "url": _field(URL), "datePosted": _field(DATE),
    "identifier": _field(st.one_of(ID, st.fixed_dictionaries({"value": ID}))),
    "hiringOrganization": _field(st.one_of(TEXT, st.fixed_dictionaries({}, optional={"name": TEXT, "sameAs": URL}))),
    "jobLocation": _field(st.one_of(_PLACE, st.lists(_PLACE, max_size=3))),
    "jobLocationType": _field(st.sampled_from(["TELECOMMUTE", "remote", "x"])),
    "applicantLocationRequirements": _field(st.lists(st.fixed_dictionaries({"@type": st.just("Country"),
                                                                             "name": _COUNTRY}), max_size=3)),
    "baseSalary": _field(st.one_of(NUMBER, st.fixed_dictionaries({}, optional={
        "currency": CURRENCY, "value": st.one_of(NUMBER, st.fixed_dictionaries({}, optional={
            "minValue": NUMBER, "maxValue": NUMBER, "value": NUMBER, "unitText": PERIOD}))}))),
    "employmentType": _field(_strings(st.sampled_from(["FULL_TIME", "PART_TIME", "CONTRACTOR", "INTERN", "x"]))),
    "description": _field(HTML),
})
_LD_VALUE = st.one_of(_POSTING, st.lists(_POSTING, max_size=3),
                      st.fixed_dictionaries({"@graph": st.lists(st.one_of(_POSTING, ANY_JSON), max_size=3)}), ANY_JSON)


@st.composite
def _ld_block(draw: st.DrawFn) -> str:
    text = json.dumps(draw(_LD_VALUE), ensure_ascii=draw(st.booleans()))
    damage = draw(st.sampled_from(["none", "none", "trailing-comma", "comment", "cdata", "newline", "cut"]))
    if damage == "trailing-comma":
        text = re.sub(r"([}\]])", r",\1", text, count=2)
    elif damage == "comment":
        text = f"<!-- {text} -->"
    elif damage == "cdata":
        text = f"//<![CDATA[\n{text}\n//]]>"
    elif damage == "newline":
        text = text.replace(" ", "\n")
    elif damage == "cut":
        text = text[: draw(st.integers(0, len(text)))]
    kind = draw(st.sampled_from(["application/ld+json", "APPLICATION/LD+JSON; charset=utf-8", "text/javascript"]))
    return f"<script type=\"{kind}\">{text}</script>"


@st.composite
def _ld_page(draw: st.DrawFn) -> bytes:
    blocks = "".join(draw(st.lists(_ld_block(), max_size=3)))
    body = draw(HTML)
    return f"<!DOCTYPE html><html><head><title>x</title>{blocks}</head><body>{body}</body></html>".encode(
        "utf-8", "surrogatepass")


@st.composite
def _sitemap(draw: st.DrawFn) -> bytes:
    root = draw(st.sampled_from(["urlset", "sitemapindex", "x:urlset"]))
    entry = "url" if root.endswith("urlset") else "sitemap"
    locs = draw(st.lists(st.tuples(URL, st.booleans()), max_size=5))
    urls = "".join(f"<{entry}><loc>{f'<![CDATA[{u}]]>' if cdata else html.escape(u)}</loc></{entry}>"
                   for u, cdata in locs)
    return f"<?xml version=\"1.0\"?><{root} xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">{urls}</{root}>".encode(
        "utf-8", "surrogatepass")


# --- per source ------------------------------------------------------------------------------------------------

_LEGAL = st.fixed_dictionaries({"legal": TEXT}, optional={"last_updated": DATE})

#: Source name -> strategy of whole payloads in that source's shape.
DOCUMENTS: dict[str, Strategy] = {
    "remotive": _json(st.fixed_dictionaries({"jobs": _items(_REMOTIVE)}, optional={
        "job-count": NUMBER, "0-legal-notice": TEXT})),
    "remoteok": _json(st.tuples(st.lists(_LEGAL, max_size=1), _items(_REMOTEOK)).map(lambda p: p[0] + p[1])),
    "jobicy": st.one_of(_json(st.fixed_dictionaries({"jobs": _items(_JOBICY)}, optional={
        "friendlyNotice": TEXT})), _feed()),
    "arbeitnow": _json(st.fixed_dictionaries({"data": _items(_ARBEITNOW)}, optional={
        "links": st.fixed_dictionaries({}, optional={"next": _field(URL)})})),
    "himalayas": _json(st.fixed_dictionaries({"jobs": _items(_HIMALAYAS)}, optional={
        "offset": _field(NUMBER), "limit": _field(NUMBER), "totalCount": _field(NUMBER)})),
    "greenhouse": _json(st.fixed_dictionaries({"jobs": _items(_GREENHOUSE)}, optional={
        "meta": st.fixed_dictionaries({"total": NUMBER})})),
    "lever": _json(st.one_of(_items(_LEVER), st.fixed_dictionaries({"ok": st.just(False), "error": TEXT}))),
    "ashby": _json(st.fixed_dictionaries({"jobs": _items(_ASHBY)}, optional={"apiVersion": TEXT})),
    "smartrecruiters": _json(st.one_of(
        st.fixed_dictionaries({"content": _items(_SMARTRECRUITERS)}, optional={
            "offset": _field(NUMBER), "limit": _field(NUMBER), "totalFound": _field(NUMBER)}),
        _SMARTRECRUITERS, st.fixed_dictionaries({"message": TEXT}))),
    "workable": _json(st.fixed_dictionaries({"jobs": _items(_WORKABLE)}, optional={
        "name": TEXT, "description": HTML})),
    "hn": _json(_HN),
    "rss": _feed(),
    "weworkremotely": _feed(),
    "pythonorg": _feed(),
    "jsonld": st.one_of(_ld_page(), _ld_page(), _sitemap()),
}


def contexts(source: str) -> Strategy:
    """Parse contexts: none, the source's own endpoint, odd URLs and odd board tokens.

    The URL is one the fetcher fetched, so it is never unparsable ("http://[::1" raises ValueError in
    urlsplit, and no request could have been made to it); the payload's own URLs get no such favour.
    """
    default = sources.get(source).defaults.url
    return st.builds(
        ParseContext,
        url=st.one_of(st.none(), st.just(default.replace("{board}", "acme")), st.sampled_from([
            "https://example.org/feed.xml?limit=2&skip=0", "https://api.lever.co/v0/postings/acme?mode=json&limit=1",
            "https://hn.algolia.com/api/v1/search_by_date?tags=comment,story_1&page=0", "not a url",
            "https://himalayas.app/jobs/api?limit=x&offset=-5",
        ])),
        board=st.one_of(st.none(), st.sampled_from(["acme", "acme-robotics", "", "  ", "ÄÖ_x", "-"]),
                        st.text(max_size=8)),
        page=st.integers(0, 5),
    )


# --- mutations of real and sample payloads ------------------------------------------------------------------------

#: Samples of each source (aggregator/samples).
_SAMPLES: dict[str, tuple[str, ...]] = {
    "remoteok": ("remoteok.json",), "remotive": ("remotive.json",), "jobicy": ("jobicy.json", "jobicy.rss"),
    "weworkremotely": ("weworkremotely.rss",), "pythonorg": ("pythonorg.rss",), "arbeitnow": ("arbeitnow.json",),
    "himalayas": ("himalayas.json",), "greenhouse": ("greenhouse.json",), "lever": ("lever.json",),
    "ashby": ("ashby.json",), "hn": ("hn_search.json", "hn_thread.json"),
    "smartrecruiters": ("smartrecruiters.json", "smartrecruiters_posting_102.json"), "workable": ("workable.json",),
    "rss": ("feed.atom", "pythonorg.rss", "weworkremotely.rss", "jobicy.rss"),
    "jsonld": ("jsonld_job.html", "sitemap.xml"),
}
#: Real captures of each source (../shared/fixtures/real), by file-name prefix.
REAL_PREFIXES: dict[str, tuple[str, ...]] = {
    "remoteok": ("remoteok-",), "remotive": ("remotive-",), "jobicy": ("jobicy-",), "weworkremotely": ("wwr-",),
    "pythonorg": ("pythonorg-",), "arbeitnow": ("arbeitnow-",), "himalayas": ("himalayas-",),
    "greenhouse": ("greenhouse-",), "lever": ("lever-",), "ashby": ("ashby-",), "hn": ("hn-",),
    "rss": ("wwr-", "pythonorg-"), "jsonld": ("jsonld-",), "smartrecruiters": ("smartrecruiters-",),
    "workable": ("workable-",),
}
#: Real files up to this size are mutated whole; larger ones item by item (a whole 450 kB capture costs
#: ~1 s per example under tracemalloc, which 10,000 examples cannot afford; `test_real_payload_mutations`
#: mutates them whole a few times instead).
WHOLE_LIMIT = 24 * 1024
_PER_FILE = 25
_LIST_KEYS = ("jobs", "data", "hits", "children", "content")
_RSS_ITEM = re.compile(rb"<(item|entry)[\s>].*?</\1>", re.S)


def real_files(source: str) -> list[Path]:
    if not REAL.is_dir():
        return []
    return sorted(p for p in REAL.iterdir() if p.name.startswith(REAL_PREFIXES[source]))


def _spread(items: list[Any]) -> list[Any]:
    step = max(1, len(items) // _PER_FILE)
    return items[::step][:_PER_FILE]


def _item_seeds(name: str, data: bytes) -> list[tuple[str, bytes]]:
    """One-item documents cut from a large real capture, keeping its envelope (JSON) or bytes (XML)."""
    if data.lstrip()[:1] in (b"{", b"["):
        document = json.loads(data)
        if isinstance(document, list):
            head = [document[0]] if document and isinstance(document[0], dict) and "legal" in document[0] else []
            return [(f"{name}[{i}]", json.dumps([*head, item], ensure_ascii=False).encode())
                    for i, item in enumerate(_spread(document[len(head):]))]
        key = next((k for k in _LIST_KEYS if isinstance(document.get(k), list)), None)
        if key is None:
            return []
        return [(f"{name}[{i}]", json.dumps({**document, key: [item]}, ensure_ascii=False).encode())
                for i, item in enumerate(_spread(document[key]))]
    found = list(_RSS_ITEM.finditer(data))
    if not found:
        return []
    prefix, suffix = data[: found[0].start()], data[found[-1].end():]
    return [(f"{name}[{i}]", prefix + match.group() + suffix) for i, match in enumerate(_spread(found))]


@cache
def seeds(source: str) -> tuple[tuple[str, bytes], ...]:
    """(label, bytes) payloads to mutate: the samples, small real captures whole, items of large ones."""
    found = [(f"samples/{name}", (SAMPLES / name).read_bytes()) for name in _SAMPLES[source]]
    for path in real_files(source):
        data = path.read_bytes()
        if len(data) <= WHOLE_LIMIT:
            found.append((f"real/{path.name}", data))
        else:
            found.extend(_item_seeds(f"real/{path.name}", data))
    return tuple(found)


_INSERTS = [
    b"\x00", b"\x1b[31m", b"\x0c", b"\x7f", b"\xc0\xaf", b"\xed\xa0\x80", b"\xff\xfe", b"\xef\xbb\xbf", b"\xff",
    "\u202e".encode(), "\U0001f600".encode(), "e\u0301".encode(), "\u2028".encode(), b"\\u0000", b"\\ud800",
    b"1e999999", b"-1e999999", b"9" * 400, b"-" + b"9" * 5000, b"NaN", b"Infinity", b"-0", b"0.0000000000001e-400",
    b"1.7976931348623157e309", b"[" * 3000, b"{\"a\":" * 2000, b"<a>" * 3000, b"<div><p>" * 1500, b"&#0;",
    b"&#x110000;", b"&#99999999999;", b"&nbsp;", b"&lol;", b"&", b"<!DOCTYPE x [<!ENTITY a \"b\">]>", b"<![CDATA[",
    b"]]>", b"<!--", b"-->", b"\"", b"\\", b"</script>", b"<script>alert(1)</script>", b"null", b"true", b",",
    b"}", b"]", b">", b"<", b"\r\n", b"\n" * 200, b" " * 10000, b"<item><title>x</title></item>",
    b"{\"id\":1,\"title\":\"x\"}",
]
_ANCHORS = re.compile(rb"[:\"<>,\[{]")


@st.composite
def mutated(draw: st.DrawFn, source: str) -> bytes:
    """A seed payload of `source` after one to four random mutations (or, rarely, random bytes)."""
    pool = seeds(source)
    if draw(st.integers(0, 19)) == 0:
        return draw(st.binary(max_size=512))
    label, data = draw(st.sampled_from(pool))
    note(f"seed: {label}")
    anchors = [m.start() for m in _ANCHORS.finditer(data[:20000])]
    limit = 2 * len(data) + 64 * 1024

    def position(current: bytes) -> int:
        near_anchor: bool = draw(st.booleans())
        if anchors and near_anchor:
            return min(draw(st.sampled_from(anchors)) + draw(st.integers(0, 1)), len(current))
        return draw(st.integers(0, len(current)))

    operations: dict[str, Callable[[bytes], bytes]] = {
        "flip": lambda d: _flip(d, position(d), draw(st.integers(0, 7))) if d else d,
        "truncate": lambda d: d[: position(d)],
        "delete": lambda d: _cut(d, position(d), draw(st.integers(1, 256))),
        "insert": lambda d: _insert(d, position(d), draw(st.sampled_from(_INSERTS))),
        "duplicate": lambda d: _duplicate(d, position(d), draw(st.integers(1, 4096)), draw(st.integers(1, 3))),
        "splice": lambda d: _insert(d, position(d), _chunk(draw(st.sampled_from(pool))[1],
                                                        draw(st.integers(0, 10**6)), draw(st.integers(1, 2048)))),
        "swap": lambda d: _swap(d, position(d), position(d), draw(st.integers(1, 512))),
    }
    for operation in draw(st.lists(st.sampled_from(sorted(operations)), min_size=1, max_size=4)):
        if len(data) > limit:
            break
        data = operations[operation](data)
        note(f"after {operation}: {len(data)} B")
    return data


def _flip(data: bytes, at: int, bit: int) -> bytes:
    at = min(at, len(data) - 1)
    return data[:at] + bytes([data[at] ^ (1 << bit)]) + data[at + 1:]


def _cut(data: bytes, at: int, size: int) -> bytes:
    return data[:at] + data[at + size:]


def _insert(data: bytes, at: int, chunk: bytes) -> bytes:
    return data[:at] + chunk + data[at:]


def _chunk(data: bytes, start: int, size: int) -> bytes:
    start = start % max(len(data), 1)
    return data[start: start + size]


def _duplicate(data: bytes, at: int, size: int, times: int) -> bytes:
    return data[:at] + data[at: at + size] * (times + 1) + data[at + size:]


def _swap(data: bytes, first: int, second: int, size: int) -> bytes:
    first, second = sorted((first, second))
    if second < first + size:
        return data
    return data[:first] + data[second: second + size] + data[first + size: second] + data[first: first + size] + \
        data[second + size:]
