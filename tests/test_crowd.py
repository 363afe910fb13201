"""`portal run` under a crowd, and what its API writes to the log (issue 15: L5 and the crowd).

A school's computer lab logs in at the same moment: 100 clients connecting at once must all get
an answer (no reset, no refused connection), and the local API logs what the deployed one logs:
one JSON line per request with the route template, never a path parameter or a query string.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
import requests

from .support import stack as stack_mod

CLIENTS = 100
SECRET_QUERY = "token=never-in-a-log"
STUDENT = "0123456"  # a path parameter that must not reach the log


def crowd(api: str) -> list[str]:
    """100 logins and claims started together; the transport errors they met."""
    barrier = threading.Barrier(CLIENTS)
    errors: list[str] = []

    def one(number: int) -> None:
        barrier.wait()
        try:
            if number % 2:
                body = {"username": f"S99{number:05d}", "password": "wrong password"}
                answer = requests.post(f"{api}/login", json=body, timeout=120)
            else:
                body = {"first_name": "Nobody", "last_name": f"N{number}", "student_id": "9999999"}
                answer = requests.post(f"{api}/claim/start", json=body, timeout=120)
            assert answer.status_code < 500, answer.text
        except requests.exceptions.RequestException as error:
            errors.append(f"{number}: {error}")

    threads = [threading.Thread(target=one, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.slow
def test_a_crowd_gets_answers_and_the_log_keeps_no_path_or_query(tmp_path: Path) -> None:
    stack = stack_mod.start(tmp_path)
    try:
        assert crowd(stack.api) == []
        requests.get(f"{stack.api}/students/{STUDENT}/schedule?{SECRET_QUERY}", timeout=30)
        requests.get(f"{stack.api}/health?{SECRET_QUERY}", timeout=30)
    finally:
        stack.stop()
    lines = (stack.data_dir / "api.log").read_text(encoding="utf-8").splitlines()
    assert not [line for line in lines if SECRET_QUERY in line or STUDENT in line]
    requests_logged = [line for line in lines if '"route"' in line]
    routes = {json.loads(line[line.index("{") :])["route"] for line in requests_logged}
    assert {"/login", "/claim/start", "/students/{student_id}/schedule"} <= routes
