"""R6 and S8: hostile input never gets a 5xx, always a coded 4xx, and nothing secret leaks.

Every POST endpoint with a body gets the same catalogue, derived from a valid body: malformed
JSON, non-objects, each field with the wrong type, missing or over-long, extra fields (some with
hostile names), bodies of 17 KiB and 1 MB, lone surrogates, wrong Content-Types, and hostile but
well-typed strings (control characters, NUL, injection strings, confusables, 10,000 characters).
Structurally wrong bodies must get 400 `invalid_request` (with `field` when one field is at
fault); hostile strings may be accepted, but never with a 5xx. Every answer must match the
OpenAPI document and must not echo the hostile value, the canary header or the bearer token.
GET endpoints get hostile path and query parameters. S8 plants secrets and greps every log
record (all loggers at DEBUG) and every error body for them.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from chalicelib import activation
from chalicelib.api.codes import ERRORS, status_of
from chalicelib.storage import tables

from .support.factories import PASSWORD, add_student, claim, login, staff_session, unique_student_id
from .support.openapi import conform, load_spec, template_regex

ROOT = Path(__file__).resolve().parents[1]
CANARY = f"canary-{secrets.token_hex(8)}"
PARENT_PASSWORD = "Quilted-harbor-compass-47"


# Shared state: one student, parent, staff, live tokens --------------------------------------


@dataclass
class Ctx:
    """Tokens and ids the catalogue's valid bodies are made of."""

    school: str
    student: str
    student_token: str
    parent_token: str
    teacher_token: str
    admin_token: str
    district_token: str
    claim_token: str  # live, with a password chosen
    activation_key: str  # live, of a guardian whose username is taken (so never used up)
    taken_username: str
    tokens: dict[str, str] = field(default_factory=dict)

    def token(self, who: str | None) -> str | None:
        return {
            None: None,
            "student": self.student_token,
            "parent": self.parent_token,
            "teacher": self.teacher_token,
            "admin": self.admin_token,
            "district": self.district_token,
        }[who]


def _guardian(gid: str, students: list[str]) -> None:
    tables.put_item(
        "sis",
        {
            "pk": f"guardian#{gid}",
            "sk": "profile",
            "sourced_id": gid,
            "given_name": "Hostile",
            "family_name": "Input",
            "role": "guardian",
            "email": f"{gid}@example.org",
            "language": "en",
            "active": True,
        },
    )
    for sid in students:
        tables.put_item(
            "sis",
            {
                "pk": f"guardian#{gid}",
                "sk": f"link#{sid}",
                "gsi1pk": f"student#{sid}",
                "gsi1sk": f"link#{gid}",
                "guardian_id": gid,
                "student_id": sid,
                "portal_access": True,
            },
        )


class Http:
    """chalice.test's client with the canary header on every request."""

    def __init__(self, http: Any) -> None:
        self.http = http

    def request(
        self, method: str, path: str, headers: dict[str, str] | None = None, body: bytes = b""
    ) -> Any:
        return self.http.request(
            method, path, headers={"X-Probe": CANARY, **(headers or {})}, body=body
        )

    def post(self, path: str, **kwargs: Any) -> Any:
        return self.request("POST", path, **kwargs)

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.request("GET", path, **kwargs)


@pytest.fixture(scope="module")
def http(chalice_app: Any) -> Iterator[Http]:
    from chalice.test import Client

    with Client(chalice_app, stage_name="local", project_dir=str(ROOT / "functions")) as client:
        yield Http(client.http)


