"""MkDocs hook: one search index per language, each language's pages using their own.

mkdocs-static-i18n merges every language into one `search/search_index.json` that every page
downloads: four languages of text for a reader who reads one (QUALITY P5, page weight). After
the build this hook writes `<lang>/search/search_index.json` holding only that language's pages
(locations made relative to the language's root, the lunr language set to it) and keeps only
the default language in the root index, and gives each language its own sitemap.xml (the
language selector fetches it). Each page's theme configuration (`__config.base`) then
points at its language's root, so mkdocs-material loads that index, resolves results against
it, and its language selector maps the current page to the same page in the other language.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page

# Pages whose front matter says `robots: noindex` (their URLs): left out of every sitemap.
_noindex: set[str] = set()

CONFIG_SCRIPT = re.compile(
    r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S
)


def _languages(config: MkDocsConfig) -> tuple[str, list[str]]:
    """The default language and the other languages being built, from the i18n plugin."""
    plugin = config.plugins["i18n"]
    languages = plugin.config.languages
    default = next(lang.locale for lang in languages if lang.default)
    return default, [lang.locale for lang in languages if not lang.default and lang.build]


def _page_language(page: Page, others: list[str]) -> str | None:
    first = page.url.split("/", 1)[0]
    return first if first in others else None


def on_post_page(output: str, page: Page, config: MkDocsConfig, **_: Any) -> str:
    """Point a translated page's theme base at its language's root; note noindex pages."""
    if "noindex" in str(page.meta.get("robots", "")):
        _noindex.add(page.url)
    _, others = _languages(config)
    language = _page_language(page, others)
    if language is None:
        return output

    def rebase(match: re.Match[str]) -> str:
        settings = json.loads(match.group(2))
        # The trailing slash matters: the theme resolves "search/…" against this URL.
        settings["base"] = f"{settings['base'].rstrip('/')}/{language}/"
        return match.group(1) + json.dumps(settings) + match.group(3)

    return CONFIG_SCRIPT.sub(rebase, output, count=1)


@event_priority(-100)  # after mkdocs-static-i18n has written the merged index
def on_post_build(config: MkDocsConfig, **_: Any) -> None:
    """Split the merged index into one index per language."""
    if getattr(config.plugins["i18n"], "building", False):
        return  # a nested per-language build: the merged index is written after them
    default, others = _languages(config)
    root = Path(config.site_dir)
    merged_path = root / "search" / "search_index.json"
    if not merged_path.exists():
        return
    merged = json.loads(merged_path.read_text(encoding="utf-8"))
    by_language: dict[str, list[dict[str, Any]]] = {lang: [] for lang in [default, *others]}
    for doc in merged["docs"]:
        first = doc["location"].split("/", 1)[0]
        if first in others:
            by_language[first].append({**doc, "location": doc["location"][len(first) + 1 :]})
        else:
            by_language[default].append(doc)
    _split_sitemap(root, others, config.site_url or "/")
    _page_sitemaps(root)
    for language, docs in by_language.items():
        index = {**merged, "config": {**merged["config"], "lang": [language]}, "docs": docs}
        target = merged_path if language == default else root / language / "search"
        if language != default:
            target.mkdir(parents=True, exist_ok=True)
            target = target / "search_index.json"
        target.write_text(
            json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
        )


def _split_sitemap(root: Path, others: list[str], site_url: str) -> None:
    """Give each language its own sitemap.xml, which the theme's language selector reads;
    noindex pages are in none."""
    sitemap = root / "sitemap.xml"
    if not sitemap.exists():
        return
    text = sitemap.read_text(encoding="utf-8")
    head, _, rest = text.partition("<url>")
    entries = ["<url>" + chunk for chunk in rest.split("<url>")] if rest else []
    tail = "</urlset>"

    hidden = {site_url.rstrip("/") + "/" + url for url in _noindex}
    entries = [e for e in entries if e.split("<loc>")[-1].split("</loc>")[0] not in hidden]

    def language_of(entry: str) -> str | None:
        location = entry.split("</loc>")[0]
        return next((lang for lang in others if f"/{lang}/" in location), None)

    # Each sitemap lists its own language's pages (their hreflang links name the others).
    for language in [None, *others]:
        own = [e.replace(tail, "") for e in entries if language_of(e) == language]
        target = root / "sitemap.xml" if language is None else root / language / "sitemap.xml"
        target.write_text(head + "".join(own).rstrip() + "\n" + tail + "\n", encoding="utf-8")


EMPTY_SITEMAP = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>\n'
)


def _page_sitemaps(root: Path) -> None:
    """An empty sitemap.xml beside every page that has none.

    Each page's language links point at the same page in the other languages (so switching
    keeps the reader on the page even without JavaScript). The theme's script also fetches
    `sitemap.xml` relative to those links; with an empty one there it keeps the link as it
    is, instead of logging a 404 in the console on every page.
    """
    for page in root.rglob("index.html"):
        target = page.parent / "sitemap.xml"
        if not target.exists():
            target.write_text(EMPTY_SITEMAP, encoding="utf-8")
