"""The staff pages (staff/) in Debian Chromium against `portal run` (demo district).

The demo's teacher, technician, school admin and district admin in four languages at 1280, 390
and 320 px: each home shows only the role's sections; a ticket filed by the teacher and resolved
by the technician lets the student claim again; a disabled parent is reactivated and logs in; a
temporary password is shown once and must be changed; a parent without an account gets a letter
from the search; axe-core finds nothing; the pages are noindex and in no sitemap, search index
or navigation. The administrators' sections are in test_browser_staff_admin.py. Every route is
the real API's: a letter uses up a guardian's chance of one, so that test runs in a demo
district of its own (own_stack).
"""

from __future__ import annotations

import re
import secrets
import time

import pytest
import requests
import yaml

from chalicelib.languages import LANGUAGES

from .support.axe import axe_violations
from .support.stack import Stack, demo_accounts
from .support.staff import (
    LABELS,
    MARCIA,
    NARROW,
    PHONE,
    ROOT,
    STAFF,
    WIDE,
    Opener,
    open_section,
    own_stack_fixture,  # noqa: F401 - the fixture own_stack
    staff_page_fixture,  # noqa: F401 - the fixture staff_page
    staff_token,
    staff_url,
    t,
    tab_names,
)

pytestmark = pytest.mark.browser

# What each role's home offers, in order.
HOME = {
    "teacher": ["file_ticket"],
    "technician": ["file_ticket", "tickets"],
    "school_admin": ["file_ticket", "tickets", "parents", "letters", "audit"],
    "district_admin": ["parents", "letters", "audit", "accounts", "new_year"],
}

# Each size in another language: the longest words on the smallest screen.
HOME_SCREENS = [
    pytest.param("en", WIDE, id="en-1280"),
    pytest.param("es", PHONE, id="es-390"),
    pytest.param("vi", PHONE, id="vi-390"),
    pytest.param("fr", NARROW, id="fr-320"),
]


@pytest.mark.parametrize(("lang", "size"), HOME_SCREENS)
@pytest.mark.parametrize("role", list(HOME))
def test_home_shows_only_the_roles_sections(
    staff_page: Opener, role: str, lang: str, size: dict[str, int]
) -> None:
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
        wide = page.evaluate("() => document.documentElement.scrollWidth")
        assert wide <= size["width"], (role, name, "the page scrolls sideways")


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


def log_in(stack: Stack, username: str, password: str) -> requests.Response:
    """POST /login, waiting out the 429s that follow failed logins (a few seconds at most)."""
    for _ in range(5):
        answered = requests.post(
            f"{stack.api}/login", json={"username": username, "password": password}, timeout=30
        )
        if answered.status_code != 429:
            return answered
        time.sleep(float(answered.json().get("retry_after", 1)))
    return answered


def rafael_account(stack: Stack) -> tuple[str, str]:
    """Rafael Peña (Spanish, McGarrah) with an account, disabled after 5 wrong passwords; his
    username and password. His key comes from the school admin's real route."""
    admin = staff_token(stack, "school_admin")
    headers = {"Authorization": f"Bearer {admin}"}
    issued = requests.post(
        f"{stack.api}/staff/activation-keys",
        json={"guardian_id": "gdn-rafael-pena"},
        headers=headers,
        timeout=30,
    )
    assert issued.status_code == 201, issued.text
    username = f"Rafael{secrets.randbelow(10**6)}"
    password = f"Mango-{secrets.token_hex(4)}-river"
    created = requests.post(
        f"{stack.api}/activation/account",
        json={
            "activation_key": issued.json()["activation_key"],
            "username": username,
            "password": password,
            "password_confirm": password,
        },
        timeout=30,
    )
    assert created.status_code == 201, created.text
    for _ in range(5):
        wrong = {"username": username, "password": "not-his-password-1"}
        requests.post(f"{stack.api}/login", json=wrong, timeout=30)
    right = log_in(stack, username, password)
    assert right.status_code == 423, right.text  # account_disabled
    return username, password


def test_reactivate_then_temporary_password(staff_page: Opener, stack: Stack) -> None:
    username, password = rafael_account(stack)
    lang = "fr"  # its longest state on a phone
    page = staff_page(lang, PHONE, "school_admin")
    open_section(page, lang, "parents")
    page.get_by_label(t(lang, "find_parent")).fill("Peña")
    page.get_by_role("button", name=t(lang, "find")).click()
    row = page.locator("tr", has_text=username)
    row.locator(".portal-status", has_text=t(lang, "parent_state_disabled")).wait_for()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    assert axe_violations(page) == []
    row.get_by_role("button", name=t(lang, "reactivate")).click()
    page.locator(
        ".portal-alert", has_text=t(lang, "parent_reactivated", name="Rafael Peña Ortiz")
    ).wait_for()
    row.locator(".portal-status", has_text=t(lang, "parent_state_active")).wait_for()

    again = log_in(stack, username, password)
    assert again.status_code == 200, again.text  # he logs in again

    # The temporary password is shown once; with it the parent must choose a new one.
    row.get_by_role("button", name=t(lang, "set_temporary_password")).click()
    shown = page.locator(".portal-shown-once .portal-secret-value")
    temporary = shown.inner_text()
    pending = t(lang, "parent_state_temporary_password")
    row.locator(".portal-status", has_text=pending).wait_for()
    assert len(temporary) >= 12
    assert axe_violations(page) == []
    opened = log_in(stack, username, temporary)
    assert opened.status_code == 200, opened.text
    assert opened.json()["must_change_password"] is True
    # Shown once: another search draws the results without it, and the tab keeps no copy.
    page.get_by_role("button", name=t(lang, "find")).click()
    shown.wait_for(state="detached")
    stored = page.evaluate("() => JSON.stringify(sessionStorage) + JSON.stringify(localStorage)")
    assert temporary not in stored