@pytest.fixture(scope="module")
def ctx(http: Http, dynamodb: str) -> Ctx:
    tag = unique_student_id()
    school = f"org-bad-{tag}"
    student = add_student("Daffy", "Clayton", school=school)
    claim(http, student)
    student_token = login(http, f"S{student}", PASSWORD)["session_token"]
    unclaimed = add_student("Marcia", "Student", school=school)
    start = json.loads(
        http.post(
            "/claim/start",
            headers={"Content-Type": "application/json"},
            body=json.dumps(
                {"last_name": "Student", "first_name": "Marcia", "student_id": unclaimed}
            ).encode(),
        ).body
    )
    claim_token = start["claim_token"]
    chosen = http.post(
        "/claim/password",
        headers={"Content-Type": "application/json"},
        body=json.dumps(
            {"claim_token": claim_token, "password": PASSWORD, "password_confirm": PASSWORD}
        ).encode(),
    )
    assert chosen.status_code == 200, chosen.body
    first, second = f"gdn-bad-{tag}", f"gdn-bad2-{tag}"
    _guardian(first, [student])
    _guardian(second, [student])
    taken = f"BadInput{tag}"
    activation.create_account(
        activation.issue(first, "test"), taken, PARENT_PASSWORD, PARENT_PASSWORD
    )
    parent_token = login(http, taken, PARENT_PASSWORD)["session_token"]
    return Ctx(
        school=school,
        student=student,
        student_token=student_token,
        parent_token=parent_token,
        teacher_token=staff_session(http, "teacher", school=school),
        admin_token=staff_session(http, "school_admin", school=school),
        district_token=staff_session(http, "district_admin", school=None),
        claim_token=claim_token,
        activation_key=activation.issue(second, "test"),
        taken_username=taken,
    )


# The POST endpoints and a valid body for each -------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    path: str
    body: Callable[[Ctx], dict[str, Any]]
    auth: str | None = None
    optional: tuple[str, ...] = ()
    method: str = "POST"


def _answers(first: str = "March") -> list[dict[str, Any]]:
    return [
        {"question_id": 1, "answer": first},
        {"question_id": 7, "answer": "pomme"},
        {"question_id": 8, "answer": "winter"},
    ]


FAKE_TOKEN = "tok-" + "A" * 40
ENDPOINTS: dict[str, Endpoint] = {
    e.path: e
    for e in (
        Endpoint(
            "/claim/start",
            lambda c: {"last_name": "Clayton", "first_name": "Daffy", "student_id": "0000001"},
        ),
        Endpoint(
            "/claim/password",
            lambda c: {
                "claim_token": c.claim_token,
                "password": "Orbit-cedar-glass-71",
                "password_confirm": "Orbit-cedar-glass-71",
            },
        ),
        Endpoint(
            "/claim/answers",
            lambda c: {"claim_token": c.claim_token, "answers": _answers("Smarch")},
        ),
        Endpoint("/login/identify", lambda c: {"username": "hostile-input-user"}),
        Endpoint("/login", lambda c: {"username": "hostile-input-user", "password": "Pw-1234567"}),
        Endpoint(
            "/me/password",
            lambda c: {
                "current_password": "Not-the-current-one-1",
                "new_password": "Orbit-cedar-glass-71",
                "new_password_confirm": "Orbit-cedar-glass-71",
            },
            auth="student",
        ),
        Endpoint("/reset/start", lambda c: {"username": "hostile-input-user"}),
        Endpoint("/reset/answers", lambda c: {"reset_token": FAKE_TOKEN, "answers": _answers()}),
        Endpoint(
            "/reset/password",
            lambda c: {
                "reset_token": FAKE_TOKEN,
                "password": "Orbit-cedar-glass-71",
                "password_confirm": "Orbit-cedar-glass-71",
            },
        ),
        Endpoint("/activation/check", lambda c: {"activation_key": "{" + "0" * 8 + "}"}),
        Endpoint(
            "/activation/account",
            lambda c: {
                "activation_key": c.activation_key,
                "username": c.taken_username,
                "password": "Orbit-cedar-glass-71",
                "password_confirm": "Orbit-cedar-glass-71",
            },
        ),
        Endpoint(
            "/staff/reset-tickets",
            lambda c: {"student_id": "0000001", "reason": "forgot"},
            auth="teacher",
            optional=("reason",),
        ),
        Endpoint("/staff/activation-keys", lambda c: {"guardian_id": "gdn-nobody"}, auth="admin"),
        Endpoint("/me/language", lambda c: {"language": "fr"}, auth="parent", method="PUT"),
        Endpoint("/login/mfa", lambda c: {"mfa_token": FAKE_TOKEN, "code": "123456"}),
        Endpoint("/login/mfa/enroll", lambda c: {"mfa_token": FAKE_TOKEN}),
        Endpoint(
            "/login/mfa/confirm", lambda c: {"mfa_token": FAKE_TOKEN, "code": "abcd-efgh-jkmn"}
        ),
        Endpoint(
            "/staff/accounts",
            # The school is not in the SIS: a valid body is refused, so nothing is ever created.
            lambda c: {"username": "hostile.staff", "role": "teacher", "school": c.school},
            auth="district",
            optional=("school",),
        ),
    )
}
# Field names of each body, as (dotted name, path into the body).
FieldPath = tuple[str | int, ...]


