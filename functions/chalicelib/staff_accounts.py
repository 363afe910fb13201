"""District admins manage staff accounts: list, add, disable, reset MFA (API and `portal staff`).

The caller's role is checked before the target is looked up (QUALITY S11): anyone below
district_admin gets the same 403 whether the username exists or not.
"""

from __future__ import annotations

from typing import Any

from . import audit, identity, staff
from .account import Account
from .errors import InvalidRequest, NotFound
from .sessions import Session
from .storage import accounts as stored_accounts
from .storage import mfa as stored_mfa
from .storage import sis as stored_sis

CLI_ACTOR = "cli"


def list_accounts(session: Session) -> list[dict[str, Any]]:
    """Every staff account with its role, school, state and MFA enrollment."""
    staff.require(session, "district_admin")
    return [
        _public(stored_accounts.from_item(item), enrolled)
        for item, enrolled in stored_mfa.staff_accounts()
    ]


def create(
    session: Session, username: str, role: str, school: str | None, ip: str
) -> dict[str, str]:
    """Add a staff account; its temporary password is in this answer only."""
    actor = staff.require(session, "district_admin")
    if role != "district_admin" and school:  # a district admin's school is ignored
        org = stored_sis.org(school)
        if org is None or org.get("type") != "school":
            raise InvalidRequest("No school has this sourcedId in the SIS.", field="school")
    temporary = staff.add_staff(username, role, school, actor=_who(actor, ip))
    return {"username": username, "temporary_password": temporary}


def disable(session: Session, username: str, ip: str) -> dict[str, Any]:
    """Disable a staff account: its sessions end at once and it cannot log in."""
    actor = staff.require(session, "district_admin")
    target = _staff_account(username)
    if target.key == actor.key:
        raise InvalidRequest("You cannot disable your own account.", field="username")
    disable_account(target, _who(actor, ip))
    return {"username": target.username, "disabled": True}


def reset_mfa(session: Session, username: str, ip: str) -> dict[str, Any]:
    """Forget a staff member's authenticator: they enroll again at their next login."""
    actor = staff.require(session, "district_admin")
    target = _staff_account(username)
    reset_account_mfa(target, _who(actor, ip))
    return {"username": target.username, "mfa_enrolled": False}


def disable_account(target: Account, actor: dict[str, Any]) -> None:
    """Disable and end the sessions of a staff account (API and CLI), audited."""
    stored_accounts.disable(target.key)
    audit.record_by(actor, "staff_disable", target.key)


def reset_account_mfa(target: Account, actor: dict[str, Any]) -> None:
    """Forget the enrollment and end the sessions of a staff account (API and CLI), audited."""
    stored_mfa.reset(target.key)
    audit.record_by(actor, "staff_mfa_reset", target.key)


def find(username: str) -> Account:
    """The staff account with this username (any case), or NotFound."""
    return _staff_account(username)


def cli_actor() -> dict[str, Any]:
    """Who an operator's `portal staff` command acts as in the audit trail."""
    return {"staff": CLI_ACTOR, "role": "operator", "school": None, "ip": "local"}


def _who(actor: Account, ip: str) -> dict[str, Any]:
    return {"staff": actor.key, "role": actor.staff_role, "school": actor.school, "ip": ip}


def _staff_account(username: str) -> Account:
    well_formed = identity.is_well_formed(username)
    account = stored_accounts.get(identity.username_key(username)) if well_formed else None
    if account is None or account.role != "staff":
        raise NotFound()  # parents and students are not managed here: unknown, like any name
    return account


def _public(account: Account, enrolled: bool) -> dict[str, Any]:
    return {
        "username": account.username,
        "role": account.staff_role,
        "school": account.school,
        "disabled": account.disabled,
        "mfa_enrolled": enrolled,
    }
