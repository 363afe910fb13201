"""MkDocs hook: the four languages in plain sight (issue 13, item 5).

- Each language's home page (<lang>/index.md) starts with the four languages by their own
  names (chalicelib.languages.NAMES), each a link to that language's home page.
- Each English page carries, as inert JSON, one line per other language offering the same page
  in it, and assets/js/portal-language-offer.js, which shows the line of the language the
  browser prefers (never a redirect).
- The 404 page: every language's build renders it (site/overrides/404.html); the English one is
  kept at the site's root, with every language's texts, and assets/js/portal-404.js speaks the
  language of the address asked for. No server needs a rule per language.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url
from portal_i18n import inert_json, languages, load_messages, messages_dir, module_tag

from chalicelib.languages import DEFAULT, LANGUAGES, NAMES

OFFER_SCRIPT = "assets/js/portal-language-offer.js"
OFFER_DATA = "portal-language-offer"
NOT_FOUND_SCRIPT = "assets/js/portal-404.js"
FIRST_HEADING = re.compile(r"<h1\b")
FRAME = re.compile(r'<script type="application/json" id="portal-404-frame">(.*?)</script>', re.S)
# The theme writes the alternates of whatever page it rendered last: wrong on the 404 page.
ALTERNATE = re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]+">')

_labels: dict[str, dict[str, str]] = {}
_not_found: dict[str, Any] = {"frames": {}, "page": None}


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Each language's labels (site/messages/<lang>.yml), checked as the forms' hook does."""
    loaded = load_messages(messages_dir(config), languages(config))
    _labels.update({lang: texts["labels"] for lang, texts in loaded.items()})
    return config


def labels(lang: str) -> dict[str, str]:
    """A language's labels."""
    return _labels[lang]


def split_source(page: Page) -> tuple[str, str]:
    """("fr", "students/claim.md") for the page fr/students/claim.md."""
    lang, _, rest = page.file.src_uri.partition("/")
    return (lang, rest) if lang in LANGUAGES else (DEFAULT, page.file.src_uri)


def url_in(lang: str, page: Page) -> str:
    """The site path of the page's version in lang ("fr/students/claim/")."""
    own, _ = split_source(page)
    bare = page.url[len(own) + 1 :] if own != DEFAULT else page.url
    return bare if lang == DEFAULT else f"{lang}/{bare}"


def language_links(page: Page, lang: str) -> str:
    """The four languages by their own names, each linking to this page in it."""
    items = []
    for code in LANGUAGES:
        href = html.escape(get_relative_url(url_in(code, page), page.url))
        current = ' aria-current="page"' if code == lang else ""
        items.append(
            f'<li><a href="{href}" hreflang="{code}" lang="{code}"{current}>'
            f"{html.escape(NAMES[code])}</a></li>"
        )
    label = html.escape(labels(lang)["site_languages"])
    return f'<nav class="portal-languages" aria-label="{label}"><ul>{"".join(items)}</ul></nav>'


def offers(page: Page, config: MkDocsConfig) -> dict[str, dict[str, str]]:
    """For each other language with this page: its offer line, link and close button."""
    _, rest = split_source(page)
    found = {}
    for code in LANGUAGES:
        if code == DEFAULT or not (Path(config.docs_dir) / code / rest).exists():
            continue
        texts = labels(code)
        found[code] = {
            "text": texts["language_offer"],
            "link": texts["language_offer_link"],
            "close": texts["close"],
            "href": get_relative_url(url_in(code, page), page.url),
        }
    return found


def before_body_end(output: str, tags: str) -> str:
    """Insert tags just before </body>."""
    head, sep, tail = output.rpartition("</body>")
    return head + tags + "\n" + sep + tail if sep else output


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Language links on the home pages; the offer on English pages."""
    lang, rest = split_source(page)
    if rest == "index.md":
        output = FIRST_HEADING.sub(lambda m: language_links(page, lang) + m.group(0), output, 1)
    if lang == DEFAULT:
        data = offers(page, config)
        if data:
            block = f'<script type="application/json" id="{OFFER_DATA}">{inert_json(data)}</script>'
            output = before_body_end(output, block + module_tag(OFFER_SCRIPT, page.url))
    return output


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> Any:
    """Keep each language's 404 texts, and the English 404 page."""
    if template_name != "404.html":
        return output_content
    found = FRAME.search(output_content)
    if found:
        _not_found["frames"].update(json.loads(found.group(1)))
        if config.theme.get("language") == DEFAULT:
            _not_found["page"] = output_content
    return output_content


@event_priority(-110)  # after the i18n plugin's builds of the other languages
def on_post_build(config: MkDocsConfig, **_: Any) -> None:
    """Write the English 404 page with every language's texts and the script choosing one."""
    if getattr(config.plugins["i18n"], "building", False) or not _not_found["page"]:
        return
    frames = inert_json(_not_found["frames"])
    page = FRAME.sub(
        lambda _: f'<script type="application/json" id="portal-404-frame">{frames}</script>',
        ALTERNATE.sub("", _not_found["page"]),
    )
    # The page answers at any depth: the script by the English home's absolute path.
    src = _not_found["frames"][DEFAULT]["home"] + NOT_FOUND_SCRIPT
    page = before_body_end(page, f'<script type="module" src="{src}"></script>')
    (Path(config.site_dir) / "404.html").write_text(page, encoding="utf-8")
