"""SMTP over TLS with AUTH, against real aiosmtpd servers on loopback with a throwaway private CA.

Covers what `HIREWIRE_SMTP_URL` promises: `?starttls=true`, `smtps://` (implicit TLS), `user:pass@`
and `?cafile=`; one connection reused for a run of messages; and the failure modes that must not
leak mail or credentials: a wrong password, a certificate from another CA, a stripped STARTTLS.
"""

from __future__ import annotations

import email
import email.policy
import io
import logging
import shutil
import ssl
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from aggregator import logs
from aggregator.embedded import free_port
from aggregator.runtime import Runtime, connect
from tests.notify.conftest import FAST, add_alert, add_delivery, add_job, delivery, wait_until
from workers.notify import Notifier, Outcome

# The implicit-TLS and plain servers require AUTH without aiosmtpd's STARTTLS-only notion of TLS (see below).
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")

USER = "hirewire-mailer"
PASSWORD = "Tr0ub4dor&3/s3cret:pw"  # URL-special characters on purpose: the URL carries it quoted
WRONG_PASSWORD = "Wr0ng-horse:battery/staple"


@dataclass(frozen=True)
class Pki:
    ca: Path  # the CA that signed the server certificate
    other_ca: Path  # an unrelated CA: trusting only it must refuse the server
    cert: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert, self.key)
        return context


def _openssl(cwd: Path, *args: str) -> None:
    result = subprocess.run(["openssl", *args], cwd=cwd, capture_output=True, text=True, timeout=30)
    if result.returncode != 0:
        raise RuntimeError(f"openssl {args[0]} failed: {result.stderr.strip()}")


def _make_ca(cwd: Path, name: str) -> None:
    _openssl(cwd, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-keyout", f"{name}.key", "-out", f"{name}.pem", "-days", "2", "-subj", f"/CN=hirewire test {name}",
             "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign")


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    """A self-signed CA, a server certificate for 127.0.0.1/localhost it signed, and a second CA."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command line is needed to generate a throwaway CA (and cryptography is "
                    "not installed)")
    cwd = tmp_path_factory.mktemp("smtp-pki")
    _make_ca(cwd, "ca")
    _make_ca(cwd, "other-ca")
    _openssl(cwd, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1")
    (cwd / "server.ext").write_text(
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=critical,CA:FALSE\n"
        "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n"
        "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid,issuer\n")
    _openssl(cwd, "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-set_serial", "1001",
             "-days", "2", "-extfile", "server.ext", "-out", "server.pem")
    return Pki(ca=cwd / "ca.pem", other_ca=cwd / "other-ca.pem", cert=cwd / "server.pem", key=cwd / "server.key")


@dataclass
class Received:
    message: EmailMessage
    mail_from: str
    rcpt_tos: list[str]
    tls_version: str | None  # of the transport the DATA came over (None: plaintext)
    starttls: bool  # the session was upgraded with STARTTLS
    authenticated: bool
    login: str | None


@dataclass
class SecureSink:
    """Records deliveries with how they arrived; accepts exactly USER / PASSWORD."""

    received: list[Received] = field(default_factory=list)
    auth_attempts: list[tuple[str, str]] = field(default_factory=list)  # (mechanism, login)
    auth_in_clear: int = 0  # AUTH commands that arrived over a plaintext transport
    servers: list[SMTP] = field(default_factory=list)  # one SMTP protocol instance per TCP connection

    @property
    def connections(self) -> int:
        return len(self.servers)

    def open_connections(self) -> int:
        return sum(1 for server in self.servers if server.transport is not None)

    def authenticate(self, server: SMTP, session: Session, envelope: Envelope, mechanism: str,
                     auth_data: Any) -> AuthResult:
        assert isinstance(auth_data, LoginPassword)
        self.auth_attempts.append((mechanism, auth_data.login.decode()))
        if server.transport is None or server.transport.get_extra_info("ssl_object") is None:
            self.auth_in_clear += 1
        ok = auth_data.login == USER.encode() and auth_data.password == PASSWORD.encode()
        return AuthResult(success=ok, handled=False, auth_data=auth_data.login.decode() if ok else None)

    async def handle_EHLO(self, server: SMTP, session: Session, envelope: Envelope, hostname: str,
                          responses: list[str]) -> list[str]:
        # STARTTLS makes the client say EHLO twice on one connection: count protocol instances instead.
        if not any(known is server for known in self.servers):
            self.servers.append(server)
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        assert server.transport is not None
        ssl_object = server.transport.get_extra_info("ssl_object")
        raw = envelope.original_content or b""
        self.received.append(Received(
            message=email.message_from_bytes(raw, policy=email.policy.default),
            mail_from=str(envelope.mail_from), rcpt_tos=list(envelope.rcpt_tos),
            tls_version=ssl_object.version() if ssl_object is not None else None,
            starttls=session.ssl is not None, authenticated=bool(session.authenticated),
            login=session.auth_data if isinstance(session.auth_data, str) else None))
        return "250 OK"


StartServer = Callable[..., tuple[int, SecureSink]]


@pytest.fixture
def smtp_tls_server(pki: Pki) -> Iterator[StartServer]:
    """Starts aiosmtpd servers: mode "starttls" (STARTTLS + AUTH LOGIN required), "implicit" (TLS from
    the first byte, AUTH PLAIN/LOGIN required) or "plain" (no TLS offered, AUTH allowed in the clear)."""
    controllers: list[Controller] = []

    def start(mode: str) -> tuple[int, SecureSink]:
        sink = SecureSink()
        common: dict[str, Any] = {"authenticator": sink.authenticate, "auth_required": True}
        if mode == "starttls":
            controller = Controller(sink, hostname="127.0.0.1", port=free_port(), tls_context=pki.server_context(),
                                    require_starttls=True, auth_require_tls=True,
                                    auth_exclude_mechanism=["PLAIN"], **common)
        elif mode == "implicit":
            # aiosmtpd only knows about STARTTLS: on an implicit-TLS socket `auth_require_tls` would hide AUTH.
            # The socket is TLS from the first byte; `auth_in_clear` checks it per AUTH command anyway.
            controller = Controller(sink, hostname="127.0.0.1", port=free_port(), ssl_context=pki.server_context(),
                                    auth_require_tls=False, **common)
        elif mode == "plain":
            controller = Controller(sink, hostname="127.0.0.1", port=free_port(), auth_require_tls=False, **common)
        else:
            raise ValueError(mode)
        controller.start()
        controllers.append(controller)
        return controller.port, sink

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    """Everything hirewire's logging setup emits (structlog and stdlib, DEBUG and up) during the test."""
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    buffer = io.StringIO()
    logs.configure("json", level=logging.DEBUG)
    handler = root.handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(buffer)
    logging.getLogger("aiosmtplib").setLevel(logging.DEBUG)
    try:
        yield buffer
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)


