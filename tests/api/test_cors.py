"""A web page on another origin can read the public job search and the OpenAPI document, and nothing else."""

from __future__ import annotations

from tests.api.conftest import Api, add_jobs

ORIGIN = {"Origin": "https://jobs-widget.example"}


async def test_pages_on_other_origins_can_read_job_search_and_the_document(api: Api) -> None:
    """Without Access-Control-Allow-Origin a browser withheld these responses from other sites' pages."""
    [job_id] = await add_jobs(api, "Python Engineer")
    for path, status in (("/v1/jobs?query=python", 200), (f"/v1/jobs/{job_id}", 200), ("/openapi.json", 200),
                         ("/v1/jobs?limit=0", 422), ("/v1/jobs/999999", 404)):  # errors are readable too
        async with api.http.get(f"{api.url}{path}", headers=ORIGIN) as r:
            assert r.status == status, path
            assert r.headers.get("Access-Control-Allow-Origin") == "*", path
            exposed = {h.strip() for h in r.headers["Access-Control-Expose-Headers"].split(",")}
            assert {"RateLimit-Remaining", "Retry-After", "X-Request-ID"} <= exposed


async def test_alerts_and_subscriptions_stay_same_origin(api: Api) -> None:
    async with api.http.get(f"{api.url}/v1/alerts", headers={**ORIGIN, **api.operator}) as r:
        assert r.status == 200 and "Access-Control-Allow-Origin" not in r.headers
    async with api.http.post(f"{api.url}/v1/subscriptions/unsubscribe", json={"token": "x"}, headers=ORIGIN) as r:
        assert "Access-Control-Allow-Origin" not in r.headers
