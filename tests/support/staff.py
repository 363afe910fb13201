"""The staff pages in tests: staff sessions through the real API, TOTP codes, and answers for
the staff routes this branch's API does not have yet (Playwright's page.route, with the bodies
of the staff API the three branches build against)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import struct
import time
from collections.abc import Callable
from typing import Any

import requests

from .stack import Stack, demo_accounts

# The demo's staff accounts, by role (portal/demo: "demo." and the role without underscores).
STAFF = {
    role: f"demo.{role.replace('_', '')}"
    for role in ("teacher", "technician", "school_admin", "district_admin")
}
# TOTP secrets of staff enrolled through the API in this test session (username → secret).
_secrets: dict[str, str] = {}


def totp(secret: str, at: float | None = None) -> str:
    """The RFC 6238 code (SHA-1, 6 digits, 30 s) of a base32 secret."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = struct.pack(">Q", int((time.time() if at is None else at) // 30))
    digest = hmac.new(key, counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def _post(stack: Stack, path: str, body: dict[str, Any], token: str | None = None) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.post(f"{stack.api}{path}", json=body, headers=headers, timeout=30)


def staff_login(stack: Stack, role: str) -> dict[str, Any]:
    """A demo staff member's login body through the API, with the MFA step when it asks one."""
    username = STAFF[role]
    password = demo_accounts(stack)[username][1]
    opened = _post(stack, "/login", {"username": username, "password": password})
    assert opened.status_code == 200, opened.text
    body: dict[str, Any] = opened.json()
    if not body.get("mfa_required"):
        return body
    token = body["mfa_token"]
    if not body.get("enrolled"):
        setup = _post(stack, "/login/mfa/enroll", {"mfa_token": token}).json()
        _secrets[username] = setup["secret"]
        done = _post(
            stack, "/login/mfa/confirm", {"mfa_token": token, "code": totp(setup["secret"])}
        )
    else:
        done = _post(stack, "/login/mfa", {"mfa_token": token, "code": totp(_secrets[username])})
    assert done.status_code == 200, done.text
    return dict(done.json())


def staff_token(stack: Stack, role: str) -> str:
    """A demo staff member's session token."""
    return str(staff_login(stack, role)["session_token"])


def answer(
    page: Any,
    stack: Stack,
    method: str,
    path: str,
    reply: Callable[[Any], tuple[int, Any]] | Any,
    content_type: str = "application/json",
) -> list[Any]:
    """Answer method + path (any query) on the API with reply: a body, or a function of the
    request giving (status, body). Returns the requests answered, in order."""
    seen: list[Any] = []
    pattern = re.compile(re.escape(stack.api + path) + r"(\?.*)?$")

    def handle(route: Any) -> None:
        request = route.request
        if request.method != method:
            route.fallback()
            return
        seen.append(request)
        status, body = reply(request) if callable(reply) else (200, reply)
        text = body if isinstance(body, str) else json.dumps(body)
        headers = {"Access-Control-Allow-Origin": "*"}
        route.fulfill(status=status, body=text, content_type=content_type, headers=headers)

    page.route(pattern, handle)
    return seen
