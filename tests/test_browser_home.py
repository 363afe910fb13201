"""The home page of each language in Debian Chromium, against the running `portal run`."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlparse

import pytest
import requests

from .support.stack import Stack

pytestmark = pytest.mark.browser

HOME = {
    "en": ("", "Family Help Center"),
    "fr": ("fr/", "Centre d'aide aux familles"),
    "es": ("es/", "Centro de ayuda para familias"),
    "vi": ("vi/", "Trung tâm hỗ trợ gia đình"),
}


@pytest.mark.parametrize("lang", list(HOME))
def test_home_page_in_each_language(stack: Stack, page: Any, lang: str) -> None:
    path, heading = HOME[lang]
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlparse(request.url).netloc))
    response = page.goto(f"{stack.site}/{path}")
    assert response is not None and response.status == 200
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("h1").first.inner_text().strip() == heading
    # Nothing is fetched from any host but the site itself (fonts and scripts self-hosted).
    assert hosts == {urlparse(stack.site).netloc}


@pytest.mark.parametrize("lang", list(HOME))
def test_language_switcher_reaches_every_language(stack: Stack, page: Any, lang: str) -> None:
    page.goto(f"{stack.site}/{HOME[lang][0]}")
    links = page.locator("a[hreflang]")
    targets = {links.nth(i).get_attribute("hreflang") for i in range(links.count())}
    assert {"en", "fr", "es", "vi"} <= targets
    other = "vi" if lang != "vi" else "fr"
    with page.expect_navigation():
        page.locator(f"a[hreflang='{other}']").first.dispatch_event("click")
    assert page.locator("html").get_attribute("lang") == other


def test_language_switcher_keeps_the_reader_on_the_same_page(stack: Stack, page: Any) -> None:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{stack.site}/fr/students/claim/")
    with page.expect_navigation():
        page.locator("a[hreflang='vi']").first.dispatch_event("click")
    assert page.url == f"{stack.site}/vi/students/claim/"
    assert page.locator("html").get_attribute("lang") == "vi"
    assert errors == []  # no failed request behind the switcher (e.g. a missing sitemap)


@pytest.mark.parametrize("path", ["", "fr/students/claim/", "vi/help/", "es/parents/activate/"])
def test_pages_run_under_a_csp_without_unsafe_inline_scripts(
    stack: Stack, page: Any, path: str
) -> None:
    """The theme's inline scripts are allowed by hash (QUALITY S9): none is blocked."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    response = page.goto(f"{stack.site}/{path}", wait_until="networkidle")
    assert response is not None
    policy = response.headers["content-security-policy"]
    script_src = next(p for p in policy.split("; ") if p.startswith("script-src "))
    assert "'unsafe-inline'" not in script_src and "'sha256-" in script_src
    assert errors == []
    # The theme's inline start-up script ran: it defines __md_get, used for stored settings.
    assert page.evaluate("typeof __md_get") == "function"


SLOTS = {
    "students/claim/": "#claim-form",
    "students/login/": "#login-form",
    "students/forgot-password/": "#reset-form",
    "parents/activate/": "#activate-form",
}


@pytest.mark.parametrize("path", list(SLOTS))
def test_a_form_slot_keeps_the_drawn_forms_room_before_its_script_runs(
    stack: Stack, browser: Any, path: str
) -> None:
    """No layout shift when the form is drawn (portal.css): the empty slot is already as tall."""
    heights = []
    for blocked in (True, False):
        context = browser.new_context(viewport={"width": 412, "height": 823})
        page = context.new_page()
        if blocked:  # the page as a phone paints it before the deferred form script has run
            page.route("**/assets/js/*.js", lambda route: route.abort())
        try:
            page.goto(f"{stack.site}/vi/{path}", wait_until="networkidle")
            slot = page.locator(SLOTS[path])
            if not blocked:
                slot.locator("button").first.wait_for()
            heights.append(slot.evaluate("e => e.getBoundingClientRect().height"))
        finally:
            context.close()
    empty, drawn = heights
    assert abs(empty - drawn) <= 8, (empty, drawn)


def test_the_theme_bundle_does_not_hold_up_the_first_paint(stack: Stack) -> None:
    """main.html defers it; the inline search-index script comes before it."""
    html = requests.get(f"{stack.site}/fr/students/claim/", timeout=10).text
    bundle = re.search(r'<script([^>]*)src="[^"]*assets/javascripts/bundle\.[^"]+"', html)
    assert bundle is not None and "defer" in bundle.group(1)
    assert html.index("lazyIndex") < bundle.start()
