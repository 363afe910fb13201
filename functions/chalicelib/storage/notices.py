"""Notices as the portal shows them (table `notices`, keys pk, sk).

pk "published#<lang>", sk "<YYYY-MM-DD>#<notice id>": id, date, school (org sourcedId or
   absent for district notices), school_name, title, body (text), html (sanitized HTML) — one
   rendering per language
pk "read#<username>", sk "<notice id>": at — the user opened this notice
(Delivery records of `portal notices send` share the table: see deliveries.py.)
"""

from __future__ import annotations

from typing import Any

from . import db

TABLE = "notices"


def published(lang: str) -> list[dict[str, Any]]:
    """Every published notice in one language, oldest first."""
    return db.query(TABLE, "pk", f"published#{lang}")


def publish(lang: str, day: str, values: dict[str, Any]) -> None:
    """Show one rendering of a notice (values hold its id), replacing an older date's."""
    notice_id = values["id"]
    for old in published(lang):
        if old["id"] == notice_id and old["sk"] != f"{day}#{notice_id}":
            db.delete(TABLE, {"pk": old["pk"], "sk": old["sk"]})
    db.put(TABLE, {"pk": f"published#{lang}", "sk": f"{day}#{notice_id}", **values})


def read_by(username: str) -> set[str]:
    """The ids of the notices a user opened."""
    return {item["sk"] for item in db.query(TABLE, "pk", f"read#{username}")}


def mark_read(username: str, notice_id: str, at: str) -> None:
    """Remember that a user opened a notice."""
    db.put(TABLE, {"pk": f"read#{username}", "sk": notice_id, "at": at})
