"""Addresses beyond ASCII (`jürgen@example.org`) need SMTPUTF8 (RFC 6531): sent with it to a server
that offers it; refused at once, with a clear reason, by one that does not, and the connection stays
good for everyone else's mail. Against real aiosmtpd servers, with and without SMTPUTF8."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from aiosmtpd.smtp import SMTP, Envelope, Session

from aggregator.runtime import connect
from tests.notify.conftest import FAST, MailSink, add_alert, add_delivery, add_job, delivery, smtp_on_loopback
from workers.notify import Notifier
from workers.notify.confirmation import send_confirmation
from workers.notify.smtp import NeedsSmtpUtf8

JURGEN = "jürgen@example.org"


class Utf8Sink(MailSink):
    """A MailSink that also notes whether each message came with the SMTPUTF8 parameter."""

    def __init__(self) -> None:
        super().__init__()
        self.smtputf8: list[bool] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.smtputf8.append(bool(envelope.smtp_utf8))
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture(params=[True, False], ids=["smtputf8", "ascii-only"])
def relay(request: pytest.FixtureRequest) -> Iterator[tuple[str, Utf8Sink, bool]]:
    """An SMTP server on loopback that does or does not advertise SMTPUTF8: (url, sink, offers it)."""
    sink = Utf8Sink()
    with smtp_on_loopback(sink, enable_SMTPUTF8=request.param) as url:
        yield url, sink, request.param


async def test_an_international_address_gets_its_mail_or_a_clear_final_error(
        clean_db: str, relay: tuple[str, Utf8Sink, bool], with_smtp: Callable[..., Any]) -> None:
    url, sink, offers_smtputf8 = relay
    async with connect(with_smtp(url)) as rt:
        async with rt.pool.acquire() as conn:
            job = await add_job(conn, title="Backend Engineer")
            jurgen = await add_delivery(conn, await add_alert(conn, email_to=JURGEN), job, JURGEN)
            ada = await add_delivery(conn, await add_alert(conn, email_to="ada@example.org"), job, "ada@example.org")
        notifier = Notifier(rt, FAST)
        states = [(await notifier.deliver(did)).state for did in (jurgen, ada)]
        await notifier.aclose()
        row = await delivery(rt, jurgen)

    if offers_smtputf8:
        assert states == ["sent", "sent"] and row["last_error"] is None
        assert sink.envelopes[0] == ("alerts@hirewire.example", [JURGEN]) and sink.smtputf8 == [True, False]
        assert b"\r\nTo: j\xc3\xbcrgen@example.org\r\n" in sink.raws[0]  # UTF-8, not an encoded word
        assert sink.messages[0]["To"] == JURGEN
    else:
        # Final at the first attempt: no retries for a day against a server that can never take it.
        assert states == ["dead", "sent"] and row["attempts"] == 1
        assert row["last_error"] == (f"{JURGEN} needs SMTPUTF8 (international email, RFC 6531), which the SMTP "
                                     f"server {url.removeprefix('smtp://')} does not offer")
        # ada's mail, on the same connection right after, arrived (it met "503 nested MAIL command").
        assert sink.envelopes == [("alerts@hirewire.example", ["ada@example.org"])]
    assert sink.connections == 1  # one connection carried both attempts


async def test_the_confirmation_mail_to_an_international_address(
        relay: tuple[str, Utf8Sink, bool], with_smtp: Callable[..., Any]) -> None:
    url, sink, offers_smtputf8 = relay
    settings = with_smtp(url)
    if offers_smtputf8:
        await send_confirmation(settings, 1, JURGEN, "django")
        assert [m["To"] for m in sink.messages] == [JURGEN] and sink.smtputf8 == [True]
    else:
        with pytest.raises(NeedsSmtpUtf8, match=re.escape(f"{JURGEN} needs SMTPUTF8")):
            await send_confirmation(settings, 1, JURGEN, "django")
        assert sink.messages == []

