"""Languages of the site (QUALITY.md L1, L2): pages and form messages exist in all 4 languages,
and the build gives every form the messages of its page's language."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace

import pytest
import yaml
from mkdocs.exceptions import PluginError

from chalicelib.languages import LANGUAGES

from .support.french import spacing_faults
from .support.site import as_shown, build_site

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "site/docs"
MESSAGES = ROOT / "site/messages"
JS = sorted((DOCS / "assets/js").glob("*.js"))
# Keys the scripts build from data ("tab_" + view, "status_" + status, ...).
DYNAMIC_KEYS = {
    *(f"tab_{v}" for v in ("schedule", "attendance", "grades", "calendar", "notices")),
    *(f"tab_{v}" for v in ("household", "access_log", "change_password")),
    *(f"status_{s}" for s in ("present", "excused", "unexcused", "tardy", "exempt", "unknown")),
    *(f"grade_{s}" for s in ("scored", "pending", "late", "missing")),
}
FORM_PAGES = {
    "students/claim/": "claim",
    "students/login/": "login",
    "students/forgot-password/": "reset",
    "parents/activate/": "activate",
    "portal/": "portal",
}


def hook() -> ModuleType:
    """site/hooks/portal_i18n.py, imported the way mkdocs does (its folder on sys.path, so it
    finds the modules beside it)."""
    if str(ROOT / "site/hooks") not in sys.path:
        sys.path.append(str(ROOT / "site/hooks"))
    spec = importlib.util.spec_from_file_location("portal_i18n", ROOT / "site/hooks/portal_i18n.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def messages(lang: str) -> dict[str, dict[str, str]]:
    """A language's messages file."""
    return yaml.safe_load((MESSAGES / f"{lang}.yml").read_text(encoding="utf-8"))


def pages(lang: str) -> set[str]:
    """Markdown pages of a language, relative to its folder."""
    folder = DOCS / lang
    return {str(p.relative_to(folder)) for p in folder.rglob("*.md")}


# L1: the same pages in every language --------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES[1:])
def test_every_page_exists_in_every_language(lang: str) -> None:
    english = pages("en")
    assert english, "no English pages found"
    assert sorted(english - pages(lang)) == [], f"missing in {lang}"
    assert sorted(pages(lang) - english) == [], f"orphaned in {lang} (no English page)"


# L2: every error code and form label in every language --------------------------------------


def test_every_api_error_code_has_a_message() -> None:
    from chalicelib.api.codes import ERRORS  # functions/ is on sys.path (pyproject.toml)

    english = messages("en")["errors"]
    assert sorted(set(ERRORS) - set(english)) == []
    assert "network_error" in english  # the browser's own failure, not an API code


def test_every_language_has_every_key_with_the_same_placeholders() -> None:
    loaded = hook().load_messages(MESSAGES, list(LANGUAGES))
    for lang in LANGUAGES[1:]:
        for section in ("errors", "labels"):
            extra = set(loaded[lang][section]) - set(loaded["en"][section])
            assert not extra, f"{lang}.yml {section} has keys en.yml lacks: {sorted(extra)}"


