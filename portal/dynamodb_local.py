"""Start and stop the official DynamoDB Local (Java) as a child process."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from chalicelib.config import LOCAL_HOST

from . import paths
from .processes import stop_group


class DynamoDBLocalMissing(RuntimeError):
    """DynamoDB Local or Java is not installed where we look."""


@dataclass
class DynamoDBLocal:
    """A running DynamoDB Local."""

    process: subprocess.Popen[bytes]
    port: int

    @property
    def url(self) -> str:
        """Endpoint URL for boto3."""
        return f"http://{LOCAL_HOST}:{self.port}"

    def stop(self) -> None:
        """Stop the Java process and anything it started."""
        stop_group(self.process)


def command(port: int, db_path: Path | None) -> list[str]:
    """The java command line: shared database, in memory or under db_path."""
    home = paths.dynamodb_local_dir()
    jar = home / "DynamoDBLocal.jar"
    java = shutil.which("java")
    if java is None:
        raise DynamoDBLocalMissing("Java 17 is not installed: run `make run` (it installs it).")
    if not jar.exists():
        raise DynamoDBLocalMissing(f"{jar} is missing: run `make run` (it unpacks DynamoDB Local).")
    cmd = [
        java,
        "-Xms64m",
        "-Xmx1g",
        f"-Djava.library.path={home / 'DynamoDBLocal_lib'}",
        "-jar",
        str(jar),
        "-sharedDb",
        "-port",
        str(port),
    ]
    if db_path is None:
        cmd.append("-inMemory")
    else:
        db_path.mkdir(parents=True, exist_ok=True)
        cmd += ["-dbPath", str(db_path)]
    return cmd


def start(port: int, db_path: Path | None, log_path: Path | None = None) -> DynamoDBLocal:
    """Start DynamoDB Local and wait until it accepts connections."""
    out = open(log_path, "ab") if log_path else subprocess.DEVNULL  # noqa: SIM115
    # DynamoDB Local writes a metadata file into its working directory: keep it out of the repo.
    workdir = db_path or Path(tempfile.mkdtemp(prefix="dynamodb-local-"))
    process = subprocess.Popen(
        command(port, db_path),
        cwd=workdir,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, so stop_group reaches every child
    )
    db = DynamoDBLocal(process, port)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"DynamoDB Local exited with code {process.returncode}")
        if port_open(port):
            return db
        time.sleep(0.1)
    db.stop()
    raise RuntimeError(f"DynamoDB Local did not answer on port {port} within 60 s")


def port_open(port: int, host: str = LOCAL_HOST) -> bool:
    """True when something accepts TCP connections on host:port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.2)
        return sock.connect_ex((host, port)) == 0


def free_port() -> int:
    """An unused TCP port on the loopback interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOCAL_HOST, 0))
        return int(sock.getsockname()[1])
