"""HTML of a rendered notice → plain text for the email's text part and the portal's notice body.

Covers what the notice Markdown produces: headings, paragraphs, lists, tables, links,
admonitions. Lines are not wrapped: mail clients and the portal wrap for their screen. Links
become "label <URL>" (RFC 3986, appendix C); in-page links keep only their label.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

BLOCKS = {"p", "h1", "h2", "h3", "h4", "li", "tr", "div", "table", "ul", "ol"}
SPACES = re.compile(r"[ \t\r\n]+")


class _Text(HTMLParser):
    def __init__(self, colon: str) -> None:
        super().__init__(convert_charrefs=True)
        self.colon = colon
        self.blocks: list[str] = []  # finished paragraphs
        self.line: list[str] = []  # text of the paragraph being read
        self.lists: list[list[int]] = []  # [counter] per open <ol>/<ul>; counter -1 for <ul>
        self.href: list[str | None] = []
        self.link_start: list[int] = []
        self.headers: list[str] = []  # table header labels
        self.cells: list[str] = []
        self.in_head = False
        self.in_cell = False
        self.heading = ""

    # -- helpers ------------------------------------------------------------------------
    def _flush(self) -> str:
        text = SPACES.sub(" ", "".join(self.line)).strip()
        self.line = []
        return text

    def _paragraph(self) -> None:
        """End the text read so far as one block (a list item if inside a list)."""
        text = self._flush()
        if text:
            self.blocks.append(self._prefix() + text)

    # -- parser callbacks ---------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.in_cell:
            if tag == "a":
                self.href.append(dict(attrs).get("href"))
                self.link_start.append(len(self.line))
            elif tag == "br":
                self.line.append("\n")
            return
        if tag in BLOCKS:
            self._paragraph()
        if tag in ("ol", "ul"):
            self.lists.append([0 if tag == "ol" else -1])
        elif tag in ("h1", "h2", "h3", "h4"):
            self.heading = tag
        elif tag == "thead":
            self.in_head = True
        elif tag in ("td", "th"):
            self.in_cell = True
        elif tag == "a":
            self.href.append(dict(attrs).get("href"))
            self.link_start.append(len(self.line))
        elif tag == "br":
            self.line.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.href:
            self._end_link()
            return
        if tag in ("td", "th"):
            text = SPACES.sub(" ", "".join(self.line)).strip()
            self.line = []
            (self.headers if self.in_head else self.cells).append(text)
            self.in_cell = False
            return
        if self.in_cell:
            return
        if tag == "thead":
            self.in_head = False
        elif tag == "tr" and self.cells:
            labels = (self.headers + [""] * len(self.cells))[: len(self.cells)]
            pairs = zip(labels, self.cells, strict=True)
            rows = [f"{label}{self.colon}{cell}" if label else cell for label, cell in pairs]
            self.blocks.append("\n".join(rows))
            self.cells = []
        elif tag in ("h1", "h2", "h3", "h4"):
            text = self._flush()
            if text:
                rule = {"h1": "=", "h2": "-"}.get(tag)
                self.blocks.append(text + ("\n" + rule * len(text) if rule else ""))
            self.heading = ""
        elif tag in ("ol", "ul"):
            self._paragraph()
            self.lists.pop()
            self.blocks.append("")  # the end of a list: what follows is a new paragraph
        elif tag in BLOCKS:
            self._paragraph()

    def _end_link(self) -> None:
        href = self.href.pop()
        start = self.link_start.pop()
        label = SPACES.sub(" ", "".join(self.line[start:])).strip()
        if href and not href.startswith("#"):
            self.line[start:] = [href if label in ("", href) else f"{label} <{href}>"]

    def _prefix(self) -> str:
        if not self.lists:
            return ""
        counter = self.lists[-1]
        indent = "   " * (len(self.lists) - 1)
        if counter[0] < 0:
            return indent + "- "
        counter[0] += 1
        return f"{indent}{counter[0]}. "

    def handle_data(self, data: str) -> None:
        self.line.append(data)

    def text(self) -> str:
        self._paragraph()
        out: list[str] = []
        for block in self.blocks:
            if not block:
                if out and out[-1] != "":
                    out.append("")
                continue
            # consecutive list items stay together; everything else is a paragraph
            item = bool(re.match(r"\s*(- |\d+\. )", block))
            if out and item and out[-1] != "" and re.match(r"\s*(- |\d+\. )", out[-1]):
                out.append(block)
            elif out and out[-1] != "":
                out += ["", block]
            else:
                out.append(block)
        return "\n".join(out).strip() + "\n"


# French typography, as the French pages write it: a no-break space (U+00A0) before : ; ? ! and
# », and after «, so that a line never starts with the mark. Only spaces already there become
# no-break: a mark glued to a word is left alone, since it may be part of a URL ("?q=", "https:").
NBSP = "\u00a0"
_BEFORE_MARK = re.compile(r"[ \t\u202f]+(?=[:;?!»])")
_AFTER_GUILLEMET = re.compile(r"(?<=«)[ \t\u202f]+")


def typeset(text: str, lang: str) -> str:
    """`text` with the language's spaces around punctuation (French only; others unchanged)."""
    if lang != "fr":
        return text
    return _AFTER_GUILLEMET.sub(NBSP, _BEFORE_MARK.sub(NBSP, text))


def colon(lang: str) -> str:
    """ ": " before a value; in French " : " with a no-break space before the colon."""
    return typeset(" : ", lang) if lang == "fr" else ": "


def html_to_text(html: str, lang: str = "en") -> str:
    """Plain text of a notice's HTML in `lang`."""
    parser = _Text(colon(lang))
    parser.feed(html)
    parser.close()
    return parser.text()
