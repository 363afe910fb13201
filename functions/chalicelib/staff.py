"""Staff accounts, roles and the reset tickets teachers file for students (DESIGN.md)."""

from __future__ import annotations

import re
import secrets
import string
import uuid
from typing import Any

from . import audit, clock, identity, passwords, sis
from .errors import ConditionFailed, DomainError, InvalidRequest, NotFound, TransactionCanceled
from .sessions import Session
from .storage import accounts as store

ROLES = ("teacher", "technician", "school_admin", "district_admin")
STAFF_USERNAME = re.compile(r"[A-Za-z][A-Za-z0-9._-]{2,63}")


class Forbidden(DomainError):
    """You are not allowed to do this."""

    code = "forbidden"


class UsernameTaken(DomainError):
    """This username is already taken."""

    code = "username_taken"


def require(session: Session, role: str, school: str | None = None) -> dict[str, Any]:
    """The caller's staff account if it has at least `role` (and reaches `school`)."""
    account = session.account
    if account.get("role") != "staff" or ROLES.index(account["staff_role"]) < ROLES.index(role):
        raise Forbidden()
    if (
        school is not None
        and account["staff_role"] != "district_admin"
        and account.get("school") != school
    ):
        raise Forbidden()
    return account


def temporary_password() -> str:
    """A random 16-character password, to be changed at first login."""
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(16))


def add_staff(username: str, role: str, school: str | None) -> str:
    """Create a staff account with a temporary password; return that password."""
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
    item = {
        "pk": identity.username_key(username),
        "role": "staff",
        "staff_role": role,
        "school": school if role != "district_admin" else None,
        "password_hash": passwords.hash_secret(secret),
        "password_history": [],
        "must_change_password": True,
        "session_epoch": 0,
        "created_at": clock.iso(clock.now()),
    }
    try:
        store.put("accounts", item, if_absent=True)
    except ConditionFailed:
        raise UsernameTaken() from None
    audit.record("cli", "staff_add", item["pk"], role=role)
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
    store.put(
        "tickets",
        {
            "pk": ticket_id,
            "school": student.school,
            "sort": f"open#{clock.iso(now)}",
            "status": "open",
            "student_id": sid,
            "reason": reason,
            "created_by": staff["pk"],
            "created_at": clock.iso(now),
        },
    )
    audit.record(staff["pk"], "ticket_open", sid, ticket_id=ticket_id)
    return {"ticket_id": ticket_id, "status": "open"}


def list_tickets(session: Session, status: str, school: str | None) -> list[dict[str, Any]]:
    """Tickets of the caller's school (a district admin names the school)."""
    account = require(session, "teacher")
    target = (
        school if account["staff_role"] == "district_admin" and school else account.get("school")
    )
    if target is None:
        raise InvalidRequest("Give ?school=<org sourcedId>.", field="school")
    require(session, "teacher", target)
    if status not in ("open", "resolved"):
        raise InvalidRequest("status is open or resolved", field="status")
    items = store.query_index("tickets", "by_school", "school", target, f"{status}#")
    return [_public_ticket(t) for t in items]


def resolve_ticket(session: Session, ticket_id: str) -> dict[str, Any]:
    """A technician resolves a ticket: the student's account becomes unclaimed."""
    ticket = store.get("tickets", ticket_id) if len(ticket_id) <= 64 else None
    if ticket is None:
        raise NotFound()
    staff = require(session, "technician", ticket["school"])
    if ticket["status"] != "open":
        return _public_ticket(ticket)
    key = identity.username_key(identity.student_username(ticket["student_id"]))
    now = clock.iso(clock.now())
    operations = [
        store.op_put(
            "tickets",
            {
                **ticket,
                "status": "resolved",
                "sort": f"resolved#{now}",
                "resolved_by": staff["pk"],
                "resolved_at": now,
            },
            "#st = :open",
            {":open": "open"},
            {"#st": "status"},
        )
    ]
    account = store.get("accounts", key)
    if account is not None:
        unclaimed = {k: v for k, v in account.items() if k not in ("claimed_gen", "answers")}
        unclaimed["session_epoch"] = int(account.get("session_epoch", 0)) + 1
        operations.append(store.op_put("accounts", unclaimed))
    try:
        store.transact(operations)
    except TransactionCanceled:
        return _public_ticket(store.get("tickets", ticket_id) or ticket)
    audit.record(staff["pk"], "ticket_resolve", ticket["student_id"], ticket_id=ticket_id)
    return _public_ticket({**ticket, "status": "resolved", "resolved_at": now})


def reset_all_students(actor: str) -> int:
    """The new-school-year reset: one write makes every student account unclaimed."""
    generation = store.bump_generation()
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
