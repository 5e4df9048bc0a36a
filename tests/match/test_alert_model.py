"""The alert JSON: every field validated, refusals naming the field."""

from __future__ import annotations

from typing import Any

import pytest

from aggregator.alerts import AlertSpec, check_webhook, new_webhook_secret, parse_alert
from aggregator.errors import InputError

EMAIL = {"channel": {"email": "ada@example.org"}}

REFUSED: list[tuple[dict[str, Any], str, str]] = [
    ({}, "channel", "must be"),
    ({"channel": {"email": "not an address"}}, "channel.email", "not a valid"),
    ({"channel": {"email": "ada@example.org\r\nBcc: x@y.z"}}, "channel.email", "not a valid"),
    ({"channel": {"email": "a@b.org", "webhook": "https://x.org"}}, "channel", "must be"),
    # Beyond ASCII, a local part may not hide or reorder characters; the domain must be in its ASCII form.
    ({"channel": {"email": "\u202eevil@example.org"}}, "channel.email", "not a valid"),
    ({"channel": {"email": "a\u200db@example.org"}}, "channel.email", "not a valid"),
    ({"channel": {"email": "a\ufffd@example.org"}}, "channel.email", "not a valid"),
    ({"channel": {"email": "j\u00fcrgen@b\u00fccher.example"}}, "channel.email", "not a valid"),
    ({"channel": {"email": "\u00fc" * 33 + "@example.org"}}, "channel.email", "not a valid"),  # 66 octets
    ({"channel": {"webhook": "http://example.org/hook"}}, "channel.webhook", "https"),
    ({"channel": {"webhook": "ftp://example.org/hook"}}, "channel.webhook", "https"),
    ({**EMAIL, "query": "x" * 501}, "query", "at most 500"),
    ({**EMAIL, "query": " ".join(["w"] * 33)}, "query", "at most 32"),
    ({**EMAIL, "query": 5}, "query", "string"),
    ({**EMAIL, "remote": ["sometimes"]}, "remote", "unknown value"),
    ({**EMAIL, "remote": ["any", "sometimes"]}, "remote", "unknown value"),  # "any" lets nothing else through
    ({**EMAIL, "countries": ["XX"]}, "countries", "unknown country"),
    ({**EMAIL, "min_salary": {"amount": 1, "currency": "XYZ"}}, "min_salary.currency", "unknown currency 'XYZ'"),
    ({**EMAIL, "min_salary": {"amount": -5, "currency": "USD"}}, "min_salary.amount", "positive"),
    ({**EMAIL, "min_salary": {"amount": "lots"}}, "min_salary.amount", "number"),
    ({**EMAIL, "min_salary": {"amount": 5, "period": "decade"}}, "min_salary.period", "unknown period"),
    ({**EMAIL, "min_salary": {"amount": 5, "include_unknown": "yes"}}, "min_salary.include_unknown", "true or"),
    ({**EMAIL, "seniority": ["wizard"]}, "seniority", "unknown value"),
    ({**EMAIL, "employment_types": ["gig"]}, "employment_types", "unknown value"),
    ({**EMAIL, "skills": {"any": ["Blorptastic"]}}, "skills.any", "unknown skill"),
    ({**EMAIL, "skills": {"some": []}}, "skills", "must be"),
    ({**EMAIL, "sources": ["monster"]}, "sources", "unknown source"),
    ({**EMAIL, "exclude_companies": ["!!!"]}, "exclude_companies", "no letters"),
    ({**EMAIL, "max_age_days": 0}, "max_age_days", "whole number"),
    ({**EMAIL, "frequency": "hourly"}, "frequency", "must be one of"),
    ({**EMAIL, "send_hour": 24}, "send_hour", "whole number"),
    ({**EMAIL, "timezone": "Mars/Olympus"}, "timezone", "unknown time zone"),
    ({**EMAIL, "timezone": "../etc/passwd"}, "timezone", "unknown time zone"),
    ({**EMAIL, "colour": "red"}, "colour", "unknown field"),
    ({**EMAIL, "countries": ["DE"] * 51}, "countries", "at most"),
]


@pytest.mark.parametrize(("data", "field", "message"), REFUSED)
def test_refused(data: dict[str, Any], field: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_alert(data)
    assert caught.value.field == field
    assert message in caught.value.message


def test_design_example_is_accepted_and_canonicalised() -> None:
    spec = parse_alert({
        "query": "django OR fastapi -php", "remote": ["remote", "hybrid"], "countries": ["de", "FR"],
        "min_salary": {"amount": 80000, "currency": "eur", "period": "year", "include_unknown": False},
        "seniority": ["senior", "lead"], "employment_types": ["full_time"],
        "skills": {"any": ["django", "FastAPI"], "all": []}, "sources": [], "exclude_companies": ["Acme Inc."],
        "max_age_days": 14, "frequency": "instant", "send_hour": 8, "timezone": "Europe/Berlin",
        "channel": {"email": "Ada@Example.org"}})
    assert spec.countries == ["DE", "FR"]
    assert {"Europe", "EMEA"} <= set(spec.regions)
    assert spec.skills_any == ["Django", "FastAPI"]
    assert spec.min_salary is not None and spec.min_salary.currency == "EUR"
    assert spec.min_salary.usd_per_year == pytest.approx(86400)
    assert spec.exclude_companies == ["acme"]
    assert spec.destination == "ada@example.org"
    assert parse_alert({**spec.to_json()}).to_json() == spec.to_json()


def test_an_address_beyond_ascii_is_kept_composed() -> None:
    """RFC 6531/6532 addresses are taken (mail goes out with SMTPUTF8): "e" + combining acute is
    stored as the one composed "é", so the same subscriber is one destination however they typed it."""
    assert parse_alert({"channel": {"email": "J\u00fcrgen@example.org"}}).destination == "j\u00fcrgen@example.org"
    assert parse_alert({"channel": {"email": "Rene\u0301@example.org"}}).email == "Ren\u00e9@example.org"


def test_defaults_and_any() -> None:
    spec = parse_alert({**EMAIL, "remote": ["any"]})
    assert spec == AlertSpec(email="ada@example.org")


def test_http_webhook_only_when_private_allowed() -> None:
    spec = parse_alert({"channel": {"webhook": "http://127.0.0.1:9/hook"}}, allow_private=True)
    assert spec.webhook == "http://127.0.0.1:9/hook"


async def test_private_webhook_refused_after_resolution() -> None:
    with pytest.raises(InputError) as caught:
        await check_webhook("https://127.0.0.1/hook", allow_private=False)
    assert caught.value.field == "channel.webhook"
    await check_webhook("http://127.0.0.1/hook", allow_private=True)


def test_webhook_secret_shape() -> None:
    import base64

    secret = new_webhook_secret()
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"))) == 32
    assert secret != new_webhook_secret()
