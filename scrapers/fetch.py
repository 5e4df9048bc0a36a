"""The polite HTTP client: every byte the scrapers read comes through one `Fetcher`.

It knows no feed format: it gets bytes for a URL, or raises a `FetchError` that says whether trying
again later makes sense (and carries the attempts made and the time spent, for fetch_runs). Per
request it: checks robots.txt (HTML sources), takes the host's concurrency and rate slots from
Redis (shared by all workers), sends conditional-GET validators, follows redirects itself (so each
hop is rate-limited, robots-checked, loop-checked and kept out of private networks: see
aggregator.ssrf), enforces connect/read/total timeouts, the content type and a streamed size cap,
and retries transient failures with tenacity.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import aiohttp
from redis.asyncio import Redis
from redis.exceptions import RedisError
from tenacity import AsyncRetrying, stop_after_attempt

from aggregator import __version__
from aggregator.config import FetchSettings, SourceSettings
from aggregator.errors import FetchError, PermanentFetchError, TransientFetchError, UnsafeDestination
from aggregator.ssrf import GuardedResolver, check_literal, names_private_host
from scrapers.body import ACCEPT_ENCODING, read_capped
from scrapers.ratelimit import HostLimit, HostLimiter
from scrapers.retry import RetryAfterWait, is_retry_status, parse_retry_after, retry_after_within
from scrapers.robots import MAX_ROBOTS_BYTES, FetchRobots, RobotsCache

__all__ = ["Fetcher", "Policy", "Response"]

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
#: RFC 9309: follow at least five redirects for robots.txt, then treat it as unavailable.
_ROBOTS_REDIRECTS = 5


@dataclass(frozen=True, slots=True)
class Policy:
    """How politely to treat one source's hosts: rate, burst, concurrency, and robots.txt."""

    rate: float = 1.0
    burst: int = 2
    concurrency: int = 2
    robots: bool = False

    @classmethod
    def of(cls, source: SourceSettings) -> Policy:
        return cls(rate=source.rate, burst=source.burst, concurrency=source.concurrency, robots=source.robots)

    @property
    def limit(self) -> HostLimit:
        return HostLimit(self.rate, self.burst, self.concurrency)


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
    """Get bytes politely. Use as an async context manager; one per process (one pooled session).

    Without `redis` there is no cross-process rate limit: only for offline tools and benchmarks.
    """

    def __init__(self, settings: FetchSettings, *, redis: Redis | None = None, prefix: str = "hirewire") -> None:
        self.settings = settings
        self.user_agent = f"hirewire/{__version__} (+{settings.user_agent_contact})"
        self.limiter = HostLimiter(redis, prefix, lease=settings.lease) if redis is not None else None
        self.robots = RobotsCache("hirewire", ttl=settings.robots_ttl, error_ttl=settings.robots_error_ttl)
        #: By whether private addresses may be reached: a session's resolver checks every name it
        #: resolves, so the address connected to is the one checked (DNS rebinding gains nothing).
        self._sessions: dict[bool, aiohttp.ClientSession] = {}

    async def __aenter__(self) -> Fetcher:
        for private in (False, True):
            self._sessions[private] = aiohttp.ClientSession(
                headers={"User-Agent": self.user_agent, "Accept-Encoding": ACCEPT_ENCODING},
                # The total is enforced per attempt around request and body (see _exchange).
                timeout=aiohttp.ClientTimeout(total=None, sock_connect=self.settings.connect_timeout,
                                              sock_read=self.settings.read_timeout),
                connector=aiohttp.TCPConnector(resolver=GuardedResolver(allow_private=private),
                                               limit=100, limit_per_host=0, ttl_dns_cache=300),
                auto_decompress=False,  # scrapers.body decodes within the size cap
            )
        return self

    async def __aexit__(self, *exc: object) -> None:
        sessions, self._sessions = self._sessions, {}
        for session in sessions.values():
            await session.close()

    def may_reach_private(self, origin: str) -> bool:
        """Whether a fetch that `origin` led to may reach private addresses.

        The operator's own choice is trusted: a source configured on a loopback or private address
        literal (or localhost: tests, mirrors, a sidecar) is read there, and so are the pages it
        leads to. A source on a public name may lead only to public addresses, unless
        HIREWIRE_ALLOW_PRIVATE_DESTINATIONS allows private ones (an intranet feed by name): what it
        leads to, and what its name resolves to, is up to whoever controls the board.
        """
        return self.settings.allow_private or names_private_host(origin)

    async def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
                  content_types: tuple[str, ...] = (), policy: Policy | None = None,
                  origin: str | None = None) -> Response:
        """The body of `url` (or a 304 with an empty body); FetchError once retrying is pointless.

        `origin` is the configured URL that led to `url` (a sitemap, a first page), `url` itself by
        default; it decides whether private addresses may be reached (`may_reach_private`).
        """
        policy = policy or Policy()
        private = self.may_reach_private(origin or url)
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        started = time.monotonic()
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.settings.max_attempts),
            wait=RetryAfterWait(self.settings.backoff_base, self.settings.max_retry_after),
            retry=retry_after_within(self.settings.max_retry_after),
            reraise=True)
        attempts = 0
        try:
            async for attempt in retrying:
                with attempt:
                    attempts = attempt.retry_state.attempt_number
                    response = await self._attempt(url, headers, content_types, policy, private)
                    response.attempts = attempts
                    response.duration_ms = int((time.monotonic() - started) * 1000)
                    return response
        except FetchError as exc:
            exc.attempts = attempts
            exc.duration_ms = int((time.monotonic() - started) * 1000)
            if exc.retry_after is not None:  # the schedule carries it; a silly value must not stop the source
                exc.retry_after = min(exc.retry_after, self.settings.max_backoff)
            raise
        raise AssertionError("unreachable: tenacity either returns or re-raises")

    async def _attempt(self, url: str, headers: dict[str, str], content_types: tuple[str, ...],
                       policy: Policy, private: bool) -> Response:
        """One try, with the network's many failure types turned into transient or permanent ones."""
        try:
            return await self._follow(url, headers, content_types, policy, private)
        except FetchError:
            raise
        except UnsafeDestination as exc:
            hint = "" if private else (" (reached from a public address; HIREWIRE_ALLOW_PRIVATE_DESTINATIONS=true "
                                       "allows private ones)")
            raise PermanentFetchError(f"refused destination: {exc}{hint}") from None
        except TimeoutError:
            raise TransientFetchError(f"timed out (connect {self.settings.connect_timeout}s, "
                                      f"read {self.settings.read_timeout}s, "
                                      f"total {self.settings.total_timeout}s)") from None
        except aiohttp.ClientPayloadError as exc:
            raise TransientFetchError(f"body ended early: {exc}") from None
        except (aiohttp.InvalidURL, ValueError) as exc:
            raise PermanentFetchError(f"invalid URL: {exc}") from None
        except (aiohttp.ClientError, OSError) as exc:
            raise TransientFetchError(f"{type(exc).__name__}: {exc}") from None
        except RedisError as exc:
            raise TransientFetchError(f"rate limiter unavailable: {exc}") from None

    async def _follow(self, url: str, headers: dict[str, str], content_types: tuple[str, ...],
                      policy: Policy, private: bool) -> Response:
        current, seen = url, {url}
        for _ in range(self.settings.max_redirects + 1):
            if policy.robots and not await self.robots.allowed(current, self._robots_fetcher(policy, private)):
                raise PermanentFetchError(f"disallowed by robots.txt: {current}")
            async with self._exchange(current, headers, policy, private) as response:
                target = _redirect_target(response, current)
                if target is None:
                    return await self._finish(response, content_types)
            if target in seen:
                raise PermanentFetchError(f"redirect loop at {target}", status=response.status)
            seen.add(target)
            current = target
        raise PermanentFetchError(f"more than {self.settings.max_redirects} redirects", status=response.status)

    @contextlib.asynccontextmanager
    async def _exchange(self, url: str, headers: dict[str, str], policy: Policy, private: bool,
                        ) -> AsyncIterator[aiohttp.ClientResponse]:
        """One request/response while holding the host's slots, within the total timeout."""
        assert self._sessions, "use Fetcher as an async context manager"
        check_literal(url, allow_private=private)  # a literal never meets the resolver
        host = urlsplit(url).netloc
        slot = self.limiter.slot(host, policy.limit) if self.limiter else contextlib.nullcontext(0.0)
        async with (slot, asyncio.timeout(self.settings.total_timeout),
                    self._sessions[private].get(url, headers=headers, allow_redirects=False) as response):
            yield response

    async def _finish(self, response: aiohttp.ClientResponse, content_types: tuple[str, ...]) -> Response:
        status = response.status
        if status == 304:
            body = b""
        elif is_retry_status(status):
            raise TransientFetchError(f"HTTP {status} {response.reason or ''}".rstrip(), status=status,
                                      retry_after=parse_retry_after(response.headers.get("Retry-After")))
        elif status >= 300 or status < 200:
            raise PermanentFetchError(f"HTTP {status} {response.reason or ''}".rstrip(), status=status)
        else:
            media = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
            if content_types and media and not any(media.startswith(t.lower()) for t in content_types):
                raise PermanentFetchError(f"unexpected content type {media!r} (expected "
                                          f"{', '.join(content_types)})", status=status)
            body = await read_capped(response, self.settings.max_bytes)
        return Response(url=str(response.url), status=status, body=body,
                        content_type=response.headers.get("Content-Type", ""),
                        etag=response.headers.get("ETag"), last_modified=response.headers.get("Last-Modified"),
                        attempts=1, duration_ms=0)

    def _robots_fetcher(self, policy: Policy, private: bool) -> FetchRobots:
        """robots.txt is fetched under the same host limits as the pages it governs, without retries."""

        async def fetch(url: str) -> tuple[int, bytes]:
            current = url
            for _ in range(_ROBOTS_REDIRECTS + 1):
                async with self._exchange(current, {}, policy, private) as response:
                    target = _redirect_target(response, current)
                    if target is None:
                        ok = 200 <= response.status < 300
                        body = await read_capped(response, MAX_ROBOTS_BYTES, truncate=True) if ok else b""
                        return response.status, body
                current = target
            return 404, b""  # too many redirects: "unavailable", like a 4xx

        return fetch


def _redirect_target(response: aiohttp.ClientResponse, current: str) -> str | None:
    """The absolute http(s) URL a redirect points to, or None when this is not a redirect."""
    location = response.headers.get("Location")
    if response.status not in _REDIRECTS or not location:
        return None
    target = urljoin(current, location)
    if urlsplit(target).scheme not in ("http", "https"):
        raise PermanentFetchError(f"redirect to a non-HTTP URL {target!r}", status=response.status)
    return target.split("#", 1)[0]
