"""Email delivery against a real SMTP server (aiosmtpd on loopback)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

from aggregator.alerts import parse_alert
from aggregator.runtime import connect
from aggregator.store import alerts as store_alerts
from aggregator.tokens import read_management_token, read_unsubscribe_token
from tests.notify.conftest import FAST, MailSink, add_alert, add_delivery, add_job, delivery
from workers.notify import Notifier
from workers.notify.confirmation import send_confirmation
from workers.notify.render import DIGEST_CARDS

EVIL_HTML = ('<p>Great team</p><script>alert(1)</script><img src=x onerror="alert(2)">'
             '<a href="javascript:alert(3)">click</a><a href="https://ok.example/apply">apply</a>'
             '<iframe src="https://evil.example"></iframe><p style="position:fixed">x</p>')


def _parts(message: Any) -> tuple[str, str]:
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return text, html


async def test_instant_email_content_and_headers(clean_db: str, smtp_server: tuple[str, MailSink],
                                                 with_smtp: Callable[..., Any]) -> None:
    url, sink = smtp_server
    settings = with_smtp(url)
    async with connect(settings) as rt:
        async with rt.pool.acquire() as conn:
            job = await add_job(conn, title="Backend <b>Dev</b>\r\nBcc: victim@example.org",
                                company="Evil\nCo", description_html=EVIL_HTML, url="javascript:alert(4)",
                                apply_url="https://jobs.example.org/apply?id=1&x=<y>")
            alert = await add_alert(conn, email_to="ada@example.org")
            did = await add_delivery(conn, alert, job, "ada@example.org")
        notifier = Notifier(rt, FAST)
        assert (await notifier.deliver(did)).state == "sent"
        # A repeat of the job (arq runs jobs at least once) finds nothing to send.
        assert (await notifier.deliver(did)).state == "sent"
        await notifier.aclose()
        row = await delivery(rt, did)

    assert len(sink.messages) == 1
    message = sink.messages[0]
    assert sink.envelopes[0] == ("alerts@hirewire.example", ["ada@example.org"])
    assert message["From"] == "Hirewire Alerts <alerts@hirewire.example>"
    assert message["To"] == "ada@example.org"
    assert message["Subject"] == "New job: Backend <b>Dev</b> Bcc: victim@example.org at Evil Co"
    assert message["Bcc"] is None and "victim" not in str(sink.envelopes)
    assert message["Message-ID"].startswith(f"<hirewire.{alert}.d{did}.") and message["Message-ID"].endswith(
        "@hirewire.example>")
    unsubscribe = message["List-Unsubscribe"]
    assert unsubscribe.startswith("<https://alerts.example.org/unsubscribe/") and unsubscribe.endswith(">")
    assert read_unsubscribe_token("test-secret-key", unsubscribe[1:-1].rsplit("/", 1)[1]) == alert
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Date"] is not None
    text, html = _parts(message)
    assert "Backend <b>Dev</b> Bcc: victim@example.org — Evil Co" in text
    assert unsubscribe[1:-1] in text and unsubscribe[1:-1] in html
    assert "EUR 120,000–150,000/yr" in text
    # Untrusted listing HTML: scripts, handlers, javascript: links and iframes gone; markup escaped.
    lowered = html.lower()
    for bad in ("<script", "onerror", "javascript:", "<iframe", "position:fixed", "<b>dev"):
        assert bad not in lowered, bad
    assert "Backend &lt;b&gt;Dev&lt;/b&gt;" in html
    assert 'href="https://ok.example/apply"' in html and "Great team" in html
    assert "https://jobs.example.org/apply?id=1&amp;x=&lt;y&gt;" in html
    assert row["state"] == "sent" and row["attempts"] == 1 and row["last_status"] == 250


async def test_digest_groups_orders_and_reuses_one_connection(
        clean_db: str, smtp_server: tuple[str, MailSink], with_smtp: Callable[..., Any]) -> None:
    url, sink = smtp_server
    async with connect(with_smtp(url)) as rt:
        async with rt.pool.acquire() as conn:
            daily = await add_alert(conn, email_to="bob@example.org", frequency="daily",
                                    created_at=datetime(2025, 1, 5, tzinfo=UTC))
            jobs = [await add_job(conn, title=title, remote=remote, posted_at=datetime(2025, 1, day, tzinfo=UTC))
                    for title, remote, day in [("Onsite Old", "onsite", 1), ("Remote Old", "remote", 2),
                                               ("Remote New", "remote", 5), ("Hybrid One", "hybrid", 3)]]
            ids = [await add_delivery(conn, daily, job, "bob@example.org") for job in jobs]
            instants = []
            for n in range(5):
                alert = await add_alert(conn, email_to=f"user{n}@example.org")
                instants.append(await add_delivery(conn, alert, jobs[0], f"user{n}@example.org"))
        notifier = Notifier(rt, FAST)
        # Not opened yet: a digest delivery waits for its slot.
        assert (await notifier.deliver(ids[0])).state == "waiting"
        anchors = await notifier.open_due_digests(datetime(2025, 1, 6, 9, tzinfo=UTC))
        assert anchors == [min(ids)]
        assert await notifier.open_due_digests(datetime(2025, 1, 6, 9, 30, tzinfo=UTC)) == []  # same slot
        assert (await notifier.deliver(anchors[0])).state == "sent"
        for did in instants:
            assert (await notifier.deliver(did)).state == "sent"
        await notifier.aclose()
        states = {(await delivery(rt, did))["state"] for did in ids}

    assert states == {"sent"}
    assert len(sink.messages) == 6
    assert sink.connections == 1  # one SMTP connection for the whole run
    digest = sink.messages[0]
    assert digest["Subject"] == '"python": 4 new jobs for your daily alert'  # which alert, from the inbox
    assert ".g20250106T0800." in digest["Message-ID"]
    text, html = _parts(digest)
    order = [text.index(t) for t in ("Remote New", "Remote Old", "Hybrid One", "Onsite Old")]
    assert order == sorted(order)
    assert "== Remote (2) ==" in text and "== On-site (1) ==" in text
    assert html.index("Remote New") < html.index("Remote Old") < html.index("Hybrid One") < html.index("Onsite Old")
    assert "Unsubscribe" in html


async def test_temporary_rejection_retries_with_the_same_message_id(
        clean_db: str, smtp_server: tuple[str, MailSink], with_smtp: Callable[..., Any]) -> None:
    url, sink = smtp_server
    sink.reject = ["451 4.3.0 try again later"]
    async with connect(with_smtp(url)) as rt:
        async with rt.pool.acquire() as conn:
            job = await add_job(conn)
            alert = await add_alert(conn, email_to="cy@example.org")
            did = await add_delivery(conn, alert, job, "cy@example.org")
        notifier = Notifier(rt, FAST)
        first = await notifier.deliver(did)
        assert first.state == "failed" and first.retry_in is not None
        failed = await delivery(rt, did)
        assert failed["last_status"] == 451 and "try again" in failed["last_error"]
        assert (await notifier.deliver(did)).state == "failed"  # not due yet: left alone
        import asyncio

        await asyncio.sleep(first.retry_in + 0.05)
        assert (await notifier.deliver(did)).state == "sent"
        sink.reject = ["550 5.1.1 no such user"]
        async with rt.pool.acquire() as conn:
            other = await add_delivery(conn, await add_alert(conn, email_to="nobody@example.org"), job,
                                       "nobody@example.org")
        assert (await notifier.deliver(other)).state == "dead"  # 5xx: permanent, no retry
        await notifier.aclose()
        assert (await delivery(rt, did))["attempts"] == 2
        assert (await delivery(rt, other))["attempts"] == 1


async def test_no_smtp_configured_fails_visibly(runtime: Any) -> None:
    async with runtime.pool.acquire() as conn:
        did = await add_delivery(conn, await add_alert(conn, email_to="d@example.org"), await add_job(conn),
                                 "d@example.org")
    outcome = await Notifier(runtime, FAST).deliver(did)
    assert outcome.state == "failed"
    assert "HIREWIRE_SMTP_URL" in (await delivery(runtime, did))["last_error"]


async def test_bodies_are_seven_bit_with_short_encoded_lines(clean_db: str, smtp_server: tuple[str, MailSink],
                                                             with_smtp: Callable[..., Any]) -> None:
    """Relays without 8BITMIME and spam filters (MIME_QP_LONG_LINE) both get a conforming message."""
    url, sink = smtp_server
    async with connect(with_smtp(url)) as rt:
        async with rt.pool.acquire() as conn:
            job = await add_job(conn, company="Zürcher Kantonalbank — 株式会社", description_text="Bau " * 400,
                                description_html="<p>" + "Grüße aus Zürich. " * 200 + "</p>")
            alert = await add_alert(conn, email_to="ada@example.org")
            did = await add_delivery(conn, alert, job, "ada@example.org")
        notifier = Notifier(rt, FAST)
        assert (await notifier.deliver(did)).state == "sent"
        await notifier.aclose()

    [raw] = sink.raws
    assert max(raw) < 128, "8-bit bytes sent without BODY=8BITMIME"
    head, _, body = raw.partition(b"\r\n\r\n")
    assert raw.count(b"MIME-Version: 1.0") == 1  # the top level only, not again in a part
    unsubscribe = next(line for line in head.split(b"\r\n") if line.startswith(b"List-Unsubscribe: "))
    assert unsubscribe.endswith(b">")  # still one unfolded line (DKIM)
    assert max(len(line) for line in body.split(b"\r\n")) <= 76  # RFC 2045 §6.7 rule 5
    text, html = _parts(sink.messages[0])
    assert "Zürcher Kantonalbank — 株式会社" in text and "Grüße aus Zürich." in html


async def test_confirmation_mail_is_seven_bit_too(smtp_server: tuple[str, MailSink],
                                                  with_smtp: Callable[..., Any]) -> None:
    url, sink = smtp_server
    await send_confirmation(with_smtp(url), 5, "ada@example.org", "Entwickler Zürich")
    [raw] = sink.raws
    assert max(raw) < 128 and raw.count(b"MIME-Version: 1.0") == 1
    text, html = _parts(sink.messages[0])
    assert 'for "Entwickler Zürich"' in text and "/confirm/" in html


async def test_weekly_digest_is_dated_when_sent_not_when_the_first_job_matched(
        clean_db: str, smtp_server: tuple[str, MailSink], with_smtp: Callable[..., Any]) -> None:
    url, sink = smtp_server
    now = datetime.now(UTC)
    async with connect(with_smtp(url)) as rt:
        async with rt.pool.acquire() as conn:
            alert = await add_alert(conn, email_to="wes@example.org", frequency="weekly",
                                    created_at=now - timedelta(days=8))
            for n in range(2):
                did = await add_delivery(conn, alert, await add_job(conn, title=f"Weekly {n}"), "wes@example.org")
                await conn.execute("UPDATE deliveries SET created_at = $2 WHERE id = $1", did,
                                   now - timedelta(days=6, hours=n))
        notifier = Notifier(rt, FAST)
        [anchor] = await notifier.open_due_digests(now)
        assert (await notifier.deliver(anchor)).state == "sent"
        await notifier.aclose()

    [message] = sink.messages
    dated = parsedate_to_datetime(message["Date"])
    assert abs((dated - datetime.now(UTC)).total_seconds()) < 120, message["Date"]


async def test_missing_fields_leave_no_stray_separators(clean_db: str, smtp_server: tuple[str, MailSink],
                                                        with_smtp: Callable[..., Any]) -> None:
    """A job without company, location or salary reads "senior", not " · senior" or " ·  · Remote"."""
    url, sink = smtp_server
    async with connect(with_smtp(url)) as rt:
        async with rt.pool.acquire() as conn:
            job = await add_job(conn, title="Sparse", company=None, location_raw=None, salary_min=None,
                                salary_max=None, salary_currency=None, posted_at=None)
            alert = await add_alert(conn, email_to="ada@example.org")
            did = await add_delivery(conn, alert, job, "ada@example.org")
        notifier = Notifier(rt, FAST)
        assert (await notifier.deliver(did)).state == "sent"
        await notifier.aclose()

    text, html = _parts(sink.messages[0])
    assert re.search(r">\s*(·|&middot;)", html) is None, html
    assert re.search(r"(·|&middot;)\s*<", html) is None, html
    assert '<div style="color:#374151;">Remote</div>' in html
    assert ">senior · on jobs.example.org</div>" in html
    assert "\n  Remote\n  senior\n" in "\n".join(text.splitlines())


async def _send_instant_and_daily(settings: Any, job_fields: dict[str, Any], *, query: str = "python") -> None:
    """One job sent two ways: to ada's instant alert (with `query`) and in bob's daily digest."""
    async with connect(settings) as rt:
        async with rt.pool.acquire() as conn:
            job = await add_job(conn, **job_fields)
            alert = await add_alert(conn, email_to="ada@example.org", query=query)
            did = await add_delivery(conn, alert, job, "ada@example.org")
            digest = await add_alert(conn, email_to="bob@example.org", frequency="daily",
                                     created_at=datetime(2025, 1, 5, tzinfo=UTC))
            await add_delivery(conn, digest, job, "bob@example.org")
        notifier = Notifier(rt, FAST)
        assert (await notifier.deliver(did)).state == "sent"
        [anchor] = await notifier.open_due_digests(datetime(2025, 1, 6, 9, tzinfo=UTC))
        assert (await notifier.deliver(anchor)).state == "sent"
        await notifier.aclose()


async def test_job_links_lead_to_the_listing_and_offer_the_application_beside_it(
        clean_db: str, smtp_server: tuple[str, MailSink], with_smtp: Callable[..., Any]) -> None:
    """"View the job" opens the board's listing (the whole ad, and the link back RemoteOK's and
    Remotive's terms require), not the application form; that one is a separate "Apply" link."""
    url, sink = smtp_server
    listing, form = "https://remoteok.com/remote-jobs/123", "https://acme.example/careers/apply/9"
    await _send_instant_and_daily(with_smtp(url), {"url": listing, "apply_url": form})
    instant, daily = sink.messages
    text, html = _parts(instant)
    links = re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', html)
    assert (listing, "Senior Python Engineer") in links and (listing, "View the job") in links
    assert (form, "Apply") in links
    assert "on remoteok.com" in html
    lines = [line.strip() for line in text.splitlines()]
    assert listing in lines and f"Apply: {form}" in lines
    text, html = _parts(daily)
    assert f'href="{listing}"' in html and form not in html and form not in text


