"""A small pool of reused SMTP connections per worker, configured from `HIREWIRE_SMTP_URL`.

`smtp://user:pass@host:port` (plain, `?starttls=true` to upgrade), `smtps://…` (implicit TLS);
`?cafile=PATH` trusts a private CA. Connecting and authenticating once for many messages is what
makes a digest run of thousands of mails cheap; a dropped connection is reopened once per send.

One SMTP transaction is three round trips (MAIL, RCPT, DATA) that cannot overlap on a connection,
so one connection to a relay 20 ms away sends at most about 15 messages a second. Concurrent sends
therefore each take a connection of their own, up to `connections`; connections are opened only
when sends actually overlap, and idle ones are reused most recently used first.
"""

from __future__ import annotations

import asyncio
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import EmailPolicy
from urllib.parse import parse_qs, unquote, urlsplit

import aiosmtplib

from aggregator.errors import PermanentDeliveryError, TransientDeliveryError

__all__ = ["NeedsSmtpUtf8", "SmtpConfig", "SmtpSender", "parse_smtp_url"]


class NeedsSmtpUtf8(PermanentDeliveryError):
    """An address beyond ASCII (`jürgen@example.org`) for a server that does not offer SMTPUTF8.

    Permanent: that server can never carry it, and retrying would only delay the verdict by a day.
    """


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    host: str
    port: int
    username: str | None = None
    password: str | None = None
    implicit_tls: bool = False
    starttls: bool = False
    cafile: str | None = None
    timeout: float = 30.0


def parse_smtp_url(url: str, *, timeout: float = 30.0) -> SmtpConfig:
    parts = urlsplit(url)
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    implicit = parts.scheme == "smtps"
    return SmtpConfig(host=parts.hostname or "localhost", port=parts.port or (465 if implicit else 25),
                      username=unquote(parts.username) if parts.username else None,
                      password=unquote(parts.password) if parts.password else None,
                      implicit_tls=implicit, starttls=query.get("starttls", "").lower() in ("1", "true", "yes"),
                      cafile=query.get("cafile"), timeout=timeout)


def _classify(exc: Exception) -> Exception:
    """5xx replies are permanent for the message; everything else (4xx, network) is worth a retry."""
    code = getattr(exc, "code", None)
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused) and exc.recipients:
        code = exc.recipients[0].code
    message = f"SMTP {code}: {exc}" if code else f"SMTP: {type(exc).__name__}: {exc}"
    if isinstance(code, int) and 500 <= code < 600 and not isinstance(exc, aiosmtplib.SMTPAuthenticationError):
        return PermanentDeliveryError(message, status=code)
    return TransientDeliveryError(message, status=code if isinstance(code, int) else None)


class SmtpSender:
    """Sends messages over up to `connections` lazily opened connections; safe to share between
    concurrent jobs."""

    def __init__(self, config: SmtpConfig, connections: int = 1) -> None:
        self.config = config
        self._slots = asyncio.Semaphore(max(1, connections))
        #: Connections not in use by a send; the last one is the most recently used.
        self._idle: list[aiosmtplib.SMTP] = []
        self._closed = False
        self.connections = 0

    def _tls_context(self) -> ssl.SSLContext | None:
        if not (self.config.implicit_tls or self.config.starttls):
            return None
        return ssl.create_default_context(cafile=self.config.cafile)

    async def _connect(self) -> aiosmtplib.SMTP:
        cfg = self.config
        client = aiosmtplib.SMTP(hostname=cfg.host, port=cfg.port, use_tls=cfg.implicit_tls, start_tls=cfg.starttls,
                                 tls_context=self._tls_context(), timeout=cfg.timeout)
        await client.connect()
        if cfg.username:
            try:
                await client.login(cfg.username, cfg.password or "")
            except BaseException:
                client.close()  # not in the pool yet: nobody else would ever close this socket
                raise
        self.connections += 1
        return client

    async def send(self, message: EmailMessage) -> int:
        """Send one message; returns the server's reply code or raises a DeliveryError.

        Flattened here with the message's own policy: aiosmtplib's `send_message` would re-fold
        headers at 78 characters. An address beyond ASCII goes out with SMTPUTF8 (RFC 6531) and its
        headers in UTF-8 (RFC 6532): without it the address cannot even be written in the envelope.
        """
        sender = message["From"].addresses[0].addr_spec
        recipients = [address.addr_spec for address in message["To"].addresses]
        international = [addr for addr in (sender, *recipients) if not addr.isascii()]
        raw = _flatten(message, utf8=bool(international))
        options = ["SMTPUTF8"] if international else []
        async with self._slots:
            client = self._idle.pop() if self._idle else None
            try:
                for attempt in (1, 2):
                    try:
                        if client is None or not client.is_connected:
                            client = await self._connect()
                        await client.sendmail(sender, recipients, raw, mail_options=options)
                        return 250
                    except aiosmtplib.SMTPNotSupported:  # refused before MAIL: the connection stays clean
                        raise self._no_smtputf8(international) from None
                    except aiosmtplib.SMTPServerDisconnected as exc:
                        client = None
                        if attempt == 2:
                            raise _classify(exc) from None
                    except (aiosmtplib.SMTPRecipientsRefused, aiosmtplib.SMTPResponseException) as exc:
                        if isinstance(exc, aiosmtplib.SMTPAuthenticationError):
                            await _quit(client)
                            client = None
                        raise _classify(exc) from None  # the server answered: the connection stays usable
                    except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
                        await _quit(client)
                        client = None
                        raise _classify(exc) from None
                    except ValueError as exc:  # an address aiosmtplib cannot write; maybe mid-transaction
                        await _quit(client)  # so the next message does not meet "503 nested MAIL command"
                        client = None
                        raise PermanentDeliveryError(f"SMTP: cannot send to {', '.join(recipients)}: {exc}") from None
            finally:
                if client is not None:
                    if self._closed:
                        await _quit(client)
                    else:
                        self._idle.append(client)
        raise AssertionError("unreachable")

    def _no_smtputf8(self, addresses: list[str]) -> NeedsSmtpUtf8:
        return NeedsSmtpUtf8(f"{', '.join(addresses)} needs SMTPUTF8 (international email, RFC 6531), which "
                             f"the SMTP server {self.config.host}:{self.config.port} does not offer")

    async def aclose(self) -> None:
        """Close the idle connections; one still sending is closed when its send ends."""
        self._closed = True
        idle, self._idle = self._idle, []
        for client in idle:
            await _quit(client)


def _flatten(message: EmailMessage, *, utf8: bool) -> bytes:
    """The message as bytes under its own policy; with `utf8`, headers stay UTF-8 instead of becoming
    RFC 2047 encoded words, which an address may not contain (`=?utf-8?q?j=C3=BCrgen?=@…` is no address)."""
    policy = message.policy
    if utf8 and isinstance(policy, EmailPolicy):
        policy = policy.clone(utf8=True)
    return message.as_bytes(policy=policy)


async def _quit(client: aiosmtplib.SMTP | None) -> None:
    if client is None:
        return
    try:
        await client.quit()
    except (aiosmtplib.SMTPException, OSError, TimeoutError):
        client.close()
