"""The languages in plain sight, as built (site/hooks/languages.py, portal_i18n.py, main.html,
404.html): language links on the home pages, the offer on English pages, one 404 page for every
language, titles without the site's name, the skip link to a form, the parents' login page."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from chalicelib.languages import LANGUAGES, NAMES

from .test_site_i18n import built, messages  # noqa: F401 - the built site, once per module

pytestmark = pytest.mark.unit
ROOT = Path(__file__).resolve().parents[1]


def page(built: Path, lang: str, path: str) -> str:  # noqa: F811 - the fixture's value
    """A built page's HTML."""
    return (built / ("" if lang == "en" else lang) / path / "index.html").read_text("utf-8")


def data_block(html: str, block_id: str) -> dict:
    """The JSON of <script type="application/json" id=block_id>."""
    found = re.search(rf'<script type="application/json" id="{block_id}">(.*?)</script>', html)
    assert found, block_id
    return json.loads(found.group(1))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_home_page_names_the_four_languages_in_their_own_words(
    built: Path,  # noqa: F811
    lang: str,
) -> None:
    html = page(built, lang, "")
    nav = re.search(r'<nav class="portal-languages" aria-label="([^"]+)">(.*?)</nav>', html)
    assert nav and nav.group(1) == messages(lang)["labels"]["site_languages"]
    assert html.index('class="portal-languages"') < html.index("<h1")  # in the first screen
    links = re.findall(
        r'<a href="([^"]*)" hreflang="(\w+)" lang="\w+"([^>]*)>([^<]+)</a>', nav.group(2)
    )
    assert [(code, name) for _, code, _, name in links] == list(NAMES.items())
    base = Path("/", "" if lang == "en" else lang)
    for href, code, current, _ in links:
        target = (base / href).resolve() if href not in ("", "./") else base
        assert str(target).rstrip("/") == ("" if code == "en" else f"/{code}")
        assert ('aria-current="page"' in current) == (code == lang)


def test_english_pages_offer_the_same_page_in_each_other_language(built: Path) -> None:  # noqa: F811
    html = page(built, "en", "students/claim")
    offers = data_block(html, "portal-language-offer")
    assert set(offers) == {"fr", "es", "vi"}
    for code, offer in offers.items():
        labels = messages(code)["labels"]
        assert offer == {
            "text": labels["language_offer"],
            "link": labels["language_offer_link"],
            "close": labels["close"],
            "href": f"../../{code}/students/claim/",
        }
    assert re.search(
        r'<script type="module" [^>]*src="../../assets/js/portal-language-offer.js"', html
    )
    french = page(built, "fr", "students/claim")
    assert 'id="portal-language-offer"' not in french and "language-offer.js" not in french


def test_one_404_page_carries_every_language(built: Path) -> None:  # noqa: F811
    html = (built / "404.html").read_text("utf-8")
    assert '<html lang="en"' in html and "<title>Page not found</title>" in html
    assert 'rel="alternate"' not in html  # the theme's were another page's
    frames = data_block(html, "portal-404-frame")
    assert set(frames) == set(LANGUAGES)
    assert frames["fr"]["title"] == "Page introuvable"
    assert frames["vi"]["site_name"] == "Trung tâm hỗ trợ gia đình"
    assert frames["es"]["home"] == "/es/" and frames["en"]["home"] == "/"
    assert frames["fr"]["search_placeholder"] == "Rechercher"  # the theme's own French
    assert '<script type="module" src="/assets/js/portal-404.js">' in html
    assert not any((built / lang / "404.html").exists() for lang in LANGUAGES)


@pytest.mark.parametrize(
    ("lang", "path", "title"),
    [
        ("en", "", "Family Help Center"),
        ("fr", "", "Centre d'aide aux familles"),
        ("en", "students/claim", "Claim your account"),
        ("vi", "parents/login", "Đăng nhập vào CCPS Portal"),
    ],
)
def test_page_titles_do_not_repeat_the_site_name(
    built: Path,  # noqa: F811
    lang: str,
    path: str,
    title: str,
) -> None:
    found = re.search(r"<title>([^<]*)</title>", page(built, lang, path))
    assert found and found.group(1).replace("&#39;", "'") == title


@pytest.mark.parametrize("lang", LANGUAGES)
def test_form_pages_skip_to_the_form_first(built: Path, lang: str) -> None:  # noqa: F811
    html = page(built, lang, "students/login")
    skip = html.split('<div data-md-component="skip">', 1)[1].split("</div>", 1)[0]
    first = re.search(r'<a href="#([\w-]+)" class="md-skip">([^<]+)</a>', skip)
    assert first and first.group(1) == "login-form"
    assert first.group(2) == messages(lang)["labels"]["skip_to_form"]
    assert (
        "md-skip" not in page(built, lang, "portal").split("</header>")[0].split("skip_to")[0][-1:]
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_parents_log_in_on_a_page_of_their_own(built: Path, lang: str) -> None:  # noqa: F811
    html = page(built, lang, "parents/login")
    assert 'data-form="login" data-audience="parent"' in html
    links = data_block(html, "portal-messages")["links"]
    assert links["parent_forgot_password"] == "../passwords/#forgot"
    activate = data_block(page(built, lang, "parents/activate"), "portal-messages")
    assert activate["links"]["parent_login"] == "../login/"


NODE_CHECK = """
globalThis.window = {location: {pathname: "/"}};
globalThis.document = {getElementById: () => null};
globalThis.navigator = {languages: []};
const offer = await import(process.argv[1]);
const notFound = await import(process.argv[2]);
const offered = {fr: {}, es: {}, vi: {}};
const frames = {en: {home: "/"}, fr: {home: "/fr/"}, es: {home: "/es/"}, vi: {home: "/vi/"}};
console.log(JSON.stringify({
  offer: [["de-DE", "vi-VN"], ["en-GB", "fr-FR"], ["fr-CA"], ["ES"], ["de"], []]
    .map(tags => offer.preferred(tags, offered)),
  page: ["/fr/x/", "/es/", "/vi/a/b", "/frx/", "/", "/nope/fr/"]
    .map(path => notFound.languageOf(path, frames)),
}));
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_offer_and_the_404_page_choose_the_language_as_meant() -> None:
    js = ROOT / "site/docs/assets/js"
    done = subprocess.run(
        ["node", "--input-type=module", "-e", NODE_CHECK,
         (js / "portal-language-offer.js").as_uri(), (js / "portal-404.js").as_uri()],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    assert json.loads(done.stdout) == {
        "offer": ["vi", None, "fr", "es", None, None],  # English first: no offer
        "page": ["fr", "es", "vi", "en", "en", "en"],
    }
