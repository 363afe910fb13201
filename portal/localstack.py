"""`portal run`: the whole product on this machine, in the foreground."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import requests
from rich.console import Console
from rich.table import Table

from . import dynamodb_local, mailserver, paths, sitebuild
from .processes import stop_group

console = Console()


class Stop(Exception):
    """Raised by the signal handler to leave the wait loop."""


@dataclass(frozen=True)
class Ports:
    """The four local addresses (CONTRACT.md section 1)."""

    site: int
    api: int
    db: int
    smtp: int

    @classmethod
    def from_env(cls) -> Ports:
        """Defaults, overridden by PORTAL_*_PORT variables."""
        return cls(
            site=int(os.environ.get("PORTAL_SITE_PORT", 8000)),
            api=int(os.environ.get("PORTAL_API_PORT", 8001)),
            db=int(os.environ.get("PORTAL_DB_PORT", 8002)),
            smtp=int(os.environ.get("PORTAL_SMTP_PORT", 8025)),
        )


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    raise Stop(signum)


def _check_free(ports: Ports, external_db: bool) -> None:
    wanted = {"PORTAL_SITE_PORT": ports.site, "PORTAL_API_PORT": ports.api}
    wanted["PORTAL_SMTP_PORT"] = ports.smtp
    if not external_db:
        wanted["PORTAL_DB_PORT"] = ports.db
    for variable, port in wanted.items():
        if dynamodb_local.port_open(port):
            raise SystemExit(
                f"Port {port} is already in use (is another `portal run` running?). "
                f"Stop it or choose another port with {variable}=…"
            )


def _wait_for_api(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"The API exited with code {process.returncode}; see .data/api.log")
        try:
            if requests.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise SystemExit(f"The API did not answer on {url} within {timeout:.0f} s")


def run(in_memory: bool, demo: bool) -> int:
    """Start every part, print where they are, and wait for Ctrl-C or SIGTERM."""
    from chalicelib import storage

    ports = Ports.from_env()
    external_db = bool(os.environ.get("DYNAMODB_ENDPOINT_URL"))
    _check_free(ports, external_db)
    data = paths.data_dir()
    data.mkdir(parents=True, exist_ok=True)
    mail_dir = Path(os.environ.get("PORTAL_MAIL_DIR", data / "mail"))
    api_url = f"http://127.0.0.1:{ports.api}"
    site_url = f"http://127.0.0.1:{ports.site}/"
    os.environ.setdefault("PORTAL_SITE_ORIGIN", f"http://127.0.0.1:{ports.site}")
    os.environ.setdefault("PORTAL_SITE_URL", site_url)  # links and QR codes in published notices
    os.environ["PORTAL_MAIL_DIR"] = str(mail_dir)
    os.environ.setdefault("PORTAL_SMTP_PORT", str(ports.smtp))
    previous = {s: signal.signal(s, _raise_stop) for s in (signal.SIGINT, signal.SIGTERM)}
    with ExitStack() as stack:
        try:
            with console.status("Starting DynamoDB Local…"):
                if not external_db:
                    db = dynamodb_local.start(
                        ports.db, None if in_memory else data / "dynamodb", data / "dynamodb.log"
                    )
                    stack.callback(db.stop)
                    os.environ["DYNAMODB_ENDPOINT_URL"] = db.url
                storage.reset_client()
                created = storage.create_tables()
            console.print(
                f"[green]✓[/] database {os.environ['DYNAMODB_ENDPOINT_URL']}"
                f" ({len(created)} tables created)"
            )
            if demo:
                from . import demo as demo_district

                with console.status("Loading the demo district…"):
                    accounts = demo_district.load()
            else:
                accounts = None
            smtp = mailserver.start(ports.smtp, mail_dir)
            stack.callback(smtp.stop)
            console.print(f"[green]✓[/] SMTP 127.0.0.1:{ports.smtp} → {mail_dir}")
            with console.status("Building the site in 4 languages…"):
                site_dir = sitebuild.build(api_url, site_url, paths.site_dir())
            server = sitebuild.serve(site_dir, ports.site, api_url)
            stack.callback(server.shutdown)
            api = subprocess.Popen(
                [sys.executable, "-m", "portal.apiserver", "--port", str(ports.api)],
                cwd=paths.FUNCTIONS,
                stdout=open(data / "api.log", "ab"),  # noqa: SIM115
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            stack.callback(stop_group, api)
            _wait_for_api(api_url, api)
            _print_summary(site_url, api_url, accounts)
            while True:
                if api.poll() is not None:
                    console.print(
                        f"[red]The API stopped (exit {api.returncode}); see {data}/api.log"
                    )
                    return 1
                time.sleep(0.5)
        except Stop:
            console.print("\nStopping…")
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
    console.print("Stopped. Nothing is left running.")
    return 0


def _print_summary(
    site_url: str, api_url: str, accounts: list[tuple[str, str, str]] | None
) -> None:
    console.print(f"[green]✓[/] site {site_url} (en, fr, es, vi)")
    console.print(f"[green]✓[/] API  {api_url}  (health: {api_url}/health)")
    if accounts:
        table = Table(title="Demo accounts", title_justify="left", box=None, show_header=True)
        # Usernames, passwords and keys are copied by hand: they are never cut; the
        # description wraps instead when the terminal is narrow.
        table.add_column("who", overflow="fold")
        for index, column in ((1, "username"), (2, "password / key")):
            width = max(len(column), *(len(row[index]) for row in accounts))
            table.add_column(column, no_wrap=True, min_width=width)
        for row in accounts:
            table.add_row(*row)
        console.print(table)
    console.print("\nPress Ctrl-C to stop.")