def test_the_build_fails_when_a_language_lacks_a_key(tmp_path: Path) -> None:
    for lang in LANGUAGES:
        shutil.copy(MESSAGES / f"{lang}.yml", tmp_path / f"{lang}.yml")
    data = messages("vi")
    del data["labels"]["log_off"]
    data["errors"]["too_many_attempts"] = "Quá nhiều lần thử."  # its {wait} is lost
    (tmp_path / "vi.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(PluginError) as failure:
        hook().load_messages(tmp_path, list(LANGUAGES))
    assert "vi.yml: labels.log_off is missing" in str(failure.value)
    assert "vi.yml: errors.too_many_attempts must use the placeholders" in str(failure.value)


def test_an_audience_text_needs_a_base_key_and_its_placeholders(tmp_path: Path) -> None:
    for lang in LANGUAGES:
        shutil.copy(MESSAGES / f"{lang}.yml", tmp_path / f"{lang}.yml")
    data = messages("es")
    data["students"]["labels"]["no_such_key"] = "Hola"
    data["students"]["errors"]["too_many_attempts"] = "Espera un poco."  # its {wait} is lost
    (tmp_path / "es.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    module = hook()
    with pytest.raises(PluginError) as failure:
        module.load_variants(tmp_path, module.load_messages(tmp_path, list(LANGUAGES)))
    assert "es.yml: students.labels.no_such_key is not a key of labels" in str(failure.value)
    assert "es.yml: students.errors.too_many_attempts must use the placeholders" in str(
        failure.value
    )


def test_a_page_speaks_to_the_audience_of_its_folder_or_front_matter() -> None:
    module = hook()

    def page(url: str, **meta: str) -> SimpleNamespace:
        return SimpleNamespace(url=url, meta=meta, file=SimpleNamespace(src_uri=url + ".md"))

    assert module.page_audience(page("students/claim/"), "en") == "students"
    assert module.page_audience(page("es/students/login/"), "es") == "students"
    assert module.page_audience(page("es/parents/login/"), "es") == "parents"
    assert module.page_audience(page("vi/portal/"), "vi") == "parents"
    assert module.page_audience(page("es/help/", audience="students"), "es") == "students"
    with pytest.raises(PluginError):
        module.page_audience(page("es/help/", audience="teachers"), "es")


def reachable_labels(entry: str) -> set[str]:
    """The label keys a form's module and every module it imports call t() with."""
    pending, seen, keys = [entry], set(), set()
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        text = (DOCS / "assets/js" / name).read_text("utf-8")
        keys |= set(re.findall(r"""\bt\(\s*["']([a-z_]+)["']\s*[,)]""", text))
        pending += re.findall(r"""\bfrom\s*["']\./([^"']+)["']""", text)
    return keys


# One register per audience (glossary.yml tone rules): the words that give each one away.
FAMILIAR = {
    "es": r"\b(?:tu|tus|te|ti|puedes|debes|tienes|podrás|usaste|iniciaste|cerraste|terminaste|"
    r"hayas|uses|escribas|empieces|escribe|elige|usa|responde|espera|revisa|inténtalo|empieza|"
    r"completa|activa|vuelve|recuerda|cierra|habla)\b",
    "vi": r"\bbạn\b",
}
POLITE = {
    "es": r"\b(?:su|sus|usted|ustedes|haya|use|escriba|elija|responda|espere|revise|intente|"
    r"empiece|complete|active|vuelva|recuerde|cierre|comuníquese|usó|inició|cerró)\b",
    "vi": r"\bquý vị\b|\bquý phụ huynh\b",
}
STUDENT_FORMS = ("portal-claim.js", "portal-login.js", "portal-reset.js")
PARENT_FORMS = ("portal-activate.js", "portal-login.js", "portal-app.js")
PARENT_ONLY_ERRORS = {"activation_key_invalid"}


@pytest.mark.parametrize("lang", sorted(FAMILIAR))
def test_each_audience_reads_one_register(lang: str) -> None:
    module = hook()
    module._messages.clear()
    module._messages.update(module.load_messages(MESSAGES, list(LANGUAGES)))
    module._variants.clear()
    module._variants.update(module.load_variants(MESSAGES, module._messages))
    screens = {
        "students": (STUDENT_FORMS, POLITE[lang]),
        "parents": (PARENT_FORMS, FAMILIAR[lang]),
    }
    for audience, (forms, wrong) in screens.items():
        texts = module.texts_for(lang, audience)
        keys = set().union(*(reachable_labels(form) for form in forms))
        shown = [texts["labels"][key] for key in sorted(keys)]
        shown += [text for code, text in texts["errors"].items()
                  if audience == "parents" or code not in PARENT_ONLY_ERRORS]  # fmt: skip
        mixed = [text for text in shown if re.search(wrong, text, re.IGNORECASE)]
        assert mixed == [], f"{lang} {audience}: {mixed}"
    assert re.search(POLITE["es"], "Elija su contraseña") and re.search(FAMILIAR["es"], "Elige tu")


def test_french_messages_have_their_no_break_spaces() -> None:
    texts = messages("fr")
    for section in ("errors", "labels"):
        for key, text in texts[section].items():
            assert spacing_faults(text) == [], f"fr.yml {section}.{key}"


def test_staff_texts_have_no_break_spaces_and_one_register() -> None:
    """Staff are addressed like parents (vous, usted, no "bạn"); so are guardians' letters."""
    for lang in LANGUAGES:
        staff = messages(lang)["staff"]
        for part in ("errors", "labels", "letter"):
            for key, text in staff[part].items():
                if lang == "fr":
                    assert spacing_faults(text) == [], f"fr.yml staff.{part}.{key}"
                if lang in FAMILIAR:
                    found = re.search(FAMILIAR[lang], text, re.IGNORECASE)
                    assert found is None, f"{lang}.yml staff.{part}.{key}: {found}"


def test_every_label_the_scripts_use_exists() -> None:
    used = set(DYNAMIC_KEYS)
    for script in JS:
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_]+)["']\s*[,)]""", script.read_text("utf-8")))
    english = messages("en")
    labels = {**english["labels"], **english["staff"]["labels"]}  # the staff page has both
    assert sorted(used - set(labels)) == []


