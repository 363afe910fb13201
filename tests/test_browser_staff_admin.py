"""The administrators' staff sections in Debian Chromium against `portal run` (demo district).

Activation letters print one page per guardian in the guardian's language with a valid key
(page.pdf + pdftotext); MFA enrolment with the real API, then a recovery code that works once;
the audit trail's filters and CSV; staff accounts and the typed new-year confirmation; axe-core
finds nothing. Every route is the real API's; the letters and the new-year reset use up what the
demo has, so they run in a demo district of their own (own_stack).
"""

from __future__ import annotations

import secrets
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml

from .support.axe import axe_violations
from .support.stack import Stack, demo_accounts
from .support.staff import (
    NARROW,
    PHONE,
    ROOT,
    STAFF,
    WIDE,
    Opener,
    open_section,
    own_stack_fixture,  # noqa: F401 - the fixture own_stack
    remember_mfa,
    staff_login,
    staff_page_fixture,  # noqa: F401 - the fixture staff_page
    staff_token,
    t,
    tab_names,
    totp,
)

pytestmark = pytest.mark.browser

HOME_SCHOOL_ADMIN = ["file_ticket", "tickets", "parents", "letters", "audit"]


def pdf_pages(page: Any, tmp_path: Path) -> list[str]:
    """The page printed to PDF, read back with pdftotext, one text per printed page."""
    pdf = tmp_path / "letters.pdf"
    page.emulate_media(media="print")
    pdf.write_bytes(page.pdf(format="Letter"))
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True
    )
    text = out.stdout.decode("utf-8").replace("\u202f", " ").replace("\xa0", " ")
    return [chunk for chunk in text.split("\f") if chunk.strip()]


def posted(page: Any, path: str) -> Any:
    """Wait for the answer to the page's POST to path (not its CORS preflight)."""
    return page.expect_response(lambda r: r.url.endswith(path) and r.request.method == "POST")


def test_activation_letters_one_page_per_guardian_in_their_language(
    staff_page: Opener, own_stack: Stack, tmp_path: Path
) -> None:
    """Daffy's Language Arts class: Lan Trần, who has neither an account nor a key, gets a
    letter in Vietnamese; Donald Clayton, whose key the demo printed, gets none."""
    lang = "en"
    page = staff_page(lang, PHONE, "district_admin", on=own_stack)
    open_section(page, lang, "letters")
    page.get_by_label(t(lang, "letters_scope")).select_option("class")
    page.get_by_label(t(lang, "letters_id")).fill("cls-la-07-9")
    with posted(page, "/staff/activation-letters") as issued:
        page.get_by_role("button", name=t(lang, "letters_prepare")).click()
    assert issued.value.status == 201
    assert issued.value.request.post_data_json == {"scope": "class", "id": "cls-la-07-9"}
    letters = issued.value.json()["letters"]
    assert [(x["name"], x["language"]) for x in letters] == [("Lan Trần", "vi")]
    page.locator(".portal-letter").nth(len(letters) - 1).wait_for()
    assert page.evaluate("() => window.printed") == 1
    assert axe_violations(page) == []

    printed = pdf_pages(page, tmp_path)
    assert len(printed) == len(letters), printed
    for text, letter in zip(printed, letters, strict=True):
        flat = " ".join(text.split())
        assert letter["name"] in flat
        assert letter["activation_key"] in flat
        letter_texts = yaml.safe_load(
            (ROOT / "site/messages" / f"{letter['language']}.yml").read_text(encoding="utf-8")
        )["staff"]["letter"]
        assert " ".join(letter_texts["steps_title"].split()) in flat  # the guardian's language
        assert letter["district_id"] in flat
        check = requests.post(
            f"{own_stack.api}/activation/check",
            json={"activation_key": letter["activation_key"]},
            timeout=30,
        )
        assert check.status_code == 200, check.text  # a valid key
    stored = page.evaluate("() => JSON.stringify(sessionStorage) + JSON.stringify(localStorage)")
    assert all(letter["activation_key"] not in stored for letter in letters)


@pytest.mark.parametrize(
    ("scope", "target", "message"),
    [
        ("guardian", "gdn-donald-clayton", "guardian_not_in_school"),  # of Babb Middle
        ("guardian", "gdn-nobody-at-all", "guardian_not_in_school"),
        ("class", "cls-la-07-9", "class_not_in_school"),  # of Babb Middle
        ("class", "cls-no-such-class", "class_not_in_school"),
    ],
)
def test_a_target_outside_the_school_is_named_not_forbidden(
    staff_page: Opener, stack: Stack, scope: str, target: str, message: str
) -> None:
    """The API's one 403 for a target of another school or none: the page says that no
    guardian or class of the school has this ID, the same for both, on the field."""
    lang = "es"
    page = staff_page(lang, NARROW, "school_admin")
    open_section(page, lang, "letters")
    page.get_by_label(t(lang, "letters_scope")).select_option(scope)
    page.get_by_label(t(lang, "letters_id")).fill(target)
    with posted(page, "/staff/activation-letters") as refused:
        page.get_by_role("button", name=t(lang, "letters_prepare")).click()
    assert refused.value.status == 403
    assert refused.value.json()["error"] == "forbidden"
    page.locator(".portal-alert--error", has_text=t(lang, message)).wait_for()
    assert t(lang, "forbidden") not in page.locator("#staff-app").inner_text()
    assert page.get_by_label(t(lang, "letters_id")).get_attribute("aria-invalid") == "true"
    assert page.evaluate("() => document.documentElement.scrollWidth") <= NARROW["width"]
    assert axe_violations(page) == []


