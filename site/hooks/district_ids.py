"""MkDocs hook: the district's identifiers in the guides and the forms' texts, from one setting.

A student ID has PORTAL_STUDENT_ID_DIGITS digits (7 by default) and a student's username is
PORTAL_USERNAME_PREFIX ("S") followed by it: chalicelib.config reads both, for the API and for
this build alike. No page writes them by hand; a guide writes a macro, replaced at build time:

    {{ digits }}                  7          digits of a student ID
    {{ prefix }}                  S          the username prefix
    {{ example_id }}              0123456    an example student ID
    {{ example_username }}        S0123456   its username
    {{ example_username_lower }}  s0123456   the same in small letters (case does not matter)

An unknown macro fails the build. The forms' texts (site/messages/<lang>.yml) write {digits}
and {prefix}: portal_i18n fills them with `fill_texts` and hands the forms' scripts the same
values (`form_data`), which check a typed ID against them.
"""

from __future__ import annotations

import re
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from chalicelib import identity

MACRO = re.compile(r"\{\{\s*([A-Za-z_]+)\s*\}\}")
PLACEHOLDER = re.compile(r"\{(digits|prefix)\}")


def substitute(markdown: str, where: str) -> str:
    """The page with every macro replaced; PluginError naming an unknown one."""
    known = identity.shown()

    def one(match: re.Match[str]) -> str:
        if match.group(1) not in known:
            raise PluginError(
                f"district_ids: {where}: unknown macro {match.group(0)} "
                f"(known: {', '.join(sorted(known))})"
            )
        return known[match.group(1)]

    return MACRO.sub(one, markdown)


def fill_texts(node: Any) -> Any:
    """The forms' texts (nested dicts of strings) with {digits} and {prefix} filled; the other
    placeholders ({wait}, {opens_at}…) stay for the scripts, which know their values."""
    if isinstance(node, dict):
        return {key: fill_texts(value) for key, value in node.items()}
    if isinstance(node, str):
        known = identity.shown()
        return PLACEHOLDER.sub(lambda match: known[match.group(1)], node)
    return node


def form_data() -> dict[str, Any]:
    """What the forms' scripts check a typed student ID against."""
    return {"digits": identity.digits(), "prefix": identity.prefix()}


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Replace the identifier macros of a page."""
    return substitute(markdown, page.file.src_uri)
