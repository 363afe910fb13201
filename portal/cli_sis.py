"""`portal sis generate|import|check`, and how `check` and `import` list an export's problems and
warnings.

Errors go to stderr and warnings to stdout, each as one `file:line: column: problem` line, so a
script tells them apart by stream; a warning never refuses an export.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import Progress

from chalicelib.errors import StorageUnavailable

from .sis.importer import import_export
from .sis.model import Export
from .sis.oneroster import VERSIONS
from .sis.report import Bar
from .sis.s3source import SourceError, export_at
from .sis.validate import ExportInvalid, total_bytes, validate
from .synthetic.generate import generate_district

console = Console()
err = Console(stderr=True)
sis_app = typer.Typer(no_args_is_help=True, help="Load and generate SIS exports (OneRoster CSV).")


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


@sis_app.command("check")
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


def _oneroster_version(value: str) -> str:
    """A version `portal sis generate` writes, or a usage error (exit 2)."""
    if value not in VERSIONS:
        raise typer.BadParameter(f"{value!r} is not one of: {', '.join(VERSIONS)}")
    return value


@sis_app.command("generate")
def sis_generate(
    directory: Path = typer.Argument(..., help="Folder to write the CSV files into."),
    students: int = typer.Option(..., "--students", min=1, max=500_000, help="How many students."),
    seed: int = typer.Option(1, "--seed", help="Same seed, same files, byte for byte."),
    oneroster: str = typer.Option(
        "1.1",
        "--oneroster",
        callback=_oneroster_version,
        metavar="|".join(VERSIONS),
        help="OneRoster version; 1.2 is the twin of the same seed's 1.1 (roles in roles.csv).",
    ),
) -> None:
    """Write a realistic synthetic district as OneRoster CSV with the extension files."""
    try:
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("Generating students", total=students)
            counts = generate_district(
                students,
                seed,
                directory,
                progress=lambda n: progress.advance(task, n),
                oneroster=oneroster,
            )
    except ValueError as wrong:  # more students than the district's student IDs can number
        err.print(f"[red]{wrong}[/]", highlight=False)
        raise typer.Exit(1) from None
    for name, rows in sorted(counts.items()):
        console.print(f"  {name:<22} {rows:>9,} rows")
    console.print(f"[green]✓[/] {students:,} students written to {directory}")


@sis_app.command("import")
def sis_import(
    source: str = typer.Argument(
        ..., help="OneRoster folder, or s3://bucket/prefix/ (the latest export under it)."
    ),
    entered_at: datetime | None = typer.Option(
        None, "--entered-at", help="First-seen time of students new to this import (ISO 8601)."
    ),
) -> None:
    """Validate a full OneRoster export, then apply it (nothing is written if anything is wrong)."""
    try:
        with export_at(source) as (where, directory):
            if where != source:
                console.print(f"Importing {where}", markup=False, highlight=False)
            summary = import_export(directory, entered_at=entered_at)
    except SourceError as unreadable:
        err.print(unreadable.line, markup=False, highlight=False, soft_wrap=True)
        err.print("[red]1 problem found; nothing was imported.[/]")
        raise typer.Exit(1) from None
    except ExportInvalid as invalid:
        print_warnings(invalid.warnings)
        print_errors(invalid.errors)
        err.print(f"[red]{len(invalid.errors)} problem(s) found; nothing was imported.[/]")
        raise typer.Exit(1) from None
    except StorageUnavailable as down:
        err.print(f"[red]The database did not answer ({down}); nothing more was written.[/]")
        raise typer.Exit(2) from None
    print_warnings(summary.warnings)
    console.print(summary.render())
