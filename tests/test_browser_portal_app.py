"""The portal as a phone-first app, in Debian Chromium against `portal run` (demo district).

Minnie Clayton, the demo's parent of Greg and Marcia, at 390×844 (a phone) and 1280×900 in
every language: the summary opens first and the section starts on the first screen; every
section's key values (status, score, result, date) lie inside the viewport and no cell is cut;
the notice is real HTML (headings, lists) and loses its New badge when opened; the progress
report prints (page.pdf, read back with pdftotext) with the child's name and dates in the page's
language; the header's language links keep the reader logged in; axe-core finds nothing in any
state.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
import requests
import yaml
from babel.dates import format_date

from chalicelib.languages import LANGUAGES

from .support.axe import axe_violations
from .support.stack import Stack, demo_accounts

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
LABELS = {
    lang: yaml.safe_load((ROOT / "site/messages" / f"{lang}.yml").read_text(encoding="utf-8"))[
        "labels"
    ]
    for lang in LANGUAGES
}
PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 900}
NARROW = {"width": 320, "height": 640}  # the smallest phones still in families' hands
GREG = "0123456"
# Each section, and what shows that its data has been drawn.
SECTIONS = {
    "summary": ".portal-card",
    "schedule": ".portal-table",
    "attendance": ".portal-status--tardy",
    "grades": ".portal-status--late",
    "calendar": ".portal-month",
    "notices": ".portal-notice-item",
    "household": "dl",
    "access_log": ".portal-status--ok",
    "change_password": "input[name=current_password]",
}
# Elements outside the viewport, or cut, in the section shown (their text), and whether the
# page itself scrolls sideways.
OUT_OF_VIEW = """() => {
    const width = document.documentElement.clientWidth;
    const bad = [];
    const values = document.querySelectorAll(
        '.portal-view .portal-status, .portal-view .portal-date, .portal-view td,'
        + ' .portal-view th, .portal-view .portal-card-count');
    for (const el of values) {
        const box = el.getBoundingClientRect();
        if (box.width === 0 && box.height === 0) continue;  // not shown (empty cell)
        if (box.left < -0.5 || box.right > width + 0.5) bad.push('outside: ' + el.textContent);
        const cut = el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1;
        if (cut) bad.push('cut: ' + el.textContent);
    }
    if (document.documentElement.scrollWidth > width) bad.push('page scrolls sideways');
    return bad;
}"""


def t(lang: str, key: str) -> str:
    """A label in the language's messages file."""
    return str(LABELS[lang][key])


def page_url(stack: Stack, lang: str, path: str = "portal/") -> str:
    """The address of a page in a language."""
    return f"{stack.site}/{'' if lang == 'en' else lang + '/'}{path}"


def minnie_token(stack: Stack) -> str:
    """A session of the demo parent, through the API's login."""
    password = demo_accounts(stack)["MinnieC"][1]
    opened = requests.post(
        f"{stack.api}/login", json={"username": "MinnieC", "password": password}, timeout=30
    )
    assert opened.status_code == 200, opened.text
    return str(opened.json()["session_token"])


def titles_by_status(stack: Stack, page: Any, status: str) -> list[str]:
    """Greg's assignments of one grade status, as the API gives them to the page's session."""
    token = page.evaluate("() => JSON.parse(sessionStorage.getItem('portal.session')).token")
    grades = requests.get(
        f"{stack.api}/students/{GREG}/grades",
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    ).json()
    return [
        a["title"] for cls in grades["classes"] for a in cls["assignments"] if a["status"] == status
    ]


def missing_titles(stack: Stack, page: Any) -> list[str]:
    """Greg's missing assignments (the demo district has some)."""
    found = titles_by_status(stack, page, "missing")
    assert found, "the demo district has missing assignments"
    return found


