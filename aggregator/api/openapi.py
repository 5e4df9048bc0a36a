"""/openapi.json: the API's OpenAPI 3 document, kept true by tests/api/test_openapi_schemathesis.py.

Written as data next to the handlers rather than generated from them, so it stays readable; the
schemathesis run against the live app is what keeps the two from drifting apart.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from aggregator.api.base import RUNTIME, json_response
from aggregator.config import Settings

__all__ = ["document", "routes"]

routes = web.RouteTableDef()


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _html(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"text/html": {"schema": {"type": "string"}}}}


def _errors(*codes: int) -> dict[str, Any]:
    text = {400: "Bad request (e.g. a body that is not JSON, an invalid link)", 401: "No or invalid credentials",
            403: "Not allowed for this caller", 404: "No such resource (or not yours)",
            405: "Method not allowed", 409: "Conflicts with the resource's state", 413: "Body too large",
            415: "Body is not JSON", 422: "A value is invalid; `field` names it", 429: "Rate limited",
            503: "A dependency is unavailable"}
    return {str(code): _json(_ref("Error"), text[code]) for code in codes}


def _page_errors(*codes: int) -> dict[str, Any]:
    return {str(code): _html("An error page") for code in codes}


_STR = {"type": "string"}
_NSTR = {"type": "string", "nullable": True}
_NNUM = {"type": "number", "nullable": True}
_STRS = {"type": "array", "items": _STR}
_TIME = {"type": "string", "format": "date-time"}
_NTIME = {"type": "string", "format": "date-time", "nullable": True}
_REMOTE = {"type": "string", "enum": ["remote", "hybrid", "onsite", "any"]}
_SENIORITY = {"type": "string", "enum": ["intern", "junior", "mid", "senior", "lead", "principal"]}
_ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}
_TOKEN = {"name": "token", "in": "path", "required": True, "schema": {"type": "string", "minLength": 1}}


def _all_required(properties: dict[str, Any]) -> dict[str, Any]:
    """An object whose every property is always sent (null when unknown, never left out).

    Saying so lets a generated client type them as present: with only `id` and `title` required,
    every other field of a job came out optional, to be checked for absence on each use.
    """
    return {"type": "object", "required": list(properties), "properties": properties}


def _list_param(name: str, items: dict[str, Any], description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "style": "form", "explode": True,
            "description": description + " Repeat the parameter or separate values with commas.",
            "schema": {"type": "array", "items": items}}


_ALERT_FIELDS: dict[str, Any] = {
    "query": {"type": "string", "maxLength": 500, "description": "web-search syntax: words, \"phrases\", OR, -word"},
    "remote": {"type": "array", "items": _REMOTE},
    "countries": {"type": "array", "items": {"type": "string", "pattern": "^[A-Za-z]{2}$"},
                  "description": "ISO 3166-1 alpha-2"},
    "min_salary": {"type": "object", "nullable": True, "additionalProperties": False, "required": ["amount"],
                   "properties": {"amount": {"type": "number", "exclusiveMinimum": True, "minimum": 0,
                                             "maximum": 999999999},
                                  "currency": {"type": "string", "description": "ISO 4217"},
                                  "period": {"type": "string", "enum": ["year", "month", "week", "day", "hour"]},
                                  "include_unknown": {"type": "boolean"}}},
    "seniority": {"type": "array", "items": _SENIORITY},
    "employment_types": {"type": "array", "items": {"type": "string", "enum": [
        "full_time", "part_time", "contract", "internship", "temporary"]}},
    "skills": {"type": "object", "additionalProperties": False,
               "properties": {"any": _STRS, "all": _STRS}},
    "sources": _STRS,
    "exclude_companies": _STRS,
    "max_age_days": {"type": "integer", "minimum": 1, "maximum": 365, "nullable": True},
    "frequency": {"type": "string", "enum": ["instant", "daily", "weekly"]},
    "send_hour": {"type": "integer", "minimum": 0, "maximum": 23},
    "timezone": {"type": "string", "description": "IANA time zone, e.g. Europe/Berlin"},
}
_EMAIL_CHANNEL = {"type": "object", "additionalProperties": False, "required": ["email"],
                  "properties": {"email": {"type": "string", "format": "idn-email", "maxLength": 254}}}
_WEBHOOK_CHANNEL = {"type": "object", "additionalProperties": False, "required": ["webhook"],
                    "properties": {"webhook": {"type": "string", "format": "uri", "maxLength": 2000}}}

_SCHEMAS: dict[str, Any] = {
    "Error": {"type": "object", "required": ["error", "message"], "properties": {
        "error": _STR, "message": _STR, "field": {"type": "string", "description": "the input at fault"}}},
    "AlertInput": {"type": "object", "additionalProperties": False, "required": ["channel"], "properties": {
        **_ALERT_FIELDS, "channel": {"oneOf": [_EMAIL_CHANNEL, _WEBHOOK_CHANNEL]}}},
    "SubscriptionInput": {"type": "object", "additionalProperties": False, "required": ["channel"],
                          "description": "An alert with an email channel (webhooks: operator only).",
                          "properties": {**_ALERT_FIELDS, "channel": _EMAIL_CHANNEL}},
    # An alert as the API answers it: every field present (defaults filled in), so a generated client
    # types them as such; only the secret is optional, sent once.
    "Alert": {"type": "object", "required": ["id", "status", "created_at", *_ALERT_FIELDS, "channel"], "properties": {
        "id": {"type": "integer"}, "status": {"type": "string", "enum": ["pending", "active", "paused", "disabled"]},
        "created_at": _TIME, **_ALERT_FIELDS,
        "min_salary": {**_ALERT_FIELDS["min_salary"], "required": ["amount", "currency", "period", "include_unknown"]},
        "skills": {**_ALERT_FIELDS["skills"], "required": ["any", "all"]},
        "channel": {"oneOf": [_EMAIL_CHANNEL, _WEBHOOK_CHANNEL]},
        "secret": {"type": "string", "description": "webhook signing secret (whsec_…), only in the response "
                   "that created the alert"}}},
    "AlertPage": {"type": "object", "required": ["alerts", "next_after"], "properties": {
        "alerts": {"type": "array", "items": _ref("Alert")},
        "next_after": {"type": "integer", "nullable": True, "description": "pass as `after` for the next page"}}},
    "AlertUpdate": {"type": "object", "additionalProperties": False, "required": ["status"], "properties": {
        "status": {"type": "string", "enum": ["active", "paused"]}}},
    "Location": _all_required({"country": _NSTR, "region": _NSTR, "city": _NSTR}),
    "Job": _all_required({
        "id": {"type": "integer"}, "title": _STR, "company": _NSTR, "url": _NSTR, "apply_url": _NSTR,
        "location_raw": _NSTR, "locations": {"type": "array", "items": _ref("Location")},
        "remote": {"type": "string", "enum": ["remote", "hybrid", "onsite"], "nullable": True},
        "employment_type": _NSTR, "seniority": _NSTR, "salary_min": _NNUM, "salary_max": _NNUM,
        "salary_currency": _NSTR, "salary_period": _NSTR, "skills": _STRS, "posted_at": _NTIME,
        "python_backend": {"type": "boolean"}, "first_seen": _TIME, "last_seen": _TIME, "closed_at": _NTIME,
        "remote_regions": _STRS, "salary_annual_min": _NNUM, "salary_annual_max": _NNUM}),
    "JobPage": {"type": "object", "required": ["jobs", "next_cursor"], "properties": {
        "jobs": {"type": "array", "items": _ref("Job")},
        "next_cursor": {"type": "string", "nullable": True, "description": "pass as `cursor` for the next page"}}},
    "Posting": _all_required({
        "id": {"type": "integer"}, "source": _STR, "external_id": _STR, "url": _NSTR, "first_seen": _TIME,
        "last_seen": _TIME, "closed_at": _NTIME}),
    "JobDetail": {"allOf": [_ref("Job"), _all_required({
        "description_text": _NSTR, "description_html": _NSTR, "fingerprint": _STR,
        "postings": {"type": "array", "items": _ref("Posting")}})]},
    "Token": {"type": "object", "additionalProperties": False, "required": ["token"],
              "properties": {"token": {"type": "string", "minLength": 1}}},
    "Pending": {"type": "object", "required": ["status", "message"], "properties": {
        "status": {"type": "string", "enum": ["pending"]}, "message": _STR}},
    "Confirmed": {"type": "object", "required": ["alert_id", "status", "management_token"], "properties": {
        "alert_id": {"type": "integer"}, "status": _STR,
        "management_token": {"type": "string", "description": "Bearer token for this subscriber's /v1/alerts"}}},
    "Unsubscribed": {"type": "object", "required": ["alert_id", "status"], "properties": {
        "alert_id": {"type": "integer"}, "status": {"type": "string", "enum": ["unsubscribed"]}}},
    "Health": {"type": "object", "required": ["status", "checks"], "properties": {
        "status": {"type": "string", "enum": ["ok", "degraded", "error"]},
        "checks": {"type": "object", "additionalProperties": _STR}}},
    "SubscribeForm": {"type": "object", "properties": {
        "email": _STR, "query": _STR, "skills": _STR, "countries": _STR, "min_salary": _STR, "currency": _STR,
        "frequency": _STR, "remote": {"type": "array", "items": _STR},
        "seniority": {"type": "array", "items": _STR}}},
}

_AUTH: list[dict[str, list[str]]] = [{"bearer": []}]


def _body(schema: str) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": _ref(schema)}}}


_IF_NONE_MATCH = {"name": "If-None-Match", "in": "header", "required": False, "schema": {"type": "string"},
                  "description": "The ETag of a response held: 304 when it is still current"}
_NOT_MODIFIED = {"304": {"description": "Not modified: the response held (If-None-Match) is current"}}


def _tagged(response: dict[str, Any]) -> dict[str, Any]:
    return {**response, "headers": {"ETag": {"schema": {"type": "string"},
                                             "description": "send as If-None-Match to revalidate"}}}


_PATHS: dict[str, Any] = {
    "/v1/jobs": {"get": {
        "summary": "Search stored jobs (the alerts' query syntax and filters), best match first",
        "parameters": [
            {"name": "query", "in": "query", "schema": {"type": "string", "maxLength": 500}},
            _list_param("remote", _REMOTE, "Work arrangement."),
            _list_param("countries", {"type": "string"}, "ISO 3166-1 alpha-2 codes."),
            _list_param("seniority", _SENIORITY, "Seniority levels."),
            _list_param("skills", {"type": "string"}, "Jobs with all of these skills."),
            _list_param("sources", {"type": "string"}, "Jobs posted on any of these sources."),
            {"name": "include_closed", "in": "query", "schema": {"type": "boolean"}},
            {"name": "python_only", "in": "query", "schema": {"type": "boolean"}},
            {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
            {"name": "cursor", "in": "query", "schema": {"type": "string"}}, _IF_NONE_MATCH],
        "responses": {"200": _tagged(_json(_ref("JobPage"), "One page of jobs")), **_NOT_MODIFIED,
                      **_errors(422, 429)}}},
    "/v1/jobs/{id}": {"get": {
        "summary": "One job with its postings", "parameters": [_ID, _IF_NONE_MATCH],
        "responses": {"200": _tagged(_json(_ref("JobDetail"), "The job")), **_NOT_MODIFIED,
                      **_errors(404, 429)}}},
    "/v1/alerts": {
        "get": {"summary": "List alerts (the operator: all; a subscriber: theirs)", "security": _AUTH,
                "parameters": [{"name": "after", "in": "query", "schema": {"type": "integer", "minimum": 0}},
                               {"name": "limit", "in": "query",
                                "schema": {"type": "integer", "minimum": 1, "maximum": 200}}],
                "responses": {"200": _json(_ref("AlertPage"), "One page of alerts"), **_errors(401, 422)}},
        "post": {"summary": "Create an alert, active at once (operator; subscribers: to their own address)",
                 "security": _AUTH, "requestBody": _body("AlertInput"),
                 "responses": {"201": _json(_ref("Alert"), "Created; a webhook alert carries its secret once"),
                               **_errors(400, 401, 403, 413, 415, 422)}}},
    "/v1/alerts/{id}": {
        "get": {"summary": "One alert", "security": _AUTH, "parameters": [_ID],
                "responses": {"200": _json(_ref("Alert"), "The alert"), **_errors(401, 404)}},
        "patch": {"summary": "Pause or resume an alert", "security": _AUTH, "parameters": [_ID],
                  "requestBody": _body("AlertUpdate"),
                  "responses": {"200": _json(_ref("Alert"), "The alert after the change"),
                                **_errors(400, 401, 404, 409, 413, 415, 422)}},
        "delete": {"summary": "Delete an alert and its deliveries", "security": _AUTH, "parameters": [_ID],
                   "responses": {"204": {"description": "Deleted"}, **_errors(401, 404)}}},
    "/v1/subscriptions": {"post": {
        "summary": "Subscribe by email (double opt-in: only a confirmation link is sent)",
        "requestBody": _body("SubscriptionInput"),
        "responses": {"202": _json(_ref("Pending"), "Confirmation email sent"),
                      **_errors(400, 413, 415, 422, 429, 503)}}},
    "/v1/subscriptions/confirm": {"post": {
        "summary": "Confirm a subscription with the token from the confirmation email",
        "requestBody": _body("Token"),
        "responses": {"200": _json(_ref("Confirmed"), "Active; the management token is returned"),
                      **_errors(400, 404, 409, 413, 415, 422, 429)}}},
    "/v1/subscriptions/unsubscribe": {"post": {
        "summary": "Unsubscribe one alert with the token from an email", "requestBody": _body("Token"),
        "responses": {"200": _json(_ref("Unsubscribed"), "Unsubscribed"),
                      **_errors(400, 413, 415, 422, 429)}}},
    "/healthz": {"get": {
        "summary": "PostgreSQL, Redis and worker heartbeat; 503 when the API cannot serve",
        "responses": {"200": _json(_ref("Health"), "Serving (status ok, or degraded: no worker heartbeat)"),
                      "503": _json(_ref("Health"), "PostgreSQL or Redis unavailable")}}},
    "/metrics": {"get": {
        "summary": "Prometheus metrics",
        "responses": {"200": {"description": "Text exposition format",
                              "content": {"text/plain": {"schema": {"type": "string"}}}}}}},
    "/": {"get": {"summary": "The subscription form", "responses": {"200": _html("The form"),
                                                                    **_page_errors(429)}}},
    "/subscribe": {"post": {
        "summary": "Submit the subscription form",
        "requestBody": {"required": True, "content": {"application/x-www-form-urlencoded": {
            "schema": _ref("SubscribeForm")}}},
        "responses": {"200": _html("Check your email"), "422": _html("The form again, with the error"),
                      **_page_errors(400, 413, 415, 429, 503)}}},
    "/confirm/{token}": {
        "get": {"summary": "A page with the confirm button (a GET changes nothing)", "parameters": [_TOKEN],
                "responses": {"200": _html("Confirm page"), **_page_errors(400, 429)}},
        "post": {"summary": "Confirm the subscription", "parameters": [_TOKEN],
                 "responses": {"200": _html("Confirmed, with the management token"),
                               **_page_errors(400, 404, 409, 413, 429)}}},
    "/unsubscribe/{token}": {
        "get": {"summary": "A page with the unsubscribe button (a GET changes nothing)", "parameters": [_TOKEN],
                "responses": {"200": _html("Unsubscribe page"), **_page_errors(400, 429)}},
        "post": {"summary": "Unsubscribe: the page's button or the RFC 8058 one-click POST "
                            "(body List-Unsubscribe=One-Click)", "parameters": [_TOKEN],
                 "requestBody": {"required": False, "content": {"application/x-www-form-urlencoded": {
                     "schema": {"type": "object", "properties": {"List-Unsubscribe": {
                         "type": "string", "enum": ["One-Click"]}}}}}},
                 "responses": {"200": _html("Unsubscribed"), **_page_errors(400, 413, 429)}}},
}


def document(server_url: str) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "hirewire API", "version": "1",
                 "description": "Job search, alerts and subscriptions. Errors are JSON objects "
                                "{error, message, field}."},
        "servers": [{"url": server_url}],
        "paths": _PATHS,
        "components": {"schemas": _SCHEMAS, "securitySchemes": {"bearer": {
            "type": "http", "scheme": "bearer",
            "description": "HIREWIRE_API_KEY (operator) or a subscriber's management token"}}},
    }


#: HIREWIRE_PUBLIC_URL's default, which names no real deployment.
_UNSET_PUBLIC_URL = Settings.__dataclass_fields__["public_url"].default


def server_url(public_url: str) -> str:
    """Where clients built from the document send requests.

    HIREWIRE_PUBLIC_URL when the operator set it (behind a proxy it is the address clients use).
    Unset, it is only a placeholder (127.0.0.1:8080), while the API may listen on another port or
    host: a client generated from the document called that placeholder. "/" is resolved against
    the document's own address (OpenAPI 3: server URLs may be relative), which is this API.
    """
    return "/" if public_url == _UNSET_PUBLIC_URL else public_url


@routes.get("/openapi.json")
async def openapi(request: web.Request) -> web.Response:
    return json_response(document(server_url(request.app[RUNTIME].settings.public_url)))
