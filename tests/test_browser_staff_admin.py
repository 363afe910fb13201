"""The administrators' staff sections in Debian Chromium against `portal run` (demo district).

Activation letters print one page per guardian in the guardian's language with a valid key
(page.pdf + pdftotext); MFA enrolment with the real API, then a recovery code that works once;
the audit trail's filters and CSV; staff accounts and the typed new-year confirmation; axe-core
finds nothing. Routes this branch's API does not have yet are answered with page.route.
"""

from __future__ import annotations

import secrets
import subprocess
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml

from .support.stack import Stack, demo_accounts
from .support.staff import (
    PHONE,
    ROOT,
    STAFF,
    TINY_QR,
    WIDE,
    Opener,
    answer,
    axe_violations,
    open_section,
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


def test_activation_letters_one_page_per_guardian_in_their_language(
    staff_page: Opener, stack: Stack, tmp_path: Path
) -> None:
    # Real keys for two guardians of another school (the district admin may issue them).
    district = staff_token(stack, "district_admin")
    guardians = [
        ("gdn-donald-clayton", "Donald Clayton", "fr", ["Daffy Clayton"]),
        ("gdn-lan-tran", "Lan Thị Trần", "vi", ["Daffy Clayton"]),
    ]
    letters = []
    for guardian_id, name, language, students in guardians:
        issued = requests.post(
            f"{stack.api}/staff/activation-keys",
            json={"guardian_id": guardian_id},
            headers={"Authorization": f"Bearer {district}"},
            timeout=30,
        )
        assert issued.status_code == 201, issued.text
        letters.append(
            {
                "guardian_id": guardian_id,
                "name": name,
                "language": language,
                "activation_key": issued.json()["activation_key"],
                "activation_url": f"{stack.site}/{language}/parents/activate/",
                "district_id": "JPRQQH",
                "qr_svg": TINY_QR,
                "students": students,
            }
        )

    lang = "en"
    page = staff_page(lang, PHONE, "district_admin")
    asked = answer(
        page, stack, "POST", "/staff/activation-letters", lambda _: (201, {"letters": letters})
    )
    open_section(page, lang, "letters")
    page.get_by_label(t(lang, "letters_scope")).select_option("class")
    page.get_by_label(t(lang, "letters_id")).fill("cls-hr-05-1")
    page.get_by_role("button", name=t(lang, "letters_prepare")).click()
    page.locator(".portal-letter").nth(1).wait_for()
    assert asked[0].post_data_json == {"scope": "class", "id": "cls-hr-05-1"}
    assert page.evaluate("() => window.printed") == 1
    assert axe_violations(page) == []

    printed = pdf_pages(page, tmp_path)
    assert len(printed) == 2, printed
    for text, letter in zip(printed, letters, strict=True):
        flat = " ".join(text.split())
        assert letter["name"] in flat
        assert letter["activation_key"] in flat
        letter_texts = yaml.safe_load(
            (ROOT / "site/messages" / f"{letter['language']}.yml").read_text(encoding="utf-8")
        )["staff"]["letter"]
        assert " ".join(letter_texts["steps_title"].split()) in flat  # the guardian's language
        assert "JPRQQH" in flat
        check = requests.post(
            f"{stack.api}/activation/check",
            json={"activation_key": letter["activation_key"]},
            timeout=30,
        )
        assert check.status_code == 200, check.text  # a valid key
    stored = page.evaluate("() => JSON.stringify(sessionStorage) + JSON.stringify(localStorage)")
    assert all(letter["activation_key"] not in stored for letter in letters)


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
    remember_mfa(username, secret, recovery[4:])  # the helpers' later logins
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
    entry = {
        "at": "2026-12-07T12:00:00+00:00",
        "staff": STAFF["technician"],
        "role": "technician",
        "school": "mcgarrah-es",
        "action": "ticket_resolve",
        "target": "0234561",
        "result": "ok",
        "ip": "127.0.0.1",
    }
    lang = "en"
    page = staff_page(lang, WIDE, "district_admin")
    asked = answer(page, stack, "GET", "/staff/audit", {"entries": [entry]})
    csv_text = "at,staff,role,school,action,target,result,ip\n" + ",".join(entry.values()) + "\n"
    csv = answer(page, stack, "GET", "/staff/audit.csv", csv_text, content_type="text/csv")
    open_section(page, lang, "audit")
    page.locator("tr", has_text="ticket_resolve").wait_for()
    page.get_by_label(t(lang, "audit_staff")).fill(STAFF["technician"])
    page.get_by_label(t(lang, "audit_school")).fill("mcgarrah-es")
    page.get_by_label(t(lang, "audit_from")).fill("2026-12-01")
    page.get_by_role("button", name=t(lang, "audit_show")).click()
    page.locator("tr", has_text="ticket_resolve").wait_for()
    assert axe_violations(page) == []
    with page.expect_download() as started:
        page.get_by_role("button", name=t(lang, "audit_csv")).click()
    saved = tmp_path / "audit.csv"
    started.value.save_as(saved)
    assert saved.read_text() == csv_text
    filters = f"staff={STAFF['technician']}&school=mcgarrah-es&from=2026-12-01"
    assert asked[-1].url.endswith(f"/staff/audit?{filters}")
    assert csv[-1].url.endswith(f"/staff/audit.csv?{filters}")
    assert csv[-1].headers["authorization"].startswith("Bearer ")


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

    # The reset of every student account, only once the word is typed. Answered here: the
    # real reset would unclaim the accounts the other browser tests of this stack use.
    resets = answer(
        page, stack, "POST", "/staff/students/reset-all", {"status": "reset", "generation": 2}
    )
    open_section(page, lang, "new_year")
    confirm = page.get_by_label(t(lang, "new_year_confirm", word=t(lang, "new_year_word")))
    confirm.fill("reset")
    page.get_by_role("button", name=t(lang, "new_year_button")).click()
    page.locator(
        ".portal-alert--error", has_text=t(lang, "new_year_mismatch", word=t(lang, "new_year_word"))
    ).wait_for()
    assert resets == []
    confirm.fill("REINITIALISER")  # RÉINITIALISER as a US keyboard types it
    page.get_by_role("button", name=t(lang, "new_year_button")).click()
    page.locator(".portal-alert--ok", has_text=t(lang, "new_year_done")).wait_for()
    assert len(resets) == 1
    assert axe_violations(page) == []
