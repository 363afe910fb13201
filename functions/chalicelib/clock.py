"""The one source of the current time, so tests can move it."""

from __future__ import annotations

import time
from datetime import UTC, datetime

_offset_seconds = 0.0
_frozen_at: float | None = None


def now() -> float:
    """Seconds since the epoch, shifted by any test offset (or frozen by a test)."""
    if _frozen_at is not None:
        return _frozen_at + _offset_seconds
    return time.time() + _offset_seconds


def freeze() -> None:
    """Stop the clock where it is; only advance() moves it (tests only)."""
    global _frozen_at
    _frozen_at = time.time()


def utcnow() -> datetime:
    """The current time as an aware UTC datetime."""
    return datetime.fromtimestamp(now(), tz=UTC)


def advance(seconds: float) -> None:
    """Move the clock forward (tests only)."""
    global _offset_seconds
    _offset_seconds += seconds


def reset() -> None:
    """Put the clock back to real time (tests only)."""
    global _offset_seconds, _frozen_at
    _offset_seconds = 0.0
    _frozen_at = None


def iso(ts: float) -> str:
    """ISO 8601 UTC with a Z, to the second."""
    return datetime.fromtimestamp(ts, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
