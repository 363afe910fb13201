"""Every page in every language, nothing left in English, and the status command (QUALITY L1)."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from chalicelib.languages import LANGUAGES
from portal import translations


def test_repository_translations_are_complete() -> None:
    for lang, entry in translations.status().items():
        assert entry.missing == [], f"{lang} lacks {entry.missing}"
        assert entry.orphaned == [], f"{lang} has pages English lacks: {entry.orphaned}"


@pytest.mark.unit
@pytest.mark.parametrize("lang", translations.TARGETS)
def test_no_english_sentence_left_in_translations(lang: str) -> None:
    shared = sorted(translations.pages(lang) & translations.pages(translations.SOURCE))
    copied = {p: translations.untranslated_lines(lang, p) for p in shared}
    assert {p: lines for p, lines in copied.items() if lines} == {}


def _git(cwd: Path, *args: str, when: int) -> None:
    env = {
        "GIT_AUTHOR_DATE": f"{when} +0000",
        "GIT_COMMITTER_DATE": f"{when} +0000",
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "PATH": "/usr/bin",
    }
    subprocess.run(["git", *args], cwd=cwd, check=True, env=env, capture_output=True)


def test_status_finds_missing_orphaned_and_outdated(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    for lang in LANGUAGES:
        (docs / lang).mkdir(parents=True)
    (docs / "en" / "guide.md").write_text("# Guide\n\nHow to claim your account today.\n")
    (docs / "fr" / "guide.md").write_text("# Guide\n\nComment configurer votre compte.\n")
    (docs / "vi" / "guide.md").write_text("# Hướng dẫn\n\nCách nhận tài khoản.\n")
    (docs / "fr" / "old.md").write_text("# Ancien\n")
    _git(tmp_path, "init", "-q", when=1_700_000_000)
    _git(tmp_path, "add", ".", when=1_700_000_000)
    _git(tmp_path, "commit", "-qm", "first", when=1_700_000_000)
    (docs / "en" / "guide.md").write_text("# Guide\n\nHow to claim your account this year.\n")
    _git(tmp_path, "commit", "-qam", "English changed", when=1_700_100_000)
    report = translations.status(docs)
    assert report["es"].missing == ["guide.md"]
    assert report["fr"].orphaned == ["old.md"]
    assert report["fr"].outdated == ["guide.md"] and report["vi"].outdated == ["guide.md"]


@pytest.mark.unit
def test_untranslated_lines_are_found(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "en").mkdir(parents=True)
    (docs / "fr").mkdir(parents=True)
    (docs / "en" / "p.md").write_text("# Title\n\nYour student ID has 7 digits.\n\n- CCPS Portal\n")
    (docs / "fr" / "p.md").write_text("# Titre\n\nYour student ID has 7 digits.\n\n- CCPS Portal\n")
    assert translations.untranslated_lines("fr", "p.md", docs) == ["Your student ID has 7 digits."]


def test_status_command_runs() -> None:
    portal = Path(sys.executable).parent / "portal"
    done = subprocess.run(
        [str(portal), "translations", "status"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "every translation is present" in done.stdout


@pytest.mark.unit
def test_every_section_label_is_translated() -> None:
    """Folder names become navigation labels: each language names every section itself."""
    import yaml

    class Loader(yaml.SafeLoader):
        """Keeps mkdocs' !ENV tags readable."""

    Loader.add_constructor("!ENV", lambda loader, node: None)
    config = yaml.load((translations.paths.MKDOCS_YML).read_text(), Loader=Loader)  # noqa: S506
    i18n = next(p["i18n"] for p in config["plugins"] if isinstance(p, dict) and "i18n" in p)
    sections = {p.name.title() for p in (translations.DOCS / "en").iterdir() if p.is_dir()}
    sections.add("Notices")  # written by `portal notices publish`
    for language in i18n["languages"]:
        if language["locale"] == "en":
            continue
        labels = language.get("nav_translations") or {}
        assert sections <= set(labels), f"{language['locale']} lacks {sections - set(labels)}"


@pytest.mark.unit
def test_vietnamese_says_gio_for_hours_everywhere() -> None:
    """One word for a duration in hours: pages, messages, notice templates and rendered dates."""
    from portal.notices.formats import hours

    root = Path(__file__).resolve().parents[1]
    sources = [
        *sorted((root / "site" / "docs" / "vi").rglob("*.md")),
        root / "site" / "messages" / "vi.yml",
        root / "site" / "glossary" / "vi.yml",
        *sorted((root / "templates").rglob("vi.*")),
    ]
    spoken = re.compile(r"\d+(?:\s|\u00a0)+tiếng\b")
    found = {str(p.relative_to(root)) for p in sources if spoken.search(p.read_text("utf-8"))}
    assert found == set()
    assert hours(24, "vi") == "24 giờ"
    assert hours(1, "vi") == "1 giờ"


@pytest.mark.unit
def test_vietnamese_dates_say_ngay_thang_nam_everywhere() -> None:
    """One way to write a date in Vietnamese, "ngày 3 tháng 8 năm 2026", in what we write by hand
    (pages, messages, notice templates) and in what Babel writes for the notices."""
    from portal.notices.formats import long_date

    root = Path(__file__).resolve().parents[1]
    sources = [
        *sorted((root / "site" / "docs" / "vi").rglob("*.md")),
        root / "site" / "messages" / "vi.yml",
        root / "site" / "glossary" / "vi.yml",
        *sorted((root / "templates").rglob("vi.*")),
    ]
    cldr = re.compile(r"tháng\s+\d{1,2},\s*\d{4}")  # CLDR's "3 tháng 8, 2026"
    found = {str(p.relative_to(root)) for p in sources if cldr.search(p.read_text("utf-8"))}
    assert found == set()
    assert long_date(date(2026, 8, 3), "vi") == "ngày 3 tháng 8 năm 2026"
    assert long_date(date(2026, 12, 24), "vi") == "ngày 24 tháng 12 năm 2026"
    assert not cldr.search(long_date(date(2026, 8, 3), "vi"))