@pytest.fixture
def portal(browser: Any, stack: Stack, request: pytest.FixtureRequest) -> Any:
    """A page logged in as Minnie, opened on the portal in the test's language and size."""
    lang, size = request.param
    context = browser.new_context(locale="en-US", viewport=size)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_default_timeout(15_000)
    # window.print() is counted, not run: page.pdf() prints instead.
    page.add_init_script("window.printed = 0; window.print = () => { window.printed += 1; };")
    page.goto(page_url(stack, lang))
    page.evaluate(
        """(token) => {
            sessionStorage.setItem('portal.session', JSON.stringify(
                {token, role: 'parent', must_change_password: false}));
            sessionStorage.setItem('portal.view', JSON.stringify({student: '0123456'}));
        }""",
        minnie_token(stack),
    )
    page.reload()
    page.locator(".portal-appbar").wait_for()
    yield page, lang, size
    context.close()
    assert errors == [], errors


# Every language on a phone and a wide screen; the two longest languages at 320 px too.
BOTH = [(lang, size) for lang in LANGUAGES for size in (PHONE, WIDE)]
BOTH += [("fr", NARROW), ("vi", NARROW)]
IDS = [f"{lang}-{size['width']}" for lang, size in BOTH]


@pytest.mark.parametrize("portal", BOTH, ids=IDS, indirect=True)
def test_summary_first_then_every_section_fits(portal: Any, stack: Stack) -> None:
    page, lang, size = portal
    app = page.locator("#portal-app")
    # The header: the parent's name, the switcher, the languages, Log Off.
    assert "Minnie Clayton" in app.locator(".portal-appbar").inner_text()
    app.get_by_label(t(lang, "select_student")).wait_for()
    assert app.locator(".portal-languages a[hreflang]").count() == 4
    app.get_by_role("button", name=t(lang, "log_off")).wait_for()
    # No documentation navigation, table of contents or back-to-top button on this page.
    for selector in (".md-sidebar--primary", ".md-sidebar--secondary", ".md-top"):
        assert not page.locator(selector).is_visible(), selector
    assert not page.locator(".portal-intro").first.is_visible()

    heading = app.locator(".portal-view > h2")
    assert heading.inner_text() == t(lang, "tab_summary")
    cards = app.locator(".portal-card")
    cards.first.wait_for()
    titles = cards.locator(".portal-card-title").all_inner_texts()
    keys = ["summary_missing", "summary_late", "summary_absences", "summary_upcoming"]
    assert titles == [t(lang, key) for key in [*keys, "summary_unread"]]
    missing = app.locator('[data-summary="grades"]').first
    assert missing_titles(stack, page)[0] in missing.inner_text()
    counts = cards.locator(".portal-card-count").all_inner_texts()
    late = titles_by_status(stack, page, "late")
    assert counts[:2] == [str(len(missing_titles(stack, page))), str(len(late))]
    first_card = cards.first.bounding_box()
    assert first_card is not None and first_card["y"] < size["height"]  # on the first screen
    assert page.evaluate(OUT_OF_VIEW) == []
    assert axe_violations(page) == [], "summary"

    # A card opens its section.
    missing.get_by_role("button").click()
    page.wait_for_function(
        "(text) => document.activeElement.tagName === 'H2'"
        " && document.activeElement.textContent === text",
        arg=t(lang, "tab_grades"),
    )
    for view, marker in SECTIONS.items():
        app.get_by_role("button", name=t(lang, f"tab_{view}"), exact=True).click()
        app.locator(".portal-view > h2", has_text=t(lang, f"tab_{view}")).wait_for()
        app.locator(f".portal-view {marker}").first.wait_for()
        box = app.locator(".portal-view > h2").bounding_box()
        # Starts high up; on the smallest phone, at least within the first screen with room
        # for its first lines.
        top = size["height"] / 2 if size != NARROW else size["height"] - 150
        assert box is not None and box["y"] < top, view
        assert page.evaluate(OUT_OF_VIEW) == [], view
        assert axe_violations(page) == [], view


