"""MkDocs hook: give the site's forms their texts in the page's language.

Every language's site/messages/<lang>.yml must hold every key of en.yml with the same
{placeholders}, or the build fails. On each page that has a form slot
(`<div class="portal-form" data-form="…">`) the hook adds, before </body>:

- `<script type="application/json" id="portal-messages">` with the page language's `errors` and
  `labels`, the page language and the links the forms need (login, portal, forgot password),
  relative to the page. It is inert data, so a CSP without inline script allows it.
- the form's ES module from assets/js/ (`<script type="module">`, an external file, so the CSP
  needs no 'unsafe-inline'), with a `<link rel="modulepreload">` for each module it imports, so
  a phone fetches them all at once rather than one import level per round trip; only where a
  form is, so other pages stay as light as stock mkdocs-material;
- a `<noscript>` sentence inside each slot, in the page language.

The API address is not here: the forms read it from `<meta name="portal-api">` (main.html).
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from chalicelib.languages import DEFAULT, LANGUAGES

SECTIONS = ("errors", "labels")
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
SLOT = re.compile(r"""<div\b[^>]*\bclass=["'][^"']*\bportal-form\b[^>]*>""")
FORM_KIND = re.compile(r"""\bdata-form=["']([a-z]+)["']""")
# The module a slot of each kind runs (paths under the docs folder); it imports the others.
SCRIPTS = {
    "claim": "assets/js/portal-claim.js",
    "login": "assets/js/portal-login.js",
    "reset": "assets/js/portal-reset.js",
    "activate": "assets/js/portal-activate.js",
    "portal": "assets/js/portal-app.js",
}
# A static import of a module beside it: `from "./portal-dom.js"` or `import "./x.js"`.
IMPORT = re.compile(r"""\b(?:from|import)\s*["']\./([\w-]+\.js)["']""")
# Pages the forms link to, relative to a language's root.
LINKS = {
    "login": "students/login/",
    "portal": "portal/",
    "claim": "students/claim/",
    "forgot_password": "students/forgot-password/",
}

_messages: dict[str, dict[str, dict[str, str]]] = {}
_imports: dict[str, list[str]] = {}  # each form kind's modules to preload, read once per build


def messages_dir(config: MkDocsConfig) -> Path:
    """site/messages beside the docs folder."""
    return Path(config.docs_dir).parent / "messages"


def languages(config: MkDocsConfig) -> list[str]:
    """Locales configured in the i18n plugin (the default language first)."""
    plugin = config.plugins.get("i18n")
    try:
        found = [lang.locale for lang in plugin.config.languages]  # type: ignore[union-attr]
    except AttributeError:
        return list(LANGUAGES)
    return sorted(found, key=lambda locale: locale != DEFAULT)


def load_messages(folder: Path, langs: list[str]) -> dict[str, dict[str, dict[str, str]]]:
    """Every language's messages; raise PluginError naming each missing key or placeholder."""
    loaded: dict[str, dict[str, dict[str, str]]] = {}
    for lang in langs:
        path = folder / f"{lang}.yml"
        if not path.exists():
            raise PluginError(f"portal_i18n: {path} is missing")
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        loaded[lang] = {section: dict(data.get(section) or {}) for section in SECTIONS}
    reference = loaded["en"]
    problems = []
    for lang, texts in loaded.items():
        for section in SECTIONS:
            for key, english in reference[section].items():
                text = texts[section].get(key)
                if not isinstance(text, str) or not text.strip():
                    problems.append(f"{lang}.yml: {section}.{key} is missing")
                elif set(PLACEHOLDER.findall(text)) != set(PLACEHOLDER.findall(english)):
                    problems.append(
                        f"{lang}.yml: {section}.{key} must use the placeholders of en.yml "
                        f"{sorted(set(PLACEHOLDER.findall(english)))}"
                    )
    if problems:
        raise PluginError("portal_i18n: messages incomplete:\n  " + "\n  ".join(problems))
    return loaded


def imported_modules(docs_dir: Path, entry: str) -> list[str]:
    """Every module entry imports, directly or not, in the order first met (docs-relative)."""
    found: list[str] = []
    pending = [entry]
    while pending:
        module = pending.pop(0)
        path = docs_dir / module
        if not path.exists():
            raise PluginError(f"portal_i18n: {module} is missing")
        for name in IMPORT.findall(path.read_text(encoding="utf-8")):
            imported = f"{Path(module).parent.as_posix()}/{name}"
            if imported != entry and imported not in found:
                found.append(imported)
                pending.append(imported)
    return found


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Check the messages and read the modules' imports once per build (not once per language)."""
    _messages.clear()
    _messages.update(load_messages(messages_dir(config), languages(config)))
    _imports.clear()
    docs = Path(config.docs_dir)
    _imports.update({kind: imported_modules(docs, entry) for kind, entry in SCRIPTS.items()})
    return config


def page_language(page: Page, config: MkDocsConfig) -> str:
    """The language of the page being built."""
    lang = getattr(page.file, "locale", None) or config.theme.get("language") or DEFAULT
    return lang if lang in _messages else DEFAULT


def language_root(page: Page, lang: str) -> str:
    """The URL of the page language's home, relative to the site root ("" or "fr/")."""
    return f"{lang}/" if page.url.startswith(f"{lang}/") else ""


def inert_json(data: Any) -> str:
    """JSON safe inside a <script> element (no "</script>", no HTML-significant characters)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def module_tags(kinds: list[str], page_url: str) -> list[str]:
    """Preload links for the modules the forms import, then each form kind's module.

    URLs in the page are relative to it, at any depth and in any language's folder; a module's
    own "./x.js" imports are relative to the module, so both land on the same files.
    """
    entries = list(dict.fromkeys(SCRIPTS[kind] for kind in kinds))
    imported = dict.fromkeys(module for kind in kinds for module in _imports[kind])
    preloads = [module for module in imported if module not in entries]
    links = [f'<link rel="modulepreload" href="{get_relative_url(m, page_url)}">' for m in preloads]
    scripts = [
        f'<script type="module" src="{get_relative_url(e, page_url)}"></script>' for e in entries
    ]
    return links + scripts


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Add messages, scripts and a no-script hint to pages with a form slot."""
    slots = SLOT.findall(output)
    if not slots:
        return output
    lang = page_language(page, config)
    texts = _messages[lang]
    root = language_root(page, lang)
    data = {
        "lang": lang,
        "errors": texts["errors"],
        "labels": texts["labels"],
        "links": {name: get_relative_url(root + url, page.url) for name, url in LINKS.items()},
    }
    kinds: list[str] = []
    for slot in slots:
        kind = FORM_KIND.search(slot)
        if kind is None or kind.group(1) not in SCRIPTS:
            raise PluginError(f"portal_i18n: {page.file.src_uri}: unknown form slot {slot}")
        kinds.append(kind.group(1))
    hint = html.escape(texts["labels"]["noscript"])
    noscript = f'<noscript><p class="portal-noscript">{hint}</p></noscript>'
    output = SLOT.sub(lambda match: match.group(0) + noscript, output)
    tags = [f'<script type="application/json" id="portal-messages">{inert_json(data)}</script>']
    tags += module_tags(kinds, page.url)
    head, sep, tail = output.rpartition("</body>")
    if not sep:
        raise PluginError(f"portal_i18n: {page.file.src_uri} has no </body>")
    return head + "\n".join(tags) + "\n" + sep + tail
