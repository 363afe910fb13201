"""The demo export written with the district's identifiers (PORTAL_STUDENT_ID_DIGITS and
PORTAL_USERNAME_PREFIX): the seeds' 7-digit IDs resized by identity.sized, usernames rebuilt."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from chalicelib import identity

USERS = "users.csv"


def as_configured(source: Path) -> bool:
    """True when the export's student IDs and usernames already have the district's shape."""
    return all(
        identity.is_student_id(row["identifier"])
        and row["username"] == identity.student_username(row["identifier"])
        for row in _students(source / USERS)
    )


def _students(path: Path) -> list[dict[str, str]]:
    """The student rows of a users.csv."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [row for row in csv.DictReader(handle) if row["role"] == "student"]


def write_sized(source: Path, target: Path) -> Path:
    """Copy the export to `target` with each student's identifier and username resized."""
    shutil.copytree(source, target, dirs_exist_ok=True)
    with (source / USERS).open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = list(reader.fieldnames or []), list(reader)
    for row in rows:
        if row["role"] == "student":
            row["identifier"] = identity.sized(row["identifier"])
            row["username"] = identity.student_username(row["identifier"])
    with (target / USERS).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return target
