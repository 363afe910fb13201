"""French typography as the site's French pages write it, for tests of every French output."""

from __future__ import annotations

import html
import re

MARKUP = re.compile(r"<style.*?</style>|<[^>]+>", re.S)
# What is not prose: URLs, {placeholders} and Markdown links between pages.
NOT_PROSE = re.compile(r"\b(?:https?|mailto)://?\S+|\{[^}]*\}|\(\.\./[^)]*\)")
# A mark of two parts with an ordinary space, or with none, where a no-break space belongs.
FAULT = re.compile(r".{0,12}(?:[ \t\u202f][:;?!»]|«[ \t\u202f]|\w[:;?!»]|«\w).{0,12}")


def spacing_faults(text: str) -> list[str]:
    """Places in `text` where a no-break space (U+00A0) is missing before : ; ? ! » or after «
    (markup, URLs and placeholders aside)."""
    words = html.unescape(MARKUP.sub(" ", text))
    return FAULT.findall(NOT_PROSE.sub(" ", words))
