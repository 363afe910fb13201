"""Two-step login, sessions, lockout and slow-down (S3, S4, S6), and /me."""

from __future__ import annotations

import json
from typing import Any

from chalicelib import clock, staff
from chalicelib.storage import db

from .support.api import Concurrently, body
from .support.factories import PASSWORD, add_student, claim, get, login, post, set_active


def attempt(api: Any, username: str, password: str) -> Any:
    return post(api, "/login", {"username": username, "password": password})


def test_identify_accepts_any_well_formed_username(api: Any) -> None:
    for username in ("S0000001", "nobody42", "MinnieC"):
        response = post(api, "/login/identify", {"username": username})
        assert response.status_code == 200 and body(response) == {"next": "password"}
    bad = post(api, "/login/identify", {"username": "<script>"})
    assert bad.status_code == 400 and body(bad)["error"] == "invalid_request"


def test_unknown_user_and_wrong_password_are_byte_identical(api: Any) -> None:
    sid = add_student()
    claim(api, sid)
    wrong = attempt(api, f"S{sid}", "Not-the-password-1")
    unknown = attempt(api, "S9999990" if sid != "9999990" else "S9999991", "Not-the-password-1")
    parentish = attempt(api, "nosuchparent", "Not-the-password-1")
    assert wrong.status_code == unknown.status_code == parentish.status_code == 401
    assert wrong.body == unknown.body == parentish.body
    assert body(wrong) == {"error": "authentication_failed", "message": "Authentication Failed"}


def test_usernames_are_case_insensitive(api: Any) -> None:
    sid = add_student()
    claim(api, sid)
    assert attempt(api, f"s{sid}", PASSWORD).status_code == 200
    assert attempt(api, f" S{sid} ", PASSWORD).status_code == 200


def test_student_slowdown_doubles_and_resets_on_success(api: Any) -> None:
    sid = add_student()
    claim(api, sid)
    user = f"S{sid}"
    clock.freeze()  # the waits are seconds long: a slow machine must not let them pass
    for _ in range(5):
        assert attempt(api, user, "wrong-password-x").status_code == 401
    blocked = attempt(api, user, PASSWORD)
    assert blocked.status_code == 429 and body(blocked)["error"] == "too_many_attempts"
    assert body(blocked)["retry_after"] >= 1
    clock.advance(1.5)
    assert attempt(api, user, "wrong-password-x").status_code == 401  # 6th failure: wait 2 s
    assert attempt(api, user, PASSWORD).status_code == 429
    clock.advance(2.5)
    assert attempt(api, user, PASSWORD).status_code == 200  # success resets the counter
    for _ in range(4):
        assert attempt(api, user, "wrong-password-x").status_code == 401
    assert attempt(api, user, PASSWORD).status_code == 200


def test_unknown_student_usernames_keep_counters_too(api: Any) -> None:
    user = "S9999997"
    clock.freeze()
    for _ in range(5):
        assert attempt(api, user, "wrong-password-x").status_code == 401
    assert attempt(api, user, "wrong-password-x").status_code == 429


def test_hundred_parallel_guesses_cannot_pass_the_cap(api: Any, concurrently: Concurrently) -> None:
    """S4: the counter is taken atomically before the hash, so at most 5 guesses are judged."""
    sid = add_student()
    claim(api, sid)
    clock.freeze()  # no waiting period may pass while the guesses run, however slow the machine

    def guess(client: Any, i: int) -> int:
        return attempt(client, f"S{sid}", f"wrong-guess-{i}").status_code

    statuses = concurrently(guess, range(100), workers=20)
    assert statuses.count(401) == 5
    assert statuses.count(429) == 95


def test_session_idle_and_absolute_timeouts(api: Any) -> None:
    sid = add_student()
    claim(api, sid)
    token = login(api, f"S{sid}", PASSWORD)["session_token"]
    assert get(api, "/me", token).status_code == 200
    clock.advance(59 * 60)
    assert get(api, "/me", token).status_code == 200  # activity keeps it alive
    clock.advance(61 * 60)
    idle = get(api, "/me", token)
    assert idle.status_code == 401 and body(idle)["error"] == "session_invalid"
    token = login(api, f"S{sid}", PASSWORD)["session_token"]
    for _ in range(12):
        clock.advance(59 * 60)
        assert get(api, "/me", token).status_code == 200  # 11.8 hours, never idle
    clock.advance(20 * 60)
    assert get(api, "/me", token).status_code == 401  # 12 hours in all


def test_logout_ends_the_session(api: Any) -> None:
    sid = add_student()
    claim(api, sid)
    token = login(api, f"S{sid}", PASSWORD)["session_token"]
    assert post(api, "/logout", {}, token).status_code == 204
    assert get(api, "/me", token).status_code == 401


