"""Failure counters and per-address windows (table `limits`, pk = counter name: n,
next_allowed_at (epoch seconds), ttl), counted atomically before any hash is checked (S4)."""

from __future__ import annotations

from typing import Any

from . import db
from .db import ConditionFailed

TABLE = "limits"


def get(counter: str) -> dict[str, Any]:
    """The counter as stored ({} when nothing was counted)."""
    return db.get(TABLE, {"pk": counter}) or {}


def count_attempt(counter: str, cap: int, now: int, next_allowed_at: int, ttl: int) -> int | None:
    """Count one attempt atomically before it is judged; None when the cap forbids it.

    Below the cap every attempt passes; at or above it only one attempt passes per waiting
    period, because the first one moves next_allowed_at into the future for the others.
    """
    try:
        item = db.update(
            TABLE,
            {"pk": counter},
            {"next_allowed_at": next_allowed_at, "ttl": ttl},
            add={"n": 1},
            condition="attribute_not_exists(n) OR n < :cap OR next_allowed_at <= :now",
            values={":cap": cap, ":now": now},
        )
    except ConditionFailed:
        return None
    return int(item["n"])


def count_in_window(counter: str, limit: int, ttl: int) -> bool:
    """Count one event in a fixed window; False once the window holds `limit` events."""
    try:
        db.update(
            TABLE,
            {"pk": counter},
            {"ttl": ttl},
            add={"n": 1},
            condition="attribute_not_exists(n) OR n < :limit",
            values={":limit": limit},
        )
    except ConditionFailed:
        return False
    return True


def clear(counter: str) -> None:
    """Forget a counter (after a success, or when staff lift a lock)."""
    db.delete(TABLE, {"pk": counter})
