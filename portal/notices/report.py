"""Counts per language of a send or of the delivery records, and their terminal tables."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field

from rich.console import Group, RenderableType
from rich.table import Table

from chalicelib.languages import LANGUAGES


@dataclass
class Counts:
    """One language's counts."""

    sent: int = 0
    skipped: int = 0  # recorded as sent by an earlier run: not sent again
    no_address: int = 0
    in_doubt: int = 0  # "sending" records: may or may not have arrived
    resent: int = 0  # of `sent`: in doubt after an earlier run, sent again (same Message-ID)
    not_sent: int = 0  # left for the next run (stopped early)
    failed: Counter[str] = field(default_factory=Counter)  # reason → messages


@dataclass
class Tally:
    """Counts of every language, safe to update from several threads."""

    langs: dict[str, Counts] = field(default_factory=lambda: {lang: Counts() for lang in LANGUAGES})
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, lang: str, what: str, count: int = 1) -> None:
        """Add to one counter of one language."""
        with self._lock:
            counts = self.langs.setdefault(lang, Counts())
            setattr(counts, what, getattr(counts, what) + count)

    def fail(self, lang: str, reason: str) -> None:
        """Count one failed message with its reason."""
        with self._lock:
            self.langs.setdefault(lang, Counts()).failed[reason] += 1

    def total(self, what: str) -> int:
        """One counter summed over the languages."""
        if what == "failed":
            return sum(sum(c.failed.values()) for c in self.langs.values())
        return sum(getattr(c, what) for c in self.langs.values())


COLUMNS = {
    "send": ("sent", "skipped", "no_address", "failed", "not_sent"),
    "dry-run": ("sent", "skipped", "no_address"),
    "status": ("sent", "in_doubt", "failed", "no_address"),
}
HEADINGS = {
    "sent": "sent",
    "skipped": "already sent",
    "no_address": "no address",
    "failed": "failed",
    "not_sent": "not sent yet",
    "in_doubt": "in doubt",
}


def table(tally: Tally, kind: str, title: str) -> RenderableType:
    """Per-language table (plus failure reasons) for `send`, `send --dry-run` or `status`."""
    columns = COLUMNS[kind]
    grid = Table(title=title, title_justify="left")
    grid.add_column("language")
    for column in columns:
        heading = "would send" if kind == "dry-run" and column == "sent" else HEADINGS[column]
        grid.add_column(heading, justify="right")

    def cells(counts: Counts) -> list[str]:
        values = [
            sum(counts.failed.values()) if c == "failed" else getattr(counts, c) for c in columns
        ]
        return [f"{v:,}" for v in values]

    for lang, counts in tally.langs.items():
        grid.add_row(lang, *cells(counts))
    grid.add_row("total", *(f"{tally.total(c):,}" for c in columns), style="bold")
    reasons = Counter[str]()
    for counts in tally.langs.values():
        reasons.update(counts.failed)
    if not reasons:
        return grid
    why = Table(title="Failures", title_justify="left")
    why.add_column("reason")
    why.add_column("messages", justify="right")
    for reason, count in reasons.most_common():
        why.add_row(reason, f"{count:,}")
    return Group(grid, why)
