"""One answer sequence for every kind of username (issue 15, M2).

For N = 1…10 wrong passwords in a row, a name that matches no one, a parent and a staff member
get the same answers (status, body and headers), so no sequence tells a staff username or a
parent username from a guess. (Student usernames have a public shape: S and the student ID.)
"""

from __future__ import annotations

from typing import Any

from chalicelib import activation, clock

from .support.demo import PARENT_PASSWORD, import_demo
from .support.factories import post, staff_account

ATTEMPTS = 10
# What may differ between two answers: nothing but the request's own id.
VARYING = {"x-amzn-requestid", "date"}


def answers(api: Any, username: str) -> list[tuple[int, bytes, dict[str, str]]]:
    """N wrong passwords in a row, on a frozen clock: each answer's status, body, headers."""
    seen = []
    for n in range(ATTEMPTS):
        answer = post(api, "/login", {"username": username, "password": f"wrong-{n}-password"})
        headers = {k.lower(): v for k, v in answer.headers.items() if k.lower() not in VARYING}
        seen.append((answer.status_code, answer.body, headers))
    return seen


def test_unknown_parent_and_staff_names_answer_alike(api: Any, dynamodb: str) -> None:
    import_demo()
    key = activation.issue("gdn-lan-tran", "test")
    created = post(
        api,
        "/activation/account",
        {
            "activation_key": key,
            "username": "LanTranPolicy",
            "password": PARENT_PASSWORD,
            "password_confirm": PARENT_PASSWORD,
        },
    )
    assert created.status_code == 201, created.body
    staff, _, _ = staff_account(api, "school_admin")
    clock.freeze()
    unknown = answers(api, "nobody.here.at.all")
    parent = answers(api, "LanTranPolicy")
    member = answers(api, staff)
    assert parent == unknown and member == unknown
    statuses = [status for status, _, _ in unknown]
    assert statuses == [401] * 5 + [429] * 5
    assert all("retry-after" in headers for status, _, headers in unknown if status == 429)
