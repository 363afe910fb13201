"""functions/openapi.yaml: a valid OpenAPI 3 document that matches every route and response.

A realistic run through the app (chalice.test) touches every operation and most error statuses;
every response is checked against the document: its status must be listed for the operation,
its body must match that status's schema, and required headers must be there.
"""

from __future__ import annotations

import copy
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from chalicelib import activation, clock, noticeboard
from chalicelib.api.codes import ERRORS, status_of
from chalicelib.storage import db, tables

from .support.factories import ANSWERS, PASSWORD, login, staff_session, unique_student_id
from .support.openapi import METHODS, SPEC_PATH, conform, load_spec, resolve

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "portal" / "demo" / "sis"
PARENT_PASSWORD = "Lantern-orchard-velvet-81"
DEMO_SCHOOL = "mcgarrah-es"  # a school of the demo export the run imports
_tags = itertools.count(1)


# The document ---------------------------------------------------------------------------------


class CheckedClient:
    """chalice.test's HTTP client that checks every response against the document."""

    def __init__(self, http: Any) -> None:
        self.http = http
        self.seen: set[tuple[str, int]] = set()

    def request(
        self, method: str, path: str, headers: dict[str, str] | None = None, body: bytes = b""
    ) -> Any:
        response = self.http.request(method, path, headers=headers or {}, body=body)
        label = conform(method, path, response.status_code, response.headers, response.body)
        self.seen.add((label, response.status_code))
        return response

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Any:
        return self.request("POST", path, **kwargs)


# The run's data: its own school, students, guardians and staff --------------------------------


@dataclass
class World:
    """What one realistic run works with (nothing shared with other test modules)."""

    tag: str
    school: str
    student: str  # claimed in the run, with a copy of Greg's schedule, attendance and grades
    sibling: str  # linked to the guardians, left unclaimed
    stranger: str  # nobody's child in this run
    guardian: str
    guardian2: str
    notice: str
    staff: dict[str, str] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)


def _put_student(
    sid: str, given: str, family: str, school: str, household: str, hours_ago: float = 72
) -> None:
    tables.put_item(
        "sis",
        {
            "pk": f"student#{sid}",
            "sk": "profile",
            "gsi1pk": f"sourced#stu-oa-{sid}",
            "gsi1sk": "student",
            "student_id": sid,
            "sourced_id": f"stu-oa-{sid}",
            "given_name": given,
            "family_name": family,
            "middle_name": "Thị",
            "school": school,
            "school_name": "École Oaks Elementary",
            "grade": "04",
            "years": [2027, 2028],
            "active": True,
            "first_seen_at": int(clock.now() - hours_ago * 3600),
            "language": "fr",
            "household": household,
        },
    )


