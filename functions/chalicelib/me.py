"""What a logged-in user sees of their own account, and changing its password."""

from __future__ import annotations

from typing import Any

from . import identity, passwords, sis, tokens
from .errors import DomainError, TransactionCanceled
from .sessions import Session
from .storage import accounts as store


class WrongCurrentPassword(DomainError):
    """Authentication Failed"""

    code = "authentication_failed"


def profile(session: Session) -> dict[str, Any]:
    """Username, role, display name and (for families) the students in view."""
    account = session.account
    role = account["role"]
    if role == "student":
        student = sis.get_student(account["student_id"])
        name = f"{student.given_name} {student.family_name}" if student else ""
        username = identity.student_username(account["student_id"])
        students = [account["student_id"]]
    elif role == "parent":
        guardian = sis.get_guardian(account["guardian_id"])
        name = f"{guardian.given_name} {guardian.family_name}" if guardian else ""
        username = account.get("display_username", account["pk"])
        students = [
            s.student_id
            for s, allowed in sis.students_of_guardian(account["guardian_id"])
            if allowed and s.active
        ]
    else:
        name = account.get("display_username", account["pk"])
        username = account.get("display_username", account["pk"])
        students = []
    return {"username": username, "role": role, "display_name": name, "students": students}


def personal_values(account: dict[str, Any]) -> list[str]:
    """Names, ID and username a password must not contain."""
    values = [account["pk"], account.get("display_username", "")]
    if account["role"] == "student":
        student = sis.get_student(account["student_id"])
        values += [account["student_id"]]
        if student:
            values += [student.given_name, student.family_name]
    elif account["role"] == "parent":
        guardian = sis.get_guardian(account["guardian_id"])
        if guardian:
            values += [guardian.given_name, guardian.family_name]
    return [v for v in values if v]


def change_password(session: Session, current: str, new: str, confirm: str) -> None:
    """Replace the password after checking the current one; other sessions end."""
    account = session.account
    if not passwords.verify_secret(account.get("password_hash", ""), current):
        raise WrongCurrentPassword()
    try:
        passwords.check_password(
            new,
            confirm,
            personal=personal_values(account),
            previous_hashes=account.get("password_history", [])[: passwords.HISTORY_SIZE],
        )
    except passwords.PasswordRejected as err:
        err.extra["field"] = (
            "new_password_confirm" if err.code == "password_mismatch" else "new_password"
        )
        raise
    new_hash = passwords.hash_secret(new)
    epoch = int(account.get("session_epoch", 0))
    updated = {
        **account,
        "password_hash": new_hash,
        "password_history": [new_hash, *account.get("password_history", [])][
            : passwords.HISTORY_SIZE
        ],
        "must_change_password": False,
        "session_epoch": epoch + 1,
    }
    try:
        store.transact(
            [store.op_put("accounts", updated, "session_epoch = :epoch", {":epoch": epoch})]
        )
    except TransactionCanceled:
        raise WrongCurrentPassword() from None
    # This session carries on under the new epoch; every other one has ended.
    tokens.update("session", session.token, {"epoch": epoch + 1})
