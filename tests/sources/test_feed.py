"""The shared feed reader: RSS, Atom, CDATA, namespaces, hostile and broken XML."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from aggregator.errors import ParseError
from scrapers.sources._feed import parse_feed

RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/"
     xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>Acme Careers</title>
    <link>https://acme.example/careers</link>
    <atom:link href="https://acme.example/careers.rss" rel="self"/>
    <item>
      <title><![CDATA[Backend Engineer (Python & Go)]]></title>
      <link>https://acme.example/careers/17</link>
      <guid isPermaLink="false">acme-17</guid>
      <description>&lt;p&gt;Short &amp;amp; sweet&lt;/p&gt;</description>
      <content:encoded><![CDATA[<p>Full text: Django & PostgreSQL.</p>]]></content:encoded>
      <pubDate>Tue, 07 Jul 2026 08:00:00 +0000</pubDate>
      <dc:creator>Jo Recruiter</dc:creator>
      <category>Engineering</category>
      <category>Python</category>
      <media:content url="https://acme.example/logo.png" type="image/png"/>
      <location>Lisbon, Portugal</location>
      <empty></empty>
    </item>
    <item>
      <title>Permalink only</title>
      <guid>https://acme.example/careers/18</guid>
    </item>
  </channel>
</rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://jobs.example/">
  <title>Jobs</title>
  <link rel="self" href="/feed.atom"/>
  <link href="/"/>
  <entry>
    <title type="text">Platform Engineer</title>
    <link rel="edit" href="/api/entries/9"/>
    <link rel="alternate" type="application/json" href="/jobs/9.json"/>
    <link rel="alternate" type="text/html" href="jobs/9"/>
    <id>urn:uuid:0b8f5a7e-9d1c-4a55-8d4e-3f1b2a6c7d90</id>
    <published>2026-07-01T12:00:00Z</published>
    <updated>2026-07-02T12:00:00Z</updated>
    <author><name>Jobs Team</name><email>jobs@jobs.example</email></author>
    <category term="python" label="Python"/>
    <category term="k8s"/>
    <summary type="text">Pay &lt; $150k &amp; remote</summary>
    <content type="xhtml">
      <div xmlns="http://www.w3.org/1999/xhtml"><p>Hello<br/>world &amp; co</p></div>
    </content>
  </entry>
  <entry>
    <title>Second</title>
    <id>tag:jobs.example,2026:2</id>
    <updated>2026-07-03T00:00:00Z</updated>
    <content type="html">&lt;b&gt;bold&lt;/b&gt;</content>
  </entry>
</feed>"""


def test_rss_item_fields_namespaces_and_cdata() -> None:
    feed = parse_feed(RSS, "test")
    assert (feed.kind, feed.title, feed.link, feed.complete, feed.warnings) == (
        "rss", "Acme Careers", "https://acme.example/careers", True, [])
    first, second = feed.items
    assert first.title == "Backend Engineer (Python & Go)"
    assert first.link == "https://acme.example/careers/17"
    assert first.guid == "acme-17"
    assert first.description == "<p>Short &amp; sweet</p>"
    assert first.content == "<p>Full text: Django & PostgreSQL.</p>"
    assert first.body == first.content
    assert first.published == "Tue, 07 Jul 2026 08:00:00 +0000"
    assert first.author == "Jo Recruiter"
    assert first.categories == ("Engineering", "Python")
    assert first.media == ("https://acme.example/logo.png",)
    assert first.extra == {"location": "Lisbon, Portugal"}  # mapped and empty elements left out
    # A guid without isPermaLink="false" is the item's link when the item has none.
    assert second.link == "https://acme.example/careers/18"
    assert second.body is None