def _long_lines(text: str) -> list[str]:
    """Text-part lines wider than a plain-text reader's window, but for a lone URL (cannot wrap)."""
    return [line for line in text.splitlines()
            if len(line) > 76 and not (line.strip().startswith("https://") and " " not in line.strip())]


async def test_text_part_reads_in_a_plain_mail_client(clean_db: str, smtp_server: tuple[str, MailSink],
                                                      with_smtp: Callable[..., Any]) -> None:
    """Lines fit 76 columns (long titles, locations, skill lists, the footer), and an instant
    alert keeps the ad's paragraphs and bullets instead of running headings into sentences."""
    url, sink = smtp_server
    description = ("About the role\n\nYou will own the metering pipeline: a set of Python services that "
                   "ingest usage events into PostgreSQL and ClickHouse.\n\nWhat you will do\n\n"
                   "• Design idempotent ingestion APIs that survive retries and replays, at scale\n"
                   "• Scale PostgreSQL partitioning")
    job = {"title": "Senior Staff Principal Python Backend Platform Engineer " * 3,
           "location_raw": "Berlin, Germany; Amsterdam, North Holland, Netherlands; London, UK",
           "skills": ["AWS", "Celery", "Django", "Django REST Framework", "Docker", "FastAPI", "PostgreSQL",
                      "Python", "Redis", "SQLAlchemy", "Kubernetes"],
           "description_text": description, "url": "https://jobs.example.org/" + "x" * 120}
    await _send_instant_and_daily(with_smtp(url), job, query="django OR fastapi " * 5)

    instant, daily = (_parts(message)[0] for message in sink.messages)
    assert _long_lines(instant) == [] and _long_lines(daily) == []
    lines = instant.splitlines()
    assert "  About the role" in lines and "  What you will do" in lines
    assert "  • Design idempotent ingestion APIs that survive retries and replays, at" in lines
    assert "    scale" in lines  # a bullet's continuation hangs under its text
    assert "role You will" not in instant
    assert "  Skills: AWS, Celery, Django, Django REST Framework, Docker, FastAPI," in daily.splitlines()