def test_mfa_enrol_then_code_then_recovery_code_once(staff_page: Opener, stack: Stack) -> None:
    """The real second step: the district admin resets the school admin's MFA, who enrols
    with the QR code's key, then logs in with a recovery code, which works once."""
    username = STAFF["school_admin"]
    district = {"Authorization": f"Bearer {staff_token(stack, 'district_admin')}"}
    reset = requests.post(
        f"{stack.api}/staff/accounts/{username}/mfa-reset", headers=district, timeout=30
    )
    assert reset.status_code == 200, reset.text
    lang = "vi"
    page = staff_page(lang, PHONE)
    password = demo_accounts(stack)[username][1]

    def password_step() -> None:
        page.get_by_label(t(lang, "username"), exact=True).fill(username)
        page.get_by_role("button", name=t(lang, "go")).click()
        page.get_by_label(t(lang, "password"), exact=True).fill(password)
        page.get_by_role("button", name=t(lang, "go")).click()

    def log_off() -> None:
        page.get_by_role("button", name=t(lang, "log_off")).click()
        page.get_by_label(t(lang, "username"), exact=True).wait_for()

    password_step()
    page.locator("img.portal-qr").wait_for()
    secret = page.locator(".portal-secret code").inner_text()
    assert axe_violations(page) == []
    page.get_by_label(t(lang, "mfa_code"), exact=True).fill(totp(secret))
    page.get_by_role("button", name=t(lang, "go")).click()
    codes = page.locator(".portal-recovery-codes li")
    codes.nth(9).wait_for()
    recovery = codes.all_inner_texts()
    assert len(set(recovery)) == 10
    assert axe_violations(page) == []
    page.get_by_role("button", name=t(lang, "recovery_done")).click()
    page.locator(".portal-tabs").wait_for()
    assert tab_names(page) == HOME_SCHOOL_ADMIN
    remember_mfa(stack, username, secret, recovery[4:])  # the helpers' later logins
    log_off()

    # A wrong code is refused; a recovery code works once.
    for attempt, works in (("000000", False), (recovery[0], True), (recovery[0], False)):
        password_step()
        page.get_by_label(t(lang, "mfa_code"), exact=True).fill(attempt)
        page.get_by_role("button", name=t(lang, "go")).click()
        if works:
            page.locator(".portal-tabs").wait_for()
            log_off()
        else:
            page.locator(".portal-alert--error", has_text=t(lang, "mfa_failed")).wait_for()
            assert axe_violations(page) == []
            page.reload()


def test_audit_trail_filters_and_csv(staff_page: Opener, stack: Stack, tmp_path: Path) -> None:
    # The technician resolves a ticket that does not exist: refused, and written to the trail.
    unknown = f"no-such-ticket-{secrets.token_hex(4)}"
    technician = {"Authorization": f"Bearer {staff_token(stack, 'technician')}"}
    refused = requests.post(
        f"{stack.api}/staff/reset-tickets/{unknown}/resolve", headers=technician, timeout=30
    )
    assert refused.status_code == 403, refused.text
    lang = "en"
    page = staff_page(lang, WIDE, "district_admin")
    open_section(page, lang, "audit")
    page.locator("tr", has_text=unknown).wait_for()  # the last 7 days by default
    today = datetime.now(UTC).date().isoformat()
    page.get_by_label(t(lang, "audit_staff")).fill(STAFF["technician"])
    page.get_by_label(t(lang, "audit_school")).fill("mcgarrah-es")
    page.get_by_label(t(lang, "audit_from")).fill(today)
    shown = "/staff/audit?"
    with page.expect_response(lambda r: shown in r.url and r.request.method == "GET") as asked:
        page.get_by_role("button", name=t(lang, "audit_show")).click()
    page.locator(".portal-audit-filters[aria-busy]").wait_for(state="detached")
    row = page.locator("tr", has_text=unknown)
    assert "ticket_resolve" in row.inner_text() and "not_found" in row.inner_text()
    assert axe_violations(page) == []
    filters = f"staff={STAFF['technician']}&school=mcgarrah-es&from={today}"
    assert asked.value.url.endswith(f"/staff/audit?{filters}")
    assert [e["target"] for e in asked.value.json()["entries"]].count(unknown) == 1
    with (
        page.expect_request(lambda r: "/staff/audit.csv" in r.url and r.method == "GET") as csv,
        page.expect_download() as started,
    ):
        page.get_by_role("button", name=t(lang, "audit_csv")).click()
    saved = tmp_path / "audit.csv"
    started.value.save_as(saved)
    assert csv.value.url.endswith(f"/staff/audit.csv?{filters}")
    assert csv.value.headers["authorization"].startswith("Bearer ")
    district = {"Authorization": f"Bearer {staff_token(stack, 'district_admin')}"}
    same = requests.get(f"{stack.api}/staff/audit.csv?{filters}", headers=district, timeout=30)
    assert saved.read_bytes() == same.content
    lines = saved.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "at,staff,role,school,action,target,result,ip"
    assert any(f",ticket_resolve,{unknown},not_found," in line for line in lines[1:])


