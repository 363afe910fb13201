"""Staff MFA enrollments and the staff list (table `accounts`).

Item layout: pk "mfa#<lower-case username>" (usernames have no #): secret (base32 TOTP secret,
never returned after enrollment), recovery {slot: Argon2 hash} (a used code's slot is removed),
last_step (the newest TOTP time step accepted: a code works once), version (int, bumped by
every change, so two logins that read the same item cannot both spend the same code),
enrolled_at. It is its own item so that password writes (whole-account puts) never touch it.
"""

from __future__ import annotations

from typing import Any

from ..errors import AccountChanged, TokenGone
from . import accounts, db, events
from .db import Canceled

PREFIX = "mfa#"


def key_of(username_key: str) -> str:
    """The pk of a staff member's MFA enrollment."""
    return PREFIX + username_key


def get(username_key: str) -> dict[str, Any] | None:
    """A staff member's MFA enrollment, or None when not enrolled."""
    return db.get(accounts.TABLE, {"pk": key_of(username_key)})


def complete_enrollment(
    token_key: str, enrollment: dict[str, Any], session: dict[str, Any], audit: dict[str, Any]
) -> None:
    """Save a first enrollment, use up the MFA token and open the session, all or nothing.

    TokenGone: the token was used or expired meanwhile. AccountChanged: already enrolled.
    """
    _transact(
        token_key,
        db.put_op("mfa", accounts.TABLE, enrollment, "attribute_not_exists(pk)"),
        session,
        events.audit_op(audit),
    )


def complete_login(
    token_key: str, enrollment: dict[str, Any], version: int, session: dict[str, Any]
) -> None:
    """Save the spent code, use up the MFA token and open the session, all or nothing.

    TokenGone: the token was used meanwhile. AccountChanged: another login spent a code or the
    enrollment was reset since it was read (so one code never opens two sessions).
    """
    _transact(
        token_key,
        db.put_op("mfa", accounts.TABLE, enrollment, "version = :version", {":version": version}),
        session,
    )


def _transact(token_key: str, mfa_op: db.Op, session: dict[str, Any], *more: db.Op) -> None:
    try:
        db.transact(
            [
                db.delete_op("token", "tokens", {"pk": token_key}, "attribute_exists(pk)"),
                mfa_op,
                db.put_op("session", "tokens", session, "attribute_not_exists(pk)"),
                *more,
            ]
        )
    except Canceled as err:
        if "token" in err.failed:
            raise TokenGone() from None
        raise AccountChanged() from None


def reset_with_audit(username_key: str, audit: dict[str, Any]) -> None:
    """Forget a staff member's enrollment, end their sessions and audit it, all or nothing:
    the next login enrolls again. NotFound when the account is gone."""
    accounts.on_existing_account(
        [
            db.delete_op("mfa", accounts.TABLE, {"pk": key_of(username_key)}),
            db.update_op("account", accounts.TABLE, {"pk": username_key},
                         add={"session_epoch": 1}, condition="attribute_exists(pk)"),
            events.audit_op(audit),
        ]
    )  # fmt: skip


def staff_accounts() -> list[tuple[dict[str, Any], bool]]:
    """Every staff account item with whether it is enrolled in MFA, sorted by username."""
    roster = db.get(accounts.TABLE, accounts.ROSTER) or {}
    keys = sorted(str(key) for key in roster.get("members", set()))
    found = db.batch_get(
        [(accounts.TABLE, {"pk": key}) for key in keys]
        + [(accounts.TABLE, {"pk": key_of(key)}) for key in keys]
    )
    staff = [found.get((accounts.TABLE, (key,))) for key in keys]
    return [
        (item, (accounts.TABLE, (key_of(item["pk"]),)) in found)
        for item in staff
        if item is not None and item.get("role") == "staff"
    ]
