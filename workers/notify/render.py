"""Text and HTML bodies from jinja2 templates, with untrusted listing text made safe first.

Feed text is attacker-controlled: titles and companies are autoescaped, links are kept only when
they are http(s), and a description's HTML goes through nh3 with a short allowlist before it is
marked safe. Subjects and names lose control characters, so nothing can break out of a header.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import nh3
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from aggregator.display import salary_text
from workers.notify.content import Batch, digest_order

__all__ = ["Rendered", "header_text", "render", "safe_url"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\u0085]+")
_TAGS = {"p", "br", "ul", "ol", "li", "strong", "em", "b", "i", "h3", "h4", "a", "code", "pre"}
_REMOTE_LABEL = {"remote": "Remote", "hybrid": "Hybrid", "onsite": "On-site"}
#: Words in a location that already say the label's arrangement.
_ARRANGEMENT_WORDS = {"Remote": {"remote", "anywhere", "worldwide", "wfh"}, "Hybrid": {"hybrid"},
                      "On-site": {"on-site", "onsite", "in-office", "office"}}
#: Text part lines stay within this many columns (a plain-text reader's 80, less quoting room).
_WIDTH = 76
#: Descriptions longer than this are shown as a text excerpt, not HTML.
_MAX_HTML = 20_000


@dataclass(frozen=True, slots=True)
class Rendered:
    subject: str
    text: str
    html: str


def header_text(value: str | None, limit: int = 200) -> str:
    """A value safe for one header line: no CR, LF or other control characters, bounded length."""
    cleaned = " ".join(_CONTROL.sub(" ", value or "").split())
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


def safe_url(value: str | None) -> str | None:
    """The URL when it is http(s) and printable; None otherwise (no javascript:, data: …)."""
    if not value or _CONTROL.search(value):
        return None
    lowered = value.strip().lower()
    return value.strip() if lowered.startswith(("https://", "http://")) else None


def _site(url: str | None) -> str | None:
    """Where the job is listed, as a reader knows it: "remoteok.com" for https://www.remoteok.com/…"""
    host = urlsplit(url).hostname if url else None
    return host.removeprefix("www.") if host else None


def _excerpt(text: str | None, limit: int) -> str:
    words = " ".join((text or "").split())
    return words if len(words) <= limit else words[:limit].rsplit(" ", 1)[0] + " …"


def wrap(value: str, first: str = "  ", rest: str | None = None) -> str:
    """`value` filled to _WIDTH columns for a plain-text mail client, indented by `first` and then
    `rest`; a word longer than a line (a URL) is left whole rather than cut where it breaks."""
    return textwrap.fill(value, _WIDTH, initial_indent=first, subsequent_indent=first if rest is None else rest,
                         break_long_words=False, break_on_hyphens=False)


def _text_excerpt(text: str | None, limit: int, *, keep_lines: bool) -> str:
    """The description for the text part: about `limit` characters, wrapped and indented. An instant
    alert keeps the ad's own paragraphs and bullets (its headings would otherwise run into the next
    sentence: "About the role You will own…"); a digest's short excerpt is one paragraph."""
    lines = [" ".join(line.split()) for line in (text or "").splitlines()] if keep_lines else [_excerpt(text, limit)]
    kept: list[str] = []
    used = 0
    for line in lines:
        if not line:
            if kept and kept[-1]:
                kept.append("")
            continue
        if used + len(line) > limit:
            kept.append(_excerpt(line, max(limit - used, 40)).removesuffix(" …") + " …")
            break
        kept.append(line)
        used += len(line)
    while kept and not kept[-1]:
        kept.pop()
    bullet = ("• ", "- ", "* ", "· ")
    return "\n".join(wrap(line, "  ", "    " if line.startswith(bullet) else "  ") if line else "" for line in kept)


def _says_arrangement(location: str | None, label: str | None) -> bool:
    """Whether the board's own location text already says the arrangement ("Remote (US)" → "Remote"),
    so the line does not read "Remote (US) · Remote"."""
    if not location or not label:
        return False
    words = set(re.findall(r"[a-z]+(?:-[a-z]+)*", location.lower()))
    return bool(words & _ARRANGEMENT_WORDS[label])