def test_me_and_access_log(api: Any) -> None:
    sid = add_student("Marcia", "Student")
    claim(api, sid, "Marcia", "Student")
    attempt(api, f"S{sid}", "wrong-password-x")
    token = login(api, f"S{sid}", PASSWORD)["session_token"]
    me = body(get(api, "/me", token))
    assert me == {
        "username": f"S{sid}",
        "role": "student",
        "display_name": "Marcia Student",
        "language": "en",
        "students": [sid],
    }
    entries = body(get(api, "/me/access-log", token))["entries"]
    assert [e["success"] for e in entries[:2]] == [True, False]
    assert all(e["ip"] and e["at"].endswith("Z") for e in entries)


def test_password_change_ends_other_sessions(api: Any) -> None:
    sid = add_student()
    claim(api, sid)
    first = login(api, f"S{sid}", PASSWORD)["session_token"]
    second = login(api, f"S{sid}", PASSWORD)["session_token"]
    new = "Green-lantern-river-7"
    wrong = post(
        api,
        "/me/password",
        {"current_password": "nope-nope-1", "new_password": new, "new_password_confirm": new},
        first,
    )
    assert wrong.status_code == 401 and body(wrong)["error"] == "authentication_failed"
    reused = post(
        api,
        "/me/password",
        {"current_password": PASSWORD, "new_password": PASSWORD, "new_password_confirm": PASSWORD},
        first,
    )
    assert body(reused)["error"] == "password_reused" and body(reused)["field"] == "new_password"
    ok = post(
        api,
        "/me/password",
        {"current_password": PASSWORD, "new_password": new, "new_password_confirm": new},
        first,
    )
    assert ok.status_code == 204
    assert get(api, "/me", first).status_code == 200
    assert get(api, "/me", second).status_code == 401
    assert attempt(api, f"S{sid}", new).status_code == 200


def test_inactive_student_cannot_log_in_and_sessions_end(api: Any) -> None:
    sid = add_student()
    claim(api, sid)
    token = login(api, f"S{sid}", PASSWORD)["session_token"]
    set_active(sid, False)
    assert get(api, "/me", token).status_code == 401
    assert attempt(api, f"S{sid}", PASSWORD).status_code == 401
    set_active(sid, True)
    assert attempt(api, f"S{sid}", PASSWORD).status_code == 200


def test_new_year_reset_ends_sessions_and_unclaims(api: Any) -> None:
    sid = add_student()
    claim(api, sid)
    token = login(api, f"S{sid}", PASSWORD)["session_token"]
    staff.reset_all_students("test")
    assert get(api, "/me", token).status_code == 401
    assert attempt(api, f"S{sid}", PASSWORD).status_code == 401
    start = post(
        api, "/claim/start", {"last_name": "Clayton", "first_name": "Daffy", "student_id": sid}
    )
    assert start.status_code == 200


def test_hashes_only_in_the_table(api: Any) -> None:
    """S1: the raw items hold Argon2id hashes, never the password or the answers."""
    sid = add_student()
    claim(api, sid)
    raw = db.client().get_item(TableName=db.name("accounts"), Key={"pk": {"S": f"s{sid}"}})["Item"]
    text = json.dumps(raw)
    assert PASSWORD not in text
    for answer in ("March", "march", "pomme", "apple", "winter"):
        assert f'"{answer}"' not in text
    assert raw["password_hash"]["S"].startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert all(v["S"].startswith("$argon2id$") for v in raw["answers"]["M"].values())


def test_parent_the_sis_no_longer_lists_cannot_log_in_and_sessions_end(api: Any) -> None:
    from chalicelib.storage import tables

    from .support.families import activate, add_guardian, new_school, parent_username

    school = new_school()
    gid = add_guardian("Rosa", "Leaving", [add_student(school=school)], school)
    username = parent_username()
    token = activate(api, gid, username)
    profile = tables.get_item("sis", {"pk": f"guardian#{gid}", "sk": "profile"})
    assert profile is not None
    tables.put_item("sis", {**profile, "active": False})
    assert get(api, "/me", token).status_code == 401
    right, wrong = attempt(api, username, PASSWORD), attempt(api, username, "Wrong-pass-1234")
    assert (right.status_code, right.body) == (wrong.status_code, wrong.body)
    assert right.status_code == 401
    tables.put_item("sis", {**profile, "active": True})
    assert attempt(api, username, PASSWORD).status_code == 200


def test_a_failure_on_an_unknown_name_is_written_apart_from_any_account(api: Any) -> None:
    from chalicelib.storage import events

    name = f"nobody.guess{add_student()}"
    assert attempt(api, name, "Wrong-pass-1234").status_code == 401
    key = name.lower()
    unknown = db.query("events", "pk", f"access-unknown#{key}")
    assert [line["success"] for line in unknown] == [False]
    assert unknown[0]["ttl"] - int(clock.now()) <= 31 * 24 * 3600
    assert events.access_lines(key, 10) == []  # a parent who takes the name later sees nothing
