"""Translation status of the site: missing, orphaned and outdated pages (QUALITY L1).

Every page lives at the same path under site/docs/<lang>/. English is the source: a
translation is outdated when the English page was committed after it (git dates), missing
when it does not exist, and orphaned when English has no such page.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from chalicelib import languages

from . import paths

SOURCE = languages.DEFAULT
TARGETS = tuple(lang for lang in languages.LANGUAGES if lang != SOURCE)
DOCS = paths.ROOT / "site" / "docs"
# Lines that are the same in every language: markup, product names, examples, links only.
NEUTRAL = re.compile(r"^[\W\d_]*$|^(CCPS Portal|Infinite Campus|JPRQQH|S0123456)[\W]*$")


@dataclass
class Status:
    """What is wrong with one language."""

    missing: list[str] = field(default_factory=list)
    orphaned: list[str] = field(default_factory=list)
    outdated: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        """True when every page is present, wanted and up to date."""
        return not (self.missing or self.orphaned or self.outdated)


def pages(lang: str, docs: Path = DOCS) -> set[str]:
    """Markdown pages of one language, as paths relative to its folder."""
    root = docs / lang
    return {p.relative_to(root).as_posix() for p in root.rglob("*.md")}


def committed_at(path: Path) -> int | None:
    """Unix time of the last commit touching path (None if never committed)."""
    done = subprocess.run(
        ["git", "log", "-1", "--format=%ct", "--", str(path)],
        cwd=path.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    text = done.stdout.strip()
    return int(text) if text.isdigit() else None


def status(docs: Path = DOCS) -> dict[str, Status]:
    """Missing, orphaned and outdated pages for every target language."""
    source = pages(SOURCE, docs)
    result = {}
    for lang in TARGETS:
        target = pages(lang, docs)
        entry = Status(sorted(source - target), sorted(target - source))
        for page in sorted(source & target):
            english, translated = (
                committed_at(docs / SOURCE / page),
                committed_at(docs / lang / page),
            )
            if english is not None and translated is not None and english > translated:
                entry.outdated.append(page)
        result[lang] = entry
    return result


def untranslated_lines(lang: str, page: str, docs: Path = DOCS) -> list[str]:
    """Lines of a translated page copied unchanged from the English page (4 words or more)."""
    english = {_words(line) for line in (docs / SOURCE / page).read_text().splitlines()}
    found = []
    for line in (docs / lang / page).read_text().splitlines():
        words = _words(line)
        if len(words.split()) >= 4 and not NEUTRAL.match(words) and words in english:
            found.append(line.strip())
    return found


def _words(line: str) -> str:
    """A line without Markdown links targets, anchors, HTML tags and markup characters."""
    line = re.sub(r"\]\([^)]*\)", "]", line)  # link targets are the same in every language
    line = re.sub(r"\{[^}]*\}|<[^>]+>", " ", line)
    line = re.sub(r"[*_`>#|!\[\]-]+", " ", line)
    return " ".join(line.split())
