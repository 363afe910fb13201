"""`portal sis check`, and how `check` and `import` list an export's problems and warnings.

Errors go to stderr and warnings to stdout, each as one `file:line: column: problem` line, so a
script tells them apart by stream; a warning never refuses an export.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from .sis.model import Export
from .sis.report import Bar
from .sis.s3source import SourceError, export_at
from .sis.validate import ExportInvalid, total_bytes, validate

console = Console()
err = Console(stderr=True)


def print_warnings(warnings: list[str]) -> None:
    """The warnings under one heading line (nothing when there are none)."""
    if not warnings:
        return
    console.print(f"[yellow]{len(warnings)} warning(s); they refuse nothing:[/]")
    for line in warnings:
        console.print(line, markup=False, highlight=False, soft_wrap=True)


def print_errors(errors: list[str]) -> None:
    """The errors, one line each (never wrapped: scripts read them line by line)."""
    for line in errors:
        err.print(line, markup=False, highlight=False, soft_wrap=True)


def _checked(directory: Path) -> Export | ExportInvalid:
    """The validated export, or what refused it; a progress bar on a terminal meanwhile."""
    with Bar(console.is_terminal, console) as bar:
        checking = bar.task("Checking files", total_bytes(directory))
        try:
            return validate(directory, checking.advance)
        except ExportInvalid as invalid:
            return invalid
        finally:
            checking.finish()


def sis_check(
    source: str = typer.Argument(
        ..., help="OneRoster folder, or s3://bucket/prefix/ (the latest export under it)."
    ),
) -> None:
    """Check an export exactly as `portal sis import` does, writing nothing (no database)."""
    try:
        with export_at(source) as (where, directory):
            if where != source:
                console.print(f"Checking {where}", markup=False, highlight=False)
            found = _checked(directory)
    except SourceError as unreadable:
        err.print(unreadable.line, markup=False, highlight=False, soft_wrap=True)
        err.print("[red]1 problem found: `portal sis import` would refuse this export.[/]")
        raise typer.Exit(1) from None
    if isinstance(found, ExportInvalid):
        print_warnings(found.warnings)
        print_errors(found.errors)
        err.print(
            f"[red]{len(found.errors)} problem(s) and {len(found.warnings)} warning(s) found: "
            "`portal sis import` would refuse this export.[/]",
            soft_wrap=True,
        )
        raise typer.Exit(1)
    print_warnings(found.warnings)
    rows = sum(found.rows.values())
    console.print(
        f"[green]✓[/] No problems, {len(found.warnings)} warning(s): {rows:,} rows in "
        f"{len(found.rows)} files; `portal sis import` would import this export.",
        soft_wrap=True,
    )
