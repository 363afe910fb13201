"""MkDocs hook: give the site's forms their texts in the page's language.

Every language's site/messages/<lang>.yml must hold every key of en.yml with the same
{placeholders}, or the build fails. On each page that has a form slot
(`<div class="portal-form" data-form="…">`) the hook adds, before </body>:

- `<script type="application/json" id="portal-messages">` with the page language's `errors` and
  `labels`, the page language and the links the forms need (login, portal, forgot password),
  relative to the page. It is inert data, so a CSP without inline script allows it.
- the form's ES module from assets/js/ (`<script type="module">`, an external file, so the CSP
  needs no 'unsafe-inline'), which imports the modules it needs; only where a form is, so other
  pages stay as light as stock mkdocs-material;
- a `<noscript>` sentence inside each slot, in the page language.

The API address is not here: the forms read it from `<meta name="portal-api">` (main.html).

One register per audience: a page under students/ speaks to the student, every other page (parents/,
help/, the portal) to the parent, and its forms say what the page says. A language whose forms
must read differently for students (Spanish "tú", Vietnamese "bạn") gives those keys again in a
top-level `students:` section of its messages file; the hook hands a students/ page the base texts
with that section laid over them. A page may name its audience in front matter (`audience:
students` or `audience: parents`). The portal, shared by students and parents, takes the parents'
register: it is the parent's window on several children and a household, and the polite form
reads as respectful to a student, where the familiar form would be too familiar for a parent.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import district_ids
import staff_messages
import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from chalicelib.languages import DEFAULT, LANGUAGES

SECTIONS = ("errors", "labels")
# Audiences whose texts may differ from the base (parents') texts, by section of the messages file.
VARIANTS = ("students",)
AUDIENCES = ("parents", *VARIANTS)
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
    "staff": "assets/js/portal-staff.js",
}
# Pages the forms link to, relative to a language's root.
LINKS = {
    "login": "students/login/",
    "portal": "portal/",
    "claim": "students/claim/",
    "forgot_password": "students/forgot-password/",
    "parent_login": "parents/login/",
    # Parents cannot reset a password themselves: their page says whom to ask.
    "parent_forgot_password": "parents/passwords/#forgot",
}
# The theme's skip link ("Skip to content"); on a form page a "Skip to the form" comes first,
# so a phone's keyboard reaches the form's first field with two Tabs.
SKIP = '<div data-md-component="skip">'
SLOT_ID = re.compile(r"""\bid=["']([\w-]+)["']""")

_messages: dict[str, dict[str, dict[str, str]]] = {}
_variants: dict[str, dict[str, dict[str, dict[str, str]]]] = {}  # lang → audience → section
_staff: dict[str, dict[str, dict[str, str]]] = {}  # lang → errors, labels, letter


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


def load_variants(
    folder: Path, base: dict[str, dict[str, dict[str, str]]]
) -> dict[str, dict[str, dict[str, dict[str, str]]]]:
    """Each language's audience sections; raise PluginError on a key the base lacks, an empty
    text or other placeholders than the base text's."""
    loaded: dict[str, dict[str, dict[str, dict[str, str]]]] = {}
    problems = []
    for lang, texts in base.items():
        data = yaml.safe_load((folder / f"{lang}.yml").read_text(encoding="utf-8")) or {}
        loaded[lang] = {}
        for audience in VARIANTS:
            variant = data.get(audience) or {}
            loaded[lang][audience] = {s: dict(variant.get(s) or {}) for s in SECTIONS}
            for section, values in loaded[lang][audience].items():
                for key, text in values.items():
                    where = f"{lang}.yml: {audience}.{section}.{key}"
                    if key not in texts[section]:
                        problems.append(f"{where} is not a key of {section}")
                    elif not isinstance(text, str) or not text.strip():
                        problems.append(f"{where} is empty")
                    elif set(PLACEHOLDER.findall(text)) != set(
                        PLACEHOLDER.findall(texts[section][key])
                    ):
                        problems.append(f"{where} must use the placeholders of {section}.{key}")
    if problems:
        raise PluginError("portal_i18n: audience texts wrong:\n  " + "\n  ".join(problems))
    return loaded


def texts_for(lang: str, audience: str) -> dict[str, dict[str, str]]:
    """The messages a page of `audience` shows in `lang`: the base with the audience's texts."""
    variant = _variants.get(lang, {}).get(audience, {})
    return {
        section: {**_messages[lang][section], **variant.get(section, {})} for section in SECTIONS
    }


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Load and check the messages once per build (the i18n plugin builds once per language)."""
    _messages.clear()
    _messages.update(load_messages(messages_dir(config), languages(config)))
    _variants.clear()
    _variants.update(load_variants(messages_dir(config), _messages))
    _staff.clear()
    _staff.update(staff_messages.load(messages_dir(config), _messages))
    # Checked with their placeholders, then shown with the district's identifiers.
    for loaded in (_messages, _variants, _staff):
        loaded.update(district_ids.fill_texts(loaded))
    return config


def page_language(page: Page, config: MkDocsConfig) -> str:
    """The language of the page being built."""
    lang = getattr(page.file, "locale", None) or config.theme.get("language") or DEFAULT
    return lang if lang in _messages else DEFAULT


def language_root(page: Page, lang: str) -> str:
    """The URL of the page language's home, relative to the site root ("" or "fr/")."""
    return f"{lang}/" if page.url.startswith(f"{lang}/") else ""


def page_audience(page: Page, lang: str) -> str:
    """Who a page speaks to: its front matter's `audience`, else students for students/ pages
    and parents for every other page."""
    named = page.meta.get("audience")
    if named is not None:
        if named not in AUDIENCES:
            raise PluginError(
                f"portal_i18n: {page.file.src_uri}: audience must be one of {AUDIENCES}"
            )
        return str(named)
    path = page.url.removeprefix(language_root(page, lang))
    return "students" if path.startswith("students/") else "parents"


def inert_json(data: Any) -> str:
    """JSON safe inside a <script> element (no "</script>", no HTML-significant characters)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def module_tag(module: str, page_url: str) -> str:
    """The <script type="module"> of a form, by a URL relative to the page (any depth, any
    language's folder); the module's own "./x.js" imports are relative to the module.

    Fetched at low priority, as classic deferred scripts are, so it does not compete with the
    render-blocking stylesheet for a phone's bandwidth. Measured with mobile Lighthouse on the
    claim and login pages: at the default (high) priority the first paint came later
    (Performance 95-96 instead of 97-98), and preloading the imported modules as well
    (`<link rel="modulepreload">`) held it up more (92-95), so they are not preloaded.
    """
    src = get_relative_url(module, page_url)
    return f'<script type="module" fetchpriority="low" src="{src}"></script>'


def page_link(target: str, page_url: str) -> str:
    """A site path (with an optional #fragment) relative to the page."""
    path, sep, fragment = target.partition("#")
    return get_relative_url(path, page_url) + sep + fragment


def skip_to_form(output: str, slot: str, text: str) -> str:
    """Put a "Skip to the form" link first in the theme's skip links, to the first slot."""
    found = SLOT_ID.search(slot)
    if found is None:
        return output
    link = f'<a href="#{found.group(1)}" class="md-skip">{html.escape(text)}</a>'
    return output.replace(SKIP, SKIP + link, 1)


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Add messages, scripts and a no-script hint to pages with a form slot."""
    slots = SLOT.findall(output)
    if not slots:
        return output
    lang = page_language(page, config)
    audience = page_audience(page, lang)
    texts = texts_for(lang, audience)
    root = language_root(page, lang)
    data = {
        "audience": audience,
        "lang": lang,
        "errors": texts["errors"],
        "labels": texts["labels"],
        "links": {name: page_link(root + url, page.url) for name, url in LINKS.items()},
        "identity": district_ids.form_data(),
    }
    modules: list[str] = []
    for slot in slots:
        kind = FORM_KIND.search(slot)
        if kind is None or kind.group(1) not in SCRIPTS:
            raise PluginError(f"portal_i18n: {page.file.src_uri}: unknown form slot {slot}")
        if SCRIPTS[kind.group(1)] not in modules:
            modules.append(SCRIPTS[kind.group(1)])
    if SCRIPTS["staff"] in modules:
        extra = staff_messages.page_data(lang, _staff, _messages)
        data["errors"] = {**data["errors"], **extra["errors"]}
        data["labels"] = {**data["labels"], **extra["labels"]}
        data["letters"] = extra["letters"]
        # A staff session that ends comes back to the staff page's own login.
        data["links"] = {**data["links"], "login": page_link(root + "staff/", page.url)}
    hint = html.escape(texts["labels"]["noscript"])
    noscript = f'<noscript><p class="portal-noscript">{hint}</p></noscript>'
    output = SLOT.sub(lambda match: match.group(0) + noscript, output)
    forms = [slot for slot in slots if 'data-form="portal"' not in slot]  # the app is no form
    if forms:
        output = skip_to_form(output, forms[0], texts["labels"]["skip_to_form"])
    tags = [f'<script type="application/json" id="portal-messages">{inert_json(data)}</script>']
    tags += [module_tag(module, page.url) for module in modules]
    head, sep, tail = output.rpartition("</body>")
    if not sep:
        raise PluginError(f"portal_i18n: {page.file.src_uri} has no </body>")
    return head + "\n".join(tags) + "\n" + sep + tail
