"""Read model of the SIS mirror: students, guardians, links, schedules, attendance, grades.

The mirror is written only by `portal sis import`; storage/sis.py documents its layout.
Profiles of people who left the export stay with active=false (first_seen_at is kept);
callers decide visibility from that flag, so every function here returns inactive records too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .account import Account
from .storage import sis as mirror


def prefer(preferred: str, legal: str) -> str:
    """The part of a name families see: the one the person goes by, else the legal one."""
    return preferred or legal


def shown_name(profile: Mapping[str, Any], part: str) -> str:
    """One part ("given_name", "middle_name", "family_name") of a stored profile's shown name."""
    return prefer(str(profile.get(f"preferred_{part}") or ""), str(profile.get(part) or ""))


class ShownNames:
    """The names a person goes by: the SIS's preferred names where it gives them, else legal."""

    given_name: str
    family_name: str
    preferred_given_name: str
    preferred_family_name: str

    @property
    def first_name(self) -> str:
        """The given name the person goes by."""
        return prefer(self.preferred_given_name, self.given_name)

    @property
    def last_name(self) -> str:
        """The family name the person goes by."""
        return prefer(self.preferred_family_name, self.family_name)


@dataclass(frozen=True)
class Student(ShownNames):
    """A student as exported by the SIS (names exactly as exported).

    The legal names are what a claim matches; families and staff see the preferred ones, when
    the SIS gives them, everywhere a name is shown.
    """

    student_id: str
    sourced_id: str  # OneRoster sourcedId: household member lists name students by it
    given_name: str
    family_name: str
    middle_name: str
    school: str
    school_name: str
    school_email: str  # the school's contact address ("" when the SIS gives none)
    grade: str
    years: tuple[int, ...]
    active: bool
    first_seen_at: int
    language: str
    household: str | None
    preferred_given_name: str = ""
    preferred_middle_name: str = ""
    preferred_family_name: str = ""

    @property
    def short_name(self) -> str:
        """Given and family name as shown (the portal's header, household members)."""
        return f"{self.first_name} {self.last_name}"

    @property
    def display_name(self) -> str:
        """Given, middle and family name as shown, as the SIS spells them."""
        middle = prefer(self.preferred_middle_name, self.middle_name)
        return " ".join(p for p in (self.first_name, middle, self.last_name) if p)


@dataclass(frozen=True)
class Guardian(ShownNames):
    """A parent, guardian or relative as exported by the SIS."""

    guardian_id: str
    given_name: str
    family_name: str
    role: str
    email: str
    language: str
    active: bool
    household: str | None
    preferred_given_name: str = ""
    preferred_family_name: str = ""

    @property
    def display_name(self) -> str:
        """Given and family name as shown, as the SIS spells them."""
        return f"{self.first_name} {self.last_name}"

    short_name = display_name


def _student(item: dict[str, Any]) -> Student:
    return Student(
        student_id=item["student_id"],
        sourced_id=item.get("sourced_id", ""),
        given_name=item["given_name"],
        family_name=item["family_name"],
        middle_name=item.get("middle_name", ""),
        school=item["school"],
        school_name=item.get("school_name", ""),
        school_email=item.get("school_email", ""),
        grade=item.get("grade", ""),
        years=tuple(int(y) for y in item.get("years", [])),
        active=bool(item.get("active", False)),
        first_seen_at=int(item["first_seen_at"]),
        language=item.get("language", "en"),
        household=item.get("household"),
        preferred_given_name=item.get("preferred_given_name", ""),
        preferred_middle_name=item.get("preferred_middle_name", ""),
        preferred_family_name=item.get("preferred_family_name", ""),
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
        preferred_given_name=item.get("preferred_given_name", ""),
        preferred_family_name=item.get("preferred_family_name", ""),
    )


def get_student(student_id: str) -> Student | None:
    """The student with this SIS identifier (the student ID), active or not, or None."""
    item = mirror.student(student_id)
    return _student(item) if item else None


def students_by_id(student_ids: Iterable[str]) -> list[Student]:
    """The students with these identifiers (unknown ones skipped), in no particular order."""
    return [_student(p) for p in mirror.students(student_ids)]


