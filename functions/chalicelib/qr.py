"""QR codes as standalone SVG text, made with the pure-Python segno (no image libraries)."""

from __future__ import annotations

import io

import segno


def svg(text: str, title: str) -> str:
    """A QR code of `text` (error correction M) as an SVG document with a title for screen
    readers; 4 px modules and the standard quiet zone, so it scans printed or on a screen."""
    code = segno.make(text, error="m")
    out = io.BytesIO()
    code.save(out, kind="svg", scale=4, xmldecl=False, svgns=True, nl=False,
              title=title, svgclass=None, lineclass=None)  # fmt: skip
    return out.getvalue().decode("utf-8")
