"""Items of the `sis` table built from a validated export (layout: chalicelib/sis.py).

Items carry only the export's own data plus two import parameters (`entered_at` for students
new to the tables, `as_of` for missing vs pending), so the same export gives the same items.
A later import can still turn a pending assignment into a missing one: the date moved, which
is a real change. Items come out as plain values, one at a time, in a fixed order.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from portal.sis.csvfiles import Errors, is_tobedeleted
from portal.sis.model import Export, Klass, LineItem, Person
from portal.sis.validator import open_file

Item = dict[str, Any]
KINDS = ("schools", "terms", "households", "guardians", "links", "students", "classes",
         "attendance", "grades")  # fmt: skip


def kind_of(pk: str, sk: str) -> str:
    """Which summary line an item counts under, from its key alone."""
    prefix = pk.split("#", 1)[0]
    if prefix == "student":
        head = sk.split("#", 1)[0]
        return {"profile": "students", "class": "classes", "att": "attendance"}.get(head, "grades")
    if prefix == "guardian":
        return "guardians" if sk == "profile" else "links"
    return {"org": "schools", "year": "terms", "household": "households"}.get(prefix, "other")


def _num(value: float | None) -> int | float | None:
    """Whole numbers as int, so 10.0 and 10 are the same item."""
    if value is None:
        return None
    return int(value) if value.is_integer() else value


def _preferred(person: Person, middle: bool = True) -> Item:
    """The names a person goes by, beside the legal ones (a guardian's profile has no middle
    name); none stored when the SIS gives none, so such an export changes no profile."""
    names = {"preferred_given_name": person.preferred_given,
             "preferred_middle_name": person.preferred_middle if middle else "",
             "preferred_family_name": person.preferred_family}  # fmt: skip
    return {key: value for key, value in names.items() if value}


def _float(text: str) -> float | None:
    text = text.strip()
    return float(text) if text else None


class Builder:
    """Builds every item of one export, given who was seen before and the import's dates."""

    def __init__(self, export: Export, first_seen: dict[str, int], entered_at: int,
                 as_of: str) -> None:  # fmt: skip
        self.ex, self.first_seen = export, first_seen
        self.entered_at, self.as_of = entered_at, as_of

    def items(self) -> Iterator[Item]:
        """Every item, district-wide ones first, then people, then the large streams."""
        yield from self.schools()
        yield from self.terms()
        yield from self.households()
        yield from self.guardians()
        yield from self.links()
        for student in self.ex.students.values():
            yield from self.student(student)
        if self.ex.has_attendance:
            yield from self.attendance()
        if self.ex.gradebook:
            yield from self.results()

    def count_estimate(self) -> int:
        """Roughly how many items `items()` yields (for the progress bar)."""
        ex = self.ex
        classes = sum(len(c) for c in ex.enrolled.values())
        graded = sum(len(ex.classes[k].line_items) for c in ex.enrolled.values() for k in c)
        people = len(ex.students) + len(ex.guardians) + len(ex.links) + len(ex.households)
        attendance = ex.rows.get("attendance.csv", 0)
        return len(ex.orgs) + len(ex.sessions) + people + classes + graded + attendance

    def schools(self) -> Iterator[Item]:
        """Every org (schools and the district), for names shown on profiles."""
        for sid, org in self.ex.orgs.items():
            yield {"pk": f"org#{sid}", "sk": "profile", "gsi2pk": "orgs", "gsi2sk": f"org#{sid}",
                   "name": org.name, "type": org.type, "identifier": org.identifier,
                   "email": org.email}  # fmt: skip

    def terms(self) -> Iterator[Item]:
        """School years (sk `year`) and every session inside them (sk `term#<id>`)."""
        for sid, s in self.ex.sessions.items():
            if not s.active:
                continue
            sk = "year" if s.type == "schoolYear" else f"term#{sid}"
            yield {"pk": f"year#{s.school_year}", "sk": sk, "title": s.title, "type": s.type,
                   "start": s.start, "end": s.end, "school_year": s.school_year}  # fmt: skip

    def households(self) -> Iterator[Item]:
        """Households with their contact details and members."""
        for sid, (phone, primary, mailing, members) in self.ex.households.items():
            yield {"pk": f"household#{sid}", "sk": "profile", "phone": phone,
                   "primary_address": primary, "mailing_address": mailing,
                   "members": members}  # fmt: skip

    def guardians(self) -> Iterator[Item]:
        """Guardian profiles."""
        for gid, g in self.ex.guardians.items():
            yield {"pk": f"guardian#{gid}", "sk": "profile", "sourced_id": gid,
                   "given_name": g.given, "family_name": g.family, "role": g.role,
                   "email": g.email, "language": g.language, "active": g.active,
                   "household": self.ex.household_of.get(gid),
                   **_preferred(g, middle=False)}  # fmt: skip

    def links(self) -> Iterator[Item]:
        """Guardian ↔ student links, readable from both sides (gsi1 from the student) and by
        the student's school (gsi2)."""
        for (gid, sid), access in self.ex.links.items():
            student = self.ex.students[sid]
            ident = student.identifier
            yield {"pk": f"guardian#{gid}", "sk": f"link#{ident}", "gsi1pk": f"student#{ident}",
                   "gsi1sk": f"link#{gid}", "gsi2pk": f"school#{student.school}",
                   "gsi2sk": f"guardian#{gid}#{ident}", "guardian_id": gid, "student_id": ident,
                   "portal_access": access}  # fmt: skip

    def student(self, s: Person) -> Iterator[Item]:
        """A student's profile, schedule and not-yet-scored assignments."""
        ex, pk = self.ex, f"student#{s.identifier}"
        classes = [(cid, ex.classes[cid]) for cid in ex.enrolled.get(s.sid, ())]
        classes = [(cid, k) for cid, k in classes if k.active]
        years = sorted({y for _, k in classes for y in self._years(k)})
        org = ex.orgs.get(s.school)
        yield {"pk": pk, "sk": "profile", "gsi1pk": f"sourced#{s.sid}", "gsi1sk": "student",
               "gsi2pk": f"school#{s.school}", "gsi2sk": f"student#{s.identifier}",
               "student_id": s.identifier, "sourced_id": s.sid, "given_name": s.given,
               "family_name": s.family, "middle_name": s.middle, "school": s.school,
               "school_name": org.name if org else "", "school_email": org.email if org else "",
               "grade": s.grade, "years": years,
               "active": s.active, "language": s.language,
               "first_seen_at": self.first_seen.get(s.identifier, self.entered_at),
               "household": ex.household_of.get(s.sid), **_preferred(s)}  # fmt: skip
        for cid, k in classes:
            course = ex.courses.get(k.course, ("", ""))
            yield {"pk": pk, "sk": f"class#{cid}", "gsi2pk": f"class#{cid}",
                   "gsi2sk": f"student#{s.identifier}", "class_id": cid, "title": k.title,
                   "course_title": course[0], "course_code": course[1], "periods": k.periods,
                   "room": k.location, "teachers": k.teachers,
                   "teacher_email": k.teacher_email, "terms": k.terms,
                   "school": k.school, "school_year": next(iter(self._years(k)), None)}  # fmt: skip
        for cid, k in classes:
            for lid in k.line_items:
                if (lid, s.sid) not in ex.results:
                    yield self._grade(pk, cid, k, lid, ex.line_items[lid], None, "", "")

    def _years(self, k: Klass) -> list[int]:
        """School years of a class's terms, in term order."""
        sessions = self.ex.sessions
        return list(dict.fromkeys(sessions[t].school_year for t in k.terms if t in sessions))

    def _grade(self, pk: str, cid: str, k: Klass, lid: str, li: LineItem, score: float | None,
               score_date: str, comment: str) -> Item:  # fmt: skip
        """One gradebook line; its status follows CONTRACT.md (late, missing) and `as_of`."""
        if score is not None:
            late = bool(score_date and li.due and score_date[:10] > li.due[:10])
            status = "late" if late else "scored"
        else:
            status = "missing" if li.due[:10] < self.as_of else "pending"
        title, weight = self.ex.categories.get(li.category, ("", None))
        return {"pk": pk, "sk": f"grade#{cid}#{lid}", "class_id": cid, "class_title": k.title,
                "line_item_id": lid, "title": li.title, "category": title,
                "category_weight": _num(weight), "assign_date": li.assign, "due_date": li.due,
                "max_score": _num(li.max_score), "score": _num(score),
                "score_date": score_date or None, "comment": comment,
                "status": status}  # fmt: skip

    def attendance(self) -> Iterator[Item]:
        """Attendance rows, read again from the validated file."""
        ex = self.ex
        for _, row in open_file(ex.directory, "attendance.csv", Errors()).rows():
            student, klass = ex.students[row["studentSourcedId"].strip()], row["classSourcedId"]
            day, cid = row["date"].strip(), klass.strip()
            yield {"pk": f"student#{student.identifier}",
                   "sk": f"att#{day}#{row['sourcedId'].strip()}", "date": day,
                   "status": row["status"].strip(), "class_id": cid,
                   "class_title": ex.classes[cid].title}  # fmt: skip

    def results(self) -> Iterator[Item]:
        """Scored (or explicitly unscored) assignments, read again from results.csv."""
        ex = self.ex
        for _, row in open_file(ex.directory, "results.csv", Errors()).rows():
            if is_tobedeleted(row):
                continue
            lid = row["lineItemSourcedId"].strip()
            li = ex.line_items[lid]
            k = ex.classes[li.klass]
            if not (li.active and k.active):
                continue
            student = ex.students[row["studentSourcedId"].strip()]
            yield self._grade(f"student#{student.identifier}", li.klass, k, lid, li,
                              _float(row["score"]), row["scoreDate"].strip(),
                              row["comment"])  # fmt: skip
