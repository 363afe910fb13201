"""Claim: identity → password → 3 answers, every contract code, and the completion race (R1)."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib import clock, staff
from chalicelib.storage import tables

from .support.api import Concurrently, body
from .support.factories import ANSWERS, PASSWORD, add_student, claim, get, post


def start(api: Any, sid: str, given: str = "Daffy", family: str = "Clayton") -> Any:
    return post(api, "/claim/start", {"last_name": family, "first_name": given, "student_id": sid})


def token_for(api: Any, sid: str, **names: str) -> str:
    response = start(api, sid, **names)
    assert response.status_code == 200, response.body
    return body(response)["claim_token"]


def test_questions_in_each_language(api: Any) -> None:
    english = body(get(api, "/claim/questions"))["questions"]
    assert [q["id"] for q in english] == list(range(1, 9))
    assert len(english[0]["choices"]) == 12 and english[1]["choices"] is None
    french = body(get(api, "/claim/questions?lang=fr"))["questions"]
    assert french[0]["text"] != english[0]["text"]
    vietnamese = body(get(api, "/claim/questions", **{"Accept-Language": "vi-VN,vi;q=0.9"}))
    assert vietnamese["questions"][6]["choices"][0]["label"] != "Apple"


def test_full_claim_then_login(api: Any) -> None:
    sid = add_student("Daffy", "Clayton")
    assert claim(api, sid) == f"S{sid}"
    response = post(api, "/login", {"username": f"s{sid}", "password": PASSWORD})
    assert response.status_code == 200
    assert body(response)["role"] == "student"


@pytest.mark.parametrize(
    ("raw", "message_part"),
    [
        ("S0123456", "remove the letter S"),
        ("012345", "7 digits"),
        ("01234567", "7 digits"),
        ("０１２３４５６", "7 digits"),
        ("abcdefg", "7 digits"),
    ],
)
def test_student_id_format(api: Any, raw: str, message_part: str) -> None:
    response = start(api, raw)
    assert response.status_code == 400
    assert body(response)["error"] == "student_id_format"
    assert body(response)["field"] == "student_id"
    assert message_part in body(response)["message"]


def test_claim_failed_is_identical_for_every_cause(api: Any) -> None:
    sid = add_student("Daffy", "Clayton")
    inactive = add_student("Daffy", "Clayton", active=False)
    causes = [
        start(api, sid, given="daffy"),  # case matters
        start(api, sid, family="Clayton-Smith"),
        start(api, inactive),
        start(api, "9999999" if sid != "9999999" else "9999998"),
    ]
    assert {r.status_code for r in causes} == {403}
    assert len({r.body for r in causes}) == 1
    assert body(causes[0]) == {
        "error": "claim_failed",
        "message": "The Claim Account Operation Failed.",
    }


def test_names_match_after_nfc_and_outer_spaces(api: Any) -> None:
    sid = add_student("Thảo", "Nguyễn-Trần")
    decomposed_given = "Tha\u0309o"  # same letters, not NFC
    assert start(api, sid, given=f"  {decomposed_given} ", family="Nguyễn-Trần ").status_code == 200


def test_claim_not_open_for_new_students(api: Any) -> None:
    sid = add_student(first_seen_hours_ago=2)
    response = start(api, sid)
    assert response.status_code == 403
    assert body(response)["error"] == "claim_not_open"
    assert body(response)["opens_at"].endswith("Z")
    clock.advance(22 * 3600 + 60)
    assert start(api, sid).status_code == 200


def test_already_claimed_points_to_forgot_password(api: Any) -> None:
    sid = add_student()
    claim(api, sid)
    response = start(api, sid)
    assert response.status_code == 409
    assert body(response)["error"] == "already_claimed"


@pytest.mark.parametrize(
    ("password", "confirm", "code"),
    [
        ("Purple-kite-maple-42", "Purple-kite-maple-43", "password_mismatch"),
        ("short1", "short1", "password_too_short"),
        ("x" * 129, "x" * 129, "password_too_long"),
        ("password123", "password123", "password_too_common"),
        ("DaffyRocks2026", "DaffyRocks2026", "password_contains_personal_info"),
    ],
)
def test_password_rules(api: Any, password: str, confirm: str, code: str) -> None:
    token = token_for(api, add_student())
    response = post(
        api,
        "/claim/password",
        {"claim_token": token, "password": password, "password_confirm": confirm},
    )
    assert response.status_code == 400
    assert body(response)["error"] == code


def test_password_reused_after_new_year_reset(api: Any, dynamodb: str) -> None:
    sid = add_student()
    claim(api, sid)
    staff.reset_all_students("test")  # the new-school-year reset
    token = token_for(api, sid)
    response = post(
        api,
        "/claim/password",
        {"claim_token": token, "password": PASSWORD, "password_confirm": PASSWORD},
    )
    assert body(response)["error"] == "password_reused"


@pytest.mark.parametrize(
    "answers",
    [
        ANSWERS[:2],
        [*ANSWERS[:2], {"question_id": 1, "answer": "May"}],
        [*ANSWERS[:2], {"question_id": 9, "answer": "x"}],
        [*ANSWERS[:2], {"question_id": 3, "answer": "nineteen"}],
        [*ANSWERS[:2], {"question_id": 2, "answer": ""}],
        [*ANSWERS[:2], {"question_id": 4, "answer": "y" * 101}],
        [{"question_id": 7, "answer": "mango"}, *ANSWERS[::2]],
    ],
)
def test_answers_invalid(api: Any, answers: list[dict[str, Any]]) -> None:
    token = token_for(api, add_student())
    post(
        api,
        "/claim/password",
        {"claim_token": token, "password": PASSWORD, "password_confirm": PASSWORD},
    )
    response = post(api, "/claim/answers", {"claim_token": token, "answers": answers})
    assert response.status_code == 400
    assert body(response)["error"] in ("answers_invalid", "invalid_request")


def test_answers_before_password_leave_account_unclaimed(api: Any) -> None:
    sid = add_student()
    token = token_for(api, sid)
    response = post(api, "/claim/answers", {"claim_token": token, "answers": ANSWERS})
    assert response.status_code == 400
    assert tables.get_item("accounts", {"pk": f"s{sid}"}) is None
    assert start(api, sid).status_code == 200  # still claimable


def test_claim_token_invalid_and_expiry(api: Any) -> None:
    token = token_for(api, add_student())
    bad = post(
        api,
        "/claim/password",
        {"claim_token": "nope", "password": PASSWORD, "password_confirm": PASSWORD},
    )
    assert bad.status_code == 401 and body(bad)["error"] == "claim_token_invalid"
    clock.advance(15 * 60 + 1)
    late = post(
        api,
        "/claim/password",
        {"claim_token": token, "password": PASSWORD, "password_confirm": PASSWORD},
    )
    assert late.status_code == 401 and body(late)["error"] == "claim_token_invalid"


def test_back_button_replays_are_harmless(api: Any) -> None:
    sid = add_student()
    token = token_for(api, sid)
    for password in ("First-choice-pass-1", PASSWORD):  # the student went back and changed it
        response = post(
            api,
            "/claim/password",
            {"claim_token": token, "password": password, "password_confirm": password},
        )
        assert response.status_code == 200
    assert (
        post(api, "/claim/answers", {"claim_token": token, "answers": ANSWERS}).status_code == 200
    )
    again = post(api, "/claim/answers", {"claim_token": token, "answers": ANSWERS})
    assert again.status_code in (401, 409)
    assert post(api, "/login", {"username": f"S{sid}", "password": PASSWORD}).status_code == 200


def test_several_tokens_live_at_once(api: Any) -> None:
    sid = add_student()
    first, second = token_for(api, sid), token_for(api, sid)
    for token in (first, second):
        post(
            api,
            "/claim/password",
            {"claim_token": token, "password": PASSWORD, "password_confirm": PASSWORD},
        )
    assert (
        post(api, "/claim/answers", {"claim_token": second, "answers": ANSWERS}).status_code == 200
    )
    late = post(api, "/claim/answers", {"claim_token": first, "answers": ANSWERS})
    assert late.status_code == 409 and body(late)["error"] == "already_claimed"


def test_fifty_concurrent_completions_one_winner(api: Any, concurrently: Concurrently) -> None:
    """R1: exactly one of 50 parallel completions succeeds; the others are already_claimed."""
    sid = add_student()
    tokens = [token_for(api, sid) for _ in range(50)]
    for token in tokens:
        item = tables.get_item(
            "tokens", {"pk": "claim#" + __import__("hashlib").sha256(token.encode()).hexdigest()}
        )
        assert item is not None
    # Set the password hash directly on each token: 50 Argon2 hashes would only slow the test.
    from chalicelib import passwords
    from chalicelib import tokens as token_mod

    password_hash = passwords.hash_secret(PASSWORD)
    for token in tokens:
        token_mod.update("claim", token, {"password_hash": password_hash})

    def complete(client: Any, token: str) -> Any:
        return post(client, "/claim/answers", {"claim_token": token, "answers": ANSWERS})

    results = concurrently(complete, tokens, workers=25)
    statuses = sorted(r.status_code for r in results)
    assert statuses.count(200) == 1
    assert statuses.count(409) == 49
    assert {body(r)["error"] for r in results if r.status_code != 200} == {"already_claimed"}
    # No orphan: every claim token of this student is gone or unused, the account is whole.
    account = tables.get_item("accounts", {"pk": f"s{sid}"})
    assert account is not None and len(account["answers"]) == 3
