"""Search in each language finds that language's pages (QUALITY L4, P5 page weight)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from .support.stack import Stack

pytestmark = pytest.mark.browser

# A word each language's guides use and the page it should lead to first.
QUERIES = {
    "en": ("", "activation", "parents/activate/"),
    "fr": ("fr/", "activer", "fr/parents/activate/"),
    "es": ("es/", "activación", "es/parents/activate/"),
    "vi": ("vi/", "kích hoạt", "vi/parents/activate/"),
}


@pytest.mark.parametrize("lang", list(QUERIES))
def test_search_returns_same_language_page_first(stack: Stack, page: Any, lang: str) -> None:
    prefix, word, expected = QUERIES[lang]
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{stack.site}/{prefix}", wait_until="networkidle")
    # The index is not part of the page's weight: it comes when the reader opens search.
    assert not [u for u in requested if u.endswith("search_index.json")]
    box = page.locator("input.md-search__input")
    with page.expect_response(lambda r: r.url.endswith("search_index.json")):
        box.click()
    first = page.locator(".md-search-result__item a").first
    # The worker builds the index after downloading it; a query typed before it is ready is
    # answered with nothing, so type again until results come (as a person would).
    for _ in range(20):
        box.click()
        box.fill("")
        page.keyboard.type(word, delay=30)
        try:
            first.wait_for(timeout=1_500)
            break
        except PlaywrightTimeout:
            page.wait_for_timeout(200)  # not ready yet
    first.wait_for(timeout=5_000)
    href = first.get_attribute("href") or ""
    assert href.split("#")[0].startswith(f"{stack.site}/{expected}"), href
    # Each language downloads its own index only, never the others'.
    indexes = [u for u in requested if u.endswith("search_index.json")]
    assert indexes == [f"{stack.site}/{prefix}search/search_index.json"]


def test_search_icon_on_a_phone_loads_the_index(stack: Stack, browser: Any) -> None:
    """On a narrow screen the search box is hidden behind an icon: tapping it fetches the index."""
    context = browser.new_context(viewport={"width": 375, "height": 740}, has_touch=True)
    page = context.new_page()
    try:
        page.goto(f"{stack.site}/vi/", wait_until="networkidle")
        with page.expect_response(lambda r: r.url.endswith("vi/search/search_index.json")):
            page.locator("label.md-header__button[for='__search']").tap()
        page.keyboard.type("mật khẩu", delay=20)
        page.locator(".md-search-result__item a").first.wait_for(timeout=10_000)
    finally:
        context.close()
