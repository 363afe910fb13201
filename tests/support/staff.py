"""The staff pages in tests: staff sessions through the real API, TOTP codes, answers for the
staff routes this branch's API does not have yet (Playwright's page.route, with the bodies of
the staff API the three branches build against), and the staff page opened in Chromium (the
fixture `staff_page`: a test module imports staff_page_fixture to use it)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import struct
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests
import yaml

from chalicelib.languages import LANGUAGES

from . import ROOT
from .stack import Stack, demo_accounts

# The demo's staff accounts, by role (portal/demo: "demo." and the role without underscores).
STAFF = {
    role: f"demo.{role.replace('_', '')}"
    for role in ("teacher", "technician", "school_admin", "district_admin")
}
# What the administrators' second step needs again in this test session, by username: the TOTP
# secret, the unused recovery codes and the last 30-second step used (a code works once).
_mfa: dict[str, dict[str, Any]] = {}
# Open sessions by username: a login per test would replay TOTP codes within 30 seconds.
_sessions: dict[str, dict[str, Any]] = {}


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
    """The MFA step of a login: enrolment the first time, then a fresh code or a recovery code."""
    token = body["mfa_token"]
    if not body.get("enrolled"):
        setup = _post(stack, "/login/mfa/enroll", {"mfa_token": token}).json()
        step = int(time.time() // 30)
        done = _post(
            stack, "/login/mfa/confirm", {"mfa_token": token, "code": totp(setup["secret"])}
        )
        if done.status_code == 200:
            codes = list(done.json()["recovery_codes"])
            _mfa[username] = {"secret": setup["secret"], "codes": codes, "step": step}
        return done
    known = _mfa[username]
    step = int(time.time() // 30)
    if step != known["step"]:
        known["step"] = step
        code = totp(known["secret"])
    else:
        code = known["codes"].pop()
    return _post(stack, "/login/mfa", {"mfa_token": token, "code": code})


def remember_mfa(username: str, secret: str, codes: list[str]) -> None:
    """A second step set up outside these helpers (through the page): used by later logins."""
    _mfa[username] = {"secret": secret, "codes": list(codes), "step": int(time.time() // 30)}
    _sessions.pop(username, None)


def staff_login(stack: Stack, role: str) -> dict[str, Any]:
    """A demo staff member's login body through the API, with the MFA step when it asks one;
    the session opened earlier in this test session while it still works."""
    username = STAFF[role]
    kept = _sessions.get(username)
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
    _sessions[username] = body
    return body


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


AXE = ROOT / "node_modules/axe-core/axe.min.js"


def _labels(lang: str) -> dict[str, str]:
    data = yaml.safe_load((ROOT / "site/messages" / f"{lang}.yml").read_text(encoding="utf-8"))
    texts = [data["errors"], data["labels"], data["staff"]["errors"], data["staff"]["labels"]]
    return {key: text for section in texts for key, text in section.items()}


LABELS = {lang: _labels(lang) for lang in LANGUAGES}
PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 900}
NARROW = {"width": 320, "height": 640}  # the smallest phones still in use
MARCIA = {"last_name": "Student", "first_name": "Marcia", "student_id": "0234561"}
TINY_QR = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4">'
    '<path d="M0 0h2v2H0zM2 2h2v2H2z"/></svg>'
)


def t(lang: str, key: str, **params: str) -> str:
    """A label of the staff page in a language, with its placeholders filled."""
    text = LABELS[lang][key]
    for name, value in params.items():
        text = text.replace("{" + name + "}", value)
    return text


def staff_url(stack: Stack, lang: str) -> str:
    """The staff page's address in a language."""
    return f"{stack.site}/{'' if lang == 'en' else lang + '/'}staff/"


def axe_violations(page: Any) -> list[str]:
    """axe-core's violations on the page as it is now."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))  # through DevTools: the CSP allows it
    found = page.evaluate(
        """async () => {
            await Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)));
            return (await axe.run(document)).violations.map(
                v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '));
        }"""
    )
    return list(found)


def search_answers(page: Any, stack: Stack) -> None:
    """The routes the staff-ops branch adds, answered as its API will."""
    students = [{**MARCIA, "display_name": "Marcia A. Student", "grade": "03", "claimed": True}]
    answer(page, stack, "GET", "/staff/students", {"students": students})
    answer(page, stack, "GET", "/staff/audit", {"entries": []})


Opener = Callable[..., Any]


@pytest.fixture(name="staff_page")
def staff_page_fixture(browser: Any, stack: Stack) -> Iterator[Opener]:
    """open(lang, size, role=None): a staff page, logged in as the role's demo account if given."""
    contexts: list[Any] = []
    errors: list[str] = []

    def open_page(lang: str, size: dict[str, int], role: str | None = None) -> Any:
        context = browser.new_context(locale="en-US", viewport=size, accept_downloads=True)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.set_default_timeout(15_000)
        # window.print() is counted, not run: page.pdf() prints instead.
        page.add_init_script("window.printed = 0; window.print = () => { window.printed += 1; };")
        search_answers(page, stack)
        page.goto(staff_url(stack, lang))
        if role is not None:
            body = staff_login(stack, role)
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
