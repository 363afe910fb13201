"""`portal notices publish`: 4 site pages, the home pages' banner, 4 PDFs, the portal's notices."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from chalicelib.languages import LANGUAGES
from chalicelib.storage import notices as stored_notices
from portal.notices import definition
from portal.notices.definition import NoticeInvalid
from portal.notices.publish import publish
from portal.notices.sanitize import clean

from .support import ROOT
from .support.notices import DEMO_NOTICE, private_tables

SITE_URL = "https://help.district.example/"
NOTICE_ID = "back-to-school-2026-27"
TITLE = {"en": "Back-to-school notice 2026-2027", "fr": "Avis de rentrée 2026-2027",
         "es": "Aviso de regreso a clases 2026-2027",
         "vi": "Thông báo tựu trường năm học 2026-2027"}  # fmt: skip
DEADLINE = {"en": "August 3, 2026", "fr": "3 août 2026", "es": "3 de agosto de 2026",
            "vi": "ngày 3 tháng 8 năm 2026"}  # fmt: skip


@pytest.fixture(scope="module")
def site(dynamodb: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A copy of the site and mkdocs.yml, the demo district in private tables, then publish."""
    from portal.sis.importer import import_export

    root = tmp_path_factory.mktemp("site")
    shutil.copytree(ROOT / "site", root / "site")
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    for lang in LANGUAGES:  # start from no notice at all, whatever the work tree holds
        shutil.rmtree(root / "site" / "docs" / lang / "notices", ignore_errors=True)
    (root / "site" / "notices.json").unlink(missing_ok=True)
    with private_tables("ntcpub-"):
        import_export(ROOT / "portal" / "demo" / "sis", progress=False)
        publish(DEMO_NOTICE, site=root / "site", site_url=SITE_URL)
        yield root


def pdf_text(path: Path) -> str:
    data = path.read_bytes()
    assert data.startswith(b"%PDF-") and len(data) > 10_000
    if shutil.which("pdftotext") is None:  # `make test` installs poppler-utils
        pytest.skip("pdftotext is not installed")
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                         check=True)  # fmt: skip
    return " ".join(out.stdout.decode("utf-8").split())


def test_pages_and_pdfs_in_four_languages(site: Path) -> None:
    for lang in LANGUAGES:
        folder = site / "site" / "docs" / lang / "notices"
        page = (folder / f"{NOTICE_ID}.md").read_text(encoding="utf-8")
        assert page.startswith(f"# {TITLE[lang]}\n") and DEADLINE[lang] in page
        assert f"]({NOTICE_ID}.pdf)" in page
        text = pdf_text(folder / f"{NOTICE_ID}.pdf").replace("\u202f", " ").replace("\xa0", " ")
        assert TITLE[lang] in text and DEADLINE[lang] in text
        prefix = "" if lang == "en" else f"{lang}/"
        assert f"{SITE_URL}{prefix}notices/{NOTICE_ID}/" in text  # beside the QR code
    home = json.loads((site / "site" / "notices.json").read_text(encoding="utf-8"))
    assert home["current"]["id"] == NOTICE_ID
    assert home["current"]["languages"]["fr"]["title"] == TITLE["fr"]


def test_the_portal_shows_it_in_every_language(site: Path) -> None:
    for lang in LANGUAGES:  # the module's private tables are in use while `site` lives
        mine = [i for i in stored_notices.published(lang) if i["id"] == NOTICE_ID]
        assert len(mine) == 1 and mine[0]["title"] == TITLE[lang]
        assert mine[0].get("school") is None  # a district notice
        body = mine[0]["body"].replace("\u202f", " ").replace("\xa0", " ")
        assert DEADLINE[lang] in body and "https://example.org/ccps/" in body
        html = mine[0]["html"].replace("&nbsp;", " ").replace("\u202f", " ")
        assert "<h2" in html and "<ol>" in html and "<li>" in html and DEADLINE[lang] in html
        assert f'href="{SITE_URL}{"" if lang == "en" else lang + "/"}students/login/"' in html
        assert "<script" not in html and "<img" not in html


