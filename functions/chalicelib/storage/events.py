"""The access log and the staff audit trail (table `events`).

pk "access#<username>" (one partition per account), "access-unknown#<username>" (failed logins
on a name that matches no account) or "audit#<YYYY-MM-DD>" (one per day); sk
"<microseconds since the epoch, 20 digits>#<random>", so each partition sorts by time and two
events of one microsecond never collide.
"""

from __future__ import annotations

import secrets
from typing import Any

from . import db

TABLE = "events"


def _sort_key(now: float) -> str:
    return f"{int(now * 1_000_000):020d}#{secrets.token_hex(4)}"


def access_line(username: str, now: float, values: dict[str, Any]) -> dict[str, Any]:
    """The item of one login attempt on an account (written alone or with the login's batch)."""
    return {"pk": f"access#{username}", "sk": _sort_key(now), **values}


def unknown_name_line(username: str, now: float, values: dict[str, Any]) -> dict[str, Any]:
    """The item of one login attempt on a name that matches no account (apart from every
    account's log: a parent who later takes the name never sees it)."""
    return {"pk": f"access-unknown#{username}", "sk": _sort_key(now), **values}


def audit_record(day: str, now: float, values: dict[str, Any]) -> dict[str, Any]:
    """The item of one staff action, filed under its day (YYYY-MM-DD)."""
    return {"pk": f"audit#{day}", "sk": _sort_key(now), **values}


def append(event: dict[str, Any]) -> None:
    """Add one event."""
    db.put(TABLE, event)


def audit_op(entry: dict[str, Any]) -> db.Op:
    """A transaction's write of its audit entry (new only: an entry is never overwritten)."""
    return db.put_op("audit", TABLE, entry, "attribute_not_exists(pk)")


def access_lines(username: str, limit: int) -> list[dict[str, Any]]:
    """An account's newest login attempts, newest first."""
    return db.query(TABLE, "pk", f"access#{username}", newest_first=True, limit=limit)


def audit_day(day: str) -> list[dict[str, Any]]:
    """Every staff action of one day, newest first."""
    return db.query(TABLE, "pk", f"audit#{day}", newest_first=True)
