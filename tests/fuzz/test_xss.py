"""XSS payloads in descriptions (and titles) never reach a listing's HTML or an email unsanitised.

Each payload travels the real way: inside a source's payload (a Remotive job, an RSS item escaped or
in CDATA, a Greenhouse `content`, an HN comment, a JSON-LD description), through the adapter and
`normalise`, then into the instant and digest emails rendered by `workers.notify.render`. The output
is parsed with an HTML5 parser (lexbor, as browsers parse), serialised and parsed again (what an
`innerHTML` round trip does: the mutation-XSS step), and each tree must hold nothing executable.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from selectolax.lexbor import LexborHTMLParser

from aggregator.model import Listing, listing_to_dict
from aggregator.normalise import normalise
from scrapers import sources
from scrapers.sources.base import ParseContext
from workers.notify.content import Alert, Batch
from workers.notify.render import render

#: Hostile descriptions: scripts in many encodings, handlers, script URLs (plain, entity- and
#: whitespace-obfuscated), CSS, frames, namespace confusion, mutation XSS, broken and escaped markup.
PAYLOADS: list[str] = [
    # script elements
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<script>alert(1)",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<script/x>alert(1)</script>",
    "<<script>alert(1);//<</script>",
    "<script\x00>alert(1)</script>",
    "<template><script>alert(1)</script></template>",
    # as feeds send them: escaped once, twice, by number, mixed with real markup
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "&#x3C;script&#x3E;alert(1)&#x3C;/script&#x3E;",
    r"\u003cscript\u003ealert(1)\u003c/script\u003e",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "&lt;img src=x onerror=alert(1)&gt;",
    "&lt;a href=&quot;javascript:alert(1)&quot;&gt;x&lt;/a&gt;",
    "&amp;lt;img src=x onerror=alert(1)&amp;gt;",
    "&lt;p&gt;Python&lt;/p&gt;&lt;iframe src=javascript:alert(1)&gt;&lt;/iframe&gt;",
    "<p>Python</p>&lt;script&gt;alert(1)&lt;/script&gt;",
    # event handlers
    "<img src=x onerror=alert(1)>",
    "<img src=x onerror=\"&#97;lert(1)\">",
    "<img/src=\"x\"/onerror=alert(1)>",
    "<img src=x:alert(alt) onerror=eval(src) alt=0>",
    "<svg onload=alert(1)>",
    "<body onload=alert(1)>",
    "<div onmouseover=\"alert(1)\">hover</div>",
    "<p ONCLICK=alert(1)>x</p>",
    "<input onfocus=alert(1) autofocus>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<marquee onstart=alert(1)>x</marquee>",
    "<isindex type=image src=1 onerror=alert(1)>",
    "<a href=\"https://ok.example/\" onclick=\"alert(1)\">ok</a>",
    "\"><script>alert(1)</script>",
    "'><img src=x onerror=alert(1)>",
    # script URLs
    "<a href=\"javascript:alert(1)\">x</a>",
    "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
    "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
    "<a href=\"jav&#9;ascript:alert(1)\">x</a>",
    "<a href=\"jav\tascript:alert(1)\">x</a>",
    "<a href=\"java\nscript:alert(1)\">x</a>",
    "<a href=\"java&#x0D;script:alert(1)\">x</a>",
    "<a href=\" \x01javascript:alert(1)\">x</a>",
    "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">x</a>",
    "<a href=\"&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058"
    "alert(1)\">x</a>",
    "<a href=\"&#x6A;avascript:alert(1)\">x</a>",
    "<a href=\"javascript&colon;alert(1)\">x</a>",
    "<IMG SRC=\"javascript:alert(1)\">",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
    "<a href=\"DATA:text/html,<script>alert(1)</script>\">x</a>",
    "<a href=\"vbscript:msgbox(1)\">x</a>",
    "<a href=\"vbscript&#58;msgbox(1)\">x</a>",
    "<form action=\"javascript:alert(1)\"><button>x</button></form>",
    "<button formaction=\"javascript:alert(1)\">x</button>",
    "<base href=\"javascript:alert(1)//\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<link rel=stylesheet href=\"javascript:alert(1)\">",
    # frames and plugins
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<iframe srcdoc=\"&lt;script&gt;alert(1)&lt;/script&gt;\"></iframe>",
    "<object data=\"javascript:alert(1)\"></object>",
    "<embed src=\"data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+\">",
    # CSS
    "<div style=\"width: expression(alert(1))\">x</div>",
    "<div style=\"x:expr/**/ession(alert(1))\">x</div>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<style>body{background:url(\"javascript:alert(1)\")}</style>",
    "<style>@import 'javascript:alert(1)';</style>",
    "<p style=\"behavior:url(x.htc);-moz-binding:url(x.xml#x)\">x</p>",
    # svg / math namespace confusion
    "<svg><script>alert(1)</script></svg>",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
    "<svg></p><style><a id=\"</style><img src=1 onerror=alert(1)>\">",
    "<math><mtext><h1><a><h6></a></h6><mglyph><svg><mtext><style><a title=\"</style><img src onerror=alert(1)>\">",
    # mutation XSS: raw-text and escapable-raw-text elements
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<textarea><img title=\"</textarea><img src=x onerror=alert(1)>\">",
    "<style><style/><img src=x onerror=alert(1)>",
    "<title><img title=\"</title><img src=x onerror=alert(1)>\">",
    "<xmp><img title=\"</xmp><img src=x onerror=alert(1)>\">",
    "<!--<img src=\"--><img src=x onerror=alert(1)//\">",
    "<![CDATA[><img src=x onerror=alert(1)>]]>",
    # broken markup
    "<img src=\"x\nonerror=alert(1)",
    "<a href=\"javascript:alert(1)\"",
    "<p>Python <b>Django<script>alert(1)",
    "<div <img src=x onerror=alert(1)>>",
    "</p><img src=x onerror=alert(1)><p>",
]

_STORY = 1


def _json(document: object) -> bytes:
    return json.dumps(document).encode()


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _rss(description: str) -> bytes:
    return (f"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Jobs</title><item>"
            f"<title>Python Backend Developer</title><link>https://example.org/jobs/1</link>"
            f"<guid>https://example.org/jobs/1</guid><description>{description}</description>"
            f"</item></channel></rss>").encode()


def _jsonld(description: str) -> bytes:
    posting = json.dumps({"@context": "https://schema.org", "@type": "JobPosting", "title": "Python Developer",
                          "hiringOrganization": {"name": "Acme"}, "description": description})
    # As careful sites write it: "</" escaped so the JSON cannot close its own script element.
    block = posting.replace("</", "<\\/")
    return f"<html><head><script type=\"application/ld+json\">{block}</script></head><body></body></html>".encode()


#: Route name -> (source, payload carrying the XSS string as a description).
ROUTES: dict[str, tuple[str, Callable[[str], bytes]]] = {
    "remotive": ("remotive", lambda x: _json({"jobs": [{
        "id": 1, "title": "Python Backend Developer", "company_name": "Acme", "url": "https://remotive.com/x",
        "description": x}]})),
    "remotive-everywhere": ("remotive", lambda x: _json({"jobs": [{
        "id": 1, "title": x, "company_name": x, "candidate_required_location": x, "salary": x, "tags": [x],
        "url": "https://remotive.com/x", "description": x}]})),
    "rss-escaped": ("rss", lambda x: _rss(html.escape(x, quote=False))),
    "rss-cdata": ("rss", lambda x: _rss(_cdata(x))),
    "greenhouse": ("greenhouse", lambda x: _json({"jobs": [{
        "id": 1, "title": "Python Backend Developer", "absolute_url": "https://boards.greenhouse.io/acme/jobs/1",
        "content": html.escape(x)}]})),
    "hn": ("hn", lambda x: _json({"id": _STORY, "type": "story", "children": [{
        "id": 2, "parent_id": _STORY, "author": "acme", "type": "comment",
        "text": "Acme | Python Backend Developer | REMOTE<p>" + x}]})),
    "jsonld": ("jsonld", _jsonld),
}

_FORBIDDEN = frozenset({"script", "iframe", "object", "embed", "style", "frame", "frameset", "applet", "base",
                        "link", "form", "svg", "math", "noscript", "template", "img", "input", "button",
                        "textarea", "video", "audio", "source", "isindex", "marquee", "xmp"})
#: The email's own skeleton has a head with meta and title elements; a description has neither.
_EMAIL_SKELETON = frozenset({"meta", "title"})
_URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "background", "poster",
                             "data", "dynsrc", "lowsrc", "ping", "cite", "longdesc", "usemap", "codebase"})
_SCRIPT_SCHEMES = ("javascript:", "data:", "vbscript:")
#: What a browser's URL parser ignores (ASCII whitespace and C0 controls), removed everywhere to be strict.
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]")
_CSS_DANGER = re.compile(r"expression\s*\(|javascript:|vbscript:|behavior\s*:|-moz-binding|@import", re.I)
_TAG_WITH_EXPRESSION = re.compile(r"<[^>]*expression\s*\(", re.I)


def _scheme_of(value: str) -> str:
    return _IGNORED_IN_URL.sub("", html.unescape(value)).lower()


def _assert_tree_inert(markup: str, allowed: frozenset[str]) -> None:
    tree = LexborHTMLParser(markup)
    root = tree.root
    assert root is not None
    for node in root.traverse(include_text=False):
        tag = (node.tag or "").lower()
        assert tag not in _FORBIDDEN - allowed, f"<{tag}> survived: {node.html!r}"
        for name, value in node.attributes.items():
            lowered = name.lower()
            assert not lowered.startswith("on"), f"handler {name}= survived: {node.html!r}"
            assert lowered != "srcdoc", f"srcdoc survived: {node.html!r}"
            if lowered in _URL_ATTRIBUTES and value:
                assert not _scheme_of(value).startswith(_SCRIPT_SCHEMES), f"{name}={value!r} survived"
            if lowered == "style" and value:
                assert not _CSS_DANGER.search(html.unescape(value)), f"style={value!r} survived"
            if tag == "meta" and lowered == "http-equiv":
                raise AssertionError(f"meta http-equiv survived: {node.html!r}")


def assert_inert(markup: str, *, allowed: frozenset[str] = frozenset()) -> None:
    """Nothing executable in `markup`, as parsed by an HTML5 parser and after an innerHTML round trip."""
    assert not _TAG_WITH_EXPRESSION.search(markup), markup
    _assert_tree_inert(markup, allowed)
    reparsed = LexborHTMLParser(markup).html or ""
    _assert_tree_inert(reparsed, allowed)


def _emails(listing: Listing) -> list[str]:
    """The instant and digest email HTML of one listing, rendered as the notifier renders them."""
    alert = Alert(id=1, email="ada@example.org", webhook_url=None, webhook_secret=None, query="python",
                  frequency="instant")
    job = {"id": 1, **listing_to_dict(listing)}
    bodies = []
    for key in ("d1", "g1"):  # an instant delivery, then a digest
        batch = Batch(key=key, alert=alert, jobs=[job], delivery_ids=[1], created_at=datetime.now(UTC), attempt=0)
        bodies.append(render(batch, unsubscribe_url="https://alerts.example.org/unsubscribe/t",
                             public_url="https://alerts.example.org", frequency_label="instant").html)
    return bodies


def test_corpus_is_large_enough() -> None:
    assert len(PAYLOADS) >= 60
    assert len(set(PAYLOADS)) == len(PAYLOADS)


@pytest.mark.parametrize("route", sorted(ROUTES))
@pytest.mark.parametrize("payload", PAYLOADS, ids=[f"x{i:02d}" for i in range(len(PAYLOADS))])
def test_xss_never_survives(payload: str, route: str) -> None:
    source, build = ROUTES[route]
    page = sources.get(source).parse(build(payload), ParseContext(url="https://example.org/jobs/1"))
    assert len(page.listings) == 1, page.warnings
    listing = normalise(page.listings[0])
    if listing.description_html is not None:
        assert_inert(listing.description_html)
    for body in _emails(listing):
        assert_inert(body, allowed=_EMAIL_SKELETON)


def test_checker_catches_what_it_should() -> None:
    """The assertions themselves are not vacuous: raw payloads fail them."""
    for raw in ("<script>x</script>", "<img src=x onerror=alert(1)>", "<a href=\"jav&#x09;ascript:x\">x</a>",
                "<a href=\" DATA:text/html,x\">x</a>", "<p style=\"x:expression(1)\">x</p>",
                "<iframe srcdoc=x></iframe>", "<svg><a xlink:href=\"javascript:x\">x</a></svg>"):
        with pytest.raises(AssertionError):
            assert_inert(raw)


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_benign_markup_still_reaches_the_email(route: str) -> None:
    """The routes do carry descriptions into the email: safe markup and links arrive intact."""
    source, build = ROUTES[route]
    benign = "<p>Python and <strong>Django</strong>, <a href=\"https://ok.example/apply\">apply here</a></p>"
    page = sources.get(source).parse(build(benign), ParseContext(url="https://example.org/jobs/1"))
    listing = normalise(page.listings[0])
    assert listing.description_html is not None
    assert "https://ok.example/apply" in listing.description_html
    instant, digest = _emails(listing)
    assert "<strong>Django</strong>" in instant and "https://ok.example/apply" in instant
    assert "Django" in digest
