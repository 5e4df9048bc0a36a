"""The destination guard, table-driven over the address forms an attacker would try."""

from __future__ import annotations

import pytest

from aggregator.errors import UnsafeDestination
from aggregator.ssrf import check_destination, forbidden_reason, parse_host_ip

REFUSED = ["127.0.0.1", "2130706433", "0x7f000001", "0177.0.0.1", "127.1", "::1", "::ffff:127.0.0.1",
           "::ffff:7f00:1", "2002:7f00:1::", "64:ff9b::a9fe:a9fe", "169.254.169.254", "10.0.0.1", "172.16.5.4",
           "192.168.1.1", "100.64.1.1", "224.0.0.1", "240.0.0.1", "0.0.0.0", "fe80::1", "fc00::1", "fd00:ec2::254",
           "ff02::1", "::", "2001:0:4136:e378:8000:63bf:3fff:fdd2", "100.100.100.200", "198.18.0.1"]
ALLOWED = ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "93.184.216.34"]


@pytest.mark.parametrize("host", REFUSED)
def test_refused_addresses(host: str) -> None:
    ip = parse_host_ip(host)
    assert ip is not None and forbidden_reason(ip) is not None


@pytest.mark.parametrize("host", ALLOWED)
def test_public_addresses(host: str) -> None:
    ip = parse_host_ip(host)
    assert ip is not None and forbidden_reason(ip) is None


@pytest.mark.parametrize("url", ["https://127.0.0.1/x", "https://2130706433/", "https://[::ffff:127.0.0.1]/",
                                 "https://localhost:8443/", "https://169.254.169.254/latest", "http://8.8.8.8/",
                                 "ftp://8.8.8.8/", "https:///nohost", "https://8.8.8.8/a b"])
async def test_check_destination_refuses(url: str) -> None:
    with pytest.raises(UnsafeDestination):
        await check_destination(url, allow_private=False)


async def test_check_destination_allows_public_and_operator_private() -> None:
    assert await check_destination("https://8.8.8.8/hook", allow_private=False) == ["8.8.8.8"]
    assert await check_destination("http://127.0.0.1:8080/hook", allow_private=True) == ["127.0.0.1"]
    with pytest.raises(UnsafeDestination, match="metadata"):
        await check_destination("http://169.254.169.254/", allow_private=True)
