"""Activation letters: a key for each guardian of one guardian, a class or a school who has
neither a parent account nor a live key, with what the letter home prints (the seed's Account
Access Procedures): the activation address in the guardian's language, its QR code, the District
ID for the mobile app and the children's names.

Every route has checked the role already (staff.authorize). A key is in this answer and nowhere
else: stored hashed, audited (action `activation_letters`) by guardian id only, never logged.
"""

from __future__ import annotations

from typing import Any

from . import activation, audit, directory, parents_admin, qr, sis, staff
from .config import settings
from .errors import InvalidRequest

# Each key is a few reads and one transaction: a call stays well inside the gateway's 29 s. A
# school with more waiting guardians answers "more": true; asking again continues, since the
# guardians issued a key now hold a live one.
MAX_LETTERS = 100
ACTION = "activation_letters"

Family = dict[str, list[sis.Student]]  # guardian sourcedId → the children the letter names


def issue(actor: audit.Actor, scope: str, target: str) -> dict[str, Any]:
    """Issue the keys of a scope (guardian, class or school) and return the letters."""
    family = _family(actor, scope, target)
    guardians = sorted(
        (g for g in sis.guardians_by_id(family) if g.active),
        key=lambda g: (g.last_name, g.first_name, g.guardian_id),
    )
    letters: list[dict[str, Any]] = []
    more = False
    for guardian in guardians:
        gid = guardian.guardian_id
        if activation.has_account(gid) or activation.has_live_key(gid):
            continue
        if len(letters) == MAX_LETTERS:
            more = True
            break
        key = activation.issue(gid, actor, ACTION)
        letters.append(letter(guardian, key, family[gid]))
    return {"letters": letters, "more": more}


def letter(guardian: sis.Guardian, key: str, children: list[sis.Student]) -> dict[str, Any]:
    """What one guardian's letter prints."""
    language = directory.language_of(guardian, None)  # no account yet: the SIS language
    url = f"{settings().site_url}{language}/parents/activate/"
    return {
        "guardian_id": guardian.guardian_id,
        "name": guardian.display_name,
        "language": language,
        "activation_key": key,
        "activation_url": url,
        "district_id": settings().district_app_id,
        "qr_svg": qr.svg(url, url),
        "students": sorted(s.display_name for s in children),
    }


def _family(actor: audit.Actor, scope: str, target: str) -> Family:
    """The guardians of the scope with the active children they may see, within reach."""
    if scope == "guardian":
        return _of_guardian(actor, target)
    if scope == "class":
        return _of_class(actor, target)
    return _of_school(actor, target)


def _of_guardian(actor: audit.Actor, guardian_id: str) -> Family:
    guardian = sis.get_guardian(guardian_id) if guardian_id else None
    if (
        guardian is None
        or not guardian.active
        or not parents_admin.reaches_guardian(actor, guardian_id)
    ):
        raise staff.out_of_reach(actor, ACTION, guardian_id)
    children = [
        s
        for s, access in sis.students_of_guardian(guardian_id)
        if access and s.active and staff.reaches(actor, s.school)
    ]
    return {guardian_id: children}


def _of_class(actor: audit.Actor, class_id: str) -> Family:
    schools, student_ids = sis.class_roster(class_id) if class_id else (set(), [])
    if not student_ids or not any(staff.reaches(actor, school) for school in schools):
        raise staff.out_of_reach(actor, ACTION, class_id)
    family: Family = {}
    for student in sis.students_by_id(student_ids):
        if not student.active:
            continue
        for guardian, access in sis.guardians_of_student(student.student_id):
            if access:
                family.setdefault(guardian.guardian_id, []).append(student)
    return family


def _of_school(actor: audit.Actor, school: str) -> Family:
    target = school if actor.role == "district_admin" else actor.school
    if not target:
        raise InvalidRequest("Give the school's sourcedId as id.", field="id")
    links = [(g, s) for g, s, access in sis.guardian_links_of_school(target) if access]
    students = {s.student_id: s for s in sis.students_by_id({s for _, s in links}) if s.active}
    family: Family = {}
    for guardian_id, student_id in links:
        if student_id in students:
            family.setdefault(guardian_id, []).append(students[student_id])
    return family