def fields_of(template: dict[str, Any]) -> list[FieldPath]:
    """Every leaf field of a valid body, lists of objects looked into at their first item."""
    paths: list[FieldPath] = []
    for key, value in template.items():
        paths.append((key,))
        if isinstance(value, list) and value and isinstance(value[0], dict):
            paths.extend((key, 0, inner) for inner in value[0])
    return paths


def with_value(template: dict[str, Any], path: FieldPath, value: Any) -> dict[str, Any]:
    body = json.loads(json.dumps(template))
    target = body
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return body


def without(template: dict[str, Any], path: FieldPath) -> dict[str, Any]:
    body = json.loads(json.dumps(template))
    target = body
    for part in path[:-1]:
        target = target[part]
    del target[path[-1]]
    return body


def dotted(path: FieldPath) -> str:
    return ".".join(str(p) for p in path)


# The catalogue --------------------------------------------------------------------------------

# Hostile but well-typed strings: an answer may be 2xx, but never 5xx, and never echoed.
HOSTILE_STRINGS: dict[str, str] = {
    "nul": "ab\x00cd-nul",
    "control": "\x1b[31mred\x07\x08-ctl",
    "crlf-header": "x\r\nX-Injected: yes",
    "rtl-override": "abc\u202edcba-rtl",
    "sql": "' OR 1=1 --",
    "sql-union": "x' UNION SELECT password FROM accounts --",
    "nosql-string": '{"$ne": null}',
    "html": "<script>alert('xss')</script>",
    "template": "${jndi:ldap://example.invalid/a}{{7*7}}",
    "path": "../../../../etc/passwd",
    "cyrillic-a": "Clаyton",  # Cyrillic а (U+0430)
    "fullwidth-digits": "０１２３４５６",
    "cyrillic-s-username": "Ѕ0123456",  # Cyrillic Ѕ (U+0405)
    "zero-width": "Daf\u200bfy",
    "emoji": "👩‍👩‍👧‍👦 family",
    "whitespace": "   ",
    "file-separator": "\x1c",
    "nbsp": "\u00a0",
}
WRONG_TYPES: dict[str, Any] = {
    "int": 1,
    "float": 1.5,
    "bool": True,
    "null": None,
    "list": ["x"],
    "object": {"$ne": None},
}
MALFORMED: dict[str, bytes] = {
    "truncated": b'{"username": ',
    "single-quotes": b"{'username': 'x'}",
    "bare-keys": b"{username: 1}",
    "trailing-comma": b'{"a": 1,}',
    "trailing-garbage": b"{} x",
    "bad-utf8": b'{"a": "\xff\xfe"}',
    "utf16": '{"a": 1}'.encode("utf-16"),
    "bom": b'\xef\xbb\xbf{"a": 1}',
    "nan-literal": b'{"a": NaN}',
    "deep-nesting": b"[" * 5000 + b"]" * 5000,
    "huge-number": b'{"a": 1' + b"0" * 5000 + b"}",
    "empty": b"",
    "whitespace": b"  \n ",
    "raw-nul": b"\x00",
}
NOT_OBJECTS: dict[str, bytes] = {
    "array": b"[]",
    "array-of-object": b'[{"username": "x"}]',
    "number": b"42",
    "string": b'"username"',
    "null": b"null",
    "true": b"true",
}
WRONG_CONTENT_TYPES = (
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/xml",
    "text/html; charset=utf-8",
    "application/jsonx",
)
HOSTILE_KEYS = ("<img src=x onerror=alert(1)>", "$where", "' OR 1=1 --", "__proto__", "\u0000")
# An unknown field may be named back when its name is a plain identifier (useful to clients);
# anything else (markup, operators, control characters) must never be echoed.
SAFE_KEY = re.compile(r"[A-Za-z0-9_.]{1,100}")


