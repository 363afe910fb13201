"""Staff accounts, roles and the reset tickets teachers file for students (DESIGN.md)."""

from __future__ import annotations

import re
import secrets
import string
import uuid
from typing import Any

from . import audit, clock, identity, passwords, sis
from .account import Account
from .errors import DomainError, InvalidRequest, NotFound
from .sessions import Session
from .storage import accounts as stored_accounts
from .storage import tickets as stored_tickets

ROLES = ("teacher", "technician", "school_admin", "district_admin")
STAFF_USERNAME = re.compile(r"[A-Za-z][A-Za-z0-9._-]{2,63}")


class Forbidden(DomainError):
    """Out of role or out of school."""

    code = "forbidden"


def require(session: Session, role: str, school: str | None = None) -> Account:
    """The caller's staff account if it has at least `role` (and reaches `school`)."""
    account = session.account
    if account.role != "staff" or ROLES.index(account.staff_role) < ROLES.index(role):
        raise Forbidden()
    if school is not None and account.staff_role != "district_admin" and account.school != school:
        raise Forbidden()
    return account


def temporary_password() -> str:
    """A random 16-character password, to be changed at first login."""
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(16))


def add_staff(
    username: str, role: str, school: str | None, actor: dict[str, Any] | None = None
) -> str:
    """Create a staff account with a temporary password; return that password.

    `actor` is who adds it ({"staff", "role", "school", "ip"}); an operator's CLI by default.
    """
    if not STAFF_USERNAME.fullmatch(username) or identity.is_student_username(username):
        raise InvalidRequest(
            "Staff usernames are 3–64 letters, digits, dots, dashes or underscores, starting"
            " with a letter, and never S followed by 7 digits.",
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
    stored_accounts.create(account)
    audit.record_by(actor or {"staff": "cli"}, "staff_add", account.key, new_role=role)
    return secret


def open_ticket(session: Session, student_id: str, reason: str) -> dict[str, Any]:
    """A teacher asks for a student's account to be reset (forgotten answers)."""
    sid = identity.student_id(student_id)
    student = sis.get_student(sid)
    if student is None or not student.active:
        raise NotFound()
    staff = require(session, "teacher", student.school)
    now = clock.now()
    ticket_id = str(uuid.uuid4())
    stored_tickets.open_ticket(
        {
            "pk": ticket_id,
            "school": student.school,
            "sort": f"open#{clock.iso(now)}",
            "status": "open",
            "student_id": sid,
            "reason": reason,
            "created_by": staff.key,
            "created_at": clock.iso(now),
        }
    )
    audit.record(staff.key, "ticket_open", sid, ticket_id=ticket_id)
    return {"ticket_id": ticket_id, "status": "open"}


def list_tickets(session: Session, status: str, school: str | None) -> list[dict[str, Any]]:
    """Tickets of the caller's school (a district admin names the school)."""
    account = require(session, "teacher")
    target = school if account.staff_role == "district_admin" and school else account.school
    if target is None:
        raise InvalidRequest("Give ?school=<org sourcedId>.", field="school")
    require(session, "teacher", target)
    if status not in ("open", "resolved"):
        raise InvalidRequest("status is open or resolved", field="status")
    return [_public_ticket(t) for t in stored_tickets.of_school(target, status)]


def resolve_ticket(session: Session, ticket_id: str) -> dict[str, Any]:
    """A technician resolves a ticket: the student's account becomes unclaimed."""
    ticket = stored_tickets.get(ticket_id) if 0 < len(ticket_id) <= 64 else None
    if ticket is None:
        raise NotFound()
    staff = require(session, "technician", ticket["school"])
    if ticket["status"] != "open":
        return _public_ticket(ticket)
    now = clock.iso(clock.now())
    resolved = {
        **ticket,
        "status": "resolved",
        "sort": f"resolved#{now}",
        "resolved_by": staff.key,
        "resolved_at": now,
    }
    account = stored_accounts.get(identity.student_key(ticket["student_id"]))
    if not stored_tickets.resolve(resolved, account.unclaimed() if account else None):
        return _public_ticket(stored_tickets.get(ticket_id) or ticket)
    audit.record(staff.key, "ticket_resolve", ticket["student_id"], ticket_id=ticket_id)
    return _public_ticket({**ticket, "status": "resolved", "resolved_at": now})


def reset_all_students(actor: str) -> int:
    """The new-school-year reset: one write makes every student account unclaimed."""
    generation = stored_accounts.start_new_school_year()
    audit.record(actor, "reset_all_students", "students", generation=generation)
    return generation


def _public_ticket(ticket: dict[str, Any]) -> dict[str, Any]:
    return {
        "ticket_id": ticket["pk"],
        "status": ticket["status"],
        "student_id": ticket["student_id"],
        "school": ticket["school"],
        "reason": ticket.get("reason", ""),
        "created_at": ticket.get("created_at"),
        "resolved_at": ticket.get("resolved_at"),
    }
