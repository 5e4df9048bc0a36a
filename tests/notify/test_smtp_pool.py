"""The SMTP connection pool: overlapping sends use a connection each, up to the limit; sequential
sends reuse one; a dropped connection is replaced; closing says QUIT on every idle connection."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any

import pytest

from tests.notify.conftest import smtp_on_loopback
from workers.notify.smtp import SmtpSender, parse_smtp_url


class SlowRelay:
    """Answers DATA after `delay` seconds and records connections, overlap, messages and QUITs."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.connections = 0
        self.in_flight = 0
        self.most_in_flight = 0
        self.recipients: list[str] = []
        self.quits = 0

    async def handle_EHLO(self, server: Any, session: Any, envelope: Any, hostname: str,
                          responses: list[str]) -> list[str]:
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            await asyncio.sleep(self.delay)
        finally:
            self.in_flight -= 1
        self.recipients.extend(envelope.rcpt_tos)
        return "250 OK"

    async def handle_QUIT(self, server: Any, session: Any, envelope: Any) -> str:
        self.quits += 1
        return "221 Bye"


@pytest.fixture
def relay() -> Iterator[tuple[str, SlowRelay]]:
    handler = SlowRelay(delay=0.1)
    with smtp_on_loopback(handler) as url:
        yield url, handler


def _message(n: int) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "alerts@hirewire.example"
    message["To"] = f"user{n}@example.org"
    message["Subject"] = f"job {n}"
    message.set_content(f"body {n}")
    return message


async def test_overlapping_sends_use_up_to_the_limit_and_sequential_ones_reuse(
        relay: tuple[str, SlowRelay]) -> None:
    url, handler = relay
    sender = SmtpSender(parse_smtp_url(url, timeout=5.0), connections=3)
    codes = await asyncio.gather(*(sender.send(_message(n)) for n in range(9)))
    assert codes == [250] * 9
    assert sorted(handler.recipients) == sorted(f"user{n}@example.org" for n in range(9))
    assert handler.connections == 3 and sender.connections == 3
    assert handler.most_in_flight == 3  # the limit, and the sends did overlap
    for n in range(9, 12):
        assert await sender.send(_message(n)) == 250
    assert handler.connections == 3  # no new connection for sends that do not overlap
    await sender.aclose()
    assert handler.quits == 3


async def test_a_single_connection_sends_in_series(relay: tuple[str, SlowRelay]) -> None:
    url, handler = relay
    sender = SmtpSender(parse_smtp_url(url, timeout=5.0), connections=1)
    assert await asyncio.gather(*(sender.send(_message(n)) for n in range(4))) == [250] * 4
    assert handler.connections == 1 and handler.most_in_flight == 1
    await sender.aclose()


async def test_a_connection_the_server_dropped_is_replaced(relay: tuple[str, SlowRelay]) -> None:
    url, handler = relay
    handler.delay = 0.0
    sender = SmtpSender(parse_smtp_url(url, timeout=5.0), connections=2)
    assert await sender.send(_message(1)) == 250
    # The relay closes the idle connection (as relays do after a while); the next send reconnects.
    idle = sender._idle[0]
    idle.close()
    assert await sender.send(_message(2)) == 250
    assert handler.connections == 2 and handler.recipients == ["user1@example.org", "user2@example.org"]
    await sender.aclose()
