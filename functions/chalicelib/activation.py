"""Parent activation keys and the parent accounts they create (DESIGN.md, S6)."""

from __future__ import annotations

import re
import secrets
import uuid
from typing import Any

from . import audit, clock, identity, limits, passwords, sis, tokens
from .account import Account
from .errors import (
    AccountChanged,
    DomainError,
    InvalidRequest,
    StorageUnavailable,
    TokenGone,
    UsernameTaken,
)
from .storage import accounts as stored_accounts
from .storage import activation_keys as stored_keys

KEY_LIFETIME_S = 60 * 24 * 3600
PARENT_USERNAME = re.compile(r"[A-Za-z0-9]{3,30}")
HEX_KEY = re.compile(r"[0-9A-F]{32}")


class ActivationKeyInvalid(DomainError):
    """The key is unknown, used, revoked or expired: one answer for every cause."""

    code = "activation_key_invalid"


class UsernameInvalid(DomainError):
    """Not 3 to 30 letters and digits, all digits, or shaped like a student username."""

    code = "username_invalid"


def new_key() -> str:
    """128 random bits written as a GUID in braces, as the district's letters show them."""
    return "{" + str(uuid.UUID(bytes=secrets.token_bytes(16))).upper() + "}"


def normal_form(key: str) -> str | None:
    """The 32 hex digits of a key, whatever braces, spaces, dashes or case were typed."""
    compact = re.sub(r"[\s{}\-]", "", key).upper()
    return compact if HEX_KEY.fullmatch(compact) else None


def _key_id(compact: str) -> str:
    return stored_keys.key_id(tokens.digest(compact))


def issue(guardian_id: str, actor: str) -> str:
    """A new key for a guardian, revoking that guardian's unused one; return the key."""
    guardian = sis.get_guardian(guardian_id)
    if guardian is None or not guardian.active:
        raise ActivationKeyInvalid("No active guardian has this id.")
    if has_account(guardian_id):  # a key could never be used (issue 15, I1)
        raise InvalidRequest(
            "This guardian already has an account: reactivate it or set a temporary password.",
            field="guardian_id",
        )
    key = new_key()
    stored_keys.issue(
        _key_id(normal_form(key) or ""), guardian_id, int(clock.now()) + KEY_LIFETIME_S
    )
    audit.record(actor, "activation_key_issue", guardian_id)
    return key


def has_live_key(guardian_id: str) -> bool:
    """True when the guardian holds an unused, unexpired key."""
    newest = stored_keys.newest_of(guardian_id)
    return (
        newest is not None
        and int(newest["expires_at"]) > clock.now()
        and stored_keys.get(newest["key_pk"]) is not None
    )


def has_account(guardian_id: str) -> bool:
    """True once the guardian created a parent account."""
    return stored_accounts.username_of_guardian(guardian_id) is not None


def _live(key: object) -> dict[str, Any]:
    compact = normal_form(key) if isinstance(key, str) else None
    item = stored_keys.get(_key_id(compact)) if compact else None
    if item is None or int(item["expires_at"]) <= clock.now():
        raise ActivationKeyInvalid()  # unknown, used, revoked or expired: one answer
    guardian = sis.get_guardian(item["guardian_id"])
    if guardian is None or not guardian.active:
        raise ActivationKeyInvalid()
    # A key whose guardian has an account meanwhile can never be used: saying so now keeps it
    # from answering username_taken for every name typed (an open-ended oracle).
    if has_account(guardian.guardian_id):
        raise ActivationKeyInvalid()
    return item


def check(key: str) -> dict[str, bool]:
    """Whether a key can still create an account."""
    _live(key)
    return {"valid": True}


def validate_username(username: str) -> str:
    """A parent username: letters and digits, 3–30, not all digits, not a student's shape."""
    name = username.strip()
    if (
        not PARENT_USERNAME.fullmatch(name)
        or name.isdigit()
        or identity.is_student_username(name)
        or not name.isascii()
    ):
        raise UsernameInvalid(field="username")
    return name


def create_account(key: str, username: str, password: str, confirm: str) -> str:
    """Use a key once to create the guardian's account; return the username."""
    item = _live(key)
    name = validate_username(username)
    guardian = sis.get_guardian(item["guardian_id"])
    assert guardian is not None
    account = Account(
        key=identity.username_key(name),
        role="parent",
        display_username=name,
        guardian_id=guardian.guardian_id,
        created_at=clock.iso(clock.now()),
    )
    passwords.check_password(
        password,
        confirm,
        personal=account.personal_values(sis.names_of(guardian)),
        previous_hashes=[],
    )
    if stored_accounts.get(account.key) is not None:
        raise UsernameTaken(field="username")
    created = account.first_password(passwords.hash_secret(password))
    try:
        stored_accounts.complete_activation(created, item["pk"], int(clock.now()))
    except TokenGone:
        raise ActivationKeyInvalid() from None
    stored_keys.forget_newest(guardian.guardian_id)
    audit.record(created.key, "parent_account_create", guardian.guardian_id)
    return name


def parent_account(username: str) -> Account | None:
    """The parent account behind a username, or None."""
    account = stored_accounts.get(identity.username_key(username))
    return account if account and account.role == "parent" else None


def reactivate(account: Account) -> None:
    """Lift the lock after 5 failed logins."""
    stored_accounts.reactivate(account.key)
    limits.clear(limits.login_counter(account.key))


def set_temporary_password(account: Account, secret: str) -> None:
    """A school-issued password that must be changed at the next login; other sessions end."""
    current: Account | None = account
    for _ in range(3):  # a login failure may bump the epoch meanwhile: read again and retry
        if current is None:
            return
        try:
            stored_accounts.save_password(
                current.with_password(passwords.hash_secret(secret), temporary=True), current
            )
            break
        except AccountChanged:
            current = stored_accounts.get(account.key)
    else:
        raise StorageUnavailable("the account kept changing")
    limits.clear(limits.login_counter(account.key))