@pytest.mark.parametrize("portal", [("fr", PHONE), ("vi", WIDE)], indirect=True)
def test_notice_is_html_and_read_once_opened(portal: Any, stack: Stack) -> None:
    page, lang, _ = portal
    token = page.evaluate("() => JSON.parse(sessionStorage.getItem('portal.session')).token")
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": lang}
    board = requests.get(f"{stack.api}/notices", headers=headers, timeout=30).json()
    notice_id = board["district"][0]["id"]
    app = page.locator("#portal-app")
    app.get_by_role("button", name=t(lang, "tab_notices"), exact=True).click()
    notice = app.locator(".portal-notice-item").first
    notice.wait_for()
    assert notice.locator(".portal-status--new").count() == int(board["district"][0]["new"])
    notice.locator("summary").click()
    body = notice.locator(".portal-notice-body")
    assert body.locator("h2").count() >= 2 and body.locator("ul li").count() >= 2
    assert body.locator("ol li").count() >= 2
    assert "‹" not in body.inner_text()  # the email's text layout is not shown
    assert body.locator("a[href^='http']").count() > 0
    page.wait_for_function(
        "() => !document.querySelector('.portal-notice-item .portal-status--new')"
    )
    after = requests.get(f"{stack.api}/notices", headers=headers, timeout=30).json()
    assert next(n for n in after["district"] if n["id"] == notice_id)["new"] is False
    assert page.evaluate(OUT_OF_VIEW) == []
    assert axe_violations(page) == [], "notice open"


def long_day(day: date, lang: str) -> list[str]:
    """A long date as the page may write it (Vietnamese: the district's "ngày … năm …")."""
    written = [format_date(day, "long", locale=lang)]
    if lang == "vi":
        written.append(f"ngày {day.day} tháng {day.month} năm {day.year}")
    return written


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    """The PDF's text as pdftotext reads it, on one line, with ordinary spaces."""
    assert pdf.startswith(b"%PDF-")
    assert shutil.which("pdftotext"), "pdftotext is missing: `make install-test` installs it"
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    )
    text = out.stdout.decode("utf-8").replace("\u202f", " ").replace("\xa0", " ")
    return " ".join(text.split())


@pytest.mark.parametrize(
    "portal", [(lang, PHONE) for lang in LANGUAGES], ids=list(LANGUAGES), indirect=True
)
def test_reports_print_in_the_page_language(portal: Any, stack: Stack, tmp_path: Path) -> None:
    page, lang, _ = portal
    app = page.locator("#portal-app")
    app.locator(".portal-card").first.wait_for()
    today = date.fromisoformat(page.evaluate("() => new Date().toLocaleDateString('en-CA')"))

    app.get_by_role("button", name=t(lang, "print_progress")).first.click()
    app.locator(".portal-report").wait_for()
    page.wait_for_function("() => window.printed === 1")
    assert axe_violations(page) == [], "progress report"
    text = pdf_text(page.pdf(format="A4"), tmp_path)
    assert t(lang, "progress_report") in text and "Greg Student" in text
    assert any(day in text for day in long_day(today, lang)), text[:300]
    assert all(title in text for title in missing_titles(stack, page))
    assert t(lang, "grade_missing") in text
    assert re.search(r"Classwork \d+ [\d,.]+ / [\d,.]+ [\d,.]+", text), text  # by category
    assert t(lang, "log_off") not in text and t(lang, "tab_summary") not in text

    app.get_by_role("button", name=t(lang, "back_to_portal")).click()
    app.locator(".portal-card").first.wait_for()
    app.get_by_role("button", name=t(lang, "print_schedule")).first.click()
    app.locator(".portal-report").wait_for()
    page.wait_for_function("() => window.printed === 2")
    text = pdf_text(page.pdf(format="A4"), tmp_path)
    assert t(lang, "schedule_report") in text and "Greg Student" in text
    assert "Homeroom 5" in text and "Dolores Tejada" in text
    assert any(day in text for day in long_day(today, lang))


@pytest.mark.parametrize("portal", [("en", PHONE)], indirect=True)
def test_language_links_keep_the_parent_logged_in(portal: Any, stack: Stack) -> None:
    page, _, _ = portal
    app = page.locator("#portal-app")
    app.get_by_role("button", name=t("en", "tab_grades"), exact=True).click()
    app.locator(".portal-status--late").first.wait_for()
    french = app.locator(".portal-languages a[hreflang=fr]")
    with page.expect_request(lambda r: r.method == "PUT" and r.url.endswith("/me/language")):
        french.click()
    page.wait_for_url(page_url(stack, "fr"))
    page.locator(".portal-view > h2", has_text=t("fr", "tab_grades")).wait_for()
    assert page.locator("html").get_attribute("lang") == "fr"
    assert t("fr", "log_off") in page.locator(".portal-appbar").inner_text()


