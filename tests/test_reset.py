"""Forgotten password by challenge answers (S3, S5, S6) and the reset-token race (R1)."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib import clock

from .support.api import Concurrently, body
from .support.factories import PASSWORD, add_student, claim, login, post

NEW = "Orange-harbor-tiger-9"
RIGHT = [
    {"question_id": 1, "answer": "tháng 3"},  # answered "March" in English at claim time
    {"question_id": 7, "answer": "APPLE"},  # answered "pomme"
    {"question_id": 8, "answer": "invierno"},  # answered "winter"
]


def start(api: Any, username: str, lang: str = "en") -> dict[str, Any]:
    response = post(api, f"/reset/start?lang={lang}", {"username": username})
    assert response.status_code == 200, response.body
    return body(response)


def answers_with(wrong_index: int) -> list[dict[str, Any]]:
    answers = [dict(a) for a in RIGHT]
    answers[wrong_index]["answer"] = {1: "July", 7: "peach", 8: "summer"}[
        answers[wrong_index]["question_id"]
    ]
    return answers


@pytest.fixture
def student(api: Any) -> str:
    sid = add_student()
    claim(api, sid)
    return f"S{sid}"


def test_full_reset_across_languages(api: Any, student: str) -> None:
    first = start(api, student.lower(), "fr")
    assert [q["id"] for q in first["questions"]] == [1, 7, 8]
    assert first["questions"][0]["text"] != "What is your birth month?"
    answered = post(api, "/reset/answers", {"reset_token": first["reset_token"], "answers": RIGHT})
    assert answered.status_code == 200
    token = body(answered)["reset_token"]
    assert token != first["reset_token"]
    done = post(
        api, "/reset/password", {"reset_token": token, "password": NEW, "password_confirm": NEW}
    )
    assert done.status_code == 200 and body(done) == {"username": student}
    assert post(api, "/login", {"username": student, "password": PASSWORD}).status_code == 401
    login(api, student, NEW)


def test_unknown_user_gets_same_shape_that_never_succeeds(api: Any) -> None:
    unknown = start(api, "S9999996")
    again = start(api, "s9999996")
    assert set(unknown) == {"reset_token", "questions"}
    assert [q["id"] for q in unknown["questions"]] == [q["id"] for q in again["questions"]]
    assert len(unknown["questions"]) == 3
    answers = [{"question_id": q["id"], "answer": "1"} for q in unknown["questions"]]
    failed = post(
        api, "/reset/answers", {"reset_token": unknown["reset_token"], "answers": answers}
    )
    assert failed.status_code == 401 and body(failed)["error"] == "reset_failed"


@pytest.mark.parametrize("wrong", [0, 1, 2])
def test_never_says_which_answer_was_wrong(api: Any, student: str, wrong: int) -> None:
    started = start(api, student)
    failed = post(
        api,
        "/reset/answers",
        {"reset_token": started["reset_token"], "answers": answers_with(wrong)},
    )
    assert failed.status_code == 401
    assert body(failed) == {
        "error": "reset_failed",
        "message": "The answers do not match our records.",
    }


def test_five_failures_block_self_service_for_a_day(api: Any, student: str) -> None:
    for _ in range(5):
        token = start(api, student)["reset_token"]
        post(api, "/reset/answers", {"reset_token": token, "answers": answers_with(0)})
    token = start(api, student)["reset_token"]
    blocked = post(api, "/reset/answers", {"reset_token": token, "answers": RIGHT})
    assert blocked.status_code == 429 and body(blocked)["retry_after"] > 23 * 3600
    clock.advance(24 * 3600 + 5)
    token = start(api, student)["reset_token"]
    assert post(api, "/reset/answers", {"reset_token": token, "answers": RIGHT}).status_code == 200


def test_tokens_expire_and_are_single_use(api: Any, student: str) -> None:
    started = start(api, student)
    clock.advance(15 * 60 + 1)
    late = post(api, "/reset/answers", {"reset_token": started["reset_token"], "answers": RIGHT})
    assert late.status_code == 401 and body(late)["error"] == "reset_token_invalid"
    started = start(api, student)
    token = body(
        post(api, "/reset/answers", {"reset_token": started["reset_token"], "answers": RIGHT})
    )["reset_token"]
    replay = post(api, "/reset/answers", {"reset_token": started["reset_token"], "answers": RIGHT})
    assert replay.status_code == 401
    wrong_stage = post(api, "/reset/answers", {"reset_token": token, "answers": RIGHT})
    assert wrong_stage.status_code == 401


def test_password_rules_apply(api: Any, student: str) -> None:
    started = start(api, student)
    token = body(
        post(api, "/reset/answers", {"reset_token": started["reset_token"], "answers": RIGHT})
    )["reset_token"]
    reused = post(
        api,
        "/reset/password",
        {"reset_token": token, "password": PASSWORD, "password_confirm": PASSWORD},
    )
    assert body(reused)["error"] == "password_reused"
    short = post(
        api, "/reset/password", {"reset_token": token, "password": "abc", "password_confirm": "abc"}
    )
    assert body(short)["error"] == "password_too_short"


def test_reset_ends_sessions(api: Any, student: str) -> None:
    session = login(api, student, PASSWORD)["session_token"]
    started = start(api, student)
    token = body(
        post(api, "/reset/answers", {"reset_token": started["reset_token"], "answers": RIGHT})
    )["reset_token"]
    post(api, "/reset/password", {"reset_token": token, "password": NEW, "password_confirm": NEW})
    response = api.get("/me", headers={"Authorization": f"Bearer {session}"})
    assert response.status_code == 401


def test_fifty_concurrent_uses_of_one_reset_token(
    api: Any, student: str, concurrently: Concurrently
) -> None:
    """R1: one reset token, 50 parallel password submissions, exactly one wins."""
    started = start(api, student)
    token = body(
        post(api, "/reset/answers", {"reset_token": started["reset_token"], "answers": RIGHT})
    )["reset_token"]

    def submit(client: Any, i: int) -> int:
        password = f"Parallel-choice-{i:02d}-x"
        return post(
            client,
            "/reset/password",
            {"reset_token": token, "password": password, "password_confirm": password},
        ).status_code

    statuses = concurrently(submit, range(50), workers=10)
    assert statuses.count(200) == 1
    assert statuses.count(401) == 49
