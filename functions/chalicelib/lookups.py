"""What a parent or student may read: students, schedule, attendance, grades, calendar (S7).

Every student-specific answer goes through `visible_student`, which answers NotFound — one
identical 404 — for a student the caller may not see and for one that does not exist.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

from . import school_year, sis
from .errors import InvalidRequest, NotFound
from .sessions import Session

MAX_CALENDAR_DAYS = 366


def _enrolled_now_or_next(student: sis.Student) -> bool:
    year = school_year.current()
    return student.active and bool({year, year + 1} & set(student.years))


def visible_students(session: Session) -> list[sis.Student]:
    """The students the caller may see: a parent's authorized children, or the student."""
    account = session.account
    if account.role == "parent":
        candidates = [s for s, allowed in sis.students_of_guardian(account.guardian_id) if allowed]
    elif account.role == "student":
        found = sis.get_student(account.student_id)
        candidates = [found] if found else []
    else:
        candidates = []
    return [s for s in candidates if _enrolled_now_or_next(s)]


def visible_student(session: Session, student_id: str) -> sis.Student:
    """One student the caller may see, or NotFound whatever the reason."""
    for student in visible_students(session):
        if student.student_id == student_id:
            return student
    raise NotFound()


def students(session: Session) -> dict[str, Any]:
    """GET /students."""
    return {
        "students": [
            {
                "student_id": s.student_id,
                "display_name": s.display_name,
                "school": s.school_name,
                "school_name": s.school_name,
                "school_email": s.school_email or None,
                "grade": s.grade,
            }
            for s in visible_students(session)
        ]
    }


def schedule(session: Session, student_id: str) -> dict[str, Any]:
    """GET /students/{id}/schedule: classes by period and term."""
    student = visible_student(session, student_id)
    year = school_year.current()
    if year not in student.years and year + 1 in student.years:
        year += 1
    classes = [c for c in sis.schedule(student_id) if c.get("school_year", year) == year]
    return {
        "student_id": student_id,
        "school_year": year,
        "terms": [
            {
                "id": t["sourced_id"],
                "title": t.get("title", ""),
                "start": t.get("start"),
                "end": t.get("end"),
            }
            for t in sis.terms(year)
            if t.get("type", "term") != "schoolYear"
        ],
        "classes": [
            {
                "class_id": c["class_id"],
                "title": c.get("title", ""),
                "course_title": c.get("course_title", ""),
                "periods": list(c.get("periods", [])),
                "room": c.get("room", ""),
                "teachers": list(c.get("teachers", [])),
                "teacher_email": c.get("teacher_email") or None,
                "terms": list(c.get("terms", [])),
            }
            for c in classes
        ],
    }


def attendance(session: Session, student_id: str) -> dict[str, Any]:
    """GET /students/{id}/attendance: records and a count per status."""
    visible_student(session, student_id)
    entries = [
        {
            "date": a["date"],
            "status": a["status"],
            "class_id": a.get("class_id", ""),
            "class_title": a.get("class_title", ""),
        }
        for a in sis.attendance(student_id)
    ]
    return {
        "student_id": student_id,
        "entries": entries,
        "summary": dict(Counter(e["status"] for e in entries)),
    }


def grades(session: Session, student_id: str) -> dict[str, Any]:
    """GET /students/{id}/grades: assignments per class with category weights."""
    visible_student(session, student_id)
    by_class: dict[str, dict[str, Any]] = {}
    for line in sis.grades(student_id):
        entry = by_class.setdefault(
            line["class_id"],
            {
                "class_id": line["class_id"],
                "title": line.get("class_title", ""),
                "categories": {},
                "assignments": [],
            },
        )
        if line.get("category"):
            entry["categories"][line["category"]] = line.get("category_weight")
        entry["assignments"].append(
            {
                "title": line.get("title", ""),
                "category": line.get("category", ""),
                "assign_date": line.get("assign_date"),
                "due_date": line.get("due_date"),
                "score": line.get("score"),
                "max_score": line.get("max_score"),
                "score_date": line.get("score_date"),
                "comment": line.get("comment", ""),
                "status": line.get("status", "pending"),
            }
        )
    classes = []
    for entry in sorted(by_class.values(), key=lambda c: (c["title"], c["class_id"])):
        entry["categories"] = [
            {"name": n, "weight": w} for n, w in sorted(entry["categories"].items())
        ]
        entry["assignments"].sort(key=lambda a: (a["due_date"] or "", a["title"]))
        classes.append(entry)
    return {"student_id": student_id, "classes": classes}


