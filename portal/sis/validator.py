"""One validation pass over an export: rows with their status checked, ids and references.

The file checks of validate.py (people and organisations) and validate_classes.py (classes,
gradebook, attendance) both work through a Validator; neither imports the other's module.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Container, Iterator
from pathlib import Path
from typing import Protocol

from portal.sis import oneroster as ors
from portal.sis import oneroster12 as ors12
from portal.sis.csvfiles import NONE, Checker, CsvFile, Errors
from portal.sis.model import Export

STATUSES = ("", "active", "tobedeleted")  # bulk files may leave status blank
OPTIONAL_COLUMNS = {
    "orgs.csv": {"metadata.email"},
    "users.csv": {"metadata.language", *(f"metadata.{c}" for c in ors.PREFERRED_NAMES)},
    "categories.csv": {"metadata.weight"},
}
Tick = Callable[[int], None]
Line = tuple[int, dict[str, str]]


def open_file(directory: Path, name: str, errors: Errors, tick: Tick | None = None,
              warnings: Errors | None = None,
              headers: dict[str, list[str]] = ors.HEADERS) -> CsvFile:  # fmt: skip
    """A file of the export with its required columns (every standard column, no metadata)."""
    optional = OPTIONAL_COLUMNS.get(name, set()) | ors12.OPTIONAL_COLUMNS.get(name, set())
    required = [c for c in headers[name] if c not in optional]
    return CsvFile(directory, name, required, errors, tick, headers[name], warnings)


class UserRoles(Protocol):
    """Where a OneRoster 1.2 export's users get the role and orgs 1.1 puts in users.csv."""

    def of(self, row: dict[str, str]) -> tuple[str, list[str]]:
        """The role and orgs of the users.csv row being checked."""


class Validator:
    """One pass over the export, filling `export`, `errors` and `warnings`; shared by the file
    checks. Problems in a file read leniently (one the product never uses) are warnings."""

    def __init__(self, export: Export, errors: Errors, tick: Tick | None) -> None:
        self.export, self.errors, self.tick = export, errors, tick
        self.warnings = Errors()
        self.broken: set[str] = set()  # files whose ids are unknown (missing, unreadable)
        self.manifest: dict[str, str] = {}  # manifest.csv's properties, e.g. oneroster.version
        self.skip: dict[str, str] = {}  # files not read (declared absent), with the reason
        self.headers = ors.HEADERS  # a 1.2 export's are oneroster12.HEADERS
        self.roles: UserRoles | None = None  # 1.2: roles.csv as read (validate_roles.py)
        self.c = Checker("", errors)

    def each(self, name: str, status: bool = True, lenient: bool = False) -> Iterator[Line]:
        """Rows of one file with the status columns checked; the checker follows the line."""
        if name in self.skip:
            self.broken.add(name)  # nothing refers into it: references are not checked
            if (self.export.directory / name).is_file():
                self.warnings.add(name, NONE, NONE, f"not read: {self.skip[name]}")
            return
        found = self.warnings if lenient else self.errors
        f = open_file(self.export.directory, name, found, self.tick, self.warnings, self.headers)
        self.c = c = Checker(name, found)
        for line, row in f.rows():
            c.line = line
            if status:
                c.choice(row, "status", STATUSES)
                c.datetime(row, "dateLastModified")
            yield line, row
        self.export.rows[name] = f.rows_read
        if not f.ok:
            self.broken.add(name)

    def warn(self, column: str, text: str) -> None:
        """Record a warning about the current row."""
        self.warnings.add(self.c.file, self.c.line, column, text)

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

    def is_role(self, column: str, sid: str, roles: tuple[str, ...], label: str) -> None:
        """Report a known user whose role is not one of `roles`."""
        role = self.export.roles.get(sid)
        if role in ors.ROLES and role not in roles:
            self.c.fail(column, f"user {sid!r} has role {role!r}, expected {label}")
