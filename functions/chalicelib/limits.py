"""Failure counters and per-IP windows, counted in DynamoDB before any hash is checked (S4)."""

from __future__ import annotations

import hashlib
import math
import unicodedata
from typing import Any

from . import clock
from .errors import DomainError
from .storage import limits as counters

CAP = 5  # consecutive failures before slowing down (students) or disabling (parents)
MAX_WAIT_S = 15 * 60
IP_WINDOW_S = 10 * 60
# A whole school can sit behind one address: 1,000 logins and 1,000 claims in 10 minutes
# must pass (QUALITY S4), so the per-IP cap is set well above that.
IP_LIMIT = 6000
FOREVER_S = 10 * 365 * 24 * 3600


class TooManyAttempts(DomainError):
    """Too many attempts: wait `retry_after` seconds."""

    code = "too_many_attempts"


def login_counter(username_key: str) -> str:
    """The failure counter of logins to one username."""
    return f"login#{username_key}"


def reset_counter(username_key: str) -> str:
    """The failure counter of password resets of one username."""
    return f"reset#{username_key}"


def claim_counters(student_id: str, last_name: str, first_name: str) -> tuple[str, str]:
    """The counters of claims tried for one student ID and for one name pair (issue 15, M3).

    The names are folded (case, width, outer spaces) so variants count together, and hashed so
    the limits table holds no one's name.
    """
    folded = "\x00".join(
        unicodedata.normalize("NFKC", name).strip().casefold() for name in (last_name, first_name)
    )
    return f"claim-id#{student_id}", "claim-name#" + hashlib.sha256(folded.encode()).hexdigest()


def failures(counter: str) -> int:
    """How many attempts a counter holds now."""
    return int(counters.get(counter).get("n", 0))


def doubling_wait(failures: int) -> int:
    """Seconds to wait after `failures` consecutive failures: 1 s at the cap, doubling, ≤ 15 min."""
    if failures < CAP:
        return 0
    return min(2 ** (failures - CAP), MAX_WAIT_S)


def slow_down(counter: str, current: dict[str, Any] | None = None) -> int:
    """Count an attempt under the doubling wait; TooManyAttempts while waiting.

    `current` is the counter as the caller already read it (saves a round trip).
    """
    # Round up: a wait of 1 s must never end the instant it starts.
    now = math.ceil(clock.now())
    if current is None:
        current = counters.get(counter)
    seen = int(current.get("n", 0))
    allowed_from = now + doubling_wait(max(seen + 1, CAP))
    counted = counters.count_attempt(counter, CAP, now, allowed_from, now + 2 * MAX_WAIT_S + 86400)
    if counted is None:
        retry = max(1, int(current.get("next_allowed_at", now + 1)) - now)
        raise TooManyAttempts(retry_after=retry)
    return counted


def cap_at(counter: str, cap: int, block_s: int) -> int | None:
    """Count an attempt under a hard cap; None once `cap` attempts failed within block_s."""
    now = int(clock.now())
    return counters.count_attempt(counter, cap, now, now + block_s, now + block_s + 86400)


def retry_after(counter: str) -> int:
    """Seconds until a capped counter lets the next attempt through."""
    current = counters.get(counter)
    return max(1, int(current.get("next_allowed_at", 0)) - int(clock.now()))


def clear(counter: str) -> None:
    """Forget the failures after a success."""
    counters.clear(counter)


def per_ip(kind: str, ip: str) -> None:
    """Count one request from ip in the current 10-minute window; TooManyAttempts past the cap."""
    now = int(clock.now())
    window = now // IP_WINDOW_S
    key = f"ip#{kind}#{ip}#{window}"
    if not counters.count_in_window(key, IP_LIMIT, (window + 2) * IP_WINDOW_S):
        raise TooManyAttempts(retry_after=(window + 1) * IP_WINDOW_S - now)