def students_of_school(school: str) -> list[Student]:
    """Every student of a school, active or not, by identifier."""
    return [_student(p) for p in mirror.students_of_school(school)]


def guardian_links_of_school(school: str) -> list[tuple[str, str, bool]]:
    """(guardian sourcedId, student identifier, portal_access) for a school's students."""
    return [
        (link["guardian_id"], link["student_id"], bool(link.get("portal_access", True)))
        for link in mirror.links_of_school(school)
    ]


def class_roster(class_id: str) -> tuple[set[str], list[str]]:
    """The schools a class belongs to and its students' identifiers (none: no such class)."""
    rows = mirror.enrollments_of_class(class_id)
    return {r.get("school", "") for r in rows}, sorted({r["student_id"] for r in rows})


def guardians_by_id(guardian_ids: Iterable[str]) -> list[Guardian]:
    """The guardians with these sourcedIds (unknown ones skipped), in no particular order."""
    return [_guardian(p) for p in mirror.guardians(guardian_ids)]


def student_from_profile(item: dict[str, Any] | None) -> Student | None:
    """A student from a profile read elsewhere (a login reads it in its own batch)."""
    return _student(item) if item else None


def get_guardian(guardian_id: str) -> Guardian | None:
    """The guardian with this sourcedId, active or not, or None."""
    item = mirror.guardian(guardian_id)
    return _guardian(item) if item else None


def holder_of(account: Account) -> Student | Guardian | None:
    """The person the SIS lists behind a student or parent account (staff: None)."""
    if account.role == "student":
        return get_student(account.student_id)
    if account.role == "parent":
        return get_guardian(account.guardian_id)
    return None


def is_active(person: Student | Guardian | None) -> bool:
    """Whether the SIS still lists this person (None: nobody)."""
    return person is not None and person.active


def names_of(person: Student | Guardian | None) -> list[str]:
    """Given and family names of a person, legal and preferred, for the password rules."""
    if person is None:
        return []
    names = [person.given_name, person.family_name, person.first_name, person.last_name]
    return list(dict.fromkeys(names))


def students_of_guardian(guardian_id: str) -> list[tuple[Student, bool]]:
    """Every student linked to the guardian, with the link's portal_access flag."""
    links = mirror.links_of_guardian(guardian_id)
    access = {link["student_id"]: bool(link.get("portal_access", True)) for link in links}
    students = sorted((_student(p) for p in mirror.students(access)), key=lambda s: s.student_id)
    return [(s, access[s.student_id]) for s in students]


def guardians_of_student(student_id: str) -> list[tuple[Guardian, bool]]:
    """Every guardian linked to the student, with the link's portal_access flag."""
    links = mirror.links_of_student(student_id)
    access = {link["guardian_id"]: bool(link.get("portal_access", True)) for link in links}
    guardians = sorted(
        (_guardian(p) for p in mirror.guardians(access)), key=lambda g: g.guardian_id
    )
    return [(g, access[g.guardian_id]) for g in guardians]


def schedule(student_id: str) -> list[dict[str, Any]]:
    """The student's classes (class_id, title, course, periods, room, teachers, terms...)."""
    rows = mirror.classes_of(student_id)
    return sorted(rows, key=lambda c: (c.get("periods") or [""], c.get("title", ""), c["class_id"]))


def attendance(student_id: str) -> list[dict[str, Any]]:
    """The student's attendance records (date, status, class_id, class_title), oldest first."""
    return mirror.attendance_of(student_id)


def grades(student_id: str) -> list[dict[str, Any]]:
    """The student's gradebook lines, grouped by class, with status scored/late/missing/pending."""
    return mirror.grade_lines_of(student_id)


def household(household_id: str) -> dict[str, Any] | None:
    """Phone, primary_address, mailing_address and members (sourcedIds) of a household."""
    item = mirror.household(household_id)
    return {"household_id": household_id, **item} if item is not None else None


def terms(school_year: int) -> list[dict[str, Any]]:
    """The terms of a school year (sourced_id, title, type, start, end), by start date."""
    rows = mirror.terms_of(school_year)
    return sorted(rows, key=lambda t: (t.get("start", ""), t.get("end", ""), t["sourced_id"]))
