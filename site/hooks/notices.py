"""MkDocs hook: show the current district notice at the top of each language's home page.

`portal notices publish` writes site/notices.json (beside the docs folder):
    {"current": {"id": "<notice id>", "languages": {"<lang>": {"title", "summary", "read_more"}}}}
and the notice pages site/docs/<lang>/notices/<id>.md. On the page <lang>/index.md this hook
adds an admonition with the title, the summary and a link to that page, just before the first
second-level heading, so every language's home page keeps the same structure. Without the file
(nothing published yet) the home pages are left as they are.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

_current: dict[str, Any] = {}


def notices_file(config: MkDocsConfig) -> Path:
    """site/notices.json beside the docs folder."""
    return Path(config.docs_dir).parent / "notices.json"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Read the current notice once per build."""
    _current.clear()
    path = notices_file(config)
    if path.exists():
        try:
            _current.update(json.loads(path.read_text(encoding="utf-8")).get("current") or {})
        except (ValueError, AttributeError) as err:
            raise PluginError(f"notices: {path} is not valid: {err}") from None
    return config


def banner(notice: dict[str, Any], lang: str) -> str:
    """The admonition for one language (Markdown)."""
    texts = notice["languages"][lang]
    title = texts["title"].replace('"', "'")
    link = f"notices/{notice['id']}.md"
    return f'!!! info "{title}"\n    {texts["summary"]} [{texts["read_more"]}]({link})\n\n'


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Insert the current notice into <lang>/index.md."""
    if not _current:
        return markdown
    parts = page.file.src_uri.split("/")
    if len(parts) != 2 or parts[1] != "index.md":
        return markdown
    lang = parts[0]
    if lang not in _current.get("languages", {}):
        return markdown
    block = banner(_current, lang)
    head, sep, tail = markdown.partition("\n## ")
    if not sep:
        return markdown.rstrip("\n") + "\n\n" + block
    return head.rstrip("\n") + "\n\n" + block + "## " + tail
