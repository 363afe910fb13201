"""A notice's HTML for the portal, reduced to an allowlist of elements and attributes.

The portal inserts the stored string as HTML, so it is cleaned once, here, when
`portal notices publish` stores it: the Lambda function only returns it and needs no HTML
library. Links keep http(s) and mailto addresses only and open as ordinary links.
"""

from __future__ import annotations

import nh3

# What a notice's Markdown produces (headings, lists, emphasis, links, tables, admonitions).
TAGS = {
    "h2", "h3", "h4", "p", "br", "ul", "ol", "li", "strong", "em", "b", "i", "a", "code",
    "blockquote", "hr", "table", "thead", "tbody", "tr", "th", "td", "div", "span",
}  # fmt: skip
# Headings keep their ids: the notice's own "#…" links point at them.
ATTRIBUTES = {
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "a": {"href", "hreflang"},
    "div": {"class"},
    "p": {"class"},
    "th": {"scope"},
    "td": {"colspan"},
    "ol": {"start"},
}
SCHEMES = {"http", "https", "mailto"}


def clean(html: str) -> str:
    """`html` with every element, attribute and URL scheme outside the allowlist removed."""
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
