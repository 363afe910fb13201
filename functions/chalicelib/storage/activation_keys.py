"""Parent activation keys (table `tokens`).

pk "activation#<sha256 of the key's 32 hex digits>": kind=activation, guardian_id, expires_at,
ttl. pk "activation-of#<guardian sourcedId>": key_pk (the guardian's newest key), expires_at,
ttl — so a new key can revoke the unused one.
"""

from __future__ import annotations

from typing import Any

from . import db, events

TABLE = "tokens"


def key_id(digest: str) -> str:
    """The stored id of a key, from the digest of its normal form."""
    return f"activation#{digest}"


def _pointer(guardian_id: str) -> dict[str, str]:
    return {"pk": f"activation-of#{guardian_id}"}


def get(key: str) -> dict[str, Any] | None:
    """A key item by id (live or expired), or None once used or revoked."""
    return db.get(TABLE, {"pk": key})


def newest_of(guardian_id: str) -> dict[str, Any] | None:
    """The pointer to a guardian's newest key (key_pk, expires_at), or None."""
    return db.get(TABLE, _pointer(guardian_id))


def issue_with_audit(key: str, guardian_id: str, expires_at: int, audit: dict[str, Any]) -> None:
    """Store a new key for a guardian, revoke the guardian's previous unused one and audit it,
    at once."""
    old = newest_of(guardian_id)
    operations = [
        db.put_op(
            "key",
            TABLE,
            {
                "pk": key,
                "kind": "activation",
                "guardian_id": guardian_id,
                "expires_at": expires_at,
                "ttl": expires_at,
            },
            "attribute_not_exists(pk)",
        ),
        db.put_op(
            "pointer",
            TABLE,
            {**_pointer(guardian_id), "key_pk": key, "expires_at": expires_at, "ttl": expires_at},
        ),
    ]
    if old is not None:
        operations.append(db.delete_op("revoked", TABLE, {"pk": old["key_pk"]}))
    operations.append(events.audit_op(audit))
    db.transact(operations)


def forget_newest(guardian_id: str) -> None:
    """Drop the pointer once the guardian's key created the account."""
    db.delete(TABLE, _pointer(guardian_id))
