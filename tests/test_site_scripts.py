"""The site's scripts as shipped: ES modules that survive minification (site/hooks/minify.py)
and that every form page, in every language's folder, loads by paths that work."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from types import ModuleType
from urllib.parse import urljoin, urlsplit

import pytest

from .support.site import build_site

ROOT = Path(__file__).resolve().parents[1]
JS = ROOT / "site/docs/assets/js"
LANGS = ("en", "fr", "es", "vi")
FORM_PAGES = ("students/claim/", "students/login/", "students/forgot-password/")
FORM_PAGES += ("parents/activate/", "portal/")
SITE = "https://help.district.example/"
IMPORT = re.compile(r"""\b(?:from|import)\s*["'](\./[^"']+)["']""")
MODULE_TAG = re.compile(r'<script type="module" fetchpriority="low" src="([^"]+)"></script>')
EXPORT = re.compile(r"\bexport\s+(?:async\s+)?(?:function|const|let|class)\s*\*?\s*(\w+)")

needs_node = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")


def minify_hook() -> ModuleType:
    """site/hooks/minify.py, imported the way mkdocs does."""
    spec = importlib.util.spec_from_file_location("minify", ROOT / "site/hooks/minify.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Module syntax the minifier must leave meaning the same: template literals holding what looks
# like comments, regular expressions or braces, nested templates, import/export, async/await.
HELPER = """/* A block comment. */
export const greet = (name) => `Hello, ${name}!`; // a line comment
export default async function twice(value) {
  await null;
  return value * 2;
}
"""
MAIN = """import twice, { greet } from "./helper.mjs";

export async function results() {
  const name = "Lan";
  const url = `https://help.example/${encodeURIComponent(name)}?a=1&b=2`; // "//" in a template
  const comment = `/* not a comment */ // nor this`;
  const nested = `outer ${`inner ${name.length > 2 ? "long" : "short"}`} end`;
  const braces = `${{ key: "}" }.key} and ${"`"}`;
  const lines = `first
second`;
  const regex = /\\/\\*(.*?)\\*\\//.exec("a /* b */ c")[1];
  const division = 10 / 2 / 5;
  const spread = { ...{ a: 1 }, b: [...[2, 3]] };
  const optional = spread?.c ?? "none";
  let total = 0;
  for (const value of [1, 2, 3]) {
    total += await twice(value);
  }
  return { greeting: greet(name), url, comment, nested, braces, lines, regex, division,
    spread, optional, total };
}
"""
RUN = (
    "const module = await import(process.argv[1]);"
    "console.log(JSON.stringify(await module.results()));"
)


def run_module(path: Path) -> object:
    """What results() of the module at path returns, run by Node."""
    done = subprocess.run(
        ["node", "--input-type=module", "-e", RUN, path.as_uri()],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout)


@needs_node
def test_the_minifier_keeps_es_module_syntax_and_meaning(tmp_path: Path) -> None:
    minify = minify_hook().minify_script
    for folder, transform in (("source", str), ("minified", minify)):
        (tmp_path / folder).mkdir()
        for name, text in (("helper.mjs", HELPER), ("main.mjs", MAIN)):
            (tmp_path / folder / name).write_text(transform(text), encoding="utf-8")
    minified = (tmp_path / "minified" / "main.mjs").read_text(encoding="utf-8")
    assert len(minified) < len(MAIN)
    assert run_module(tmp_path / "minified" / "main.mjs") == run_module(
        tmp_path / "source" / "main.mjs"
    )


@needs_node
def test_every_module_stays_a_module_with_the_same_imports_and_exports(tmp_path: Path) -> None:
    minify = minify_hook().minify_script
    (tmp_path / "package.json").write_text('{"type": "module"}', encoding="utf-8")
    sources = sorted(JS.glob("*.js"))
    assert sources
    for source in sources:
        text = source.read_text(encoding="utf-8")
        shipped = minify(text)
        assert IMPORT.findall(shipped) == IMPORT.findall(text), source.name
        assert EXPORT.findall(shipped) == EXPORT.findall(text), source.name
        (tmp_path / source.name).write_text(shipped, encoding="utf-8")
        checked = subprocess.run(
            ["node", "--check", str(tmp_path / source.name)], capture_output=True, text=True
        )
        assert checked.returncode == 0, f"{source.name}: {checked.stderr}"


# The forms' dates (portal-messages.js formatDate), run by Node in each page language: Vietnamese
# as a native reader writes it, not Intl's "3 tháng 8, 2026"; the others as Intl writes them.
DATES_RUN = """
const [url, lang] = process.argv.slice(1);
globalThis.document = { getElementById: () => null, documentElement: { lang } };
const m = await import(url);
console.log(JSON.stringify([
  m.formatDay("2026-08-03"),
  m.formatDay("2026-08-03", { weekday: "long", year: undefined }),
  m.formatDay("2026-08-03", { weekday: "short", month: "short" }),
  m.formatInstant("2026-08-03T08:05:00Z"),
  m.formatDay("not a date"),
]));
"""
DATES = {
    "vi": ["ngày 3 tháng 8 năm 2026", "Thứ Hai, ngày 3 tháng 8", "Thứ 2, 3/8/2026",
           "8:05 ngày 3 tháng 8 năm 2026", "not a date"],
    "en": ["August 3, 2026", "Monday, August 3", "Mon, Aug 3, 2026", "August 3, 2026 at 8:05 AM",
           "not a date"],
    "fr": ["3 août 2026", "lundi 3 août", "lun. 3 août 2026", "3 août 2026 à 8:05", "not a date"],
}  # fmt: skip


@needs_node
@pytest.mark.parametrize("minified", [False, True])
def test_form_dates_are_written_the_readers_way(tmp_path: Path, minified: bool) -> None:
    source = (JS / "portal-messages.js").read_text(encoding="utf-8")
    (tmp_path / "package.json").write_text('{"type": "module"}', encoding="utf-8")
    module = tmp_path / "portal-messages.js"
    module.write_text(minify_hook().minify_script(source) if minified else source, "utf-8")
    for lang, expected in DATES.items():
        done = subprocess.run(
            ["node", "--input-type=module", "-e", DATES_RUN, module.as_uri(), lang],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
            env={**os.environ, "TZ": "UTC"},
        )
        written = [text.replace("\u202f", " ") for text in json.loads(done.stdout)]
        assert written == expected, lang


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built as `portal run` builds it."""
    return build_site(tmp_path_factory.mktemp("site"), SITE)


