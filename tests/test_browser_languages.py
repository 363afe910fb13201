"""Languages in plain sight and the way through the forms on a 390×844 phone, in Debian Chromium
against a running `portal run`: the language links on every home page, the offer of the page in
the browser's language, the 404 page in the address's language, "Forgot my Password" after a
failed login, the skip link to the form and the closed drawer out of the tab order, axe-core."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from chalicelib.languages import LANGUAGES, NAMES

from .support.stack import Stack
from .test_browser_forms import axe_violations, err, page_url, t

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
# The theme's own French, Spanish and Vietnamese words on the 404 page's frame.
SEARCH = {"en": "Search", "fr": "Rechercher", "es": "Búsqueda", "vi": "Tìm kiếm"}
SITE_NAMES = {
    "en": "Family Help Center",
    "fr": "Centre d'aide aux familles",
    "es": "Centro de ayuda para familias",
    "vi": "Trung tâm hỗ trợ gia đình",
}
NOT_FOUND = {
    "en": "Page not found",
    "fr": "Page introuvable",
    "es": "Página no encontrada",
    "vi": "Không tìm thấy trang",
}


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    """A new phone-sized page whose browser prefers the given language (phone(locale))."""
    contexts: list[Any] = []

    def open_page(locale: str = "en-US") -> Any:
        context = browser.new_context(viewport=PHONE, locale=locale, is_mobile=True)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


def focused(page: Any) -> dict[str, Any]:
    """The focused element: its text, name, and whether it sits in the navigation drawer."""
    return page.evaluate(
        """() => { const e = document.activeElement;
            return {text: (e.textContent || '').trim(), name: e.name || '',
                    inForm: !!e.closest('.portal-form'),
                    inDrawer: !!e.closest('.md-sidebar--primary')}; }"""
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_home_page_links_the_four_languages_by_their_names(
    stack: Stack, phone: Any, lang: str
) -> None:
    page = phone()
    page.goto(page_url(stack, lang, ""))
    nav = page.locator("nav.portal-languages")
    links = nav.get_by_role("link")
    assert [links.nth(i).inner_text().strip() for i in range(links.count())] == list(NAMES.values())
    box = nav.bounding_box()
    assert box is not None and box["y"] + box["height"] <= PHONE["height"]  # first screen
    assert nav.evaluate("e => e.scrollWidth <= e.clientWidth")  # no sideways scrolling
    other = "vi" if lang != "vi" else "es"
    with page.expect_navigation():
        nav.get_by_role("link", name=NAMES[other]).click()
    assert page.url == page_url(stack, other, "")
    assert page.locator("html").get_attribute("lang") == other
    assert axe_violations(page) == []


@pytest.mark.parametrize(("locale", "lang"), [("fr-FR", "fr"), ("es-MX", "es"), ("vi-VN", "vi")])
def test_a_browser_in_another_language_is_offered_the_same_page_in_it(
    stack: Stack, phone: Any, locale: str, lang: str
) -> None:
    page = phone(locale)
    page.goto(page_url(stack, "en", "help/troubleshooting/"))
    offer = page.locator(".portal-language-offer")
    offer.wait_for()
    assert page.url == page_url(stack, "en", "help/troubleshooting/")  # offered, not redirected
    assert offer.get_attribute("lang") == lang
    assert t(lang, "language_offer") in offer.inner_text()
    # Fixed over the page, the line moves nothing in it (Lighthouse CLS); the theme's header
    # (its language menu) shifts by itself by a hair, with or without the offer.
    shifts = page.evaluate(
        """() => new Promise(done => {
            const moved = [];
            new PerformanceObserver(list => list.getEntries().forEach(e => e.sources
                .filter(s => !s.node || !s.node.closest || !s.node.closest('.md-header'))
                .forEach(s => moved.push(s.node ? s.node.nodeName : '?'))))
                .observe({type: 'layout-shift', buffered: true});
            setTimeout(() => done(moved), 300);
        })"""
    )
    assert shifts == []
    assert axe_violations(page) == []
    with page.expect_navigation():
        offer.get_by_role("link", name=t(lang, "language_offer_link")).click()
    assert page.url == page_url(stack, lang, "help/troubleshooting/")
    assert page.locator(".portal-language-offer").count() == 0  # the page is in their language


def test_the_offer_can_be_closed_for_good(stack: Stack, phone: Any) -> None:
    page = phone("vi-VN")
    page.goto(page_url(stack, "en", ""))
    offer = page.locator(".portal-language-offer")
    offer.get_by_role("button", name=t("vi", "close")).click()
    assert offer.count() == 0
    page.goto(page_url(stack, "en", "parents/activate/"))
    page.locator("#activate-form.portal-ready").wait_for()
    assert page.locator(".portal-language-offer").count() == 0


@pytest.mark.parametrize("locale", ["en-US", "de-DE"])
def test_no_offer_in_english_or_in_a_language_the_site_does_not_have(
    stack: Stack, phone: Any, locale: str
) -> None:
    page = phone(locale)
    page.goto(page_url(stack, "en", ""), wait_until="networkidle")
    assert page.evaluate("navigator.languages[0]") == locale
    assert page.locator(".portal-language-offer").count() == 0


@pytest.mark.parametrize(
    ("path", "lang"),
    [("fr/students/nope/", "fr"), ("es/x", "es"), ("vi/a/b/c/", "vi"), ("nope/", "en"),
     ("frx/", "en")],
)  # fmt: skip
def test_the_404_page_speaks_the_language_of_the_address(
    stack: Stack, phone: Any, path: str, lang: str
) -> None:
    page = phone("en-US")
    response = page.goto(f"{stack.site}/{path}")
    assert response is not None and response.status == 404
    page.wait_for_function("lang => document.documentElement.lang === lang", arg=lang)
    assert page.title() == NOT_FOUND[lang]
    assert page.locator("h1").inner_text() == NOT_FOUND[lang]
    assert page.locator(".md-header__topic").first.inner_text().strip() == SITE_NAMES[lang]
    assert page.locator(".md-search__input").get_attribute("placeholder") == SEARCH[lang]
    home = page.locator("#portal-404-home")
    with page.expect_navigation():
        home.click()
    assert page.url == page_url(stack, lang, "")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_404_page_has_no_axe_violation(stack: Stack, phone: Any, lang: str) -> None:
    page = phone()
    page.goto(page_url(stack, lang, "no/such/page/"))
    page.wait_for_function("lang => document.documentElement.lang === lang", arg=lang)
    assert axe_violations(page) == []


@pytest.mark.parametrize(
    ("lang", "path", "help_path"),
    [("en", "students/login/", "students/forgot-password/"),
     ("fr", "parents/login/", "parents/passwords/#forgot"),
     ("es", "students/login/", "students/forgot-password/"),
     ("vi", "parents/login/", "parents/passwords/#forgot")],
)  # fmt: skip
def test_authentication_failed_is_followed_by_forgot_my_password(
    stack: Stack, phone: Any, lang: str, path: str, help_path: str
) -> None:
    page = phone()
    page.goto(page_url(stack, lang, path))
    login = page.locator("#login-form")
    login.locator("input[name=username]").fill(f"nobody{uuid.uuid4().hex[:8]}")
    login.get_by_role("button", name=t(lang, "go")).click()
    login.locator("input[name=password]").fill("Not-The-Password-1")
    login.get_by_role("button", name=t(lang, "go")).click()
    alert = login.locator("[aria-live=polite]")
    alert.get_by_text(err(lang, "authentication_failed"), exact=True).wait_for()
    forgot = alert.get_by_role("link", name=t(lang, "forgot_password"))
    assert forgot.count() == 1
    assert axe_violations(page) == []
    with page.expect_navigation():
        forgot.click()
    assert page.url == page_url(stack, lang, help_path)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_on_a_phone_two_tabs_reach_the_form_and_the_closed_drawer_is_skipped(
    stack: Stack, phone: Any, lang: str
) -> None:
    page = phone()
    page.goto(page_url(stack, lang, "parents/login/"))
    page.locator("#login-form.portal-ready input[name=username]").wait_for()
    page.keyboard.press("Tab")
    assert focused(page)["text"] == t(lang, "skip_to_form")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "username"
    # Through the page from the top: nothing in the closed drawer takes the focus.
    page.goto(page_url(stack, lang, "help/"))
    seen = []
    for _ in range(25):
        page.keyboard.press("Tab")
        seen.append(focused(page))
    assert not any(item["inDrawer"] for item in seen)
    # The menu button is reachable and opens the drawer with Enter; its links then are.
    page.goto(page_url(stack, lang, "help/"))
    button = page.locator(".md-header__button[for=__drawer]")
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("document.getElementById('__drawer').checked")
    page.wait_for_function(
        """() => [...document.querySelectorAll('.md-sidebar--primary a')]
            .some(a => a.checkVisibility({visibilityProperty: true}))"""
    )
    assert axe_violations(page) == []