async def test_a_big_digest_stays_small_and_shows_unsubscribe_before_gmail_clips_it(
        clean_db: str, smtp_server: tuple[str, MailSink], with_smtp: Callable[..., Any]) -> None:
    """Gmail hides what follows the first ~102 KB of HTML behind "View entire message"."""
    url, sink = smtp_server
    async with connect(with_smtp(url)) as rt:
        async with rt.pool.acquire() as conn:
            alert = await add_alert(conn, email_to="bob@example.org", frequency="daily",
                                    created_at=datetime(2025, 1, 5, tzinfo=UTC))
            skills = ["AWS", "Celery", "Django", "Docker", "FastAPI", "Kubernetes", "PostgreSQL", "Python", "Redis"]
            for n in range(150):
                job = await add_job(conn, title=f"Senior Python Backend Engineer {n}", skills=skills,
                                    description_text="We build the forecasting platform. " * 20)
                await add_delivery(conn, alert, job, "bob@example.org")
        notifier = Notifier(rt, FAST)
        [anchor] = await notifier.open_due_digests(datetime(2025, 1, 6, 9, tzinfo=UTC))
        assert (await notifier.deliver(anchor)).state == "sent"
        await notifier.aclose()

    [message] = sink.messages
    _, html = _parts(message)
    link = message["List-Unsubscribe"][1:-1]
    assert html.count("Senior Python Backend Engineer") == 150  # every job is there, each linked
    assert html.count('href="https://jobs.example.org/') == 150
    cards, lines = html.count("border-radius:6px;"), html.count('<li style="margin:0 0 6px 0;">')
    assert (cards, lines) == (DIGEST_CARDS, 150 - DIGEST_CARDS)  # the first ones as cards, the rest a line each
    assert html.encode().find(link.encode()) < 2_000  # at the top, not only past the clip
    assert len(html.encode()) < 100_000  # under Gmail's clip: was about 2 KB a job, 300 KB in all


