"""Who is calling: the operator (HIREWIRE_API_KEY) or one subscriber (a signed management token).

Both come as `Authorization: Bearer …`. A subscriber principal carries its subscriber id, and every
alert query made for it is scoped by that id in SQL, so one subscriber can never see another's.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from aiohttp import web

from aggregator.api.base import RUNTIME, ApiError
from aggregator.errors import InputError
from aggregator.tokens import read_management_token

__all__ = ["Principal", "principal"]


@dataclass(frozen=True, slots=True)
class Principal:
    #: None for the operator; otherwise the subscriber whose alerts these are.
    subscriber_id: int | None

    @property
    def is_operator(self) -> bool:
        return self.subscriber_id is None


def _unauthorized(message: str) -> ApiError:
    return ApiError(401, "unauthorized", message, field="Authorization",
                    headers={"WWW-Authenticate": 'Bearer realm="hirewire"'})


def principal(request: web.Request) -> Principal:
    """The caller, or 401 naming the Authorization header."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise _unauthorized("send `Authorization: Bearer <API key or management token>`")
    settings = request.app[RUNTIME].settings
    # Header bytes that are not UTF-8 arrive as lone surrogates (surrogateescape): compare them as bytes.
    if settings.api_key and hmac.compare_digest(token.encode("utf-8", "surrogateescape"), settings.api_key.encode()):
        return Principal(subscriber_id=None)
    if not token.isascii():  # management tokens are URL-safe ASCII; anything else is not one
        raise _unauthorized("the API key or management token is not valid")
    try:
        return Principal(subscriber_id=read_management_token(settings.secret_key, token))
    except InputError:
        raise _unauthorized("the API key or management token is not valid") from None
