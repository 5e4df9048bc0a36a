"""The destination guard: subscriber URLs, and the URLs feeds lead to, must not reach hirewire's own network.

A webhook URL is attacker-chosen, so every address it can lead to is checked: at subscribe time
(`check_destination`), before each request and redirect hop, and at connect time by
`GuardedResolver`, whose answers are the very addresses aiohttp connects to — so DNS rebinding
between check and connect gains nothing. IP literals never reach a resolver, which is why
`check_destination` runs on every hop too. Refused: loopback, private (RFC 1918, ULA), CGNAT,
link-local (cloud metadata included), multicast, reserved, unspecified, and IPv6 forms that embed
such an IPv4 address (mapped, compatible, 6to4, Teredo, NAT64). The model is Stripe's smokescreen.

Feeds are the operator's choice, but what they lead to is not: a sitemap's `<loc>`, a next-page
link or a redirect is written by whoever controls the board, and so is what the board's name
resolves to. The fetcher therefore connects through `GuardedResolver` too and checks IP literals on
every hop (`check_literal`), unless the operator configured the source on a private address
literal or localhost (`names_private_host`), or allowed private destinations.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from typing import Any
from urllib.parse import urlsplit

from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import DefaultResolver

from aggregator.errors import UnsafeDestination

__all__ = ["GuardedResolver", "UnresolvableDestination", "check_destination", "check_literal", "check_url_shape",
           "forbidden_reason", "names_private_host", "parse_host_ip"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class UnresolvableDestination(UnsafeDestination):
    """The name does not resolve: refused at subscribe time, but worth retrying at send time."""

#: Well-known metadata endpoints named explicitly, so the refusal says why.
_METADATA = {
    ipaddress.ip_address("169.254.169.254"),   # AWS, GCP, Azure, OpenStack, DigitalOcean
    ipaddress.ip_address("169.254.170.2"),     # AWS ECS task metadata
    ipaddress.ip_address("100.100.100.200"),   # Alibaba Cloud
    ipaddress.ip_address("fd00:ec2::254"),     # AWS over IPv6
}
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_CGNAT = ipaddress.ip_network("100.64.0.0/10")


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for, if it is one of the translation forms."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if any(ip in net for net in _NAT64):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if int(ip) >> 32 == 0 and int(ip) > 1:  # deprecated IPv4-compatible ::a.b.c.d
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def forbidden_reason(ip: IPAddress) -> str | None:
    """Why `ip` must not be contacted, or None when it is a public unicast address."""
    if ip in _METADATA:
        return "cloud metadata address"
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            inner = forbidden_reason(embedded)
            return f"embeds {embedded} ({inner})" if inner else None
    checks = (("loopback", ip.is_loopback), ("unspecified", ip.is_unspecified), ("link-local", ip.is_link_local),
              ("multicast", ip.is_multicast), ("carrier-grade NAT", ip in _CGNAT), ("private", ip.is_private),
              ("reserved", ip.is_reserved), ("not globally routable", not ip.is_global))
    for reason, hit in checks:
        if hit:
            return reason
    return None


def parse_host_ip(host: str) -> IPAddress | None:
    """The address a URL host denotes literally, including legacy IPv4 forms (2130706433, 0x7f.1, 0177.0.0.1)."""
    host = host.strip("[]")
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        pass
    if host and all(c in "0123456789abcdefxABCDEFX." for c in host):
        try:  # inet_aton accepts exactly the forms the C resolver would map onto an address
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def check_url_shape(url: str, *, allow_private: bool) -> tuple[str, int]:
    """Host and port of an acceptable webhook URL, without resolving it."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeDestination(f"{url!r} is not a valid URL: {exc}") from None
    schemes = ("https", "http") if allow_private else ("https",)
    if parts.scheme not in schemes:
        raise UnsafeDestination(f"webhook URLs must use {' or '.join(schemes)}")
    if not parts.hostname:
        raise UnsafeDestination("webhook URL has no host")
    if any(ord(c) < 33 or ord(c) == 127 for c in url):
        raise UnsafeDestination("webhook URL contains whitespace or control characters")
    return parts.hostname, port or (443 if parts.scheme == "https" else 80)


def _refuse_any(host: str, addresses: list[IPAddress], allow_private: bool) -> None:
    """Refuse forbidden addresses; allowing private destinations never opens the metadata endpoints."""
    for ip in addresses:
        reason = forbidden_reason(ip)
        if reason and (not allow_private or reason == "cloud metadata address"):
            raise UnsafeDestination(f"{host} resolves to {ip}: {reason}")


def names_private_host(url: str) -> bool:
    """Whether `url` names a non-public host outright: an address literal that is loopback, private,
    link-local and so on (never cloud metadata), or localhost. No name is resolved: what a name
    resolves to is its owner's choice, not the one who wrote the URL."""
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    literal = parse_host_ip(host)
    reason = forbidden_reason(literal) if literal is not None else None
    return reason is not None and reason != "cloud metadata address"


def check_literal(url: str, *, allow_private: bool) -> None:
    """Refuse `url` when its host is a forbidden IP literal, which no resolver ever sees.

    For clients whose names are checked by `GuardedResolver` at connect time, on every hop.
    """
    host = urlsplit(url).hostname or ""
    literal = parse_host_ip(host)
    if literal is not None:
        _refuse_any(host, [literal], allow_private)


async def _resolve(host: str, port: int) -> list[IPAddress]:
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise UnresolvableDestination(f"{host} does not resolve: {exc}") from None
    return [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]


async def check_destination(url: str, *, allow_private: bool) -> list[str]:
    """Resolve `url`'s host and return its addresses; raise UnsafeDestination if any is forbidden.

    Every address must pass, not just one: a name with one public and one private answer would let
    the connection land on either.
    """
    host, port = check_url_shape(url, allow_private=allow_private)
    literal = parse_host_ip(host)
    addresses = [literal] if literal is not None else await _resolve(host, port)
    _refuse_any(host, addresses, allow_private)
    return [str(ip) for ip in addresses]


class GuardedResolver(AbstractResolver):
    """An aiohttp resolver that refuses forbidden answers, so the connect-time address is the checked one."""

    def __init__(self, *, allow_private: bool, inner: AbstractResolver | None = None) -> None:
        self.allow_private = allow_private
        self._inner = inner or DefaultResolver()

    async def resolve(self, host: str, port: int = 0, family: Any = socket.AF_INET) -> list[ResolveResult]:
        results = await self._inner.resolve(host, port, family)
        _refuse_any(host, [ipaddress.ip_address(r["host"].split("%", 1)[0]) for r in results], self.allow_private)
        return results

    async def close(self) -> None:
        await self._inner.close()
