"""The `portal` command for district staff."""

from __future__ import annotations

import signal
import threading
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from chalicelib import audit, staff, staff_accounts
from chalicelib.account import Account
from chalicelib.errors import DomainError, StorageUnavailable

from .activation_keys import issue_keys
from .cli_sis import sis_app
from .datacli import data_app
from .localstack import run as run_stack
from .notices.definition import NOTICE_ID, Definition, NoticeInvalid
from .notices.definition import load as load_notice
from .notices.publish import publish
from .notices.render import check
from .notices.report import table
from .notices.send import send
from .notices.status import status as notice_status
from .translations import SOURCE, pages, untranslated_lines
from .translations import status as translation_status

app = typer.Typer(no_args_is_help=True, add_completion=False, help="District portal staff tools.")
staff_app = typer.Typer(no_args_is_help=True, help="Staff accounts.")
accounts_app = typer.Typer(no_args_is_help=True, help="Student accounts.")
app.add_typer(sis_app, name="sis")
app.add_typer(staff_app, name="staff")
app.add_typer(accounts_app, name="accounts")
keys_app = typer.Typer(no_args_is_help=True, help="Parent activation keys.")
app.add_typer(keys_app, name="activation-keys")
translations_app = typer.Typer(no_args_is_help=True, help="The site's translations.")
app.add_typer(translations_app, name="translations")
notices_app = typer.Typer(no_args_is_help=True, help="Notices to families: check, publish, send.")
app.add_typer(notices_app, name="notices")
app.add_typer(data_app, name="data")
console = Console()
err = Console(stderr=True)


@app.callback()
def portal() -> None:
    """District portal: the local stack and the staff tools."""


@app.command()
def run(
    in_memory: bool = typer.Option(False, "--in-memory", help="Keep the database in memory."),
    no_demo: bool = typer.Option(False, "--no-demo", help="Do not load the demo district."),
) -> None:
    """Start the site, the API, DynamoDB Local and the SMTP server in the foreground."""
    raise typer.Exit(run_stack(in_memory=in_memory, demo=not no_demo))


@staff_app.command("add")
def staff_add(
    username: str = typer.Argument(..., help="Login name (letters, digits, dots, dashes)."),
    role: str = typer.Option(
        ..., "--role", help="teacher, technician, school_admin, district_admin"
    ),
    school: str | None = typer.Option(None, "--school", help="The school's OneRoster sourcedId."),
) -> None:
    """Create a staff account and print its temporary password (changed at first login)."""
    try:
        temporary = staff.add_staff(username, role, school)
    except DomainError as problem:
        err.print(f"[red]{problem}[/]")
        raise typer.Exit(1) from None
    console.print(f"Created {role} [bold]{username}[/]. Temporary password: {temporary}")
    console.print("It must be changed at the first login.")


def _staff_member(username: str) -> Account:
    """The staff account an operator named; exit 1 when there is none."""
    try:
        return staff_accounts.find(username)
    except DomainError:
        err.print(f"[red]No staff account is named {username}.[/]")
        raise typer.Exit(1) from None


@staff_app.command("disable")
def staff_disable(
    username: str = typer.Argument(..., help="The staff member's login name."),
) -> None:
    """Disable a staff account: its sessions end at once and it can no longer log in."""
    target = _staff_member(username)
    staff_accounts.disable_account(target, staff_accounts.cli_actor())
    console.print(f"[green]✓[/] {target.username} is disabled; their sessions have ended.")


@staff_app.command("mfa-reset")
def staff_mfa_reset(
    username: str = typer.Argument(..., help="The staff member's login name."),
) -> None:
    """Forget an administrator's authenticator app (lost phone): they enroll at the next login."""
    target = _staff_member(username)
    staff_accounts.reset_account_mfa(target, staff_accounts.cli_actor())
    console.print(
        f"[green]✓[/] {target.username}'s authenticator is reset; they set up a new one"
        " at their next login."
    )


