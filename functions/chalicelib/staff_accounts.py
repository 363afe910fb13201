"""District admins manage staff accounts: list, add, disable, reset MFA (API and `portal staff`).

The caller's role is checked before the target is looked up (QUALITY S11): anyone below
district_admin gets the same 403 whether the username exists or not.
"""

from __future__ import annotations

from typing import Any

from . import audit, identity, staff
from .account import Account
from .errors import InvalidRequest
from .sessions import Session
from .storage import accounts as stored_accounts
from .storage import mfa as stored_mfa
from .storage import sis as stored_sis


def list_accounts(session: Session, ip: str) -> list[dict[str, Any]]:
    """Every staff account with its role, school, state and MFA enrollment."""
    staff.authorize(session, "district_admin", "staff_list", ip)
    return [
        _public(stored_accounts.from_item(item), enrolled)
        for item, enrolled in stored_mfa.staff_accounts()
    ]


def create(
    session: Session, username: str, role: str, school: str | None, ip: str
) -> dict[str, str]:
    """Add a staff account; its temporary password is in this answer only."""
    actor = staff.authorize(session, "district_admin", "staff_add", ip)
    if role != "district_admin" and school:  # a district admin's school is ignored
        org = stored_sis.org(school)
        if org is None or org.get("type") != "school":
            raise InvalidRequest("No school has this sourcedId in the SIS.", field="school")
    temporary = staff.add_staff(username, role, school, actor=actor)
    return {"username": username, "temporary_password": temporary}


def disable(session: Session, username: str, ip: str) -> dict[str, Any]:
    """Disable a staff account: its sessions end at once and it cannot log in."""
    actor = staff.authorize(session, "district_admin", "staff_disable", ip)
    target = _staff_account(actor, "staff_disable", username)
    if target.key == actor.staff:
        raise InvalidRequest("You cannot disable your own account.", field="username")
    disable_account(target, actor)
    return {"username": target.username, "disabled": True}


def reset_mfa(session: Session, username: str, ip: str) -> dict[str, Any]:
    """Forget a staff member's authenticator: they enroll again at their next login."""
    actor = staff.authorize(session, "district_admin", "staff_mfa_reset", ip)
    target = _staff_account(actor, "staff_mfa_reset", username)
    reset_account_mfa(target, actor)
    return {"username": target.username, "mfa_enrolled": False}


def disable_account(target: Account, actor: audit.Actor) -> None:
    """Disable and end the sessions of a staff account (API and CLI), audited with it."""
    entry = audit.entry(actor, "staff_disable", target.key, school=target.school)
    stored_accounts.disable_with_audit(target.key, entry)


def reset_account_mfa(target: Account, actor: audit.Actor) -> None:
    """Forget the enrollment and end the sessions of a staff account (API and CLI), audited
    with it."""
    entry = audit.entry(actor, "staff_mfa_reset", target.key, school=target.school)
    stored_mfa.reset_with_audit(target.key, entry)


def find(username: str) -> Account:
    """The staff account with this username (any case), or NotFound (the CLI's look-up)."""
    return _staff_account(cli_actor(), "staff_find", username)


def cli_actor() -> audit.Actor:
    """Who an operator's `portal staff` command acts as in the audit trail."""
    return audit.operator("cli")


def _staff_account(actor: audit.Actor, action: str, username: str) -> Account:
    well_formed = identity.is_well_formed(username)
    account = stored_accounts.get(identity.username_key(username)) if well_formed else None
    if account is None or account.role != "staff":
        # Parents and students are not managed here: unknown, like any name (and recorded).
        raise staff.not_found(actor, action, username)
    return account


def _public(account: Account, enrolled: bool) -> dict[str, Any]:
    return {
        "username": account.username,
        "role": account.staff_role,
        "school": account.school,
        "disabled": account.disabled,
        "mfa_enrolled": enrolled,
    }