def _put_guardian(gid: str, given: str, household: str, students: list[str]) -> None:
    tables.put_item(
        "sis",
        {
            "pk": f"guardian#{gid}",
            "sk": "profile",
            "sourced_id": gid,
            "given_name": given,
            "family_name": "Nguyễn-Oaks",
            "role": "parent",
            "email": f"{gid}@example.org",
            "language": "fr",
            "active": True,
            "household": household,
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


def build_world() -> World:
    """Import the demo (terms, schools), then add this run's own family and school."""
    from portal.sis.importer import import_export

    import_export(DEMO, entered_at=datetime.now(tz=UTC) - timedelta(hours=48), progress=False)
    tag = f"{unique_student_id()}-{next(_tags)}"
    school = f"org-oa-{tag}"
    household = f"hh-oa-{tag}"
    student, sibling, stranger = (unique_student_id() for _ in range(3))
    _put_student(student, "Léa", "Oaks", school, household)
    _put_student(sibling, "Minh", "Oaks", school, household)
    _put_student(stranger, "Zed", "Elsewhere", school, f"hh-other-{tag}")
    # Greg's schedule, attendance and gradebook, as the importer wrote them, for our student.
    rows = [r for r in db.query("sis", "pk", "student#0123456") if r["sk"] != "profile"]
    assert rows, "the demo export should give Greg a schedule"
    for row in rows:
        tables.put_item("sis", {**row, "pk": f"student#{student}"})
    guardian, guardian2 = f"gdn-oa-{tag}", f"gdn-oa2-{tag}"
    _put_guardian(guardian, "Ada", household, [student, sibling])
    _put_guardian(guardian2, "Bao", household, [student])
    tables.put_item(
        "sis",
        {
            "pk": f"household#{household}",
            "sk": "profile",
            "phone": "(770) 555-0199",
            "primary_address": "1 Oak Lane, Atlanta, GA",
            "mailing_address": "PO Box 7, Atlanta, GA",
            "members": [guardian, guardian2, f"stu-oa-{student}", f"stu-oa-{sibling}"],
        },
    )
    notice = f"oa-notice-{tag}"
    for lang, title in (("en", "Picture day"), ("fr", "Journée photo")):
        noticeboard.publish(notice, lang, "2026-09-15", title, f"{title}: 9 am.", school, "Oaks")
    return World(tag, school, student, sibling, stranger, guardian, guardian2, notice)


@pytest.fixture(scope="module")
def world(dynamodb: str) -> Iterator[World]:
    yield build_world()


@pytest.fixture(scope="module")
def checked(chalice_app: Any) -> Iterator[CheckedClient]:
    """One checking client for the module, so the last test can see what was covered."""
    from chalice.test import Client

    with Client(chalice_app, stage_name="local", project_dir=str(ROOT / "functions")) as client:
        yield CheckedClient(client.http)


def send(
    api: CheckedClient,
    method: str,
    path: str,
    payload: Any = None,
    token: str | None = None,
    raw: bytes | None = None,
    **headers: str,
) -> Any:
    """One request through the checking client; JSON payloads are encoded here."""
    all_headers = dict(headers)
    if payload is not None or raw is not None:
        all_headers.setdefault("Content-Type", "application/json")
    if token:
        all_headers["Authorization"] = f"Bearer {token}"
    data = raw if raw is not None else (b"" if payload is None else json.dumps(payload).encode())
    return api.request(method, path, headers=all_headers, body=data)


def expect(response: Any, status: int, code: str | None = None) -> Any:
    """Assert a status (and error code); return the decoded body (None when empty)."""
    data = json.loads(response.body) if response.body else None
    assert response.status_code == status, (status, response.status_code, data)
    if code is not None:
        assert data["error"] == code, data
    return data


# The document itself ---------------------------------------------------------------------------


@pytest.mark.unit
def test_document_is_valid_openapi() -> None:
    from openapi_spec_validator import validate

    validate(load_spec())


def test_every_route_is_documented_and_nothing_else(chalice_app: Any) -> None:
    routes = {
        (path, method.upper()) for path, entries in chalice_app.routes.items() for method in entries
    }
    documented = {
        (path, method.upper())
        for path, item in load_spec()["paths"].items()
        for method in item
        if method in METHODS
    }
    assert routes - documented == set(), "routes missing from the document"
    assert documented - routes == set(), "documented operations the app does not have"


@pytest.mark.unit
def test_error_codes_match_the_catalogue() -> None:
    """Each documented error code exists, under the status the API gives it."""
    spec = load_spec()
    catalogue = set(spec["components"]["schemas"]["Error"]["properties"]["error"]["enum"])
    # internal_error and method_not_allowed are not part of any operation's contract.
    assert catalogue == set(ERRORS) - {"internal_error", "method_not_allowed"}
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            for status, response in resolve(operation["responses"]).items():
                schema = response.get("content", {}).get("application/json", {}).get("schema", {})
                enums = [
                    part["properties"]["error"]["enum"]
                    for part in schema.get("allOf", [])
                    # the narrowing part of allOf, not the shared Error schema
                    if "error" in part.get("properties", {}) and "message" not in part["properties"]
                ]
                for code in itertools.chain.from_iterable(enums):
                    assert code in catalogue, (method, path, code)
                    assert status_of(code) == int(status), (method, path, status, code)
                if int(status) >= 400:
                    assert enums, f"{method.upper()} {path} {status}: codes not enumerated"


@pytest.mark.unit
def test_operations_are_described() -> None:
    for path, item in load_spec()["paths"].items():
        for method, operation in item.items():
            assert operation.get("summary") and operation.get("operationId"), (method, path)
            assert "503" in operation["responses"], (method, path)
            needs_session = method != "post" or path != "/logout"
            if operation.get("security") and needs_session:
                assert "401" in operation["responses"], (method, path)


@pytest.mark.unit
def test_the_checker_catches_violations() -> None:
    """The helper every other test relies on fails on an undocumented status or shape."""
    ok = json.dumps({"status": "ok", "version": "1", "database": "ok"}).encode()
    json_type = {"Content-Type": "application/json"}
    conform("GET", "/health", 200, json_type, ok)
    bad_cases = [
        (418, ok),
        (200, json.dumps({"status": "ok"}).encode()),
        (200, json.dumps({"status": "ok", "version": "1", "database": "ok", "x": 1}).encode()),
        (400, json.dumps({"error": "claim_failed", "message": "x"}).encode()),
    ]
    for status, body in bad_cases:
        with pytest.raises(pytest.fail.Exception):
            conform("GET", "/health", status, json_type, body)
    with pytest.raises(pytest.fail.Exception):
        conform("POST", "/logout", 204, {}, b"{}")
    with pytest.raises(pytest.fail.Exception):
        conform("GET", "/students/0123456/attendance", 200, json_type, b'{"student_id": "1"}')


# A realistic run -------------------------------------------------------------------------------


def test_health_and_questions(checked: CheckedClient, monkeypatch: pytest.MonkeyPatch) -> None:
    assert expect(send(checked, "GET", "/health"), 200)["status"] == "ok"
    expect(send(checked, "GET", "/health", **{"Content-Type": "text/plain"}), 400)
    questions = expect(send(checked, "GET", "/claim/questions"), 200)["questions"]
    assert [q["id"] for q in questions] == list(range(1, 9))
    expect(send(checked, "GET", "/claim/questions?lang=fr"), 200)
    expect(send(checked, "GET", "/claim/questions", **{"Content-Type": "text/csv"}), 400)
    expect(send(checked, "GET", "/claim/questions", **{"Accept-Language": "vi-VN,vi;q=0.9"}), 200)

    from chalicelib import storage
    from chalicelib.errors import StorageUnavailable

    def down() -> None:
        raise StorageUnavailable("test")

    monkeypatch.setattr(storage, "ping", down)
    expect(send(checked, "GET", "/health"), 503, "unavailable")


def test_claim(checked: CheckedClient, world: World) -> None:
    names = {"last_name": "Oaks", "first_name": "Léa"}
    start = {**names, "student_id": world.student}
    expect(
        send(checked, "POST", "/claim/start", {**names, "student_id": f"S{world.student}"}),
        400,
        "student_id_format",
    )
    expect(
        send(checked, "POST", "/claim/start", {**start, "first_name": "Lea"}), 403, "claim_failed"
    )
    expect(send(checked, "POST", "/claim/start", {**start, "extra": 1}), 400, "invalid_request")
    fresh = unique_student_id()
    _put_student(fresh, "New", "Comer", world.school, f"hh-new-{world.tag}", hours_ago=1)
    not_open = expect(
        send(
            checked,
            "POST",
            "/claim/start",
            {"last_name": "Comer", "first_name": "New", "student_id": fresh},
        ),
        403,
        "claim_not_open",
    )
    assert not_open["opens_at"].endswith("Z")

    token = expect(send(checked, "POST", "/claim/start", start), 200)["claim_token"]
    late = expect(send(checked, "POST", "/claim/start", start), 200)["claim_token"]
    no_password = expect(send(checked, "POST", "/claim/start", start), 200)["claim_token"]
    expect(
        send(
            checked,
            "POST",
            "/claim/password",
            {"claim_token": "nope", "password": PASSWORD, "password_confirm": PASSWORD},
        ),
        401,
        "claim_token_invalid",
    )
    for password, confirm, code in (
        (PASSWORD, PASSWORD + "x", "password_mismatch"),
        ("short", "short", "password_too_short"),
        ("password123", "password123", "password_too_common"),
        (f"Oaks-{world.student}", f"Oaks-{world.student}", "password_contains_personal_info"),
    ):
        rejected = expect(
            send(
                checked,
                "POST",
                "/claim/password",
                {"claim_token": token, "password": password, "password_confirm": confirm},
            ),
            400,
            code,
        )
        assert rejected["field"] in ("password", "password_confirm")
    for claim_token in (token, late):
        expect(
            send(
                checked,
                "POST",
                "/claim/password",
                {"claim_token": claim_token, "password": PASSWORD, "password_confirm": PASSWORD},
            ),
            200,
        )
    expect(
        send(checked, "POST", "/claim/answers", {"claim_token": no_password, "answers": ANSWERS}),
        400,
        "invalid_request",
    )
    expect(
        send(checked, "POST", "/claim/answers", {"claim_token": token, "answers": ANSWERS[:2]}),
        400,
        "answers_invalid",
    )
    expect(
        send(
            checked,
            "POST",
            "/claim/answers",
            {"claim_token": token, "answers": [{**ANSWERS[0], "answer": "Smarch"}, *ANSWERS[1:]]},
        ),
        400,
        "answers_invalid",
    )
    expect(
        send(checked, "POST", "/claim/answers", {"claim_token": "x" * 40, "answers": ANSWERS}),
        401,
        "claim_token_invalid",
    )
    done = expect(
        send(checked, "POST", "/claim/answers", {"claim_token": token, "answers": ANSWERS}), 200
    )
    assert done == {"username": f"S{world.student}", "status": "claimed"}
    expect(
        send(checked, "POST", "/claim/answers", {"claim_token": late, "answers": ANSWERS}),
        409,
        "already_claimed",
    )
    expect(send(checked, "POST", "/claim/start", start), 409, "already_claimed")


def test_login_and_own_account(checked: CheckedClient, world: World) -> None:
    username = f"S{world.student}"
    assert expect(send(checked, "POST", "/login/identify", {"username": username}), 200) == {
        "next": "password"
    }
    expect(
        send(checked, "POST", "/login/identify", {"username": "no spaces here"}),
        400,
        "invalid_request",
    )
    expect(
        send(checked, "POST", "/login", {"username": username, "password": "Wrong-pass-1"}),
        401,
        "authentication_failed",
    )
    expect(send(checked, "POST", "/login", raw=b'{"username": '), 400, "invalid_request")
    session = expect(
        send(checked, "POST", "/login", {"username": username.lower(), "password": PASSWORD}), 200
    )
    assert session["role"] == "student" and session["must_change_password"] is False
    token = session["session_token"]
    world.tokens["student"] = token
    profile = expect(send(checked, "GET", "/me", token=token), 200)
    assert profile["students"] == [world.student]
    expect(send(checked, "GET", "/me"), 401, "session_invalid")
    expect(send(checked, "GET", "/me", token="not-a-session"), 401, "session_invalid")
    entries = expect(send(checked, "GET", "/me/access-log", token=token), 200)["entries"]
    assert [e["success"] for e in entries[:2]] == [True, False]
    expect(send(checked, "GET", "/me/access-log"), 401, "session_invalid")

    change = {
        "current_password": "Not-the-password-9",
        "new_password": "Fresh-meadow-tulip-5",
        "new_password_confirm": "Fresh-meadow-tulip-5",
    }
    expect(send(checked, "POST", "/me/password", change, token), 401, "authentication_failed")
    expect(send(checked, "POST", "/me/password", change), 401, "session_invalid")
    mismatch = {**change, "current_password": PASSWORD, "new_password_confirm": "other-9-x"}
    expect(send(checked, "POST", "/me/password", mismatch, token), 400, "password_mismatch")
    expect(
        send(checked, "POST", "/me/password", {"current_password": PASSWORD}, token),
        400,
        "invalid_request",
    )
    expect(
        send(checked, "POST", "/me/password", {**change, "current_password": PASSWORD}, token), 204
    )
    # The session that changed the password goes on; put the shared password back.
    back = {
        "current_password": "Fresh-meadow-tulip-5",
        "new_password": PASSWORD + "!",
        "new_password_confirm": PASSWORD + "!",
    }
    expect(send(checked, "POST", "/me/password", back, token), 204)
    world.tokens["student_password"] = PASSWORD + "!"

    other = login(checked, username, PASSWORD + "!")["session_token"]
    expect(send(checked, "POST", "/logout", token=other), 204)
    expect(send(checked, "GET", "/me", token=other), 401, "session_invalid")
    expect(send(checked, "POST", "/logout"), 204)
    expect(
        send(checked, "POST", "/logout", raw=b"x", **{"Content-Type": "text/plain"}),
        400,
        "invalid_request",
    )


def test_student_slowed_down(checked: CheckedClient, world: World) -> None:
    username = f"S{unique_student_id()}"  # nobody's: counted like a student
    statuses = []
    for _ in range(12):
        response = send(checked, "POST", "/login", {"username": username, "password": "x-y-z-1"})
        statuses.append(response.status_code)
        if response.status_code == 429:
            data = expect(response, 429, "too_many_attempts")
            assert data["retry_after"] >= 1
            assert response.headers["Retry-After"] == str(data["retry_after"])
            break
    assert statuses[:5] == [401] * 5 and statuses[-1] == 429, statuses


def test_reset(checked: CheckedClient, world: World) -> None:
    username = f"S{world.student}"
    started = expect(send(checked, "POST", "/reset/start?lang=es", {"username": username}), 200)
    assert sorted(q["id"] for q in started["questions"]) == [1, 7, 8]
    decoy = expect(send(checked, "POST", "/reset/start", {"username": "nobody-here"}), 200)
    assert len(decoy["questions"]) == 3
    expect(send(checked, "POST", "/reset/start", {"user": username}), 400, "invalid_request")
    token = started["reset_token"]
    wrong = [{**ANSWERS[0], "answer": "june"}, *ANSWERS[1:]]
    expect(
        send(checked, "POST", "/reset/answers", {"reset_token": token, "answers": wrong}),
        401,
        "reset_failed",
    )
    expect(
        send(checked, "POST", "/reset/answers", {"reset_token": "zz", "answers": ANSWERS}),
        401,
        "reset_token_invalid",
    )
    expect(
        send(checked, "POST", "/reset/answers", {"reset_token": token, "answers": ANSWERS[:2]}),
        400,
        "invalid_request",
    )
    next_token = expect(
        send(checked, "POST", "/reset/answers", {"reset_token": token, "answers": ANSWERS}), 200
    )["reset_token"]
    expect(
        send(
            checked,
            "POST",
            "/reset/password",
            {"reset_token": next_token, "password": "short", "password_confirm": "short"},
        ),
        400,
        "password_too_short",
    )
    expect(
        send(
            checked,
            "POST",
            "/reset/password",
            {"reset_token": token, "password": PASSWORD, "password_confirm": PASSWORD},
        ),
        401,
        "reset_token_invalid",
    )
    new_password = "Reset-harbor-pebble-6"
    done = expect(
        send(
            checked,
            "POST",
            "/reset/password",
            {"reset_token": next_token, "password": new_password, "password_confirm": new_password},
        ),
        200,
    )
    assert done == {"username": username}
    world.tokens["student"] = login(checked, username, new_password)["session_token"]
    # Five failed attempts block self-service reset.
    blocked = expect(send(checked, "POST", "/reset/start", {"username": username}), 200)
    for _ in range(5):
        expect(
            send(
                checked,
                "POST",
                "/reset/answers",
                {"reset_token": blocked["reset_token"], "answers": wrong},
            ),
            401,
        )
    limited = send(
        checked,
        "POST",
        "/reset/answers",
        {"reset_token": blocked["reset_token"], "answers": ANSWERS},
    )
    expect(limited, 429, "too_many_attempts")


def test_activation_and_parent_accounts(checked: CheckedClient, world: World) -> None:
    teacher = staff_session(checked, "teacher", school=world.school)
    admin = staff_session(checked, "school_admin", school=world.school)
    outsider = staff_session(checked, "school_admin", school=f"org-elsewhere-{world.tag}")
    world.staff.update(teacher=teacher, admin=admin)
    key_body = {"guardian_id": world.guardian}
    expect(send(checked, "POST", "/staff/activation-keys", key_body, teacher), 403, "forbidden")
    expect(send(checked, "POST", "/staff/activation-keys", key_body, outsider), 403, "forbidden")
    expect(
        send(checked, "POST", "/staff/activation-keys", {"guardian_id": "gdn-nobody-x"}, admin),
        404,
        "not_found",
    )
    expect(
        send(checked, "POST", "/staff/activation-keys", {"guardian": "x"}, admin),
        400,
        "invalid_request",
    )
    expect(send(checked, "POST", "/staff/activation-keys", key_body), 401, "session_invalid")
    key = expect(send(checked, "POST", "/staff/activation-keys", key_body, admin), 201)[
        "activation_key"
    ]
    assert expect(
        send(checked, "POST", "/activation/check", {"activation_key": key.lower()}), 200
    ) == {"valid": True}
    expect(
        send(
            checked,
            "POST",
            "/activation/check",
            {"activation_key": "{00000000-0000-0000-0000-000000000000}"},
        ),
        404,
        "activation_key_invalid",
    )
    expect(send(checked, "POST", "/activation/check", {"activation_key": 7}), 400)
    username = f"Ada{world.tag.replace('-', '')}"[:30]
    account = {
        "activation_key": key,
        "username": username,
        "password": PARENT_PASSWORD,
        "password_confirm": PARENT_PASSWORD,
    }
    expect(
        send(checked, "POST", "/activation/account", {**account, "username": "S1234567"}),
        400,
        "username_invalid",
    )
    expect(
        send(
            checked,
            "POST",
            "/activation/account",
            {**account, "password": "Nguyễn-Oaks-1", "password_confirm": "Nguyễn-Oaks-1"},
        ),
        400,
        "password_contains_personal_info",
    )
    assert expect(send(checked, "POST", "/activation/account", account), 201) == {
        "username": username
    }
    expect(send(checked, "POST", "/activation/account", account), 404, "activation_key_invalid")
    second_key = activation.issue(world.guardian2, "test")
    expect(
        send(
            checked,
            "POST",
            "/activation/account",
            {**account, "activation_key": second_key, "username": username.lower()},
        ),
        409,
        "username_taken",
    )
    world.tokens["parent_username"] = username

    session = expect(
        send(checked, "POST", "/login", {"username": username, "password": PARENT_PASSWORD}), 200
    )
    assert session["role"] == "parent"
    world.tokens["parent"] = session["session_token"]

    # Locked after 5 failures; a school admin reactivates.
    for _ in range(5):
        expect(send(checked, "POST", "/login", {"username": username, "password": "no-1-no"}), 401)
    expect(
        send(checked, "POST", "/login", {"username": username, "password": PARENT_PASSWORD}),
        423,
        "account_disabled",
    )
    expect(
        send(checked, "POST", f"/staff/parents/{username}/reactivate", token=teacher),
        403,
        "forbidden",
    )
    expect(
        send(checked, "POST", f"/staff/parents/{username}/reactivate", token=outsider),
        403,
        "forbidden",
    )
    expect(
        send(checked, "POST", "/staff/parents/nobody123/reactivate", token=admin), 404, "not_found"
    )
    expect(send(checked, "POST", f"/staff/parents/{username}/reactivate"), 401)
    reactivated = expect(
        send(checked, "POST", f"/staff/parents/{username}/reactivate", token=admin), 200
    )
    assert reactivated == {"username": username, "status": "active"}

    # A temporary password must be changed before anything else.
    expect(
        send(checked, "POST", f"/staff/parents/{username}/temporary-password", token=teacher),
        403,
        "forbidden",
    )
    expect(send(checked, "POST", "/staff/parents/nobody123/temporary-password", token=admin), 404)
    temporary = expect(
        send(checked, "POST", f"/staff/parents/{username}/temporary-password", token=admin), 200
    )["temporary_password"]
    limited = expect(
        send(checked, "POST", "/login", {"username": username, "password": temporary}), 200
    )
    assert limited["must_change_password"] is True
    limited_token = limited["session_token"]
    for method, path in (
        ("GET", "/me"),
        ("GET", "/me/access-log"),
        ("PUT", "/me/language"),
        ("GET", "/students"),
        ("GET", f"/students/{world.student}/schedule"),
        ("GET", f"/students/{world.student}/attendance"),
        ("GET", f"/students/{world.student}/grades"),
        ("GET", f"/students/{world.student}/calendar"),
        ("GET", "/household"),
        ("GET", "/notices"),
        ("POST", f"/notices/{world.notice}/read"),
        ("GET", "/staff/reset-tickets"),
        ("POST", "/staff/students/reset-all"),
    ):
        expect(send(checked, method, path, token=limited_token), 403, "password_change_required")
    expect(
        send(
            checked,
            "POST",
            "/me/password",
            {
                "current_password": temporary,
                "new_password": PARENT_PASSWORD + "2",
                "new_password_confirm": PARENT_PASSWORD + "2",
            },
            limited_token,
        ),
        204,
    )
    world.tokens["parent"] = limited_token
    expect(send(checked, "GET", "/me", token=limited_token), 200)


def test_portal_lookups(checked: CheckedClient, world: World) -> None:
    parent, student = world.tokens["parent"], world.tokens["student"]
    profile = expect(send(checked, "GET", "/me", token=parent), 200)
    assert profile["role"] == "parent" and profile["students"] == sorted(
        [world.student, world.sibling]
    )
    assert profile["language"] == "fr"  # the SIS's, none chosen yet
    for bad in ({"language": "de"}, {"language": None}, {}):
        expect(send(checked, "PUT", "/me/language", bad, parent), 400, "invalid_request")
    expect(send(checked, "PUT", "/me/language", {"language": "fr"}), 401, "session_invalid")
    expect(send(checked, "PUT", "/me/language", {"language": "vi"}, parent), 204)
    assert expect(send(checked, "GET", "/me", token=parent), 200)["language"] == "vi"
    expect(send(checked, "PUT", "/me/language", {"language": "fr"}, parent), 204)  # SIS's again
    listed = expect(send(checked, "GET", "/students", token=parent), 200)["students"]
    assert {s["student_id"] for s in listed} == {world.student, world.sibling}
    assert (
        expect(send(checked, "GET", "/students", token=student), 200)["students"][0]["student_id"]
        == world.student
    )
    expect(send(checked, "GET", "/students"), 401, "session_invalid")
    for token in (parent, student):
        schedule = expect(
            send(checked, "GET", f"/students/{world.student}/schedule", token=token), 200
        )
        assert schedule["classes"] and schedule["terms"]
        attendance = expect(
            send(checked, "GET", f"/students/{world.student}/attendance", token=token), 200
        )
        assert attendance["entries"]
        grades = expect(send(checked, "GET", f"/students/{world.student}/grades", token=token), 200)
        assert grades["classes"]
        calendar = expect(
            send(
                checked,
                "GET",
                f"/students/{world.student}/calendar?from=2026-07-01&to=2027-06-30",
                token=token,
            ),
            200,
        )
        assert calendar["days"]
        expect(send(checked, "GET", f"/students/{world.student}/calendar", token=token), 200)
    for kind in ("schedule", "attendance", "grades", "calendar"):
        expect(
            send(checked, "GET", f"/students/{world.stranger}/{kind}", token=parent),
            404,
            "not_found",
        )
        expect(
            send(checked, "GET", f"/students/{world.sibling}/{kind}", token=student),
            404,
            "not_found",
        )
        expect(send(checked, "GET", f"/students/{world.student}/{kind}"), 401)
    for query, at_fault in (
        ("from=garbage", "from"),
        ("from=2026-09-01&to=2026-08-01", "to"),
        ("from=2020-01-01&to=2026-01-01", "to"),
    ):
        bad = expect(
            send(checked, "GET", f"/students/{world.student}/calendar?{query}", token=parent),
            400,
            "invalid_request",
        )
        assert bad["field"] == at_fault
    households = expect(send(checked, "GET", "/household", token=parent), 200)["households"]
    assert households[0]["phone"] == "(770) 555-0199"
    assert {m["role"] for m in households[0]["members"]} == {"parent", "student"}
    expect(send(checked, "GET", "/household", token=student), 200)
    expect(send(checked, "GET", "/household"), 401)

    notices = expect(send(checked, "GET", "/notices", token=parent), 200)
    mine = [n for n in notices["school"] if n["id"] == world.notice]
    assert mine and mine[0]["title"] == "Journée photo" and mine[0]["new"] is True  # SIS: fr
    english = expect(send(checked, "GET", "/notices?lang=en", token=parent), 200)["school"]
    assert [n["title"] for n in english if n["id"] == world.notice] == ["Picture day"]
    expect(send(checked, "POST", f"/notices/{world.notice}/read", token=parent), 204)
    after = expect(send(checked, "GET", "/notices", token=parent), 200)["school"]
    assert [n["new"] for n in after if n["id"] == world.notice] == [False]
    expect(send(checked, "POST", "/notices/no-such-notice/read", token=parent), 404, "not_found")
    expect(send(checked, "POST", f"/notices/{world.notice}/read"), 401)
    expect(send(checked, "GET", "/notices", token=student, **{"Accept-Language": "vi"}), 200)
    expect(send(checked, "GET", "/notices"), 401)


def test_staff_tickets(checked: CheckedClient, world: World) -> None:
    teacher = world.staff.get("teacher") or staff_session(checked, "teacher", school=world.school)
    technician = staff_session(checked, "technician", school=world.school)
    district = staff_session(checked, "district_admin")
    parent = world.tokens["parent"]
    staff_profile = expect(send(checked, "GET", "/me", token=teacher), 200)
    assert staff_profile["role"] == "staff" and staff_profile["students"] == []
    assert staff_profile["staff_role"] == "teacher" and staff_profile["school"] == world.school
    expect(send(checked, "GET", "/students", token=teacher), 200)
    expect(send(checked, "GET", f"/students/{world.student}/grades", token=teacher), 404)
    expect(send(checked, "GET", "/household", token=teacher), 200)
    expect(send(checked, "GET", "/notices", token=teacher), 200)

    body = {"student_id": world.student, "reason": "Forgot the answers"}
    expect(send(checked, "POST", "/staff/reset-tickets", body, parent), 403, "forbidden")
    expect(
        send(checked, "POST", "/staff/reset-tickets", {"student_id": "12345"}, teacher),
        400,
        "student_id_format",
    )
    expect(
        send(checked, "POST", "/staff/reset-tickets", {"reason": "x"}, teacher),
        400,
        "invalid_request",
    )
    expect(
        send(checked, "POST", "/staff/reset-tickets", {"student_id": "0000000"}, teacher),
        404,
        "not_found",
    )
    expect(send(checked, "POST", "/staff/reset-tickets", body), 401, "session_invalid")
    opened = expect(send(checked, "POST", "/staff/reset-tickets", body, teacher), 201)
    assert opened["status"] == "open"

    tickets = expect(send(checked, "GET", "/staff/reset-tickets?status=open", token=teacher), 200)
    assert [t["ticket_id"] for t in tickets["tickets"]] == [opened["ticket_id"]]
    expect(send(checked, "GET", "/staff/reset-tickets?status=maybe", token=teacher), 400)
    expect(send(checked, "GET", "/staff/reset-tickets", token=district), 400, "invalid_request")
    expect(send(checked, "GET", f"/staff/reset-tickets?school={world.school}", token=district), 200)
    expect(send(checked, "GET", "/staff/reset-tickets", token=parent), 403, "forbidden")
    expect(send(checked, "GET", "/staff/reset-tickets"), 401)

    resolve = f"/staff/reset-tickets/{opened['ticket_id']}/resolve"
    expect(send(checked, "POST", resolve, token=teacher), 403, "forbidden")
    expect(
        send(
            checked,
            "POST",
            "/staff/reset-tickets/00000000-0000-4000-8000-000000000000/resolve",
            token=technician,
        ),
        404,
        "not_found",
    )
    expect(send(checked, "POST", resolve), 401)
    resolved = expect(send(checked, "POST", resolve, token=technician), 200)
    assert resolved["status"] == "resolved" and resolved["resolved_at"]
    assert expect(send(checked, "POST", resolve, token=technician), 200)["status"] == "resolved"
    done = expect(send(checked, "GET", "/staff/reset-tickets?status=resolved", token=teacher), 200)
    assert opened["ticket_id"] in {t["ticket_id"] for t in done["tickets"]}
    # The student's account is unclaimed: their session has ended.
    expect(send(checked, "GET", "/me", token=world.tokens["student"]), 401, "session_invalid")

    expect(send(checked, "POST", "/staff/students/reset-all", token=technician), 403, "forbidden")
    expect(send(checked, "POST", "/staff/students/reset-all", token=parent), 403, "forbidden")
    expect(send(checked, "POST", "/staff/students/reset-all"), 401, "session_invalid")
    generation = expect(send(checked, "POST", "/staff/students/reset-all", token=district), 200)
    assert generation["status"] == "reset"


def test_staff_mfa_and_accounts(checked: CheckedClient, world: World) -> None:
    teacher = world.staff.get("teacher") or staff_session(checked, "teacher", school=world.school)
    district = staff_session(checked, "district_admin")  # enrolls: enroll and confirm answer 200
    bogus = {"mfa_token": "not-a-token", "code": "123456"}
    expect(send(checked, "POST", "/login/mfa", bogus), 401, "mfa_token_invalid")
    expect(send(checked, "POST", "/login/mfa/enroll", {"mfa_token": "x"}), 401, "mfa_token_invalid")
    expect(send(checked, "POST", "/login/mfa/confirm", bogus), 401, "mfa_token_invalid")
    expect(send(checked, "POST", "/login/mfa", {"mfa_token": "x"}), 400, "invalid_request")

    expect(send(checked, "GET", "/staff/accounts", token=teacher), 403, "forbidden")
    expect(send(checked, "GET", "/staff/accounts"), 401, "session_invalid")
    listed = expect(send(checked, "GET", "/staff/accounts", token=district), 200)
    assert listed["accounts"]
    name = f"oa.principal.{world.tag}"
    new = {"username": name, "role": "school_admin", "school": DEMO_SCHOOL}
    expect(send(checked, "POST", "/staff/accounts", new, teacher), 403, "forbidden")
    bad_school = {**new, "school": "org-nowhere"}
    expect(send(checked, "POST", "/staff/accounts", bad_school, district), 400, "invalid_request")
    created = expect(send(checked, "POST", "/staff/accounts", new, district), 201)
    assert created["username"] == name and created["temporary_password"]
    expect(send(checked, "POST", "/staff/accounts", new, district), 409, "username_taken")
    first = expect(
        send(
            checked, "POST", "/login", {"username": name, "password": created["temporary_password"]}
        ),
        200,
    )
    assert first["mfa_required"] is True and first["enrolled"] is False
    enrolled = expect(
        send(checked, "POST", "/login/mfa/enroll", {"mfa_token": first["mfa_token"]}), 200
    )
    wrong = {"mfa_token": first["mfa_token"], "code": _not_now(enrolled["secret"])}
    expect(send(checked, "POST", "/login/mfa/confirm", wrong), 401, "mfa_failed")

    for action in ("mfa-reset", "disable"):
        path = f"/staff/accounts/{name}/{action}"
        expect(send(checked, "POST", path, token=teacher), 403, "forbidden")
        expect(
            send(checked, "POST", f"/staff/accounts/nobody-{world.tag}/{action}", token=district),
            404,
        )
        expect(send(checked, "POST", path, token=district), 200)


def _not_now(secret: str) -> str:
    """A 6-digit code that is no TOTP code of the secret around now."""
    import pyotp

    totp = pyotp.TOTP(secret)
    valid = {totp.at(clock.now() + drift) for drift in (-30, 0, 30)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in valid)


def test_every_operation_was_exercised(checked: CheckedClient) -> None:
    """Runs last: each documented operation answered at least one 2xx and one 4xx."""
    spec = load_spec()
    operations = {
        f"{method.upper()} {path}"
        for path, item in spec["paths"].items()
        for method in item
        if method in METHODS
    }
    succeeded = {label for label, status in checked.seen if status < 300}
    refused = {label for label, status in checked.seen if 400 <= status < 500}
    assert operations - succeeded == set(), "operations never answered 2xx"
    assert operations - refused == set(), "operations never answered 4xx"
    statuses = {status for _, status in checked.seen}
    assert {200, 201, 204, 400, 401, 403, 404, 409, 423, 429, 503} <= statuses
    # Deep-copied schemas: the document itself was not mutated by the checks.
    assert copy.deepcopy(spec) == yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