@dataclass(frozen=True)
class Case:
    endpoint: str
    kind: str  # structural: must be a 400 invalid_request; content: any non-5xx
    name: str
    build: Callable[[dict[str, Any]], tuple[bytes, str]]  # template → (body, content type)
    field: str | None = None  # the field a structural 400 must name
    echo: tuple[str, ...] = ()  # values that must not come back


def _json(body: Any) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def _raw_with_string(template: dict[str, Any], path: FieldPath, escaped: str) -> bytes:
    """The template with one string field replaced by raw JSON string syntax (e.g. \\ud800)."""
    marker = "@@RAW@@"
    text = json.dumps(with_value(template, path, marker))
    return text.replace(json.dumps(marker), f'"{escaped}"').encode()


def build_cases() -> list[Case]:
    cases: list[Case] = []
    ctype = "application/json"
    for path, endpoint in ENDPOINTS.items():
        template = endpoint.body(SAMPLE_CTX)

        def add(kind: str, name: str, build: Any, path: str = path, **extra: Any) -> None:
            cases.append(Case(path, kind, name, build, **extra))

        for name, raw in MALFORMED.items():
            add("structural", f"malformed-{name}", lambda t, raw=raw: (raw, ctype))
        for name, raw in NOT_OBJECTS.items():
            add("structural", f"not-object-{name}", lambda t, raw=raw: (raw, ctype))
        for content_type in WRONG_CONTENT_TYPES:
            add(
                "structural",
                f"content-type-{content_type.split(';')[0]}",
                lambda t, c=content_type: (_json(t), c),
                field="Content-Type",
            )
        add("structural", "size-17KiB", lambda t: (_json({**t, "pad": "x" * 17 * 1024}), ctype))
        add("structural", "size-1MB", lambda t: (_json({**t, "pad": "x" * 1024 * 1024}), ctype))
        add(
            "structural",
            "extra-field",
            lambda t: (_json({**t, "is_admin": True}), ctype),
            field="is_admin",
        )
        for key in HOSTILE_KEYS:
            add(
                "structural",
                f"extra-key-{key[:12]}",
                lambda t, k=key: (_json({**t, k: 1}), ctype),
                echo=() if SAFE_KEY.fullmatch(key) else (key,),
            )
        for field_path in fields_of(template):
            name = dotted(field_path)
            if field_path[-1] not in endpoint.optional:
                add(
                    "structural",
                    f"missing-{name}",
                    lambda t, p=field_path: (_json(without(t, p)), ctype),
                    field=name,
                )
            value = _value_at(template, field_path)
            for type_name, wrong in WRONG_TYPES.items():
                if isinstance(value, list) and type_name == "list":
                    continue
                if isinstance(value, int) and not isinstance(value, bool) and type_name == "int":
                    continue
                add(
                    "structural",
                    f"type-{type_name}-{name}",
                    lambda t, p=field_path, w=wrong: (_json(with_value(t, p, w)), ctype),
                    field=name,
                )
            if isinstance(value, list):
                add(
                    "structural",
                    f"too-many-{name}",
                    lambda t, p=field_path, v=value: (_json(with_value(t, p, v * 3)), ctype),
                    field=name,
                )
                add(
                    "structural",
                    f"empty-list-{name}",
                    lambda t, p=field_path: (_json(with_value(t, p, [])), ctype),
                    field=name,
                )
                add(
                    "structural",
                    f"list-of-strings-{name}",
                    lambda t, p=field_path: (_json(with_value(t, p, ["a", "b", "c"])), ctype),
                    field=f"{name}.0",
                )
            if isinstance(value, int) and not isinstance(value, bool):
                add(
                    "structural",
                    f"numeric-string-{name}",
                    lambda t, p=field_path: (_json(with_value(t, p, "1")), ctype),
                    field=name,
                )
            if not isinstance(value, str):
                continue
            long_value = "L" * 10_000
            add(
                "structural",
                f"10000-chars-{name}",
                lambda t, p=field_path, v=long_value: (_json(with_value(t, p, v)), ctype),
                field=name,
                echo=(long_value[:64],),
            )
            add(
                "structural",
                f"lone-surrogate-{name}",
                lambda t, p=field_path: (_raw_with_string(t, p, "ab\\ud800cd"), ctype),
                field=name,
            )
            add(
                "structural",
                f"low-surrogate-{name}",
                lambda t, p=field_path: (_raw_with_string(t, p, "\\udfff"), ctype),
                field=name,
            )
            for hostile_name, hostile in HOSTILE_STRINGS.items():
                add(
                    "content",
                    f"{hostile_name}-{name}",
                    lambda t, p=field_path, h=hostile: (_json(with_value(t, p, h)), ctype),
                    echo=(hostile,) if hostile.strip() else (),
                )
    return cases