@staff_app.command("audit-export")
def staff_audit_export(
    file: Path = typer.Argument(..., dir_okay=False, help="The CSV file to write."),
    start: str | None = typer.Option(None, "--from", help="First UTC day, YYYY-MM-DD."),
    end: str | None = typer.Option(None, "--to", help="Last UTC day, YYYY-MM-DD (default today)."),
    school: str | None = typer.Option(None, "--school", help="Only this school's sourcedId."),
    member: str | None = typer.Option(None, "--staff", help="Only this staff member."),
    action: str | None = typer.Option(None, "--action", help="Only this action."),
) -> None:
    """Write the audit trail as CSV: the same file as the staff pages' download."""
    params = {"from": start, "to": end, "school": school, "staff": member, "action": action}
    try:
        entries = audit.search(audit.Filters.parse({k: v for k, v in params.items() if v}))
    except DomainError as problem:
        err.print(f"[red]{problem}[/]")
        raise typer.Exit(1) from None
    file.write_text(audit.to_csv(entries), encoding="utf-8", newline="")
    console.print(f"[green]✓[/] {len(entries)} audit entries written to {file}")


@accounts_app.command("reset-all")
def accounts_reset_all(
    yes: bool = typer.Option(False, "--yes", help="Confirm: every student must claim again."),
) -> None:
    """The new-school-year reset: every student account becomes unclaimed (staff are not reset)."""
    if not yes:
        err.print("This makes every student claim their account again. Re-run with --yes.")
        raise typer.Exit(1)
    generation = staff.reset_all_students("cli")
    console.print(f"[green]✓[/] All student accounts reset (account generation {generation}).")


@keys_app.command("issue")
def keys_issue(
    guardian: str | None = typer.Option(None, "--guardian", help="One guardian's sourcedId."),
    all_guardians: bool = typer.Option(False, "--all", help="Every guardian still without one."),
    out: Path | None = typer.Option(None, "--out", help="Write the CSV here (default: stdout)."),
) -> None:
    """Issue one activation key per guardian, as CSV for the letters home."""
    if bool(guardian) == all_guardians:
        err.print("Give exactly one of --guardian ID or --all.")
        raise typer.Exit(1)
    try:
        count = issue_keys(guardian, out)
    except LookupError as missing:
        err.print(f"[red]{missing}[/]")
        raise typer.Exit(1) from None
    (err if out is None else console).print(f"[green]✓[/] {count} activation key(s) issued.")


# --- notices (portal/notices/) ------------------------------------------------------------------


def _notice(file: Path) -> Definition:
    """Load and fully check a definition (fields, rules, every template); exit 1 if invalid."""
    try:
        notice = load_notice(file)
        check(notice)
    except NoticeInvalid as invalid:
        for line in invalid.problems:
            err.print(f"{file}: {line}", markup=False, highlight=False, soft_wrap=True)
        err.print(f"[red]{len(invalid.problems)} problem(s): nothing was done.[/]")
        raise typer.Exit(1) from None
    return notice


@notices_app.command("check")
def notices_check(file: Path = typer.Argument(..., help="The notice definition (YAML).")) -> None:
    """Validate a notice definition and render it in the 4 languages (exit 1 if anything fails)."""
    notice = _notice(file)
    console.print(
        f"[green]✓[/] {file}: {notice.id} is valid and renders in en, fr, es, vi.", soft_wrap=True
    )


