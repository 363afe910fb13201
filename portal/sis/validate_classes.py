"""Checks of the class-side files: courses, classes, enrollments, gradebook and attendance.

The large files (enrollments, results, attendance) keep only 64-bit hashes of their sourcedIds;
when two hashes match, the file is read again to name the exact lines (a rare, slow path).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from portal.sis import oneroster as ors
from portal.sis.csvfiles import Errors, is_tobedeleted
from portal.sis.model import Hashes, Klass, LineItem
from portal.sis.validator import Validator, open_file

ENROLLMENT_ROLES = (ors.STUDENT_ROLE, *ors.STAFF_ROLES)
Key = Callable[[dict[str, str]], object]


def courses(v: Validator) -> None:
    """courses.csv: titles and codes shown on schedules."""
    ex = v.export
    seen: dict[str, int] = {}
    for _, row in v.each("courses.csv"):
        sid = v.unique(row, seen)
        title = v.c.required(row, "title")
        v.ref("schoolYearSourcedId", row["schoolYearSourcedId"], "academicSessions.csv",
              ex.sessions, "academic session")  # fmt: skip
        v.c.required(row, "orgSourcedId")
        v.ref("orgSourcedId", row["orgSourcedId"], "orgs.csv", ex.orgs, "org")
        if sid:
            ex.courses[sid] = (title, row["courseCode"])


def classes(v: Validator) -> None:
    """classes.csv: title, course, room, school, terms and periods."""
    ex = v.export
    seen: dict[str, int] = {}
    for _, row in v.each("classes.csv"):
        c = v.c
        sid = v.unique(row, seen)
        title = c.required(row, "title")
        c.required(row, "courseSourcedId")
        course = v.ref("courseSourcedId", row["courseSourcedId"], "courses.csv", ex.courses,
                       "course")  # fmt: skip
        c.required(row, "schoolSourcedId")
        school = v.ref("schoolSourcedId", row["schoolSourcedId"], "orgs.csv", ex.orgs, "org")
        terms = [v.ref("termSourcedIds", t, "academicSessions.csv", ex.sessions,
                       "academic session")
                 for t in ors.split_ids(c.required(row, "termSourcedIds"))]  # fmt: skip
        periods = ors.split_ids(row["periods"])
        if sid:
            ex.classes[sid] = Klass(title, course, row["location"], school, terms, periods,
                                    not is_tobedeleted(row))  # fmt: skip


def enrollments(v: Validator) -> None:
    """enrollments.csv: students' schedules and class teachers."""
    ex, ids = v.export, Hashes()
    teachers: dict[str, list[tuple[bool, str]]] = {}  # class → (not primary, teacher sourcedId)
    for _, row in v.each("enrollments.csv"):
        c = v.c
        if c.required(row, "sourcedId").strip():
            ids.add(row["sourcedId"].strip())
        c.required(row, "classSourcedId")
        klass = v.ref("classSourcedId", row["classSourcedId"], "classes.csv", ex.classes, "class")
        v.ref("schoolSourcedId", row["schoolSourcedId"], "orgs.csv", ex.orgs, "org")
        c.required(row, "userSourcedId")
        user = v.ref("userSourcedId", row["userSourcedId"], "users.csv", ex.roles, "user")
        role = row["role"].strip()
        if role not in ENROLLMENT_ROLES:
            c.fail("role", f"unknown role {role!r}")
        elif role == ors.STUDENT_ROLE:
            v.is_role("userSourcedId", user, (ors.STUDENT_ROLE,), "student")
        primary = c.boolean(row, "primary", blank=False)
        c.date(row, "beginDate")
        c.date(row, "endDate")
        if is_tobedeleted(row) or klass not in ex.classes:
            continue
        if role == ors.STUDENT_ROLE and user in ex.students:
            ex.enrolled.setdefault(user, []).append(klass)
        elif role == "teacher" and user in ex.teacher_names:
            teachers.setdefault(klass, []).append((not primary, user))
    _duplicates(v, "enrollments.csv", ids, lambda row: row["sourcedId"].strip(), "sourcedId")
    for klass, named in teachers.items():
        # Primary teachers first, then file order; a teacher named twice appears once.
        ordered = list(dict.fromkeys(user for _, user in sorted(named, key=lambda pair: pair[0])))
        ex.classes[klass].teachers = list(dict.fromkeys(ex.teacher_names[u] for u in ordered))
        emails = [ex.teacher_emails[u] for u in ordered if u in ex.teacher_emails]
        ex.classes[klass].teacher_email = emails[0] if emails else ""
    for student, class_ids in ex.enrolled.items():
        ex.enrolled[student] = list(dict.fromkeys(class_ids))


