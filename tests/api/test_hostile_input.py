"""Hostile input on every parameter: a clear 4xx or an exact 2xx, never a 5xx, never a change on refusal.

Every parameter is taken from the API's own OpenAPI document (query and path parameters, every JSON
body field down to `min_salary.currency`, `skills.any[0]` and `channel.webhook`, the subscription
form's fields, the tokens in the link pages, the Authorization header), and each is given a table
of hostile values: SQL injection, oversize strings, arrays and numbers, wrong JSON types and Unicode
edge cases (NUL, lone surrogates, RTL override, joiners, combining marks, emoji, full-width and
superscript digits, invalid UTF-8 bytes in the raw query string, body and header).

Requests go over a raw socket, so bytes no well-behaved client would send reach the server as they
are. For each request: the status is 2xx or 4xx (a 4xx from the app is a JSON error naming the field
on the JSON endpoints, an HTML page on the pages); it answers within 2 s (`pg_sleep` has no effect);
a refused request leaves jobs, postings, alerts, subscribers and deliveries exactly as they were (one
fingerprint query before and after); and an accepted one stored exactly what was sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, quote_from_bytes, urlsplit

import pytest

from aggregator.tokens import unsubscribe_token
from tests.api.conftest import OPERATOR_KEY, Api, add_jobs, confirm_link

pytestmark = pytest.mark.timeout(240)

#: Every request must answer within this (a `pg_sleep(5)` that reached the database would not).
TIME_BOUND = 2.0
#: GETs run this many at a time (they must change nothing at all); writes run one by one.
CONCURRENCY = 16

_TABLES = ("jobs", "postings", "alerts", "subscribers", "deliveries")
#: Row counts and an md5 of every row, in id order, of each table: one query.
FINGERPRINT = "SELECT " + ", ".join(
    f"(SELECT count(*)::text || ':' || md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) FROM {name} t)"
    f" AS {name}" for name in _TABLES)

# -- the hostile values ----------------------------------------------------------------------------

SQL_INJECTION = ["' OR 1=1 --", "'; DROP TABLE jobs; --", "1; SELECT pg_sleep(5)", "$1", "\\x00"]
UNICODE = ["\u0000", "py\u0000thon", "\u202epython", "py\u200dthon", "e\u0301\u0301\u0301\u0301", "py😀", "１２",
           "²", "\ufeff", "\u3000"]


@dataclass(frozen=True)
class Raw:
    """Bytes sent as they are, percent-encoded in a URL or form, or spliced into a JSON body's text."""

    data: bytes


#: Invalid UTF-8: an overlong '/', an encoded lone surrogate, bytes that never occur, a cut-off sequence.
BAD_UTF8 = [Raw(b"\xc0\xaf"), Raw(b"\xed\xa0\x80"), Raw(b"\xff\xfe"), Raw(b"py\xe2\x82")]

#: For JSON body fields: any JSON value.
JSON_VALUES: list[Any] = [
    *SQL_INJECTION,
    "x" * 10_000, "x" * 100_000, "9" * 5_000, ["py"] * 10_000, 10**30, -(10**30), 2**63, -1, 0, 1.5,
    12345, "12", {"a": 1}, [1], [], {}, None, True, "",
    *UNICODE, "\ud800", "py\udfffthon", *BAD_UTF8,
]

#: For email fields, also hostile values inside an address's shape (past the regex, on to the database and SMTP).
EMAIL_VALUES: list[Any] = [
    "' OR 1=1 --@example.org", "x'; DROP TABLE jobs; --@example.org", "a\u0000b@example.org", "a\ud800@example.org",
    "\u202eevil@example.org", "a\u200db@example.org", "e\u0301@example.org", "😀@example.org", "１２@example.org",
    "a@exam\u0000ple.org", "a@bücher.example", "a@example.org\u0000", "a@example.org\r\nBcc: b@example.org",
    "x" * 64 + "@example.org", "x" * 65 + "@example.org", "a@" + "x" * 250 + ".org", " a@example.org ",
]

