"""Reset tickets: teachers file them for students who forgot their answers, technicians resolve
them (the student then claims again). Every route has checked the role already (staff.authorize).
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from . import audit, clock, identity, sis, staff
from .errors import InvalidRequest
from .storage import accounts as stored_accounts
from .storage import tickets as stored_tickets

TICKET_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
STATUSES = ("open", "resolved")


def open_ticket(actor: audit.Actor, student_id: str, reason: str) -> dict[str, Any]:
    """File a reset ticket for an active student of the actor's school."""
    sid = identity.student_id(student_id)
    student = sis.get_student(sid)
    if student is None or not student.active or not staff.reaches(actor, student.school):
        raise staff.out_of_reach(actor, "ticket_open", sid)
    now = clock.iso(clock.now())
    ticket_id = str(uuid.uuid4())
    ticket = {
        "pk": ticket_id,
        "school": student.school,
        "sort": f"open#{now}",
        "status": "open",
        "student_id": sid,
        "reason": reason,
        "created_by": actor.staff,
        "created_at": now,
    }
    entry = audit.entry(actor, "ticket_open", sid, school=student.school)
    stored_tickets.open_with_audit(ticket, entry)
    return {"ticket_id": ticket_id, "status": "open"}


def list_tickets(
    actor: audit.Actor, status: str, school: str | None, mine: bool
) -> list[dict[str, Any]]:
    """Tickets of one status in the actor's school (a district admin names the school);
    `mine`: only those the actor filed."""
    if status not in STATUSES:
        raise InvalidRequest("status is open or resolved", field="status")
    target = school if actor.role == "district_admin" else actor.school
    if not target:
        raise InvalidRequest("Give ?school=<org sourcedId>.", field="school")
    if mine:
        rows = stored_tickets.of_filer(target, status, actor.staff)
    else:
        rows = stored_tickets.of_school(target, status)
    names = {s.student_id: s for s in sis.students_by_id(t["student_id"] for t in rows)}
    return [public(t, names.get(t["student_id"])) for t in rows]


def resolve_ticket(actor: audit.Actor, ticket_id: str) -> dict[str, Any]:
    """Resolve an open ticket of the actor's school: the student's account becomes unclaimed."""
    ticket = stored_tickets.get(ticket_id) if TICKET_ID.fullmatch(ticket_id) else None
    if ticket is None or not staff.reaches(actor, ticket["school"]):
        raise staff.out_of_reach(actor, "ticket_resolve", ticket_id)
    student = sis.get_student(ticket["student_id"])
    if ticket["status"] != "open":
        audit.record(actor, "ticket_resolve", ticket_id, "already_resolved")
        return public(ticket, student)
    now = clock.iso(clock.now())
    resolved = {
        **ticket,
        "status": "resolved",
        "sort": f"resolved#{now}",
        "resolved_by": actor.staff,
        "resolved_at": now,
    }
    account = stored_accounts.get(identity.student_key(ticket["student_id"]))
    entry = audit.entry(actor, "ticket_resolve", ticket_id, school=ticket["school"])
    if not stored_tickets.resolve_with_audit(
        resolved, account.unclaimed() if account else None, entry
    ):
        audit.record(actor, "ticket_resolve", ticket_id, "already_resolved")
        return public(stored_tickets.get(ticket_id) or ticket, student)
    return public(resolved, student)


def public(ticket: dict[str, Any], student: sis.Student | None) -> dict[str, Any]:
    """A ticket as the API shows it (school and created_at stay for older clients)."""
    return {
        "ticket_id": ticket["pk"],
        "status": ticket["status"],
        "student_id": ticket["student_id"],
        "student_name": student.display_name if student else "",
        "school": ticket["school"],
        "reason": ticket.get("reason", ""),
        "filed_by": ticket.get("created_by"),
        "filed_at": ticket.get("created_at"),
        "created_at": ticket.get("created_at"),
        "resolved_by": ticket.get("resolved_by"),
        "resolved_at": ticket.get("resolved_at"),
    }