def categories(v: Validator) -> None:
    """categories.csv: gradebook categories and their optional weights."""
    ex = v.export
    seen: dict[str, int] = {}
    for _, row in v.each("categories.csv"):
        sid = v.unique(row, seen)
        title = v.c.required(row, "title")
        weight = v.c.number(row, "metadata.weight") if "metadata.weight" in row else None
        if sid:
            ex.categories[sid] = (title, weight)


def line_items(v: Validator) -> None:
    """lineItems.csv: assignments with dates, class, category and points possible."""
    ex = v.export
    seen: dict[str, int] = {}
    for _, row in v.each("lineItems.csv"):
        c = v.c
        sid = v.unique(row, seen)
        title = c.required(row, "title")
        assign = c.datetime(row, "assignDate", True)
        due = c.datetime(row, "dueDate", True)
        c.required(row, "classSourcedId")
        klass = v.ref("classSourcedId", row["classSourcedId"], "classes.csv", ex.classes, "class")
        c.required(row, "categorySourcedId")
        category = v.ref("categorySourcedId", row["categorySourcedId"], "categories.csv",
                         ex.categories, "category")  # fmt: skip
        v.ref("gradingPeriodSourcedId", row["gradingPeriodSourcedId"], "academicSessions.csv",
              ex.sessions, "academic session")  # fmt: skip
        c.number(row, "resultValueMin")
        max_score = c.number(row, "resultValueMax", True)
        if sid:
            active = not is_tobedeleted(row)
            ex.line_items[sid] = LineItem(klass, title, category, assign, due, max_score, active)
            if active and klass in ex.classes:
                ex.classes[klass].line_items.append(sid)


def results(v: Validator) -> None:
    """results.csv: one score per student and assignment."""
    ex, ids, pairs = v.export, Hashes(), Hashes()
    for _, row in v.each("results.csv"):
        c = v.c
        if c.required(row, "sourcedId").strip():
            ids.add(row["sourcedId"].strip())
        c.required(row, "lineItemSourcedId")
        item = v.ref("lineItemSourcedId", row["lineItemSourcedId"], "lineItems.csv",
                     ex.line_items, "line item")  # fmt: skip
        c.required(row, "studentSourcedId")
        student = v.ref("studentSourcedId", row["studentSourcedId"], "users.csv", ex.roles, "user")
        v.is_role("studentSourcedId", student, (ors.STUDENT_ROLE,), "student")
        c.choice(row, "scoreStatus", ors.SCORE_STATUSES)
        c.number(row, "score")
        c.date(row, "scoreDate")
        if not (item and student):
            continue
        pairs.add((item, student))
        if not is_tobedeleted(row):
            ex.results.add((item, student))
    _duplicates(v, "results.csv", ids, lambda row: row["sourcedId"].strip(), "sourcedId")
    _duplicates(
        v,
        "results.csv",
        pairs,
        lambda row: (row["lineItemSourcedId"].strip(), row["studentSourcedId"].strip()),
        "studentSourcedId",
        "second result for this student and line item",
    )


def attendance(v: Validator) -> None:
    """attendance.csv: one row per student, class and day."""
    ex, ids = v.export, Hashes()
    for _, row in v.each("attendance.csv", status=False):
        c = v.c
        if c.required(row, "sourcedId").strip():
            ids.add(row["sourcedId"].strip())
        c.required(row, "studentSourcedId")
        student = v.ref("studentSourcedId", row["studentSourcedId"], "users.csv", ex.roles, "user")
        v.is_role("studentSourcedId", student, (ors.STUDENT_ROLE,), "student")
        c.required(row, "classSourcedId")
        v.ref("classSourcedId", row["classSourcedId"], "classes.csv", ex.classes, "class")
        c.date(row, "date", True)
        c.choice(row, "status", ors.ATTENDANCE_STATUSES)
    _duplicates(v, "attendance.csv", ids, lambda row: row["sourcedId"].strip(), "sourcedId")


def _duplicates(v: Validator, name: str, keys: Hashes, key: Key, column: str,
                text: str = "") -> None:  # fmt: skip
    """Name every line whose key repeated an earlier one, reading the file again if needed."""
    keys.freeze()
    repeated = keys.repeated()
    if not repeated or name in v.broken:
        return
    first: dict[object, int] = {}
    for line, row in _reread(v, name):
        k = key(row)
        if not k or hash(k) not in repeated:
            continue
        if k in first:
            shown = text or f"duplicate sourcedId {k!r}"
            v.errors.add(name, line, column, f"{shown} (first on line {first[k]})")
        else:
            first[k] = line
    del keys.values[:]  # the hashes were only for this check


def _reread(v: Validator, name: str) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a file already validated (its problems were reported the first time)."""
    return open_file(v.export.directory, name, Errors()).rows()
