"""The staff audit trail: who did what to whom, with what result, when and from where.

An action's entry is written in the same transaction as the action (storage/ owns it: the
`..._with_audit` functions take the entry); a refused attempt, which changes nothing, is written
alone. Entries are only ever appended: nothing here or in the API updates or deletes them.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from . import clock
from .errors import Forbidden, InvalidRequest
from .storage import events

FIELDS = ("at", "staff", "role", "school", "action", "target", "result", "ip")
ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # fromisoformat alone takes week dates too
MAX_DAYS = 366  # one query spans at most a year of daily partitions
DEFAULT_DAYS = 7
# Spreadsheets run a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Actor:
    """Who acts: a staff member (role, school) from an address, or an operator's CLI."""

    staff: str
    role: str
    school: str | None
    ip: str


def operator(name: str) -> Actor:
    """An operator at the `portal` CLI (or the demo loader), outside any school."""
    return Actor(staff=name, role="operator", school=None, ip="local")


def as_actor(actor: Actor | str) -> Actor:
    """An Actor, naming a plain string an operator."""
    return actor if isinstance(actor, Actor) else operator(actor)


def entry(
    actor: Actor, action: str, target: str, result: str = "ok", school: str | None = None
) -> dict[str, Any]:
    """The stored item of one action, ready to go into the action's own transaction; `school`
    is the school acted in when the actor has none of its own (a district admin)."""
    now = clock.now()
    stamp = clock.iso(now)
    values = {
        "at": stamp,
        "staff": actor.staff,
        "role": actor.role,
        "school": actor.school or school or "",
        "action": action,
        "target": target,
        "result": result,
        "ip": actor.ip,
    }
    return events.audit_record(stamp[:10], now, values)


def record(
    actor: Actor, action: str, target: str, result: str = "ok", school: str | None = None
) -> None:
    """Write an entry alone: a refused attempt, or an action that has no write of its own."""
    events.append(entry(actor, action, target, result, school))


def day(date_iso: str) -> list[dict[str, Any]]:
    """Every entry of one UTC day (YYYY-MM-DD), newest first."""
    return [public(item) for item in events.audit_day(date_iso)]


def public(item: dict[str, Any]) -> dict[str, Any]:
    """An entry as the API shows it (entries from before this layout name the actor)."""
    values = {name: item.get(name, "") for name in FIELDS}
    values["staff"] = item.get("staff", item.get("actor", ""))
    return {name: str(value) for name, value in values.items()}


@dataclass(frozen=True)
class Filters:
    """What an audit query keeps: staff member, school, action and a range of UTC days."""

    start: date
    end: date
    staff: str = ""
    school: str = ""
    action: str = ""

    @classmethod
    def parse(cls, params: dict[str, str]) -> Filters:
        """Filters from query parameters (from/to YYYY-MM-DD; default: the last 7 days)."""
        end = _day(params.get("to"), "to") or clock.utcnow().date()
        start = _day(params.get("from"), "from") or _days_before(end, DEFAULT_DAYS - 1)
        if start > end:
            raise InvalidRequest("from must not be after to.", field="from")
        if (end - start).days >= MAX_DAYS:
            raise InvalidRequest(f"Ask for {MAX_DAYS} days at most.", field="from")
        texts = {name: params.get(name, "").strip() for name in ("staff", "school", "action")}
        for name, value in texts.items():
            if len(value) > 200:
                raise InvalidRequest(f"{name} is too long.", field=name)
        return cls(start, end, texts["staff"].lower(), texts["school"], texts["action"])

    def keeps(self, entry: dict[str, str]) -> bool:
        """Whether an entry passes every filter given."""
        return (
            (not self.staff or entry["staff"].lower() == self.staff)
            and (not self.school or entry["school"] == self.school)
            and (not self.action or entry["action"] == self.action)
        )


def _days_before(end: date, days: int) -> date:
    """`days` before `end`, or the first day there is (to=0001-01-01 is a range of one day)."""
    return end - timedelta(days=days) if end - date.min >= timedelta(days=days) else date.min


def _day(text: str | None, field: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text) if ISO_DAY.fullmatch(text) else _bad_day(field)
    except ValueError:
        return _bad_day(field)


def _bad_day(field: str) -> date:
    raise InvalidRequest(f"{field} must be a date written YYYY-MM-DD.", field=field)


def search(filters: Filters) -> list[dict[str, str]]:
    """The entries the filters keep, newest first."""
    found = []
    current = filters.end
    while current >= filters.start:
        found += [e for e in day(current.isoformat()) if filters.keeps(e)]
        if current == date.min:
            break
        current -= timedelta(days=1)
    return found


def entries(actor: Actor, params: dict[str, str]) -> list[dict[str, str]]:
    """What the actor may read of the trail under these filters: a district admin every
    school's, anyone else their own school's (another school: 403, as CONTRACT.md says)."""
    filters = Filters.parse(params)
    if actor.role != "district_admin":
        if not actor.school or (filters.school and filters.school != actor.school):
            raise Forbidden()
        filters = replace(filters, school=actor.school)
    return search(filters)


def to_csv(entries: list[dict[str, str]]) -> str:
    """Entries as CSV with a header row; no cell can run as a spreadsheet formula."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(FIELDS)
    for item in entries:
        writer.writerow([_cell(item[name]) for name in FIELDS])
    return out.getvalue()


def _cell(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value
