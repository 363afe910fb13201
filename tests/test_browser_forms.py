"""The site's forms in Debian Chromium against a running `portal run`, in every language.

Students come from a small OneRoster export (the hand-written demo export plus a few students)
loaded with the real `portal sis import`. Covered: the claim wizard with the browser's Back and
Forward buttons, the two-step login with the eye button and a translated failure, log off, the
forgot-password flow, parent activation and the portal page's views, the messages shown when a
session ends or JavaScript is off, the print stylesheet, axe-core on every form page (L5), and
that no request leaves the site's and the API's hosts (S9).
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
import requests
import yaml

from chalicelib.languages import LANGUAGES

from .support import mfa
from .support.axe import axe_violations
from .support.site import as_shown
from .support.stack import Stack

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
PORTAL = Path(sys.executable).parent / "portal"
MESSAGES = {
    lang: yaml.safe_load((ROOT / "site/messages" / f"{lang}.yml").read_text(encoding="utf-8"))
    for lang in LANGUAGES
}
PASSWORD = "Harbor-Maple-77"
NEW_PASSWORD = "Lantern-Quiet-93"
TIMEOUT_MS = 15_000


@dataclass(frozen=True)
class Student:
    """A student row of the test export."""

    sourced_id: str
    given: str
    family: str
    identifier: str
    middle: str = ""

    @property
    def username(self) -> str:
        """The CCPS Portal username."""
        return "S" + self.identifier


# One student per language for the claim, one for the reset, one for the keyboard-only test,
# and one who is new (claim not open).
STUDENTS = {
    "en": Student("stu-forms-en", "Jordan", "Whitfield", "0711001"),
    "fr": Student("stu-forms-fr", "Zoé", "Lefèvre-Aubert", "0711002"),
    "es": Student("stu-forms-es", "Sofía", "Peña Ortiz", "0711003"),
    "vi": Student("stu-forms-vi", "Lan", "Nguyễn", "0711004", "Thị"),
    "reset": Student("stu-forms-reset", "Riley", "O'Connor", "0711005"),
    "keyboard": Student("stu-forms-kbd", "Morgan", "Achebe", "0711006"),
}
NEWCOMER = Student("stu-forms-new", "Avery", "Lindqvist", "0711009")
PARENT = "gdn-forms-parent"
PARENT_PHONE = "(770) 555-0188"
PARENT_2 = "gdn-forms-parent2"
PARENT_VI = "gdn-forms-parent-vi"  # reads the portal in Vietnamese
# Answers for the API-side claim of the reset student: (question id, answer).
ANSWERS = [(1, "march"), (7, "apple"), (2, "Quinn")]


def text(lang: str, section: str, key: str, audience: str) -> str:
    """A text of the language's messages file as a page of `audience` shows it: a students/
    page takes the file's `students:` text when it has one (site/hooks/portal_i18n.py)."""
    variant = MESSAGES[lang].get(audience, {}).get(section, {})
    return str(as_shown(variant.get(key, MESSAGES[lang][section][key])))


def t(lang: str, key: str, audience: str = "students") -> str:
    """A label on a page of `audience` (students/ pages; "parents" for the others)."""
    return text(lang, "labels", key, audience)


def err(lang: str, code: str, audience: str = "students") -> str:
    """An error sentence on a page of `audience` (students/ pages; "parents" for the others)."""
    return text(lang, "errors", code, audience)


def page_url(stack: Stack, lang: str, path: str) -> str:
    """The address of a page in a language ("" for the English root)."""
    return f"{stack.site}/{'' if lang == 'en' else lang + '/'}{path}"


# Test data ---------------------------------------------------------------------------------


