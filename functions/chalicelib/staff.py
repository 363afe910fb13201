"""Staff accounts, roles, the authorization every staff route starts with, the new-year reset."""

from __future__ import annotations

import re
import secrets
import string

from . import audit, clock, identity, passwords
from .account import Account
from .errors import Forbidden, InvalidRequest, NotFound
from .sessions import Session
from .storage import accounts as stored_accounts

ROLES = ("teacher", "technician", "school_admin", "district_admin")
STAFF_USERNAME = re.compile(r"[A-Za-z][A-Za-z0-9._-]{2,63}")


def require(session: Session, role: str, school: str | None = None) -> Account:
    """The caller's staff account if it has at least `role` (and reaches `school`)."""
    account = session.account
    if account.role != "staff" or ROLES.index(account.staff_role) < ROLES.index(role):
        raise Forbidden()
    if school is not None and account.staff_role != "district_admin" and account.school != school:
        raise Forbidden()
    return account


def authorize(session: Session, role: str, action: str, ip: str) -> audit.Actor:
    """The caller as an actor if it has at least `role`, checked before anything about the
    target, so the 403 is the same whether the target exists or not."""
    account = session.account
    if account.role != "staff" or account.staff_role not in ROLES:
        raise Forbidden()
    actor = audit.Actor(account.key, account.staff_role, account.school, ip)
    if ROLES.index(account.staff_role) < ROLES.index(role):
        audit.record(actor, action, "", "forbidden")
        raise Forbidden()
    return actor


def reaches(actor: audit.Actor, school: str | None) -> bool:
    """Whether the actor may act in `school` (a district admin reaches every school)."""
    return actor.role == "district_admin" or (school is not None and school == actor.school)


def out_of_reach(actor: audit.Actor, action: str, target: str) -> Forbidden:
    """Record a refused attempt on a target that is unknown or of another school; return the
    403 to raise. CONTRACT.md answers out of school with 403 `forbidden`; answering an unknown
    target the same way keeps existence from leaking across schools (QUALITY S11)."""
    audit.record(actor, action, target[:200], "not_found")
    return Forbidden()


def not_found(actor: audit.Actor, action: str, target: str) -> NotFound:
    """Record a refused attempt on an unknown target of a caller who reaches every school
    (a district admin's staff accounts); return the 404 to raise."""
    audit.record(actor, action, target[:200], "not_found")
    return NotFound()


def temporary_password() -> str:
    """A random 16-character password, to be changed at first login."""
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(16))


def add_staff(
    username: str, role: str, school: str | None, actor: audit.Actor | None = None
) -> str:
    """Create a staff account with a temporary password; return that password.

    `actor` is who adds it (a district admin on the staff pages); an operator's CLI by default.
    """
    if not STAFF_USERNAME.fullmatch(username) or identity.is_student_username(username):
        raise InvalidRequest(
            "Staff usernames are 3–64 letters, digits, dots, dashes or underscores, starting"
            f" with a letter, and never {identity.prefix()} followed by {identity.digits()}"
            " digits.",
            field="username",
        )
    if role not in ROLES:
        raise InvalidRequest(f"role must be one of {', '.join(ROLES)}", field="role")
    if role != "district_admin" and not school:
        raise InvalidRequest(f"a {role} belongs to one school: give --school", field="school")
    secret = temporary_password()
    account = Account(
        key=identity.username_key(username),
        role="staff",
        display_username=username,
        staff_role=role,
        school=school if role != "district_admin" else None,
        created_at=clock.iso(clock.now()),
    ).first_password(passwords.hash_secret(secret), temporary=True)
    entry = audit.entry(actor or audit.operator("cli"), "staff_add", account.key, school=school)
    stored_accounts.create_with_audit(account, entry)
    return secret


def reset_all_students(actor: audit.Actor | str) -> int:
    """The new-school-year reset: one write makes every student account unclaimed."""
    entry = audit.entry(audit.as_actor(actor), "reset_all_students", "students")
    return stored_accounts.start_new_school_year_with_audit(entry)
