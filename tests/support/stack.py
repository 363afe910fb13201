"""Start `portal run` as a user would, on free ports, and stop it again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests

from portal import dynamodb_local

from . import ROOT


@dataclass
class Stack:
    """A running `portal run` and its addresses."""

    process: subprocess.Popen[str]
    site: str
    api: str
    db_port: int
    smtp_port: int
    data_dir: Path
    output: Path

    def stop(self, sig: int = signal.SIGTERM) -> int:
        """Signal `portal run` like a user would and wait for it to exit."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
        return self.process.wait(timeout=60)


def start(
    tmp: Path, *extra: str, env: dict[str, str] | None = None, persistent: bool = False
) -> Stack:
    """Run `portal run` (in memory unless persistent) on free ports; wait until it is ready."""
    ports = {name: dynamodb_local.free_port() for name in ("site", "api", "db", "smtp")}
    full_env = {
        **os.environ,
        "PORTAL_SITE_PORT": str(ports["site"]),
        "PORTAL_API_PORT": str(ports["api"]),
        "PORTAL_DB_PORT": str(ports["db"]),
        "PORTAL_SMTP_PORT": str(ports["smtp"]),
        "PORTAL_DATA_DIR": str(tmp / "data"),
        "PORTAL_SITE_DIR": str(tmp / "site"),  # stacks side by side must not share a build
        "PORTAL_SITE_ORIGIN": f"http://127.0.0.1:{ports['site']}",
        **(env or {}),
    }
    for name in ("DYNAMODB_ENDPOINT_URL", "PORTAL_TABLE_PREFIX", "PORTAL_MAIL_DIR"):
        full_env.pop(name, None)
    output = tmp / f"portal-run-{time.monotonic_ns()}.out"
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "portal"),
            "run",
            *([] if persistent else ["--in-memory"]),
            *extra,
        ],
        cwd=ROOT,
        env=full_env,
        stdout=open(output, "w"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
        text=True,
    )
    stack = Stack(
        process,
        f"http://127.0.0.1:{ports['site']}",
        f"http://127.0.0.1:{ports['api']}",
        ports["db"],
        ports["smtp"],
        tmp / "data",
        output,
    )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"portal run exited early:\n{output.read_text()}")
        if "Press Ctrl-C to stop." in output.read_text():
            return stack
        time.sleep(0.5)
    stack.stop(signal.SIGKILL)
    raise RuntimeError(f"portal run did not start in 180 s:\n{output.read_text()}")


def descendants_alive(marker: str) -> list[str]:
    """Command lines of live processes mentioning marker (e.g. a unique data dir)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            environ = (proc / "environ").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if marker in cmdline or marker in environ:
            found.append(cmdline)
    return found


def get(url: str) -> requests.Response:
    """GET with a short timeout."""
    return requests.get(url, timeout=10)


def demo_accounts(stack: Stack) -> dict[str, tuple[str, str]]:
    """The demo accounts `portal run` printed, by their username: (who, password or key)."""
    import json

    rows = json.loads((stack.data_dir / "demo-accounts.json").read_text())
    return {username: (who, secret) for who, username, secret in rows}
