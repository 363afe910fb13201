"""The staff audit trail: who did what to whom, and when."""

from __future__ import annotations

from typing import Any

from . import clock
from .storage import events


def record(actor: str, action: str, target: str, **details: Any) -> None:
    """Append one staff action to the day's audit trail."""
    now = clock.now()
    stamp = clock.iso(now)
    values = {"at": stamp, "actor": actor, "action": action, "target": target, **details}
    events.append(events.audit_record(stamp[:10], now, values))


def record_by(actor: dict[str, Any], action: str, target: str, **details: Any) -> None:
    """Append a successful action by `actor` ({"staff", "role", "school", "ip"})."""
    who = {k: v for k, v in actor.items() if k != "staff"}
    record(str(actor["staff"]), action, target, result="ok", **who, **details)


def day(date_iso: str) -> list[dict[str, Any]]:
    """Every action of one day (YYYY-MM-DD), newest first."""
    return events.audit_day(date_iso, limit=1000)
