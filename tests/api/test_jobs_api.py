"""/v1/jobs: search with the alerts' syntax and filters, cursor pages, one job with its postings."""

from __future__ import annotations

from typing import Any

from aggregator.model import RawListing
from aggregator.normalise import normalise
from aggregator.store.postings import Incoming, ingest
from tests.api.conftest import Api, add_jobs


async def get(api: Api, path: str, **params: Any) -> tuple[int, Any]:
    async with api.http.get(f"{api.url}{path}", params=params) as r:
        return r.status, await r.json()


async def test_search_uses_the_alert_query_syntax(api: Api) -> None:
    await add_jobs(api, "Senior Django Engineer", "FastAPI Backend Developer", "PHP Developer",
                   description="Python services. PostgreSQL.")
    status, body = await get(api, "/v1/jobs", query="django OR fastapi -php")
    assert status == 200
    assert sorted(j["title"] for j in body["jobs"]) == ["FastAPI Backend Developer", "Senior Django Engineer"]
    status, body = await get(api, "/v1/jobs", query='"backend developer"')
    assert [j["title"] for j in body["jobs"]] == ["FastAPI Backend Developer"]
    status, body = await get(api, "/v1/jobs", seniority="senior")
    assert [j["title"] for j in body["jobs"]] == ["Senior Django Engineer"]
    status, body = await get(api, "/v1/jobs", skills="PostgreSQL,django")  # canonicalised like alerts
    assert [j["title"] for j in body["jobs"]] == ["Senior Django Engineer"]
    status, body = await get(api, "/v1/jobs", sources="remoteok")
    assert body["jobs"] == []
    status, body = await get(api, "/v1/jobs", query="php")
    [php] = body["jobs"]
    # Every summary carries the remote regions and the yearly pay; add_jobs' listings are "Remote".
    assert {"remote_regions", "salary_annual_min", "salary_annual_max"} <= set(php)
    assert (php["remote"], php["salary_annual_min"]) == ("remote", None)