@pytest.mark.parametrize("lang", LANGUAGES)
def test_staff_pages_are_noindex_and_in_no_sitemap_or_search_index(stack: Stack, lang: str) -> None:
    prefix = "" if lang == "en" else f"{lang}/"
    html = requests.get(staff_url(stack, lang), timeout=30).text
    assert re.search(r'<meta name="robots" content="noindex[^"]*">', html)
    assert 'data-form="staff"' in html
    sitemap = requests.get(f"{stack.site}/{prefix}sitemap.xml", timeout=30).text
    assert "<loc>" in sitemap and "/staff/" not in sitemap
    index = requests.get(f"{stack.site}/{prefix}search/search_index.json", timeout=30).json()
    assert index["docs"] and not [d for d in index["docs"] if d["location"].startswith("staff/")]
    home = requests.get(f"{stack.site}/{prefix}", timeout=30).text
    assert "staff/" not in home  # not in the navigation


def test_a_parent_without_an_account_gets_a_letter_from_the_search(
    staff_page: Opener, own_stack: Stack
) -> None:
    """Rafael Peña has neither an account nor a key in a fresh demo district: the search offers
    his letter, in Spanish, with a key that works."""
    lang = "vi"
    page = staff_page(lang, WIDE, "school_admin", on=own_stack)
    open_section(page, lang, "parents")
    page.get_by_label(t(lang, "find_parent")).fill("Peña")
    page.get_by_role("button", name=t(lang, "find")).click()
    row = page.locator("tr", has_text="Rafael Peña Ortiz")
    row.locator(".portal-status", has_text=t(lang, "parent_state_never_activated")).wait_for()
    assert row.get_by_role("button", name=t(lang, "reactivate")).count() == 0
    letters = "/staff/activation-letters"
    with page.expect_response(
        lambda r: r.url.endswith(letters) and r.request.method == "POST"
    ) as issued:
        row.get_by_role("button", name=t(lang, "letters_for_parent")).click()
    assert issued.value.status == 201
    assert issued.value.request.post_data_json == {"scope": "guardian", "id": "gdn-rafael-pena"}
    letter = issued.value.json()["letters"][0]
    assert (letter["name"], letter["language"]) == ("Rafael Peña Ortiz", "es")
    shown = page.locator('.portal-letter[lang="es"]')
    shown.wait_for()
    spanish = yaml.safe_load((ROOT / "site/messages/es.yml").read_text(encoding="utf-8"))
    assert spanish["staff"]["letter"]["steps_title"] in shown.inner_text()
    assert letter["activation_key"] in shown.inner_text()
    check = requests.post(
        f"{own_stack.api}/activation/check",
        json={"activation_key": letter["activation_key"]},
        timeout=30,
    )
    assert check.status_code == 200, check.text
    assert page.evaluate("() => window.printed") == 1
    assert axe_violations(page) == []


def test_a_district_admin_names_the_school_to_search(staff_page: Opener) -> None:
    """A district admin belongs to no school: the parent search asks which one."""
    lang = "en"
    page = staff_page(lang, PHONE, "district_admin")
    open_section(page, lang, "parents")
    page.get_by_label(t(lang, "staff_school")).fill("babb-ms")
    page.get_by_label(t(lang, "find_parent")).fill("Tran")
    page.get_by_role("button", name=t(lang, "find")).click()
    page.locator("tr", has_text="Lan Trần").wait_for()
    assert axe_violations(page) == []


def test_a_family_session_is_not_a_staff_session(staff_page: Opener, stack: Stack) -> None:
    password = demo_accounts(stack)["MinnieC"][1]
    opened = requests.post(
        f"{stack.api}/login", json={"username": "MinnieC", "password": password}, timeout=30
    )
    assert opened.status_code == 200, opened.text
    lang = "es"
    page = staff_page(lang, PHONE)
    page.evaluate(
        """(token) => sessionStorage.setItem('portal.session', JSON.stringify(
            {token, role: 'parent', must_change_password: false}))""",
        opened.json()["session_token"],
    )
    page.reload()
    page.locator(".portal-error", has_text=t(lang, "forbidden")).wait_for()
    assert page.locator(".portal-tabs").count() == 0
    page.get_by_role("button", name=t(lang, "log_off")).click()
    page.get_by_label(t(lang, "username"), exact=True).wait_for()  # the staff login again
    assert axe_violations(page) == []