def _value_at(template: dict[str, Any], path: FieldPath) -> Any:
    value: Any = template
    for part in path:
        value = value[part]
    return value


SAMPLE_CTX = Ctx(
    school="",
    student="0000001",
    student_token="",
    parent_token="",
    teacher_token="",
    admin_token="",
    district_token="",
    claim_token="sample-claim-token",
    activation_key="{00000000-0000-0000-0000-000000000000}",
    taken_username="Sample1",
)
CASES = build_cases()


def _params(cases: list[Case]) -> list[Any]:
    return [pytest.param(case, id=f"{case.endpoint}:{case.name}") for case in cases]


# Checks shared by every case --------------------------------------------------------------------


def assert_no_echo(response: Any, values: tuple[str, ...]) -> None:
    """Neither the body nor any header carries back a hostile value, the canary or a token."""
    body = response.body.decode("utf-8", "replace")
    header_text = json.dumps(dict(response.headers), ensure_ascii=False)
    for value in values:
        escaped = json.dumps(value, ensure_ascii=False)[1:-1]
        ascii_escaped = json.dumps(value)[1:-1]
        for form in {value, escaped, ascii_escaped}:
            assert form not in body, f"echoed {value!r} in the body: {body[:300]}"
            assert form not in header_text, f"echoed {value!r} in a header"


def assert_coded_4xx(response: Any) -> dict[str, Any]:
    """A 4xx whose body is {"error": <known code>, "message": str, ...} with the code's status."""
    assert 400 <= response.status_code < 500, (response.status_code, response.body[:300])
    data = json.loads(response.body)
    assert isinstance(data, dict) and set(data) >= {"error", "message"}, data
    assert data["error"] in ERRORS, data
    assert isinstance(data["message"], str) and data["message"], data
    assert status_of(data["error"]) == response.status_code, data
    return data


def check_answer(method: str, path: str, response: Any, secrets_: tuple[str, ...]) -> None:
    assert response.status_code < 500, (method, path, response.status_code, response.body[:300])
    conform(method, path, response.status_code, response.headers, response.body)
    assert_no_echo(response, (*secrets_, CANARY))


# R6: POST and PUT bodies ------------------------------------------------------------------------


@pytest.mark.parametrize("case", _params(CASES))
def test_hostile_body(http: Http, ctx: Ctx, case: Case) -> None:
    endpoint = ENDPOINTS[case.endpoint]
    body, content_type = case.build(endpoint.body(ctx))
    headers = {"Content-Type": content_type}
    token = ctx.token(endpoint.auth)
    if token:
        headers["Authorization"] = f"Bearer {token}"
    response = http.request(endpoint.method, case.endpoint, headers=headers, body=body)
    secrets_ = (*case.echo, *([token] if token else []))
    check_answer(endpoint.method, case.endpoint, response, secrets_)
    if case.kind == "structural":
        data = assert_coded_4xx(response)
        assert response.status_code == 400 and data["error"] == "invalid_request", data
        if case.field is not None:
            if case.field in ("is_admin", "Content-Type") or "." not in case.field:
                assert data.get("field") == case.field, data
            else:  # nested: the first error may name a deeper part of the same item
                assert str(data.get("field", "")).startswith(case.field.split(".")[0]), data
    elif response.status_code >= 400:
        data = assert_coded_4xx(response)
        if response.status_code == 400:
            assert data.get("field"), f"a 400 for one hostile field should name it: {data}"


