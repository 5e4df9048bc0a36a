"""Reading a response body within a size cap, decompressing it ourselves.

aiohttp's automatic decompression is switched off so that the cap applies to *decoded* bytes and
no decoder ever produces more than the room left under it: a 1 MB gzip of 10 GB of zeros stops
after the cap, not after the memory runs out.
"""

from __future__ import annotations

import zlib
from typing import Protocol

import aiohttp
import brotli

from aggregator.errors import PermanentFetchError, TransientFetchError

__all__ = ["ACCEPT_ENCODING", "read_capped"]

ACCEPT_ENCODING = "gzip, deflate, br"
_CHUNK = 64 * 1024


class _Decoder(Protocol):
    def feed(self, data: bytes, room: int) -> bytes: ...

    def finished(self) -> bool: ...


class _Identity:
    def feed(self, data: bytes, room: int) -> bytes:
        return data

    def finished(self) -> bool:
        return True


class _Zlib:
    """gzip (all members) or deflate (zlib-wrapped or raw, told apart by the header)."""

    def __init__(self, gzip: bool) -> None:
        self.gzip = gzip
        self._d: zlib._Decompress | None = zlib.decompressobj(31) if gzip else None

    def feed(self, data: bytes, room: int) -> bytes:
        if self._d is None:  # deflate: RFC 9110 says zlib format, but raw deflate is common
            wrapped = len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0
            self._d = zlib.decompressobj(15 if wrapped else -15)
        out = self._d.decompress(data, room + 1)
        while self.gzip and self._d.eof and self._d.unused_data and len(out) <= room:
            rest = self._d.unused_data
            self._d = zlib.decompressobj(31)
            out += self._d.decompress(rest, room + 1 - len(out))
        return out

    def finished(self) -> bool:
        return self._d is None or self._d.eof


class _Brotli:
    def __init__(self) -> None:
        self._d = brotli.Decompressor()

    def feed(self, data: bytes, room: int) -> bytes:
        return bytes(self._d.process(data, output_buffer_limit=room + 1))

    def finished(self) -> bool:
        return bool(self._d.is_finished())


def _decoder(encoding: str) -> _Decoder:
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return _Identity()
    if encoding in ("gzip", "x-gzip"):
        return _Zlib(gzip=True)
    if encoding == "deflate":
        return _Zlib(gzip=False)
    if encoding == "br":
        return _Brotli()
    raise PermanentFetchError(f"unsupported content encoding {encoding!r}")


async def read_capped(response: aiohttp.ClientResponse, cap: int, *, truncate: bool = False) -> bytes:
    """The decoded body, at most `cap` bytes; past the cap, a PermanentFetchError (or the first `cap`
    bytes if `truncate`). A decompression bomb ends here like any other oversized body."""
    declared = response.content_length
    if declared is not None and declared > cap and not truncate:
        raise PermanentFetchError(f"body of {declared} bytes declared, larger than the {cap}-byte cap",
                           status=response.status)
    decoder = _decoder(response.headers.get("Content-Encoding", ""))
    chunks: list[bytes] = []
    size = raw = 0
    try:
        async for data in response.content.iter_chunked(_CHUNK):
            raw += len(data)
            out = decoder.feed(data, cap - size)
            size += len(out)
            chunks.append(out)
            if size > cap or raw > cap:
                if truncate:
                    return b"".join(chunks)[:cap]
                raise PermanentFetchError(f"body larger than the {cap}-byte cap (stopped after {raw} bytes received)",
                                   status=response.status)
    except (zlib.error, brotli.error) as exc:
        raise PermanentFetchError(f"corrupt compressed body: {exc}", status=response.status) from None
    if not decoder.finished():
        raise TransientFetchError("compressed body ended early (truncated)", status=response.status)
    return b"".join(chunks)