async def test_cursor_pages_cover_everything_once(api: Api) -> None:
    titles = [f"Python Engineer {n}" for n in range(7)]
    ids = await add_jobs(api, *titles)
    seen: list[int] = []
    cursor = None
    for _ in range(10):
        params: dict[str, Any] = {"query": "python", "limit": 3}
        if cursor:
            params["cursor"] = cursor
        status, body = await get(api, "/v1/jobs", **params)
        assert status == 200
        seen += [j["id"] for j in body["jobs"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(ids) and len(seen) == len(set(seen))


async def test_one_job_with_its_postings(api: Api) -> None:
    [job_id] = await add_jobs(api, "Python Engineer")
    await add_jobs(api, "Python Engineer", source="remoteok")  # the same job on another board
    status, body = await get(api, f"/v1/jobs/{job_id}")
    assert status == 200 and body["title"] == "Python Engineer"
    assert sorted(p["source"] for p in body["postings"]) == ["remoteok", "remotive"]
    assert body["first_seen"].endswith("Z")
    status, body = await get(api, "/v1/jobs/999999")
    assert status == 404 and body["field"] == "id"
    status, body = await get(api, "/v1/jobs/abc")
    assert status == 404


async def test_a_cursor_this_api_cannot_have_sent_is_a_422_naming_cursor(api: Api) -> None:
    """Cursors that decode to JSON but hold an id past a bigint, or a non-finite or boolean rank.

    Before, the first was a 500 (the id overflowed in PostgreSQL) and `NaN` quietly started over.
    """
    import base64

    await add_jobs(api, "Python Engineer")
    for payload in ("[1.0, 99999999999999999999999]", "[0.5, -1]", "[NaN, 1]", "[Infinity, 1]", "[true, 1]"):
        cursor = base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")
        status, body = await get(api, "/v1/jobs", cursor=cursor)
        assert (status, body["error"], body["field"]) == (422, "invalid_input", "cursor"), payload


async def test_a_single_valued_parameter_given_twice_is_a_422_naming_it(api: Api) -> None:
    """`limit=5&limit=500` was answered with 5 and `query=django&query=flask` searched django alone."""
    await add_jobs(api, "Django Developer", "Flask Developer")
    for name, values in (("limit", ["5", "500"]), ("query", ["django", "flask"]), ("cursor", ["a", "b"]),
                         ("python_only", ["true", "false"])):
        async with api.http.get(f"{api.url}/v1/jobs", params=[(name, v) for v in values]) as r:
            body = await r.json()
        assert (r.status, body["field"]) == (422, name), body
    # List filters still repeat.
    async with api.http.get(f"{api.url}/v1/jobs", params=[("remote", "remote"), ("remote", "hybrid")]) as r:
        assert r.status == 200 and len((await r.json())["jobs"]) == 2


async def test_a_reader_revalidates_jobs_with_their_etag(api: Api) -> None:
    """A job or page unchanged since the client's copy is a 304 with no body; a change gives a new
    ETag. Before, there was no validator: every poll downloaded everything again."""
    [job_id] = await add_jobs(api, "Python Engineer")
    etags = {}
    for path in (f"/v1/jobs/{job_id}", "/v1/jobs?query=python"):
        async with api.http.get(f"{api.url}{path}") as r:
            assert r.status == 200 and r.headers["Cache-Control"] == "no-cache"
            etag = etags[path] = r.headers["ETag"]
        async with api.http.get(f"{api.url}{path}", headers={"If-None-Match": etag}) as r:
            assert (r.status, await r.read(), r.headers["ETag"]) == (304, b"", etag)
        async with api.http.get(f"{api.url}{path}", headers={"If-None-Match": '"something-else"'}) as r:
            assert r.status == 200
    async with api.rt.pool.acquire() as conn:
        await conn.execute("UPDATE jobs SET closed_at = now() WHERE id = $1", job_id)
    held = etags[f"/v1/jobs/{job_id}"]
    async with api.http.get(f"{api.url}/v1/jobs/{job_id}", headers={"If-None-Match": held}) as r:
        assert r.status == 200 and r.headers["ETag"] != held and (await r.json())["closed_at"] is not None


async def test_countries_are_where_the_searcher_can_work_from(api: Api) -> None:
    """As README says: jobs located there, and remote jobs open worldwide or to a region containing
    the country; not a remote job restricted to another country."""
    async with api.rt.pool.acquire() as conn:
        await ingest(conn, "remotive", [
            Incoming(normalise(RawListing(source="remotive", external_id=str(n), title=title, company=f"Co {n}",
                                          location_raw=where, remote=remote, url=f"https://remotive.example/{n}",
                                          description_html="<p>Build APIs.</p>", raw={"id": n})), raw=b"{}")
            for n, (title, where, remote) in enumerate([
                ("Berlin Office", "Berlin, Germany", False), ("Anywhere", "Worldwide", True),
                ("Europe Remote", "Remote - Europe", True), ("US Only", "Remote - US only", True),
                ("Paris Office", "Paris, France", False)])])
    status, body = await get(api, "/v1/jobs", countries="DE", limit=100)
    assert status == 200
    assert sorted(j["title"] for j in body["jobs"]) == ["Anywhere", "Berlin Office", "Europe Remote"]


async def test_a_cursor_reused_with_other_filters_is_a_422(api: Api) -> None:
    """A cursor is a position in one search; with another query or filters its page looked right and
    was not (jobs skipped or repeated). The page size may change between pages."""
    await add_jobs(api, *[f"Python Engineer {n}" for n in range(4)])
    status, body = await get(api, "/v1/jobs", query="python", limit=2)
    cursor = body["next_cursor"]
    status, body = await get(api, "/v1/jobs", query="python", limit=3, cursor=cursor)
    assert status == 200 and len(body["jobs"]) == 2
    for other in ({"query": "engineer"}, {"query": "python", "remote": "remote"}, {"query": "python",
                                                                                     "include_closed": "true"}):
        status, body = await get(api, "/v1/jobs", limit=2, cursor=cursor, **other)
        assert (status, body["field"]) == (422, "cursor"), other