def add_fields(page: Any, suffix: str, change: Any) -> None:
    """Answer GET requests ending in suffix with the API's answer, changed by change(data)."""

    def handle(route: Any) -> None:
        if route.request.method != "GET":
            route.fallback()
            return
        response = route.fetch()
        data = response.json()
        change(data)
        route.fulfill(response=response, json=data)

    page.route(re.compile(re.escape(suffix) + "$"), handle)


@pytest.mark.parametrize("portal", [("es", PHONE)], indirect=True)
def test_email_links_to_the_teacher_and_the_school(portal: Any) -> None:
    """teacher_email and school_email (from the API's extension) become mailto links, each
    only where the address is given."""
    page, lang, _ = portal

    def teachers(data: dict[str, Any]) -> None:
        for index, cls in enumerate(data["classes"]):
            cls["teacher_email"] = "dtejada@example.org" if index == 0 else None

    def schools(data: dict[str, Any]) -> None:
        for student in data["students"]:
            student["school_email"] = "office@example.org"
            student["school_name"] = student["school"]

    add_fields(page, f"/students/{GREG}/schedule", teachers)
    add_fields(page, "/students", schools)
    page.reload()
    app = page.locator("#portal-app")
    app.get_by_role("button", name=t(lang, "tab_schedule"), exact=True).click()
    app.locator(".portal-table").wait_for()
    teacher = app.locator("a[href^='mailto:']")
    teacher.first.wait_for()
    hrefs = set(teacher.evaluate_all("links => links.map(a => a.getAttribute('href'))"))
    assert hrefs == {"mailto:dtejada@example.org"}  # the classes without an address have none
    assert teacher.first.inner_text() == t(lang, "email_teacher")

    app.get_by_role("button", name=t(lang, "tab_household"), exact=True).click()
    contact = app.get_by_role("link", name=t(lang, "change_contact"))
    href = contact.get_attribute("href") or ""
    assert href.startswith("mailto:office@example.org?subject=")
    query = parse_qs(urlparse(href).query)
    assert "Greg Student" in query["subject"][0] and "Marcia" in query["subject"][0]
    body = query["body"][0]
    assert "Infinite Campus" in body and GREG in body and "Minnie Clayton" in body
    assert body.startswith(t(lang, "contact_body").split("\n")[0])
    assert page.evaluate(OUT_OF_VIEW) == []
    assert axe_violations(page) == [], "household with the contact link"


@pytest.mark.parametrize("portal", [("vi", PHONE)], indirect=True)
def test_email_links_come_from_the_sis(portal: Any, stack: Stack) -> None:
    """With the demo district's own data: each class whose teacher has an address links to it,
    and Household writes to the school the API names for each child."""
    page, lang, _ = portal
    token = page.evaluate("() => JSON.parse(sessionStorage.getItem('portal.session')).token")
    headers = {"Authorization": f"Bearer {token}"}
    schedule = requests.get(f"{stack.api}/students/{GREG}/schedule", headers=headers, timeout=30)
    teachers = {c["teacher_email"] for c in schedule.json()["classes"] if c.get("teacher_email")}
    students = requests.get(f"{stack.api}/students", headers=headers, timeout=30).json()
    schools = {s["school_email"] for s in students["students"] if s.get("school_email")}
    assert teachers and schools  # the demo district gives both

    app = page.locator("#portal-app")
    app.get_by_role("button", name=t(lang, "tab_schedule"), exact=True).click()
    app.locator(".portal-table").wait_for()
    links = app.locator("a[href^='mailto:']")
    links.first.wait_for()
    hrefs = links.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert {href.removeprefix("mailto:") for href in hrefs} == teachers

    app.get_by_role("button", name=t(lang, "tab_household"), exact=True).click()
    contact = app.get_by_role("link", name=t(lang, "change_contact"))
    contact.first.wait_for()
    hrefs = contact.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert {urlparse(href).path for href in hrefs} == schools