@pytest.mark.unit
def test_catalogue_covers_every_endpoint_with_a_body() -> None:
    spec = load_spec()
    with_body = {
        (method.upper(), path)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method in ("post", "put", "patch") and "requestBody" in operation
    }
    assert with_body == {(e.method, e.path) for e in ENDPOINTS.values()}
    assert len(CASES) > 800


# Body-less POSTs and GETs with hostile paths and queries -----------------------------------------

HOSTILE_SEGMENTS = (
    "..",
    "..%2F..%2Fetc%2Fpasswd",
    "%2e%2e%2f%2e%2e%2f",
    "%00",
    "0123456%00",
    "%20",
    "%09",
    "%1C",
    "%0d%0aX-Injected:%20yes",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "%27%20OR%201%3D1%20--",
    "%7B%22%24ne%22%3Anull%7D",
    "%EF%BC%90%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96",  # fullwidth 0123456
    "%ED%A0%80",  # an encoded lone surrogate
    "%FF%FE",
    "9" * 5000,
    "a" * 3000,
)
HOSTILE_DATES = (
    "garbage",
    "2026-02-30",
    "2026-13-01",
    "0000-00-00",
    "-1",
    "1e9",
    "2026-01-01T00:00:00",
    "%00",
    "%27%20OR%201%3D1%20--",
    "%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%96-01-01",
    "0001-01-01",
    "9999-12-31",
    "9" * 5000,
)
QUERY_TARGETS = (
    ("/claim/questions", "lang", None),
    ("/notices", "lang", "parent"),
    ("/staff/reset-tickets", "status", "teacher"),
    ("/staff/reset-tickets", "school", "teacher"),
)


def _path_cases() -> list[Any]:
    params = []
    for segment in HOSTILE_SEGMENTS:
        label = segment[:24]
        for kind in ("schedule", "attendance", "grades", "calendar"):
            params.append(
                pytest.param(
                    "GET",
                    f"/students/{segment}/{kind}",
                    "parent",
                    segment,
                    id=f"GET-students-{kind}-{label}",
                )
            )
        params.append(
            pytest.param(
                "POST",
                f"/notices/{segment}/read",
                "parent",
                segment,
                id=f"POST-notice-read-{label}",
            )
        )
        params.append(
            pytest.param(
                "POST",
                f"/staff/reset-tickets/{segment}/resolve",
                "admin",
                segment,
                id=f"POST-ticket-resolve-{label}",
            )
        )
        for action in ("reactivate", "temporary-password"):
            params.append(
                pytest.param(
                    "POST",
                    f"/staff/parents/{segment}/{action}",
                    "admin",
                    segment,
                    id=f"POST-parent-{action}-{label}",
                )
            )
    for value in HOSTILE_DATES:
        marks: list[Any] = []
        for name in ("from", "to"):
            params.append(
                pytest.param(
                    "GET",
                    f"/students/{{student}}/calendar?{name}={value}",
                    "parent",
                    value,
                    id=f"GET-calendar-{name}-{value[:20]}",
                    marks=[] if name == "to" else marks,
                )
            )
    for path, name, who in QUERY_TARGETS:
        for value in HOSTILE_SEGMENTS:
            params.append(
                pytest.param(
                    "GET",
                    f"{path}?{name}={value}",
                    who,
                    value,
                    id=f"GET-{path}-{name}-{value[:20]}",
                )
            )
    params.append(
        pytest.param(
            "GET",
            "/students/{student}/calendar?from=a&from=b",
            "parent",
            "a",
            id="GET-calendar-repeated-from",
        )
    )
    params.append(
        pytest.param(
            "GET",
            "/claim/questions?lang=" + "x" * 10_000,
            None,
            "x" * 10_000,
            id="GET-questions-long-lang",
        )
    )
    return params


@pytest.mark.parametrize(("method", "path", "who", "hostile"), _path_cases())
def test_hostile_path_and_query(
    http: Http, ctx: Ctx, method: str, path: str, who: str, hostile: str
) -> None:
    path = path.replace("{student}", ctx.student)
    token = ctx.token(who)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = http.request(method, path, headers=headers)
    assert response.status_code < 500, (response.status_code, response.body[:300])
    if _documented(method, path):
        check_answer(method, path, response, (token,) if token else ())
    if response.status_code >= 400:
        assert_coded_4xx(response)
        # An error never repeats what was sent (a 200 may show a date it normalised).
        value = unquote(hostile)
        assert_no_echo(response, (value,) if len(value.strip()) >= 4 else ())


