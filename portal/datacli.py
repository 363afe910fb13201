"""`portal data`: move every table out of a stack and into a fresh one (portal/datamove.py)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from chalicelib import schema

from .datamove import DataProblem, Moved, export_data, import_data

data_app = typer.Typer(no_args_is_help=True, help="Export every table, or import into a new stack.")
console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def _summary(verb: str, moved: Moved) -> None:
    """One line per table and the total."""
    for name, count in moved.counts.items():
        console.print(f"  {name}: {count} items")
    total = sum(moved.counts.values())
    console.print(f"[green]✓[/] {total} items {verb} ({moved.folder}).")


@data_app.command("export")
def data_export(
    folder: Path = typer.Argument(..., help="A new folder for the tables and their manifest."),
) -> None:
    """Write every table as JSON lines, with a manifest of counts and checksums."""
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  console=err, transient=True) as progress:  # fmt: skip
        task = progress.add_task("Exporting tables", total=len(schema.TABLES))
        try:
            moved = export_data(folder, lambda name, n: progress.advance(task))
        except DataProblem as problem:
            err.print(f"[red]{problem}[/]")
            raise typer.Exit(1) from None
    _summary("exported", moved)


@data_app.command("import")
def data_import(
    folder: Path = typer.Argument(..., help="A folder written by `portal data export`."),
) -> None:
    """Load an export into this stack, whose tables must exist and be empty."""
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  console=err, transient=True) as progress:  # fmt: skip
        task = progress.add_task("Importing items", total=None)
        try:
            moved = import_data(folder, lambda name, n: progress.advance(task, n))
        except DataProblem as problem:
            err.print("[red]Nothing was imported:[/]")
            for line in problem.problems:
                err.print(f"  {line}", markup=False)
            raise typer.Exit(1) from None
    _summary("imported", moved)
