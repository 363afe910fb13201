"""Teacher reset tickets (table `tickets`, pk = ticket id; index by_school on school, sort =
"<status>#<ISO time>"): status open or resolved, student_id, reason, who and when."""

from __future__ import annotations

from typing import Any

from ..account import Account
from . import accounts, db, events
from .db import Canceled

TABLE = "tickets"


def open_with_audit(ticket: dict[str, Any], audit: dict[str, Any]) -> None:
    """Store a new ticket and its audit entry, all or nothing."""
    db.transact(
        [db.put_op("ticket", TABLE, ticket, "attribute_not_exists(pk)"), events.audit_op(audit)]
    )


def get(ticket_id: str) -> dict[str, Any] | None:
    """A ticket by id, or None."""
    return db.get(TABLE, {"pk": ticket_id})


def of_school(school: str, status: str) -> list[dict[str, Any]]:
    """A school's tickets of one status, oldest first."""
    return db.query(TABLE, "school", school, range_name="sort", prefix=f"{status}#",
                    index="by_school")  # fmt: skip


def of_filer(school: str, status: str, filer: str) -> list[dict[str, Any]]:
    """The tickets of one status a staff member filed in a school, oldest first."""
    return [t for t in of_school(school, status) if t.get("created_by") == filer]


def resolve_with_audit(
    resolved: dict[str, Any], unclaimed: Account | None, audit: dict[str, Any]
) -> bool:
    """Close a ticket, unclaim the student's account and audit it at once; False if it was
    closed already (then nothing is written)."""
    operations = [
        db.put_op("ticket", TABLE, resolved, "#st = :open", {":open": "open"}, {"#st": "status"}),
        events.audit_op(audit),
    ]
    if unclaimed is not None:
        operations.append(db.put_op("account", accounts.TABLE, accounts.to_item(unclaimed)))
    try:
        db.transact(operations)
    except Canceled:
        return False
    return True
