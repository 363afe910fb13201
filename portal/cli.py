"""The `portal` command for district staff."""

from __future__ import annotations

import typer

app = typer.Typer(no_args_is_help=True, add_completion=False, help="District portal staff tools.")


@app.callback()
def portal() -> None:
    """District portal: the local stack and the staff tools."""


@app.command()
def run(
    in_memory: bool = typer.Option(False, "--in-memory", help="Keep the database in memory."),
    no_demo: bool = typer.Option(False, "--no-demo", help="Do not load the demo district."),
) -> None:
    """Start the site, the API, DynamoDB Local and the SMTP server in the foreground."""
    from .localstack import run as run_stack

    raise typer.Exit(run_stack(in_memory=in_memory, demo=not no_demo))


def main() -> None:
    """Console-script entry point."""
    app()
