"""Telling API clients apart behind reverse proxies: X-Forwarded-For is believed only as far as
trusted proxies wrote it, so a client can neither hide behind a forged header nor share the proxy's
budget with everyone else."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from aggregator.api.base import Limits
from aggregator.errors import ConfigError
from aggregator.forwarded import client_address, parse_networks

PROXIES = parse_networks("10.0.0.0/8, 127.0.0.1, ::1")


@pytest.mark.parametrize(("peer", "forwarded", "trusted", "expected"), [
    # No trusted proxies configured: the peer, whatever the header says.
    ("203.0.113.7", ["198.51.100.1"], (), "203.0.113.7"),
    # A peer that is not a trusted proxy is the client; its header is a forgery.
    ("203.0.113.7", ["198.51.100.1"], PROXIES, "203.0.113.7"),
    # One proxy: the address it appended.
    ("127.0.0.1", ["198.51.100.1"], PROXIES, "198.51.100.1"),
    # Two proxies: past both, and what the client wrote itself (left) is never read.
    ("10.0.0.5", ["6.6.6.6, 198.51.100.1, 10.0.0.9"], PROXIES, "198.51.100.1"),
    # Several header lines read as one list, in order.
    ("10.0.0.5", ["6.6.6.6", "198.51.100.1, 10.1.2.3"], PROXIES, "198.51.100.1"),
    # Ports and brackets, as some proxies write them; IPv6 clients.
    ("::1", ["198.51.100.1:4711"], PROXIES, "198.51.100.1"),
    ("::1", ["[2001:db8::1]:443"], PROXIES, "2001:db8::1"),
    ("::ffff:127.0.0.1", ["2001:db8::2"], PROXIES, "2001:db8::2"),
    # A proxy that forwarded no header, or only hops that are all trusted: the last one read.
    ("127.0.0.1", [], PROXIES, "127.0.0.1"),
    ("127.0.0.1", ["10.0.0.3, 10.0.0.4"], PROXIES, "10.0.0.3"),
    # An unreadable hop ends the walk at the last trusted address before it.
    ("127.0.0.1", ["198.51.100.1, unknown"], PROXIES, "127.0.0.1"),
    (None, ["198.51.100.1"], PROXIES, "unknown"),
])
def test_client_address(peer: str | None, forwarded: list[str], trusted: Any, expected: str) -> None:
    assert client_address(peer, forwarded, trusted) == expected


def test_trusted_proxies_setting(make_settings: Any) -> None:
    settings = make_settings(HIREWIRE_TRUSTED_PROXIES="10.0.0.0/8; 127.0.0.1")
    assert [str(n) for n in settings.trusted_proxies] == ["10.0.0.0/8", "127.0.0.1/32"]
    with pytest.raises(ConfigError, match=r"HIREWIRE_TRUSTED_PROXIES: 'proxy\.internal' is not an IP"):
        make_settings(HIREWIRE_TRUSTED_PROXIES="10.0.0.0/8, proxy.internal")


async def _statuses(api: Any, forwarded_for: str, n: int) -> list[int]:
    statuses = []
    for _ in range(n):
        async with api.http.get(f"{api.url}/v1/jobs", headers={"X-Forwarded-For": forwarded_for}) as r:
            statuses.append(r.status)
    return statuses


async def test_behind_a_trusted_proxy_each_client_has_its_own_budget(start_api: Any) -> None:
    if 60 - time.time() % 60 < 3:  # keep the whole test inside one one-minute window
        await asyncio.sleep(60 - time.time() % 60 + 0.1)
    # The test client connects from 127.0.0.1, standing in for the proxy.
    async with start_api(Limits(reads_per_minute=2, writes_per_minute=2),
                         HIREWIRE_TRUSTED_PROXIES="127.0.0.1") as api:
        assert await _statuses(api, "198.51.100.1", 3) == [200, 200, 429]
        assert await _statuses(api, "198.51.100.2", 2) == [200, 200]  # another client, its own budget
        # A client writing its own header ahead of the proxy's entry gains nothing.
        assert await _statuses(api, "192.0.2.99, 198.51.100.1", 1) == [429]


async def test_without_trusted_proxies_the_header_is_ignored(start_api: Any) -> None:
    if 60 - time.time() % 60 < 3:
        await asyncio.sleep(60 - time.time() % 60 + 0.1)
    async with start_api(Limits(reads_per_minute=2, writes_per_minute=2)) as api:
        assert await _statuses(api, "198.51.100.1", 2) == [200, 200]
        assert await _statuses(api, "198.51.100.2", 1) == [429]  # the same peer: one budget
