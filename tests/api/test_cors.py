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


async def test_a_conditional_poll_from_another_origin_passes_its_preflight(api: Api) -> None:
    """If-None-Match is not a header browsers send unasked: they ask first with OPTIONS, and a page
    then reads the ETag to send next time. A 405 to the OPTIONS made the browser drop the poll."""
    [job_id] = await add_jobs(api, "Python Engineer")
    asking = {**ORIGIN, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "if-none-match"}
    for path in ("/v1/jobs?query=python", f"/v1/jobs/{job_id}", "/openapi.json"):
        async with api.http.options(f"{api.url}{path}", headers=asking) as r:
            assert r.status == 204, path
            assert r.headers["Access-Control-Allow-Origin"] == "*"
            assert "GET" in r.headers["Access-Control-Allow-Methods"]
            assert "if-none-match" in r.headers["Access-Control-Allow-Headers"].lower()
    async with api.http.get(f"{api.url}/v1/jobs/{job_id}", headers=ORIGIN) as r:
        etag = r.headers["ETag"]
        assert "ETag" in {h.strip() for h in r.headers["Access-Control-Expose-Headers"].split(",")}
    async with api.http.get(f"{api.url}/v1/jobs/{job_id}", headers={**ORIGIN, "If-None-Match": etag}) as r:
        assert r.status == 304 and r.headers["Access-Control-Allow-Origin"] == "*"
    # Alerts stay same-origin: no preflight is granted there.
    async with api.http.options(f"{api.url}/v1/alerts", headers=asking) as r:
        assert "Access-Control-Allow-Origin" not in r.headers
