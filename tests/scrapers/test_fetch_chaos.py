"""The fetch engine against a server that misbehaves in every way we know: what did the engine do?"""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

import pytest
from aiohttp import web

from aggregator import __version__
from aggregator.errors import FetchError, PermanentFetchError, TransientFetchError
from scrapers.fetch import Fetcher, Policy
from tests.scrapers.chaos import LOG, OK_BODY, chaos_app, times_of

JSON = ("application/json",)
#: Limits far above what the tests send, so only the behaviour under test shapes the timings.
FREE = Policy(rate=1000.0, burst=100, concurrency=10)
MakeFetcher = Callable[..., AbstractAsyncContextManager[Fetcher]]
Serve = Callable[[web.Application], Awaitable[str]]


@pytest.fixture
async def chaos(http_server: Serve) -> tuple[web.Application, str]:
    app = chaos_app()
    return app, await http_server(app)


async def fail(fetcher: Fetcher, url: str, **kwargs: Any) -> FetchError:
    with pytest.raises(FetchError) as caught:
        await fetcher.get(url, policy=FREE, **kwargs)
    return caught.value


async def test_ok_sends_identifying_user_agent_and_compression(chaos: tuple[web.Application, str],
                                                               make_fetcher: MakeFetcher) -> None:
    _, base = chaos
    async with make_fetcher(user_agent_contact="https://example.org/bot") as fetcher:
        response = await fetcher.get(f"{base}/headers", policy=FREE)
    headers = json.loads(response.body)
    assert headers["User-Agent"] == f"hirewire/{__version__} (+https://example.org/bot)"
    assert {"gzip", "deflate", "br"} <= {c.strip() for c in headers["Accept-Encoding"].split(",")}
    assert response.attempts == 1


@pytest.mark.parametrize("coding", ["gzip", "deflate", "br"])
async def test_compressed_bodies_are_decoded(chaos: tuple[web.Application, str], make_fetcher: MakeFetcher,
                                             coding: str) -> None:
    _, base = chaos
    async with make_fetcher() as fetcher:
        response = await fetcher.get(f"{base}/encoded/{coding}", policy=FREE, content_types=JSON)
    assert response.body == OK_BODY


@pytest.mark.parametrize("status", [500, 502, 503, 429])
async def test_transient_status_is_retried_with_backoff(chaos: tuple[web.Application, str],
                                                        make_fetcher: MakeFetcher, status: int) -> None:
    app, base = chaos
    async with make_fetcher() as fetcher:
        response = await fetcher.get(f"{base}/fail/{status}/2", policy=FREE, content_types=JSON)
    assert response.status == 200 and response.body == OK_BODY
    assert response.attempts == 3
    first, second, third = times_of(app, f"/fail/{status}/2")
    # backoff_base 0.05 with jitter: 0.025–0.05 s, then 0.05–0.1 s.
    assert 0.02 <= second - first < 0.5
    assert 0.045 <= third - second < 0.6


async def test_attempts_are_bounded(chaos: tuple[web.Application, str], make_fetcher: MakeFetcher) -> None:
    app, base = chaos
    async with make_fetcher() as fetcher:
        error = await fail(fetcher, f"{base}/always/502")
    assert isinstance(error, TransientFetchError)
    assert (error.status, error.attempts) == (502, 3)
    assert len(times_of(app, "/always/502")) == 3


@pytest.mark.parametrize("status", [400, 401, 403, 404, 410])
async def test_other_4xx_is_not_retried(chaos: tuple[web.Application, str], make_fetcher: MakeFetcher,
                                        status: int) -> None:
    app, base = chaos
    async with make_fetcher() as fetcher:
        error = await fail(fetcher, f"{base}/always/{status}")
    assert isinstance(error, PermanentFetchError)
    assert (error.status, error.attempts) == (status, 1)
    assert len(times_of(app, f"/always/{status}")) == 1


async def test_retry_after_seconds_is_honoured(chaos: tuple[web.Application, str],
                                               make_fetcher: MakeFetcher) -> None:
    app, base = chaos
    async with make_fetcher() as fetcher:
        response = await fetcher.get(f"{base}/retry-after/seconds", policy=FREE)
    assert response.attempts == 2
    first, second = times_of(app, "/retry-after/seconds")
    assert 0.95 <= second - first < 1.8


async def test_retry_after_http_date_is_honoured(chaos: tuple[web.Application, str],
                                                 make_fetcher: MakeFetcher) -> None:
    app, base = chaos
    async with make_fetcher() as fetcher:
        response = await fetcher.get(f"{base}/retry-after/date", policy=FREE)
    assert response.attempts == 2
    first, second = times_of(app, "/retry-after/date")
    # The date has one-second resolution and was now + 2 s when sent.
    assert 0.9 <= second - first < 2.6


async def test_retry_after_past_the_cap_gives_up_and_hands_the_wait_to_the_schedule(
        chaos: tuple[web.Application, str], make_fetcher: MakeFetcher) -> None:
    app, base = chaos
    async with make_fetcher(max_retry_after=3.0, max_backoff=1800.0) as fetcher:
        started = time.monotonic()
        error = await fail(fetcher, f"{base}/retry-after/long")
    assert time.monotonic() - started < 0.5, "it must not sleep an hour in the worker"
    assert isinstance(error, TransientFetchError)
    assert error.attempts == 1 and error.status == 429
    assert error.retry_after == 1800.0  # the server asked 3600 s; capped by max_backoff
    assert len(times_of(app, "/retry-after/long")) == 1