def test_atom_entry_links_dates_and_content_types() -> None:
    feed = parse_feed(ATOM, "test", base_url="https://jobs.example/feed.atom")
    assert (feed.kind, feed.title, feed.link) == ("atom", "Jobs", "https://jobs.example/")
    entry, second = feed.items
    assert entry.link == "https://jobs.example/jobs/9"  # the HTML alternate, resolved on xml:base
    assert entry.guid == "urn:uuid:0b8f5a7e-9d1c-4a55-8d4e-3f1b2a6c7d90"
    assert (entry.published, entry.updated) == ("2026-07-01T12:00:00Z", "2026-07-02T12:00:00Z")
    assert entry.author == "Jobs Team"
    assert entry.categories == ("Python", "k8s")
    assert entry.description == "Pay &lt; $150k &amp; remote"  # type="text" escaped into HTML
    assert entry.content == "<p>Hello<br>world &amp; co</p>"  # XHTML serialised, namespace dropped
    assert second.link is None
    assert second.published is None and second.updated == "2026-07-03T00:00:00Z"
    assert second.content == "<b>bold</b>"


def test_rss_1_0_rdf_items() -> None:
    payload = b"""<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
        xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
      <channel rdf:about="https://x.example/"><title>X</title><link>https://x.example/</link></channel>
      <item rdf:about="https://x.example/1"><title>One</title><link>https://x.example/1</link>
        <dc:date>2026-07-01T00:00:00Z</dc:date></item>
    </rdf:RDF>"""
    feed = parse_feed(payload, "test")
    assert feed.kind == "rdf"
    assert [(i.title, i.link, i.published) for i in feed.items] == [
        ("One", "https://x.example/1", "2026-07-01T00:00:00Z")]


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><item><title>&lol9;</title><guid>1</guid></item></channel></rss>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><item><title>&xxe;</title><guid>1</guid></item></channel></rss>"""


@pytest.mark.parametrize("payload", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["billion-laughs", "xxe"])
def test_entity_declarations_are_refused_without_expansion(payload: bytes) -> None:
    started = time.perf_counter()
    with pytest.raises(ParseError, match="internal subset refused"):
        parse_feed(payload, "test")
    assert time.perf_counter() - started < 0.5


def test_external_dtd_is_stripped_and_never_loaded() -> None:
    payload = (b'<?xml version="1.0"?>\n<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
               b'"http://my.netscape.com/publish/formats/rss-0.91.dtd">\n'
               b"<rss version=\"0.91\"><channel><item><title>Old &amp; fine</title>"
               b"<link>https://old.example/1</link></item></channel></rss>")
    feed = parse_feed(payload, "test")
    assert [(i.title, i.link) for i in feed.items] == [("Old & fine", "https://old.example/1")]
    assert feed.warnings == []


def test_undeclared_entity_stays_literal() -> None:
    payload = b'<!DOCTYPE rss SYSTEM "file:///etc/passwd"><rss><channel><item><title>&xxe;</title></item></channel></rss>'
    (item,) = parse_feed(payload, "test").items
    assert item.title == "&xxe;"


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"", "empty document"),
        (b"   \n", "empty document"),
        (b"just some words", "not a well-formed XML feed"),
        (b'{"jobs": []}', "^acme: a JSON document, not an RSS or Atom feed$"),
        (b' [{"title": "<b>Engineer</b>"}]', "^acme: a JSON document, not an RSS or Atom feed$"),
        (b"<!DOCTYPE html><html><body>Service unavailable</body></html>", "an HTML page"),
        (b"<html><body><p>Moved</p></body></html>", "root element <html>"),
        (b"<html><head><meta charset=\"utf-8\"></head><body>Blocked</body></html>",
         r"^acme: an HTML page, not a feed \(mismatched tag: line 1, column \d+\)$"),
        (b"<?xml version='1.0'?><urlset><url/></urlset>", "root element <urlset>"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not a well-formed XML feed"),
    ],
)
def test_not_a_feed_raises_parse_error(payload: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message) as caught:
        parse_feed(payload, "acme")
    assert str(caught.value).startswith("acme: ")
    assert "\n" not in str(caught.value)


def test_broken_markup_is_repaired_with_a_warning() -> None:
    payload = (b"<rss><channel><item><title>R&D Engineer &ndash; Caf&eacute;&nbsp;Ops &bogus;</title>"
               b"<description>a\x0bb</description><guid>x</guid></item></channel></rss>")
    feed = parse_feed(payload, "test")
    (item,) = feed.items
    assert item.title == "R&D Engineer – Café\xa0Ops &bogus;"
    assert item.description == "ab"
    assert len(feed.warnings) == 1 and feed.warnings[0].startswith("test: malformed XML repaired")
    assert feed.complete


def test_broken_item_is_skipped_and_the_rest_kept() -> None:
    payload = (b"<feed xmlns='http://www.w3.org/2005/Atom'>"
               b"<entry><title>Bad</title><link href='http://[::1'/></entry>"
               b"<entry><title>Good</title><link href='https://x.example/2'/></entry></feed>")
    feed = parse_feed(payload, "test", base_url="https://x.example/feed.atom")
    assert [(i.index, i.title, i.link) for i in feed.items] == [(1, "Good", "https://x.example/2")]
    assert feed.warnings == ["test: item 0 skipped: Invalid IPv6 URL"]


def test_truncated_feed_keeps_complete_items() -> None:
    payload = RSS[: RSS.index(b"<title>Permalink only")]
    feed = parse_feed(payload, "test")
    assert [i.guid for i in feed.items] == ["acme-17"]
    assert not feed.complete
    assert "cut short" in feed.warnings[0]


def test_encodings_bom_and_leading_blanks() -> None:
    body = "<rss><channel><item><title>Zürich</title></item></channel></rss>"
    doc = '<?xml version="1.0" encoding="UTF-16"?>' + body
    assert parse_feed(doc.encode("utf-16"), "t").items[0].title == "Zürich"
    latin = '<?xml version="1.0" encoding="ISO-8859-1"?>' + body
    assert parse_feed(latin.encode("latin-1"), "t").items[0].title == "Zürich"
    bom = b"\xef\xbb\xbf\n  " + doc.replace("UTF-16", "UTF-8").encode()
    assert parse_feed(bom, "t").items[0].title == "Zürich"


def test_inline_unescaped_html_in_description_is_kept_as_markup() -> None:
    payload = (b"<rss><channel><item><title>t</title>"
               b"<description>Intro <b>bold</b> &amp; more</description></item></channel></rss>")
    (item,) = parse_feed(payload, "t").items
    assert item.description == "Intro <b>bold</b> &amp; more"


@pytest.mark.parametrize("name", ["wwr-1.rss", "wwr-2.rss", "wwr-3.rss", "pythonorg-1.rss"])
def test_real_feeds_parse_cleanly(real: Callable[[str], bytes], name: str) -> None:
    feed = parse_feed(real(name), "test")
    assert feed.kind == "rss" and feed.complete and feed.warnings == []
    assert {"wwr-1.rss": 25, "wwr-2.rss": 22, "wwr-3.rss": 4, "pythonorg-1.rss": 20}[name] == len(feed.items)
    assert all(item.title and item.link and item.guid and item.description for item in feed.items)


def test_real_wwr_extra_elements(real: Callable[[str], bytes]) -> None:
    items = parse_feed(real("wwr-3.rss"), "test").items
    apex = next(i for i in items if i.title and i.title.startswith("APEX TRADE"))
    assert apex.extra["skills"] == "Cryptocurrency"
    assert apex.extra["state"] == "Aberdeen, City of"
    assert "country" not in apex.extra  # <country></country>
    assert apex.extra["expires_at"] == "Sun, 09 Aug 2026 15:21:26 +0000"
    assert apex.media == ("https://wwr-pro.s3.amazonaws.com/logos/0171/5778/logo.gif",)


def test_real_wwr_crlf_description_is_normalised(real: Callable[[str], bytes]) -> None:
    items = parse_feed(real("wwr-1.rss"), "test").items
    assert not any("\r" in (item.description or "") for item in items)
    assert sum(1 for item in items if not item.media) == 9
