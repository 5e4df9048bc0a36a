"""A job's "where" line in emails says the arrangement once: the board's text when it says it, the
label when it does not."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from workers.notify.content import Alert, Batch
from workers.notify.render import render


def _rendered(location: str | None, remote: str | None) -> tuple[str, str]:
    job = {"title": "Backend Engineer", "company": "Saltmarsh Labs", "url": "https://jobs.example.org/1",
           "location_raw": location, "remote": remote}
    alert = Alert(id=1, email="a@example.org", webhook_url=None, webhook_secret=None, query="python",
                  frequency="instant")
    batch = Batch(key="d1", alert=alert, jobs=[job], delivery_ids=[1], created_at=datetime.now(UTC), attempt=1)
    out = render(batch, unsubscribe_url="https://x.example/u/t", public_url="https://x.example",
                 frequency_label="instant")
    return out.text, out.html


@pytest.mark.parametrize(("location", "remote", "line"), [
    ("Remote (US)", "remote", "Remote (US)"),  # not "Remote (US) · Remote"
    ("Worldwide", "remote", "Worldwide"),
    ("Berlin, Germany (Hybrid)", "hybrid", "Berlin, Germany (Hybrid)"),
    ("Berlin, Germany", "hybrid", "Berlin, Germany · Hybrid"),
    ("London", "onsite", "London · On-site"),
    ("Remote-friendly office in Austin", "onsite", "Remote-friendly office in Austin"),
    (None, "remote", "Remote"),
    ("Lisbon", None, "Lisbon"),
])
def test_the_arrangement_is_said_once(location: str | None, remote: str | None, line: str) -> None:
    text, html = _rendered(location, remote)
    assert f"\n  {line}\n" in text, text
    assert line.replace("·", "&middot;") in html or line in html
    assert text.count("Remote") == line.count("Remote")
