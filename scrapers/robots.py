"""robots.txt for HTML page sources, per RFC 9309: fetched once per origin, cached, obeyed.

How its fetch ended decides the verdict: a 2xx is parsed (urllib.robotparser applies the rules); a
4xx means "no robots.txt", so everything is allowed; a 5xx, 429 or network error means the site may
be struggling, so nothing is fetched. Verdicts are kept at most 24 h, and an error verdict only
briefly, so a site that recovers is read again soon.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from aggregator.errors import UnsafeDestination

__all__ = ["MAX_ROBOTS_BYTES", "FetchRobots", "RobotsCache", "RobotsFile"]

#: RFC 9309 asks crawlers to parse at least the first 500 KiB.
MAX_ROBOTS_BYTES = 500 * 1024

#: Gets robots.txt: (status, body), or raises OSError/TimeoutError-like errors when it can't.
FetchRobots = Callable[[str], Awaitable[tuple[int, bytes]]]


@dataclass(slots=True)
class RobotsFile:
    """One origin's verdict: rules to apply, or a blanket allow/deny, and when it goes stale."""

    expires: float
    allow_all: bool = False
    deny_all: bool = False
    rules: RobotFileParser | None = None

    def allows(self, agent: str, url: str) -> bool:
        if self.deny_all:
            return False
        if self.allow_all or self.rules is None:
            return True
        return self.rules.can_fetch(agent, url)


class RobotsCache:
    """Answers "may `agent` fetch this URL?", fetching each origin's robots.txt once per `ttl`."""

    def __init__(self, agent: str, *, ttl: float = 86400.0, error_ttl: float = 600.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.agent = agent
        self.ttl = min(ttl, 86400.0)
        self.error_ttl = min(error_ttl, self.ttl)
        self.clock = clock
        self._files: dict[str, RobotsFile] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def allowed(self, url: str, fetch: FetchRobots) -> bool:
        """`fetch` gets robots.txt when the cached verdict is missing or stale (the caller's politeness)."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}".lower()
        robots = self._files.get(origin)
        if robots is None or robots.expires <= self.clock():
            async with self._locks.setdefault(origin, asyncio.Lock()):  # one fetch per origin at a time
                robots = self._files.get(origin)
                if robots is None or robots.expires <= self.clock():
                    robots = await self._load(origin, fetch)
                    self._files[origin] = robots
        return robots.allows(self.agent, url)

    async def _load(self, origin: str, fetch: FetchRobots) -> RobotsFile:
        try:
            status, body = await fetch(f"{origin}/robots.txt")
        except UnsafeDestination:
            raise  # not "unreachable": hirewire refuses to go there, and the fetch says so
        except Exception:  # unreachable: RFC 9309 says assume complete disallow
            return RobotsFile(self.clock() + self.error_ttl, deny_all=True)
        if 200 <= status < 300:
            rules = RobotFileParser()
            rules.parse(body[:MAX_ROBOTS_BYTES].decode("utf-8", "replace").splitlines())
            return RobotsFile(self.clock() + self.ttl, rules=rules)
        if 400 <= status < 500 and status != 429:
            return RobotsFile(self.clock() + self.ttl, allow_all=True)
        return RobotsFile(self.clock() + self.error_ttl, deny_all=True)
