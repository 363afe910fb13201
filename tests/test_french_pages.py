"""French pages put a no-break space before : ; ? ! and inside « » (issue 13, item 7)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .support.french import spacing_faults

pytestmark = pytest.mark.unit

FRENCH = Path(__file__).resolve().parents[1] / "site" / "docs" / "fr"
# What is not French prose: front matter, fenced code, `code` (what the reader types), and the
# Markdown asterisks of bold, which sit between a word and its punctuation.
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
FENCED = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)
CODE_SPAN = re.compile(r"`[^`\n]+`")


def page_faults(text: str) -> list[str]:
    """`line: place` for each missing no-break space in a French page's prose."""
    prose = CODE_SPAN.sub(" ", FENCED.sub(" ", FRONT_MATTER.sub("", text)))
    return [
        f"{number}: {fault!r}"
        for number, line in enumerate(prose.splitlines(), 1)
        for fault in spacing_faults(line.replace("*", ""))
    ]


# The notice pages are written by `portal notices publish` (ignored build output, checked with
# the other French outputs in tests/test_notices_render.py).
WRITTEN = FRENCH / "notices"


@pytest.mark.parametrize(
    "french_page",
    sorted(p for p in FRENCH.rglob("*.md") if WRITTEN not in p.parents),
    ids=lambda p: str(p.relative_to(FRENCH)),
)
def test_french_page_has_its_no_break_spaces(french_page: Path) -> None:
    assert page_faults(french_page.read_text(encoding="utf-8")) == []


def test_the_check_finds_ordinary_spaces_and_skips_code() -> None:
    nbsp = "\u00a0"
    good = (
        f"---\nhide:\n---\n# Besoin d'aide{nbsp}?\n\n"
        f"Tapez `S0123456 : x`{nbsp}: **«{nbsp}S{nbsp}»**\n"
    )
    assert page_faults(good) == []
    bad = "Exemple : tapez « S ».\nCliquez sur **Suivant**!\n```\na : b\n```\n"
    assert [fault.split(":")[0] for fault in page_faults(bad)] == ["1", "2"]
