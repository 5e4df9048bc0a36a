"""The subscriber's page of alerts, linked from every email: it lists their alerts, and its buttons
pause, resume or unsubscribe only their own."""

from __future__ import annotations

import html
import re

import pytest

from aggregator.api.pages import MANAGE_PAGE
from aggregator.tokens import management_token
from tests.api.conftest import Api, operator_alert

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


async def _status(api: Api, alert_id: int) -> str:
    return str(await api.fetchval("SELECT status FROM alerts WHERE id = $1", alert_id))


def _page_url(api: Api, subscriber: int) -> str:
    return f"{api.url}/manage/{management_token(api.rt.settings.secret_key, subscriber)}"


async def test_the_page_lists_the_subscribers_alerts_and_changes_nothing(api: Api) -> None:
    first, ada = await operator_alert(api, "ada@example.org", query="django")
    second, same = await operator_alert(api, "ada@example.org", query="fastapi OR flask")
    other, _ = await operator_alert(api, "bob@example.org", query="rust")
    assert same == ada
    for _ in range(2):  # mail scanners fetch links: a GET must change nothing
        async with api.http.get(_page_url(api, ada)) as r:
            assert r.status == 200 and r.headers["Cache-Control"] == "no-store"
            page = await r.text()
    assert "&#34;django&#34;" in page and "&#34;fastapi OR flask&#34;" in page and "rust" not in page
    assert page.count('name="action" value="pause"') == 2 and f'value="{other}"' not in page
    assert [await _status(api, a) for a in (first, second, other)] == ["active"] * 3


async def test_buttons_pause_resume_and_unsubscribe_then_show_the_page_again(api: Api) -> None:
    alert, ada = await operator_alert(api, "ada@example.org")
    page = _page_url(api, ada)
    statuses = []
    for action in ("pause", "resume", "unsubscribe"):
        async with api.http.post(page, data={"alert": str(alert), "action": action}, allow_redirects=False) as r:
            assert r.status == 303
            location = r.headers["Location"]
        statuses.append(await _status(api, alert))
    assert statuses == ["paused", "active", "disabled"]
    async with api.http.get(f"{page.rsplit('/', 1)[0]}/{location}") as r:  # where the 303 leads
        shown = await r.text()
    assert "Unsubscribed" in shown and 'value="pause"' not in shown and 'value="resume"' not in shown
    # An unsubscribed alert is not resumed from here: it stays stopped.
    async with api.http.post(page, data={"alert": str(alert), "action": "resume"}, allow_redirects=False) as r:
        assert r.status == 303
    assert await _status(api, alert) == "disabled"


async def test_another_subscribers_alert_and_bad_input_are_refused(api: Api) -> None:
    mine, ada = await operator_alert(api, "ada@example.org")
    theirs, _ = await operator_alert(api, "bob@example.org")
    page = _page_url(api, ada)
    async with api.http.post(page, data={"alert": str(theirs), "action": "pause"}) as r:
        assert r.status == 404 and "no alert" in await r.text()
    for form, says in (({"alert": str(mine), "action": "delete-everything"}, "action must be"),
                       ({"alert": "1; DROP TABLE alerts", "action": "pause"}, "alert must be"),
                       ({}, "action must be")):
        async with api.http.post(page, data=form) as r:
            assert r.status == 400 and says in await r.text(), form
    async with api.http.get(f"{api.url}/manage/not-a-token") as r:
        assert r.status == 400 and "This link does not work" in await r.text()
    tampered = page[:-3] + ("AAA" if not page.endswith("AAA") else "BBB")
    async with api.http.post(tampered, data={"alert": str(mine), "action": "pause"}) as r:
        assert r.status == 400
    assert [await _status(api, a) for a in (mine, theirs)] == ["active", "active"]



def _ids(page: str) -> list[int]:
    """The alerts a page lists, in order (each row's form names its alert)."""
    return [int(n) for n in re.findall(r'name="alert" value="(\d+)"', page)]


def _link(page: str, rel: str) -> str | None:
    found = re.search(rf'<a rel="{rel}" href="([^"]+)"', page)
    return html.unescape(found.group(1)) if found else None