def test_the_portal_html_is_sanitized() -> None:
    dirty = (
        '<h2 id="x" onclick="steal()">Title</h2><script>alert(1)</script>'
        '<a href="javascript:alert(1)">a</a><a href="https://ok.example/">b</a>'
        '<img src="x" onerror="alert(1)"><iframe src="https://evil.example/"></iframe>'
    )
    assert clean(dirty) == (
        '<h2 id="x">Title</h2><a rel="noopener noreferrer">a</a>'
        '<a href="https://ok.example/" rel="noopener noreferrer">b</a>'
    )


def test_publishing_again_changes_nothing(site: Path) -> None:
    again = publish(DEMO_NOTICE, site=site / "site", site_url=SITE_URL)
    assert again.written == [] and len(again.unchanged) == 9  # 4 pages, 4 PDFs, notices.json


def test_a_school_notice(site: Path) -> None:
    data = {
        **definition.read(DEMO_NOTICE),
        "id": "babb-back-to-school",
        "audience": "school:babb-ms",
    }
    done = publish(definition.parse(data), site=site / "site", site_url=SITE_URL, pdf=False)
    item = next(i for i in stored_notices.published("vi") if i["id"] == "babb-back-to-school")
    assert item["school"] == "babb-ms" and item["school_name"] == "Babb Middle School"
    unknown = {**data, "id": "nowhere-notice", "audience": "school:nowhere"}
    with pytest.raises(NoticeInvalid, match="school 'nowhere' is not in the SIS"):
        publish(definition.parse(unknown), site=site / "site", site_url=SITE_URL)
    assert "notices.json" not in done.written  # the home pages keep the district notice
    assert not list((site / "site" / "docs").glob("*/notices/nowhere-notice.*"))


def test_cli_publish(
    site: Path, monkeypatch: pytest.MonkeyPatch, setenv: Callable[[str, str], None]
) -> None:
    from typer.testing import CliRunner

    from portal.cli import app
    from portal.notices import publish as publish_module

    monkeypatch.setattr(publish_module, "SITE", site / "site")
    setenv("PORTAL_SITE_URL", SITE_URL)
    result = CliRunner().invoke(app, ["notices", "publish", str(DEMO_NOTICE)])
    assert result.exit_code == 0, result.output
    assert "unchanged  site/docs/vi/notices/back-to-school-2026-27.pdf" in result.output
    assert f"{NOTICE_ID} published" in result.output
    late = {**definition.read(DEMO_NOTICE), "reset_window": {"start": "2026-07-26",
            "end": "2026-07-23"}}  # fmt: skip
    bad = site / "late.yml"
    bad.write_text(json.dumps(late, default=str), encoding="utf-8")  # JSON is YAML too
    refused = CliRunner().invoke(app, ["notices", "publish", str(bad)])
    assert refused.exit_code == 1
    assert "reset_window: start 2026-07-26 is after end 2026-07-23" in refused.output


def test_mkdocs_build_strict_shows_the_notice(site: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PORTAL_SITE_URL": SITE_URL}
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir",
         str(site / "build")],
        cwd=site, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert build.returncode == 0, build.stdout + build.stderr
    for lang in LANGUAGES:
        prefix = site / "build" / ("" if lang == "en" else lang)
        home = (prefix / "index.html").read_text(encoding="utf-8")
        assert TITLE[lang] in home and f'href="notices/{NOTICE_ID}/"' in home
        page = (prefix / "notices" / NOTICE_ID / "index.html").read_text(encoding="utf-8")
        assert TITLE[lang] in page and f'href="../{NOTICE_ID}.pdf"' in page
        assert (prefix / "notices" / f"{NOTICE_ID}.pdf").exists()
