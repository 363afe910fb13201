"""The staff audit trail: who did what to whom, and when."""

from __future__ import annotations

import secrets
from typing import Any

from . import clock
from .storage import accounts as store


def record(actor: str, action: str, target: str, **details: Any) -> None:
    """Append one staff action to the day's audit partition."""
    now = clock.now()
    stamp = clock.iso(now)
    store.put_event(
        {
            "pk": f"audit#{stamp[:10]}",
            "sk": f"{int(now * 1_000_000):020d}#{secrets.token_hex(4)}",  # sorts by time
            "at": stamp,
            "actor": actor,
            "action": action,
            "target": target,
            **details,
        }
    )


def day(date_iso: str) -> list[dict[str, Any]]:
    """Every action of one day (YYYY-MM-DD), newest first."""
    return store.query_events(f"audit#{date_iso}", limit=1000)