#: For query, path and form values: text (and raw bytes).
TEXT_VALUES: list[str | Raw] = [
    *SQL_INJECTION,
    "x" * 10_000, "x" * 100_000, "9" * 5_000, str(10**30), "-1", "0", "1.5", "1e30", "99999999999999999999",
    "true", "null", "[]", "{}", "", " ", "%", "a,b,,c", "1 OR 1=1",
    *UNICODE, *BAD_UTF8,
]

#: Extra values for exploded array query parameters: thousands of repeats and of comma-separated items.
ARRAY_REPEATS = (1_000, 10_000)

#: Authorization header values (latin-1 text, or raw bytes).
AUTH_VALUES: list[str | Raw] = [
    *(f"Bearer {v}" for v in SQL_INJECTION), "Bearer", "Bearer ", "Basic b3BlcmF0b3I6a2V5", "bearer",
    "Bearer " + "x" * 6_000, "Bearer " + "x" * 10_000, f"Bearer {OPERATOR_KEY}x", f"Bearer {OPERATOR_KEY[:-1]}",
    f"Token {OPERATOR_KEY}", "Bearer null", "Bearer 1", "Bearer -1", "Bearer [] {}",
    Raw(b"Bearer \xc0\xaf"), Raw(b"Bearer \xed\xa0\x80"), Raw(b"Bearer \xff\xfe"),
    Raw(f"Bearer {OPERATOR_KEY}\u202e".encode()), Raw(f"Bearer {OPERATOR_KEY}\u200d".encode()),
    Raw("Bearer ＯＰＥＲＡＴＯＲ".encode()), Raw("Bearer 😀".encode()),
    Raw(f"Bearer {OPERATOR_KEY}\xe9".encode("latin-1")),
]

#: Raw JSON bodies for every JSON endpoint.
RAW_BODIES: list[bytes] = [
    b"", b"null", b"[]", b"\x00", b"\xff\xfe{}", b"{", b"[" * 50_000, b'{"a":' * 20_000, b"1e999999",
    b"9" * 5_000, b'{"query": "\xc0\xaf"}', b'{"query": "\xed\xa0\x80"}', b"\xef\xbb\xbf{}", b'{"token": "\\ud800"}',
    b"x" * 100_000, b"NaN", b'{"channel": {"email": "a@example.org"}, "channel": 1}',
]


def label(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:40]}…({len(text)} chars)"


# -- the parameters, from the OpenAPI document -----------------------------------------------------


@dataclass(frozen=True)
class Param:
    method: str
    template: str
    where: str  # query, path, json, form, header, body
    name: str  # "min_salary.currency", "skills.any[0]", "id", "Authorization", "body"
    schema: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    #: Set inside a oneOf alternative: the value replaces its parent object ({"webhook": value}).
    exclusive: bool = False

    @property
    def json_api(self) -> bool:
        return self.template.startswith(("/v1/", "/healthz", "/metrics", "/openapi.json"))

    def __str__(self) -> str:
        return f"{self.method} {self.template} {self.where}:{self.name}"