def _view(job: dict[str, Any], *, full: bool) -> dict[str, Any]:
    listing, apply = safe_url(job.get("url")), safe_url(job.get("apply_url"))
    location = header_text(job.get("location_raw"), 200) or None
    remote = _REMOTE_LABEL.get(job.get("remote") or "")
    html = job.get("description_html") or ""
    description = None
    if full and html and len(html) <= _MAX_HTML:
        cleaned = nh3.clean(html, tags=_TAGS, attributes={"a": {"href"}}, url_schemes={"http", "https"},
                            link_rel="noopener noreferrer nofollow")
        description = Markup(cleaned)  # noqa: S704 — nh3 has just sanitised it
    return {
        "title": header_text(job.get("title"), 300) or "Untitled",
        "company": header_text(job.get("company"), 200) or None,
        # The listing first: it is what "View the job" promises, it shows the whole ad, and the
        # boards' terms (RemoteOK, Remotive) ask for a link back to it. The application form,
        # when it is somewhere else, is offered beside it.
        "url": listing or apply,
        "apply_url": apply if listing and apply and apply != listing else None,
        "site": _site(listing or apply),
        "location": location,
        "remote": None if _says_arrangement(location, remote) else remote,
        "salary": salary_text(job.get("salary_min"), job.get("salary_max"), job.get("salary_currency"),
                              job.get("salary_period")),
        "seniority": job.get("seniority"),
        "skills": [header_text(s, 40) for s in (job.get("skills") or [])][:12],
        "posted": (job.get("posted_at") or "")[:10] or None,
        "excerpt": _excerpt(job.get("description_text"), 600 if full else 240),
        "text": _text_excerpt(job.get("description_text"), 600 if full else 240, keep_lines=full),
        "description": description,
    }


#: Jobs a digest's HTML shows as cards; the rest are one line each. Gmail clips a message past about
#: 102 KB of HTML ("View entire message"): at about 1.1 KB a card and 0.3 KB a line, a digest of
#: 200 jobs still arrives whole.
DIGEST_CARDS = 40


def _groups(jobs: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """The jobs in `digest_order`, grouped by arrangement. Jobs past the first DIGEST_CARDS are
    marked `compact`."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for index, job in enumerate(digest_order(jobs)):
        view = _view(job, full=False)
        view["compact"] = index >= DIGEST_CARDS
        groups.setdefault(_REMOTE_LABEL.get(job.get("remote") or "", "Location not stated"), []).append(view)
    return list(groups.items())


_ENV = Environment(loader=PackageLoader("workers.notify", "templates"), autoescape=select_autoescape(["html"]),
                   undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
_ENV.filters["wrap"] = wrap


def render(batch: Batch, *, unsubscribe_url: str, public_url: str, frequency_label: str,
           manage_url: str | None = None) -> Rendered:
    """Subject, text and HTML for an email of this batch."""
    context: dict[str, Any] = {"unsubscribe_url": unsubscribe_url, "manage_url": manage_url, "public_url": public_url,
                               "query": header_text(batch.alert.query, 120), "count": len(batch.jobs),
                               "frequency": frequency_label}
    if batch.is_digest:
        context["groups"] = _groups(batch.jobs)
        subject = f"{len(batch.jobs)} new job{'s' if len(batch.jobs) != 1 else ''} for your {frequency_label} alert"
        if context["query"]:  # a subscriber with several alerts sees which one this is from the inbox
            subject = f'"{context["query"]}": {subject}'
        name = "digest"
    else:
        job = _view(batch.jobs[0], full=True)
        context["job"] = job
        subject = f"New job: {job['title']}" + (f" at {job['company']}" if job["company"] else "")
        name = "instant"
    return Rendered(subject=header_text(subject, 180),
                    text=_ENV.get_template(f"{name}.txt").render(context),
                    html=_ENV.get_template(f"{name}.html").render(context))
