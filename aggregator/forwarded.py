"""Which address a request came from, for per-client limits, when the API sits behind proxies.

Behind a reverse proxy every request arrives from the proxy's address, so limits keyed on the TCP
peer would put every client in one budget. `X-Forwarded-For` names the real client, but any client
can send one, so it is believed only as far as trusted proxies wrote it: read from the right (each
proxy appends the address it saw), past every hop in `HIREWIRE_TRUSTED_PROXIES`; the first address
that is not a trusted proxy is the client. Whatever stands left of it was written by the client
itself and is never read.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence

__all__ = ["Network", "client_address", "parse_networks"]

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def parse_networks(value: str) -> tuple[Network, ...]:
    """"10.0.0.0/8, 127.0.0.1, ::1" as networks; ValueError naming the entry that is none."""
    networks: list[Network] = []
    for entry in value.replace(";", ",").split(","):
        if entry.strip():
            try:
                networks.append(ipaddress.ip_network(entry.strip(), strict=False))
            except ValueError:
                raise ValueError(f"{entry.strip()!r} is not an IP address or network") from None
    return tuple(networks)


def _address(text: str) -> Address | None:
    """An address as proxies write it: bare, `[v6]`, `[v6]:port` or `v4:port`; None for anything else."""
    text = text.strip()
    if text.startswith("["):
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def _trusted(address: Address, networks: Sequence[Network]) -> bool:
    return any(address in network for network in networks)


def client_address(peer: str | None, forwarded_for: Iterable[str], trusted: Sequence[Network]) -> str:
    """The client's address: the TCP peer, or, when the peer is a trusted proxy, the rightmost
    `X-Forwarded-For` hop that is not one (every header line, in order, as one list)."""
    peer_address = _address(peer or "")
    if peer_address is None or not trusted or not _trusted(peer_address, trusted):
        return str(peer_address) if peer_address is not None else (peer or "unknown")
    hops = [hop for line in forwarded_for for hop in line.split(",") if hop.strip()]
    client = peer_address
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            break  # a trusted proxy writes addresses: an unreadable hop is the client's own text
        client = address
        if not _trusted(address, trusted):
            break
    return str(client)
