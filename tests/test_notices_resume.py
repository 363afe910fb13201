"""QUALITY R3: `portal notices send` killed at ~50 % and run again (real processes, real SMTP).

SIGTERM: the run finishes the message in flight, exits 0, and the re-run sends the rest, so
every address gets the notice exactly once. SIGKILL: `status` shows the message that was in
flight as in doubt; the re-run resolves it, every address gets the notice, and at most that one
message arrives twice, with the same Message-ID.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest

from portal import dynamodb_local, mailserver
from portal.notices import audience, definition
from portal.notices.status import status

from .support import ROOT
from .support.notices import generate_district, notice_file, private_tables, read_mail

PREFIX = "ntcr3-"
RATE = "40"  # messages per second: ~10 s for the district, so a signal lands mid-run


@pytest.fixture(scope="module")
def district(dynamodb: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """~400 recipients in private tables."""
    with private_tables(PREFIX):
        yield generate_district(tmp_path_factory.mktemp("r3") / "export", 440, seed=21)


def portal_send(file: Path, port: int, *extra: str) -> subprocess.Popen[str]:
    env = {**os.environ, "DYNAMODB_ENDPOINT_URL": os.environ["DYNAMODB_ENDPOINT_URL"],
           "PORTAL_TABLE_PREFIX": PREFIX, "PORTAL_SMTP_PORT": str(port)}  # fmt: skip
    command = [str(Path(sys.executable).parent / "portal"), "notices", "send", str(file), *extra]
    return subprocess.Popen(command, cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)  # fmt: skip


def signal_at_half(process: subprocess.Popen[str], mail: Path, total: int, sig: int) -> int:
    deadline = time.monotonic() + 120
    while len(mailserver.messages(mail)) < total // 2:
        assert process.poll() is None, process.communicate()[0]
        assert time.monotonic() < deadline, "the send did not get half way"
        time.sleep(0.02)
    process.send_signal(sig)
    process.wait(timeout=60)
    return len(mailserver.messages(mail))


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_killed_at_half_and_run_again(district: Path, tmp_path: Path, sig: int) -> None:
    notice_id = f"r3-{sig.name.lower()}"
    file = notice_file(tmp_path, id=notice_id)
    everyone = {(r.address, r.lang) for r in audience.resolve(definition.load(file)).recipients}
    assert len(everyone) > 350
    port = dynamodb_local.free_port()
    server = mailserver.start(port, tmp_path / "mail")
    try:
        first = portal_send(file, port, "--rate", RATE)
        delivered = signal_at_half(first, tmp_path / "mail", len(everyone), sig)
        output = first.stdout.read() if first.stdout else ""
        counts, _ = status(notice_id)
        assert len(everyone) // 2 <= delivered < len(everyone)
        if sig == signal.SIGTERM:
            assert first.returncode == 0, output
            assert "Stopped on request" in output
            assert counts.total("in_doubt") == 0 and counts.total("sent") == delivered
        else:
            assert first.returncode == -signal.SIGKILL
            assert counts.total("in_doubt") == 1  # the one message in flight
            assert counts.total("sent") in (delivered - 1, delivered)
        again = portal_send(file, port)
        output = again.communicate(timeout=120)[0]
        assert again.returncode == 0, output
    finally:
        server.stop()
    mail = [m for m in read_mail(tmp_path / "mail") if m["X-Portal-Notice"] == notice_id]
    got = Counter((m["To"], m["Content-Language"]) for m in mail)
    assert set(got) == everyone  # every address got it, in its language
    ids_per_recipient = defaultdict(set)
    for message in mail:
        ids_per_recipient[(message["To"], message["Content-Language"])].add(message["Message-ID"])
    assert all(len(ids) == 1 for ids in ids_per_recipient.values())  # a repeat has the same id
    duplicates = sum(got.values()) - len(got)
    assert duplicates == 0 if sig == signal.SIGTERM else duplicates <= 1
    final, _ = status(notice_id)
    assert final.total("in_doubt") == 0 and final.total("sent") == len(everyone)
