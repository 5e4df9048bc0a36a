"""A local aiohttp server that misbehaves on purpose, one path per kind of trouble.

Every request is logged (path and loop time), so a test can count attempts and measure the waits
between them.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import time
import zlib
from email.utils import formatdate
from functools import lru_cache

import brotli
from aiohttp import web

LOG = web.AppKey("log", list[tuple[str, float]])
OK_BODY = json.dumps({"jobs": [{"id": 1, "title": "Python engineer"}]}).encode()


@lru_cache(maxsize=2)
def gzip_bomb(decoded_size: int) -> bytes:
    """A gzip stream of `decoded_size` zero bytes (about 1000:1)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(1 << 20)
    parts = [packer.compress(block) for _ in range(decoded_size >> 20)]
    return b"".join([*parts, packer.flush()])


def chaos_app(bomb_size: int = 64 << 20) -> web.Application:
    app = web.Application()
    log: list[tuple[str, float]] = []
    app[LOG] = log
    bomb = gzip_bomb(bomb_size)

    def hits(path: str) -> int:
        return sum(1 for p, _ in log if p == path)

    @web.middleware
    async def record(request: web.Request, handler: web.Handler) -> web.StreamResponse:
        log.append((request.path, time.monotonic()))
        return await handler(request)

    app.middlewares.append(record)

    def ok(**headers: str) -> web.Response:
        return web.Response(body=OK_BODY, content_type="application/json", headers=headers)

    async def fails_then_ok(request: web.Request) -> web.Response:
        status, times = int(request.match_info["status"]), int(request.match_info["times"])
        if hits(request.path) <= times:
            return web.Response(status=status, text="busy")
        return ok()

    async def always(request: web.Request) -> web.Response:
        return web.Response(status=int(request.match_info["status"]), text="no")

    async def retry_after_seconds(request: web.Request) -> web.Response:
        if hits(request.path) == 1:
            return web.Response(status=429, headers={"Retry-After": "1"})
        return ok()

    async def retry_after_date(request: web.Request) -> web.Response:
        if hits(request.path) == 1:
            return web.Response(status=503, headers={"Retry-After": formatdate(time.time() + 2, usegmt=True)})
        return ok()

    async def retry_after_long(request: web.Request) -> web.Response:
        return web.Response(status=429, headers={"Retry-After": "3600"})

    async def stall(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        await response.prepare(request)
        await response.write(b'{"jobs": [')
        await asyncio.sleep(30)
        return response

    async def slow(request: web.Request) -> web.StreamResponse:
        """Trickles a byte every 0.1 s: never idle long enough for the read timeout, too slow in total."""
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        await response.prepare(request)
        for _ in range(100):
            await response.write(b" ")
            await asyncio.sleep(0.1)
        await response.write(OK_BODY)
        return response

    async def truncated(request: web.Request) -> web.StreamResponse:
        if request.path.endswith("once") and hits(request.path) > 1:
            return ok()
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        response.content_length = len(OK_BODY) * 10
        await response.prepare(request)
        await response.write(OK_BODY)
        assert request.transport is not None
        request.transport.close()
        return response

    async def big(request: web.Request) -> web.StreamResponse:
        size = int(request.query.get("size", 1 << 20))
        if "declared" in request.query:
            return web.Response(body=bytes(size), content_type="application/json")
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        for _ in range(size // 8192):
            await response.write(bytes(8192))
        return response

    async def bomb_handler(request: web.Request) -> web.Response:
        return web.Response(body=bomb, headers={"Content-Type": "application/json", "Content-Encoding": "gzip"})

    async def encoded(request: web.Request) -> web.Response:
        coding = request.match_info["coding"]
        body = {"gzip": gzip.compress, "deflate": zlib.compress, "br": brotli.compress}[coding](OK_BODY)
        return web.Response(body=body, headers={"Content-Type": "application/json", "Content-Encoding": coding})

    async def loop(request: web.Request) -> web.Response:
        other = "/loop/b" if request.path == "/loop/a" else "/loop/a"
        raise web.HTTPFound(other)

    async def chain(request: web.Request) -> web.Response:
        left = int(request.match_info["left"])
        if left == 0:
            return ok()
        raise web.HTTPFound(f"/chain/{left - 1}")

    async def html(request: web.Request) -> web.Response:
        return web.Response(text="<html><body>Sorry</body></html>", content_type="text/html")

    async def conditional(request: web.Request) -> web.Response:
        etag, modified = '"v1"', "Wed, 21 Oct 2015 07:28:00 GMT"
        if request.headers.get("If-None-Match") == etag or request.headers.get("If-Modified-Since") == modified:
            return web.Response(status=304, headers={"ETag": etag})
        return ok(ETag=etag, **{"Last-Modified": modified})

    async def echo_headers(request: web.Request) -> web.Response:
        return web.json_response(dict(request.headers))

    async def plain(request: web.Request) -> web.Response:
        return ok()

    app.router.add_get("/ok", plain)
    app.router.add_get("/fail/{status}/{times}", fails_then_ok)
    app.router.add_get("/always/{status}", always)
    app.router.add_get("/retry-after/seconds", retry_after_seconds)
    app.router.add_get("/retry-after/date", retry_after_date)
    app.router.add_get("/retry-after/long", retry_after_long)
    app.router.add_get("/stall", stall)
    app.router.add_get("/slow", slow)
    app.router.add_get("/truncated", truncated)
    app.router.add_get("/truncated/once", truncated)
    app.router.add_get("/big", big)
    app.router.add_get("/bomb", bomb_handler)
    app.router.add_get("/encoded/{coding}", encoded)
    app.router.add_get("/loop/{side}", loop)
    app.router.add_get("/chain/{left}", chain)
    app.router.add_get("/html", html)
    app.router.add_get("/conditional", conditional)
    app.router.add_get("/headers", echo_headers)
    return app


def times_of(app: web.Application, path: str) -> list[float]:
    return [t for p, t in app[LOG] if p == path]
