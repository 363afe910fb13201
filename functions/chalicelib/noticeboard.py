"""District and school notices as families and students read them (GET /notices)."""

from __future__ import annotations

import re
from typing import Any

from . import clock, lookups
from .errors import NotFound
from .sessions import Session
from .storage import notices as stored_notices

NOTICE_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,99}")


def for_caller(session: Session, lang: str) -> dict[str, Any]:
    """Notices in `lang` for the caller: the district's, and those of their students' schools."""
    schools = {s.school for s in lookups.visible_students(session)}
    if session.account.role == "staff" and session.account.school:
        schools.add(session.account.school)
    read = stored_notices.read_by(session.username)
    district: list[dict[str, Any]] = []
    school: list[dict[str, Any]] = []
    for item in reversed(stored_notices.published(lang)):  # newest first
        audience = item.get("school")
        if audience and audience not in schools:
            continue
        entry = {
            "id": item["id"],
            "date": item["date"],
            "school": item.get("school_name"),
            "title": item["title"],
            "body": item["body"],
            # Sanitized when published; "" for a notice published before the portal had HTML.
            "html": item.get("html") or "",
            "new": item["id"] not in read,
        }
        (school if audience else district).append(entry)
    return {"district": district, "school": school}


def mark_read(session: Session, notice_id: str, lang: str) -> None:
    """Remember that the caller opened a notice they can see."""
    visible = for_caller(session, lang)
    ids = {n["id"] for n in visible["district"] + visible["school"]}
    if not NOTICE_ID.fullmatch(notice_id) or notice_id not in ids:
        raise NotFound()
    stored_notices.mark_read(session.username, notice_id, clock.iso(clock.now()))


def publish(
    notice_id: str,
    lang: str,
    day: str,
    title: str,
    body: str,
    school: str | None = None,
    school_name: str | None = None,
    html: str = "",
) -> None:
    """Show a rendered notice in the portal (called by `portal notices publish`, which passes
    `html` already sanitized: this module stores and returns it as it is)."""
    stored_notices.publish(
        lang,
        day,
        {
            "id": notice_id,
            "date": day,
            "title": title,
            "body": body,
            "html": html,
            "school": school,
            "school_name": school_name,
        },
    )
