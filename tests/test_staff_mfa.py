"""MFA for school and district admins, and staff sessions (issue 14 item 6, QUALITY S6, S11)."""

from __future__ import annotations

import re
from typing import Any

import pyotp
import pytest

from chalicelib import clock, limits, staff, totp

from .support.api import body
from .support.factories import (
    STAFF_PASSWORD,
    get,
    login,
    post,
    staff_account,
    staff_login,
    totp_code,
)


def _password_step(api: Any, username: str) -> dict[str, Any]:
    answer = login(api, username, STAFF_PASSWORD)
    assert answer["mfa_required"] is True and "session_token" not in answer
    return answer


def test_first_login_enrolls_with_a_qr_code_and_gives_ten_recovery_codes(api: Any) -> None:
    temporary = staff.add_staff("principal.enrolls", "school_admin", "org-babb")
    first = login(api, "Principal.Enrolls", temporary)
    assert first == {"mfa_required": True, "mfa_token": first["mfa_token"], "enrolled": False}
    token = first["mfa_token"]
    assert post(api, "/login/mfa", {"mfa_token": token, "code": "123456"}).status_code == 409
    enrolled = body(post(api, "/login/mfa/enroll", {"mfa_token": token}))
    secret = enrolled["secret"]
    assert enrolled["otpauth_uri"].startswith("otpauth://totp/CCPS%20Portal:principal.enrolls?")
    assert f"secret={secret}" in enrolled["otpauth_uri"]
    assert enrolled["qr_svg"].startswith("<svg") and "</svg>" in enrolled["qr_svg"]
    # Asked twice with one token (a double click), the secret stays the one already scanned.
    assert body(post(api, "/login/mfa/enroll", {"mfa_token": token}))["secret"] == secret
    wrong = post(api, "/login/mfa/confirm", {"mfa_token": token, "code": _wrong(secret)})
    assert wrong.status_code == 401 and body(wrong)["error"] == "mfa_failed"
    done = post(api, "/login/mfa/confirm", {"mfa_token": token, "code": totp_code(secret)})
    assert done.status_code == 200, done.body
    answer = body(done)
    assert answer["role"] == "staff" and answer["must_change_password"] is True
    assert answer["idle_timeout_s"] == 900
    codes = answer["recovery_codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    # Enrolled: the next login asks for a code, and the secret is never handed out again.
    again = login(api, "principal.enrolls", temporary)
    assert again["enrolled"] is True
    refused = post(api, "/login/mfa/enroll", {"mfa_token": again["mfa_token"]})
    assert refused.status_code == 409 and body(refused)["error"] == "mfa_already_enrolled"
    assert secret.encode() not in refused.body


def test_a_code_logs_in_once_and_the_mfa_token_works_once(api: Any) -> None:
    username, _, secret = staff_account(api, "district_admin", None)
    step = _password_step(api, username)
    code = totp_code(secret)
    done = post(api, "/login/mfa", {"mfa_token": step["mfa_token"], "code": code})
    assert done.status_code == 200 and body(done)["idle_timeout_s"] == 900
    assert get(api, "/me", body(done)["session_token"]).status_code == 200
    reused_token = post(api, "/login/mfa", {"mfa_token": step["mfa_token"], "code": code})
    assert reused_token.status_code == 401 and body(reused_token)["error"] == "mfa_token_invalid"
    replay = post(
        api, "/login/mfa", {"mfa_token": _password_step(api, username)["mfa_token"], "code": code}
    )
    assert replay.status_code == 401 and body(replay)["error"] == "mfa_failed"


def test_a_recovery_code_works_exactly_once(api: Any) -> None:
    temporary = staff.add_staff("recovery.admin", "school_admin", "org-babb")
    token = login(api, "recovery.admin", temporary)["mfa_token"]
    secret = body(post(api, "/login/mfa/enroll", {"mfa_token": token}))["secret"]
    confirmed = post(api, "/login/mfa/confirm", {"mfa_token": token, "code": totp_code(secret)})
    codes = body(confirmed)["recovery_codes"]
    first = login(api, "recovery.admin", temporary)["mfa_token"]
    # Typed as people type it: upper case, spaces instead of dashes.
    typed = codes[3].upper().replace("-", " ")
    assert post(api, "/login/mfa", {"mfa_token": first, "code": typed}).status_code == 200
    second = login(api, "recovery.admin", temporary)["mfa_token"]
    used = post(api, "/login/mfa", {"mfa_token": second, "code": codes[3]})
    assert used.status_code == 401 and body(used)["error"] == "mfa_failed"
    assert post(api, "/login/mfa", {"mfa_token": second, "code": codes[4]}).status_code == 200


def test_two_logins_racing_with_one_recovery_code_open_one_session(
    api: Any, concurrently: Any
) -> None:
    temporary = staff.add_staff("race.admin", "district_admin", None)
    token = login(api, "race.admin", temporary)["mfa_token"]
    secret = body(post(api, "/login/mfa/enroll", {"mfa_token": token}))["secret"]
    codes = body(post(api, "/login/mfa/confirm", {"mfa_token": token, "code": totp_code(secret)}))[
        "recovery_codes"
    ]
    # Two password steps and two codes stay under the failure cap: only the race decides.
    tokens = [login(api, "race.admin", temporary)["mfa_token"] for _ in range(2)]
    statuses = concurrently(
        lambda client, t: (
            post(client, "/login/mfa", {"mfa_token": t, "code": codes[0]}).status_code
        ),
        tokens,
        workers=2,
    )
    assert sorted(statuses) == [200, 401]


def test_wrong_codes_are_slowed_down_like_wrong_passwords(api: Any) -> None:
    clock.freeze()
    username, _, secret = staff_account(api, "school_admin")
    token = _password_step(api, username)["mfa_token"]  # the password step counts, as a try
    statuses = [
        post(api, "/login/mfa", {"mfa_token": token, "code": _wrong(secret)}).status_code
        for _ in range(limits.CAP + 1)
    ]
    assert statuses == [401] * (limits.CAP - 1) + [429, 429]
    right_code = pyotp.TOTP(secret).at(clock.now())  # judged only after the wait: refused
    blocked = post(api, "/login/mfa", {"mfa_token": token, "code": right_code})
    assert blocked.status_code == 429 and body(blocked)["error"] == "too_many_attempts"
    assert int(blocked.headers["Retry-After"]) >= 1
    # A new password step does not wipe the count: the wait holds for codes that follow it.
    assert (
        post(api, "/login", {"username": username, "password": STAFF_PASSWORD}).status_code == 429
    )
    clock.advance(limits.MAX_WAIT_S)
    token = _password_step(api, username)["mfa_token"]
    clock.advance(60)  # the password step used this waiting period's one attempt
    assert (
        post(api, "/login/mfa", {"mfa_token": token, "code": totp_code(secret)}).status_code == 200
    )


def test_the_mfa_token_lasts_five_minutes(api: Any) -> None:
    clock.freeze()
    username, _, secret = staff_account(api, "school_admin")
    token = _password_step(api, username)["mfa_token"]
    clock.advance(5 * 60 + 1)
    late = post(api, "/login/mfa", {"mfa_token": token, "code": totp_code(secret)})
    assert late.status_code == 401 and body(late)["error"] == "mfa_token_invalid"


def test_teachers_and_technicians_have_no_mfa_step(api: Any) -> None:
    for role in ("teacher", "technician"):
        username, session, secret = staff_account(api, role)
        assert secret == "" and get(api, "/me", session).status_code == 200
        answer = login(api, username, STAFF_PASSWORD)
        assert "mfa_required" not in answer and answer["idle_timeout_s"] == 900


def test_staff_sessions_end_after_15_idle_minutes(api: Any) -> None:
    clock.freeze()
    _, session, _ = staff_account(api, "teacher")
    clock.advance(14 * 60)
    assert get(api, "/me", session).status_code == 200  # activity keeps it open
    clock.advance(14 * 60)
    assert get(api, "/me", session).status_code == 200
    clock.advance(15 * 60 + 1)
    ended = get(api, "/me", session)
    assert ended.status_code == 401 and body(ended)["error"] == "session_invalid"


def test_a_disabled_staff_members_sessions_end_at_once(api: Any) -> None:
    username, session, secret = staff_account(api, "school_admin")
    _, district, _ = staff_account(api, "district_admin", None)
    assert get(api, "/me", session).status_code == 200
    assert post(api, f"/staff/accounts/{username}/disable", {}, district).status_code == 200
    ended = get(api, "/me", session)
    assert ended.status_code == 401 and body(ended)["error"] == "session_invalid"
    refused = post(api, "/login", {"username": username, "password": STAFF_PASSWORD})
    assert refused.status_code == 423 and body(refused)["error"] == "account_disabled"
    wrong = post(api, "/login", {"username": username, "password": "Not-the-password-1"})
    assert wrong.status_code == 401


def test_an_mfa_token_dies_with_a_disable_between_password_and_code(api: Any) -> None:
    username, _, secret = staff_account(api, "school_admin")
    _, district, _ = staff_account(api, "district_admin", None)
    token = _password_step(api, username)["mfa_token"]
    post(api, f"/staff/accounts/{username}/disable", {}, district)
    late = post(api, "/login/mfa", {"mfa_token": token, "code": totp_code(secret)})
    assert late.status_code == 401 and body(late)["error"] == "mfa_token_invalid"


@pytest.mark.parametrize(
    "path, payload",
    [
        ("/login/mfa", {"mfa_token": "x" * 43, "code": "123456"}),
        ("/login/mfa", {"mfa_token": "", "code": "123456"}),
        ("/login/mfa", {"mfa_token": "abc", "code": "1" * 33}),
        ("/login/mfa", {"mfa_token": "abc", "code": 123456}),
        ("/login/mfa/enroll", {"mfa_token": "nope"}),
        ("/login/mfa/enroll", {"mfa_token": "nope", "extra": 1}),
        ("/login/mfa/confirm", {"mfa_token": "\ud800", "code": "\u0661" * 6}),
    ],
)
def test_bad_mfa_input_is_refused_without_a_5xx(api: Any, path: str, payload: Any) -> None:
    response = post(api, path, payload)
    assert response.status_code in (400, 401)
    assert body(response)["error"] in ("invalid_request", "mfa_token_invalid")


def _wrong(secret: str) -> str:
    """A 6-digit code that is valid for no step around now."""
    totp = pyotp.TOTP(secret)
    now = int(clock.now())
    valid = {totp.at(now + drift) for drift in (-60, -30, 0, 30, 60)}
    return next(c for c in (f"{n:06d}" for n in range(1000)) if c not in valid)


def test_staff_login_helper_reaches_a_session(api: Any) -> None:
    username, _, secret = staff_account(api, "district_admin", None)
    answer, same = staff_login(api, username, STAFF_PASSWORD, secret)
    assert same == secret and get(api, "/me", answer["session_token"]).status_code == 200


@pytest.mark.unit
def test_totp_accepts_one_step_of_drift_and_nothing_else() -> None:
    secret = totp.new_secret()
    now = 1_780_000_000.0
    codes = pyotp.TOTP(secret)
    current = int(now) // 30
    for drift in (-1, 0, 1):
        assert totp.matching_step(secret, codes.at(now + drift * 30), now) == current + drift
    for far in (-2, 2):
        code = codes.at(now + far * 30)
        if code not in {codes.at(now + d * 30) for d in (-1, 0, 1)}:
            assert totp.matching_step(secret, code, now) is None
    spaced = codes.at(now)[:3] + " " + codes.at(now)[3:]
    assert totp.matching_step(secret, spaced, now) == current
    arabic_digits = codes.at(now).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert totp.matching_step(secret, arabic_digits, now) is None
    assert totp.matching_step(secret, "12345", now) is None


@pytest.mark.unit
def test_recovery_codes_are_random_readable_and_checked_by_hash() -> None:
    codes = totp.new_recovery_codes()
    assert len(set(codes)) == 10
    assert all(re.fullmatch(r"[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}", c) for c in codes)
    hashes = {str(i): totp.hash_recovery_code(c) for i, c in enumerate(codes[:3])}
    assert all(h.startswith("$argon2id$") and codes[0] not in h for h in hashes.values())
    assert totp.matching_recovery_code(hashes, codes[2].upper().replace("-", " ")) == "2"
    assert totp.matching_recovery_code(hashes, codes[5]) is None
    assert totp.matching_recovery_code(hashes, codes[1][:-1]) is None


@pytest.mark.unit
def test_the_qr_code_carries_the_otpauth_address() -> None:
    secret = totp.new_secret()
    assert len(secret) == 32  # 160 bits
    uri = totp.provisioning_uri(secret, "demo.schooladmin")
    assert uri == (
        f"otpauth://totp/CCPS%20Portal:demo.schooladmin?secret={secret}&issuer=CCPS%20Portal"
    )
    svg = totp.qr_svg(uri)
    assert svg.startswith("<svg") and "<path" in svg and uri not in svg
