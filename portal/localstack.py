"""`portal run`: the whole product on this machine, in the foreground."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path
from types import FrameType

import requests
from rich.console import Console
from rich.table import Table

from chalicelib import config, storage
from chalicelib.config import LOCAL_HOST, Settings, settings

from . import demo as demo_district
from . import dynamodb_local, mailserver, paths, sitebuild
from .processes import stop_group

console = Console()


class Stop(Exception):
    """Raised by the signal handler to leave the wait loop."""


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    raise Stop(signum)


def _check_free(cfg: Settings, external_db: bool) -> None:
    wanted = {"PORTAL_SITE_PORT": cfg.site_port, "PORTAL_API_PORT": cfg.api_port}
    wanted["PORTAL_SMTP_PORT"] = cfg.smtp_port
    if not external_db:
        wanted["PORTAL_DB_PORT"] = cfg.db_port
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
    # The ports (PORTAL_*_PORT) are settings: the API child reads the same variables, and the
    # site origin, the notices' site URL and the database endpoint default to follow them.
    cfg = settings()
    external_db = bool(os.environ.get("DYNAMODB_ENDPOINT_URL"))
    _check_free(cfg, external_db)
    data = paths.data_dir()
    data.mkdir(parents=True, exist_ok=True)
    # PORTAL_MAIL_DIR is read here only: the local SMTP server is the stack's, not the API's.
    mail_dir = Path(os.environ.get("PORTAL_MAIL_DIR", data / "mail"))
    api_url = f"http://{LOCAL_HOST}:{cfg.api_port}"
    site_url = f"http://{LOCAL_HOST}:{cfg.site_port}/"  # where this stack serves the site
    os.environ["PORTAL_MAIL_DIR"] = str(mail_dir)
    previous = {s: signal.signal(s, _raise_stop) for s in (signal.SIGINT, signal.SIGTERM)}
    with ExitStack() as stack:
        try:
            with console.status("Starting DynamoDB Local…"):
                if not external_db:
                    db = dynamodb_local.start(
                        cfg.db_port, None if in_memory else data / "dynamodb", data / "dynamodb.log"
                    )
                    stack.callback(db.stop)
                    os.environ["DYNAMODB_ENDPOINT_URL"] = db.url  # for the API child too
                config.settings.cache_clear()  # settings() read again, with the variables set above
                storage.reset_client()
                created = storage.create_tables()
            console.print(
                f"[green]✓[/] database {settings().dynamodb_endpoint_url}"
                f" ({len(created)} tables created)"
            )
            if demo:
                with console.status("Loading the demo district…"):
                    accounts = demo_district.load()
            else:
                accounts = None
            smtp = mailserver.start(cfg.smtp_port, mail_dir)
            stack.callback(smtp.stop)
            console.print(f"[green]✓[/] SMTP {LOCAL_HOST}:{cfg.smtp_port} → {mail_dir}")
            with console.status("Building the site in 4 languages…"):
                site_dir = sitebuild.build(api_url, site_url, paths.site_dir())
            server = sitebuild.serve(site_dir, cfg.site_port, api_url)
            stack.callback(server.shutdown)
            api = subprocess.Popen(
                [sys.executable, "-m", "portal.apiserver", "--port", str(cfg.api_port)],
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
