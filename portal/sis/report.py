"""What `portal sis import` shows: a progress bar while it works and a summary at the end."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from types import TracebackType

from rich.console import Console, Group, RenderableType
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from portal.sis.items import KINDS


@dataclass
class ImportSummary:
    """Counts of one import: rows read per file, items per kind and what happened to them."""

    rows: dict[str, int] = field(default_factory=dict)
    written: Counter[str] = field(default_factory=Counter)  # new or changed items put
    unchanged: Counter[str] = field(default_factory=Counter)
    deleted: Counter[str] = field(default_factory=Counter)
    deactivated: Counter[str] = field(default_factory=Counter)  # profiles set active=false
    warnings: list[str] = field(default_factory=list)  # what was odd, though nothing refused
    seconds: float = 0.0

    @property
    def changed(self) -> int:
        """Items written, deleted or deactivated: 0 when the tables already held this export."""
        return (
            sum(self.written.values()) + sum(self.deleted.values()) + sum(self.deactivated.values())
        )

    def render(self) -> RenderableType:
        """Two tables for the terminal: rows per file, then items per kind."""
        files = Table(title="Rows read", title_justify="left")
        files.add_column("file")
        files.add_column("rows", justify="right")
        for name, count in self.rows.items():
            files.add_row(name, f"{count:,}")
        files.add_row("total", f"{sum(self.rows.values()):,}", style="bold")
        items = Table(title=f"Items ({self.seconds:.1f} s)", title_justify="left")
        for column in ("kind", "written", "unchanged", "deleted", "deactivated"):
            items.add_column(column, justify="left" if column == "kind" else "right")
        counters = (self.written, self.unchanged, self.deleted, self.deactivated)
        kinds = [k for k in KINDS if any(c[k] for c in counters)]
        kinds += sorted({k for c in counters for k in c} - set(KINDS))
        for kind in kinds:
            items.add_row(kind, *(f"{c[kind]:,}" for c in counters))
        items.add_row("total", *(f"{sum(c.values()):,}" for c in counters), style="bold")
        return Group(files, items)


class Bar:
    """A Rich progress display, or nothing at all when progress is off (tests, scripts)."""

    def __init__(self, enabled: bool, console: Console | None = None) -> None:
        self.progress = (
            Progress(
                TextColumn("{task.description:<22}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=console,
                transient=False,
            )
            if enabled
            else None
        )

    def __enter__(self) -> Bar:
        if self.progress:
            self.progress.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.progress:
            self.progress.stop()

    def task(self, description: str, total: int | None) -> Step:
        """A new line of the display."""
        if not self.progress:
            return Step(None, None)
        return Step(self.progress, self.progress.add_task(description, total=total))


class Step:
    """One line of the progress display; every method is safe from any thread."""

    def __init__(self, progress: Progress | None, task: TaskID | None) -> None:
        self.progress, self.id = progress, task

    def advance(self, amount: int) -> None:
        """Move forward."""
        if self.progress is not None and self.id is not None:
            self.progress.advance(self.id, amount)

    def finish(self) -> None:
        """Mark complete, whatever the estimate was."""
        if self.progress is not None and self.id is not None:
            done = next(t.completed for t in self.progress.tasks if t.id == self.id)
            self.progress.update(self.id, total=done, completed=done)