def test_staff_accounts_and_the_typed_new_year_confirmation(
    staff_page: Opener, stack: Stack
) -> None:
    staff_login(stack, "school_admin")  # enrolled in MFA, so its MFA can be reset
    newcomer = f"ms.rivera{secrets.randbelow(10**6)}"
    lang = "fr"
    page = staff_page(lang, PHONE, "district_admin")
    open_section(page, lang, "accounts")
    admin = page.locator("tr", has_text=STAFF["school_admin"])
    admin.wait_for()
    assert axe_violations(page) == []

    # Added with a role and a school: its temporary password is shown once and works.
    page.get_by_label(t(lang, "username"), exact=True).fill(newcomer)
    page.get_by_label(t(lang, "staff_role")).select_option("teacher")
    page.get_by_label(t(lang, "staff_school")).fill("mcgarrah-es")
    page.get_by_role("button", name=t(lang, "account_add")).click()
    temporary = page.locator(".portal-shown-once .portal-secret-value").inner_text()
    opened = requests.post(
        f"{stack.api}/login", json={"username": newcomer, "password": temporary}, timeout=30
    )
    assert opened.status_code == 200 and opened.json()["must_change_password"], opened.text
    row = page.locator("tr", has_text=newcomer)
    assert t(lang, "role_teacher") in row.inner_text()
    assert axe_violations(page) == []

    # Disabled: its session ends at once.
    row.get_by_role("button", name=t(lang, "account_disable")).click()
    row.locator(".portal-status", has_text=t(lang, "account_state_disabled")).wait_for()
    headers = {"Authorization": f"Bearer {opened.json()['session_token']}"}
    assert requests.get(f"{stack.api}/me", headers=headers, timeout=30).status_code == 401

    # The school admin's MFA reset: enrolment again at the next login.
    admin.get_by_role("button", name=t(lang, "mfa_reset")).click()
    admin.get_by_text(t(lang, "mfa_not_enrolled")).wait_for()
    password = demo_accounts(stack)[STAFF["school_admin"]][1]
    again = requests.post(
        f"{stack.api}/login",
        json={"username": STAFF["school_admin"], "password": password},
        timeout=30,
    )
    assert again.json()["enrolled"] is False, again.text
    assert axe_violations(page) == []


def test_the_new_year_reset_only_once_the_word_is_typed(
    staff_page: Opener, own_stack: Stack
) -> None:
    """The real reset, in a demo district of its own: it unclaims every student account, which
    the shared stack's other tests rely on."""
    greg = {"last_name": "Student", "first_name": "Greg", "student_id": "0123456"}
    start = f"{own_stack.api}/claim/start"
    assert requests.post(start, json=greg, timeout=30).status_code == 409  # claimed by the demo
    lang = "fr"
    page = staff_page(lang, PHONE, "district_admin", on=own_stack)
    open_section(page, lang, "new_year")
    word = t(lang, "new_year_word")
    confirm = page.get_by_label(t(lang, "new_year_confirm", word=word))
    confirm.fill("reset")
    page.get_by_role("button", name=t(lang, "new_year_button")).click()
    page.locator(
        ".portal-alert--error", has_text=t(lang, "new_year_mismatch", word=word)
    ).wait_for()
    assert requests.post(start, json=greg, timeout=30).status_code == 409  # nothing was reset
    confirm.fill("REINITIALISER")  # RÉINITIALISER as a US keyboard types it
    with posted(page, "/staff/students/reset-all") as reset:
        page.get_by_role("button", name=t(lang, "new_year_button")).click()
    assert reset.value.status == 200
    page.locator(".portal-alert--ok", has_text=t(lang, "new_year_done")).wait_for()
    assert requests.post(start, json=greg, timeout=30).status_code == 200  # Greg claims again
    assert axe_violations(page) == []
