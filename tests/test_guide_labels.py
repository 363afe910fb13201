"""Guides and letters name in bold only what the screens show, word for word (issue 13 item 6).

The rule (site/glossary.yml, "bold"): **bold** marks words the reader sees on a screen: a
button, field, heading, status or message of this site's forms and portal, that is a value of
site/messages/<lang>.yml, or a label of an outside product listed in OUTSIDE. Other emphasis is
not bold, and what the reader types (S0123456, JPRQQH) is `code`. The emails and the printable
PDF are rendered from the letters, so the letters stand for them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from chalicelib.languages import LANGUAGES

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "site" / "docs"
MESSAGES = ROOT / "site" / "messages"
TEMPLATES = ROOT / "templates"
GUIDE_FOLDERS = ("students", "parents", "help")

# Labels of products this site does not make, which show them in English only: the Campus
# Parent app's login screen (parents/mobile-app.md) and the district's CCPS Portal login page
# (the letter). In fr, es and vi the page writes the label in its language in bold, followed
# by the English the screen shows: **Aide** (Help).
OUTSIDE = frozenset({"District ID", "Username", "Password", "Log In", "Help", "Claim my Account"})

BOLD = re.compile(r"\*\*(.+?)\*\*")
# A bold outside label followed by the English the screen shows, in parentheses.
BOLD_OUTSIDE = re.compile(r"\*\*(.+?)\*\*\s*\(([^()]+)\)")
# A quoted message as a heading: `??? question "..."` (what-went-wrong), `### "..." { #id }`.
QUOTED_HEADING = re.compile(r'^(?:\?\?\?\+? question "(.+)"|#+ ["“«](.+?)["”»]\s*\{)')
QUOTES = (('"', '"'), ("“", "”"), ("«", "»"), ("‹", "›"), ("'", "'"))


def normal(text: str) -> str:
    """Spaces as one plain space (French no-break spaces are typography, not wording)."""
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def unquoted(text: str) -> str:
    """The text without the quotation marks around a quoted message."""
    text = normal(text)
    for opening, closing in QUOTES:
        if len(text) > 1 and text.startswith(opening) and text.endswith(closing):
            return normal(text[1:-1])
    return text


def strings(node: object) -> Iterator[str]:
    """Every string of a messages file, whatever its section or audience variant."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from strings(value)


def pattern(text: str) -> re.Pattern[str]:
    """A message as shown: each {placeholder} stands for whatever the screen puts there."""
    parts = re.split(r"\{[a-z_]+\}", normal(text))
    return re.compile(".+".join(re.escape(part) for part in parts))


def audience(path: Path) -> str:
    """Who a guide speaks to, as the site's forms do (site/hooks/portal_i18n.py): students on
    students/ pages, parents everywhere else (help pages, the parents' pages, the letters)."""
    return "students" if path.parent.name == "students" else "parents"


def screen(lang: str, section: str | None = None, reader: str = "parents") -> list[re.Pattern[str]]:
    """What this site's forms and portal show a reader in a language (one section, or all):
    the base texts, with a students: section's own wording laid over them for students."""
    data = yaml.safe_load((MESSAGES / f"{lang}.yml").read_text(encoding="utf-8"))
    variant = data.get("students", {}) if reader == "students" else {}
    texts = {name: {**data[name], **variant.get(name, {})} for name in ("errors", "labels")}
    return [pattern(text) for text in strings(texts if section is None else texts[section])]


def shown(text: str, patterns: list[re.Pattern[str]]) -> bool:
    """True when the text is exactly one of the screen's texts."""
    return any(p.fullmatch(text) for p in patterns)


def bold_problems(path: Path, lang: str, root: Path = ROOT) -> list[str]:
    """`file:line: **text**` for every bold text that no screen shows in that language."""
    patterns = screen(lang, reader=audience(path))
    problems = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        outside = {m.start() for m in BOLD_OUTSIDE.finditer(line) if normal(m[2]) in OUTSIDE}
        for match in BOLD.finditer(line):
            text = unquoted(match[1])
            if shown(text, patterns) or match.start() in outside:
                continue
            if lang == "en" and text in OUTSIDE:
                continue
            problems.append(f"{path.relative_to(root)}:{number}: **{match[1]}**")
    return problems


# Labels that the forms show as an error message (checked in the browser, before any request).
FORM_ERRORS = ("student_id_no_s", "required")


def heading_problems(path: Path, lang: str, root: Path = ROOT) -> list[str]:
    """`file:line: "text"` for every heading that quotes a message no form shows."""
    data = yaml.safe_load((MESSAGES / f"{lang}.yml").read_text(encoding="utf-8"))
    variant = data.get("students", {}).get("labels", {}) if audience(path) == "students" else {}
    labels = {**data["labels"], **variant}
    errors = screen(lang, "errors", audience(path)) + [pattern(labels[k]) for k in FORM_ERRORS]
    problems = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        found = QUOTED_HEADING.match(line)
        if found and not shown(normal(found[1] or found[2]), errors):
            problems.append(f'{path.relative_to(root)}:{number}: "{found[1] or found[2]}"')
    return problems