def _form_fields(page: str, alert: int) -> dict[str, str]:
    """What the browser posts from the row of `alert`: its form's hidden inputs."""
    form = next(f for f in re.findall(r"<form .*?</form>", page, re.S) if f'value="{alert}"' in f)
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))


async def _walk(api: Api, start: str, rel: str) -> list[list[int]]:
    """The pages met following `rel` links from `start`, each as the alert ids it lists."""
    pages, url = [], start
    while url is not None:
        async with api.http.get(url if url.startswith("http") else f"{api.url}{url}") as r:
            assert r.status == 200
            page = await r.text()
        pages.append(_ids(page))
        url = _link(page, rel)
    return pages


async def test_every_alert_is_reachable_page_by_page(api: Api) -> None:
    """A subscriber with more alerts than a page holds reaches each of them once through Next, and
    back through Previous; another subscriber's alerts, saved in between, never show."""
    mine: list[int] = []
    for n in range(4 * MANAGE_PAGE + 5):  # more than the 200 the page used to stop at
        alert, ada = await operator_alert(api, "ada@example.org", query=f"python{n}")
        mine.append(alert)
        if n % MANAGE_PAGE == 7:
            await operator_alert(api, "bob@example.org", query="rust")
    forward = await _walk(api, _page_url(api, ada), "next")
    assert [len(p) for p in forward] == [MANAGE_PAGE] * 4 + [5]
    assert [a for p in forward for a in p] == mine
    last = f"{_page_url(api, ada)}?after={forward[-2][-1]}"
    backward = await _walk(api, last, "prev")
    assert backward == forward[::-1]


async def test_a_button_returns_to_the_page_it_was_pressed_on(api: Api) -> None:
    for n in range(2 * MANAGE_PAGE + 3):
        _, ada = await operator_alert(api, "ada@example.org", query=f"python{n}")
    first = _page_url(api, ada)
    async with api.http.get(first) as r:
        second = _link(await r.text(), "next")
    assert second is not None
    async with api.http.get(f"{api.url}{second}") as r:
        third = _link(await r.text(), "next")
    assert third is not None
    async with api.http.get(f"{api.url}{third}") as r:
        back = _link(await r.text(), "prev")  # the second page again, reached backwards (before=…)
    assert back is not None and "before=" in back
    for url in (second, back):
        async with api.http.get(f"{api.url}{url}") as r:
            page = await r.text()
        shown, alert = _ids(page), _ids(page)[3]
        form = {**_form_fields(page, alert), "action": "pause"}
        async with api.http.post(first, data=form, allow_redirects=False) as r:
            assert r.status == 303
            location = r.headers["Location"]
        assert location == f"{first.rsplit('/', 1)[1]}?{url.split('?', 1)[1]}"
        async with api.http.get(f"{first.rsplit('/', 1)[0]}/{location}") as r:  # where the 303 leads
            after = await r.text()
        assert _ids(after) == shown and await _status(api, alert) == "paused"
        row = after[after.index(f'value="{alert}"') - 400:after.index(f'value="{alert}"')]
        assert "Paused" in row
        await api.fetchval("UPDATE alerts SET status = 'active' WHERE id = $1 RETURNING id", alert)


@pytest.mark.parametrize(("query", "says"), [("after=abc", "after must be an alert id"),
                                             ("before=-1", "before must be an alert id"),
                                             ("after=１２", "after must be an alert id"),
                                             ("after=1&before=2", "not both")])
async def test_a_bad_page_is_refused(api: Api, query: str, says: str) -> None:
    _, ada = await operator_alert(api, "ada@example.org")
    async with api.http.get(f"{_page_url(api, ada)}?{query}") as r:
        assert r.status == 400 and says in await r.text()
    async with api.http.post(_page_url(api, ada), data=f"alert=1&action=pause&{query}",
                             headers=FORM) as r:
        assert r.status == 400 and says in await r.text()
    assert await api.fetchval("SELECT status FROM alerts") == "active"
