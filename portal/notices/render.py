"""One template source per language → site page, email (text + HTML) and printable HTML.

templates/notices/<kind>/<lang>.md.j2 defines blocks (subject, title, summary, body in Markdown,
greeting, footer and a few labels). Everything that does not depend on the recipient is rendered
once per language and kept (`Parts`); a message then costs two tiny block renders (greeting and
footer, which name the recipient) and the two email layouts in templates/email/.
Dates are formatted by Babel for the language; a variable without a value is an error
(StrictUndefined), which `check` reports for every language and output before anything is used.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import markdown
from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template, TemplateError
from markupsafe import Markup

from chalicelib import identity
from chalicelib.config import settings
from chalicelib.languages import LANGUAGES

from .. import paths
from .definition import Definition, NoticeInvalid
from .formats import hours, join, long_date
from .text import colon, html_to_text, typeset

OUTPUTS = ("web", "email", "print")
LABELS = ("subject", "title", "summary", "read_more", "read_online", "pdf_link", "qr_caption")
MARKDOWN_EXTENSIONS = ["tables", "attr_list", "admonition", "md_in_html"]
SAMPLE = {"address": "family@example.org", "names": "Ana", "students": "Ben"}


@dataclass(frozen=True)
class Recipient:
    """One message's addressee: an address in one language, and who it is for."""

    address: str
    lang: str
    names: tuple[str, ...] = ()  # the guardians sharing this address and language
    students: tuple[str, ...] = ()  # their students' given names


@dataclass(frozen=True)
class Parts:
    """Everything of one language that is the same for every recipient."""

    lang: str
    labels: dict[str, str]
    greeting: str  # for the site and the PDF (no recipient)
    footer: str
    page_md: str  # body Markdown with links between site pages kept relative
    body_html: str  # body HTML with absolute links (email, PDF)
    body_text: str
    web_url: str
    pdf_url: str


@dataclass(frozen=True)
class Message:
    """One rendered email."""

    subject: str
    text: str
    html: str


def environments(templates: Path) -> tuple[Environment, Environment]:
    """Jinja environments for Markdown/text (no escaping) and HTML (autoescaped)."""
    common: dict[str, Any] = {
        "loader": FileSystemLoader(str(templates)),
        "undefined": StrictUndefined,
        "auto_reload": False,
        "keep_trailing_newline": True,
        "cache_size": 400,
    }
    return Environment(autoescape=False, **common), Environment(autoescape=True, **common)  # noqa: S701


def language_template(kind: str, lang: str) -> str:
    """Template name of one kind and language."""
    return f"notices/{kind}/{lang}.md.j2"


def render_block(template: Template, block: str, context: dict[str, Any]) -> str:
    """One block of a template, rendered with `context`, with its language's typography."""
    text = "".join(template.blocks[block](template.new_context(context))).strip()
    return typeset(text, context["lang"])


