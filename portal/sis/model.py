"""What a validated export holds, kept compact so 50,000 students fit well under 500 MB.

The two largest files (results.csv, attendance.csv) are not held: the item builder reads them
again once validation has passed, and only 64-bit hashes of their keys stay in memory.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from dataclasses import dataclass, field
from pathlib import Path


class Hashes:
    """A compact set of 64-bit hashes: add while reading, freeze (sort) once, then look up.

    Python's own hash() is stable within one process, which is all an import needs; a false
    match between two different 64-bit values is astronomically unlikely at these sizes.
    """

    def __init__(self) -> None:
        self.values = array("q")
        self.frozen = False

    def add(self, key: object) -> None:
        """Remember one key."""
        self.values.append(hash(key))

    def add_hash(self, value: int) -> None:
        """Remember a value already hashed."""
        self.values.append(value)

    def freeze(self) -> None:
        """Sort, so lookups can bisect."""
        self.values = array("q", sorted(self.values))
        self.frozen = True

    def __contains__(self, key: object) -> bool:
        return self.has_hash(hash(key))

    def has_hash(self, value: int) -> bool:
        """True when a key with this hash was added (the set must be frozen)."""
        i = bisect_left(self.values, value)
        return i < len(self.values) and self.values[i] == value

    def __len__(self) -> int:
        return len(self.values)

    def repeated(self) -> set[int]:
        """Hashes added more than once (the set must be frozen)."""
        v = self.values
        return {v[i] for i in range(1, len(v)) if v[i] == v[i - 1]}


@dataclass(slots=True)
class Org:
    """An org row: school, district or other."""

    name: str
    type: str
    identifier: str
    email: str = ""  # the school's contact address (extension column metadata.email)


@dataclass(slots=True)
class Session:
    """An academic session: school year, semester, term or grading period."""

    title: str
    type: str
    start: str
    end: str
    school_year: int
    active: bool


@dataclass(slots=True)
class Person:
    """A student or a guardian, with the fields their profile items carry."""

    sid: str
    role: str
    given: str
    family: str
    middle: str
    identifier: str
    email: str
    school: str
    grade: str
    language: str
    active: bool
    # The names the person goes by, when the SIS gives them ("" for none): shown to families.
    preferred_given: str = ""
    preferred_middle: str = ""
    preferred_family: str = ""


@dataclass(slots=True)
class Klass:
    """A class with what a schedule line shows."""

    title: str
    course: str
    location: str
    school: str
    terms: list[str]
    periods: list[str]
    active: bool
    teachers: list[str] = field(default_factory=list)
    teacher_email: str = ""  # the first teacher's (primary first) who has an address
    line_items: list[str] = field(default_factory=list)


@dataclass(slots=True)
class LineItem:
    """A gradebook assignment."""

    klass: str
    title: str
    category: str
    assign: str
    due: str
    max_score: float | None
    active: bool


@dataclass
class Export:
    """Everything the item builder needs from a validated export."""

    directory: Path
    rows: dict[str, int] = field(default_factory=dict)  # data rows read per file
    orgs: dict[str, Org] = field(default_factory=dict)
    sessions: dict[str, Session] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)  # every user's sourcedId → role
    students: dict[str, Person] = field(default_factory=dict)
    guardians: dict[str, Person] = field(default_factory=dict)
    teacher_names: dict[str, str] = field(default_factory=dict)
    teacher_emails: dict[str, str] = field(default_factory=dict)  # only teachers with one
    courses: dict[str, tuple[str, str]] = field(default_factory=dict)  # title, courseCode
    classes: dict[str, Klass] = field(default_factory=dict)
    enrolled: dict[str, list[str]] = field(default_factory=dict)  # student → class sourcedIds
    categories: dict[str, tuple[str, float | None]] = field(default_factory=dict)
    line_items: dict[str, LineItem] = field(default_factory=dict)
    results: Hashes = field(default_factory=Hashes)  # (lineItem, student) of active results
    links: dict[tuple[str, str], bool] = field(default_factory=dict)  # (guardian, student)
    households: dict[str, tuple[str, str, str, list[str]]] = field(default_factory=dict)
    household_of: dict[str, str] = field(default_factory=dict)  # member → first household
    has_attendance: bool = False
    gradebook: bool = True  # False when the manifest declares lineItems or results absent
    warnings: list[str] = field(default_factory=list)  # oddities that refuse nothing
