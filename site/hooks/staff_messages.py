"""The staff pages' texts (the `staff:` section of site/messages/<lang>.yml), for portal_i18n.

Only the staff pages (a `data-form="staff"` slot) carry them: `staff.labels` and `staff.errors`
are laid over the base labels and errors there, and `staff.letter`, the activation letter to a
guardian, goes in every language, since each guardian's page is printed in the guardian's own
language whatever the page's. A staff key may not reuse a base key (it would change the base
text on the staff page silently); every language must have every key of en.yml's section with
the same {placeholders}, or the build fails.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from mkdocs.exceptions import PluginError

PARTS = ("errors", "labels", "letter")
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
# The activation form's labels the letter's steps quote, in the guardian's language.
FORM_LABELS = (
    "activation_key",
    "next",
    "username",
    "password",
    "verify_password",
    "create_account",
)

Texts = dict[str, dict[str, str]]


def _problems(lang: str, part: str, texts: dict[str, Any], reference: dict[str, str]) -> list[str]:
    """What is missing or has other placeholders than en.yml in one part of one language."""
    found = []
    for key, english in reference.items():
        text = texts.get(key)
        if not isinstance(text, str) or not text.strip():
            found.append(f"{lang}.yml: staff.{part}.{key} is missing")
        elif set(PLACEHOLDER.findall(text)) != set(PLACEHOLDER.findall(english)):
            found.append(f"{lang}.yml: staff.{part}.{key} must use the placeholders of en.yml")
    extra = [key for key in texts if key not in reference]
    found += [f"{lang}.yml: staff.{part}.{key} is not in en.yml" for key in extra]
    return found


def load(folder: Path, base: dict[str, Texts]) -> dict[str, Texts]:
    """Every language's staff texts (base: the loaded errors and labels, by language)."""
    loaded: dict[str, Texts] = {}
    for lang in base:
        data = yaml.safe_load((folder / f"{lang}.yml").read_text(encoding="utf-8")) or {}
        section = data.get("staff") or {}
        loaded[lang] = {part: dict(section.get(part) or {}) for part in PARTS}
    problems = []
    for lang, texts in loaded.items():
        for part in PARTS:
            problems += _problems(lang, part, texts[part], loaded["en"][part])
    for part in ("errors", "labels"):
        clashes = sorted(set(loaded["en"][part]) & set(base["en"][part]))
        problems += [f"en.yml: staff.{part}.{key} is also a key of {part}" for key in clashes]
    if problems:
        raise PluginError("portal_i18n: staff texts wrong:\n  " + "\n  ".join(problems))
    return loaded


def page_data(lang: str, staff: dict[str, Texts], base: dict[str, Texts]) -> dict[str, Any]:
    """What a staff page adds to its messages: its language's staff texts, every letter."""
    letters = {
        code: {**texts["letter"], "form": {key: base[code]["labels"][key] for key in FORM_LABELS}}
        for code, texts in staff.items()
    }
    return {"errors": staff[lang]["errors"], "labels": staff[lang]["labels"], "letters": letters}
