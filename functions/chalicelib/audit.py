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


def day(date_iso: str) -> list[dict[str, Any]]:
    """Every action of one day (YYYY-MM-DD), newest first."""
    return events.audit_day(date_iso, limit=1000)