class Renderer:
    """Renders one notice in every language; per-language parts are computed once."""

    def __init__(
        self, notice: Definition, site: str | None = None, templates: Path = paths.TEMPLATES
    ) -> None:
        self.notice = notice
        self.site = site or settings().site_url  # PORTAL_SITE_URL, ends with /
        self.text_env, self.html_env = environments(templates)
        self.district = settings().district_name
        self._parts: dict[str, Parts] = {}
        self._templates: dict[str, Template] = {}
        self._contexts: dict[str, dict[str, Any]] = {}
        self.text_layout = self.text_env.get_template("email/notice.txt.j2")
        self.html_layout = self.html_env.get_template("email/notice.html.j2")

    # -- per language -------------------------------------------------------------------
    def template(self, lang: str) -> Template:
        """The language's template (compiled once)."""
        if lang not in self._templates:
            self._templates[lang] = self.text_env.get_template(
                language_template(self.notice.kind, lang)
            )
        return self._templates[lang]

    def page_url(self, lang: str, path: str) -> str:
        """Absolute URL of a site page ("students/login") in `lang` (English at the root)."""
        prefix = "" if lang == "en" else f"{lang}/"
        return f"{self.site}{prefix}{path.strip('/')}/"

    def context(self, lang: str, output: str) -> dict[str, Any]:
        """The template variables of one language and output (web, email, print)."""
        key = f"{lang}:{output}"
        if key not in self._contexts:
            n = self.notice

            def page(path: str) -> str:
                if output == "web":  # relative, so mkdocs checks and rewrites the link
                    return "../" + path.strip("/") + ".md"
                return self.page_url(lang, path)

            self._contexts[key] = {
                "lang": lang,
                "output": output,
                "school_year": n.school_year,
                "login_deadline": long_date(n.login_deadline, lang),
                "reset_start": long_date(n.reset_window.start, lang),
                "reset_end": long_date(n.reset_window.end, lang),
                "delay_hours": n.delay_hours,
                "delay": hours(n.delay_hours, lang),
                "links": n.links,
                "district": self.district,
                **identity.shown(),  # {{ digits }}, {{ prefix }}, {{ example_username }}…
                "page": page,
                "recipient": None,
            }
        return self._contexts[key]

    def parts(self, lang: str) -> Parts:
        """Recipient-independent renderings of one language (cached)."""
        if lang not in self._parts:
            self._parts[lang] = self._render_parts(lang)
        return self._parts[lang]

    def _render_parts(self, lang: str) -> Parts:
        template = self.template(lang)
        web, email = self.context(lang, "web"), self.context(lang, "email")
        labels = {name: render_block(template, name, web) for name in LABELS}
        body_html = to_html(render_block(template, "body", email))
        page = self.page_url(lang, f"notices/{self.notice.id}")
        return Parts(
            lang=lang,
            labels=labels,
            greeting=render_block(template, "greeting", web),
            footer=render_block(template, "footer", web),
            page_md=render_block(template, "body", web),
            body_html=body_html,
            body_text=html_to_text(body_html, lang),
            web_url=page,
            pdf_url=page.rstrip("/") + ".pdf",
        )

    # -- per message ----------------------------------------------------------------------
    def message(self, recipient: Recipient) -> Message:
        """The email for one recipient: subject, text part, HTML part."""
        lang = recipient.lang
        parts = self.parts(lang)
        template = self.template(lang)
        context = dict(self.context(lang, "email"))
        context["recipient"] = {
            "address": recipient.address,
            "names": join(recipient.names, lang),
            "students": join(recipient.students, lang),
        }
        greeting = render_block(template, "greeting", context)
        footer = render_block(template, "footer", context)
        values = {
            "lang": lang,
            "colon": colon(lang),
            "parts": parts,
            "labels": parts.labels,
            "greeting": greeting,
            "footer": footer,
            "body_html": Markup(parts.body_html),  # noqa: S704 - rendered from our templates
        }
        return Message(
            subject=parts.labels["subject"],
            text=self.text_layout.render(values),
            html=self.html_layout.render(values),
        )

    def board_body(self, lang: str) -> str:
        """The notice as the portal shows it (plain text; the portal links bare URLs)."""
        parts = self.parts(lang)
        return (
            f"{parts.greeting}\n\n{parts.body_text}\n"
            f"{parts.labels['pdf_link']}{colon(lang)}{parts.pdf_url}\n"
        )

    def board_html(self, lang: str) -> str:
        """The notice as the portal shows it in HTML: greeting, body, PDF link and footer from
        the site page's Markdown blocks, with absolute links (the portal is another page).
        Not yet sanitized: `portal notices publish` does that before storing it."""
        parts = self.parts(lang)
        link = f"[{parts.labels['pdf_link']}]({parts.pdf_url})"
        return "\n".join(
            (to_html(parts.greeting), parts.body_html, to_html(link), to_html(parts.footer))
        )


_markdown = markdown.Markdown(extensions=MARKDOWN_EXTENSIONS)


def to_html(text: str) -> str:
    """Markdown of a notice body → HTML (the same extensions as the site)."""
    _markdown.reset()
    return _markdown.convert(text)


def check(notice: Definition, templates: Path = paths.TEMPLATES) -> None:
    """Render every block of every language for every output; NoticeInvalid lists failures."""
    problems: list[str] = []
    text_env, _ = environments(templates)
    try:
        renderer = Renderer(notice, "https://site.invalid/", templates)
    except TemplateError as err:
        raise NoticeInvalid([f"templates/email: {err.message or err}"]) from None
    for lang in LANGUAGES:
        name = language_template(notice.kind, lang)
        try:
            template = text_env.get_template(name)
        except TemplateError as err:
            problems.append(f"kind: {notice.kind!r} has no usable template {name} ({err})")
            continue
        for output in OUTPUTS:
            context = dict(renderer.context(lang, output))
            if output == "email":
                context["recipient"] = SAMPLE
            for block in (*LABELS, "greeting", "footer", "body"):
                try:
                    if block not in template.blocks:
                        raise TemplateError(f"block {block!r} is missing")
                    render_block(template, block, context)
                except TemplateError as err:
                    problems.append(f"{name}: {block} ({output}): {err}")
    if not problems:
        for lang in LANGUAGES:
            try:
                renderer.message(Recipient("family@example.org", lang, ("Ana",), ("Ben",)))
            except TemplateError as err:
                problems.append(f"templates/email: {lang}: {err}")
    if problems:
        raise NoticeInvalid(sorted(set(problems)))
