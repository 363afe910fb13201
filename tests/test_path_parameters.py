"""Every route with a path parameter answers 4xx to an empty or malformed one (issue 15, L2).

DynamoDB refuses an empty key, and an unchecked one became a 500. Each route is called by a
student, a parent and staff of every role, with each hostile value in each parameter.
"""

from __future__ import annotations

import re
from typing import Any

import requests

from chalicelib.staff import ROLES

from .support import mfa
from .support.factories import (
    PASSWORD,
    add_student,
    claim,
    login,
    staff_session,
)
from .support.stack import Stack, demo_accounts

HOSTILE = ["", " ", "%00", "..", "%2F", "x" * 2000, "%F0%9F%98%80", "{}", "a%0Ab", "' OR 1=1"]
PARAMETER = re.compile(r"\{[a-z_]+\}")


def routes(app: Any) -> list[tuple[str, str]]:
    """(method, path template) of every route that has a path parameter."""
    return sorted(
        (method, path)
        for path, entries in app.routes.items()
        if PARAMETER.search(path)
        for method in entries
    )


def callers(api: Any) -> dict[str, str]:
    """A session of each kind of caller: a student and staff of every role."""
    username = claim(api, add_student())
    tokens = {"student": login(api, username, PASSWORD)["session_token"]}
    for role in ("teacher", "technician", "school_admin", "district_admin"):
        tokens[role] = staff_session(api, role)
    return tokens


def test_no_path_parameter_gets_a_5xx(api: Any, chalice_app: Any) -> None:
    tokens = callers(api)
    failures = []
    for method, template in routes(chalice_app):
        for value in HOSTILE:
            path = PARAMETER.sub(value, template)
            for who, token in [("nobody", None), *tokens.items()]:
                headers = {"Authorization": f"Bearer {token}"} if token else {}
                if method in ("POST", "PUT"):
                    headers["Content-Type"] = "application/json"
                answer = api.request(method, path, headers=headers, body=b"{}")
                if answer.status_code >= 500:
                    failures.append(f"{who} {method} {path[:60]!r}: {answer.status_code}")
    assert failures == []


def test_no_path_parameter_gets_a_5xx_over_http(stack: Stack, chalice_app: Any) -> None:
    """The same through `portal run`'s HTTP server, where "//" reaches the route (the reported
    POST /staff/reset-tickets//resolve), as the demo district's people."""
    accounts = demo_accounts(stack)
    people = ["S0123456", "MinnieC", *(f"demo.{r.replace('_', '')}" for r in ROLES)]
    tokens = {who: mfa.login(stack.api, who, accounts[who][1])["session_token"] for who in people}
    failures = []
    for method, template in routes(chalice_app):
        for value in HOSTILE:
            url = stack.api + PARAMETER.sub(value, template)
            for who, token in [("nobody", None), *tokens.items()]:
                headers = {"Authorization": f"Bearer {token}"} if token else {}
                answer = requests.request(method, url, headers=headers, json={}, timeout=30)
                if answer.status_code >= 500:
                    failures.append(f"{who} {method} {url[len(stack.api) :][:60]!r}: {answer.text}")
    assert failures == []
