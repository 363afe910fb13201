"""The demo district in tests: imported through the real importer, changed, parents activated."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from . import ROOT
from .factories import login, post

DEMO = ROOT / "portal" / "demo" / "sis"
PARENT_PASSWORD = "Garden-teapot-lighthouse-3"


def import_demo(directory: Path = DEMO) -> None:
    """Import the demo export (or a changed copy), its students first seen two days ago."""
    from portal.sis.importer import import_export

    first_seen = datetime.now(tz=UTC) - timedelta(hours=48)
    import_export(directory, entered_at=first_seen, progress=False)


def parent(api: Any, guardian_id: str, username: str) -> str:
    """Activate a guardian's account (idempotent per module) and return a session token."""
    from chalicelib import activation
    from chalicelib.storage import tables

    owner = tables.get_item("accounts", {"pk": f"guardian#{guardian_id}"})
    if owner is not None:  # activated earlier in this module, maybe under another username
        username = owner["username"]
    else:
        key = activation.issue(guardian_id, "test")
        response = post(
            api,
            "/activation/account",
            {
                "activation_key": key,
                "username": username,
                "password": PARENT_PASSWORD,
                "password_confirm": PARENT_PASSWORD,
            },
        )
        assert response.status_code == 201, response.body
    return login(api, username, PARENT_PASSWORD)["session_token"]


def drop_link(directory: Path, guardian: str, student: str) -> None:
    """Remove one guardian↔student link from every file that names it."""
    for name in ("users.csv", "relationships.csv"):
        path = directory / name
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
            fields = list(rows[0].keys())
        kept = []
        for row in rows:
            if name == "relationships.csv":
                if row["guardianSourcedId"] == guardian and row["studentSourcedId"] == student:
                    continue
            else:
                other = {row["sourcedId"]: guardian if row["sourcedId"] == student else student}
                target = other.get(row["sourcedId"])
                if row["sourcedId"] in (guardian, student):
                    ids = [i for i in row["agentSourcedIds"].split(",") if i and i != target]
                    row["agentSourcedIds"] = ",".join(ids)
            kept.append(row)
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
            writer.writeheader()
            writer.writerows(kept)


def set_user_column(directory: Path, sourced_id: str, column: str, value: str) -> None:
    """Change one column of one users.csv row, as the SIS's next export would."""
    path = directory / "users.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    changed = [{**row, column: value} if row["sourcedId"] == sourced_id else row for row in rows]
    assert changed != rows, f"{sourced_id} not in users.csv, or its {column} is already {value}"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(changed)
