"""The printable notice: the same HTML as the email, laid out for paper by WeasyPrint.

A QR code (SVG, inline) points to the notice page in the same language, for families who get
the letter on paper. WeasyPrint's output is deterministic for the same HTML, so a caller can
skip the (slow) PDF step when the HTML has not changed (see `print_html` and publish.py).
"""

from __future__ import annotations

import io
import re

import qrcode
import qrcode.image.svg
from markupsafe import Markup

from .render import Renderer

XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>\s*")


def qr_svg(url: str) -> str:
    """An inline SVG QR code for `url` (medium error correction, no fixed size)."""
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=2,
        image_factory=qrcode.image.svg.SvgPathImage,
    )
    code.add_data(url)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().save(buffer)
    svg = XML_DECLARATION.sub("", buffer.getvalue().decode("utf-8"))
    return svg.replace("<svg ", '<svg role="img" aria-label="QR code" ', 1)


def print_html(renderer: Renderer, lang: str) -> str:
    """The printable HTML of one language (input of the PDF)."""
    parts = renderer.parts(lang)
    template = renderer.html_env.get_template("notices/print.html.j2")
    return template.render(
        lang=lang,
        parts=parts,
        labels=parts.labels,
        body_html=Markup(parts.body_html),  # noqa: S704 - rendered from our templates
        qr_svg=Markup(qr_svg(parts.web_url)),  # noqa: S704 - generated above
    )


def to_pdf(html: str) -> bytes:
    """Lay out printable HTML as a PDF."""
    import weasyprint  # lazy: ~0.4 s and native libraries (Pango), needed only to write PDFs

    pdf: bytes = weasyprint.HTML(string=html).write_pdf()
    return pdf
