"""Staff searches: a school's students (teachers and up) and parents (school admins and up).

Every route has checked the role already (staff.authorize); a search only ever reads the
actor's school (a district admin names one), so nothing of another school can turn up.
"""

from __future__ import annotations

from typing import Any

from . import audit, identity, parents_admin, sis
from .account import Account
from .errors import InvalidRequest
from .storage import accounts as stored_accounts

MAX_QUERY = 100
MAX_RESULTS = 50


def _words(query: str) -> list[str]:
    words = identity.search_form(query).split()
    if not words or len(query) > MAX_QUERY:
        raise InvalidRequest(f"Give ?q= with 1 to {MAX_QUERY} characters.", field="q")
    return words


def _matches(words: list[str], *names: str) -> bool:
    """Every word of the query appears in the names (parts of names count: "clay"); callers
    give the names shown and the legal ones, so staff find a student by either."""
    haystack = identity.search_form(" ".join(names))
    return all(word in haystack for word in words)


def school_of(actor: audit.Actor, school: str | None) -> str:
    """The school a search reads: the actor's own, or the one a district admin names."""
    target = school if actor.role == "district_admin" else actor.school
    if not target:
        raise InvalidRequest("Give ?school=<org sourcedId>.", field="school")
    return target


def find_students(actor: audit.Actor, query: str, school: str | None) -> list[dict[str, Any]]:
    """Active students of the school whose ID is the query or whose names contain its words."""
    target = school_of(actor, school)
    words = _words(query)
    if identity.is_student_id(query.strip()):
        one = sis.get_student(query.strip())
        found = [one] if one and one.active and one.school == target else []
    else:
        found = [
            s
            for s in sis.students_of_school(target)
            if s.active
            and _matches(words, s.display_name, s.given_name, s.middle_name, s.family_name)
        ][:MAX_RESULTS]
    generation = stored_accounts.generation()
    return [
        {
            "student_id": s.student_id,
            "display_name": s.display_name,
            "grade": s.grade,
            "school": s.school,
            "school_name": s.school_name,
            "claimed": _claimed(s.student_id, generation),
        }
        for s in found
    ]


def _claimed(student_id: str, generation: int) -> bool:
    account = stored_accounts.get(identity.student_key(student_id))
    return account is not None and account.is_claimed(generation)


def find_parents(actor: audit.Actor, query: str, school: str | None) -> list[dict[str, Any]]:
    """Guardians of the school's students whose parent username is the query or whose names
    contain its words, with their account's state."""
    target = school_of(actor, school)
    words = _words(query)
    links = sis.guardian_links_of_school(target)
    children: dict[str, list[str]] = {}
    for guardian_id, student_id, _ in links:
        children.setdefault(guardian_id, []).append(student_id)
    by_username = _guardian_of_username(query)
    guardians = [g for g in sis.guardians_by_id(children) if g.active]
    found = sorted(
        (
            g
            for g in guardians
            if g.guardian_id == by_username
            or _matches(words, g.display_name, g.given_name, g.family_name)
        ),
        key=lambda g: (identity.search_form(g.last_name), identity.search_form(g.first_name)),
    )[:MAX_RESULTS]
    names = {s.student_id: s.display_name for s in sis.students_by_id(
        sid for g in found for sid in children[g.guardian_id])}  # fmt: skip
    return [_parent_row(g, sorted(names[s] for s in children[g.guardian_id] if s in names))
            for g in found]  # fmt: skip


def _guardian_of_username(query: str) -> str | None:
    """The guardian behind a parent username, when the query is one."""
    account = parents_admin.parent_by_username(query.strip())
    return account.guardian_id if account else None


def _parent_row(guardian: sis.Guardian, students: list[str]) -> dict[str, Any]:
    username = stored_accounts.username_of_guardian(guardian.guardian_id)
    account = stored_accounts.get(username) if username else None
    return {
        "guardian_id": guardian.guardian_id,
        "name": guardian.display_name,
        "username": account.username if account else None,
        "language": language_of(guardian, account),
        "state": state_of(account),
        "students": students,
    }


def language_of(guardian: sis.Guardian, account: Account | None) -> str:
    """The guardian's language: chosen in the portal, else the SIS one."""
    return (account.language if account else "") or guardian.language or "en"


def state_of(account: Account | None) -> str:
    """never_activated, disabled (5 failed logins), temporary_password (pending) or active."""
    if account is None:
        return "never_activated"
    if account.disabled:
        return "disabled"
    return "temporary_password" if account.must_change_password else "active"
