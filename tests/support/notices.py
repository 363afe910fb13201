"""Shared helpers of the notices tests: private tables, a generated district, mail read back.

Notices tests publish district notices and write delivery records; they do it under their own
table prefix so other modules (which count the notices they see) never meet them.
"""

from __future__ import annotations

import csv
import email
import email.policy
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import yaml

from . import ROOT

DEMO_NOTICE = ROOT / "notices" / "back-to-school-2026-27.yml"


@contextmanager
def private_tables(prefix: str) -> Iterator[None]:
    """Fresh tables under `prefix` for the duration (settings and client switched, then back)."""
    from chalicelib import config, storage

    before = os.environ.get("PORTAL_TABLE_PREFIX")

    def switch(value: str | None) -> None:
        if value is None:
            os.environ.pop("PORTAL_TABLE_PREFIX", None)
        else:
            os.environ["PORTAL_TABLE_PREFIX"] = value
        config.settings.cache_clear()
        storage.reset_client()

    switch(prefix)
    try:
        storage.delete_tables()
        storage.create_tables()
        yield
        storage.delete_tables()
    finally:
        switch(before)


def generate_district(directory: Path, students: int, seed: int = 5) -> Path:
    """A synthetic district (portal sis generate), imported as first seen two days ago."""
    from portal.sis.importer import import_export
    from portal.synthetic.generate import generate_district as generate

    generate(students, seed, directory)
    import_export(directory, entered_at=datetime.now(tz=UTC) - timedelta(hours=48), progress=False)
    return directory


def notice_file(directory: Path, **changes: object) -> Path:
    """The demo definition with some fields changed (None removes a field), written to a file."""
    data = yaml.safe_load(DEMO_NOTICE.read_text(encoding="utf-8"))
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    path = directory / f"{data.get('id', 'notice')}.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def read_mail(directory: Path) -> list[EmailMessage]:
    """Every .eml the local SMTP server kept, parsed."""
    from portal import mailserver

    return [
        email.message_from_bytes(path.read_bytes(), policy=email.policy.default)  # type: ignore[misc]
        for path in mailserver.messages(directory)
    ]


@dataclass(frozen=True)
class Guardian:
    """A guardian row of a generated users.csv."""

    sourced_id: str
    email: str
    language: str


def guardians_in_csv(directory: Path) -> dict[str, Guardian]:
    """Guardians of an export, from users.csv (independent of the importer)."""
    with open(directory / "users.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {
        row["sourcedId"]: Guardian(
            row["sourcedId"], row["email"].strip().lower(), row.get("metadata.language") or "en"
        )
        for row in rows
        if row["role"] in ("parent", "guardian", "relative")
    }
