"""R5: schemathesis fuzzes the running API (`portal run`) from functions/openapi.yaml.

Every operation gets the examples, coverage (boundary and negative cases) and fuzzing phases,
in positive and negative modes, with a fixed seed and a bounded budget. Each response must not
be a 5xx and must conform to the document: a listed status, the status's body schema, its
content type and required headers.

Authenticated operations run as demo accounts of the stack: portal reads as the parent
MinnieC, the caller's own account as the student S0123456 (Greg), staff operations as the
school admin (who may not run the district-wide reset, so it is refused, never done). Logout
logs in afresh for every call; a password change gets a session of its own (a wrong current
password never changes anything, and the fuzzer cannot know the right one).
"""

from __future__ import annotations

import re
import threading
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from .support import mfa
from .support.stack import demo_accounts

SPEC = Path(__file__).resolve().parents[1] / "functions" / "openapi.yaml"
# Examples per operation in the fuzzing phase; the examples and coverage phases add their own
# cases. Sized so the whole module stays under 4 minutes on 2 cores.
MAX_EXAMPLES = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    content_type_conformance,
    response_headers_conformance,
]
CONFIG = {
    "seed": 20260701,
    "request-timeout": 15,
    "suppress-health-check": ["all"],
    "generation": {
        "mode": "all",
        "max-examples": MAX_EXAMPLES,
        "deterministic": True,
        "database": "none",
        "no-shrink": True,
    },
    "phases": {
        "examples": {"enabled": True},
        "coverage": {"enabled": True, "unexpected-methods": []},
        "fuzzing": {"enabled": True},
        "stateful": {"enabled": False},
    },
}


@dataclass
class Target:
    """The running API and the sessions the fuzzer calls it with."""

    api: str
    passwords: dict[str, str]
    tokens: dict[str, str] = field(default_factory=dict)
    http: requests.Session = field(default_factory=requests.Session)
    lock: threading.Lock = field(default_factory=threading.Lock)
    statuses: dict[str, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))
    # Path parameters sent, by operation: (name, value, status) of every call.
    path_values: dict[str, list[tuple[str, str, int]]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def login(self, username: str) -> str:
        answer = mfa.login(self.api, username, self.passwords[username], self.http)
        return str(answer["session_token"])


def caller(path: str, method: str) -> str | None:
    """Which demo account calls an operation (None: the operation needs no session)."""
    if path.startswith("/staff/"):
        return "demo.schooladmin"
    if path == "/logout":
        return "fresh"
    if path == "/me/password":
        return "own"
    if path in ("/me", "/me/access-log"):
        return "S0123456"
    if path.startswith(("/students", "/household", "/notices")):
        return "MinnieC"
    return None


_TARGET: list[Target] = []


@pytest.fixture(scope="module")
def target(stack: Any) -> Target:
    accounts = demo_accounts(stack)
    wanted = ("S0123456", "MinnieC", "demo.schooladmin")
    found = Target(stack.api, {name: accounts[name][1] for name in wanted})
    for name in wanted:
        found.tokens[name] = found.login(name)
    found.tokens["own"] = found.login("S0123456")
    _TARGET.append(found)
    return found


# Loaded at import (the stack's address is only known at run time, so every call names it):
# schemathesis' lazy `from_fixture` loader does not work with pytest 9 (it sets Item._nodeid).
schema = schemathesis.openapi.from_path(SPEC, config=schemathesis.Config.from_dict(CONFIG))


@pytest.mark.slow
@schema.parametrize()
def test_api_conforms_to_its_description(case: Any, target: Target) -> None:
    who = caller(case.operation.path, case.method)
    headers = {}
    if who is not None:
        token = target.login("S0123456") if who == "fresh" else target.tokens[who]
        headers["Authorization"] = f"Bearer {token}"
    response = case.call(base_url=target.api, headers=headers, session=target.http)
    label = f"{case.method.upper()} {case.operation.path}"
    with target.lock:
        target.statuses[label][response.status_code] += 1
        for name, value in (case.path_parameters or {}).items():
            target.path_values[label].append((name, str(value), response.status_code))
    case.validate_response(response, checks=CHECKS, headers=headers)


@pytest.mark.slow
def test_every_operation_was_fuzzed() -> None:
    """Runs after the fuzzing above: every operation got calls and refusals, none a 5xx."""
    if not _TARGET or not _TARGET[0].statuses:
        pytest.skip("run the whole module: nothing was fuzzed in this session")
    statuses = _TARGET[0].statuses
    operations = {f"{op.method.upper()} {op.path}": op for op in _operations()}
    assert set(statuses) == set(operations)
    for label, counts in statuses.items():
        operation = operations[label]
        takes_input = operation.body or any(
            p.location in ("path", "query") for p in operation.iter_parameters()
        )
        assert sum(counts.values()) >= (10 if takes_input else 2), (label, counts)
        assert any(400 <= s < 500 for s in counts), (label, counts)
    every = Counter[int]()
    for counts in statuses.values():
        every.update(counts)
    assert every[200] > 0 and every[400] > 0 and every[401] > 0 and every[404] > 0, every
    assert not any(s >= 500 for s in every), every


@pytest.mark.slow
def test_path_parameters_were_fuzzed_with_values_their_schema_refuses() -> None:
    """Issue 15, L2: every path parameter got values its pattern or format refuses (empty ones
    are tested in tests/test_path_parameters.py), each answered 4xx and never 5xx."""
    if not _TARGET or not _TARGET[0].statuses:
        pytest.skip("run the whole module: nothing was fuzzed in this session")
    sent = _TARGET[0].path_values
    with_path = {
        f"{op.method.upper()} {op.path}": op
        for op in _operations()
        if any(p.location == "path" for p in op.iter_parameters())
    }
    assert with_path, "the description has operations with path parameters"
    for label, operation in with_path.items():
        for parameter in (p for p in operation.iter_parameters() if p.location == "path"):
            schema_of = parameter.definition.get("schema", {})
            calls = [(v, status) for n, v, status in sent[label] if n == parameter.name]
            refused = [(v, s) for v, s in calls if not _fits(v, schema_of)]
            assert refused, (label, parameter.name, calls[:10])
            assert all(400 <= s < 500 for _, s in refused), (label, parameter.name, refused)


def _fits(value: str, schema_of: dict[str, Any]) -> bool:
    """Whether a path value matches its parameter's pattern, length and format."""
    if "pattern" in schema_of and not re.search(schema_of["pattern"], value):
        return False
    if not schema_of.get("minLength", 0) <= len(value) <= schema_of.get("maxLength", len(value)):
        return False
    if schema_of.get("format") == "uuid":
        try:
            uuid.UUID(value)
        except ValueError:
            return False
    return True


def _operations() -> list[Any]:
    return [result.ok() for result in schema.get_all_operations()]