async def test_every_email_links_the_subscribers_page_of_alerts(
        clean_db: str, smtp_server: tuple[str, MailSink], with_smtp: Callable[..., Any]) -> None:
    """Beside the one-alert unsubscribe link, the footer links the page where the subscriber pauses,
    resumes or unsubscribes any of their alerts; its token is theirs and no one else's."""
    url, sink = smtp_server
    settings = with_smtp(url)
    async with connect(settings) as rt:
        async with rt.pool.acquire() as conn:
            job = await add_job(conn)
            alert, _ = await store_alerts.create(conn, parse_alert({"query": "python",
                                                                    "channel": {"email": "ada@example.org"}}))
            subscriber = await conn.fetchval("SELECT subscriber_id FROM alerts WHERE id = $1", alert)
            did = await add_delivery(conn, alert, job, "ada@example.org")
        notifier = Notifier(rt, FAST)
        assert (await notifier.deliver(did)).state == "sent"
        await notifier.aclose()

    [message] = sink.messages
    text, html = _parts(message)
    page = f"{settings.public_url}/manage/"
    token = text.split(page, 1)[1].split()[0]
    assert read_management_token(settings.secret_key, token) == subscriber
    assert f'<a href="{page}{token}"' in html and "Manage your alerts" in html
    assert "Manage your alerts (pause, resume, unsubscribe):" in text
