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

import re
import secrets
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml

from chalicelib.languages import LANGUAGES

from .support.stack import Stack, demo_accounts
from .support.staff import STAFF, answer, staff_login, staff_token, totp

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / "node_modules/axe-core/axe.min.js"


def _labels(lang: str) -> dict[str, str]:
    data = yaml.safe_load((ROOT / "site/messages" / f"{lang}.yml").read_text(encoding="utf-8"))
    texts = [data["errors"], data["labels"], data["staff"]["errors"], data["staff"]["labels"]]
    return {key: text for section in texts for key, text in section.items()}


LABELS = {lang: _labels(lang) for lang in LANGUAGES}
PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 900}
NARROW = {"width": 320, "height": 640}  # the smallest phones still in use
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
        """async () => {
            await Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)));
            return (await axe.run(document)).violations.map(
                v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '));
        }"""
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


def rafael_account(stack: Stack) -> str:
    """Rafael Peña (Spanish, McGarrah) with an account, disabled after 5 wrong passwords; his
    username. His key comes from the school admin's real route."""
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
    right = requests.post(
        f"{stack.api}/login", json={"username": username, "password": password}, timeout=30
    )
    assert right.status_code == 423, right.text  # account_disabled
    return username


def test_reactivate_then_temporary_password(staff_page: Opener, stack: Stack) -> None:
    username = rafael_account(stack)
    state = {"value": "disabled"}

    def parents(_: Any) -> tuple[int, Any]:
        found = {
            "guardian_id": "gdn-rafael-pena",
            "name": "Rafael Peña Ortiz",
            "username": username,
            "language": "es",
            "state": state["value"],
            "students": ["Greg Student", "Marcia A. Student"],
        }
        return 200, {"parents": [found]}

    lang = "fr"  # its longest state on a phone
    page = staff_page(lang, PHONE, "school_admin")
    answer(page, stack, "GET", "/staff/parents", parents)
    open_section(page, lang, "parents")
    page.get_by_label(t(lang, "find_parent")).fill("Peña")
    page.get_by_role("button", name=t(lang, "find")).click()
    row = page.locator("tr", has_text=username)
    row.locator(".portal-status", has_text=t(lang, "parent_state_disabled")).wait_for()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    assert axe_violations(page) == []
    state["value"] = "active"
    row.get_by_role("button", name=t(lang, "reactivate")).click()
    page.locator(
        ".portal-alert", has_text=t(lang, "parent_reactivated", name="Rafael Peña Ortiz")
    ).wait_for()
    row.locator(".portal-status", has_text=t(lang, "parent_state_active")).wait_for()

    # The temporary password is shown once; with it the parent must choose a new one.
    state["value"] = "temporary_password"
    row.get_by_role("button", name=t(lang, "set_temporary_password")).click()
    shown = page.locator(".portal-shown-once .portal-secret-value")
    temporary = shown.inner_text()
    assert len(temporary) >= 12
    assert axe_violations(page) == []
    opened = requests.post(
        f"{stack.api}/login", json={"username": username, "password": temporary}, timeout=30
    )
    assert opened.status_code == 200, opened.text
    assert opened.json()["must_change_password"] is True
    # Shown once: another search draws the results without it, and the tab keeps no copy.
    page.get_by_role("button", name=t(lang, "find")).click()
    shown.wait_for(state="detached")
    stored = page.evaluate("() => JSON.stringify(sessionStorage) + JSON.stringify(localStorage)")
    assert temporary not in stored


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
    secret = "JBSWY3DPEHPK3PXP"
    recovery = [f"rc{n:02d}-{secrets.token_hex(3)}" for n in range(10)]
    used: set[str] = set()
    enrolled = {"value": False}
    body = staff_login(stack, "school_admin")  # the session the MFA step hands over

    def log_in(request: Any) -> tuple[int, Any]:
        if request.post_data_json["password"] != demo_accounts(stack)[STAFF["school_admin"]][1]:
            return 401, {"error": "authentication_failed"}
        return 200, {"mfa_required": True, "mfa_token": "m-token", "enrolled": enrolled["value"]}

    def confirm(request: Any) -> tuple[int, Any]:
        if request.post_data_json["code"] != totp(secret):
            return 401, {"error": "mfa_failed"}
        enrolled["value"] = True
        return 200, {**body, "recovery_codes": recovery}

    def code(request: Any) -> tuple[int, Any]:
        given = request.post_data_json["code"]
        if given == totp(secret) or (given in recovery and given not in used):
            used.add(given)
            return 200, body
        return 401, {"error": "mfa_failed"}

    lang = "vi"
    page = staff_page(lang, PHONE)
    answer(page, stack, "POST", "/login", log_in)
    answer(
        page,
        stack,
        "POST",
        "/login/mfa/enroll",
        {"secret": secret, "otpauth_uri": "otpauth://totp/x", "qr_svg": TINY_QR},
    )
    answer(page, stack, "POST", "/login/mfa/confirm", confirm)
    answer(page, stack, "POST", "/login/mfa", code)
    password = demo_accounts(stack)[STAFF["school_admin"]][1]

    def password_step() -> None:
        page.get_by_label(t(lang, "username"), exact=True).fill(STAFF["school_admin"])
        page.get_by_role("button", name=t(lang, "go")).click()
        page.get_by_label(t(lang, "password"), exact=True).fill(password)
        page.get_by_role("button", name=t(lang, "go")).click()

    password_step()
    page.locator("img.portal-qr").wait_for()
    assert secret in page.locator(".portal-secret").inner_text()
    assert axe_violations(page) == []
    page.get_by_label(t(lang, "mfa_code"), exact=True).fill(totp(secret))
    page.get_by_role("button", name=t(lang, "go")).click()
    codes = page.locator(".portal-recovery-codes li")
    codes.nth(9).wait_for()
    assert codes.all_inner_texts() == recovery
    assert axe_violations(page) == []
    page.get_by_role("button", name=t(lang, "recovery_done")).click()
    page.locator(".portal-tabs").wait_for()
    assert tab_names(page) == HOME["school_admin"]

    # Next login: a wrong code is refused, a recovery code works once.
    page.evaluate("() => sessionStorage.clear()")
    for attempt, works in (("000000", False), (recovery[3], True), (recovery[3], False)):
        page.reload()
        password_step()
        page.get_by_label(t(lang, "mfa_code"), exact=True).fill(attempt)
        page.get_by_role("button", name=t(lang, "go")).click()
        if works:
            page.locator(".portal-tabs").wait_for()
            page.evaluate("() => sessionStorage.clear()")
        else:
            page.locator(".portal-alert--error", has_text=t(lang, "mfa_failed")).wait_for()
            assert axe_violations(page) == []
    assert recovery[3] in used


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
    accounts = [
        {
            "username": "ms.rivera",
            "role": "teacher",
            "school": "mcgarrah-es",
            "disabled": False,
            "mfa_enrolled": False,
        },
        {
            "username": "mr.okafor",
            "role": "school_admin",
            "school": "mcgarrah-es",
            "disabled": False,
            "mfa_enrolled": True,
        },
    ]
    lang = "fr"
    page = staff_page(lang, PHONE, "district_admin")
    answer(page, stack, "GET", "/staff/accounts", {"accounts": accounts})
    added = answer(
        page,
        stack,
        "POST",
        "/staff/accounts",
        lambda r: (
            201,
            {"username": r.post_data_json["username"], "temporary_password": "Tmp4XyZ9abcdEFGH"},
        ),
    )
    disabled = answer(page, stack, "POST", "/staff/accounts/ms.rivera/disable", {})
    reset = answer(page, stack, "POST", "/staff/accounts/mr.okafor/mfa-reset", {})
    open_section(page, lang, "accounts")
    page.locator("tr", has_text="mr.okafor").wait_for()
    assert axe_violations(page) == []
    page.locator("tr", has_text="ms.rivera").get_by_role(
        "button", name=t(lang, "account_disable")
    ).click()
    page.locator("tr", has_text="mr.okafor").get_by_role(
        "button", name=t(lang, "mfa_reset")
    ).click()
    page.get_by_label(t(lang, "username"), exact=True).fill("mme.nguyen")
    page.get_by_label(t(lang, "staff_role")).select_option("technician")
    page.get_by_label(t(lang, "staff_school")).fill("mcgarrah-es")
    page.get_by_role("button", name=t(lang, "account_add")).click()
    page.locator(".portal-shown-once", has_text="Tmp4XyZ9abcdEFGH").wait_for()
    assert added[0].post_data_json == {
        "username": "mme.nguyen",
        "role": "technician",
        "school": "mcgarrah-es",
    }
    assert len(disabled) == 1 and len(reset) == 1
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
    confirm.fill(t(lang, "new_year_word"))
    page.get_by_role("button", name=t(lang, "new_year_button")).click()
    page.locator(".portal-alert--ok", has_text=t(lang, "new_year_done")).wait_for()
    assert len(resets) == 1
    assert axe_violations(page) == []


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
    staff_page: Opener, stack: Stack
) -> None:
    never = {
        "guardian_id": "gdn-rafael-pena",
        "name": "Rafael Peña Ortiz",
        "username": None,
        "language": "es",
        "state": "never_activated",
        "students": ["Greg Student"],
    }
    letter = {
        "guardian_id": never["guardian_id"],
        "name": never["name"],
        "language": "es",
        "activation_key": "{E69293F4-1CB5-4E29-8F1E-EEF6FF3BB7F7}",
        "activation_url": f"{stack.site}/es/parents/activate/",
        "district_id": "JPRQQH",
        "qr_svg": TINY_QR,
        "students": ["Greg Student"],
    }
    lang = "vi"
    page = staff_page(lang, WIDE, "school_admin")
    answer(page, stack, "GET", "/staff/parents", {"parents": [never]})
    asked = answer(
        page, stack, "POST", "/staff/activation-letters", lambda _: (201, {"letters": [letter]})
    )
    open_section(page, lang, "parents")
    page.get_by_label(t(lang, "find_parent")).fill("Peña")
    page.get_by_role("button", name=t(lang, "find")).click()
    row = page.locator("tr", has_text=never["name"])
    row.locator(".portal-status", has_text=t(lang, "parent_state_never_activated")).wait_for()
    assert row.get_by_role("button", name=t(lang, "reactivate")).count() == 0
    row.get_by_role("button", name=t(lang, "letters_for_parent")).click()
    shown = page.locator('.portal-letter[lang="es"]')
    shown.wait_for()
    assert asked[0].post_data_json == {"scope": "guardian", "id": "gdn-rafael-pena"}
    spanish = yaml.safe_load((ROOT / "site/messages/es.yml").read_text(encoding="utf-8"))
    assert spanish["staff"]["letter"]["steps_title"] in shown.inner_text()
    assert letter["activation_key"] in shown.inner_text()
    assert page.evaluate("() => window.printed") == 1
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
