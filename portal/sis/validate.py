"""Validate a OneRoster 1.1 CSV export completely before anything is written (QUALITY R4).

Files are read in dependency order, so a reference is checked against a file already read;
references inside one file (parents, agents) are checked once that file is done. A reference
into a file that is itself missing or broken is not reported again, row by row.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Container, Iterator
from pathlib import Path

from portal.sis import oneroster as ors
from portal.sis import validate_classes as classes
from portal.sis.csvfiles import Checker, CsvFile, Errors, is_tobedeleted
from portal.sis.model import Export, Org, Person, Session

STATUSES = ("", "active", "tobedeleted")  # bulk files may leave status blank
OPTIONAL_COLUMNS = {"users.csv": {"metadata.language"}, "categories.csv": {"metadata.weight"}}
_IDENTIFIER = re.compile(r"[0-9]{7}")
_YEAR = re.compile(r"[0-9]{4}")
Tick = Callable[[int], None]
Line = tuple[int, dict[str, str]]


class ExportInvalid(Exception):
    """The export has problems; nothing was written. `errors` lists them all."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(f"{len(errors)} problem(s) in the export")
        self.errors = errors


def open_file(directory: Path, name: str, errors: Errors, tick: Tick | None = None) -> CsvFile:
    """A file of the export with its required columns (every standard column, no metadata)."""
    required = [c for c in ors.HEADERS[name] if c not in OPTIONAL_COLUMNS.get(name, set())]
    return CsvFile(directory, name, required, errors, tick)


def validate(directory: Path, tick: Tick | None = None) -> Export:
    """Read and check every file; raise ExportInvalid listing every problem found."""
    v = Validator(Export(directory), Errors(), tick)
    v.manifest()
    v.orgs()
    v.sessions()
    v.users()
    classes.courses(v)
    classes.classes(v)
    classes.enrollments(v)
    v.demographics()
    classes.categories(v)
    classes.line_items(v)
    classes.results(v)
    if (directory / "relationships.csv").is_file():
        v.relationships()
    if (directory / "households.csv").is_file():
        v.households()
    if (directory / "attendance.csv").is_file():
        v.export.has_attendance = True
        classes.attendance(v)
    if v.errors:
        raise ExportInvalid(v.errors.lines())
    v.export.results.freeze()
    return v.export


def total_bytes(directory: Path) -> int:
    """Size of every file validation reads (for the progress bar)."""
    names = (*ors.CORE_FILES, *ors.EXTENSION_FILES)
    return sum((directory / n).stat().st_size for n in names if (directory / n).is_file())


