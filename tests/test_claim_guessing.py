"""Guessing a student's ID or name at claim is slowed like a password (issue 15, M3).

Failed claims count per student ID and per name pair, whether or not either exists: after 5
failures each try waits, doubling, and the answers never tell a real name from an invented one.
"""

from __future__ import annotations

from typing import Any

from chalicelib import clock

from .support.factories import add_student, post, unique_student_id

TRIES = 8


def tries(api: Any, names: tuple[str, str], ids: list[str]) -> list[tuple[int, bytes, str]]:
    """One claim start per ID: status, body, Retry-After."""
    seen = []
    for sid in ids:
        body = {"last_name": names[0], "first_name": names[1], "student_id": sid}
        answer = post(api, "/claim/start", body)
        seen.append((answer.status_code, answer.body, answer.headers.get("Retry-After", "")))
    return seen


def test_wrong_ids_for_one_name_are_slowed_alike_for_real_and_invented_names(
    api: Any,
) -> None:
    real = add_student("Rosalind", "Quartermaine")
    clock.freeze()
    wrong = [unique_student_id() for _ in range(TRIES)]
    for_real = tries(api, ("Quartermaine", "Rosalind"), wrong)
    invented = tries(api, ("Zzyzx", "Nobody"), [unique_student_id() for _ in range(TRIES)])
    assert [status for status, _, _ in for_real] == [403] * 5 + [429] * (TRIES - 5)
    assert for_real == invented
    # The student typing the right ID now waits like everyone, then gets in.
    waiting = post(
        api,
        "/claim/start",
        {"last_name": "Quartermaine", "first_name": "Rosalind", "student_id": real},
    )
    assert waiting.status_code == 429
    clock.advance(int(waiting.headers["Retry-After"]))
    right = {"last_name": "Quartermaine", "first_name": "Rosalind", "student_id": real}
    assert post(api, "/claim/start", right).status_code == 200


def test_wrong_names_for_one_id_are_slowed(api: Any) -> None:
    sid = add_student("Theodora", "Vance")
    clock.freeze()
    seen = []
    for n in range(TRIES):
        body = {"last_name": f"Vance{n}", "first_name": "Theodora", "student_id": sid}
        seen.append(post(api, "/claim/start", body).status_code)
    assert seen == [403] * 5 + [429] * (TRIES - 5)
    unknown = unique_student_id()  # an ID that exists nowhere is slowed the same way
    seen = []
    for n in range(TRIES):
        body = {"last_name": f"Vance{n}", "first_name": "Theodora", "student_id": unknown}
        seen.append(post(api, "/claim/start", body).status_code)
    assert seen == [403] * 5 + [429] * (TRIES - 5)
