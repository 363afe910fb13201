"""`portal notices publish`: the notice on the site, in the portal and as a PDF, in 4 languages.

Checked first (definition, every template, the audience's school): nothing is written unless
everything renders. Then, per language:
- the portal's district (or school) notice, through chalicelib.noticeboard.publish: its text,
  and its HTML from the site page's Markdown, sanitized here (portal/notices/sanitize.py);
- site/docs/<lang>/notices/<id>.md (from templates/notices/page.md.j2) and <id>.pdf beside it;
and site/notices.json names the current district notice, which site/hooks/notices.py shows on
every language's home page. Files are rewritten only when their content changes, so publishing
the same notice twice changes nothing on disk.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from chalicelib import noticeboard, school_year
from chalicelib.languages import LANGUAGES
from chalicelib.storage import sis as mirror

from .. import paths
from .definition import Definition, NoticeInvalid, load
from .pdf import print_html, to_pdf
from .render import Renderer, check
from .sanitize import clean

SITE = paths.ROOT / "site"


@dataclass
class Published:
    """What one publish wrote (paths relative to the site folder) and left unchanged."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    board: list[str] = field(default_factory=list)  # languages put on the noticeboard


def school_name(notice: Definition) -> str | None:
    """The audience school's name from the SIS, None for a district notice."""
    if notice.school is None:
        return None
    org = mirror.org(notice.school)
    if org is None:
        raise NoticeInvalid(
            [f"audience: school {notice.school!r} is not in the SIS (import the export first)"]
        )
    return str(org.get("name") or notice.school)


def publish(
    source: Path | Definition,
    site: Path | None = None,
    site_url: str | None = None,
    templates: Path = paths.TEMPLATES,
    pdf: bool = True,
) -> Published:
    """Check, then write the pages, PDFs and home-page entry, and publish to the portal."""
    notice = source if isinstance(source, Definition) else load(source)
    site = site or SITE
    check(notice, templates)
    school = school_name(notice)
    renderer = Renderer(notice, site_url, templates)
    page_template = renderer.text_env.get_template("notices/page.md.j2")
    done = Published()
    # The portal first: the database is what is most likely to be down, and the site files
    # are cheap to write again.
    day = school_year.today().isoformat()
    for lang in LANGUAGES:
        parts = renderer.parts(lang)
        noticeboard.publish(
            notice.id,
            lang,
            day,
            parts.labels["title"],
            renderer.board_body(lang),
            school=notice.school,
            school_name=school,
            html=clean(renderer.board_html(lang)),
        )
        done.board.append(lang)
    for lang in LANGUAGES:
        parts = renderer.parts(lang)
        folder = site / "docs" / lang / "notices"
        printable = print_html(renderer, lang)
        digest = hashlib.sha256(printable.encode("utf-8")).hexdigest()[:20]
        page_path, pdf_path = folder / f"{notice.id}.md", folder / f"{notice.id}.pdf"
        page = page_template.render(
            lang=lang,
            kind=notice.kind,
            parts=parts,
            labels=parts.labels,
            pdf_file=pdf_path.name,
            pdf_source=digest,
        )
        # The page records which printable HTML its PDF came from: WeasyPrint is slow and
        # deterministic, so an unchanged notice skips it.
        fresh = pdf_path.exists() and page_path.exists() and page_path.read_text("utf-8") == page
        if pdf and fresh:
            done.unchanged.append(str(pdf_path.relative_to(site)))
        elif pdf:
            _write(pdf_path, to_pdf(printable), site, done)
        _write(page_path, page.encode("utf-8"), site, done)
    if school is None:
        _write(site / "notices.json", _home_entry(notice, renderer), site, done)
    return done


def _home_entry(notice: Definition, renderer: Renderer) -> bytes:
    """site/notices.json: the current district notice, for the home pages."""
    languages = {
        lang: {key: renderer.parts(lang).labels[key] for key in ("title", "summary", "read_more")}
        for lang in LANGUAGES
    }
    current = {"current": {"id": notice.id, "languages": languages}}
    return (json.dumps(current, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _write(path: Path, content: bytes, site: Path, done: Published) -> None:
    """Write `content` unless the file already holds exactly that (atomic replace)."""
    name = str(path.relative_to(site))
    if path.exists() and path.read_bytes() == content:
        done.unchanged.append(name)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(content)
    tmp.replace(path)
    done.written.append(name)
