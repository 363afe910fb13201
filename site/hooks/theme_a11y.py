"""MkDocs hook: three accessibility fixes to mkdocs-material's markup (axe-core, QUALITY.md L5).

- The search overlay is a `role="dialog"` without a name: it gets the search box's own label.
- On a phone the navigation drawer's menu button is a <label> no keyboard can reach, and once
  the closed drawer is out of the tab order (portal.css) its links would be out of reach: the
  button joins the tab order, its name as hidden text (a label may carry no role nor
  aria-label); the theme opens a focused label on Enter.
- A navigation section with an index page (`navigation.indexes`) is a <nav> labelled by an
  element holding only an icon, so several landmarks end up with the same empty name: each is
  labelled by its visible title instead.

The theme's templates are left as they are; if a new theme release changes this markup, the
patterns stop matching and the browser test's axe run says so.
"""

from __future__ import annotations

import re
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

SEARCH_DIALOG = re.compile(r'<div class="md-search" data-md-component="search" role="dialog">')
SEARCH_LABEL = re.compile(r'<input type="text" class="md-search__input"[^>]*\baria-label="([^"]*)"')
DRAWER_BUTTON = '<label class="md-header__button md-icon" for="__drawer">'
NAV_LABEL = re.compile(r'<nav class="md-nav md-nav--primary" aria-label="([^"]*)"')
SECTION_NAV = re.compile(
    r'(<nav class="md-nav" data-md-level="\d+" )aria-labelledby="(?P<path>[\w-]+)_label"'
    r'(?P<rest>[^>]*>\s*<label class="md-nav__title" for="(?P=path)")>'
)


def fix(html: str) -> str:
    """Name the search dialog and the section landmarks."""
    label = SEARCH_LABEL.search(html)
    if label:
        html = SEARCH_DIALOG.sub(
            lambda m: m.group(0)[:-1] + f' aria-label="{label.group(1)}">', html, count=1
        )
    nav = NAV_LABEL.search(html)
    if nav:
        html = html.replace(
            DRAWER_BUTTON,
            f'{DRAWER_BUTTON[:-1]} tabindex="0">'
            f'<span class="portal-hidden-text">{nav.group(1)}</span>',
            1,
        )
    return SECTION_NAV.sub(
        lambda m: (
            f'{m.group(1)}aria-labelledby="{m.group("path")}_title"{m.group("rest")}'
            f' id="{m.group("path")}_title">'
        ),
        html,
    )


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Every page."""
    return fix(output)


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> Any:
    """The 404 page, rendered from a template rather than a page."""
    return fix(output_content) if template_name == "404.html" else output_content
