"""Validate a OneRoster 1.1 or 1.2 CSV export completely before anything is written (QUALITY R4).

Files are read in dependency order, so a reference is checked against a file already read;
references inside one file (parents, agents) are checked once that file is done. A reference
into a file that is itself missing or broken is not reported again, row by row.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from chalicelib import identity, languages
from portal.addresses import normal_address
from portal.sis import oneroster as ors
from portal.sis import oneroster12 as ors12
from portal.sis import validate_classes as classes
from portal.sis import validate_roles as roles
from portal.sis.csvfiles import Errors, is_tobedeleted
from portal.sis.manifest import manifest
from portal.sis.model import Export, Org, Person, Session
from portal.sis.validator import Tick, Validator

_YEAR = re.compile(r"[0-9]{4}")


class ExportInvalid(Exception):
    """The export has problems; nothing was written. `errors` lists them all, and `warnings`
    what was odd beside them."""

    def __init__(self, errors: list[str], warnings: list[str] | None = None) -> None:
        super().__init__(f"{len(errors)} problem(s) in the export")
        self.errors, self.warnings = errors, warnings or []


def validate(directory: Path, tick: Tick | None = None) -> Export:
    """Read and check every file; raise ExportInvalid listing every problem found.

    What is odd but refuses nothing (files and columns the product never reads) is listed in
    the export's `warnings`.
    """
    v = Validator(Export(directory), Errors(), tick)
    manifest(v)
    orgs(v)
    sessions(v)
    roles.before_users(v)  # a 1.2 export's roles.csv, where users() then finds roles and orgs
    users(v)
    roles.after_users(v)
    classes.courses(v)
    classes.classes(v)
    classes.enrollments(v)
    demographics(v)
    classes.categories(v)
    classes.line_items(v)
    classes.results(v)
    if (directory / "relationships.csv").is_file():
        relationships(v)
    if (directory / "households.csv").is_file():
        households(v)
    if (directory / "attendance.csv").is_file():
        v.export.has_attendance = True
        classes.attendance(v)
    if v.errors:
        raise ExportInvalid(v.errors.lines(), v.warnings.lines())
    v.export.warnings = v.warnings.lines()
    v.export.results.freeze()
    return v.export


def total_bytes(directory: Path) -> int:
    """Size of every file validation reads (for the progress bar)."""
    names = (*ors12.CORE_FILES, *ors.EXTENSION_FILES)
    return sum((directory / n).stat().st_size for n in names if (directory / n).is_file())


def orgs(v: Validator) -> None:
    """orgs.csv: schools and the district."""
    seen: dict[str, int] = {}
    parents: list[tuple[int, str, str]] = []
    for line, row in v.each("orgs.csv"):
        sid = v.unique(row, seen)
        v.c.choice(row, "type", ors.ORG_TYPES)
        name = v.c.required(row, "name")
        if row["parentSourcedId"].strip():
            parents.append((line, "parentSourcedId", row["parentSourcedId"]))
        # An unusable contact address is left out (null in the API), never a reason to refuse.
        email = normal_address(row.get("metadata.email", "")) or ""
        if sid:
            v.export.orgs[sid] = Org(name, row["type"].strip(), row["identifier"], email)
    v.later(parents, "orgs.csv", v.export.orgs, "org")


def sessions(v: Validator) -> None:
    """academicSessions.csv: school years and their terms."""
    seen: dict[str, int] = {}
    years: dict[int, int] = {}
    parents: list[tuple[int, str, str]] = []
    for line, row in v.each("academicSessions.csv"):
        c = v.c
        sid = v.unique(row, seen)
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
                c.fail("schoolYear", f"second schoolYear session {year} (first on line {first})")
            years.setdefault(year, line)
        if row["parentSourcedId"].strip():
            parents.append((line, "parentSourcedId", row["parentSourcedId"]))
        if sid:
            v.export.sessions[sid] = Session(title, kind, start, end, year, active)
    v.later(parents, "academicSessions.csv", v.export.sessions, "academic session")


def users(v: Validator) -> None:
    """users.csv: students, guardians and staff; agents link guardians and students."""
    ex = v.export
    seen: dict[str, int] = {}
    identifiers: dict[str, int] = {}
    agents: list[tuple[int, str, str]] = []
    pairs: list[tuple[str, str]] = []  # (user, agent) as named on either side
    for line, row in v.each("users.csv"):
        c = v.c
        sid = v.unique(row, seen)
        active = c.boolean(row, "enabledUser") and not is_tobedeleted(row)
        if v.roles is None:  # OneRoster 1.1: users.csv names the role and the orgs
            role = row["role"].strip()
            if role not in ors.ROLES:
                c.fail("role", f"unknown role {role!r}")
            orgs = [v.ref("orgSourcedIds", o, "orgs.csv", ex.orgs, "org")
                    for o in ors.split_ids(c.required(row, "orgSourcedIds"))]  # fmt: skip
        else:  # 1.2: roles.csv does, checked as it was read (validate_roles.py)
            role, orgs = v.roles.of(row)
        given, family = c.required(row, "givenName"), c.required(row, "familyName")
        preferred = ors.preferred_names(row)
        identifier = row["identifier"]
        if role == ors.STUDENT_ROLE:
            if not identity.is_student_id(identifier):
                c.fail("identifier", f"student identifier {identifier!r} is not "
                                     f"{identity.digits()} digits")  # fmt: skip
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
            ex.teacher_names[sid] = f"{preferred[0] or given} {preferred[2] or family}".strip()
            if email := normal_address(row["email"]):
                ex.teacher_emails[sid] = email
            continue
        language = row.get("metadata.language", "").strip().lower()
        school = next((o for o in orgs if o in ex.orgs and ex.orgs[o].type == "school"),
                      orgs[0] if orgs else "")  # fmt: skip
        grades = ors.split_ids(row["grades"])
        person = Person(
            sid, role, given, family, row["middleName"], identifier, row["email"].strip(),
            school, grades[0] if grades else "",
            language if language in languages.LANGUAGES else languages.DEFAULT, active, *preferred,
        )  # fmt: skip
        (ex.students if role == ors.STUDENT_ROLE else ex.guardians)[sid] = person
    v.later(agents, "users.csv", ex.roles, "user")
    for user, agent in pairs:  # a link named on either side counts
        if user in ex.students and agent in ex.guardians:
            ex.links[(agent, user)] = True
        elif user in ex.guardians and agent in ex.students:
            ex.links[(user, agent)] = True


def demographics(v: Validator) -> None:
    """demographics.csv: one row per user; nothing of it is stored, so problems are warnings."""
    seen: dict[str, int] = {}
    for _, row in v.each("demographics.csv", lenient=True):
        sid = v.unique(row, seen)
        if sid:
            v.ref("sourcedId", sid, "users.csv", v.export.roles, "user")
        v.c.date(row, "birthDate")


def relationships(v: Validator) -> None:
    """relationships.csv: which guardian may see which student (portalAccess)."""
    ex = v.export
    seen: dict[tuple[str, str], int] = {}
    for line, row in v.each("relationships.csv", status=False):
        c = v.c
        gid = v.ref("guardianSourcedId", row["guardianSourcedId"], "users.csv",
                    ex.roles, "user")  # fmt: skip
        sid = v.ref("studentSourcedId", row["studentSourcedId"], "users.csv",
                    ex.roles, "user")  # fmt: skip
        c.required(row, "guardianSourcedId")
        c.required(row, "studentSourcedId")
        v.is_role("guardianSourcedId", gid, ors.GUARDIAN_ROLES, "parent, guardian or relative")
        v.is_role("studentSourcedId", sid, (ors.STUDENT_ROLE,), "student")
        access = c.boolean(row, "portalAccess")
        if (gid, sid) in seen:
            first = seen[(gid, sid)]
            c.fail("studentSourcedId", f"second row for this guardian (first on line {first})")
            continue
        seen[(gid, sid)] = line
        if gid in ex.guardians and sid in ex.students:
            ex.links[(gid, sid)] = access  # an explicit row is a link, and sets access


def households(v: Validator) -> None:
    """households.csv: phone, addresses and members."""
    ex = v.export
    seen: dict[str, int] = {}
    for _, row in v.each("households.csv", status=False):
        sid = v.unique(row, seen)
        members = [v.ref("memberSourcedIds", m, "users.csv", ex.roles, "user")
                   for m in ors.split_ids(row["memberSourcedIds"])]  # fmt: skip
        if not sid:
            continue
        ex.households[sid] = (row["phone"], row["primaryAddress"], row["mailingAddress"],
                              members)  # fmt: skip
        for member in members:
            ex.household_of.setdefault(member, sid)