def write_export(folder: Path, students: list[Student]) -> None:
    """The demo export, plus students in Homeroom 5 and Language Arts 5 at McGarrah and one
    more guardian of Greg and Marcia (the demo's own accounts stay as they are)."""
    shutil.copytree(ROOT / "portal/demo/sis", folder)
    with open(folder / "users.csv", "a", newline="", encoding="utf-8") as users:
        writer = csv.writer(users, lineterminator="\n")
        writer.writerow(
            [PARENT, "", "", "true", "mcgarrah-es", "parent", "fparent", "", "Robin", "Ellery",
             "", "", "", "", "", "stu-greg-student,stu-marcia-student", "", "", "en",
             "", "", ""]
        )  # fmt: skip
        writer.writerow(
            [PARENT_2, "", "", "true", "mcgarrah-es", "guardian", "sellery", "", "Sam", "Ellery",
             "", "", "", "", "", "stu-greg-student", "", "", "fr", "", "", ""]
        )  # fmt: skip
        writer.writerow(
            [PARENT_VI, "", "", "true", "mcgarrah-es", "parent", "hphan", "", "Hà", "Phan",
             "", "", "", "", "", "stu-greg-student,stu-marcia-student", "", "", "vi",
             "", "", ""]
        )  # fmt: skip
        for s in students:
            writer.writerow(
                [s.sourced_id, "", "", "true", "mcgarrah-es", "student", s.username, "",
                 s.given, s.family, s.middle, s.identifier, "", "", "", "", "05", "", "en", "", "",
                 ""]
            )  # fmt: skip
    with open(folder / "households.csv", "a", newline="", encoding="utf-8") as households:
        csv.writer(households, lineterminator="\n").writerow(
            ["hh-forms-parent", PARENT_PHONE, "12 Forms Lane, Jonesboro, GA 30236", "",
             f"{PARENT},{PARENT_VI},stu-greg-student,stu-marcia-student"]
        )  # fmt: skip
    with open(folder / "enrollments.csv", "a", newline="", encoding="utf-8") as enrollments:
        writer = csv.writer(enrollments, lineterminator="\n")
        for s in students:
            for cls in ("cls-hr-05-1", "cls-la-05-1"):
                writer.writerow(
                    [f"enr-{cls}-{s.sourced_id}", "", "", cls, "mcgarrah-es", s.sourced_id,
                     "student", "false", "2026-07-01", "2027-06-30"]
                )  # fmt: skip


