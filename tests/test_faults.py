"""Fault tests: throttling retried (R7), DynamoDB Local killed under load (R2)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from botocore.awsrequest import AWSResponse

from chalicelib import storage

from .support import stack as stack_mod

THROTTLED = json.dumps(
    {"__type": "com.amazonaws.dynamodb.v20120810#ThrottlingException", "message": "slow down"}
).encode()


class _Body:
    """Just enough of a raw HTTP body for botocore to parse an injected response."""

    def __init__(self, content: bytes) -> None:
        self.content = content

    def stream(self, **_: Any) -> Any:
        yield self.content

    def read(self, *_: Any) -> bytes:
        return self.content


def inject_throttling(times: int) -> list[str]:
    """Answer the next `times` DynamoDB requests with ThrottlingException; record every call."""
    seen: list[str] = []
    remaining = [times]

    def before_send(request: Any, **_: Any) -> AWSResponse | None:
        seen.append(request.headers.get("X-Amz-Target", b"").decode())
        if remaining[0] > 0:
            remaining[0] -= 1
            return AWSResponse(
                request.url, 400, {"x-amzn-ErrorType": "ThrottlingException"}, _Body(THROTTLED)
            )
        return None

    storage.client().meta.events.register("before-send.dynamodb", before_send)
    return seen


@pytest.fixture
def throttled_client(dynamodb: str) -> Any:
    """A fresh client per test, so injected handlers never outlive the test."""
    storage.reset_client()
    yield
    storage.reset_client()


def test_transient_throttling_is_retried(api: Any, throttled_client: None) -> None:
    seen = inject_throttling(storage.MAX_ATTEMPTS - 1)
    response = api.get("/health")
    assert response.status_code == 200
    assert len(seen) == storage.MAX_ATTEMPTS  # two throttled attempts, then the real one


def test_persistent_throttling_surfaces_as_503_after_retries(
    api: Any, throttled_client: None
) -> None:
    seen = inject_throttling(100)
    response = api.get("/health")
    assert response.status_code == 503
    assert json.loads(response.body)["error"] == "unavailable"
    assert len(seen) == storage.MAX_ATTEMPTS


def test_dead_database_bound_is_under_five_seconds() -> None:
    """The client settings themselves bound how long a request waits for a dead database."""
    assert storage.WORST_CASE_DEAD_DB_S < 5
    config = storage.CLIENT_CONFIG
    assert config.connect_timeout == storage.CONNECT_TIMEOUT_S
    assert config.retries == {"mode": "standard", "total_max_attempts": storage.MAX_ATTEMPTS}


def _java_pids(marker: str) -> list[int]:
    pids = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if "DynamoDBLocal.jar" in cmdline and marker in cmdline:
                pids.append(int(proc.name))
    return pids


@pytest.mark.slow
def test_database_killed_under_load(tmp_path: Path) -> None:
    """R2: 503 (never 500, never a hang) while the database is dead; nothing acknowledged lost."""
    running = stack_mod.start(tmp_path, "--no-demo", persistent=True)
    restarted = None
    try:
        export = tmp_path / "sis"
        portal = str(Path(sys.executable).parent / "portal")
        env = {
            **os.environ,
            "DYNAMODB_ENDPOINT_URL": f"http://127.0.0.1:{running.db_port}",
            "PORTAL_TABLE_PREFIX": "portal-",
        }
        subprocess.run(
            [portal, "sis", "generate", str(export), "--students", "120", "--seed", "5"],
            check=True,
            env=env,
            capture_output=True,
        )
        first_seen = (datetime.now(tz=UTC) - timedelta(hours=48)).isoformat()
        subprocess.run(
            [portal, "sis", "import", str(export), "--entered-at", first_seen],
            check=True,
            env=env,
            capture_output=True,
        )
        students = _students(export)
        acknowledged: list[tuple[str, float]] = []
        outcomes: list[int] = []
        stop = threading.Event()

        def work(chunk: list[tuple[str, str, str]]) -> None:
            for sid, given, family in chunk:
                if stop.is_set():
                    return
                status = _claim(running.api, sid, given, family)
                outcomes.append(status)
                if status == 200:
                    acknowledged.append((sid, time.monotonic()))

        threads = [threading.Thread(target=work, args=(students[i::4],)) for i in range(4)]
        for thread in threads:
            thread.start()
        time.sleep(3)
        killed_at = time.monotonic()
        for pid in _java_pids(str(running.data_dir)):
            os.kill(pid, signal.SIGKILL)
        time.sleep(4)
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        health = requests.get(f"{running.api}/health", timeout=10)
        assert health.status_code == 503 and health.json()["error"] == "unavailable"
        assert 500 not in outcomes and all(s in (200, 503) for s in outcomes), outcomes
        assert 503 in outcomes and acknowledged
        from portal import dynamodb_local

        restarted = dynamodb_local.start(running.db_port, running.data_dir / "dynamodb")
        deadline = time.monotonic() + 30
        while requests.get(f"{running.api}/health", timeout=10).status_code != 200:
            assert time.monotonic() < deadline
            time.sleep(0.5)
        # DynamoDB Local itself writes to its SQLite file lazily: a write it acknowledged in the
        # instant before a SIGKILL can be lost by the emulator (AWS DynamoDB acknowledges only
        # durable writes). Every write acknowledged before that instant must be there.
        settled = [sid for sid, at in acknowledged if at < killed_at - 1.0]
        assert settled
        for sid in settled:
            again = requests.post(
                f"{running.api}/login",
                timeout=10,
                json={"username": f"S{sid}", "password": PASSWORD},
            )
            assert again.status_code == 200, (sid, again.text)
    finally:
        running.stop()
        if restarted is not None:
            restarted.stop()


PASSWORD = "Fault-tolerant-pass-7"
ANSWERS = [
    {"question_id": 1, "answer": "June"},
    {"question_id": 7, "answer": "peach"},
    {"question_id": 8, "answer": "spring"},
]


def _students(export: Path) -> list[tuple[str, str, str]]:
    import csv

    with (export / "users.csv").open(newline="", encoding="utf-8") as handle:
        return [
            (r["identifier"], r["givenName"], r["familyName"])
            for r in csv.DictReader(handle)
            if r["role"] == "student"
        ]


def _claim(api: str, sid: str, given: str, family: str) -> int:
    """Claim through HTTP; the status of the last step reached (200 only when complete)."""
    try:
        start = requests.post(
            f"{api}/claim/start",
            timeout=15,
            json={"last_name": family, "first_name": given, "student_id": sid},
        )
        if start.status_code != 200:
            return start.status_code
        token = start.json()["claim_token"]
        password = requests.post(
            f"{api}/claim/password",
            timeout=15,
            json={"claim_token": token, "password": PASSWORD, "password_confirm": PASSWORD},
        )
        if password.status_code != 200:
            return password.status_code
        done = requests.post(
            f"{api}/claim/answers", timeout=15, json={"claim_token": token, "answers": ANSWERS}
        )
        return done.status_code
    except requests.Timeout:
        return -1  # a hang: fails the test's status check
