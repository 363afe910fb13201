"""The staff pages' school work: find students and parents, own tickets, activation letters."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from chalicelib import activation
from chalicelib.storage import accounts as stored_accounts

from .support.api import body
from .support.factories import add_student, claim, get, post, staff_session
from .support.families import (
    activate,
    add_guardian,
    enroll,
    new_school,
    parent_username,
)


def _students(api: Any, token: str, query: str) -> list[dict[str, Any]]:
    response = get(api, f"/staff/students?q={quote(query)}", token)
    assert response.status_code == 200, response.body
    return list(body(response)["students"])


def test_a_teacher_finds_students_of_their_school_by_id_or_name(api: Any) -> None:
    school, other = new_school(), new_school()
    zoe = add_student("Zoë", "O'Brien-Nguyễn", school=school, grade="05")
    daffy = add_student("Daffy", "Clayton", school=school)
    elsewhere = add_student("Daffy", "Clayton", school=other)
    add_student("Gone", "Clayton", school=school, active=False)
    claim(api, daffy)
    teacher = staff_session(api, "teacher", school=school)
    found = _students(api, teacher, "clay")
    assert [s["student_id"] for s in found] == [daffy]
    assert found[0] == {
        "student_id": daffy, "display_name": "Daffy Clayton", "grade": "07", "school": school,
        "school_name": "Babb Middle School", "claimed": True,
    }  # fmt: skip
    assert [s["student_id"] for s in _students(api, teacher, "zoe obrien")] == []
    assert [s["student_id"] for s in _students(api, teacher, "ZOE o'brien-nguyen")] == [zoe]
    by_id = _students(api, teacher, zoe)
    assert [(s["student_id"], s["claimed"]) for s in by_id] == [(zoe, False)]
    assert _students(api, teacher, elsewhere) == []  # another school's: as if unknown
    assert _students(api, teacher, "9999999") == []
    for bad in ("", "%20%20", "x" * 101):
        response = get(api, f"/staff/students?q={bad}", teacher)
        assert response.status_code == 400 and body(response)["field"] == "q"
    district = staff_session(api, "district_admin")
    assert get(api, "/staff/students?q=clay", district).status_code == 400
    across = get(api, f"/staff/students?q=clay&school={other}", district)
    assert [s["student_id"] for s in body(across)["students"]] == [elsewhere]


def test_a_teacher_sees_their_own_tickets_and_each_status(api: Any) -> None:
    school = new_school()
    sid = add_student("Greg", "Student", school=school)
    first = staff_session(api, "teacher", school=school)
    second = staff_session(api, "teacher", school=school)
    technician = staff_session(api, "technician", school=school)
    mine = body(post(api, "/staff/reset-tickets", {"student_id": sid, "reason": "r1"}, first))
    post(api, "/staff/reset-tickets", {"student_id": sid, "reason": "r2"}, second)
    own = body(get(api, "/staff/reset-tickets?status=open&mine=true", first))["tickets"]
    assert [t["ticket_id"] for t in own] == [mine["ticket_id"]]
    assert own[0]["student_name"] == "Greg Student" and own[0]["filed_at"]
    assert own[0]["filed_by"].startswith("teacher") and own[0]["resolved_by"] is None
    every = body(get(api, "/staff/reset-tickets?status=open", technician))["tickets"]
    assert len(every) == 2
    post(api, f"/staff/reset-tickets/{mine['ticket_id']}/resolve", {}, technician)
    assert body(get(api, "/staff/reset-tickets?mine=true", first))["tickets"] == []
    done = body(get(api, "/staff/reset-tickets?status=resolved&mine=true", first))["tickets"]
    assert done[0]["status"] == "resolved" and done[0]["resolved_by"].startswith("technician")


def _parents(api: Any, token: str, query: str) -> list[dict[str, Any]]:
    response = get(api, f"/staff/parents?q={quote(query)}", token)
    assert response.status_code == 200, response.body
    return list(body(response)["parents"])


def test_a_school_admin_finds_parents_with_their_account_state(api: Any) -> None:
    school, other = new_school(), new_school()
    kid = add_student("Marcia", "Ngô", school=school)
    never = add_guardian("Lan", "Trần", [kid], school, language="vi")
    active = add_guardian("Minnie", "Clayton", [kid], school)
    locked = add_guardian("Rafael", "Peña Ortiz", [kid], school, language="es")
    stranger = add_guardian("Minnie", "Clayton", [add_student(school=other)], other)
    active_name, locked_name = parent_username(), parent_username()
    activate(api, active, active_name)
    activate(api, locked, locked_name)
    stored_accounts.disable(locked_name.lower())
    admin = staff_session(api, "school_admin", school=school)
    clayton = _parents(api, admin, "clayton")
    assert [p["guardian_id"] for p in clayton] == [active]  # not the other school's Minnie
    assert clayton[0] == {
        "guardian_id": active, "name": "Minnie Clayton", "username": active_name,
        "language": "en", "state": "active", "students": ["Marcia Ngô"],
    }  # fmt: skip
    assert [
        (p["guardian_id"], p["state"], p["username"]) for p in _parents(api, admin, "tran")
    ] == [(never, "never_activated", None)]
    assert _parents(api, admin, "tran")[0]["language"] == "vi"
    assert [p["state"] for p in _parents(api, admin, locked_name.upper())] == ["disabled"]
    temporary = post(api, f"/staff/parents/{locked_name}/temporary-password", {}, admin)
    assert temporary.status_code == 200
    assert [p["state"] for p in _parents(api, admin, "peña")] == ["temporary_password"]
    assert stranger not in {p["guardian_id"] for p in _parents(api, admin, "minnie")}
    teacher = staff_session(api, "teacher", school=school)
    assert get(api, "/staff/parents?q=clayton", teacher).status_code == 403


def test_activation_letters_for_a_class_skip_accounts_and_live_keys(api: Any) -> None:
    school = new_school()
    kids = [add_student("Daffy", "Clayton", school=school), add_student("Zoë", "Lê", school=school)]
    enroll(f"cls-{school}", school, kids)
    waiting = add_guardian("Donald", "Clayton", [kids[0]], school, language="fr")
    both = add_guardian("Hà", "Lê", kids, school, language="vi")
    keyed = add_guardian("Ana", "Ruiz", [kids[1]], school, language="es")
    activation.issue(keyed, "test")
    member = add_guardian("Minnie", "Clayton", [kids[0]], school)
    activate(api, member, parent_username())
    add_guardian("No", "Access", [kids[0]], school, access=False)
    admin = staff_session(api, "school_admin", school=school)
    answer = post(api, "/staff/activation-letters", {"scope": "class", "id": f"cls-{school}"},
                  admin)  # fmt: skip
    assert answer.status_code == 201, answer.body
    letters = body(answer)["letters"]
    assert body(answer)["more"] is False
    assert [(x["guardian_id"], x["language"]) for x in letters] == [(waiting, "fr"), (both, "vi")]
    french = letters[0]
    assert french["name"] == "Donald Clayton" and french["students"] == ["Daffy Clayton"]
    assert french["activation_url"].endswith("/fr/parents/activate/")
    assert french["district_id"] == "JPRQQH"
    assert french["qr_svg"].startswith("<svg") and french["activation_url"] in french["qr_svg"]
    assert letters[1]["students"] == ["Daffy Clayton", "Zoë Lê"]
    for item in letters:
        check = post(api, "/activation/check", {"activation_key": item["activation_key"]})
        assert check.status_code == 200
    again = post(api, "/staff/activation-letters", {"scope": "class", "id": f"cls-{school}"}, admin)
    assert body(again)["letters"] == []  # every one of them holds a live key now
    trail = body(get(api, "/staff/audit?action=activation_letters", admin))["entries"]
    assert {e["target"] for e in trail} >= {waiting, both}


def test_activation_letters_for_one_guardian_and_for_the_school(api: Any) -> None:
    school, other = new_school(), new_school()
    kid = add_student("Greg", "Student", school=school)
    first = add_guardian("Minnie", "Clayton", [kid], school)
    second = add_guardian("Rafael", "Peña", [kid], school, language="es")
    outsider = add_guardian("Lan", "Trần", [add_student(school=other)], other)
    admin = staff_session(api, "school_admin", school=school)
    one = post(api, "/staff/activation-letters", {"scope": "guardian", "id": first}, admin)
    assert [x["guardian_id"] for x in body(one)["letters"]] == [first]
    refused = [
        post(api, "/staff/activation-letters", {"scope": scope, "id": target}, admin)
        for scope, target in (("guardian", outsider), ("guardian", "gdn-nobody"),
                              ("class", "cls-nobody"), ("guardian", ""))
    ]  # fmt: skip
    assert {(r.status_code, r.body) for r in refused} == {(refused[0].status_code,
                                                          refused[0].body)}  # fmt: skip
    assert refused[0].status_code == 403
    whole = post(api, "/staff/activation-letters", {"scope": "school"}, admin)
    assert [x["guardian_id"] for x in body(whole)["letters"]] == [second]
    assert body(whole)["letters"][0]["activation_url"].endswith("/es/parents/activate/")
    district = staff_session(api, "district_admin")
    bare = post(api, "/staff/activation-letters", {"scope": "school"}, district)
    assert bare.status_code == 400
    bad = post(api, "/staff/activation-letters", {"scope": "district"}, admin)
    assert bad.status_code == 400 and body(bad)["error"] == "invalid_request"
