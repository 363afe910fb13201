"""Two-step login for students, parents and staff in one case-insensitive username space."""

from __future__ import annotations

from typing import Any

from . import accesslog, identity, limits, passwords, sessions, sis
from .errors import DomainError, InvalidRequest
from .storage import accounts as store


class AuthenticationFailed(DomainError):
    """Authentication Failed"""

    code = "authentication_failed"


class AccountDisabled(DomainError):
    """This account is disabled. Please contact your school."""

    code = "account_disabled"


def identify(username: str) -> dict[str, str]:
    """Step one: any well-formed username moves on to the password (nothing is revealed)."""
    if not identity.is_well_formed(username):
        raise InvalidRequest("Enter your username.", field="username")
    return {"next": "password"}


def login(username: str, password: str, ip: str) -> dict[str, Any]:
    """Step two: check the password under the failure policy and open a session."""
    if not identity.is_well_formed(username):
        raise InvalidRequest("Enter your username.", field="username")  # no account has it
    limits.per_ip("login", ip)
    key = identity.username_key(username)
    counter = f"login#{key}"
    # One round trip reads everything a login needs: the surge is bound by Argon2 and the
    # database's own CPU, so every call saved is a login served (QUALITY P1, P2).
    keys: list[tuple[str, ...]] = [
        ("accounts", key),
        ("accounts", store.GENERATION_KEY),
        ("limits", counter),
    ]
    if identity.is_student_username(key):
        keys.append(("sis", f"student#{key[1:]}", "profile"))
    account, generation_item, counter_item, *profile = store.get_many(keys)  # type: ignore[arg-type]
    generation = int(generation_item["gen"]) if generation_item else 0
    usable = account if account and _usable(account, generation, profile) else None
    # Parents (and names that match no one, so they look like parents) are disabled after 5
    # failures; students and staff wait longer and longer instead (DESIGN, QUALITY S4).
    parent_like = (usable or {}).get("role") == "parent" or (
        usable is None and not identity.is_student_username(key)
    )
    if parent_like:
        allowed = not (usable or {}).get("disabled") and (
            limits.cap_at(counter, limits.CAP, limits.FOREVER_S) is not None
        )
    else:
        limits.slow_down(counter, counter_item or {})
        allowed = True
    ok = _verify(usable, password)
    log_line = [("events", accesslog.entry(key, ip, ok and allowed))] if usable else []
    if ok and not allowed:
        store.write_many(log_line, [])
        raise AccountDisabled()
    if not ok:
        store.write_many(log_line, [])
        if parent_like and usable is not None and allowed:
            _disable_at_cap(usable, counter)
        raise AuthenticationFailed()
    assert usable is not None
    token, session_item = sessions.new(usable)
    store.write_many([*log_line, ("tokens", session_item)], [("limits", counter)])
    return {
        "session_token": token,
        "role": usable["role"],
        "must_change_password": bool(usable.get("must_change_password")),
        "idle_timeout_s": sessions.IDLE_TIMEOUT_S,
    }


def _usable(account: dict[str, Any], generation: int, profile: list[dict[str, Any] | None]) -> bool:
    """True when the account exists for logging in (claimed, active in the SIS)."""
    if account.get("role") == "student":
        if account.get("claimed_gen") != generation:
            return False
        if profile:
            return bool(profile[0] and profile[0].get("active"))
        student = sis.get_student(account["student_id"])
        return student is not None and student.active
    if account.get("role") == "parent":
        guardian = sis.get_guardian(account["guardian_id"])
        return guardian is not None and guardian.active
    return account.get("role") == "staff"


def _verify(account: dict[str, Any] | None, password: str) -> bool:
    if account is None or "password_hash" not in account:
        passwords.dummy_verify(password)  # same cost as a real check: no timing oracle (S3)
        return False
    return passwords.verify_secret(account["password_hash"], password)


def _disable_at_cap(account: dict[str, Any], counter: str) -> None:
    current = store.get("limits", counter) or {}
    if int(current.get("n", 0)) >= limits.CAP:
        store.update(
            "accounts",
            account["pk"],
            {"disabled": True},
            add={"session_epoch": 1},
            condition="attribute_exists(pk)",
        )