def _url(scheme: str, port: int, cafile: Path, *, password: str = PASSWORD, starttls: bool = False) -> str:
    query = ("starttls=true&" if starttls else "") + f"cafile={quote(str(cafile), safe='/')}"
    return f"{scheme}://{USER}:{quote(password, safe='')}@127.0.0.1:{port}?{query}"


async def _deliver(rt: Runtime, delivery_id: int) -> Outcome:
    """One delivery attempt by a fresh notifier, closed afterwards (its SMTP connection with it)."""
    notifier = Notifier(rt, FAST)
    try:
        return await notifier.deliver(delivery_id)
    finally:
        await notifier.aclose()


async def _queue(rt: Runtime, recipients: list[str], title: str) -> list[int]:
    async with rt.pool.acquire() as conn:
        job = await add_job(conn, title=title)
        return [await add_delivery(conn, await add_alert(conn, email_to=to), job, to) for to in recipients]


def _assert_no_secret(text: str, *secrets: str) -> None:
    for secret in secrets:
        assert secret not in text and quote(secret, safe="") not in text, "a password reached the logs/DB"


@pytest.mark.parametrize(("scheme", "mode", "mechanism"), [("smtp", "starttls", "LOGIN"),
                                                           ("smtps", "implicit", "PLAIN")])
