"""What a login reads and writes, each in one round trip (QUALITY P1, P2).

The surge is bound by Argon2 and the database's own CPU, so a login reads the account, the
school-year generation, its failure counter and (for a student) the SIS profile in one
BatchGetItem, and writes its access-log line, the new session and the cleared counter in one
BatchWriteItem.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..account import Account
from . import accounts, db, limits, sis


@dataclass(frozen=True)
class LoginRead:
    """Everything a login needs to judge an attempt."""

    account: Account | None
    generation: int
    counter: dict[str, Any]
    student_profile: dict[str, Any] | None  # read only for a student username


def read(key: str, counter: str, student_id: str | None) -> LoginRead:
    """The account behind `key`, the generation, the counter and maybe the student's profile."""
    keys: list[tuple[str, dict[str, Any]]] = [
        (accounts.TABLE, {"pk": key}),
        (accounts.TABLE, {"pk": accounts.GENERATION_KEY}),
        (limits.TABLE, {"pk": counter}),
    ]
    if student_id is not None:
        keys.append((sis.TABLE, sis.student_profile_key(student_id)))
    found = db.batch_get(keys)
    generation = found.get((accounts.TABLE, (accounts.GENERATION_KEY,)))
    account = found.get((accounts.TABLE, (key,)))
    profile_key = sis.student_profile_key(student_id) if student_id is not None else None
    return LoginRead(
        account=accounts.from_item(account) if account and "role" in account else None,
        generation=int(generation["gen"]) if generation else 0,
        counter=found.get((limits.TABLE, (counter,))) or {},
        student_profile=(
            found.get((sis.TABLE, (profile_key["pk"], profile_key["sk"]))) if profile_key else None
        ),
    )


def record_success(session_item: dict[str, Any], log_entry: dict[str, Any], counter: str) -> None:
    """Open the session, log the attempt and forget the failures, in one round trip."""
    db.batch_write(
        [
            ("tokens", db.put_entry(session_item)),
            ("events", db.put_entry(log_entry)),
            (limits.TABLE, db.delete_entry({"pk": counter})),
        ]
    )


def record_success_after_mfa(log_entry: dict[str, Any], counter: str) -> None:
    """Log an administrator's completed login and forget the failures (the session is stored)."""
    db.batch_write(
        [("events", db.put_entry(log_entry)), (limits.TABLE, db.delete_entry({"pk": counter}))]
    )


def record_failure(log_entry: dict[str, Any]) -> None:
    """Log a failed attempt (on an account, or on a name that matches none)."""
    db.put("events", log_entry)