def calendar(
    session: Session, student_id: str, start: str | None, end: str | None
) -> dict[str, Any]:
    """GET /students/{id}/calendar?from=&to=: term days, due dates and attendance by day."""
    visible_student(session, student_id)
    first, last = _date_range(start, end)
    days: dict[str, list[dict[str, Any]]] = {}

    def add(day: str | None, event: dict[str, Any]) -> None:
        if day and first.isoformat() <= day[:10] <= last.isoformat():
            days.setdefault(day[:10], []).append(event)

    for year in sorted({school_year.of(first), school_year.of(last)}):
        for term in sis.terms(year):
            add(term.get("start"), {"kind": "term_start", "title": term.get("title", "")})
            add(term.get("end"), {"kind": "term_end", "title": term.get("title", "")})
    for line in sis.grades(student_id):
        add(
            line.get("due_date"),
            {
                "kind": "assignment_due",
                "title": line.get("title", ""),
                "class_title": line.get("class_title", ""),
                "status": line.get("status"),
            },
        )
    for record in sis.attendance(student_id):
        add(
            record.get("date"),
            {
                "kind": "attendance",
                "title": record.get("status", ""),
                "class_title": record.get("class_title", ""),
                "status": record.get("status"),
            },
        )
    return {
        "student_id": student_id,
        "from": first.isoformat(),
        "to": last.isoformat(),
        "days": [{"date": d, "events": days[d]} for d in sorted(days)],
    }


def _date_range(start: str | None, end: str | None) -> tuple[date, date]:
    today = school_year.today()
    try:
        first = date.fromisoformat(start) if start else today.replace(day=1)
        last = date.fromisoformat(end) if end else first + timedelta(days=31)
    except (ValueError, OverflowError):
        raise InvalidRequest("from and to are dates like 2026-09-01.", field="from") from None
    if last < first:
        raise InvalidRequest("to must not be before from.", field="to")
    if (last - first).days > MAX_CALENDAR_DAYS:
        raise InvalidRequest("Ask for one year at most.", field="to")
    return first, last


def households(session: Session) -> dict[str, Any]:
    """GET /household: phone, addresses, the household's guardians and the students in view.

    A household's member list comes from the SIS as it is; a child the caller may not see (a
    link removed, or portal access withheld) is left out, as are guardians no longer listed.
    """
    holder = sis.holder_of(session.account)
    ids = [holder.household] if holder and holder.household else []
    in_view = {s.sourced_id: s for s in visible_students(session)}
    result = []
    for household_id in ids:
        found = sis.household(household_id)
        if found is None:
            continue
        result.append(
            {
                "phone": found.get("phone", ""),
                "primary_address": found.get("primary_address", ""),
                "mailing_address": found.get("mailing_address", ""),
                "members": [
                    m for m in (_member(s, in_view) for s in found.get("members", [])) if m
                ],
            }
        )
    return {"households": result}


def _member(sourced_id: str, in_view: dict[str, sis.Student]) -> dict[str, str] | None:
    """A member's name and role, if an active guardian or a student in view (else None)."""
    student = in_view.get(sourced_id)
    if student is not None:
        return {"name": student.short_name, "role": "student"}
    guardian = sis.get_guardian(sourced_id)
    if guardian is None or not guardian.active:
        return None
    return {"name": guardian.short_name, "role": guardian.role}
