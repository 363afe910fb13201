"""MkDocs hook: absolute addresses in each page's <link rel="alternate" hreflang> elements.

The theme writes them relative ("../../es/students/claim/"); search engines only accept absolute
ones, so a relative set is ignored and a family searching in Spanish may be sent to the English
page (Lighthouse SEO "hreflang"). The address is the page's own canonical URL (from site_url,
i.e. PORTAL_SITE_URL) joined with the relative one. The language selector's links stay relative.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

ALTERNATE = re.compile(r'(<link rel="alternate" href=")([^"]*)(" hreflang="[^"]+">)')


def on_post_page(output: str, page: Page, config: MkDocsConfig, **_: Any) -> str:
    """Make the page's alternate-language links absolute."""
    base = page.canonical_url
    if not base:
        return output  # no site_url: nothing to make them absolute against
    head, sep, body = output.partition("</head>")
    head = ALTERNATE.sub(lambda m: m.group(1) + urljoin(base, m.group(2)) + m.group(3), head)
    return head + sep + body
