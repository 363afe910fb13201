"""Staff logins over HTTP against a running stack, through the MFA step of admins.

The stack runs on the real clock and accepts each TOTP code once, so the TOTP secret of each
(API, username) is remembered here for the whole test session: the first login enrolls, later
ones take the next unused time step (waiting for it when the allowed steps are used up).
Tests that enroll an account some other way (the staff pages) hand its secret to remember().
"""

from __future__ import annotations

import time
from typing import Any

import pyotp
import requests

STEP_S = 30
_secrets: dict[tuple[str, str], str] = {}
_last_step: dict[tuple[str, str], int] = {}
recovery_codes: dict[tuple[str, str], list[str]] = {}


def remember(api: str, username: str, secret: str) -> None:
    """Record the TOTP secret an account enrolled with (shown by the enroll step)."""
    _secrets[(api, username.lower())] = secret


def used_now(api: str, username: str) -> None:
    """Note that a code of the current step was spent elsewhere (typed into a page)."""
    _last_step[(api, username.lower())] = int(time.time()) // STEP_S


def secret_of(api: str, username: str) -> str:
    """The remembered TOTP secret of an enrolled account."""
    return _secrets[(api, username.lower())]


def next_code(api: str, username: str) -> str:
    """A TOTP code of a time step this account has not used yet (waits when it must)."""
    key = (api, username.lower())
    current = int(time.time()) // STEP_S
    step = max(current, _last_step.get(key, -1) + 1)
    if step > current + 1:  # the server allows one step of drift ahead, no more
        time.sleep((step - 1) * STEP_S - time.time() + 0.5)
    _last_step[key] = step
    return str(pyotp.TOTP(_secrets[key]).at(step * STEP_S))


def login(api: str, username: str, password: str, http: Any = requests) -> dict[str, Any]:
    """POST /login and, for a school or district admin, the MFA step; the login body."""
    answer = _ok(_post(http, f"{api}/login", {"username": username, "password": password}))
    if not answer.get("mfa_required"):
        return answer
    token = answer["mfa_token"]
    if answer["enrolled"]:
        code = next_code(api, username)
        return _ok(_post(http, f"{api}/login/mfa", {"mfa_token": token, "code": code}))
    enrolled = _ok(_post(http, f"{api}/login/mfa/enroll", {"mfa_token": token}))
    remember(api, username, enrolled["secret"])
    code = next_code(api, username)
    done = _ok(_post(http, f"{api}/login/mfa/confirm", {"mfa_token": token, "code": code}))
    recovery_codes[(api, username.lower())] = done.pop("recovery_codes")
    return done


def _post(http: Any, url: str, payload: dict[str, str]) -> Any:
    return http.post(url, json=payload, timeout=30)


def _ok(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body