def guides(lang: str) -> list[Path]:
    """The home page and the guide pages of a language."""
    folder = DOCS / lang
    return [
        folder / "index.md",
        *(p for f in GUIDE_FOLDERS for p in sorted((folder / f).glob("*.md"))),
    ]


def letters(lang: str) -> list[Path]:
    """The notice letters written in a language."""
    return sorted(TEMPLATES.glob(f"notices/*/{lang}.md.j2"))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_guides_name_in_bold_only_what_the_screens_show(lang: str) -> None:
    problems = [line for path in guides(lang) for line in bold_problems(path, lang)]
    assert problems == [], "bold text that no screen shows:\n" + "\n".join(problems)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_letters_name_in_bold_only_what_the_screens_show(lang: str) -> None:
    assert letters(lang), f"no {lang} letter found"
    problems = [line for path in letters(lang) for line in bold_problems(path, lang)]
    assert problems == [], "bold text that no screen shows:\n" + "\n".join(problems)


def test_templates_for_every_language_hold_no_bold_words() -> None:
    """Email and PDF frames are shared by the 4 languages: their words come from the letters."""
    shared = [p for p in TEMPLATES.rglob("*.j2") if p.name.split(".")[0] not in LANGUAGES]
    assert shared, "no shared template found"
    literal = re.compile(r"\*\*[^*{]+\*\*|<(?:b|strong)>[^<{]+</(?:b|strong)>")
    found = [str(p.relative_to(ROOT)) for p in shared if literal.search(p.read_text("utf-8"))]
    assert found == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_quoted_messages_are_the_forms_messages(lang: str) -> None:
    """What went wrong? and Troubleshooting quote a message exactly as the form shows it."""
    problems = [line for path in guides(lang) for line in heading_problems(path, lang)]
    assert problems == [], "quoted messages that no form shows:\n" + "\n".join(problems)


def test_the_glossaries_hold_the_forms_words() -> None:
    """The translators' glossary gives each label and message in the words the forms show."""
    glossary = yaml.safe_load((ROOT / "site" / "glossary.yml").read_text(encoding="utf-8"))
    wrong = []
    for lang in LANGUAGES:
        shown_ = yaml.safe_load((MESSAGES / f"{lang}.yml").read_text(encoding="utf-8"))
        local = (
            glossary
            if lang == "en"
            else yaml.safe_load(
                (ROOT / "site" / "glossary" / f"{lang}.yml").read_text(encoding="utf-8")
            )
        )
        for label, entry in glossary["ui"].items():
            words = entry["en"] if lang == "en" else local["ui"][label]
            if words != shown_["labels"][entry["key"]]:
                wrong.append(f"{lang} ui {label}: {words!r}")
        for code in glossary["messages"]:
            words = glossary["messages"][code]["en"] if lang == "en" else local["messages"][code]
            if words != shown_["errors"][code]:
                wrong.append(f"{lang} messages {code}: {words!r}")
    assert wrong == []


# The checker itself: it must fail on what a reader would be misled by. ----------------------


def test_the_check_finds_a_label_no_screen_shows(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("1. Click **Next**, then **Save Changes**.\n2. Tap **Help**. **Note:** read.\n")
    assert bold_problems(page, "en", tmp_path) == [
        "page.md:1: **Save Changes**",
        "page.md:2: **Note:**",
    ]


def test_the_check_reads_outside_labels_placeholders_and_quotes(tmp_path: Path) -> None:
    wait = "“Too many attempts. Please wait 15 minutes and try again.”"
    assert shown(unquoted(wait), screen("en"))
    assert shown(unquoted("«\u00a0Suivant\u00a0»"), screen("fr"))
    assert not shown("Account Management", screen("en"))
    page = tmp_path / "page.md"
    page.write_text("Touchez **Aide** (Help), puis **Aide** (Aide).\n", encoding="utf-8")
    assert bold_problems(page, "fr", tmp_path) == ["page.md:1: **Aide**"]


def test_the_check_finds_a_misquoted_message(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        '??? question "Authentication Failed"\n### "You cannot reuse a password." { #x }\n'
    )
    assert heading_problems(page, "en", tmp_path) == ['page.md:2: "You cannot reuse a password."']


def test_the_check_holds_each_reader_to_the_register_the_forms_use(tmp_path: Path) -> None:
    """Spanish students read the forms' tú, parents their usted: a page quotes its reader's."""
    (tmp_path / "students").mkdir()
    student, parent = tmp_path / "students" / "claim.md", tmp_path / "activate.md"
    for page in (student, parent):
        page.write_text("**Elige tu contraseña**, **Elija su contraseña**\n", encoding="utf-8")
    assert bold_problems(student, "es", tmp_path) == [
        "students/claim.md:1: **Elija su contraseña**"
    ]
    assert bold_problems(parent, "es", tmp_path) == ["activate.md:1: **Elige tu contraseña**"]
