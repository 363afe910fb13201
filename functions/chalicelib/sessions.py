"""Sessions: 60 minutes idle, 12 hours in all, ended by any change to the account (S6)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import clock, sis, tokens
from .errors import DomainError
from .storage import accounts as store

IDLE_TIMEOUT_S = 60 * 60
ABSOLUTE_TIMEOUT_S = 12 * 60 * 60
# Writing last_seen on every call would double the cost of each request; a minute of slack
# on a 60-minute idle timeout is harmless.
TOUCH_AFTER_S = 60


class SessionInvalid(DomainError):
    """Your session has ended. Please log in again."""

    code = "session_invalid"


class PasswordChangeRequired(DomainError):
    """You must change your password before continuing."""

    code = "password_change_required"


@dataclass(frozen=True)
class Session:
    """The caller behind a valid session token."""

    token: str
    username: str
    role: str
    account: dict[str, Any]

    @property
    def must_change_password(self) -> bool:
        """True while a temporary password is in use."""
        return bool(self.account.get("must_change_password"))


def new(account: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """A session token and its item, for an account that just proved its password."""
    now = int(clock.now())
    token = tokens.new_token()
    expires = now + ABSOLUTE_TIMEOUT_S
    return token, {
        "pk": tokens.key("session", token),
        "kind": "session",
        "username": account["pk"],
        "role": account["role"],
        "epoch": int(account.get("session_epoch", 0)),
        "created_at": now,
        "last_seen": now,
        "expires_at": expires,
        "ttl": expires,
    }


def authenticate(authorization: str | None, *, allow_password_change: bool = False) -> Session:
    """The session named by an `Authorization: Bearer` header, or SessionInvalid."""
    token = _bearer(authorization)
    item = tokens.load("session", token) if token else None
    if item is None or token is None:
        raise SessionInvalid()
    now = int(clock.now())
    if now - int(item["last_seen"]) > IDLE_TIMEOUT_S:
        tokens.revoke("session", token)
        raise SessionInvalid()
    account, generation = store.account_with_generation(item["username"])
    if account is None or not still_valid(account, generation, int(item["epoch"])):
        tokens.revoke("session", token)
        raise SessionInvalid()
    if now - int(item["last_seen"]) > TOUCH_AFTER_S:
        tokens.update("session", token, {"last_seen": now})
    session = Session(token, item["username"], item["role"], account)
    if session.must_change_password and not allow_password_change:
        raise PasswordChangeRequired()
    return session


def still_valid(account: dict[str, Any], generation: int, epoch: int) -> bool:
    """False once the account changed password, was disabled, reset or left the SIS."""
    if int(account.get("session_epoch", 0)) != epoch or account.get("disabled"):
        return False
    if account["role"] == "student":
        if account.get("claimed_gen") != generation:
            return False
        student = sis.get_student(account["student_id"])
        return student is not None and student.active
    if account["role"] == "parent":
        guardian = sis.get_guardian(account["guardian_id"])
        return guardian is not None and guardian.active
    return True


def end(authorization: str | None) -> None:
    """Log out: the token stops working at once (unknown tokens are ignored)."""
    token = _bearer(authorization)
    if token:
        tokens.revoke("session", token)


def _bearer(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, value = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()
