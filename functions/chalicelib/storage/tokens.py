"""Claim, reset and session tokens (table `tokens`): pk "<kind>#<sha256 of the token>",
kind, expires_at and ttl (epoch seconds; DynamoDB's TTL deletes lazily, so readers check
expires_at), plus what the kind carries (student_id, username, stage, password_hash...)."""

from __future__ import annotations

from typing import Any

from ..errors import TokenGone
from . import db
from .db import Canceled, ConditionFailed

TABLE = "tokens"


def token_id(kind: str, digest: str) -> str:
    """The stored id of a token of one kind, from the token's digest."""
    return f"{kind}#{digest}"


def add(item: dict[str, Any]) -> None:
    """Store a new token item (its id is random: a collision would be a bug, so it fails)."""
    db.put(TABLE, item, "attribute_not_exists(pk)")


def get(token: str) -> dict[str, Any] | None:
    """A token item by id, live or not, or None."""
    return db.get(TABLE, {"pk": token})


def revoke(token: str) -> None:
    """Delete a token whether or not it still exists."""
    db.delete(TABLE, {"pk": token})


def update_live(token: str, values: dict[str, Any], now: int) -> bool:
    """Set attributes on a token that exists and has not expired; False otherwise."""
    try:
        db.update(
            TABLE,
            {"pk": token},
            values,
            condition="attribute_exists(pk) AND expires_at > :now",
            values={":now": now},
        )
    except ConditionFailed:
        return False
    return True


def exchange(used: str, replacement: dict[str, Any]) -> None:
    """Use up one token and store its successor at once; TokenGone if it was used already."""
    try:
        db.transact(
            [
                db.delete_op("used", TABLE, {"pk": used}, "attribute_exists(pk)"),
                db.put_op("new", TABLE, replacement),
            ]
        )
    except Canceled:
        raise TokenGone() from None
