"""Accounts (table `accounts`): reading them, and every change that must happen all at once.

Item layouts (key pk = lower-case username):
  student: role=student, student_id, claimed_gen (int, only while claimed), password_hash,
           password_history (newest first), answers {question id: hash}, session_epoch
  parent:  role=parent, guardian_id, display_username, password_hash, password_history,
           session_epoch, disabled, must_change_password, created_at, language (once chosen)
  staff:   role=staff, staff_role, school, display_username, password_hash, password_history,
           session_epoch, must_change_password, created_at
  pk "guardian#<sourcedId>": username — the guardian's one parent account (usernames have no #)
  pk "#generation": gen (int) — bumped by the new-school-year reset; a student account is
           claimed only while its claimed_gen equals it, so the reset is one write.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from ..account import Account
from ..errors import (
    AccountChanged,
    AlreadyClaimed,
    NotFound,
    TokenGone,
    UsernameTaken,
    WriteConflict,
)
from . import db, events
from .db import Canceled, ConditionFailed

TABLE = "accounts"
GENERATION_KEY = "#generation"
# Attributes an account item leaves out when they hold their default (the item shapes above).
_OPTIONAL: dict[str, Any] = {
    "display_username": "",
    "created_at": "",
    "student_id": "",
    "claimed_gen": None,
    "answers": {},
    "guardian_id": "",
    "staff_role": "",
    "school": None,
    "language": "",
}


def to_item(account: Account) -> dict[str, Any]:
    """The stored form of an account."""
    values = asdict(account)
    item: dict[str, Any] = {"pk": values.pop("key")}
    for attr, value in values.items():
        if attr in _OPTIONAL and value == _OPTIONAL[attr]:
            continue
        if attr in ("disabled", "must_change_password") and not value and account.role == "student":
            continue  # students are never disabled nor given a temporary password
        item[attr] = list(value) if isinstance(value, tuple) else value
    return item


def from_item(item: dict[str, Any]) -> Account:
    """An account from its stored form."""
    return Account(
        key=item["pk"],
        role=item["role"],
        password_hash=item.get("password_hash", ""),
        password_history=tuple(item.get("password_history", ())),
        session_epoch=int(item.get("session_epoch", 0)),
        must_change_password=bool(item.get("must_change_password", False)),
        disabled=bool(item.get("disabled", False)),
        display_username=item.get("display_username", ""),
        created_at=item.get("created_at", ""),
        student_id=item.get("student_id", ""),
        claimed_gen=int(item["claimed_gen"]) if "claimed_gen" in item else None,
        answers=dict(item.get("answers", {})),
        guardian_id=item.get("guardian_id", ""),
        staff_role=item.get("staff_role", ""),
        school=item.get("school"),
        language=item.get("language", ""),
    )


def _account(item: dict[str, Any] | None) -> Account | None:
    return from_item(item) if item and "role" in item else None


def get(key: str) -> Account | None:
    """The account with this (lower-case) username, or None."""
    return _account(db.get(TABLE, {"pk": key}))


def with_generation(key: str) -> tuple[Account | None, int]:
    """An account and the current school-year generation, in one round trip."""
    found = db.batch_get([(TABLE, {"pk": key}), (TABLE, {"pk": GENERATION_KEY})])
    generation = found.get((TABLE, (GENERATION_KEY,)))
    return _account(found.get((TABLE, (key,)))), int(generation["gen"]) if generation else 0


def generation() -> int:
    """The current school-year generation (0 before the first new-year reset)."""
    item = db.get(TABLE, {"pk": GENERATION_KEY})
    return int(item["gen"]) if item else 0


def start_new_school_year_with_audit(audit: dict[str, Any]) -> int:
    """Make every student account unclaimed at once, audited; return the new generation."""
    db.transact(
        [
            db.update_op("generation", TABLE, {"pk": GENERATION_KEY}, add={"gen": 1}),
            events.audit_op(audit),
        ]
    )
    return generation()


def username_of_guardian(guardian_id: str) -> str | None:
    """The key of the parent account a guardian created, or None."""
    item = db.get(TABLE, {"pk": _owner(guardian_id)})
    return item["username"] if item else None


def _owner(guardian_id: str) -> str:
    return f"guardian#{guardian_id}"


def complete_claim(account: Account, claim_token_key: str, generation: int) -> None:
    """Save a claimed student account and use up its claim token, all or nothing.

    AlreadyClaimed: someone completed a claim of this account in this generation first.
    TokenGone: the claim token was used or the school year changed meanwhile.
    WriteConflict: another completion was in flight; read again and retry.
    """
    try:
        db.transact(
            [
                db.put_op(
                    "account",
                    TABLE,
                    to_item(account),
                    "attribute_not_exists(pk) OR attribute_not_exists(claimed_gen)"
                    " OR claimed_gen <> :gen",
                    {":gen": generation},
                ),
                db.delete_op("token", "tokens", {"pk": claim_token_key}, "attribute_exists(pk)"),
                db.check_op(
                    "generation",
                    TABLE,
                    {"pk": GENERATION_KEY},
                    "attribute_not_exists(gen) OR gen = :gen",
                    {":gen": generation},
                ),
            ]
        )
    except Canceled as err:
        if "account" in err.failed:
            raise AlreadyClaimed() from None
        if err.failed:
            raise TokenGone() from None
        raise WriteConflict() from None


def complete_reset(account: Account, before: Account, reset_token_key: str) -> None:
    """Save a reset password and use up the reset token, unless either changed meanwhile."""
    try:
        db.transact(
            [
                db.delete_op("token", "tokens", {"pk": reset_token_key}, "attribute_exists(pk)"),
                db.put_op(
                    "account",
                    TABLE,
                    to_item(account),
                    "session_epoch = :epoch AND claimed_gen = :gen",
                    {":epoch": before.session_epoch, ":gen": before.claimed_gen},
                ),
            ]
        )
    except Canceled as err:
        raise (AccountChanged() if "account" in err.failed else TokenGone()) from None


def complete_activation(account: Account, key_id: str, now: int) -> None:
    """Create a guardian's parent account and use up the activation key, all or nothing.

    UsernameTaken: another account has the username. TokenGone: the key was used, revoked or
    expired meanwhile, or the guardian already has an account.
    """
    try:
        db.transact(
            [
                db.put_op("account", TABLE, to_item(account), "attribute_not_exists(pk)"),
                db.delete_op(
                    "key",
                    "tokens",
                    {"pk": key_id},
                    "attribute_exists(pk) AND expires_at > :now",
                    {":now": now},
                ),
                db.put_op(
                    "owner",
                    TABLE,
                    {"pk": _owner(account.guardian_id), "username": account.key},
                    "attribute_not_exists(pk)",
                ),
            ]
        )
    except Canceled as err:
        if err.failed == {"account"}:
            raise UsernameTaken(field="username") from None
        raise TokenGone() from None  # the key or the guardian's one account: a concurrent use


# The staff roster: one item naming every staff account's key, so the district admin's list
# reads a handful of items instead of scanning every student's account. A superset at worst
# (a name is added before its account is written): readers keep the staff accounts only.
ROSTER = {"pk": "staff#roster"}


def create_with_audit(account: Account, audit: dict[str, Any]) -> None:
    """Store a new (staff) account and its audit entry at once; UsernameTaken when the
    username exists already (then neither is written)."""
    if account.role == "staff":
        db.update(TABLE, ROSTER, add={"members": {account.key}})
    try:
        db.transact(
            [
                db.put_op("account", TABLE, to_item(account), "attribute_not_exists(pk)"),
                events.audit_op(audit),
            ]
        )
    except Canceled as err:
        if "account" in err.failed:
            raise UsernameTaken() from None
        raise WriteConflict() from None


def save_password(account: Account, before: Account, audit: dict[str, Any] | None = None) -> None:
    """Store a changed password (with a staff action's audit entry, at once); AccountChanged
    if another change came first."""
    operations = [
        db.put_op(
            "account",
            TABLE,
            to_item(account),
            "session_epoch = :epoch",
            {":epoch": before.session_epoch},
        )
    ]
    if audit is not None:
        operations.append(events.audit_op(audit))
    try:
        db.transact(operations)
    except Canceled:
        raise AccountChanged() from None


def disable(key: str) -> None:
    """Disable an account and end its sessions (a parent's 5th failed login in a row)."""
    try:
        db.update(
            TABLE,
            {"pk": key},
            {"disabled": True},
            add={"session_epoch": 1},
            condition="attribute_exists(pk)",
        )
    except ConditionFailed:
        pass  # gone meanwhile: nothing left to disable


def disable_with_audit(key: str, audit: dict[str, Any]) -> None:
    """Disable a (staff) account, end its sessions and audit it, all or nothing; NotFound
    when the account is gone."""
    on_existing_account(
        [
            db.update_op("account", TABLE, {"pk": key}, {"disabled": True},
                         add={"session_epoch": 1}, condition="attribute_exists(pk)"),
            events.audit_op(audit),
        ]
    )  # fmt: skip


def on_existing_account(operations: list[db.Op]) -> None:
    """Run a transaction whose "account" operation needs the account: NotFound when it is
    gone, WriteConflict when another part was refused."""
    try:
        db.transact(operations)
    except Canceled as err:
        if "account" in err.failed:
            raise NotFound() from None
        raise WriteConflict() from None


def reactivate_with_audit(key: str, audit: dict[str, Any]) -> None:
    """Lift the disable after 5 failed logins and audit it, all or nothing."""
    db.transact(
        [
            db.update_op(
                "account", TABLE, {"pk": key}, {"disabled": False}, condition="attribute_exists(pk)"
            ),  # fmt: skip
            events.audit_op(audit),
        ]
    )


def choose_language(key: str, language: str) -> None:
    """Remember the language an account's owner chose (the SIS import never touches it)."""
    try:
        db.update(TABLE, {"pk": key}, {"language": language}, condition="attribute_exists(pk)")
    except ConditionFailed:
        pass  # no such account: nothing to remember it for


def chosen_languages_of(guardian_ids: list[str]) -> dict[str, str]:
    """Guardian sourcedId → the language its parent account chose, for those who chose one:
    the guardians' owner items, then their accounts, read by key (no scan)."""
    owners = db.batch_get([(TABLE, {"pk": _owner(g)}) for g in dict.fromkeys(guardian_ids)])
    usernames = {str(o["username"]): str(o["pk"]).split("#", 1)[1] for o in owners.values()}
    found = db.batch_get([(TABLE, {"pk": name}) for name in usernames])
    return {
        usernames[str(item["pk"])]: str(item["language"])
        for item in found.values()
        if item.get("language") and str(item["pk"]) in usernames
    }