def _documented(method: str, path: str) -> bool:
    bare = urlsplit(path).path
    return any(
        template_regex(t).match(bare) and method.lower() in item
        for t, item in load_spec()["paths"].items()
    )


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "bearer " + "x" * 5000,
        "Bearer a b c",
        "Bearer \u00e9\u00e8",
        "Bearer ' OR 1=1 --",
        'Bearer {"$ne": null}',
        "Bearer ../../etc/passwd",
    ],
)
def test_hostile_authorization_header(http: Http, ctx: Ctx, header: str) -> None:
    for method, path in (
        ("GET", "/me"),
        ("GET", f"/students/{ctx.student}/grades"),
        ("POST", "/logout"),
        ("GET", "/staff/reset-tickets"),
    ):
        response = http.request(method, path, headers={"Authorization": header})
        check_answer(method, path, response, (header,) if len(header) > 12 else ())
        if method == "POST":
            assert response.status_code == 204
        else:
            assert assert_coded_4xx(response)["error"] == "session_invalid"


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded"])
def test_body_less_posts_refuse_a_wrong_content_type(
    http: Http, ctx: Ctx, content_type: str
) -> None:
    for path in (
        "/logout",
        "/notices/x/read",
        "/staff/students/reset-all",
        "/staff/reset-tickets/x/resolve",
        "/staff/parents/abc/reactivate",
    ):
        response = http.post(
            path,
            headers={"Content-Type": content_type, "Authorization": f"Bearer {ctx.teacher_token}"},
            body=b"a=1",
        )
        check_answer("POST", path, response, (ctx.teacher_token,))
        assert assert_coded_4xx(response).get("field") == "Content-Type"


# S8: secrets never logged, never in error bodies --------------------------------------------------


