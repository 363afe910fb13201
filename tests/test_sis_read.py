"""The SIS read model (chalicelib.sis) over items laid out as the importer writes them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

STUDENT = {
    "pk": "student#0123456",
    "sk": "profile",
    "gsi1pk": "sourced#s-1",
    "gsi1sk": "student",
    "student_id": "0123456",
    "sourced_id": "s-1",
    "given_name": "Zoë",
    "family_name": "O'Brien-Nguyễn",
    "middle_name": "",
    "school": "org-1",
    "school_name": "McGarrah Elementary",
    "grade": "05",
    "years": [2026],
    "active": True,
    "first_seen_at": 1_700_000_000,
    "language": "vi",
    "household": "h-1",
}
OTHER = {
    **STUDENT,
    "pk": "student#0234561",
    "gsi1pk": "sourced#s-2",
    "student_id": "0234561",
    "sourced_id": "s-2",
    "given_name": "Marcia",
    "active": False,
    "household": None,
}
GUARDIAN = {
    "pk": "guardian#g-1",
    "sk": "profile",
    "sourced_id": "g-1",
    "given_name": "Minnie",
    "family_name": "Clayton",
    "role": "parent",
    "email": "minnie@example.org",
    "language": "fr",
    "active": True,
}


def link(gid: str, sid: str, access: bool) -> dict[str, Any]:
    """A link item as the importer writes it."""
    return {
        "pk": f"guardian#{gid}",
        "sk": f"link#{sid}",
        "gsi1pk": f"student#{sid}",
        "gsi1sk": f"link#{gid}",
        "guardian_id": gid,
        "student_id": sid,
        "portal_access": access,
    }


ITEMS: list[dict[str, Any]] = [
    STUDENT,
    OTHER,
    GUARDIAN,
    link("g-1", "0123456", True),
    link("g-1", "0234561", False),
    {"pk": "household#h-1", "sk": "profile", "phone": "555", "primary_address": "1 Main St",
     "mailing_address": "PO Box 1", "members": ["g-1", "s-1"]},
    {"pk": "year#2026", "sk": "year", "title": "2025-2026", "type": "schoolYear",
     "start": "2025-07-01", "end": "2026-06-30", "school_year": 2026},
    {"pk": "year#2026", "sk": "term#t-2", "title": "Q2", "type": "term", "start": "2025-10-10",
     "end": "2025-12-31", "school_year": 2026},
    {"pk": "year#2026", "sk": "term#t-1", "title": "Q1", "type": "term", "start": "2025-07-01",
     "end": "2025-10-09", "school_year": 2026},
    {"pk": "student#0123456", "sk": "class#c-1", "class_id": "c-1", "title": "Math 5",
     "course_title": "Math", "course_code": "M5", "periods": ["2"], "room": "101",
     "teachers": ["Ann Lee"], "terms": ["t-1"], "school": "org-1", "school_year": 2026},
    {"pk": "student#0123456", "sk": "att#2025-09-02#a-1", "date": "2025-09-02",
     "status": "tardy", "class_id": "c-1", "class_title": "Math 5"},
    {"pk": "student#0123456", "sk": "grade#c-1#l-1", "class_id": "c-1", "class_title": "Math 5",
     "line_item_id": "l-1", "title": "Quiz", "category": "Tests", "category_weight": 0.4,
     "assign_date": "2025-09-01", "due_date": "2025-09-05", "max_score": 10, "score": 9.5,
     "score_date": "2025-09-06", "comment": "", "status": "late"},
]  # fmt: skip


@pytest.fixture(scope="module")
def loaded(dynamodb: str) -> None:
    """The items above, alone in the sis table, written once for the module."""
    from chalicelib.storage import sis as store

    old = [store.key_of(item) for page in store.scan(2, ("pk", "sk")) for item in page]
    store.batch_write(store.delete_request(*key) for key in old)
    store.batch_write(store.put_request(store.encode(item)) for item in ITEMS)


def test_get_student_keeps_names_exactly(loaded: None) -> None:
    from chalicelib import sis

    student = sis.get_student("0123456")
    assert student is not None
    assert (student.given_name, student.family_name, student.middle_name) == (
        "Zoë",
        "O'Brien-Nguyễn",
        "",
    )
    assert student.years == (2026,) and student.active and student.household == "h-1"
    assert student.first_seen_at == 1_700_000_000 and student.language == "vi"
    assert sis.get_student("7654321") is None


def test_inactive_student_is_returned_with_flag(loaded: None) -> None:
    from chalicelib import sis

    student = sis.get_student("0234561")
    assert student is not None and not student.active and student.household is None


def test_guardian_and_links_both_ways(loaded: None) -> None:
    from chalicelib import sis

    guardian = sis.get_guardian("g-1")
    assert guardian is not None and guardian.language == "fr" and guardian.household is None
    pairs = sis.students_of_guardian("g-1")
    assert [(s.student_id, access) for s, access in pairs] == [
        ("0123456", True),
        ("0234561", False),
    ]
    assert [(g.guardian_id, a) for g, a in sis.guardians_of_student("0123456")] == [("g-1", True)]
    assert sis.students_of_guardian("nobody") == []


def test_schedule_attendance_grades(loaded: None) -> None:
    from chalicelib import sis

    assert [c["class_id"] for c in sis.schedule("0123456")] == ["c-1"]
    assert sis.schedule("0123456")[0]["teachers"] == ["Ann Lee"]
    assert sis.attendance("0123456") == [
        {"date": "2025-09-02", "status": "tardy", "class_id": "c-1", "class_title": "Math 5"}
    ]
    line = sis.grades("0123456")[0]
    assert line["score"] == 9.5 and line["max_score"] == 10 and line["category_weight"] == 0.4
    assert "pk" not in line


def test_household_and_terms(loaded: None) -> None:
    from chalicelib import sis

    assert sis.household("h-1") == {
        "household_id": "h-1",
        "phone": "555",
        "primary_address": "1 Main St",
        "mailing_address": "PO Box 1",
        "members": ["g-1", "s-1"],
    }
    assert sis.household("h-2") is None
    assert [t["sourced_id"] for t in sis.terms(2026)] == ["t-1", "t-2"]


@pytest.mark.unit
@pytest.mark.parametrize(
    ("when", "year"),
    [
        (datetime(2026, 6, 30, 12, tzinfo=UTC), 2026),
        (datetime(2026, 7, 1, 3, tzinfo=UTC), 2026),  # still June 30 in New York
        (datetime(2026, 7, 1, 5, tzinfo=UTC), 2027),
        (datetime(2027, 1, 15, tzinfo=UTC), 2027),
    ],
)
def test_current_school_year(when: datetime, year: int) -> None:
    from chalicelib import clock, school_year

    clock.advance(when.timestamp() - clock.now())
    assert school_year.current() == year
    assert school_year.of(date(2026, 7, 1)) == 2027
