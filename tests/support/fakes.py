"""In-memory stand-ins for intention-named storage modules: the unit tier only.

Everything that touches data keeps its integration test against DynamoDB Local; a fake here
lets the pure rules built on top of one storage module run in milliseconds.
"""

from __future__ import annotations

from typing import Any


class FakeCounters:
    """chalicelib.storage.limits in memory, with the same conditions as its updates."""

    def __init__(self) -> None:
        self.items: dict[str, dict[str, Any]] = {}

    def get(self, counter: str) -> dict[str, Any]:
        """The counter as stored ({} when nothing was counted)."""
        return dict(self.items.get(counter, {}))

    def count_attempt(
        self, counter: str, cap: int, now: int, next_allowed_at: int, ttl: int
    ) -> int | None:
        """Count one attempt unless the cap forbids it (the stored condition's rule)."""
        item = self.items.get(counter, {})
        if "n" in item and item["n"] >= cap and item["next_allowed_at"] > now:
            return None
        n = item.get("n", 0) + 1
        self.items[counter] = {"n": n, "next_allowed_at": next_allowed_at, "ttl": ttl}
        return n

    def count_in_window(self, counter: str, limit: int, ttl: int) -> bool:
        """Count one event unless the window is full."""
        item = self.items.get(counter, {})
        if item.get("n", 0) >= limit:
            return False
        self.items[counter] = {**item, "n": item.get("n", 0) + 1, "ttl": ttl}
        return True

    def clear(self, counter: str) -> None:
        """Forget a counter."""
        self.items.pop(counter, None)