def test_planted_secrets_never_reach_logs_or_error_bodies(
    http: Http, ctx: Ctx, caplog: pytest.LogCaptureFixture
) -> None:
    for name in ["", *logging.root.manager.loggerDict]:
        caplog.set_level(logging.DEBUG, logger=name)
    mark = secrets.token_hex(6)
    password = f"Planted-password-{mark}"
    new_password = f"Planted-new-password-{mark}"
    answer = f"Planted answer {mark}"
    wrong_answer = f"Planted wrong answer {mark}"
    fake_token = f"planted-session-{mark}"
    forged_line = f"\r\nFORGED-LOG-LINE-{mark}"
    seen: list[tuple[bytes, int, set[str]]] = []  # (body, status, secrets it may rightly hold)

    def call(
        method: str,
        path: str,
        payload: Any = None,
        token: str | None = None,
        allowed: str | None = None,
    ) -> Any:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        body = b"" if payload is None else _json(payload)
        response = http.request(method, path, headers=headers, body=body)
        assert response.status_code < 500, (path, response.body)
        seen.append((response.body, response.status_code, {allowed} if allowed else set()))
        return response

    # A student claims with a planted password and a planted free-text answer.
    sid = add_student("Quinn", "Harlow", school=ctx.school)
    start = call(
        "POST", "/claim/start", {"last_name": "Harlow", "first_name": "Quinn", "student_id": sid}
    )
    claim_token = json.loads(start.body)["claim_token"]
    seen[-1][2].add(claim_token)  # the answer that hands it out
    call(
        "POST",
        "/claim/password",
        {"claim_token": claim_token, "password": password, "password_confirm": password + "x"},
    )
    assert (
        call(
            "POST",
            "/claim/password",
            {"claim_token": claim_token, "password": password, "password_confirm": password},
        ).status_code
        == 200
    )
    bad_answers = [
        {"question_id": 2, "answer": wrong_answer},
        {"question_id": 3, "answer": wrong_answer},
        {"question_id": 7, "answer": wrong_answer},
    ]
    assert (
        call(
            "POST", "/claim/answers", {"claim_token": claim_token, "answers": bad_answers}
        ).status_code
        == 400
    )
    good_answers = [
        {"question_id": 2, "answer": answer},
        {"question_id": 7, "answer": "apple"},
        {"question_id": 8, "answer": "fall"},
    ]
    assert (
        call(
            "POST", "/claim/answers", {"claim_token": claim_token, "answers": good_answers}
        ).status_code
        == 200
    )

    # Logins: wrong and right passwords, a forged log line in the username.
    username = f"S{sid}"
    call("POST", "/login", {"username": username, "password": password + "-wrong"})
    call("POST", "/login", {"username": forged_line, "password": password})
    call("POST", "/login/identify", {"username": forged_line})
    logged_in = call("POST", "/login", {"username": username, "password": password})
    session_token = json.loads(logged_in.body)["session_token"]
    seen[-1][2].add(session_token)
    for path in (
        "/me",
        "/students",
        f"/students/{sid}/grades",
        "/me/access-log",
        f"/students/{session_token}/grades",
        f"/claim/questions?lang={session_token}",
    ):
        call("GET", path, token=session_token)
    call("GET", "/me", token=fake_token)
    call(
        "POST",
        "/claim/password",
        {"claim_token": session_token, "password": password, "password_confirm": password},
    )
    call(
        "POST",
        "/me/password",
        {
            "current_password": password + "-no",
            "new_password": new_password,
            "new_password_confirm": new_password,
        },
        session_token,
    )
    assert (
        call(
            "POST",
            "/me/password",
            {
                "current_password": password,
                "new_password": new_password,
                "new_password_confirm": new_password,
            },
            session_token,
        ).status_code
        == 204
    )

    # A reset with planted wrong answers.
    reset = json.loads(call("POST", "/reset/start", {"username": username}).body)
    seen[-1][2].add(reset["reset_token"])
    call(
        "POST",
        "/reset/answers",
        {
            "reset_token": reset["reset_token"],
            "answers": [
                {"question_id": q["id"], "answer": wrong_answer} for q in reset["questions"]
            ],
        },
    )
    call(
        "POST",
        "/reset/password",
        {
            "reset_token": reset["reset_token"],
            "password": new_password,
            "password_confirm": new_password,
        },
    )

    # An activation key: checked, used with a planted password, used again; a key-shaped fake.
    gid = f"gdn-planted-{mark}"
    _guardian(gid, [ctx.student])
    key = activation.issue(gid, "test")
    call("POST", "/activation/check", {"activation_key": key})
    call(
        "POST",
        "/activation/account",
        {
            "activation_key": key,
            "username": f"Planted{mark}",
            "password": password,
            "password_confirm": password,
        },
    )
    call(
        "POST",
        "/activation/account",
        {
            "activation_key": key,
            "username": f"Planted{mark}x",
            "password": password,
            "password_confirm": password,
        },
    )
    fake_key = "{" + secrets.token_hex(4).upper() + "-0000-0000-0000-" + "0" * 12 + "}"
    call("POST", "/activation/check", {"activation_key": fake_key})
    call("POST", "/logout", token=session_token)
    call("GET", "/me", token=session_token)

    planted = {
        "password": password,
        "new password": new_password,
        "answer": answer,
        "wrong answer": wrong_answer,
        "session token": session_token,
        "claim token": claim_token,
        "reset token": reset["reset_token"],
        "fake session token": fake_token,
        "activation key": key,
        "activation key (compact)": key.strip("{}").replace("-", ""),
        "fake activation key": fake_key,
    }
    records = caplog.records
    assert records, "nothing was logged at all: is caplog capturing?"
    log_text = "\n".join(
        [caplog.text]
        + [r.getMessage() for r in records]
        + [logging.Formatter().formatException(r.exc_info) for r in records if r.exc_info]
    )
    for what, value in planted.items():
        assert log_text.count(value) == 0, f"the {what} was logged"
        for body, status, allowed in seen:
            if status >= 400 or value not in allowed:
                assert value.encode() not in body, f"the {what} came back in a {status} body"
    assert f"\nFORGED-LOG-LINE-{mark}" not in log_text, "a log line could be forged"
