"""Teacher reset tickets (table `tickets`, pk = ticket id; index by_school on school, sort =
"<status>#<ISO time>"): status open or resolved, student_id, reason, who and when."""

from __future__ import annotations

from typing import Any

from ..account import Account
from . import accounts, db
from .db import Canceled

TABLE = "tickets"


def open_ticket(ticket: dict[str, Any]) -> None:
    """Store a new ticket."""
    db.put(TABLE, ticket)


def get(ticket_id: str) -> dict[str, Any] | None:
    """A ticket by id, or None."""
    return db.get(TABLE, {"pk": ticket_id})


def of_school(school: str, status: str) -> list[dict[str, Any]]:
    """A school's tickets of one status, oldest first."""
    return db.query(TABLE, "school", school, range_name="sort", prefix=f"{status}#",
                    index="by_school")  # fmt: skip


def resolve(resolved: dict[str, Any], unclaimed: Account | None) -> bool:
    """Close a ticket and unclaim the student's account at once; False if it was closed already."""
    operations = [
        db.put_op("ticket", TABLE, resolved, "#st = :open", {":open": "open"}, {"#st": "status"})
    ]
    if unclaimed is not None:
        operations.append(db.put_op("account", accounts.TABLE, accounts.to_item(unclaimed)))
    try:
        db.transact(operations)
    except Canceled:
        return False
    return True
