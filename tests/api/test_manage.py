"""The subscriber's page of alerts, linked from every email: it lists their alerts, and its buttons
pause, resume or unsubscribe only their own."""

from __future__ import annotations

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

