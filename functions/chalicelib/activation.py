"""Parent activation keys and the parent accounts they create (DESIGN.md, S6)."""

from __future__ import annotations

import re
import secrets
import uuid
from typing import Any

from . import audit, clock, identity, passwords, sis
from .errors import ConditionFailed, DomainError, TransactionCanceled
from .storage import accounts as store

KEY_LIFETIME_S = 60 * 24 * 3600
PARENT_USERNAME = re.compile(r"[A-Za-z0-9]{3,30}")
HEX_KEY = re.compile(r"[0-9A-F]{32}")


class ActivationKeyInvalid(DomainError):
    """This activation key is not valid."""

    code = "activation_key_invalid"


class UsernameInvalid(DomainError):
    """Use 3 to 30 letters and digits, not only digits."""

    code = "username_invalid"


class UsernameTaken(DomainError):
    """This username is already taken."""

    code = "username_taken"


def new_key() -> str:
    """128 random bits written as a GUID in braces, as the district's letters show them."""
    return "{" + str(uuid.UUID(bytes=secrets.token_bytes(16))).upper() + "}"


def normal_form(key: str) -> str | None:
    """The 32 hex digits of a key, whatever braces, spaces, dashes or case were typed."""
    compact = re.sub(r"[\s{}\-]", "", key).upper()
    return compact if HEX_KEY.fullmatch(compact) else None


def _key_pk(compact: str) -> str:
    from .tokens import digest

    return f"activation#{digest(compact)}"


def _pointer(guardian_id: str) -> str:
    return f"activation-of#{guardian_id}"


def _owner(guardian_id: str) -> str:
    return f"guardian#{guardian_id}"  # never a username: usernames have no '#'


def issue(guardian_id: str, actor: str) -> str:
    """A new key for a guardian, revoking that guardian's unused one; return the key."""
    guardian = sis.get_guardian(guardian_id)
    if guardian is None or not guardian.active:
        raise ActivationKeyInvalid("No active guardian has this id.")
    key = new_key()
    expires = int(clock.now()) + KEY_LIFETIME_S
    old = store.get("tokens", _pointer(guardian_id))
    operations = [
        store.op_put(
            "tokens",
            {
                "pk": _key_pk(normal_form(key) or ""),
                "kind": "activation",
                "guardian_id": guardian_id,
                "expires_at": expires,
                "ttl": expires,
            },
            "attribute_not_exists(pk)",
        ),
        store.op_put(
            "tokens",
            {
                "pk": _pointer(guardian_id),
                "key_pk": _key_pk(normal_form(key) or ""),
                "expires_at": expires,
                "ttl": expires,
            },
        ),
    ]
    if old is not None:
        operations.append(store.op_delete("tokens", old["key_pk"], condition=None))
    store.transact(operations)
    audit.record(actor, "activation_key_issue", guardian_id)
    return key


def has_live_key(guardian_id: str) -> bool:
    """True when the guardian holds an unused, unexpired key."""
    pointer = store.get("tokens", _pointer(guardian_id))
    return (
        pointer is not None
        and int(pointer["expires_at"]) > clock.now()
        and (store.get("tokens", pointer["key_pk"]) is not None)
    )


def has_account(guardian_id: str) -> bool:
    """True once the guardian created a parent account."""
    return store.get("accounts", _owner(guardian_id)) is not None


def _live(key: object) -> dict[str, Any]:
    compact = normal_form(key) if isinstance(key, str) else None
    item = store.get("tokens", _key_pk(compact)) if compact else None
    if item is None or int(item["expires_at"]) <= clock.now():
        raise ActivationKeyInvalid()  # unknown, used, revoked or expired: one answer
    guardian = sis.get_guardian(item["guardian_id"])
    if guardian is None or not guardian.active:
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
    passwords.check_password(
        password,
        confirm,
        personal=[guardian.given_name, guardian.family_name, name],
        previous_hashes=[],
    )
    pk = identity.username_key(name)
    if store.get("accounts", pk) is not None:
        raise UsernameTaken(field="username")
    account = {
        "pk": pk,
        "display_username": name,
        "role": "parent",
        "guardian_id": guardian.guardian_id,
        "password_hash": passwords.hash_secret(password),
        "session_epoch": 0,
        "disabled": False,
        "must_change_password": False,
        "created_at": clock.iso(clock.now()),
    }
    account["password_history"] = [account["password_hash"]]
    try:
        store.transact(
            [
                store.op_put("accounts", account, "attribute_not_exists(pk)"),
                store.op_delete(
                    "tokens",
                    item["pk"],
                    "attribute_exists(pk) AND expires_at > :now",
                    {":now": int(clock.now())},
                ),
                store.op_put(
                    "accounts",
                    {"pk": _owner(guardian.guardian_id), "username": pk},
                    "attribute_not_exists(pk)",
                ),
            ]
        )
    except TransactionCanceled as err:
        reasons = (err.reasons + ["None"] * 3)[:3]
        if reasons[1] == "ConditionalCheckFailed" or reasons[2] == "ConditionalCheckFailed":
            raise ActivationKeyInvalid() from None
        if reasons[0] == "ConditionalCheckFailed":
            raise UsernameTaken(field="username") from None
        raise ActivationKeyInvalid() from None  # a concurrent use of the same key won
    store.delete("tokens", _pointer(guardian.guardian_id))
    audit.record(pk, "parent_account_create", guardian.guardian_id)
    return name


def parent_account(username: str) -> dict[str, Any] | None:
    """The parent account behind a username, or None."""
    account = store.get("accounts", identity.username_key(username))
    return account if account and account.get("role") == "parent" else None


def reactivate(username: str) -> None:
    """Lift the lock after 5 failed logins."""
    account = parent_account(username)
    if account is None:
        raise ConditionFailed("no such parent")
    store.update("accounts", account["pk"], {"disabled": False})
    store.delete("limits", f"login#{account['pk']}")


def set_temporary_password(username: str) -> str:
    """A school-issued password that must be changed at the next login; other sessions end."""
    from .staff import temporary_password

    account = parent_account(username)
    if account is None:
        raise ConditionFailed("no such parent")
    secret = temporary_password()
    store.update(
        "accounts",
        account["pk"],
        {
            "password_hash": passwords.hash_secret(secret),
            "must_change_password": True,
            "disabled": False,
        },
        add={"session_epoch": 1},
    )
    store.delete("limits", f"login#{account['pk']}")
    return secret
