"""Staff accounts, reset tickets and the new-school-year reset (DESIGN.md, CONTRACT.md)."""

from __future__ import annotations

from typing import Any

from chalicelib import audit, clock, staff

from .support.api import body
from .support.factories import PASSWORD, add_student, claim, get, post, staff_session


def test_staff_must_change_temporary_password(api: Any) -> None:
    temporary = staff.add_staff("teacher.first", "teacher", "org-babb")
    login = body(post(api, "/login", {"username": "Teacher.First", "password": temporary}))
    assert login["role"] == "staff" and login["must_change_password"] is True
    token = login["session_token"]
    blocked = get(api, "/me", token)
    assert blocked.status_code == 403 and body(blocked)["error"] == "password_change_required"
    new = "Chalkboard-sunrise-77"
    changed = post(
        api,
        "/me/password",
        {"current_password": temporary, "new_password": new, "new_password_confirm": new},
        token,
    )
    assert changed.status_code == 204
    assert get(api, "/me", token).status_code == 200


def test_ticket_lifecycle_unclaims_the_student(api: Any) -> None:
    sid = add_student(school="org-babb")
    claim(api, sid)
    teacher = staff_session(api, "teacher")
    technician = staff_session(api, "technician")
    opened = post(
        api, "/staff/reset-tickets", {"student_id": sid, "reason": "forgot answers"}, teacher
    )
    assert opened.status_code == 201 and body(opened)["status"] == "open"
    ticket_id = body(opened)["ticket_id"]
    listed = body(get(api, "/staff/reset-tickets?status=open", teacher))["tickets"]
    assert ticket_id in [t["ticket_id"] for t in listed]
    student_session = body(post(api, "/login", {"username": f"S{sid}", "password": PASSWORD}))
    denied = post(api, f"/staff/reset-tickets/{ticket_id}/resolve", {}, teacher)
    assert denied.status_code == 403 and body(denied)["error"] == "forbidden"
    resolved = post(api, f"/staff/reset-tickets/{ticket_id}/resolve", {}, technician)
    assert resolved.status_code == 200 and body(resolved)["status"] == "resolved"
    assert get(api, "/me", student_session["session_token"]).status_code == 401
    again = post(
        api, "/claim/start", {"last_name": "Clayton", "first_name": "Daffy", "student_id": sid}
    )
    assert again.status_code == 200
    actions = [e["action"] for e in audit.day(clock.iso(clock.now())[:10])]
    assert "ticket_open" in actions and "ticket_resolve" in actions


def test_students_of_another_school_answer_like_unknown_ones(api: Any) -> None:
    sid = add_student(school="org-babb")
    other = staff_session(api, "teacher", school="org-mcgarrah")
    response = post(api, "/staff/reset-tickets", {"student_id": sid, "reason": "x"}, other)
    unknown = post(api, "/staff/reset-tickets", {"student_id": "9999990", "reason": "x"}, other)
    assert response.status_code == 403 and body(response)["error"] == "forbidden"
    assert (unknown.status_code, unknown.body) == (response.status_code, response.body)


def test_students_cannot_use_staff_endpoints(api: Any) -> None:
    sid = add_student()
    claim(api, sid)
    token = body(post(api, "/login", {"username": f"S{sid}", "password": PASSWORD}))[
        "session_token"
    ]
    assert post(api, "/staff/students/reset-all", {}, token).status_code == 403
    assert get(api, "/staff/reset-tickets", token).status_code == 403


def test_reset_all_needs_district_admin_and_is_one_write(api: Any) -> None:
    sids = [add_student() for _ in range(3)]
    for sid in sids:
        claim(api, sid)
    admin = staff_session(api, "school_admin")
    assert post(api, "/staff/students/reset-all", {}, admin).status_code == 403
    district = staff_session(api, "district_admin")
    response = post(api, "/staff/students/reset-all", {}, district)
    assert response.status_code == 200
    for sid in sids:
        assert post(api, "/login", {"username": f"S{sid}", "password": PASSWORD}).status_code == 401
    # Staff accounts are not reset.
    assert get(api, "/me", district).status_code == 200


def test_unauthenticated_staff_calls_are_401(api: Any) -> None:
    response = get(api, "/staff/reset-tickets")
    assert response.status_code == 401 and body(response)["error"] == "session_invalid"