async def test_stalled_body_hits_the_read_timeout(chaos: tuple[web.Application, str],
                                                  make_fetcher: MakeFetcher) -> None:
    app, base = chaos
    async with make_fetcher(max_attempts=2) as fetcher:
        started = time.monotonic()
        error = await fail(fetcher, f"{base}/stall")
    elapsed = time.monotonic() - started
    assert isinstance(error, TransientFetchError) and "timed out" in str(error)
    assert error.attempts == 2 and len(times_of(app, "/stall")) == 2
    assert 0.6 <= elapsed < 2.0  # two read timeouts of 0.3 s plus a short backoff


async def test_slow_body_hits_the_total_timeout(chaos: tuple[web.Application, str],
                                                make_fetcher: MakeFetcher) -> None:
    _, base = chaos
    async with make_fetcher(max_attempts=1, total_timeout=0.6) as fetcher:
        started = time.monotonic()
        error = await fail(fetcher, f"{base}/slow")
    assert isinstance(error, TransientFetchError) and "timed out" in str(error)
    assert 0.55 <= time.monotonic() - started < 1.5


async def test_truncated_body_is_retried(chaos: tuple[web.Application, str], make_fetcher: MakeFetcher) -> None:
    _, base = chaos
    async with make_fetcher() as fetcher:
        response = await fetcher.get(f"{base}/truncated/once", policy=FREE)
        error = await fail(fetcher, f"{base}/truncated")
    assert response.body == OK_BODY and response.attempts == 2
    assert isinstance(error, TransientFetchError) and error.attempts == 3


@pytest.mark.parametrize("query", ["", "&declared=1"])
async def test_body_over_the_cap_is_aborted(chaos: tuple[web.Application, str], make_fetcher: MakeFetcher,
                                            query: str) -> None:
    app, base = chaos
    async with make_fetcher(max_bytes=64 * 1024) as fetcher:
        error = await fail(fetcher, f"{base}/big?size={1 << 20}{query}")
    assert isinstance(error, PermanentFetchError) and "cap" in str(error)
    assert error.attempts == 1 and len(times_of(app, "/big")) == 1


async def test_gzip_bomb_is_stopped_at_the_cap(chaos: tuple[web.Application, str],
                                               make_fetcher: MakeFetcher) -> None:
    _, base = chaos
    async with make_fetcher(max_bytes=64 * 1024) as fetcher:
        started = time.monotonic()
        error = await fail(fetcher, f"{base}/bomb")
    assert isinstance(error, PermanentFetchError) and "cap" in str(error)
    assert error.attempts == 1
    assert time.monotonic() - started < 2.0  # it did not inflate 64 MB first


async def test_redirect_loop_is_stopped(chaos: tuple[web.Application, str], make_fetcher: MakeFetcher) -> None:
    app, base = chaos
    async with make_fetcher() as fetcher:
        error = await fail(fetcher, f"{base}/loop/a")
    assert isinstance(error, PermanentFetchError) and "redirect loop" in str(error)
    assert error.attempts == 1 and [p for p, _ in app[LOG]] == ["/loop/a", "/loop/b"]


async def test_redirects_are_followed_up_to_the_maximum(chaos: tuple[web.Application, str],
                                                        make_fetcher: MakeFetcher) -> None:
    _, base = chaos
    async with make_fetcher(max_redirects=3) as fetcher:
        response = await fetcher.get(f"{base}/chain/3", policy=FREE)
        error = await fail(fetcher, f"{base}/chain/4")
    assert response.url == f"{base}/chain/0" and response.body == OK_BODY
    assert isinstance(error, PermanentFetchError) and "more than 3 redirects" in str(error)


async def test_wrong_content_type_is_refused(chaos: tuple[web.Application, str], make_fetcher: MakeFetcher) -> None:
    _, base = chaos
    async with make_fetcher() as fetcher:
        error = await fail(fetcher, f"{base}/html", content_types=JSON)
        page = await fetcher.get(f"{base}/html", policy=FREE, content_types=("text/html",))
    assert isinstance(error, PermanentFetchError) and "text/html" in str(error)
    assert error.attempts == 1 and page.status == 200


async def test_conditional_get_returns_not_modified(chaos: tuple[web.Application, str],
                                                    make_fetcher: MakeFetcher) -> None:
    _, base = chaos
    async with make_fetcher() as fetcher:
        first = await fetcher.get(f"{base}/conditional", policy=FREE, content_types=JSON)
        by_etag = await fetcher.get(f"{base}/conditional", policy=FREE, etag=first.etag, content_types=JSON)
        by_date = await fetcher.get(f"{base}/conditional", policy=FREE, last_modified=first.last_modified,
                                    content_types=JSON)
    assert first.status == 200 and first.etag == '"v1"' and first.last_modified
    assert by_etag.not_modified and by_etag.body == b""
    assert by_date.not_modified


async def test_connection_refused_is_transient(make_fetcher: MakeFetcher, unused_tcp_port: int) -> None:
    async with make_fetcher(max_attempts=2) as fetcher:
        error = await fail(fetcher, f"http://127.0.0.1:{unused_tcp_port}/x")
    assert isinstance(error, TransientFetchError) and error.attempts == 2