def resolve(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        node: Any = doc
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def body_fields(doc: dict[str, Any], schema: dict[str, Any], prefix: str = "",
                exclusive: bool = False) -> Iterator[tuple[str, dict[str, Any], bool]]:
    """Every field of a body schema, nested objects, array items and oneOf alternatives included."""
    schema = resolve(doc, schema)
    for alternative in schema.get("oneOf", []):
        yield from body_fields(doc, alternative, prefix, exclusive=True)
    for part in schema.get("allOf", []):
        yield from body_fields(doc, part, prefix, exclusive)
    for name, sub in schema.get("properties", {}).items():
        path = f"{prefix}.{name}" if prefix else name
        sub = resolve(doc, sub)
        yield path, sub, exclusive
        if sub.get("type") == "array":
            items = resolve(doc, sub.get("items", {}))
            yield f"{path}[0]", items, False
            yield from body_fields(doc, items, f"{path}[0]")
        yield from body_fields(doc, sub, path)


def parameters(doc: dict[str, Any]) -> list[Param]:
    found: dict[Param, None] = {}
    for template, operations in doc["paths"].items():
        for method, op in operations.items():
            method = method.upper()
            for p in op.get("parameters", []):
                found[Param(method, template, p["in"], p["name"], resolve(doc, p["schema"]))] = None
            # The operator's endpoints take it; the public ones must ignore whatever it holds.
            found[Param(method, template, "header", "Authorization")] = None
            content = op.get("requestBody", {}).get("content", {})
            for ctype, media in content.items():
                where = "json" if ctype == "application/json" else "form"
                if where == "json":
                    found[Param(method, template, "body", "body")] = None
                for path, schema, exclusive in body_fields(doc, media["schema"]):
                    found[Param(method, template, where, path, schema, exclusive)] = None
    return list(found)


# -- raw HTTP ----------------------------------------------------------------------------------------


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Request:
    method: str
    target: bytes
    headers: list[tuple[bytes, bytes]]
    body: bytes | None = None

    def describe(self) -> str:
        target = self.target if len(self.target) < 120 else self.target[:100] + b"..."
        body = b"" if self.body is None else self.body if len(self.body) < 200 else self.body[:180] + b"..."
        return f"{self.method} {target!r} {[(k, v[:60]) for k, v in self.headers]} {body!r}"


def _decode_chunked(data: bytes) -> bytes:
    out = b""
    while data:
        size_line, _, data = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            break
        out += data[:size]
        data = data[size + 2:]
    return out


async def send(base: str, request: Request) -> Reply:
    """One request on its own connection, bytes exactly as given."""
    url = urlsplit(base)
    assert url.hostname and url.port
    head = [f"{request.method} ".encode() + request.target + b" HTTP/1.1",
            f"Host: {url.hostname}:{url.port}".encode(), b"Connection: close"]
    head += [k + b": " + v for k, v in request.headers]
    if request.body is not None:
        head.append(f"Content-Length: {len(request.body)}".encode())
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection(url.hostname, url.port)
    try:
        writer.write(b"\r\n".join(head) + b"\r\n\r\n" + (request.body or b""))
        with contextlib.suppress(ConnectionError):  # refused before the body was read: the answer is still there
            await writer.drain()
        try:
            raw = await asyncio.wait_for(reader.read(), timeout=10)
        except ConnectionResetError:
            raw = b""
    finally:
        writer.close()
    elapsed = time.perf_counter() - started
    status_head, _, body = raw.partition(b"\r\n\r\n")
    lines = status_head.decode("latin-1").split("\r\n")
    assert re.match(r"HTTP/1\.[01] \d{3}", lines[0]), f"no HTTP answer to {request.describe()}: {raw[:200]!r}"
    headers = {}
    for line in lines[1:]:
        key, _, value = line.partition(":")
        headers[key.strip().lower()] = value.strip()
    if headers.get("transfer-encoding") == "chunked":
        body = _decode_chunked(body)
    return Reply(int(lines[0].split()[1]), headers, body, elapsed)


# -- building requests -----------------------------------------------------------------------------


def url_part(value: str | Raw) -> bytes:
    """A value percent-encoded for a path segment or query value (raw bytes as they are, encoded)."""
    data = value.data if isinstance(value, Raw) else value.encode("utf-8", "surrogatepass")
    return quote_from_bytes(data, safe="").encode()


def query_string(pairs: list[tuple[str, str | Raw]]) -> bytes:
    return b"&".join(quote(k, safe="").encode() + b"=" + url_part(v) for k, v in pairs)


def json_text(value: Any) -> bytes:
    """JSON text for a value; a Raw inside becomes a JSON string holding exactly those bytes."""
    marks: dict[str, bytes] = {}

    def swap(node: Any) -> Any:
        if isinstance(node, Raw):
            mark = f"@@raw{len(marks)}@@"
            marks[mark] = node.data
            return mark
        if isinstance(node, dict):
            return {k: swap(v) for k, v in node.items()}
        if isinstance(node, list):
            return [swap(v) for v in node]
        return node

    text = json.dumps(swap(value)).encode()
    for mark, data in marks.items():
        text = text.replace(mark.encode(), data)
    return text


def set_path(body: dict[str, Any], path: str, value: Any, *, exclusive: bool) -> dict[str, Any]:
    """A deep copy of `body` with the field at `path` ("skills.any[0]") set to `value`."""
    body = json.loads(json.dumps(body))
    parts: list[str | int] = []
    for piece in path.split("."):
        name, _, index = piece.partition("[")
        parts.append(name)
        if index:
            parts.append(int(index.rstrip("]")))
    node: Any = body
    for i, part in enumerate(parts[:-1]):
        last = i == len(parts) - 2
        nxt = parts[i + 1]
        empty: Any = [None] if isinstance(nxt, int) else {}
        if isinstance(part, int):
            node = node[part]
            continue
        if (last and exclusive) or not isinstance(node.get(part), list | dict):
            node[part] = empty
        node = node[part]
    final = parts[-1]
    if isinstance(final, int) and isinstance(node, list):
        node[:] = [value]
    else:
        node[final] = value
    return body


@dataclass
class Case:
    param: Param
    value: Any
    request: Request


@dataclass
class World:
    """What the seeded database offers: real ids and tokens for the baselines."""

    job_id: int
    alert_id: int
    confirm_token: str
    unsubscribe_token: str
    auth: list[tuple[bytes, bytes]]


BASE_ALERT: dict[str, Any] = {
    "query": "python", "remote": ["remote"], "countries": ["DE"], "seniority": ["senior"],
    "employment_types": ["full_time"], "skills": {"any": ["python"], "all": ["django"]}, "sources": ["remotive"],
    "exclude_companies": ["Evil Corp"], "max_age_days": 30, "frequency": "daily", "send_hour": 9,
    "timezone": "Europe/Berlin",
    "min_salary": {"amount": 50_000, "currency": "EUR", "period": "year", "include_unknown": True},
}
BASE_FORM: list[tuple[str, str | Raw]] = [("email", "form@example.org"), ("query", "python"), ("skills", "python"),
                                          ("countries", "DE"), ("min_salary", "50000"), ("currency", "EUR"),
                                          ("frequency", "daily"), ("remote", "remote"), ("seniority", "senior")]


def baseline_json(param: Param, world: World) -> Any:
    if param.template == "/v1/alerts":
        return {**BASE_ALERT, "channel": {"email": "operator-made@example.org"}}
    if param.template == "/v1/subscriptions":
        return {**BASE_ALERT, "channel": {"email": "hostile@example.org"}}
    if param.template == "/v1/alerts/{id}":
        return {"status": "active"}
    if param.template == "/v1/subscriptions/confirm":
        return {"token": world.confirm_token}
    return {"token": world.unsubscribe_token}  # the spare alert's: unsubscribing is idempotent


#: Build the baseline request: no hostile value anywhere.
UNSET: Any = object()


def build(param: Param, value: Any, world: World) -> Request:
    path_values: dict[str, str | Raw] = {"id": str(world.alert_id if "alerts" in param.template else world.job_id),
                                         "token": world.confirm_token if "confirm" in param.template
                                         else world.unsubscribe_token}
    headers = list(world.auth) if param.template.startswith("/v1/alerts") else []
    query: list[tuple[str, str | Raw]] = []
    body: bytes | None = None
    if param.where == "path":
        path_values[param.name] = value
    elif param.where == "query":
        query = [(param.name, v) for v in value] if isinstance(value, list) else [(param.name, value)]
    elif param.where == "header":
        headers = [(k, v) for k, v in headers if k != b"Authorization"]
        headers.append((b"Authorization", value.data if isinstance(value, Raw) else value.encode("latin-1")))
    elif param.where == "body":
        headers.append((b"Content-Type", b"application/json"))
        body = value
    elif param.where == "json" and value is not UNSET:
        headers.append((b"Content-Type", b"application/json"))
        body = json_text(set_path(baseline_json(param, world), param.name, value, exclusive=param.exclusive))
    elif param.where == "form" and value is not UNSET:
        headers.append((b"Content-Type", b"application/x-www-form-urlencoded"))
        if param.template == "/subscribe":
            fields = [(k, v) for k, v in BASE_FORM if k != param.name] + [(param.name, value)]
        else:
            fields = [(param.name, value)]
        body = query_string(fields)
    if param.method in ("POST", "PATCH") and body is None:
        if param.template.startswith("/v1/"):
            headers.append((b"Content-Type", b"application/json"))
            body = json_text(baseline_json(param, world))
        elif param.template == "/subscribe":
            headers.append((b"Content-Type", b"application/x-www-form-urlencoded"))
            body = query_string(BASE_FORM)
        else:
            body = b""
    target = re.sub(r"\{(\w+)\}", lambda m: url_part(path_values[m.group(1)]).decode(), param.template).encode()
    if query:
        target += b"?" + query_string(query)
    return Request(param.method, target, headers, body)


def cases(params: list[Param], world: World) -> list[Case]:
    out = []
    for param in params:
        if param.where == "body":
            values: list[Any] = list(RAW_BODIES)
        elif param.where == "json":
            values = JSON_VALUES + (EMAIL_VALUES if param.schema.get("format") == "email" else [])
        elif param.where == "header":
            values = AUTH_VALUES
        else:
            values = list(TEXT_VALUES) + (EMAIL_VALUES if param.name == "email" else [])
            if param.where == "query" and param.schema.get("type") == "array":
                values += [["python"] * n for n in ARRAY_REPEATS] + [",".join(["python"] * n) for n in ARRAY_REPEATS]
            if param.where == "path":
                values += ["0" * 30 + "1", "-0", "+1", "1/../1", "..", "%2F", "1\n2"]
        out += [Case(param, value, build(param, value, world)) for value in values]
    return out


# -- the checks ------------------------------------------------------------------------------------


async def fingerprint(api: Api) -> tuple[str, ...]:
    async with api.rt.pool.acquire() as conn:
        row = await conn.fetchrow(FINGERPRINT)
    return tuple(row)


def field_named(reported: object, param: Param) -> bool:
    """The error names this parameter: itself, the object holding it, a part of it, or the body as a whole."""
    if param.where == "header":
        return reported == "Authorization"
    if param.where == "body":  # the body as a whole, or any field in it
        return isinstance(reported, str) and bool(reported)
    if reported == "body" or (param.where in ("json", "body") and reported == "alert"):
        return True
    if not isinstance(reported, str):
        return False
    name = re.sub(r"\[\d+\]", "", param.name)
    return reported == name or name.startswith(reported + ".") or reported.startswith(name + ".")


@dataclass
class Outcome:
    case: Case
    reply: Reply
    problems: list[str]


def check_reply(case: Case, reply: Reply) -> list[str]:
    problems = []
    param = case.param
    if reply.seconds >= TIME_BOUND:
        problems.append(f"took {reply.seconds:.2f} s")
    if not (200 <= reply.status < 300 or 400 <= reply.status < 500):
        problems.append(f"status {reply.status}: {reply.body[:300]!r}")
        return problems
    if reply.status == 429:
        problems.append("rate limited: the test's limits are too low")
    from_app = "x-request-id" in reply.headers  # the HTTP parser's own refusals (e.g. an 8 kB URL) are not
    if 400 <= reply.status < 500 and from_app:
        ctype = reply.headers.get("content-type", "")
        if param.json_api:
            try:
                error = reply.json()
            except ValueError:
                return [*problems, f"{reply.status} without a JSON body: {reply.body[:200]!r}"]
            if not (isinstance(error, dict) and error.get("error") and error.get("message")):
                problems.append(f"{reply.status} body is not an error object: {error}")
            elif not field_named(error.get("field"), param) and not (
                    param.where == "path" and reply.status == 404 and error.get("field") is None):
                problems.append(f"{reply.status} names field {error.get('field')!r}, not {param.name!r}: {error}")
        elif not ctype.startswith("text/html"):
            problems.append(f"{reply.status} page is {ctype!r}, not HTML")
    if param.where == "path" and param.name == "id" and 200 <= reply.status < 300:
        problems.append(f"a hostile id reached a real resource ({reply.status})")
    return problems


async def newest_alert(api: Api) -> Any:
    async with api.rt.pool.acquire() as conn:
        return await conn.fetchrow("SELECT id, email, query, filters FROM alerts ORDER BY id DESC LIMIT 1")


def expected_query(value: object) -> str | None:
    return " ".join(value.split()) if isinstance(value, str) else None


async def check_round_trip(api: Api, case: Case, reply: Reply, newest_before: int) -> list[str]:
    """An accepted write stored exactly what was sent: no truncation, nothing injected."""
    param, value = case.param, case.value
    row = await newest_alert(api)
    if row is None or row["id"] <= newest_before:
        return ["accepted, but no alert was stored"]
    stored = json.loads(row["filters"]) if isinstance(row["filters"], str) else dict(row["filters"])
    problems = []
    if param.template == "/v1/alerts":
        answer = reply.json()
        shown = {k: v for k, v in answer.items() if k not in ("id", "status", "created_at", "secret")}
        if answer["id"] != row["id"] or shown != stored:
            problems.append(f"answer {answer} differs from the stored alert {stored}")
    wanted = expected_query(value) if param.name == "query" else None
    if wanted is not None and (row["query"] != wanted or stored["query"] != wanted):
        problems.append(f"query stored as {row['query']!r}, sent {value!r}")
    if param.name in ("channel.email", "email") and isinstance(value, str):
        # An address is kept in composed form (NFC, RFC 6532): "e" + U+0301 is stored as "é".
        sent = unicodedata.normalize("NFC", value.strip() if param.where == "form" else value)
        if row["email"] != sent or stored["channel"] != {"email": sent}:
            problems.append(f"email stored as {row['email']!r}, sent {value!r}")
    if param.name == "timezone" and isinstance(value, str) and stored["timezone"] != value:
        problems.append(f"timezone stored as {stored['timezone']!r}, sent {value!r}")
    return problems


CREATES = {("POST", "/v1/alerts"), ("POST", "/v1/subscriptions"), ("POST", "/subscribe")}


async def run_write(api: Api, case: Case, before: tuple[str, ...]) -> tuple[Outcome, tuple[str, ...]]:
    """One write, alone; `before` is the fingerprint the previous one left. Returns the new one too."""
    creates = (case.param.method, case.param.template) in CREATES
    newest = await newest_alert(api) if creates else None
    reply = await send(api.url, case.request)
    after = await fingerprint(api)
    problems = check_reply(case, reply)
    if 400 <= reply.status < 500 and after != before:
        problems.append(f"refused ({reply.status}) but the database changed: {before} -> {after}")
    if 200 <= reply.status < 300 and creates:
        problems += await check_round_trip(api, case, reply, newest["id"] if newest else 0)
    return Outcome(case, reply, problems), after


async def run_reads(api: Api, batch: list[Case]) -> list[Outcome]:
    """GETs change nothing, whatever they answer: one fingerprint around the whole batch."""
    before = await fingerprint(api)
    replies = await asyncio.gather(*(send(api.url, case.request) for case in batch))
    after = await fingerprint(api)
    outcomes = [Outcome(case, reply, check_reply(case, reply)) for case, reply in zip(batch, replies, strict=True)]
    if after != before:
        outcomes[0].problems.append(f"a GET in this batch changed the database: {before} -> {after}")
    return outcomes


# -- the seed ----------------------------------------------------------------------------------------


async def seed(api: Api) -> World:
    """Jobs, a confirmed subscriber with an active alert, and a pending subscription's confirm token."""
    jobs = await add_jobs(api, "Senior Python Engineer", "Django Developer", "Backend Engineer (FastAPI)")
    body = {"query": "python", "channel": {"email": "seeded@example.org"}}
    async with api.http.post(f"{api.url}/v1/subscriptions", json=body) as r:
        assert r.status == 202, await r.text()
    token = confirm_link(api.mail.messages[-1]).rsplit("/", 1)[1]
    async with api.http.post(f"{api.url}/v1/subscriptions/confirm", json={"token": token}) as r:
        assert r.status == 200, await r.text()
        confirmed = await r.json()
    # A second confirmed alert, whose unsubscribe link the one-click tests may use up.
    async with api.http.post(f"{api.url}/v1/subscriptions", json={**body, "query": "django"}) as r:
        assert r.status == 202, await r.text()
    second = confirm_link(api.mail.messages[-1]).rsplit("/", 1)[1]
    async with api.http.post(f"{api.url}/v1/subscriptions/confirm", json={"token": second}) as r:
        spare = (await r.json())["alert_id"]
    # And a pending one, so the confirm baselines hold a live token.
    async with api.http.post(f"{api.url}/v1/subscriptions", json={**body, "query": "fastapi"}) as r:
        assert r.status == 202, await r.text()
    pending = confirm_link(api.mail.messages[-1]).rsplit("/", 1)[1]
    return World(job_id=jobs[0], alert_id=confirmed["alert_id"], confirm_token=pending,
                 unsubscribe_token=unsubscribe_token(api.rt.settings.secret_key, spare),
                 auth=[(b"Authorization", f"Bearer {OPERATOR_KEY}".encode())])


# -- the test ----------------------------------------------------------------------------------------


async def test_every_parameter_survives_hostile_values(api: Api) -> None:
    world = await seed(api)
    async with api.http.get(f"{api.url}/openapi.json") as r:
        doc = await r.json()
    params = parameters(doc)
    names = {f"{p.where}:{p.name}" for p in params}
    # The enumeration really reaches the nested fields, the form and the link tokens.
    assert {"json:min_salary.currency", "json:skills.any[0]", "json:channel.email", "json:channel.webhook",
            "form:email", "form:remote", "path:token", "path:id", "query:cursor", "header:Authorization",
            "form:List-Unsubscribe"} <= names, sorted(names)

    # Each baseline (before any hostile value) is accepted, so the refusals below are the value's doing.
    for param in {(p.method, p.template): p for p in params if p.where in ("json", "form")}.values():
        reply = await send(api.url, build(param, UNSET, world))
        assert 200 <= reply.status < 300, (str(param), reply.status, reply.body[:300])

    all_cases = cases(params, world)
    reads = [c for c in all_cases if c.param.method == "GET"]
    writes = [c for c in all_cases if c.param.method != "GET"]
    started = time.perf_counter()
    outcomes: list[Outcome] = []
    for i in range(0, len(reads), CONCURRENCY):
        outcomes += await run_reads(api, reads[i:i + CONCURRENCY])
    # Deletes last: an accepted one would take the seeded targets away from the rest.
    read_time = time.perf_counter() - started
    state = await fingerprint(api)
    for case in sorted(writes, key=lambda c: c.param.method == "DELETE"):
        outcome, state = await run_write(api, case, state)
        outcomes.append(outcome)
    elapsed = time.perf_counter() - started

    failures = [f"{o.case.param} = {label(o.case.value)} -> {o.reply.status}: {'; '.join(o.problems)}"
                for o in outcomes if o.problems]
    statuses: dict[int, int] = {}
    for o in outcomes:
        statuses[o.reply.status] = statuses.get(o.reply.status, 0) + 1
    print(f"{len(outcomes)} hostile requests over {len(params)} parameters in {elapsed:.1f} s "
          f"({len(reads)} reads in {read_time:.1f} s): "
          f"{dict(sorted(statuses.items()))}")
    assert not failures, f"{len(failures)} of {len(outcomes)} requests misbehaved:\n" + "\n".join(failures[:80])

    # The seeded targets are intact and the injected statements ran nowhere.
    assert await api.fetchval("SELECT count(*) FROM jobs") == 3
    assert await api.fetchval("SELECT status FROM alerts WHERE id = $1", world.alert_id) == "active"
    async with api.http.get(f"{api.url}/v1/jobs/{world.job_id}") as r:
        assert r.status == 200
