"""What a school does for parents: reactivate, temporary password, new activation key."""

from __future__ import annotations

from typing import Any

from . import activation, audit, identity, sis, staff
from .account import Account
from .errors import NotFound
from .sessions import Session


def _schools_of_guardian(guardian_id: str) -> set[str]:
    return {s.school for s, _ in sis.students_of_guardian(guardian_id)}


def _require_for_guardian(session: Session, guardian_id: str) -> Account:
    """A school_admin of one of the guardian's children's schools (or a district admin)."""
    account = staff.require(session, "school_admin")
    if account.staff_role != "district_admin" and account.school not in (
        _schools_of_guardian(guardian_id)
    ):
        raise staff.Forbidden()
    return account


def _parent(username: str) -> Account:
    well_formed = identity.is_well_formed(username)
    account = activation.parent_account(username) if well_formed else None
    if account is None:
        raise NotFound()
    return account


def reactivate(session: Session, username: str) -> dict[str, Any]:
    """Lift a parent's lock after 5 failed logins."""
    parent = _parent(username)
    actor = _require_for_guardian(session, parent.guardian_id)
    activation.reactivate(parent)
    audit.record(actor.key, "parent_reactivate", parent.key)
    return {"username": parent.username, "status": "active"}


def temporary_password(session: Session, username: str) -> dict[str, Any]:
    """Give a parent a temporary password, to be changed at the next login."""
    parent = _parent(username)
    actor = _require_for_guardian(session, parent.guardian_id)
    secret = staff.temporary_password()
    activation.set_temporary_password(parent, secret)
    audit.record(actor.key, "parent_temporary_password", parent.key)
    return {"temporary_password": secret}


def new_key(session: Session, guardian_id: str) -> dict[str, Any]:
    """Issue (or replace) a guardian's activation key."""
    guardian = sis.get_guardian(guardian_id) if 0 < len(guardian_id) <= 200 else None
    if guardian is None or not guardian.active:
        raise NotFound()
    actor = _require_for_guardian(session, guardian_id)
    return {"activation_key": activation.issue(guardian_id, actor.key)}
