"""What a school does for parents: reactivate, temporary password, new activation key.

Every route has checked the role already (staff.authorize); a parent or guardian outside the
actor's schools answers 404 exactly like an unknown one.
"""

from __future__ import annotations

from typing import Any

from . import activation, audit, identity, sis, staff
from .account import Account

MAX_GUARDIAN_ID = 200


def schools_of_guardian(guardian_id: str) -> set[str]:
    """The schools of a guardian's linked students."""
    return {s.school for s, _ in sis.students_of_guardian(guardian_id)}


def reaches_guardian(actor: audit.Actor, guardian_id: str) -> bool:
    """Whether the actor may act for this guardian (a school of one of the children)."""
    return actor.role == "district_admin" or actor.school in schools_of_guardian(guardian_id)


def parent_by_username(username: str) -> Account | None:
    """The parent account behind a username (any case), or None (also for malformed ones)."""
    return activation.parent_account(username) if identity.is_well_formed(username) else None


def _parent(actor: audit.Actor, action: str, username: str) -> Account:
    account = parent_by_username(username)
    if account is None or not reaches_guardian(actor, account.guardian_id):
        raise staff.out_of_reach(actor, action, username)
    return account


def reactivate(actor: audit.Actor, username: str) -> dict[str, Any]:
    """Lift a parent's lock after 5 failed logins."""
    parent = _parent(actor, "parent_reactivate", username)
    activation.reactivate(parent, audit.entry(actor, "parent_reactivate", parent.key))
    return {"username": parent.username, "status": "active"}


def temporary_password(actor: audit.Actor, username: str) -> dict[str, Any]:
    """Give a parent a temporary password, to be changed at the next login."""
    parent = _parent(actor, "parent_temporary_password", username)
    secret = staff.temporary_password()
    entry = audit.entry(actor, "parent_temporary_password", parent.key)
    activation.set_temporary_password(parent, secret, entry)
    return {"temporary_password": secret}


def new_key(actor: audit.Actor, guardian_id: str) -> dict[str, Any]:
    """Issue (or replace) a guardian's activation key."""
    guardian = sis.get_guardian(guardian_id) if 0 < len(guardian_id) <= MAX_GUARDIAN_ID else None
    if guardian is None or not guardian.active or not reaches_guardian(actor, guardian_id):
        raise staff.out_of_reach(actor, "activation_key_issue", guardian_id)
    return {"activation_key": activation.issue(guardian_id, actor)}
