"""District admins manage staff accounts with the API and `portal staff` (issue 14 items 5, 9)."""

from __future__ import annotations

from typing import Any

import pytest
from typer.testing import CliRunner

from chalicelib import audit, clock, staff
from chalicelib.storage import tables
from portal.cli import app as cli

from .support.api import body
from .support.factories import (
    PASSWORD,
    STAFF_PASSWORD,
    add_student,
    claim,
    get,
    login,
    post,
    staff_account,
    staff_session,
)

ROUTES = [
    ("GET", "/staff/accounts"),
    ("POST", "/staff/accounts/{username}/disable"),
    ("POST", "/staff/accounts/{username}/mfa-reset"),
]


def _school(sourced_id: str = "org-babb", kind: str = "school") -> str:
    tables.put_item(
        "sis", {"pk": f"org#{sourced_id}", "sk": "profile", "name": "Babb Middle", "type": kind}
    )
    return sourced_id


def _call(api: Any, method: str, path: str, token: str) -> Any:
    return get(api, path, token) if method == "GET" else post(api, path, {}, token)


def _today_actions() -> list[tuple[str, str, str]]:
    entries = audit.day(clock.iso(clock.now())[:10])
    return [(e["actor"], e["action"], e["target"]) for e in entries]


def test_a_district_admin_adds_lists_disables_and_resets_mfa(api: Any) -> None:
    district_name, district, _ = staff_account(api, "district_admin", None)
    school = _school()
    added = post(
        api,
        "/staff/accounts",
        {"username": "New.Principal", "role": "school_admin", "school": school},
        district,
    )
    assert added.status_code == 201, added.body
    temporary = body(added)["temporary_password"]
    assert body(added)["username"] == "New.Principal" and len(temporary) == 16
    first = login(api, "new.principal", temporary)
    assert first["mfa_required"] is True and first["enrolled"] is False
    listed = body(get(api, "/staff/accounts", district))["accounts"]
    mine = next(a for a in listed if a["username"] == "New.Principal")
    assert mine == {
        "username": "New.Principal",
        "role": "school_admin",
        "school": school,
        "disabled": False,
        "mfa_enrolled": False,
    }
    assert next(a for a in listed if a["username"] == district_name)["mfa_enrolled"] is True
    assert all(a["role"] in staff.ROLES for a in listed)  # no student or parent listed

    username, session, _ = staff_account(api, "school_admin")
    reset = post(api, f"/staff/accounts/{username.upper()}/mfa-reset", {}, district)
    assert reset.status_code == 200 and body(reset) == {"username": username, "mfa_enrolled": False}
    assert get(api, "/me", session).status_code == 401  # a reset ends the sessions too
    assert login(api, username, STAFF_PASSWORD)["enrolled"] is False  # enrolls again
    disabled = post(api, f"/staff/accounts/{username}/disable", {}, district)
    assert disabled.status_code == 200 and body(disabled) == {
        "username": username,
        "disabled": True,
    }
    listed = body(get(api, "/staff/accounts", district))["accounts"]
    assert next(a for a in listed if a["username"] == username)["disabled"] is True
    actions = _today_actions()
    for action, target in [
        ("staff_add", "new.principal"),
        ("staff_mfa_reset", username),
        ("staff_disable", username),
    ]:
        assert (district_name, action, target) in actions


def test_adding_checks_role_school_and_username(api: Any) -> None:
    district = staff_session(api, "district_admin", None)
    _school("org-district", kind="district")
    cases = [
        ({"username": "x.teacher", "role": "teacher", "school": "org-nowhere"}, "school"),
        ({"username": "y.teacher", "role": "teacher", "school": "org-district"}, "school"),
        ({"username": "z.teacher", "role": "teacher"}, "school"),
        ({"username": "S1234567", "role": "teacher", "school": _school()}, "username"),
        ({"username": "ok.name", "role": "principal", "school": "org-babb"}, "role"),
    ]
    for payload, field in cases:
        refused = post(api, "/staff/accounts", payload, district)
        assert refused.status_code == 400, payload
        assert body(refused)["field"] == field
    district_admin = post(
        api, "/staff/accounts", {"username": "area.boss", "role": "district_admin"}, district
    )
    assert district_admin.status_code == 201
    taken = post(
        api, "/staff/accounts", {"username": "AREA.boss", "role": "district_admin"}, district
    )
    assert taken.status_code == 409 and body(taken)["error"] == "username_taken"


def test_unknown_students_parents_and_self_are_refused(api: Any) -> None:
    district_name, district, _ = staff_account(api, "district_admin", None)
    sid = add_student()
    claim(api, sid)
    for target in ("nobody.here", f"S{sid}", "MinnieC", "%00", "a" * 70):
        for _, path in ROUTES[1:]:
            response = post(api, path.format(username=target), {}, district)
            assert response.status_code == 404, (target, path)
            assert body(response)["error"] == "not_found"
    mine = post(api, f"/staff/accounts/{district_name}/disable", {}, district)
    assert mine.status_code == 400


@pytest.mark.parametrize("role", ["student", "teacher", "technician", "school_admin"])
def test_below_district_admin_one_identical_403_for_known_and_unknown(api: Any, role: str) -> None:
    existing, _, _ = staff_account(api, "teacher")
    if role == "student":
        sid = add_student()
        claim(api, sid)
        token = login(api, f"S{sid}", PASSWORD)["session_token"]
    else:
        token = staff_session(api, role)
    for method, path in ROUTES:
        answers = {
            (r.status_code, r.body)
            for r in (
                _call(api, method, path.format(username=existing), token),
                _call(api, method, path.format(username="no.such.person"), token),
            )
        }
        assert len(answers) == 1, (path, answers)
        status, raw = answers.pop()
        assert status == 403 and b'"forbidden"' in raw
    create = post(api, "/staff/accounts", {"username": "q.w", "role": "teacher"}, token)
    assert create.status_code == 403
    # The target is still usable: nothing was done to it.
    assert login(api, existing, STAFF_PASSWORD)["role"] == "staff"


def test_portal_staff_disable_and_mfa_reset(api: Any) -> None:
    username, session, _ = staff_account(api, "school_admin")
    runner = CliRunner()
    reset = runner.invoke(cli, ["staff", "mfa-reset", username.upper()])
    assert reset.exit_code == 0, reset.output
    assert "reset" in reset.output and username in reset.output
    assert get(api, "/me", session).status_code == 401
    assert login(api, username, STAFF_PASSWORD)["enrolled"] is False
    disabled = runner.invoke(cli, ["staff", "disable", username])
    assert disabled.exit_code == 0, disabled.output
    refused = post(api, "/login", {"username": username, "password": STAFF_PASSWORD})
    assert refused.status_code == 423
    assert ("cli", "staff_mfa_reset", username) in _today_actions()
    assert ("cli", "staff_disable", username) in _today_actions()
    for command in ("disable", "mfa-reset"):
        unknown = runner.invoke(cli, ["staff", command, "no.such.person"])
        assert unknown.exit_code == 1 and "No staff account" in unknown.output
