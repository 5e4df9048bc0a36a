"""The webhook channel: a signed JSON POST per batch (Standard Webhooks), guarded against SSRF.

The destination is checked before every request and every redirect hop, and the session's resolver
refuses forbidden answers at connect time (DNS rebinding). Responses are read only up to a small
cap. The outcome is classified for the state machine: 2xx sent; 410 gone (disable the alert);
408, 429 (honouring Retry-After) and 5xx or network errors transient; other 4xx permanent.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import aiohttp
from redis.asyncio import Redis

from aggregator import __version__
from aggregator.config import Settings
from aggregator.delivery_policy import DeliveryPolicy
from aggregator.errors import (
    DestinationGone,
    PermanentDeliveryError,
    TransientDeliveryError,
    UnsafeDestination,
)
from aggregator.ssrf import GuardedResolver, UnresolvableDestination, check_destination
from scrapers.ratelimit import HostLimit, HostLimiter
from workers.notify.content import Batch, digest_order
from workers.notify.signing import sign

__all__ = ["WebhookChannel", "build_body", "parse_retry_after", "webhook_id"]

_REDIRECTS = (301, 302, 303, 307, 308)


def webhook_id(batch: Batch) -> str:
    """The same for every attempt of one message, so receivers can drop repeats."""
    return f"msg_hw_{batch.alert.id}_{batch.key.replace(':', '_').replace('+', '')}"


def build_body(batch: Batch) -> bytes:
    timestamp = batch.created_at.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if batch.is_digest:
        event = {"type": "jobs.digest", "timestamp": timestamp, "data": {"alert_id": batch.alert.id,
                                                                         "jobs": digest_order(batch.jobs)}}
    else:
        event = {"type": "job.matched", "timestamp": timestamp, "data": {"alert_id": batch.alert.id,
                                                                         "job": batch.jobs[0]}}
    return json.dumps(event, separators=(",", ":"), ensure_ascii=False).encode()


def parse_retry_after(value: str | None) -> float | None:
    """Retry-After in seconds (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class WebhookChannel:
    name = "webhook"

    def __init__(self, settings: Settings, policy: DeliveryPolicy, redis: Redis) -> None:
        self.settings = settings
        self.policy = policy
        self.limiter = HostLimiter(redis, f"{settings.redis_prefix}:webhook")
        self.limit = HostLimit(rate=policy.destination_rate, burst=policy.destination_burst,
                               concurrency=policy.destination_concurrency)
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None:
            allow = self.settings.allow_private_destinations
            connector = aiohttp.TCPConnector(resolver=GuardedResolver(allow_private=allow), limit=100,
                                             limit_per_host=self.policy.destination_concurrency, ttl_dns_cache=60)
            self._session = aiohttp.ClientSession(
                connector=connector, trust_env=False,
                timeout=aiohttp.ClientTimeout(total=self.policy.webhook_timeout,
                                              sock_connect=self.policy.webhook_connect_timeout),
                headers={"User-Agent": f"hirewire-webhooks/{__version__}", "Content-Type": "application/json"})
        return self._session

    async def send(self, batch: Batch) -> int:
        url, secret = batch.alert.webhook_url or "", batch.alert.webhook_secret or ""
        body, msg_id = build_body(batch), webhook_id(batch)
        for _ in range(self.policy.max_redirects + 1):
            status, location, retry_after, snippet = await self._post(url, msg_id, secret, body)
            if 200 <= status < 300:
                return status
            if status in _REDIRECTS and location:
                url = urljoin(url, location)
                continue
            detail = f"HTTP {status}" + (f": {snippet}" if snippet else "")
            if status == 410:
                raise DestinationGone(detail, status=status)
            if status in (408, 429) or status >= 500:
                raise TransientDeliveryError(detail, status=status, retry_after=retry_after)
            raise PermanentDeliveryError(detail, status=status)
        raise PermanentDeliveryError(f"more than {self.policy.max_redirects} redirects")

    async def _post(self, url: str, msg_id: str, secret: str, body: bytes) -> tuple[int, str | None, float | None, str]:
        allow = self.settings.allow_private_destinations
        try:
            await check_destination(url, allow_private=allow)
        except UnresolvableDestination as exc:
            raise TransientDeliveryError(str(exc)) from None
        except UnsafeDestination as exc:
            raise PermanentDeliveryError(f"refused destination: {exc}") from None
        host = (urlsplit(url).hostname or "").lower()
        async with self.limiter.slot(host, self.limit):
            timestamp = int(time.time())
            headers = {"webhook-id": msg_id, "webhook-timestamp": str(timestamp),
                       "webhook-signature": sign(secret, msg_id, timestamp, body)}
            try:
                async with self._client().post(url, data=body, headers=headers, allow_redirects=False) as response:
                    snippet = await response.content.read(self.policy.max_response_bytes)
                    return (response.status, response.headers.get("Location"),
                            parse_retry_after(response.headers.get("Retry-After")),
                            " ".join(snippet.decode("utf-8", "replace").split())[:300])
            except UnsafeDestination as exc:
                raise PermanentDeliveryError(f"refused destination at connect time: {exc}") from None
            except (aiohttp.ClientError, TimeoutError) as exc:
                raise TransientDeliveryError(f"{type(exc).__name__}: {exc}".rstrip(": ")) from None

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
