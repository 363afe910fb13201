"""Each login attempt on an account: time, IP address and success."""

from __future__ import annotations

from typing import Any

from . import clock
from .storage import events

RETENTION_S = 400 * 24 * 3600  # a school year and a summer
UNKNOWN_RETENTION_S = 30 * 24 * 3600  # long enough to look into a wave of guessed names


def entry(username: str, ip: str, success: bool) -> dict[str, Any]:
    """The access-log line of one attempt (written by the caller, maybe in a batch)."""
    now = clock.now()
    return events.access_line(username, now, _values(now, ip, success, RETENTION_S))


def unknown_name_entry(username: str, ip: str) -> dict[str, Any]:
    """The line of a failed attempt on a name that matches no account: written as an account's
    failure is, so that the two take the same time (S3, issue 15 L3), and a record of guessing."""
    now = clock.now()
    return events.unknown_name_line(username, now, _values(now, ip, False, UNKNOWN_RETENTION_S))


def _values(now: float, ip: str, success: bool, kept_s: int) -> dict[str, Any]:
    """What a line says: when, from where, whether it worked, and until when it is kept."""
    return {"at": clock.iso(now), "ip": _clean(ip), "success": success, "ttl": int(now) + kept_s}


def entries(username: str, limit: int = 100) -> list[dict[str, Any]]:
    """The newest attempts first."""
    return [
        {"at": e["at"], "ip": e["ip"], "success": bool(e["success"])}
        for e in events.access_lines(username, limit)
    ]


def _clean(ip: str) -> str:
    # The IP comes from a header: keep it printable and short so it cannot forge log lines.
    return "".join(c for c in ip if c.isprintable())[:64] or "unknown"
