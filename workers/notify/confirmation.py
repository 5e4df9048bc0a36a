"""The double opt-in email: one link that confirms one pending alert, nothing else.

It is the only message hirewire ever sends to an address that has not confirmed, so it carries no
listings and no tracking, says who asked and what for, and tells the reader that ignoring it is
enough. Sent inline by the API (the subscriber is waiting for it), over a short-lived connection.
"""

from __future__ import annotations

from email import policy as email_policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from jinja2 import Environment, StrictUndefined

from aggregator.config import Settings
from aggregator.errors import PermanentDeliveryError, TransientDeliveryError
from aggregator.tokens import CONFIRM_MAX_AGE, confirmation_token
from workers.notify.email import set_alternatives
from workers.notify.render import header_text
from workers.notify.smtp import SmtpSender, parse_smtp_url

__all__ = ["build_confirmation", "confirmation_url", "send_confirmation"]

_TEXT = """Hello,

someone (hopefully you) asked hirewire to send job alerts to this address{% if query %} for "{{ query }}"{% endif %}.

Confirm the subscription here (the link is valid for {{ days }} days):
{{ url }}

If it was not you, ignore this email: nothing will be sent to you.
"""

_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Confirm your job alert</title></head>
<body style="font-family:Arial,sans-serif;font-size:16px;line-height:1.5;color:#111827;">
<p>Hello,</p>
<p>someone (hopefully you) asked hirewire to send job alerts to this address{% if query %}
for &ldquo;{{ query }}&rdquo;{% endif %}.</p>
<p><a href="{{ url }}" style="color:#1e3a8a;font-weight:bold;">Confirm the subscription</a>
(the link is valid for {{ days }} days).</p>
<p>If it was not you, ignore this email: nothing will be sent to you.</p>
</body></html>
"""

_ENV = Environment(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)
_TEXT_ENV = Environment(autoescape=False, undefined=StrictUndefined, keep_trailing_newline=True)  # noqa: S701 — plain text


def confirmation_url(settings: Settings, alert_id: int) -> str:
    return f"{settings.public_url}/confirm/{confirmation_token(settings.secret_key, alert_id)}"


def _address(value: str, what: str) -> Address:
    _, addr = parseaddr(value)
    if addr != header_text(addr, 320) or addr.count("@") != 1:
        raise PermanentDeliveryError(f"invalid {what} address {value!r}")
    user, domain = addr.split("@")
    return Address(username=user, domain=domain)


def build_confirmation(settings: Settings, alert_id: int, email: str, query: str) -> EmailMessage:
    url = confirmation_url(settings, alert_id)
    context = {"url": url, "query": header_text(query, 120), "days": CONFIRM_MAX_AGE // 86400}
    sender_name, _ = parseaddr(settings.mail_from)
    sender = _address(settings.mail_from, "sender")
    message = EmailMessage(policy=email_policy.SMTP)
    message["From"] = Address(display_name=header_text(sender_name, 80), username=sender.username,
                              domain=sender.domain)
    message["To"] = _address(email, "recipient")
    message["Subject"] = "Confirm your hirewire job alert"
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid("hirewire.confirm", domain=sender.domain)
    message["Auto-Submitted"] = "auto-generated"
    set_alternatives(message, _TEXT_ENV.from_string(_TEXT).render(context), _ENV.from_string(_HTML).render(context))
    return message


async def send_confirmation(settings: Settings, alert_id: int, email: str, query: str) -> None:
    """Send the confirmation mail now; raises a DeliveryError when the SMTP server cannot take it."""
    if not settings.smtp_url:
        raise TransientDeliveryError("HIREWIRE_SMTP_URL is not set: cannot send the confirmation email")
    sender = SmtpSender(parse_smtp_url(settings.smtp_url, timeout=15.0))
    try:
        await sender.send(build_confirmation(settings, alert_id, email, query))
    finally:
        await sender.aclose()
