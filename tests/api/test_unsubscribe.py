"""Unsubscribe links: a GET only shows a page (scanners prefetch links); a POST unsubscribes."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Awaitable, Callable

from aiohttp import web

from aggregator.tokens import unsubscribe_token
from tests.api.conftest import Api, operator_alert
from workers.notify.email import unsubscribe_url

ONE_CLICK = {"Content-Type": "application/x-www-form-urlencoded"}


async def status(api: Api, alert_id: int) -> str:
    return str(await api.fetchval("SELECT status FROM alerts WHERE id = $1", alert_id))


async def test_get_shows_a_page_and_changes_nothing(api: Api) -> None:
    alert_id, _ = await operator_alert(api, "ada@example.org")
    link = unsubscribe_url(api.rt.settings, alert_id)  # the very link the emails carry
    for _ in range(3):
        async with api.http.get(link) as r:
            assert r.status == 200
            page = await r.text()
    assert f'action="/unsubscribe/{link.rsplit("/", 1)[1]}"' in page and "<button" in page
    assert await status(api, alert_id) == "active"


async def test_page_button_post_unsubscribes(api: Api) -> None:
    alert_id, _ = await operator_alert(api, "ada@example.org")
    link = unsubscribe_url(api.rt.settings, alert_id)
    async with api.http.post(link, data={"List-Unsubscribe": "One-Click"}) as r:
        assert r.status == 200
        assert "You are unsubscribed" in await r.text()
    assert await status(api, alert_id) == "disabled"


async def test_rfc8058_one_click_post(api: Api) -> None:
    alert_id, subscriber = await operator_alert(api, "ada@example.org")
    other_id, _ = await operator_alert(api, "bob@example.org")
    token = unsubscribe_token(api.rt.settings.secret_key, alert_id)
    for _ in range(2):  # a client may retry: still 200
        async with api.http.post(f"{api.url}/unsubscribe/{token}", data=b"List-Unsubscribe=One-Click",
                                 headers=ONE_CLICK) as r:
            assert r.status == 200
    assert await status(api, alert_id) == "disabled"
    assert await status(api, other_id) == "active"  # only the alert the token names
    assert await api.fetchval("SELECT unsubscribed_at IS NOT NULL FROM subscribers WHERE id = $1", subscriber)


async def test_unsubscribe_via_api_and_old_confirm_link_cannot_undo_it(api: Api) -> None:
    from aggregator.tokens import confirmation_token

    alert_id, _ = await operator_alert(api, "ada@example.org")
    token = unsubscribe_token(api.rt.settings.secret_key, alert_id)
    async with api.http.post(f"{api.url}/v1/subscriptions/unsubscribe", json={"token": token}) as r:
        assert r.status == 200 and (await r.json())["status"] == "unsubscribed"
    confirm = confirmation_token(api.rt.settings.secret_key, alert_id)
    async with api.http.post(f"{api.url}/v1/subscriptions/confirm", json={"token": confirm}) as r:
        assert r.status == 409
    assert await status(api, alert_id) == "disabled"


async def test_invalid_tokens(api: Api) -> None:
    alert_id, _ = await operator_alert(api, "ada@example.org")
    forged = unsubscribe_token("not-our-key", alert_id)
    async with api.http.get(f"{api.url}/unsubscribe/{forged}") as r:
        assert r.status == 400 and "does not work" in await r.text()
    async with api.http.post(f"{api.url}/unsubscribe/{forged}", data=b"List-Unsubscribe=One-Click",
                             headers=ONE_CLICK) as r:
        assert r.status == 400
    async with api.http.post(f"{api.url}/v1/subscriptions/unsubscribe", json={"token": forged}) as r:
        assert r.status == 422 and (await r.json())["field"] == "token"
    assert await status(api, alert_id) == "active"


async def test_behind_a_proxy_under_a_path_the_pages_links_and_forms_stay_under_it(
        api: Api, http_server: Callable[[web.Application], Awaitable[str]]) -> None:
    """HIREWIRE_PUBLIC_URL https://example.org/jobs: the proxy strips /jobs; the page's button must post
    back under /jobs, or it lands outside hirewire."""
    async def forward(request: web.Request) -> web.Response:
        async with api.http.request(request.method, f"{api.url}/{request.match_info['tail']}",
                                    data=await request.read(), headers={"Content-Type": request.content_type},
                                    allow_redirects=False) as upstream:
            return web.Response(body=await upstream.read(), status=upstream.status,
                                content_type=upstream.content_type)

    proxy = web.Application()
    proxy.router.add_route("*", "/jobs/{tail:.*}", forward)
    origin = await http_server(proxy)
    api.rt.settings = dataclasses.replace(api.rt.settings, public_url=f"{origin}/jobs")
    alert_id, _ = await operator_alert(api, "ada@example.org")
    link = unsubscribe_url(api.rt.settings, alert_id)
    assert link.startswith(f"{origin}/jobs/unsubscribe/")

    async with api.http.get(link) as r:
        page = await r.text()
    action = re.search(r'<form method="post" action="([^"]+)"', page)
    assert action is not None and action.group(1) == link.removeprefix(origin)
    assert '<a href="/jobs/">hirewire</a>' in page
    async with api.http.post(f"{origin}{action.group(1)}", data={"List-Unsubscribe": "One-Click"}) as r:
        assert r.status == 200 and "You are unsubscribed" in await r.text()
        assert 'href="/jobs/">Save a new alert' in await r.text()
    assert await status(api, alert_id) == "disabled"

    async with api.http.get(f"{origin}/jobs/unsubscribe/not-a-token") as r:  # the error page too
        assert r.status == 400 and 'href="/jobs/">Back to job alerts' in await r.text()
