"""Sessions: 60 minutes idle (staff 15), 12 hours in all, ended by any account change (S6)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import clock, sis, tokens
from .account import Account
from .errors import DomainError
from .storage import accounts as stored_accounts

IDLE_TIMEOUT_S = 60 * 60
# Staff sessions reach other people's accounts: an unattended school computer must not keep
# one open for an hour (QUALITY S6).
STAFF_IDLE_TIMEOUT_S = 15 * 60
ABSOLUTE_TIMEOUT_S = 12 * 60 * 60
# Writing last_seen on every call would double the cost of each request; a minute of slack
# on a 60-minute idle timeout is harmless.
TOUCH_AFTER_S = 60


class SessionInvalid(DomainError):
    """The token names no live session (ended, expired, or the account changed)."""

    code = "session_invalid"


class PasswordChangeRequired(DomainError):
    """A temporary password must be changed before anything else."""

    code = "password_change_required"


@dataclass(frozen=True)
class Session:
    """The caller behind a valid session token."""

    token: str
    username: str
    role: str
    account: Account

    @property
    def must_change_password(self) -> bool:
        """True while a temporary password is in use."""
        return self.account.must_change_password


def new(account: Account) -> tuple[str, dict[str, Any]]:
    """A session token and its item, for an account that just proved its password."""
    now = int(clock.now())
    token = tokens.new_token()
    return token, tokens.item(
        "session",
        token,
        ABSOLUTE_TIMEOUT_S,
        username=account.key,
        role=account.role,
        epoch=account.session_epoch,
        created_at=now,
        last_seen=now,
    )


def idle_timeout(role: str) -> int:
    """Seconds a session of this role may sit idle before it ends."""
    return STAFF_IDLE_TIMEOUT_S if role == "staff" else IDLE_TIMEOUT_S


def login_body(token: str, account: Account) -> dict[str, Any]:
    """What a successful login answers (CONTRACT.md), whichever step opened the session."""
    return {
        "session_token": token,
        "role": account.role,
        "must_change_password": account.must_change_password,
        "idle_timeout_s": idle_timeout(account.role),
    }


def authenticate(authorization: str | None, *, allow_password_change: bool = False) -> Session:
    """The session named by an `Authorization: Bearer` header, or SessionInvalid."""
    token = _bearer(authorization)
    item = tokens.load("session", token) if token else None
    if item is None or token is None:
        raise SessionInvalid()
    now = int(clock.now())
    if now - int(item["last_seen"]) > idle_timeout(str(item["role"])):
        tokens.revoke("session", token)
        raise SessionInvalid()
    account, generation = stored_accounts.with_generation(item["username"])
    holder_active = account is not None and sis.is_active(sis.holder_of(account))
    if account is None or not account.session_valid(int(item["epoch"]), generation, holder_active):
        tokens.revoke("session", token)
        raise SessionInvalid()
    if now - int(item["last_seen"]) > TOUCH_AFTER_S:
        tokens.update("session", token, {"last_seen": now})
    session = Session(token, item["username"], item["role"], account)
    if session.must_change_password and not allow_password_change:
        raise PasswordChangeRequired()
    return session


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
