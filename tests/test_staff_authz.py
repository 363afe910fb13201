"""Authorization before existence: on every staff route a caller without the role gets one
identical 403 whether the target exists or not; within the role, another school's target
answers exactly like an unknown one (QUALITY S11)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from .support import ROOT
from .support.api import body
from .support.factories import add_student, get, post, staff_account, staff_session
from .support.families import (
    activate,
    add_guardian,
    enroll,
    new_school,
    parent_username,
    student_token,
)


@dataclass(frozen=True)
class Targets:
    """One school's existing things, and names of things that exist nowhere."""

    school: str
    student: str
    parent: str
    guardian: str
    ticket: str
    klass: str
    staff: str


UNKNOWN = Targets("org-nowhere", "9999998", "nobody123", "gdn-nobody",
                  "00000000-0000-4000-8000-000000000000", "cls-nobody",
                  "nobody.staff")  # fmt: skip


def calls(t: Targets) -> dict[tuple[str, str], tuple[str, str, Any]]:
    """(route, method) → (method, path, body) aimed at the targets in `t`."""
    return {
        ("/staff/reset-tickets", "POST"): ("POST", "/staff/reset-tickets",
                                           {"student_id": t.student, "reason": "x"}),
        ("/staff/reset-tickets", "GET"): ("GET", f"/staff/reset-tickets?school={t.school}", None),
        ("/staff/reset-tickets/{ticket_id}/resolve", "POST"): (
            "POST", f"/staff/reset-tickets/{t.ticket}/resolve", {}),
        ("/staff/students/reset-all", "POST"): ("POST", "/staff/students/reset-all", {}),
        ("/staff/parents/{username}/reactivate", "POST"): (
            "POST", f"/staff/parents/{t.parent}/reactivate", {}),
        ("/staff/parents/{username}/temporary-password", "POST"): (
            "POST", f"/staff/parents/{t.parent}/temporary-password", {}),
        ("/staff/activation-keys", "POST"): ("POST", "/staff/activation-keys",
                                             {"guardian_id": t.guardian}),
        ("/staff/students", "GET"): ("GET", f"/staff/students?q={t.student}", None),
        ("/staff/parents", "GET"): ("GET", f"/staff/parents?q={t.parent}", None),
        ("/staff/activation-letters", "POST"): ("POST", "/staff/activation-letters",
                                                {"scope": "class", "id": t.klass}),
        ("/staff/audit", "GET"): ("GET", f"/staff/audit?school={t.school}", None),
        ("/staff/audit.csv", "GET"): ("GET", f"/staff/audit.csv?school={t.school}", None),
        ("/staff/accounts", "GET"): ("GET", "/staff/accounts", None),
        ("/staff/accounts", "POST"): ("POST", "/staff/accounts",
                                      {"username": t.staff, "role": "teacher",
                                       "school": t.school}),
        ("/staff/accounts/{username}/disable", "POST"): (
            "POST", f"/staff/accounts/{t.staff}/disable", {}),
        ("/staff/accounts/{username}/mfa-reset", "POST"): (
            "POST", f"/staff/accounts/{t.staff}/mfa-reset", {}),
    }  # fmt: skip


def send(api: Any, call: tuple[str, str, Any], token: str) -> Any:
    """One call with a caller's token."""
    method, path, payload = call
    return post(api, path, payload, token) if method == "POST" else get(api, path, token)


@pytest.fixture(scope="module")
def world(api_module: Any) -> tuple[Targets, dict[str, str]]:
    """A school with a student, a parent, a guardian, a ticket and a class; and tokens."""
    api = api_module
    school = new_school()
    sid, student = student_token(api, school)
    kid = add_student(school=school)
    enroll(f"cls-{school}", school, [kid])
    guardian = add_guardian("Ada", "Oaks", [kid], school)
    username = parent_username()
    parent = activate(api, add_guardian("Bao", "Oaks", [kid], school), username)
    member, teacher, _ = staff_account(api, "teacher", school=school)
    ticket = body(post(api, "/staff/reset-tickets", {"student_id": kid, "reason": "x"}, teacher))
    targets = Targets(school, sid, username, guardian, ticket["ticket_id"], f"cls-{school}",
                      member)  # fmt: skip
    return targets, {"student": student, "parent": parent, "teacher": teacher}


@pytest.fixture(scope="module")
def api_module(chalice_app: Any) -> Any:
    """One chalice.test client for the module's fixture and tests."""
    from chalice.test import Client

    with Client(chalice_app, stage_name="local", project_dir=str(ROOT / "functions")) as client:
        yield client.http


def test_the_matrix_names_every_staff_route(chalice_app: Any) -> None:
    routes = {(path, method) for path, entries in chalice_app.routes.items()
              for method in entries if path.startswith("/staff")}  # fmt: skip
    assert routes == set(calls(UNKNOWN))


@pytest.mark.parametrize("who", ["student", "parent"])
def test_students_and_parents_get_one_identical_403_everywhere(
    api_module: Any, world: tuple[Targets, dict[str, str]], who: str
) -> None:
    targets, tokens = world
    answers = set()
    for route, existing in calls(targets).items():
        unknown = calls(UNKNOWN)[route]
        for call in (existing, unknown):
            response = send(api_module, call, tokens[who])
            assert response.status_code == 403, (route, call, response.body)
            answers.add(response.body)
    assert answers == {b'{"error": "forbidden", "message": "You are not allowed to do this."}'}


def test_a_teacher_gets_the_same_403_on_routes_above_their_role(
    api_module: Any, world: tuple[Targets, dict[str, str]]
) -> None:
    targets, tokens = world
    above = [r for r in calls(targets) if r[0] not in ("/staff/students", "/staff/reset-tickets")]
    for route in above:
        existing = send(api_module, calls(targets)[route], tokens["teacher"])
        unknown = send(api_module, calls(UNKNOWN)[route], tokens["teacher"])
        assert existing.status_code == 403, (route, existing.body)
        assert (existing.status_code, existing.body) == (unknown.status_code, unknown.body)


def test_another_school_answers_like_an_unknown_target(
    api_module: Any, world: tuple[Targets, dict[str, str]]
) -> None:
    targets, _ = world
    outsider = {role: staff_session(api_module, role, school=new_school())
                for role in ("teacher", "technician", "school_admin")}  # fmt: skip
    checks = {
        ("/staff/reset-tickets", "POST"): "teacher",
        ("/staff/reset-tickets/{ticket_id}/resolve", "POST"): "technician",
        ("/staff/parents/{username}/reactivate", "POST"): "school_admin",
        ("/staff/parents/{username}/temporary-password", "POST"): "school_admin",
        ("/staff/activation-keys", "POST"): "school_admin",
        ("/staff/activation-letters", "POST"): "school_admin",
        ("/staff/audit", "GET"): "school_admin",
        ("/staff/audit.csv", "GET"): "school_admin",
    }
    for route, role in checks.items():
        theirs = send(api_module, calls(targets)[route], outsider[role])
        unknown = send(api_module, calls(UNKNOWN)[route], outsider[role])
        assert theirs.status_code == 403, (route, theirs.body)
        assert theirs.body == unknown.body
    for route in (("/staff/students", "GET"), ("/staff/parents", "GET")):
        found = send(api_module, calls(targets)[route], outsider["school_admin"])
        assert found.status_code == 200 and body(found) == {route[0].rsplit("/", 1)[1]: []}