class Validator:
    """One pass over the export, filling `export` and `errors`; shared by the file checks."""

    def __init__(self, export: Export, errors: Errors, tick: Tick | None) -> None:
        self.export, self.errors, self.tick = export, errors, tick
        self.broken: set[str] = set()  # files whose ids are unknown (missing, unreadable)
        self.c = Checker("", errors)

    def each(self, name: str, status: bool = True) -> Iterator[Line]:
        """Rows of one file with the status columns checked; the checker follows the line."""
        f = open_file(self.export.directory, name, self.errors, self.tick)
        self.c = c = Checker(name, self.errors)
        for line, row in f.rows():
            c.line = line
            if status:
                c.choice(row, "status", STATUSES)
                c.datetime(row, "dateLastModified")
            yield line, row
        self.export.rows[name] = f.rows_read
        if not f.ok:
            self.broken.add(name)

    def unique(self, row: dict[str, str], seen: dict[str, int]) -> str | None:
        """The row's sourcedId (interned) if present and not seen before in this file."""
        c = self.c
        sid = c.required(row, "sourcedId").strip()
        if not sid:
            return None
        if sid in seen:
            c.fail("sourcedId", f"duplicate sourcedId {sid!r} (first on line {seen[sid]})")
            return None
        seen[sid] = c.line
        return sys.intern(sid)

    def ref(self, column: str, value: str, target: str, known: Container[str], kind: str) -> str:
        """Report `value` unless it names a row of `target` (skipped if that file is broken)."""
        value = value.strip()
        if value and target not in self.broken and value not in known:
            self.c.fail(column, f"unknown {kind} {value!r}")
        return sys.intern(value)

    def later(self, pending: list[tuple[int, str, str]], target: str, known: Container[str],
              kind: str) -> None:  # fmt: skip
        """Check references recorded while their own file was still being read."""
        for line, column, value in pending:
            self.c.line = line
            self.ref(column, value, target, known, kind)

    def manifest(self) -> None:
        """manifest.csv: a full snapshot only."""
        for _, row in self.each(ors.MANIFEST, status=False):
            key, value = row["propertyName"].strip(), row["value"].strip()
            if key.startswith("file.") and value == "delta":
                self.c.fail("value", f"{key} is a delta file: only full snapshots are accepted")

    def orgs(self) -> None:
        """orgs.csv: schools and the district."""
        seen: dict[str, int] = {}
        parents: list[tuple[int, str, str]] = []
        for line, row in self.each("orgs.csv"):
            sid = self.unique(row, seen)
            self.c.choice(row, "type", ors.ORG_TYPES)
            name = self.c.required(row, "name")
            if row["parentSourcedId"].strip():
                parents.append((line, "parentSourcedId", row["parentSourcedId"]))
            if sid:
                self.export.orgs[sid] = Org(name, row["type"].strip(), row["identifier"])
        self.later(parents, "orgs.csv", self.export.orgs, "org")

    def sessions(self) -> None:
        """academicSessions.csv: school years and their terms."""
        seen: dict[str, int] = {}
        years: dict[int, int] = {}
        parents: list[tuple[int, str, str]] = []
        for line, row in self.each("academicSessions.csv"):
            c = self.c
            sid = self.unique(row, seen)
            kind = c.choice(row, "type", ors.SESSION_TYPES)
            title = c.required(row, "title")
            start, end = c.date(row, "startDate", True), c.date(row, "endDate", True)
            if start and end and end < start:
                c.fail("endDate", f"endDate {end} is before startDate {start}")
            raw_year = row["schoolYear"].strip()
            year = int(raw_year) if _YEAR.fullmatch(raw_year) else 0
            if not year:
                c.fail("schoolYear", f"bad school year {raw_year!r} (expected YYYY)")
            active = not is_tobedeleted(row)
            if kind == "schoolYear" and year and active:
                if year in years:
                    first = years[year]
                    c.fail(
                        "schoolYear", f"second schoolYear session {year} (first on line {first})"
                    )
                years.setdefault(year, line)
            if row["parentSourcedId"].strip():
                parents.append((line, "parentSourcedId", row["parentSourcedId"]))
            if sid:
                self.export.sessions[sid] = Session(title, kind, start, end, year, active)
        self.later(parents, "academicSessions.csv", self.export.sessions, "academic session")

    def users(self) -> None:
        """users.csv: students, guardians and staff; agents link guardians and students."""
        ex, seen = self.export, {}
        identifiers: dict[str, int] = {}
        agents: list[tuple[int, str, str]] = []
        pairs: list[tuple[str, str]] = []  # (user, agent) as named on either side
        for line, row in self.each("users.csv"):
            c = self.c
            sid = self.unique(row, seen)
            active = c.boolean(row, "enabledUser") and not is_tobedeleted(row)
            role = row["role"].strip()
            if role not in ors.ROLES:
                c.fail("role", f"unknown role {role!r}")
            orgs = [self.ref("orgSourcedIds", o, "orgs.csv", ex.orgs, "org")
                    for o in ors.split_ids(c.required(row, "orgSourcedIds"))]  # fmt: skip
            given, family = c.required(row, "givenName"), c.required(row, "familyName")
            identifier = row["identifier"]
            if role == ors.STUDENT_ROLE:
                if not _IDENTIFIER.fullmatch(identifier):
                    c.fail("identifier", f"student identifier {identifier!r} is not 7 digits")
                elif identifier in identifiers:
                    c.fail("identifier", f"duplicate student identifier {identifier!r} "
                                         f"(first on line {identifiers[identifier]})")  # fmt: skip
                else:
                    identifiers[identifier] = line
            for agent in ors.split_ids(row["agentSourcedIds"]):
                agents.append((line, "agentSourcedIds", agent))
                if sid:
                    pairs.append((sid, sys.intern(agent)))
            if not sid:
                continue
            ex.roles[sid] = role  # even an unknown role: rows naming this user are not at fault
            if role not in ors.ROLES:
                continue
            if role in ors.STAFF_ROLES:
                ex.teacher_names[sid] = f"{given} {family}".strip()
                continue
            language = row.get("metadata.language", "").strip().lower()
            school = next((o for o in orgs if o in ex.orgs and ex.orgs[o].type == "school"),
                          orgs[0] if orgs else "")  # fmt: skip
            grades = ors.split_ids(row["grades"])
            person = Person(
                sid, role, given, family, row["middleName"], identifier, row["email"].strip(),
                school, grades[0] if grades else "",
                language if language in ors.LANGUAGES else ors.DEFAULT_LANGUAGE, active,
            )  # fmt: skip
            (ex.students if role == ors.STUDENT_ROLE else ex.guardians)[sid] = person
        self.later(agents, "users.csv", ex.roles, "user")
        for user, agent in pairs:  # a link named on either side counts
            if user in ex.students and agent in ex.guardians:
                ex.links[(agent, user)] = True
            elif user in ex.guardians and agent in ex.students:
                ex.links[(user, agent)] = True

    def is_role(self, column: str, sid: str, roles: tuple[str, ...], label: str) -> None:
        """Report a known user whose role is not one of `roles`."""
        role = self.export.roles.get(sid)
        if role in ors.ROLES and role not in roles:
            self.c.fail(column, f"user {sid!r} has role {role!r}, expected {label}")

    def demographics(self) -> None:
        """demographics.csv: one row per user; only checked, nothing of it is stored."""
        seen: dict[str, int] = {}
        for _, row in self.each("demographics.csv"):
            sid = self.unique(row, seen)
            if sid:
                self.ref("sourcedId", sid, "users.csv", self.export.roles, "user")
            self.c.date(row, "birthDate")

    def relationships(self) -> None:
        """relationships.csv: which guardian may see which student (portalAccess)."""
        ex, seen = self.export, {}
        for line, row in self.each("relationships.csv", status=False):
            c = self.c
            gid = self.ref("guardianSourcedId", row["guardianSourcedId"], "users.csv",
                           ex.roles, "user")  # fmt: skip
            sid = self.ref("studentSourcedId", row["studentSourcedId"], "users.csv",
                           ex.roles, "user")  # fmt: skip
            c.required(row, "guardianSourcedId")
            c.required(row, "studentSourcedId")
            self.is_role(
                "guardianSourcedId", gid, ors.GUARDIAN_ROLES, "parent, guardian or relative"
            )
            self.is_role("studentSourcedId", sid, (ors.STUDENT_ROLE,), "student")
            access = c.boolean(row, "portalAccess")
            if (gid, sid) in seen:
                first = seen[(gid, sid)]
                c.fail("studentSourcedId", f"second row for this guardian (first on line {first})")
                continue
            seen[(gid, sid)] = line
            if gid in ex.guardians and sid in ex.students:
                ex.links[(gid, sid)] = access  # an explicit row is a link, and sets access

    def households(self) -> None:
        """households.csv: phone, addresses and members."""
        ex, seen = self.export, {}
        for _, row in self.each("households.csv", status=False):
            sid = self.unique(row, seen)
            members = [self.ref("memberSourcedIds", m, "users.csv", ex.roles, "user")
                       for m in ors.split_ids(row["memberSourcedIds"])]  # fmt: skip
            if not sid:
                continue
            ex.households[sid] = (row["phone"], row["primaryAddress"], row["mailingAddress"],
                                  members)  # fmt: skip
            for member in members:
                ex.household_of.setdefault(member, sid)
