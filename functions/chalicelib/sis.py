"""Read model of the SIS mirror: students, guardians, links, schedules, attendance, grades.

Layout of the `sis` table (keys pk, sk; index gsi1 on gsi1pk, gsi1sk), written only by
`portal sis import` (portal/sis/items.py builds the items):

| pk | sk | what |
| --- | --- | --- |
| org#<sourcedId> | profile | school: name, type, identifier |
| student#<identifier> | profile | student (gsi1: sourced#<sourcedId> / student) |
| guardian#<sourcedId> | profile | guardian |
| guardian#<gid> | link#<identifier> | link, portal_access (gsi1: student#<id> / link#<gid>) |
| household#<sourcedId> | profile | phone, addresses, members |
| year#<schoolYear> | year / term#<sourcedId> | the school year session and its terms |
| student#<identifier> | class#<classSourcedId> | one class of the student's schedule |
| student#<identifier> | att#<YYYY-MM-DD>#<sourcedId> | one attendance record |
| student#<identifier> | grade#<classSourcedId>#<lineItemSourcedId> | one gradebook line |

Profiles of people who left the export stay with active=false (first_seen_at is kept); callers
decide visibility from that flag, so every function here returns inactive records as well.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .storage import sis as store


@dataclass(frozen=True)
class Student:
    """A student as exported by the SIS (names exactly as exported)."""

    student_id: str
    given_name: str
    family_name: str
    middle_name: str
    school: str
    school_name: str
    grade: str
    years: tuple[int, ...]
    active: bool
    first_seen_at: int
    language: str
    household: str | None


@dataclass(frozen=True)
class Guardian:
    """A parent, guardian or relative as exported by the SIS."""

    guardian_id: str
    given_name: str
    family_name: str
    role: str
    email: str
    language: str
    active: bool
    household: str | None


def _student(item: dict[str, Any]) -> Student:
    return Student(
        student_id=item["student_id"],
        given_name=item["given_name"],
        family_name=item["family_name"],
        middle_name=item.get("middle_name", ""),
        school=item["school"],
        school_name=item.get("school_name", ""),
        grade=item.get("grade", ""),
        years=tuple(int(y) for y in item.get("years", [])),
        active=bool(item.get("active", False)),
        first_seen_at=int(item["first_seen_at"]),
        language=item.get("language", "en"),
        household=item.get("household"),
    )


def _guardian(item: dict[str, Any]) -> Guardian:
    return Guardian(
        guardian_id=item["sourced_id"],
        given_name=item["given_name"],
        family_name=item["family_name"],
        role=item.get("role", "guardian"),
        email=item.get("email", ""),
        language=item.get("language", "en"),
        active=bool(item.get("active", False)),
        household=item.get("household"),
    )


def get_student(student_id: str) -> Student | None:
    """The student with this 7-digit identifier, active or not, or None."""
    item = store.get(f"student#{student_id}", "profile")
    return _student(item) if item else None


def get_guardian(guardian_id: str) -> Guardian | None:
    """The guardian with this sourcedId, active or not, or None."""
    item = store.get(f"guardian#{guardian_id}", "profile")
    return _guardian(item) if item else None


def students_of_guardian(guardian_id: str) -> list[tuple[Student, bool]]:
    """Every student linked to the guardian, with the link's portal_access flag."""
    links = store.query(f"guardian#{guardian_id}", "link#")
    access = {link["student_id"]: bool(link.get("portal_access", True)) for link in links}
    profiles = store.get_many((f"student#{sid}", "profile") for sid in access)
    students = sorted((_student(p) for p in profiles), key=lambda s: s.student_id)
    return [(s, access[s.student_id]) for s in students]


def guardians_of_student(student_id: str) -> list[tuple[Guardian, bool]]:
    """Every guardian linked to the student, with the link's portal_access flag."""
    links = store.query_index(f"student#{student_id}", "link#")
    access = {link["guardian_id"]: bool(link.get("portal_access", True)) for link in links}
    profiles = store.get_many((f"guardian#{gid}", "profile") for gid in access)
    guardians = sorted((_guardian(p) for p in profiles), key=lambda g: g.guardian_id)
    return [(g, access[g.guardian_id]) for g in guardians]


def _strip_keys(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Items without their table keys, which are storage details."""
    hidden = {"pk", "sk", "gsi1pk", "gsi1sk"}
    return [{k: v for k, v in item.items() if k not in hidden} for item in items]


def schedule(student_id: str) -> list[dict[str, Any]]:
    """The student's classes (class_id, title, course, periods, room, teachers, terms...)."""
    rows = _strip_keys(store.query(f"student#{student_id}", "class#"))
    return sorted(rows, key=lambda c: (c.get("periods") or [""], c.get("title", ""), c["class_id"]))


def attendance(student_id: str) -> list[dict[str, Any]]:
    """The student's attendance records (date, status, class_id, class_title), oldest first."""
    return _strip_keys(store.query(f"student#{student_id}", "att#"))


def grades(student_id: str) -> list[dict[str, Any]]:
    """The student's gradebook lines, grouped by class, with status scored/late/missing/pending."""
    return _strip_keys(store.query(f"student#{student_id}", "grade#"))


def household(household_id: str) -> dict[str, Any] | None:
    """Phone, primary_address, mailing_address and members (sourcedIds) of a household."""
    item = store.get(f"household#{household_id}", "profile")
    if item is None:
        return None
    return {"household_id": household_id, **_strip_keys([item])[0]}


def terms(school_year: int) -> list[dict[str, Any]]:
    """The terms of a school year (sourced_id, title, type, start, end), by start date."""
    rows = [
        {"sourced_id": item["sk"].removeprefix("term#"), **_strip_keys([item])[0]}
        for item in store.query(f"year#{school_year}", "term#")
    ]
    return sorted(rows, key=lambda t: (t.get("start", ""), t.get("end", ""), t["sourced_id"]))