def portal_cli(stack: Stack, *args: str) -> str:
    """Run the real `portal` command against the stack's database; return its output."""
    env = {**os.environ, "DYNAMODB_ENDPOINT_URL": f"http://127.0.0.1:{stack.db_port}"}
    env.pop("PORTAL_TABLE_PREFIX", None)  # the stack runs with the default prefix
    done = subprocess.run(
        [str(PORTAL), *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, f"portal {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def district(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Stack:
    """The stack with the test students: first seen 48 h ago, the newcomer just now."""
    served = requests.get(f"{stack.site}/students/login/", timeout=10).text
    if f'<meta name="portal-api" content="{stack.api}">' not in served:
        pytest.fail("the site calls another API: another `portal run` rebuilt build/site")
    base = tmp_path_factory.mktemp("sis")
    students = list(STUDENTS.values())
    write_export(base / "first", students)
    two_days_ago = (datetime.now(UTC) - timedelta(hours=48)).isoformat(timespec="seconds")
    portal_cli(stack, "sis", "import", str(base / "first"), "--entered-at", two_days_ago)
    write_export(base / "second", [*students, NEWCOMER])
    now = datetime.now(UTC).isoformat(timespec="seconds")
    portal_cli(stack, "sis", "import", str(base / "second"), "--entered-at", now)
    return stack


def api_claim(stack: Stack, student: Student) -> None:
    """Claim an account through the API (for tests about what comes after)."""
    start = requests.post(
        f"{stack.api}/claim/start",
        json={"last_name": student.family, "first_name": student.given,
              "student_id": student.identifier},
        timeout=30,
    )  # fmt: skip
    assert start.status_code == 200, start.text
    token = start.json()["claim_token"]
    body = {"claim_token": token, "password": PASSWORD, "password_confirm": PASSWORD}
    assert requests.post(f"{stack.api}/claim/password", json=body, timeout=30).status_code == 200
    answers = [{"question_id": q, "answer": a} for q, a in ANSWERS]
    done = requests.post(
        f"{stack.api}/claim/answers", json={"claim_token": token, "answers": answers}, timeout=30
    )
    assert done.status_code == 200, done.text


# Browser helpers ---------------------------------------------------------------------------


@pytest.fixture
def site_page(page: Any, stack: Stack) -> Iterator[Any]:
    """The page, recording every request: none may go to a host but the site and the API."""
    hosts: set[str] = set()
    errors: list[str] = []

    def record(request: Any) -> None:
        url = urlparse(request.url)
        if url.scheme in ("http", "https", "ws", "wss"):
            hosts.add(url.netloc)

    page.on("request", record)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_default_timeout(TIMEOUT_MS)
    yield page
    assert hosts <= {urlparse(stack.site).netloc, urlparse(stack.api).netloc}, hosts
    assert errors == [], errors


def live_text(form: Any) -> str:
    """What the form's aria-live region says."""
    region = form.locator("[aria-live=polite]").first
    region.wait_for(state="visible")
    return region.inner_text().strip()


def expect_step(page: Any, form: Any, heading: str) -> None:
    """The step with this heading is shown and has the focus."""
    try:
        form.locator(".portal-step-heading", has_text=heading).wait_for()
    except Exception as timeout:
        said = form.locator("[aria-live=polite]").first.inner_text()
        raise AssertionError(f"no step {heading!r}; the form says {said!r}") from timeout
    page.wait_for_function(
        "(text) => document.activeElement && document.activeElement.textContent.trim() === text",
        arg=heading,
    )


def choose(form: Any, name: str, value: str) -> None:
    """Select an option by its value in the form's select called name."""
    form.locator(f"select[name={name}]").select_option(value)


# Claim, login, log off ---------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_claim_then_log_in_and_off(district: Stack, site_page: Any, lang: str) -> None:
    page, student = site_page, STUDENTS[lang]
    page.goto(page_url(district, lang, "students/claim/"))
    form = page.locator("#claim-form")
    form.locator(".portal-step-heading", has_text=t(lang, "claim_step_identity")).wait_for()
    assert form.get_by_label(t(lang, "last_name"), exact=True).count() == 1

    # Step 1: a student ID typed with its S is refused, in the page's language, on that field;
    # one of 5 digits too, without a word about an S nobody typed.
    form.locator("input[name=last_name]").fill(student.family)
    form.locator("input[name=first_name]").fill(student.given)
    sid = form.locator("input[name=student_id]")
    for typed, said in ((student.username, t(lang, "student_id_no_s")),
                        (student.identifier[:5], err(lang, "student_id_format"))):  # fmt: skip
        sid.fill(typed)
        form.get_by_role("button", name=t(lang, "next")).click()
        assert live_text(form) == said
        assert sid.get_attribute("aria-invalid") == "true"
        live_id = form.locator("[aria-live=polite]").first.get_attribute("id")
        assert live_id in (sid.get_attribute("aria-describedby") or "").split()
    assert not re.search(r"\bS\b", err(lang, "student_id_format"))

    # A claim the API refuses (claim_failed) marks no field: it does not say which was wrong.
    form.locator("input[name=first_name]").fill(student.given + "x")
    sid.fill(student.identifier)
    form.get_by_role("button", name=t(lang, "next")).click()
    assert live_text(form) == err(lang, "claim_failed")
    assert form.locator("[aria-invalid]").count() == 0
    form.locator("input[name=first_name]").fill(student.given)
    sid.fill(student.identifier)
    sid.press("Enter")

    # Step 2: the password twice; the username comes back, in green.
    expect_step(page, form, t(lang, "claim_step_password"))
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("input[name=password_confirm]").fill(PASSWORD)
    form.get_by_role("button", name=t(lang, "next")).click()
    expect_step(page, form, t(lang, "claim_step_questions"))
    username = form.locator(".portal-username")
    assert username.inner_text() == student.username
    assert t(lang, "your_username_is") in form.locator(".portal-username-line").inner_text()
    color = username.evaluate("e => getComputedStyle(e).color")
    red, green, blue = (int(part) for part in re.findall(r"\d+", color)[:3])
    assert green > red and green > blue

    # Back to step 2 and forward again: the wizard follows the browser's history.
    form.locator("select[name=question_1]").wait_for()
    page.go_back()
    expect_step(page, form, t(lang, "claim_step_password"))
    assert form.locator("input[name=password]").input_value() == PASSWORD
    page.go_forward()
    expect_step(page, form, t(lang, "claim_step_questions"))
    assert form.locator(".portal-username").inner_text() == student.username

    # Step 3: 3 of the 8 questions (two choices, one text), then done.
    choose(form, "question_1", "1")
    form.locator("select[name=answer_1] option").nth(3).wait_for(state="attached")
    form.locator("select[name=answer_1]").select_option(index=3)
    choose(form, "question_2", "7")
    form.locator("select[name=answer_2]").select_option(index=1)
    choose(form, "question_3", "2")
    form.locator("input[name=answer_3]").fill(student.middle or "Quinn")
    form.get_by_role("button", name=t(lang, "save")).click()
    expect_step(page, form, t(lang, "all_done"))
    assert t(lang, "claim_done") in form.inner_text()
    next_step = form.locator(".portal-next-step")  # one next step, highlighted
    assert next_step.locator("a, button").count() == 1

    # Log in through the link the done step offers: two steps, in the same language.
    with page.expect_navigation():
        form.get_by_role("link", name=t(lang, "log_in")).click()
    assert page.locator("html").get_attribute("lang") == lang
    login = page.locator("#login-form")
    login.locator("input[name=username]").fill(student.username.lower())
    login.get_by_role("button", name=t(lang, "go")).click()
    expect_step(page, login, t(lang, "login_step_password"))
    secret = login.locator("input[name=password]")
    secret.fill(PASSWORD + "x")
    login.get_by_role("button", name=t(lang, "go")).click()
    # The district's wording, then the way out: "Forgot my Password".
    said = live_text(login).splitlines()
    assert [said[0], said[-1]] == [err(lang, "authentication_failed"), t(lang, "forgot_password")]
    assert secret.get_attribute("aria-invalid") == "true"

    # The eye button shows what was typed, and says so with aria-pressed.
    secret.fill(PASSWORD)
    eye = login.get_by_role("button", name=t(lang, "show_password"))
    assert eye.get_attribute("aria-pressed") == "false"
    eye.click()
    assert secret.get_attribute("type") == "text"
    assert eye.get_attribute("aria-pressed") == "true"
    eye.click()
    assert secret.get_attribute("type") == "password"
    with page.expect_navigation():
        login.get_by_role("button", name=t(lang, "go")).click()
    assert page.url == page_url(district, lang, "portal/")
    app = page.locator("#portal-app")
    app.locator(".portal-hello", has_text=student.given).wait_for()
    assert page.evaluate("() => sessionStorage.getItem('portal.session')") is not None

    # Log off: back on the login page, told so, and the session is gone.
    with page.expect_navigation():
        app.get_by_role("button", name=t(lang, "log_off")).click()
    assert page.url == page_url(district, lang, "students/login/")
    assert live_text(page.locator("#login-form")) == t(lang, "logged_off")
    assert page.evaluate("() => sessionStorage.getItem('portal.session')") is None


def test_claim_not_open_yet_shows_the_date(district: Stack, site_page: Any) -> None:
    page = site_page
    page.goto(page_url(district, "fr", "students/claim/"))
    form = page.locator("#claim-form")
    form.locator("input[name=last_name]").fill(NEWCOMER.family)
    form.locator("input[name=first_name]").fill(NEWCOMER.given)
    form.locator("input[name=student_id]").fill(NEWCOMER.identifier)
    form.get_by_role("button", name=t("fr", "next")).click()
    text = live_text(form)
    before, after = err("fr", "claim_not_open").split("{opens_at}")
    assert text.startswith(before) and text.endswith(after)
    when = text[len(before) : len(text) - len(after)]
    assert str(datetime.now(UTC).year) in when or str(datetime.now(UTC).year + 1) in when
    assert re.search(r"[a-zéû]{3,}", when), when  # a French month name, not an ISO string


# Forgot password ---------------------------------------------------------------------------


def test_forgot_password(district: Stack, site_page: Any) -> None:
    page, lang, student = site_page, "es", STUDENTS["reset"]
    api_claim(district, student)
    page.goto(page_url(district, lang, "students/forgot-password/"))
    form = page.locator("#reset-form")
    form.locator("input[name=username]").fill(student.username)
    form.get_by_role("button", name=t(lang, "next")).click()
    expect_step(page, form, t(lang, "reset_step_answers"))
    assert form.locator("fieldset").count() == 3

    def answer(correct: bool) -> None:
        for question_id, value in ANSWERS:
            control = form.locator(f"[data-question-id='{question_id}']")
            if control.evaluate("e => e.tagName") == "SELECT":
                control.select_option(value)
            else:
                control.fill(value if correct else value + "zz")

    answer(correct=False)
    form.get_by_role("button", name=t(lang, "next")).click()
    assert live_text(form) == err(lang, "reset_failed")
    answer(correct=True)
    form.get_by_role("button", name=t(lang, "next")).click()
    expect_step(page, form, t(lang, "reset_step_password"))
    form.locator("input[name=password]").fill(NEW_PASSWORD)
    form.locator("input[name=password_confirm]").fill(NEW_PASSWORD + "!")
    form.get_by_role("button", name=t(lang, "save")).click()
    assert live_text(form) == err(lang, "password_mismatch")
    form.locator("input[name=password_confirm]").fill(NEW_PASSWORD)
    form.get_by_role("button", name=t(lang, "save")).click()
    expect_step(page, form, t(lang, "all_done"))
    assert t(lang, "reset_done") in form.inner_text()
    assert form.locator(".portal-next-step a").inner_text() == t(lang, "log_in")
    login = requests.post(
        f"{district.api}/login",
        json={"username": student.username, "password": NEW_PASSWORD},
        timeout=30,
    )
    assert login.status_code == 200


# Parent activation and the portal page -----------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "guardian", "username"), [("en", PARENT, "RobinE"), ("vi", PARENT_VI, "HaPhan")]
)
def test_activation_then_the_parent_portal(
    district: Stack, site_page: Any, tmp_path: Path, lang: str, guardian: str, username: str
) -> None:
    page = site_page
    keys = tmp_path / "keys.csv"
    portal_cli(district, "activation-keys", "issue", "--guardian", guardian, "--out", str(keys))
    key = next(csv.DictReader(keys.open(encoding="utf-8")))["activation_key"]

    page.goto(page_url(district, lang, "parents/activate/"))
    form = page.locator("#activate-form")
    form.locator("input[name=activation_key]").fill("{00000000-0000-0000-0000-000000000000}")
    form.get_by_role("button", name=t(lang, "next")).click()
    assert live_text(form).startswith(err(lang, "activation_key_invalid"))
    form.locator("input[name=activation_key]").fill(key.lower())
    form.get_by_role("button", name=t(lang, "next")).click()
    expect_step(page, form, t(lang, "activate_step_account"))
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("input[name=password_confirm]").fill(PASSWORD)
    form.get_by_role("button", name=t(lang, "create_account")).click()
    expect_step(page, form, t(lang, "all_done"))
    assert form.locator(".portal-username").inner_text() == username

    assert form.locator(".portal-next-step a").count() == 1
    with page.expect_navigation():
        form.get_by_role("link", name=t(lang, "log_in")).click()
    # The parents' own login page: its hint speaks to parents, not to students.
    assert page.url == page_url(district, lang, "parents/login/")
    login = page.locator("#login-form")
    login.locator(".portal-hint", has_text=t(lang, "username_hint_parent")).wait_for()
    login.locator("input[name=username]").fill(username.lower())
    login.locator("input[name=username]").press("Enter")
    login.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        login.locator("input[name=password]").press("Enter")
    app = page.locator("#portal-app")

    # Two children: a picker. Each view has its heading, its data, and no axe violation.
    picker = app.get_by_label(t(lang, "select_student"))
    picker.wait_for()
    assert picker.locator("option").count() == 3  # the prompt and Greg and Marcia
    picker.select_option("0123456")
    views = {
        "schedule": "table",
        "attendance": ".portal-status--tardy",
        "grades": ".portal-status--late",
        "calendar": ".portal-month",
        "notices": "h3",
        "household": "dl",
        "access_log": ".portal-status--ok",
        "change_password": "input[name=current_password]",
    }
    for view, marker in views.items():
        button = app.get_by_role("button", name=t(lang, f"tab_{view}"), exact=True)
        button.click()
        assert button.get_attribute("aria-current") == "true"
        app.locator(".portal-view h2", has_text=t(lang, f"tab_{view}")).wait_for()
        app.locator(f".portal-view {marker}").first.wait_for()
        assert axe_violations(page) == [], view
    app.get_by_role("button", name=t(lang, "tab_attendance"), exact=True).click()
    assert app.locator(".portal-status--tardy").first.inner_text() == t(lang, "status_tardy")
    app.get_by_role("button", name=t(lang, "tab_grades"), exact=True).click()
    assert app.locator(".portal-status--late").first.inner_text() == t(lang, "grade_late")
    app.get_by_role("button", name=t(lang, "tab_household"), exact=True).click()
    app.locator(".portal-view dd", has_text=PARENT_PHONE).wait_for()

    # The demo's back-to-school notice is new until it is opened (POST /notices/{id}/read).
    app.get_by_role("button", name=t(lang, "tab_notices"), exact=True).click()
    notice = app.locator(".portal-notice-item").first
    new_badge = notice.locator(".portal-status--new")
    assert new_badge.inner_text() == t(lang, "notice_new")
    with page.expect_response(lambda r: r.url.endswith("/read") and r.status == 204):
        notice.locator("summary").click()
    new_badge.wait_for(state="detached")
    assert notice.locator(".portal-notice-body a").count() > 0  # addresses became links


def test_a_temporary_password_is_changed_first(
    district: Stack, site_page: Any, tmp_path: Path
) -> None:
    page, lang = site_page, "fr"
    keys = tmp_path / "keys.csv"
    portal_cli(district, "activation-keys", "issue", "--guardian", PARENT_2, "--out", str(keys))
    key = next(csv.DictReader(keys.open(encoding="utf-8")))["activation_key"]
    account = {"activation_key": key, "username": "SamE", "password": PASSWORD,
               "password_confirm": PASSWORD}  # fmt: skip
    created = requests.post(f"{district.api}/activation/account", json=account, timeout=30)
    assert created.status_code == 201, created.text
    demo = json.loads((district.data_dir / "demo-accounts.json").read_text(encoding="utf-8"))
    admin = next(row for row in demo if row[1] == "demo.schooladmin")
    staff = mfa.login(district.api, admin[1], admin[2])
    issued = requests.post(
        f"{district.api}/staff/parents/SamE/temporary-password",
        headers={"Authorization": f"Bearer {staff['session_token']}"},
        timeout=30,
    )
    assert issued.status_code == 200, issued.text
    temporary = issued.json()["temporary_password"]

    page.goto(page_url(district, lang, "students/login/"))
    login = page.locator("#login-form")
    login.locator("input[name=username]").fill("SamE")
    login.locator("input[name=username]").press("Enter")
    login.locator("input[name=password]").fill(temporary)
    with page.expect_navigation():
        login.locator("input[name=password]").press("Enter")
    app = page.locator("#portal-app")
    expect_step(page, app, t(lang, "tab_change_password"))
    assert err(lang, "password_change_required", "parents") in app.inner_text()  # the portal
    assert app.locator(".portal-tab").count() == 0  # nothing else before the change
    app.locator("input[name=current_password]").fill(temporary)
    app.locator("input[name=new_password]").fill(NEW_PASSWORD)
    app.locator("input[name=new_password_confirm]").fill(NEW_PASSWORD)
    app.get_by_role("button", name=t(lang, "save")).click()
    app.locator(".portal-hello", has_text="Sam Ellery").wait_for()
    assert "Greg Student" in app.locator(".portal-student").inner_text()
    assert axe_violations(page) == []


def test_login_and_portal_by_keyboard_alone(district: Stack, site_page: Any) -> None:
    page, lang, student = site_page, "vi", STUDENTS["keyboard"]
    api_claim(district, student)
    page.goto(page_url(district, lang, "students/login/"))
    page.locator("#login-form.portal-ready input[name=username]").wait_for()

    def focused() -> str:
        return page.evaluate(
            "() => { const e = document.activeElement;"
            " return (e.name || e.getAttribute('aria-label') || e.textContent).trim(); }"
        )

    page.locator("#login-form input[name=username]").focus()
    page.keyboard.type(student.username)
    page.keyboard.press("Enter")
    expect_step(page, page.locator("#login-form"), t(lang, "login_step_password"))
    page.keyboard.press("Tab")
    assert focused() == "password"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    assert focused() == t(lang, "show_password")
    page.keyboard.press("Space")
    assert page.locator("#login-form input[name=password]").get_attribute("type") == "text"
    page.keyboard.press("Shift+Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    app = page.locator("#portal-app")
    app.locator(".portal-tab").first.wait_for()
    # Tab through to the Grades button and open it with Enter: its heading takes the focus.
    for _ in range(40):
        page.keyboard.press("Tab")
        if focused() == t(lang, "tab_grades"):
            break
    assert focused() == t(lang, "tab_grades")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "(text) => document.activeElement.tagName === 'H2'"
        " && document.activeElement.textContent === text",
        arg=t(lang, "tab_grades"),
    )
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # the focus is visible


def test_ended_session_goes_back_to_login(district: Stack, site_page: Any) -> None:
    page, lang = site_page, "vi"
    page.goto(page_url(district, lang, "portal/"))
    page.evaluate(
        "() => sessionStorage.setItem('portal.session', JSON.stringify({token: 'x'.repeat(43),"
        " role: 'student', must_change_password: false}))"
    )
    page.reload()
    page.wait_for_url(page_url(district, lang, "students/login/"))
    assert live_text(page.locator("#login-form")) == err(lang, "session_invalid")


# Every form page: accessibility, no JavaScript, print -------------------------------------

FORM_PAGES = {
    "": None,
    "students/claim/": "#claim-form",
    "students/login/": "#login-form",
    "students/forgot-password/": "#reset-form",
    "parents/activate/": "#activate-form",
    "portal/": "#portal-app",
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_axe_finds_nothing_on_form_pages(district: Stack, site_page: Any, lang: str) -> None:
    page = site_page
    for path, slot in FORM_PAGES.items():
        page.goto(page_url(district, lang, path))
        if slot:
            page.locator(f"{slot}.portal-ready button, {slot}.portal-ready a").first.wait_for()
        assert axe_violations(page) == [], path or "home"
    # The claim wizard's later steps too.
    page.goto(page_url(district, lang, "students/claim/"))
    form = page.locator("#claim-form")
    form.get_by_role("button", name=t(lang, "next")).click()
    assert live_text(form) == t(lang, "required")
    assert axe_violations(page) == [], "claim with an error"


def guide_paths() -> list[str]:
    """Every page of the site, as a path under a language's root ("" for its home)."""
    docs = ROOT / "site" / "docs" / "en"
    paths = []
    for page in sorted(docs.rglob("*.md")):
        relative = page.relative_to(docs).with_suffix("")
        parts = relative.parts[:-1] if relative.name == "index" else relative.parts
        paths.append("".join(f"{part}/" for part in parts))
    return paths


@pytest.mark.parametrize("lang", LANGUAGES)
def test_axe_finds_nothing_on_any_page(district: Stack, site_page: Any, lang: str) -> None:
    """Every guide, troubleshooting and notice page, as drawn (forms included), in each language."""
    page = site_page
    paths = guide_paths()
    assert len(paths) >= 17 and "help/what-went-wrong/" in paths
    for path in paths:
        response = page.goto(page_url(district, lang, path))
        assert response is not None and response.status == 200, path
        page.wait_for_load_state("networkidle")
        assert axe_violations(page) == [], path or "home"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_without_javascript_the_slot_says_why(district: Stack, browser: Any, lang: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(page_url(district, lang, "students/login/"))
        hint = page.locator("#login-form .portal-noscript")
        assert hint.inner_text() == t(lang, "noscript")
    finally:
        context.close()


def test_print_hides_navigation_search_and_forms(district: Stack, site_page: Any) -> None:
    page = site_page
    page.goto(page_url(district, "fr", "students/claim/"))
    page.locator("#claim-form.portal-ready form").wait_for()
    page.emulate_media(media="print")
    for selector in (".md-header", ".md-sidebar--primary", ".md-search", "#claim-form"):
        assert not page.locator(selector).first.is_visible(), selector
    assert page.locator("h1").first.is_visible()
