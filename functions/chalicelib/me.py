"""What a logged-in user sees of their own account; changing its password and its language."""

from __future__ import annotations

from typing import Any

from . import languages, passwords, sis, tokens
from .account import Account
from .errors import AccountChanged, DomainError, InvalidRequest
from .sessions import Session
from .storage import accounts as stored_accounts


class WrongCurrentPassword(DomainError):
    """The current password given to change it is wrong."""

    code = "authentication_failed"


def profile(session: Session) -> dict[str, Any]:
    """Username, role, display name, language, students in view; for staff their role and school."""
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
    shown = holder.short_name if holder is not None else ""
    name = shown if account.role != "staff" else account.username
    found: dict[str, Any] = {
        "username": account.username,
        "role": account.role,
        "display_name": name,
        "language": language_of(account, holder),
        "students": students,
    }
    if account.role == "staff":  # the staff pages show only what this role may do
        found.update(staff_role=account.staff_role, school=account.school)
    return found


def language_of(account: Account, holder: sis.Student | sis.Guardian | None = None) -> str:
    """The account's language: the one its owner chose, else the SIS's, else the default."""
    if account.language in languages.LANGUAGES:
        return account.language
    person = holder if holder is not None else sis.holder_of(account)
    return person.language if person is not None else languages.DEFAULT


def choose_language(session: Session, language: str) -> None:
    """Remember the caller's language for the portal, emails and letters."""
    if language not in languages.LANGUAGES:
        raise InvalidRequest("language is one of en, fr, es, vi.", field="language")
    stored_accounts.choose_language(session.account.key, language)


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
