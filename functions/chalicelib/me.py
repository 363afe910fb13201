"""What a logged-in user sees of their own account, and changing its password."""

from __future__ import annotations

from typing import Any

from . import passwords, sis, tokens
from .errors import AccountChanged, DomainError
from .sessions import Session
from .storage import accounts as stored_accounts


class WrongCurrentPassword(DomainError):
    """The current password given to change it is wrong."""

    code = "authentication_failed"


def profile(session: Session) -> dict[str, Any]:
    """Username, role, display name and (for families) the students in view."""
    account = session.account
    holder = sis.holder_of(account)
    if account.role == "student":
        students = [account.student_id]
    elif account.role == "parent":
        students = [
            s.student_id
            for s, allowed in sis.students_of_guardian(account.guardian_id)
            if allowed and s.active
        ]
    else:
        students = []
    name = " ".join(sis.names_of(holder)) if account.role != "staff" else account.username
    return {
        "username": account.username,
        "role": account.role,
        "display_name": name,
        "students": students,
    }


def change_password(session: Session, current: str, new: str, confirm: str) -> None:
    """Replace the password after checking the current one; other sessions end."""
    account = session.account
    if not passwords.verify_secret(account.password_hash, current):
        raise WrongCurrentPassword()
    try:
        passwords.check_password(
            new,
            confirm,
            personal=account.personal_values(sis.names_of(sis.holder_of(account))),
            previous_hashes=account.recent_passwords(),
        )
    except passwords.PasswordRejected as err:
        err.extra["field"] = (
            "new_password_confirm" if err.code == "password_mismatch" else "new_password"
        )
        raise
    changed = account.with_password(passwords.hash_secret(new))
    try:
        stored_accounts.save_password(changed, account)
    except AccountChanged:
        raise WrongCurrentPassword() from None
    # This session carries on under the new epoch; every other one has ended.
    tokens.update("session", session.token, {"epoch": changed.session_epoch})
