"""The staff pages in tests: staff sessions through the real API, TOTP codes, a second demo
district for the tests that use up what the demo has (the fixture `own_stack`), and the staff
page opened in Chromium (the fixture `staff_page`). A test module imports staff_page_fixture
and own_stack_fixture to use them."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml

from chalicelib.languages import LANGUAGES

from . import ROOT, mfa
from . import stack as stack_mod
from .stack import Stack, demo_accounts

# The demo's staff accounts, by role (portal/demo: "demo." and the role without underscores).
STAFF = {
    role: f"demo.{role.replace('_', '')}"
    for role in ("teacher", "technician", "school_admin", "district_admin")
}
# What the administrators' second step needs again in this test session, by stack and username
# (each stack enrols its own): the TOTP secret, the unused recovery codes and the last 30-second
# step used (a code works once).
# Open sessions by stack and username: a login per test would replay TOTP codes within 30 s.
_sessions: dict[tuple[str, str], dict[str, Any]] = {}


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


def _second_step(stack: Stack, username: str, body: dict[str, Any]) -> Any:
    """The MFA step of a login: enrolment the first time, then a recovery code while some are
    left (no wait), else a fresh TOTP code. Secrets, spent steps and recovery codes are kept by
    tests/support/mfa.py, shared with every other test that logs the same account in."""
    token = body["mfa_token"]
    if not body.get("enrolled"):
        setup = _post(stack, "/login/mfa/enroll", {"mfa_token": token}).json()
        mfa.remember(stack.api, username, setup["secret"])
        code = mfa.next_code(stack.api, username)
        done = _post(stack, "/login/mfa/confirm", {"mfa_token": token, "code": code})
        if done.status_code == 200:
            mfa.recovery_codes[(stack.api, username.lower())] = list(done.json()["recovery_codes"])
        return done
    codes = mfa.recovery_codes.get((stack.api, username.lower())) or []
    code = codes.pop() if codes else mfa.next_code(stack.api, username)
    return _post(stack, "/login/mfa", {"mfa_token": token, "code": code})


def remember_mfa(stack: Stack, username: str, secret: str, codes: list[str]) -> None:
    """A second step set up outside these helpers (through the page): used by later logins."""
    mfa.remember(stack.api, username, secret)
    mfa.used_now(stack.api, username)  # the page just spent this step's code
    mfa.recovery_codes[(stack.api, username.lower())] = list(codes)
    _sessions.pop((stack.api, username), None)


def staff_login(stack: Stack, role: str) -> dict[str, Any]:
    """A demo staff member's login body through the API, with the MFA step when it asks one;
    the session opened earlier in this test session while it still works."""
    username = STAFF[role]
    kept = _sessions.get((stack.api, username))
    if kept is not None:
        headers = {"Authorization": f"Bearer {kept['session_token']}"}
        if requests.get(f"{stack.api}/me", headers=headers, timeout=30).status_code == 200:
            return kept
    password = demo_accounts(stack)[username][1]
    opened = _post(stack, "/login", {"username": username, "password": password})
    assert opened.status_code == 200, opened.text
    body: dict[str, Any] = opened.json()
    if body.get("mfa_required"):
        done = _second_step(stack, username, body)
        assert done.status_code == 200, done.text
        body = dict(done.json())
    _sessions[stack.api, username] = body
    return body


def staff_token(stack: Stack, role: str) -> str:
    """A demo staff member's session token."""
    return str(staff_login(stack, role)["session_token"])


def _labels(lang: str) -> dict[str, str]:
    data = yaml.safe_load((ROOT / "site/messages" / f"{lang}.yml").read_text(encoding="utf-8"))
    texts = [data["errors"], data["labels"], data["staff"]["errors"], data["staff"]["labels"]]
    return {key: text for section in texts for key, text in section.items()}


LABELS = {lang: _labels(lang) for lang in LANGUAGES}
PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 900}
NARROW = {"width": 320, "height": 640}  # the smallest phones still in use
MARCIA = {"last_name": "Student", "first_name": "Marcia", "student_id": "0234561"}


def t(lang: str, key: str, **params: str) -> str:
    """A label of the staff page in a language, with its placeholders filled."""
    text = LABELS[lang][key]
    for name, value in params.items():
        text = text.replace("{" + name + "}", value)
    return text


def staff_url(stack: Stack, lang: str) -> str:
    """The staff page's address in a language."""
    return f"{stack.site}/{'' if lang == 'en' else lang + '/'}staff/"


Opener = Callable[..., Any]


@pytest.fixture(name="own_stack", scope="session")
def own_stack_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """A second `portal run` demo district: its guardians without a key get letters and its
    student accounts go through the new-year reset without touching the shared stack."""
    running = stack_mod.start(Path(tmp_path_factory.mktemp("own-stack")))
    yield running
    running.stop()


@pytest.fixture(name="staff_page")
def staff_page_fixture(browser: Any, stack: Stack) -> Iterator[Opener]:
    """open(lang, size, role=None, on=None): a staff page of the stack `on` (the shared one by
    default), logged in as the role's demo account if given."""
    contexts: list[Any] = []
    errors: list[str] = []

    def open_page(
        lang: str, size: dict[str, int], role: str | None = None, on: Stack | None = None
    ) -> Any:
        target = on or stack
        context = browser.new_context(locale="en-US", viewport=size, accept_downloads=True)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.set_default_timeout(15_000)
        # window.print() is counted, not run: page.pdf() prints instead.
        page.add_init_script("window.printed = 0; window.print = () => { window.printed += 1; };")
        page.goto(staff_url(target, lang))
        if role is not None:
            body = staff_login(target, role)
            page.evaluate(
                """(body) => sessionStorage.setItem('portal.session', JSON.stringify(
                    {token: body.session_token, role: body.role, must_change_password: false}))""",
                body,
            )
            page.reload()
            page.locator(".portal-tabs").wait_for()
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert errors == [], errors


def tab_names(page: Any) -> list[str]:
    """The sections the home offers (their data-view)."""
    return list(
        page.locator(".portal-tabs button").evaluate_all("(b) => b.map(x => x.dataset.view)")
    )


def open_section(page: Any, lang: str, name: str) -> None:
    """Click a section's button and wait for its heading."""
    page.locator(f'.portal-tabs button[data-view="{name}"]').click()
    page.locator(".portal-view > h2", has_text=t(lang, f"tab_{name}")).wait_for()
