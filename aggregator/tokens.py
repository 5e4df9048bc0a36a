"""Signed, opaque tokens for links in emails and the API (itsdangerous).

Each purpose has its own salt, so a token made for one purpose never passes for another.
Unsubscribe tokens never expire: a digest read months later must still unsubscribe, and the
RFC 8058 one-click POST carries nothing but the token. Confirmation tokens expire (double opt-in).
Management tokens let a subscriber view and edit their alerts without an account.
"""

from __future__ import annotations

from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer

from aggregator.errors import InputError

__all__ = ["CONFIRM_MAX_AGE", "confirmation_token", "management_token", "read_confirmation_token",
           "read_management_token", "read_unsubscribe_token", "unsubscribe_token"]

#: How long a double opt-in link stays valid.
CONFIRM_MAX_AGE = 7 * 24 * 3600

_UNSUBSCRIBE = "hirewire.unsubscribe.v1"
_CONFIRM = "hirewire.confirm.v1"
_MANAGE = "hirewire.manage.v1"


def _key(secret_key: str) -> str:
    if not secret_key:
        raise ValueError("secret_key is empty: tokens would be forgeable")
    return secret_key


def unsubscribe_token(secret_key: str, alert_id: int) -> str:
    """A token that unsubscribes one alert, forever valid."""
    return str(URLSafeSerializer(_key(secret_key), salt=_UNSUBSCRIBE).dumps(alert_id))


def read_unsubscribe_token(secret_key: str, token: str) -> int:
    """The alert id in an unsubscribe token; InputError when it was not made by us."""
    try:
        value = URLSafeSerializer(_key(secret_key), salt=_UNSUBSCRIBE).loads(token)
    except BadSignature:
        raise InputError("token", "invalid unsubscribe token") from None
    return _int(value, "unsubscribe")


def confirmation_token(secret_key: str, alert_id: int) -> str:
    """A token confirming one subscription; expires after CONFIRM_MAX_AGE."""
    return str(URLSafeTimedSerializer(_key(secret_key), salt=_CONFIRM).dumps(alert_id))


def read_confirmation_token(secret_key: str, token: str, *, max_age: int = CONFIRM_MAX_AGE) -> int:
    try:
        value = URLSafeTimedSerializer(_key(secret_key), salt=_CONFIRM).loads(token, max_age=max_age)
    except SignatureExpired:
        raise InputError("token", "confirmation link expired: subscribe again") from None
    except BadSignature:
        raise InputError("token", "invalid confirmation token") from None
    return _int(value, "confirmation")


def management_token(secret_key: str, subscriber_id: int) -> str:
    """A token for managing one subscriber's alerts (no expiry; rotate the secret key to revoke all)."""
    return str(URLSafeSerializer(_key(secret_key), salt=_MANAGE).dumps(subscriber_id))


def read_management_token(secret_key: str, token: str) -> int:
    try:
        value = URLSafeSerializer(_key(secret_key), salt=_MANAGE).loads(token)
    except BadSignature:
        raise InputError("token", "invalid management token") from None
    return _int(value, "management")


def _int(value: object, kind: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise InputError("token", f"invalid {kind} token")
    return value
