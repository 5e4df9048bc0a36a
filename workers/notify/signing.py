"""Standard Webhooks signatures and secrets (https://www.standardwebhooks.com).

Written out rather than borrowed from the reference package, so the tests' verification with that
package checks an independent implementation.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

__all__ = ["SECRET_PREFIX", "generate_secret", "sign"]

SECRET_PREFIX = "whsec_"  # noqa: S105 — a format prefix, not a secret


def generate_secret() -> str:
    """A new signing secret: `whsec_` + base64 of 32 random bytes (shown to the subscriber once)."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX))


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` header value: `v1,` + base64 HMAC-SHA256 of `id.timestamp.body`."""
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()