def shipped(built: Path, url: str) -> Path:
    """The built file a URL of the site names."""
    return built / urlsplit(url).path.removeprefix(urlsplit(SITE).path)


@pytest.mark.parametrize("lang", LANGS)
def test_form_pages_reach_every_module_from_every_language_folder(built: Path, lang: str) -> None:
    """From /, /fr/, /es/ and /vi/ alike, the form's module URL (relative to the page) and each
    of its imports (relative to the module importing it) land on built files in assets/js/."""
    for path in FORM_PAGES:
        page_url = urljoin(SITE, f"{'' if lang == 'en' else lang + '/'}{path}")
        html = shipped(built, page_url).joinpath("index.html").read_text(encoding="utf-8")
        # One module per form, at low priority like a deferred script (site/hooks/portal_i18n.py).
        # English pages also offer the page in the browser's language (site/hooks/languages.py).
        offer = [e for e in MODULE_TAG.findall(html) if e.endswith("/portal-language-offer.js")]
        assert len(offer) == (1 if lang == "en" else 0), path
        assert all(shipped(built, urljoin(page_url, e)).is_file() for e in offer), path
        entries = [e for e in MODULE_TAG.findall(html) if e not in offer]
        assert len(entries) == 1, path
        assert not re.search(r'<script src="[^"]*assets/js/', html), path  # modules only
        pending, reached = [urljoin(page_url, entries[0])], set()
        while pending:
            url = pending.pop()
            assert urlsplit(url).path.startswith("/assets/js/"), url
            module = shipped(built, url)
            assert module.is_file(), f"{lang}/{path}: {url}"
            reached.add(url)
            imports = IMPORT.findall(module.read_text(encoding="utf-8"))
            pending += [urljoin(url, name) for name in imports if urljoin(url, name) not in reached]
        assert len(reached) > 1, path  # the flow's module and what it imports
