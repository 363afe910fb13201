"""Delivery records of `portal notices send` (table `notices`).

pk "delivery#<notice id>", sk "<email>#<lang>": one message: lang, state ("sending" from just
   before the message leaves until it is known to be sent; "sent"; "failed" with error),
   attempts (1 more at each try: the condition that keeps two senders from sending one message
   twice), message_id (the same on every attempt), at (when it was sent or failed), provider_id
pk "delivery#<notice id>", sk "~noaddress#<guardian sourcedId>": a guardian of the audience
   with no email address: lang, state "no_address"
"""

from __future__ import annotations

from typing import Any

from ..errors import WriteConflict, WritesRefused
from . import db
from .db import Canceled

TABLE = "notices"
GROUP_MAX = 100  # DynamoDB's limit of items per TransactWriteItems


def of_notice(notice_id: str) -> list[dict[str, Any]]:
    """Every delivery record of one notice (consistent read)."""
    return db.query(TABLE, "pk", f"delivery#{notice_id}")


def write(writes: list[dict[str, Any]]) -> None:
    """Apply up to 100 record writes atomically.

    Each write is {"put": item} or {"delete": {"pk", "sk"}}, optionally with "absent": True
    (the record must not exist yet) or "attempts": n (its stored attempts must still be n).
    WritesRefused names the positions of the writes whose condition failed (nothing was
    written); WriteConflict means another writer touched the same records: try again.
    """
    operations = []
    for n, entry in enumerate(writes):
        condition, values = None, None
        if entry.get("absent"):
            condition = "attribute_not_exists(pk)"
        elif "attempts" in entry:
            condition, values = "attempts = :attempts", {":attempts": entry["attempts"]}
        if "put" in entry:
            operations.append(db.put_op(str(n), TABLE, entry["put"], condition, values))
        else:
            operations.append(db.delete_op(str(n), TABLE, entry["delete"], condition, values))
    try:
        db.transact(operations)
    except Canceled as err:
        if err.failed:
            raise WritesRefused({int(label) for label in err.failed}) from None
        raise WriteConflict() from None