@notices_app.command("publish")
def notices_publish(file: Path = typer.Argument(..., help="The notice definition (YAML).")) -> None:
    """Put the notice on the site (4 languages + PDFs), and in the portal's notices."""
    notice = _notice(file)
    try:
        done = publish(notice)
    except NoticeInvalid as invalid:
        for line in invalid.problems:
            err.print(f"{file}: {line}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    except StorageUnavailable as down:
        err.print(f"[red]The database did not answer ({down}); the portal was not updated.[/]")
        raise typer.Exit(2) from None
    for name in done.written:
        console.print(f"  written    site/{name}")
    for name in done.unchanged:
        console.print(f"  unchanged  site/{name}")
    console.print(
        f"[green]✓[/] {notice.id} published: site pages and PDFs, and the portal's "
        f"notices in {', '.join(done.board)}. Rebuild the site to show the pages."
    )


@notices_app.command("send")
def notices_send(
    file: Path = typer.Argument(..., help="The notice definition (YAML)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Render and count; send nothing."),
    rate: float | None = typer.Option(None, "--rate", min=0.01, help="At most N messages/s."),
    in_flight: int | None = typer.Option(
        None,
        "--in-flight",
        min=1,
        max=1000,
        help="Messages under way at once; after a crash at most this many may arrive twice "
        "(same Message-ID). Default: 1 with --rate up to 50, rate/50 above, 100 without --rate.",
    ),
) -> None:
    """Email the notice to every guardian of its audience, once per address and language."""
    notice = _notice(file)
    stop = threading.Event()

    def on_signal(signum: int, frame: object) -> None:
        stop.set()

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())  # fmt: skip
    try:
        with Progress(*columns, console=console, transient=True) as bar:
            task = bar.add_task("Rendering" if dry_run else "Sending", total=None)
            outcome = send(
                notice,
                dry_run=dry_run,
                rate=rate,
                in_flight=in_flight,
                stop=stop,
                progress=lambda n: bar.advance(task, n),
                started=lambda total: bar.update(task, total=total),
            )
    except StorageUnavailable as down:
        err.print(f"[red]The database did not answer ({down}); nothing was sent.[/]")
        raise typer.Exit(2) from None
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    kind = "dry-run" if dry_run else "send"
    title = f"{notice.id}: {outcome.recipients:,} recipients ({outcome.seconds:.1f} s)"
    console.print(table(outcome.tally, kind, title))
    resent = outcome.tally.total("resent")
    if resent:
        console.print(f"{resent:,} message(s) in doubt from an earlier run were sent again "
                      "with the same Message-ID.")  # fmt: skip
    if outcome.stopped:
        console.print("[yellow]Stopped on request.[/] Run the same command again to send the rest.")
    if outcome.error:
        err.print(f"[red]Stopped: {outcome.error}.[/] Run the same command again to continue.")
    raise typer.Exit(outcome.exit_code)


@notices_app.command("status")
def notices_status(notice_id: str = typer.Argument(..., help="The notice id.")) -> None:
    """Delivery records of a notice per language: sent, in doubt, failed, no address."""
    if not NOTICE_ID.fullmatch(notice_id):
        err.print(f"{notice_id!r} is not a notice id (lower-case letters, digits and dashes).")
        raise typer.Exit(1)
    try:
        tally, records = notice_status(notice_id)
    except StorageUnavailable as down:
        err.print(f"[red]The database did not answer ({down}).[/]")
        raise typer.Exit(2) from None
    console.print(table(tally, "status", f"{notice_id}: {records:,} delivery records"))
    in_doubt = tally.total("in_doubt")
    if in_doubt:
        console.print(f"{in_doubt:,} in doubt: a send stopped while they were under way. "
                      "Running the send again resolves them (same Message-ID).")  # fmt: skip


@translations_app.command("status")
def translations_status() -> None:
    """List missing, orphaned and outdated (by git date) translations; exit 1 if any."""
    report = translation_status()
    clean = True
    for lang, entry in report.items():
        shared = sorted(pages(lang) & pages(SOURCE))
        copied = [f"{page}: {line}" for page in shared for line in untranslated_lines(lang, page)]
        console.print(f"[bold]{lang}[/]: {len(pages(lang))} pages")
        for kind, items in (
            ("missing", entry.missing),
            ("orphaned", entry.orphaned),
            ("outdated", entry.outdated),
            ("still in English", copied),
        ):
            for item in items:
                console.print(f"  {kind}: {item}", markup=False)
        clean = clean and entry.clean and not copied
    console.print(
        "[green]✓[/] every translation is present and up to date."
        if clean
        else "[red]Some translations need work (see above).[/]"
    )
    raise typer.Exit(0 if clean else 1)


def main() -> None:
    """Console-script entry point."""
    app()
