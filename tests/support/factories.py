"""Test data written straight into DynamoDB Local in the documented `sis` item layout."""

from __future__ import annotations

import itertools
import random
from typing import Any

from chalicelib import clock
from chalicelib.storage import tables

_ids = itertools.count(1)


def unique_student_id() -> str:
    """A 7-digit ID no other test uses (random block per process, then sequential)."""
    return f"{_BASE + next(_ids):07d}"


_BASE = random.SystemRandom().randrange(1_000_000, 8_000_000)


def add_student(
    given: str = "Daffy",
    family: str = "Clayton",
    *,
    student_id: str | None = None,
    school: str = "org-babb",
    active: bool = True,
    first_seen_hours_ago: float = 48,
    grade: str = "07",
    years: list[int] | None = None,
) -> str:
    """Write a student profile; return the 7-digit ID."""
    sid = student_id or unique_student_id()
    tables.put_item(
        "sis",
        {
            "pk": f"student#{sid}",
            "sk": "profile",
            "gsi1pk": f"sourced#stu-{sid}",
            "gsi1sk": "student",
            "student_id": sid,
            "sourced_id": f"stu-{sid}",
            "given_name": given,
            "family_name": family,
            "middle_name": "",
            "school": school,
            "school_name": "Babb Middle School",
            "grade": grade,
            "years": years if years is not None else [2027],
            "active": active,
            "first_seen_at": int(clock.now() - first_seen_hours_ago * 3600),
            "language": "en",
        },
    )
    return sid


def set_active(student_id: str, active: bool) -> None:
    """Flip a student's SIS status as a later import would."""
    item = tables.get_item("sis", {"pk": f"student#{student_id}", "sk": "profile"})
    assert item is not None
    tables.put_item("sis", {**item, "active": active})


def staff_session(api: Any, role: str, school: str | None = "org-babb") -> str:
    """Create a staff account, change its temporary password, and return a session token.

    School and district admins pass the MFA step: they enroll at the first login.
    """
    return staff_account(api, role, school)[1]


def staff_account(api: Any, role: str, school: str | None = "org-babb") -> tuple[str, str, str]:
    """A new staff member past the first login: (username, session token, TOTP secret or "")."""
    from chalicelib import staff

    username = f"{role.replace('_', '')}{next(_ids)}x"
    temporary = staff.add_staff(username, role, school if role != "district_admin" else None)
    first, secret = staff_login(api, username, temporary)
    new_password = STAFF_PASSWORD
    response = post(
        api,
        "/me/password",
        {
            "current_password": temporary,
            "new_password": new_password,
            "new_password_confirm": new_password,
        },
        first["session_token"],
    )
    assert response.status_code == 204, response.body
    return username, staff_login(api, username, new_password, secret)[0]["session_token"], secret


STAFF_PASSWORD = "Blue-river-staff-2026"  # noqa: S105 - test data


def staff_login(
    api: Any, username: str, password: str, secret: str = ""
) -> tuple[dict[str, Any], str]:
    """Log a staff member in, through the MFA step for admins: (login body, TOTP secret)."""
    import json

    answer = login(api, username, password)
    if not answer.get("mfa_required"):
        return answer, secret
    token = answer["mfa_token"]
    if not answer["enrolled"]:
        enrolled = post(api, "/login/mfa/enroll", {"mfa_token": token})
        assert enrolled.status_code == 200, enrolled.body
        secret = json.loads(enrolled.body)["secret"]
        done = post(api, "/login/mfa/confirm", {"mfa_token": token, "code": totp_code(secret)})
    else:
        done = post(api, "/login/mfa", {"mfa_token": token, "code": totp_code(secret)})
    assert done.status_code == 200, done.body
    return json.loads(done.body), secret


_last_step: dict[str, int] = {}


def totp_code(secret: str) -> str:
    """A TOTP code of a time step not used yet with this secret (a code works only once).

    The next step's code is accepted (one step of drift); past that the test clock moves on.
    """
    import pyotp

    current = int(clock.now()) // 30
    step = max(current, _last_step.get(secret, -1) + 1)
    if step > current + 1:
        clock.advance((step - current) * 30)
        step = int(clock.now()) // 30
    _last_step[secret] = step
    return str(pyotp.TOTP(secret).at(step * 30))


def post(api: Any, path: str, payload: Any, token: str | None = None, **headers: str) -> Any:
    """POST JSON through chalice.test."""
    return _send_json(api.post, path, payload, token, headers)


def put(api: Any, path: str, payload: Any, token: str | None = None, **headers: str) -> Any:
    """PUT JSON through chalice.test."""
    return _send_json(api.put, path, payload, token, headers)


def _send_json(
    method: Any, path: str, payload: Any, token: str | None, headers: dict[str, str]
) -> Any:
    import json

    all_headers = {"Content-Type": "application/json", **headers}
    if token:
        all_headers["Authorization"] = f"Bearer {token}"
    return method(path, body=json.dumps(payload).encode(), headers=all_headers)


def get(api: Any, path: str, token: str | None = None, **headers: str) -> Any:
    """GET through chalice.test."""
    all_headers = dict(headers)
    if token:
        all_headers["Authorization"] = f"Bearer {token}"
    return api.get(path, headers=all_headers)


def login(api: Any, username: str, password: str) -> dict[str, Any]:
    """Log in and return the JSON body (asserting success)."""
    import json

    response = post(api, "/login", {"username": username, "password": password})
    assert response.status_code == 200, response.body
    return json.loads(response.body)


ANSWERS = [
    {"question_id": 1, "answer": "March"},
    {"question_id": 7, "answer": "pomme"},
    {"question_id": 8, "answer": "winter"},
]
PASSWORD = "Purple-kite-maple-42"


def claim(
    api: Any, sid: str, given: str = "Daffy", family: str = "Clayton", password: str = PASSWORD
) -> str:
    """Claim a student account through the API; return the username."""
    import json

    start = post(api, "/claim/start", {"last_name": family, "first_name": given, "student_id": sid})
    assert start.status_code == 200, start.body
    token = json.loads(start.body)["claim_token"]
    response = post(
        api,
        "/claim/password",
        {"claim_token": token, "password": password, "password_confirm": password},
    )
    assert response.status_code == 200, response.body
    done = post(api, "/claim/answers", {"claim_token": token, "answers": ANSWERS})
    assert done.status_code == 200, done.body
    return json.loads(done.body)["username"]
