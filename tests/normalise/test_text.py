"""Text cleaning: readable text, sanitised HTML (XSS payloads), entities, URLs and dates."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from aggregator.model import RawListing
from aggregator.normalise import normalise
from aggregator.normalise.text import canonical_url, html_to_text, parse_date, sanitise_html, tidy, tidy_block

# -- html_to_text -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("<p>Django &amp; <b>FastAPI</b></p>", "Django & FastAPI"),
        ("<p>We build <a href='/x'>APIs</a> in <em>Python</em>.</p>", "We build APIs in Python."),
        ("<p>One</p><p>Two</p>", "One\n\nTwo"),
        ("<div>One</div><div>Two</div>", "One\nTwo"),
        ("<div><div><p>Nested</p></div></div>after", "Nested\n\nafter"),
        ("line<br>break<br/>again", "line\nbreak\nagain"),
        ("one<br><br>two", "one\n\ntwo"),
        ("<h2>About</h2>We are remote.", "About\n\nWe are remote."),
        ("<ul><li>Python</li><li>Go <i>(nice)</i></li></ul>", "• Python\n• Go (nice)"),
        # ATS boards wrap each item in a paragraph: the bullet stays with its words, one item a line.
        ("<p>You have</p><ul><li><p>Python</p></li><li><p><strong>Go</strong>, too</p></li></ul><p>Apply</p>",
         "You have\n\n• Python\n• Go, too\n\nApply"),
        ("<ul><li>Lead<ul><li>sub</li></ul></li><li><div> </div>Next</li></ul>", "• Lead\n• sub\n• Next"),
        ("<ul><li></li></ul><p>No bullet for an empty item</p>", "No bullet for an empty item"),
        ("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a b\nc"),
        ("<p>Hi<script>alert(1)</script><style>p{}</style> there</p>", "Hi there"),
        ("<pre>def f():\n    return 1</pre>", "def f():\nreturn 1"),
        ("x &lt; 5 &amp;&amp; y &gt; 2 &euro;5", "x < 5 && y > 2 €5"),
        ("&lt;p&gt;Escaped &amp;amp; once more&lt;/p&gt;", "Escaped & once more"),
        ("<p>unclosed <b>bold <i>italic", "unclosed bold italic"),
        ("<p>  lots   of \n\n  space\u00a0here </p>", "lots of space here"),
        ("<html><head><title>T</title></head><body><p>Body</p></body></html>", "Body"),
        ("", ""),
        ("<", "<"),
        ("<!-- comment only -->", ""),
    ],
)
def test_html_to_text(markup: str, expected: str) -> None:
    assert html_to_text(markup) == expected


def test_description_text_is_read_from_the_html_when_a_board_sends_both() -> None:
    """Ashby sends a plain twin with "- " items under UPPER-CASED headings; every source's text has
    one shape, read from the HTML, and the twin is only the fallback."""
    both = RawListing(source="ashby", external_id="1", title="Backend Engineer",
                      description_html="<h2>About the Role</h2><ul><li><p>Own the API</p></li></ul>",
                      description_text="ABOUT THE ROLE\n\n- Own the API")
    assert normalise(both).description_text == "About the Role\n\n• Own the API"
    plain_only = dataclasses.replace(both, description_html=None)
    assert normalise(plain_only).description_text == "ABOUT THE ROLE\n\n- Own the API"
    empty_html = dataclasses.replace(both, description_html="<p> </p>")
    assert normalise(empty_html).description_text == "ABOUT THE ROLE\n\n- Own the API"


def test_tidy_and_tidy_block() -> None:
    assert tidy("  Acme&nbsp;&amp;\u200b Co \n Ltd ") == "Acme & Co Ltd"
    assert tidy_block("a\r\nb\r\n\r\n\r\n\r\nc  d") == "a\nb\n\nc d"


# -- sanitise_html ------------------------------------------------------------------------------

XSS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)><script>alert(2)</script></svg>",
    "<body onload=alert(1)>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
    "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
    "<a href=\" javascript:alert(1)\">x</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
    "<div style=\"background:url(javascript:alert(1))\">css</div>",
    "<p style=\"width: expression(alert(1))\">css</p>",
    "<style>p { x: expression(alert(1)) }</style>",
    "<iframe src=\"https://evil.example\"></iframe>",
    "<form action=https://evil.example><input name=q></form>",
    "<object data=x.swf></object><embed src=x.swf>",
    "<<script>script>alert(1)<</script>/script>",
    "<scr<script>ipt>alert(1)</script>",
    "<p onclick=\"steal()\" onmouseover='x()'>text</p>",
    "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
    "<a href=x onfocus=alert(1) autofocus>x</a>",
    "<meta http-equiv=refresh content=\"0;url=javascript:alert(1)\">",
    "<base href=\"javascript:alert(1)//\">",
    "<img src=\"https://tracker.example/pixel.gif\">",
    "<p>broken <b>markup <a href='https://ok.example'",
]


@pytest.mark.parametrize("payload", XSS)
def test_sanitise_removes_active_content(payload: str) -> None:
    out = sanitise_html(payload).lower()
    assert "<script" not in out
    assert "javascript:" not in out
    assert "data:" not in out
    assert "expression(" not in out or "<" not in out.split("expression(")[0][-20:]
    assert " on" not in out.replace("noopener", "")
    assert "<img" not in out and "<iframe" not in out and "<form" not in out and "<style" not in out
    assert "style=" not in out


def test_sanitise_keeps_structure_and_safe_links() -> None:
    out = sanitise_html(
        '<h2>Role</h2><p>Build <b>APIs</b> with <a href="https://acme.example/jobs" onclick="x()">us</a>.</p>'
        "<ul><li>Python</li></ul><img src=https://t.example/p.gif>"
    )
    assert out == (
        '<h2>Role</h2><p>Build <b>APIs</b> with <a href="https://acme.example/jobs" '
        'rel="noopener noreferrer nofollow">us</a>.</p><ul><li>Python</li></ul>'
    )


def test_sanitise_unescapes_escaped_markup_once() -> None:
    assert sanitise_html("&lt;p&gt;Hi &amp;amp; bye&lt;/p&gt;") == "<p>Hi &amp; bye</p>"


def test_sanitise_mailto_kept_and_style_content_dropped() -> None:
    assert sanitise_html('<a href="mailto:jobs@acme.example">mail</a><style>.x{}</style>') == (
        '<a href="mailto:jobs@acme.example" rel="noopener noreferrer nofollow">mail</a>'
    )


# -- canonical_url ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://acme.example/jobs/1?utm_source=x&utm_medium=y&id=3", "https://acme.example/jobs/1?id=3"),
        ("HTTPS://Acme.EXAMPLE/Jobs#apply", "https://acme.example/Jobs"),
        ("https://acme.example:443/jobs", "https://acme.example/jobs"),
        ("http://acme.example:80", "http://acme.example/"),
        ("http://acme.example:8080/x", "http://acme.example:8080/x"),
        ("https://boards.greenhouse.io/acme/jobs/1?gh_src=abc", "https://boards.greenhouse.io/acme/jobs/1"),
        ("https://jobs.lever.co/acme/1?lever-source=LinkedIn", "https://jobs.lever.co/acme/1"),
        ("https://acme.example/j?fbclid=1&gclid=2&ref=hn&q=python", "https://acme.example/j?q=python"),
        ("https://user:secret@acme.example/j", "https://acme.example/j"),
        ("  https://acme.example/j  ", "https://acme.example/j"),
        ("javascript:alert(1)", None),
        ("ftp://acme.example/file", None),
        ("/relative/path", None),
        ("https://", None),
        ("https://acme.example:99999/", None),
        ("http://[::1/", None),
        ("", None),
        (None, None),
    ],
)
def test_canonical_url(url: str | None, expected: str | None) -> None:
    assert canonical_url(url) == expected


# -- parse_date ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-12-14T20:45:43", datetime(2025, 12, 14, 20, 45, 43, tzinfo=UTC)),
        ("2025-12-14T20:45:43Z", datetime(2025, 12, 14, 20, 45, 43, tzinfo=UTC)),
        ("2024-12-05T12:00:00+02:00", datetime(2024, 12, 5, 10, 0, tzinfo=UTC)),
        ("2024-12-05 10:00:00", datetime(2024, 12, 5, 10, 0, tzinfo=UTC)),
        ("2024-12-05 10:00:00 UTC", datetime(2024, 12, 5, 10, 0, tzinfo=UTC)),
        ("2024-12-05T10:00:00.123456789Z", datetime(2024, 12, 5, 10, 0, 0, 123456, tzinfo=UTC)),
        ("2024-12-05", datetime(2024, 12, 5, tzinfo=UTC)),
        ("Mon, 04 Nov 2024 12:00:00 +0000", datetime(2024, 11, 4, 12, 0, tzinfo=UTC)),
        ("Thu, 13 Oct 2022 18:10:18 -0400", datetime(2022, 10, 13, 22, 10, 18, tzinfo=UTC)),
        ("Dec 5, 2024", datetime(2024, 12, 5, tzinfo=UTC)),
        ("5 December 2024", datetime(2024, 12, 5, tzinfo=UTC)),
        ("05.12.2024", datetime(2024, 12, 5, tzinfo=UTC)),
        ("20241205", datetime(2024, 12, 5, tzinfo=UTC)),
        (1744122872, datetime(2025, 4, 8, 14, 34, 32, tzinfo=UTC)),
        (1744122872000, datetime(2025, 4, 8, 14, 34, 32, tzinfo=UTC)),
        ("1744122872000", datetime(2025, 4, 8, 14, 34, 32, tzinfo=UTC)),
        (1744122872.5, datetime(2025, 4, 8, 14, 34, 32, 500000, tzinfo=UTC)),
        (datetime(2024, 1, 1, 12, 0), datetime(2024, 1, 1, 12, 0, tzinfo=UTC)),
        (0, None),
        (-5, None),
        (True, None),
        (float("nan"), None),
        (float("inf"), None),
        ("garbage", None),
        ("2024-13-45", None),
        ("12/05/2024", None),
        ("1e400", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_date(value: object, expected: datetime | None) -> None:
    parsed = parse_date(value)  # type: ignore[arg-type]
    assert parsed == expected
    if parsed is not None:
        assert parsed.utcoffset() is not None and parsed.utcoffset().total_seconds() == 0  # type: ignore[union-attr]


def test_deeply_nested_markup_reads_in_linear_time() -> None:
    """A description nested thousands deep ("<div><div><div>…", as a broken or hostile feed sends) took
    seconds to read, quadratic in its depth; it is read in a fraction of that, with its text intact."""
    import time

    markup = "<div>" * 20_000 + "Python backend role" + "</div>" * 20_000
    started = time.perf_counter()
    text = html_to_text(markup)
    assert time.perf_counter() - started < 3.0
    assert text == "Python backend role"


@pytest.mark.parametrize(("markup", "expected"), [
    ("<li>Refine guidelines &amp;amp; processes for MQLs &amp;amp; SQLs</li>",
     "• Refine guidelines & processes for MQLs & SQLs"),
    ("Sales &amp;amp; Marketing", "Sales & Marketing"),
    ("<p>a &amp;amp;amp; b</p>", "a & b"),
    ("<p>AT&amp;T &amp; R&amp;D</p>", "AT&T & R&D"),
])
def test_ampersands_escaped_twice_read_as_ampersands(markup: str, expected: str) -> None:
    assert html_to_text(markup) == expected
