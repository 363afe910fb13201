"""An export whose manifest declares the gradebook and demographics absent, in the browser.

A `portal run --no-demo` of its own (an import is a full snapshot: the shared stack's demo
district must keep its grades) loads the demo export without those files through the real
`portal sis import`; a parent activated with a real key logs in and the grades section says, in
each language, that there is nothing to show yet.
"""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from chalicelib.languages import LANGUAGES

from .support import stack as stack_mod
from .support.axe import axe_violations
from .support.stack import Stack
from .test_browser_forms import portal_cli
from .test_browser_portal_app import page_url, t
from .test_sis_import import declare

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
LEFT_OUT = ("categories.csv", "lineItems.csv", "results.csv", "demographics.csv")
GREG = "0123456"
PASSWORD = "Quilted-harbor-compass-47"


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Stack, str]]:
    """A stack holding the demo export minus the gradebook; (stack, Minnie's session token)."""
    tmp = tmp_path_factory.mktemp("no-gradebook")
    running = stack_mod.start(tmp, "--no-demo")
    try:
        export = tmp / "export"
        shutil.copytree(ROOT / "portal/demo/sis", export)
        for name in LEFT_OUT:
            (export / name).unlink()
        declare(export, **{name.removesuffix(".csv"): "absent" for name in LEFT_OUT})
        out = portal_cli(running, "sis", "import", str(export))
        assert "warning" not in out and "grades" not in out, out  # no grade was written
        keys = portal_cli(running, "activation-keys", "issue", "--guardian", "gdn-minnie-clayton")
        key = next(csv.DictReader(io.StringIO(keys)))["activation_key"]
        body = {"activation_key": key, "username": "MinnieNoGrades", "password": PASSWORD,
                "password_confirm": PASSWORD}  # fmt: skip
        made = requests.post(f"{running.api}/activation/account", json=body, timeout=30)
        assert made.status_code == 201, made.text
        login = {"username": "MinnieNoGrades", "password": PASSWORD}
        opened = requests.post(f"{running.api}/login", json=login, timeout=30)
        assert opened.status_code == 200, opened.text
        yield running, str(opened.json()["session_token"])
    finally:
        running.stop()


def test_the_api_answers_no_grades(district: tuple[Stack, str]) -> None:
    stack, token = district
    headers = {"Authorization": f"Bearer {token}"}
    students = requests.get(f"{stack.api}/students", headers=headers, timeout=30).json()
    assert GREG in [s["student_id"] for s in students["students"]]
    grades = requests.get(f"{stack.api}/students/{GREG}/grades", headers=headers, timeout=30)
    assert grades.status_code == 200 and grades.json()["classes"] == []
    schedule = requests.get(f"{stack.api}/students/{GREG}/schedule", headers=headers, timeout=30)
    assert schedule.json()["classes"], "the rest of the export was imported"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_grades_section_shows_nothing_yet(
    browser: Any, district: tuple[Stack, str], lang: str
) -> None:
    stack, token = district
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_default_timeout(15_000)
    page.goto(page_url(stack, lang))
    page.evaluate(
        """([token, student]) => {
            sessionStorage.setItem('portal.session', JSON.stringify(
                {token, role: 'parent', must_change_password: false}));
            sessionStorage.setItem('portal.view', JSON.stringify({student}));
        }""",
        [token, GREG],
    )
    page.reload()
    app = page.locator("#portal-app")
    app.locator(".portal-appbar").wait_for()
    app.get_by_role("button", name=t(lang, "tab_grades"), exact=True).click()
    app.locator(".portal-view > h2", has_text=t(lang, "tab_grades")).wait_for()
    empty = app.locator(".portal-view .portal-empty")
    empty.wait_for()
    assert empty.inner_text() == t(lang, "nothing_to_show")
    assert app.locator(".portal-view .portal-status").count() == 0
    assert axe_violations(page) == [], "grades, nothing to show"
    context.close()
    assert errors == [], errors