async def test_tls_and_auth_deliver_a_run_over_one_connection(
        clean_db: str, smtp_tls_server: StartServer, pki: Pki, with_smtp: Callable[..., Any],
        log_output: io.StringIO, scheme: str, mode: str, mechanism: str) -> None:
    port, sink = smtp_tls_server(mode)
    url = _url(scheme, port, pki.ca, starttls=mode == "starttls")
    recipients = [f"reader{n}@example.org" for n in range(4)]
    async with connect(with_smtp(url)) as rt:
        ids = await _queue(rt, recipients, f"Staff TLS Engineer ({mode})")
        notifier = Notifier(rt, FAST)
        try:
            outcomes = [await notifier.deliver(did) for did in ids]
        finally:
            await notifier.aclose()
        rows = [await delivery(rt, did) for did in ids]

    assert [o.state for o in outcomes] == ["sent"] * 4, [r["last_error"] for r in rows]
    assert all(row["state"] == "sent" and row["last_status"] == 250 for row in rows)
    assert [r.rcpt_tos for r in sink.received] == [[to] for to in recipients]
    for got, to in zip(sink.received, recipients, strict=True):
        assert got.mail_from == "alerts@hirewire.example"
        assert got.message["To"] == to
        assert got.message["Subject"] == f"New job: Staff TLS Engineer ({mode}) at Saltmarsh Labs"
        text = got.message.get_body(("plain",))
        assert text is not None and f"Staff TLS Engineer ({mode})" in text.get_content()
        assert got.tls_version in ("TLSv1.2", "TLSv1.3")  # encrypted on the wire
        assert got.starttls is (mode == "starttls")  # upgraded in-band vs TLS from the first byte
        assert got.authenticated and got.login == USER
    assert sink.auth_attempts == [(mechanism, USER)] and sink.auth_in_clear == 0  # logged in once, encrypted,
    assert sink.connections == 1  # ...on one connection reused for the whole run
    assert "delivery attempted" in log_output.getvalue()  # the capture does see hirewire's logs
    _assert_no_secret(log_output.getvalue(), PASSWORD)


async def test_wrong_password_fails_the_delivery_and_sends_nothing(
        clean_db: str, smtp_tls_server: StartServer, pki: Pki, with_smtp: Callable[..., Any],
        log_output: io.StringIO) -> None:
    port, sink = smtp_tls_server("starttls")
    async with connect(with_smtp(_url("smtp", port, pki.ca, password=WRONG_PASSWORD, starttls=True))) as rt:
        (did,) = await _queue(rt, ["ada@example.org"], "Password Tester")
        outcome = await _deliver(rt, did)
        row = await delivery(rt, did)

    assert outcome.state in ("failed", "dead")
    assert row["state"] == outcome.state and row["last_status"] == 535
    assert "535" in row["last_error"] and "uthentication" in row["last_error"]
    assert sink.received == []
    assert sink.auth_attempts == [("LOGIN", USER)]
    # The rejected connection is closed, not leaked until garbage collection (the server sees it go).
    await wait_until(lambda: sink.open_connections() == 0, timeout=2.0)
    _assert_no_secret(log_output.getvalue() + row["last_error"], WRONG_PASSWORD, PASSWORD)


@pytest.mark.parametrize(("scheme", "mode"), [("smtp", "starttls"), ("smtps", "implicit")])
async def test_certificate_from_another_ca_is_refused_before_auth(
        clean_db: str, smtp_tls_server: StartServer, pki: Pki, with_smtp: Callable[..., Any],
        log_output: io.StringIO, scheme: str, mode: str) -> None:
    port, sink = smtp_tls_server(mode)
    async with connect(with_smtp(_url(scheme, port, pki.other_ca, starttls=mode == "starttls"))) as rt:
        (did,) = await _queue(rt, ["ada@example.org"], "Certificate Tester")
        outcome = await _deliver(rt, did)
        row = await delivery(rt, did)

    assert outcome.state == "failed" and row["state"] == "failed"
    assert "CERTIFICATE_VERIFY_FAILED" in row["last_error"] or "certificate verify failed" in row["last_error"]
    assert sink.received == [] and sink.auth_attempts == []  # no credentials handed to an unverified server
    _assert_no_secret(log_output.getvalue() + row["last_error"], PASSWORD)


async def test_starttls_requested_but_not_offered_is_refused(
        clean_db: str, smtp_tls_server: StartServer, pki: Pki, with_smtp: Callable[..., Any],
        log_output: io.StringIO) -> None:
    """A server (or a man in the middle) that drops STARTTLS must not get the password in the clear."""
    port, sink = smtp_tls_server("plain")
    async with connect(with_smtp(_url("smtp", port, pki.ca, starttls=True))) as rt:
        (did,) = await _queue(rt, ["ada@example.org"], "Downgrade Tester")
        outcome = await _deliver(rt, did)
        row = await delivery(rt, did)

    assert outcome.state == "failed" and "STARTTLS" in row["last_error"]
    assert sink.received == [] and sink.auth_attempts == []
    _assert_no_secret(log_output.getvalue() + row["last_error"], PASSWORD)