# The built site: each form page carries its own language's messages --------------------------


SITE_URL = "https://help.district.example/"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built as `portal run` builds it."""
    return build_site(tmp_path_factory.mktemp("site"), SITE_URL)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_form_pages_carry_their_language(built: Path, lang: str) -> None:
    base = messages(lang)
    for path, kind in FORM_PAGES.items():
        audience = "students" if path.startswith("students/") else "parents"
        variant = base.get(audience, {})
        expected = as_shown(
            {
                section: {**base[section], **variant.get(section, {})}
                for section in ("errors", "labels")
            }
        )
        html = (built / ("" if lang == "en" else lang) / path / "index.html").read_text("utf-8")
        found = re.search(
            r'<script type="application/json" id="portal-messages">(.*?)</script>', html, re.S
        )
        assert found, f"{lang}/{path}: no messages"
        data = json.loads(found.group(1))
        assert data["lang"] == lang and data["audience"] == audience
        assert data["labels"] == expected["labels"]
        assert data["errors"] == expected["errors"]
        assert f'data-form="{kind}"' in html
        assert expected["labels"]["noscript"] in html
        assert '<meta name="portal-api" content="http://api.invalid">' in html
        assert "api.invalid" not in found.group(1)  # the address comes from the meta only
        assert re.search(r'<script type="module" [^>]*src="[./]*assets/js/portal-[a-z]+\.js"', html)


def test_pages_without_a_form_load_no_form_script(built: Path) -> None:
    """Only the English pages' small language offer (site/hooks/languages.py), no form."""
    for lang in LANGUAGES:
        home = (built / ("" if lang == "en" else lang) / "index.html").read_text("utf-8")
        assert "portal-messages" not in home
        scripts = set(re.findall(r"assets/js/(portal-[a-z0-9-]+)\.js", home))
        assert scripts == ({"portal-language-offer"} if lang == "en" else set()), lang


def test_our_scripts_and_stylesheet_are_minified_under_their_names(built: Path) -> None:
    """site/hooks/minify.py: readable in the repository, minified in the built site."""
    sources = [*JS, ROOT / "site" / "docs" / "assets" / "portal.css"]
    for source in sources:
        relative = source.relative_to(ROOT / "site" / "docs")
        shipped = (built / relative).read_text(encoding="utf-8")
        assert len(shipped) < 0.8 * len(source.read_text(encoding="utf-8")), relative
        assert "\n  " not in shipped, f"{relative}: indentation left"


def test_hreflang_alternates_are_absolute(built: Path) -> None:
    """Search engines ignore relative hreflang links (site/hooks/hreflang.py)."""
    site = SITE_URL
    for lang in LANGUAGES:
        page = built / ("" if lang == "en" else lang) / "students" / "claim" / "index.html"
        head = page.read_text(encoding="utf-8").split("</head>")[0]
        found = dict(re.findall(r'<link rel="alternate" href="([^"]+)" hreflang="([^"]+)">', head))
        assert {v: k for k, v in found.items()} == {
            other: f"{site}{'' if other == 'en' else other + '/'}students/claim/"
            for other in LANGUAGES
        }


def test_our_stylesheet_is_inlined_in_every_page(built: Path) -> None:
    """site/hooks/minify.py: no render-blocking request for it, the same rules everywhere."""
    import rcssmin

    css = rcssmin.cssmin((ROOT / "site" / "docs" / "assets" / "portal.css").read_text("utf-8"))
    for lang in LANGUAGES:
        page = built / ("" if lang == "en" else lang) / "students" / "claim" / "index.html"
        html = page.read_text(encoding="utf-8")
        assert "assets/portal.css" not in html
        assert f"<style>{css}</style>" in html
