"""The polite HTTP client: one pooled aiohttp session, caps, retries, conditional GET.

It knows no feed format: it gets bytes for a URL, or raises a `FetchError` that says whether
trying again later makes sense.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

import aiohttp

from aggregator import __version__
from aggregator.config import FetchSettings
from aggregator.errors import PermanentFetchError, TransientFetchError

__all__ = ["Fetcher", "Response"]


@dataclass(slots=True)
class Response:
    url: str
    status: int
    body: bytes
    content_type: str
    etag: str | None
    last_modified: str | None
    attempts: int
    duration_ms: int

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class Fetcher:
    """Get bytes politely. Use as an async context manager; one per process."""

    def __init__(self, settings: FetchSettings) -> None:
        self.settings = settings
        self.user_agent = f"hirewire/{__version__} (+{settings.user_agent_contact})"
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> Fetcher:
        self._session = aiohttp.ClientSession(
            headers={"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate, br"},
            timeout=aiohttp.ClientTimeout(total=self.settings.total_timeout, sock_connect=self.settings.connect_timeout,
                                          sock_read=self.settings.read_timeout),
            connector=aiohttp.TCPConnector(limit=100, limit_per_host=8, ttl_dns_cache=300),
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
                  content_types: tuple[str, ...] = ()) -> Response:
        assert self._session is not None, "use Fetcher as an async context manager"
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        started = time.monotonic()
        attempts = 0
        while True:
            attempts += 1
            try:
                async with self._session.get(url, headers=headers,
                                             max_redirects=self.settings.max_redirects) as response:
                    if response.status == 304:
                        body = b""
                    elif response.status >= 400:
                        error_cls = (TransientFetchError if response.status in (408, 429) or response.status >= 500
                                     else PermanentFetchError)
                        raise error_cls(f"HTTP {response.status}", status=response.status)
                    else:
                        ctype = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
                        if content_types and not any(ctype.startswith(t) for t in content_types):
                            raise PermanentFetchError(f"unexpected content type {ctype!r}", status=response.status)
                        body = await self._read_capped(response)
                    return Response(
                        url=str(response.url), status=response.status, body=body,
                        content_type=response.headers.get("Content-Type", ""),
                        etag=response.headers.get("ETag"), last_modified=response.headers.get("Last-Modified"),
                        attempts=attempts, duration_ms=int((time.monotonic() - started) * 1000))
            except TransientFetchError:
                if attempts >= self.settings.max_attempts:
                    raise
            except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
                if attempts >= self.settings.max_attempts:
                    raise TransientFetchError(f"{type(exc).__name__}: {exc}") from None
            await asyncio.sleep(self.settings.backoff_base * 2 ** (attempts - 1))

    async def _read_capped(self, response: aiohttp.ClientResponse) -> bytes:
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.content.iter_chunked(65536):
            size += len(chunk)
            if size > self.settings.max_bytes:
                raise PermanentFetchError(f"body larger than {self.settings.max_bytes} bytes")
            chunks.append(chunk)
        return b"".join(chunks)
