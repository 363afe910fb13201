"""`portal sis generate`: a realistic synthetic district as OneRoster CSV plus extensions.

OneRoster 1.2 is written as the twin of the 1.1 export of the same seed: the same people and
rows, each user's role moved into roles.csv (primary in each of its orgs).
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from random import Random
from types import TracebackType
from typing import Any

from chalicelib import identity
from chalicelib import school_year as school_years
from portal.sis import oneroster12
from portal.sis.oneroster import (
    CORE_FILES,
    EXTENSION_FILES,
    GRADES,
    HEADERS,
    MANIFEST,
    VERSIONS,
    manifest_rows,
)
from portal.synthetic import people, schedule
from portal.synthetic.families import Families, Kid
from portal.synthetic.school_calendar import build_calendar

# Student IDs of the demo district (portal/demo/sis, at the district's length: identity.sized):
# a generated district never reuses them, so claiming a demo student can never hit a generated
# one loaded into the same tables.
DEMO_IDENTIFIERS = frozenset({"0393354", "0123456", "0234561"})
MAX_STUDENTS = 1_000_000
PROGRESS_EVERY = 1000
SIBLINGS, SIBLING_WEIGHTS = (1, 2, 3, 4), (55, 30, 12, 3)
GRADE_WEIGHTS = (8, 8, 8, 8, 8, 8, 8, 8, 8, 9, 8, 7, 7)  # ninth grade bulges, seniors thin out


def generate_district(
    students: int,
    seed: int,
    out_dir: Path,
    school_year: int | None = None,
    progress: Callable[[int], None] | None = None,
    oneroster: str = "1.1",
) -> dict[str, int]:
    """Write a synthetic district to `out_dir` in OneRoster `oneroster` (1.1 or 1.2); return data
    rows written per file."""
    if not 1 <= students <= MAX_STUDENTS:
        raise ValueError(f"students must be between 1 and {MAX_STUDENTS:,}, got {students}")
    if oneroster not in VERSIONS:
        raise ValueError(f"oneroster must be one of {', '.join(VERSIONS)}, got {oneroster!r}")
    room = 10 ** identity.digits() - len(DEMO_IDENTIFIERS)
    if students > room:
        raise ValueError(
            f"{students:,} students do not fit in {identity.digits()}-digit student IDs "
            f"(at most {room:,})"
        )
    # None means the school year holding today in DISTRICT_TZ (America/New_York by default) on
    # chalicelib's clock; the same explicit arguments always give byte-identical files.
    year = school_years.current() if school_year is None else school_year
    cal = build_calendar(year)
    levels = schedule.school_levels(students)
    households, counts = _plan(Random(f"{seed}:plan"), students, levels)
    out_dir.mkdir(parents=True, exist_ok=True)
    with _Sink(out_dir, oneroster) as sink:
        handles = people.Handles()
        district = schedule.write_district(
            Random(f"{seed}:district"), cal, levels, counts, sink.emit, handles
        )
        families = Families(Random(f"{seed}:families"), cal, district, handles, sink.emit_many,
                            Random(f"{seed}:preferred"))  # fmt: skip
        identifiers = _identifiers(Random(f"{seed}:ids"), students)
        done = 0
        for kids in households:
            families.household(kids, identifiers)
            before, done = done, done + len(kids)
            if progress and done // PROGRESS_EVERY > before // PROGRESS_EVERY:
                progress(done)
        sink.emit_many(MANIFEST, sink.manifest())
    if progress and done % PROGRESS_EVERY:
        progress(done)
    return dict(sink.counts)


def _plan(
    rng: Random, students: int, levels: list[str]
) -> tuple[list[list[Kid]], Counter[tuple[int, int]]]:
    """Households as lists of (grade, school, cohort), and students per (school, grade)."""
    schools_of = {lv: [i for i, x in enumerate(levels) if x == lv] for lv in "EMH"}
    level_of = [lv for lv, grades in schedule.LEVEL_GRADES.items() for _ in grades]
    homes: list[list[list[int]]] = []
    left = students
    while left:
        size = min(left, rng.choices(SIBLINGS, SIBLING_WEIGHTS)[0])
        left -= size
        # Siblings attend the neighbourhood school of each level.
        zone = {lv: rng.choice(ids) for lv, ids in schools_of.items()}
        grades = rng.choices(range(len(GRADES)), GRADE_WEIGHTS, k=size)
        homes.append([[g, zone[level_of[g]], 0] for g in grades])
    counts: Counter[tuple[int, int]] = Counter((s, g) for kids in homes for g, s, _ in kids)
    dealt: Counter[tuple[int, int]] = Counter()
    for kids in homes:
        for kid in kids:
            # Deal each grade's students round-robin into cohorts of about equal size.
            key = (kid[1], kid[0])
            kid[2] = dealt[key] % schedule.cohort_count(levels[kid[1]], counts[key])
            dealt[key] += 1
    return [[(g, s, c) for g, s, c in kids] for kids in homes], counts


def _identifiers(rng: Random, students: int) -> Iterator[str]:
    """Distinct random student IDs of the district's length (leading zeros allowed), never a
    demo one."""
    digits = identity.digits()
    demo = {identity.sized(sid) for sid in DEMO_IDENTIFIERS}
    picks = rng.sample(range(10**digits), students + len(demo))
    return (i for i in (f"{n:0{digits}d}" for n in picks) if i not in demo)


class _Sink:
    """Every output file open at once, headers written, rows counted as they stream out.

    Rows come in 1.1's columns; for 1.2 the sink writes each user row as its twin.
    """

    def __init__(self, out_dir: Path, version: str = "1.1") -> None:
        self.out_dir, self.version = out_dir, version
        self.twin = version == oneroster12.VERSION
        self.files = (*(oneroster12.CORE_FILES if self.twin else CORE_FILES), *EXTENSION_FILES)
        self.headers = oneroster12.HEADERS if self.twin else HEADERS
        self.stack = ExitStack()
        self.writers: dict[str, Any] = {}
        self.counts: dict[str, int] = {}

    def __enter__(self) -> _Sink:
        for name in self.files:
            path = self.out_dir / name
            handle = self.stack.enter_context(
                path.open("w", encoding="utf-8", newline="", buffering=1 << 20)
            )
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(self.headers[name])
            self.writers[name] = writer
            self.counts[name] = 0
        return self

    def manifest(self) -> list[list[str]]:
        """The rows of manifest.csv: every core file of the version is there."""
        if self.twin:
            return manifest_rows(self.files, self.version, oneroster12.MANIFEST_FILE_ENTRIES)
        return manifest_rows(CORE_FILES)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stack.close()

    def emit(self, name: str, row: list[str]) -> None:
        """Write one row."""
        self.emit_many(name, [row])

    def emit_many(self, name: str, rows: list[list[str]]) -> None:
        """Write several rows."""
        if self.twin and name == "users.csv":
            rows = self._twins(rows)
        self.writers[name].writerows(rows)
        self.counts[name] += len(rows)

    def _twins(self, rows: list[list[str]]) -> list[list[str]]:
        """1.1 user rows as 1.2 ones, their roles written to roles.csv."""
        users: list[list[str]] = []
        roles: list[list[str]] = []
        for values in rows:
            user, held = oneroster12.twin(dict(zip(HEADERS["users.csv"], values, strict=True)))
            users.append([user[c] for c in oneroster12.USERS_HEADER])
            roles += [[role.get(c, "") for c in oneroster12.ROLES_HEADER] for role in held]
        self.emit_many(oneroster12.ROLES_FILE, roles)
        return users
