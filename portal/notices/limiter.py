"""`--rate N`: a token bucket that lets at most N messages per second through.

The bucket holds at most `burst` tokens (default 1, so messages are evenly spaced) and gains
`rate` tokens per second; each message takes one. Over any interval of T seconds at most
burst + rate × T messages pass, so the achieved rate never exceeds --rate. Clock and sleep are
injected: tests drive a fake clock and assert the schedule, not the machine's speed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class TokenBucket:
    """Thread-safe token bucket; `take()` blocks until a token is free and returns that time."""

    def __init__(
        self,
        rate: float | None,
        burst: int = 1,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], object] = time.sleep,
    ) -> None:
        if rate is not None and rate <= 0:
            raise ValueError("rate must be positive")
        self.rate, self.burst = rate, max(1, burst)
        self.clock, self.sleep = clock, sleep
        self.tokens = float(self.burst)
        self.updated = clock()
        self._lock = threading.Lock()

    def _refill(self, now: float) -> None:
        assert self.rate is not None
        self.tokens = min(float(self.burst), self.tokens + (now - self.updated) * self.rate)
        self.updated = now

    def reserve(self) -> float:
        """Take the next token and return the time at which it may be used (maybe now)."""
        now = self.clock()
        if self.rate is None:
            return now
        with self._lock:
            self._refill(max(now, self.updated))
            self.tokens -= 1.0  # may go negative: the debt is the wait of this caller
            if self.tokens >= 0:
                return self.updated
            return self.updated + (-self.tokens) / self.rate

    def take(self) -> float:
        """Wait until the next token may be used and return that time.

        The sender passes `sleep=stop_event.wait`, so a signal cuts the wait short; it checks
        the event again before sending.
        """
        when = self.reserve()
        delay = when - self.clock()
        if delay > 0:
            self.sleep(delay)
        return when
