"""The district's identifiers are configuration (issue 16, item 4).

A student ID has PORTAL_STUDENT_ID_DIGITS digits (7 by default, as the seeds say) and a student's
username is PORTAL_USERNAME_PREFIX ("S") followed by it. With a district configured for 9-digit
IDs the API takes them and refuses 7 with a message saying 9, `portal sis generate` writes them
and they import, the demo district and the letters follow, and the built site's claim form and
guides say 9 in all four languages. No guide, letter or form text writes the format by hand.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from chalicelib import config, identity
from chalicelib.languages import LANGUAGES

from .support.api import body
from .support.factories import PASSWORD, add_student, claim, post, unique_student_id
from .support.site import build_site, hook_module

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "portal" / "demo" / "sis"
VARIABLES = ("PORTAL_STUDENT_ID_DIGITS", "PORTAL_USERNAME_PREFIX")
NINE = {"PORTAL_STUDENT_ID_DIGITS": "9", "PORTAL_USERNAME_PREFIX": "S"}
# How each language says "N digits" after the number ("7 digits", "7-digit", "7 chiffres"…).
DIGIT_WORDS = {
    "en": r"[ -]digits?",
    "fr": r"\s?chiffres?",
    "es": r"\s?dígitos?",
    "vi": r"\s?chữ số",
}

SetEnv = Callable[[str, str], None]


@pytest.fixture
def default_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    """Neither variable set: the defaults."""
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    config.settings.cache_clear()


@pytest.fixture
def nine(setenv: SetEnv) -> None:
    """A district of 9-digit student IDs, usernames "S" + ID."""
    for name, value in NINE.items():
        setenv(name, value)


def students_of(directory: Path) -> list[dict[str, str]]:
    """The student rows of an export's users.csv."""
    with (directory / "users.csv").open(encoding="utf-8-sig", newline="") as handle:
        return [row for row in csv.DictReader(handle) if row["role"] == "student"]


# Settings: one home, checked ---------------------------------------------------------------


@pytest.mark.unit
def test_the_defaults_are_the_seeds_seven_digits_and_s(default_ids: None) -> None:
    settings = config.load()
    assert (settings.student_id_digits, settings.username_prefix) == (7, "S")
    assert identity.shown() == {
        "digits": "7",
        "prefix": "S",
        "example_id": "0123456",
        "example_username": "S0123456",
        "example_username_lower": "s0123456",
    }


@pytest.mark.unit
@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PORTAL_STUDENT_ID_DIGITS", "3"),
        ("PORTAL_STUDENT_ID_DIGITS", "13"),
        ("PORTAL_STUDENT_ID_DIGITS", "nine"),
        ("PORTAL_USERNAME_PREFIX", "ABCD"),
        ("PORTAL_USERNAME_PREFIX", "S1"),
        ("PORTAL_USERNAME_PREFIX", "É"),
    ],
)
def test_identifiers_out_of_range_are_refused_by_name(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SystemExit, match=name):
        config.load()


@pytest.mark.unit
def test_nine_digits_and_a_two_letter_prefix(setenv: SetEnv) -> None:
    setenv("PORTAL_STUDENT_ID_DIGITS", "9")
    setenv("PORTAL_USERNAME_PREFIX", "ST")
    assert identity.student_id(" 012345678 ") == "012345678"
    for typed, says in (("0123456", "exactly 9 digits"), ("st012345678", "remove the letters ST")):
        with pytest.raises(identity.StudentIdFormat, match=says):
            identity.student_id(typed)
    assert identity.student_username("012345678") == "ST012345678"
    assert identity.is_student_username("sT012345678")
    assert not identity.is_student_username("S012345678")
    assert not identity.is_student_username("ST0123456")
    assert identity.id_of_student_username("St012345678") == "012345678"
    assert identity.id_of_student_username("MinnieC") is None


@pytest.mark.unit
@pytest.mark.parametrize("digits", range(*config.STUDENT_ID_DIGITS))
def test_seed_ids_stay_distinct_at_every_length(setenv: SetEnv, digits: int) -> None:
    setenv("PORTAL_STUDENT_ID_DIGITS", str(digits))
    seeds = [row["identifier"] for row in students_of(DEMO)]
    sized = {identity.sized(sid) for sid in seeds}
    assert len(sized) == len(seeds) and all(identity.is_student_id(sid) for sid in sized)
    assert identity.is_student_id(identity.example_id())


# The API -----------------------------------------------------------------------------------


def test_the_api_takes_nine_digit_ids_and_refuses_seven(api: Any, nine: None) -> None:
    sid = "12" + unique_student_id()  # 9 digits, unused
    add_student("Daffy", "Clayton", student_id=sid)
    seven = {"last_name": "Clayton", "first_name": "Daffy", "student_id": sid[2:]}
    refused = post(api, "/claim/start", seven)
    assert refused.status_code == 400 and body(refused)["error"] == "student_id_format"
    assert "9 digits" in body(refused)["message"] and "7" not in body(refused)["message"]
    assert claim(api, sid) == f"S{sid}"
    login = post(api, "/login", {"username": f"s{sid}", "password": PASSWORD})
    assert login.status_code == 200 and body(login)["role"] == "student"


# The SIS: generate, import, the demo district ----------------------------------------------


def test_generate_writes_nine_digit_ids_that_import(
    fresh_tables: None, nine: None, tmp_path: Path
) -> None:
    from chalicelib import sis
    from portal.cli import app

    out = str(tmp_path / "out")
    made = CliRunner().invoke(app, ["sis", "generate", "--students", "30", "--seed", "3", out])
    assert made.exit_code == 0, made.output
    students = students_of(tmp_path / "out")
    assert len(students) == 30
    for row in students:
        assert re.fullmatch(r"[0-9]{9}", row["identifier"]), row["identifier"]
        assert row["username"] == "S" + row["identifier"]
    loaded = CliRunner().invoke(app, ["sis", "import", out])
    assert loaded.exit_code == 0, loaded.output
    found = sis.get_student(students[0]["identifier"])
    assert found is not None and found.active


@pytest.mark.unit
def test_the_import_names_the_configured_length(setenv: SetEnv, tmp_path: Path) -> None:
    from portal.sis.validate import ExportInvalid, validate
    from portal.synthetic.generate import generate_district

    setenv("PORTAL_STUDENT_ID_DIGITS", "9")
    generate_district(5, 1, tmp_path, school_year=2026)
    validate(tmp_path)
    setenv("PORTAL_STUDENT_ID_DIGITS", "7")
    with pytest.raises(ExportInvalid) as refused:
        validate(tmp_path)
    wrong = [line for line in refused.value.errors if "identifier" in line]
    assert len(wrong) == 5 and all(line.endswith("is not 7 digits") for line in wrong)


@pytest.mark.unit
def test_generate_refuses_more_students_than_ids(setenv: SetEnv, tmp_path: Path) -> None:
    from portal.cli import app

    setenv("PORTAL_STUDENT_ID_DIGITS", "4")
    result = CliRunner().invoke(app, ["sis", "generate", "--students", "10000", str(tmp_path)])
    assert result.exit_code == 1
    assert "do not fit in 4-digit student IDs" in result.output
    assert "Traceback" not in result.output


@pytest.mark.unit
def test_the_demo_district_follows_the_setting(nine: None, tmp_path: Path) -> None:
    from portal.demo import sized
    from portal.sis.validate import validate

    assert not sized.as_configured(DEMO)
    sized.write_sized(DEMO, tmp_path)
    assert sized.as_configured(tmp_path)
    greg = next(row for row in students_of(tmp_path) if row["givenName"] == "Greg")
    assert (greg["identifier"], greg["username"]) == ("012345678", "S012345678")
    validate(tmp_path)


@pytest.mark.unit
def test_the_seeds_demo_is_used_as_is_by_default(default_ids: None) -> None:
    from portal.demo import sized

    assert sized.as_configured(DEMO)


# Deploy: one parameter for the function and the site ---------------------------------------


@pytest.mark.unit
def test_the_api_stack_passes_the_identifiers_to_the_function(nine: None) -> None:
    from deploy.api_template import merge_template

    template = merge_template({}, "https://help.district.example")
    parameters = template["Parameters"]
    assert parameters["StudentIdDigits"]["Default"] == 9
    assert parameters["UsernamePrefix"]["Default"] == "S"
    variables = template["Resources"]["APIHandler"]["Properties"]["Environment"]["Variables"]
    assert variables["PORTAL_STUDENT_ID_DIGITS"] == {"Ref": "StudentIdDigits"}
    assert variables["PORTAL_USERNAME_PREFIX"] == {"Ref": "UsernamePrefix"}


@pytest.mark.unit
def test_packaging_sets_and_checks_the_identifiers(setenv: SetEnv) -> None:
    from deploy.package import use_identifiers

    for name in VARIABLES:  # restored after the test, whatever use_identifiers sets
        setenv(name, "")
    assert use_identifiers("9", "ST") == "student IDs of 9 digits, usernames like ST012345678"
    assert config.settings().student_id_digits == 9
    with pytest.raises(SystemExit, match="PORTAL_STUDENT_ID_DIGITS"):
        use_identifiers("13", None)


# Letters and guides ------------------------------------------------------------------------


@pytest.mark.unit
def test_the_back_to_school_letter_follows_the_setting(nine: None) -> None:
    from portal.notices import definition
    from portal.notices.render import Renderer

    from .support.notices import DEMO_NOTICE

    renderer = Renderer(definition.load(DEMO_NOTICE), "https://help.district.example/")
    english = renderer.parts("en").page_md
    assert "9-digit student ID" in english and "S012345678" in english
    assert "7-digit" not in english and "S0123456`" not in english


def hand_written(lang: str, digits: int) -> re.Pattern[str]:
    """A student-ID format written by hand: "7 digits" in the language's words, a username
    (1 to 3 letters and the digits) or an ID of that length."""
    return re.compile(
        rf"(?<![\w{{]){digits}{DIGIT_WORDS[lang]}"
        rf"|\b[A-Za-z]{{1,3}}[0-9]{{{digits}}}\b|(?<![0-9])[0-9]{{{digits}}}(?![0-9])"
    )


def written_by_hand() -> list[tuple[str, Path]]:
    """The files that speak of student IDs in a language: guides (not the notice pages,
    rendered from the letters), letters, the forms' texts."""
    found = []
    for lang in LANGUAGES:
        guides = (ROOT / "site" / "docs" / lang).rglob("*.md")
        found += [(lang, p) for p in sorted(guides) if p.parent.name != "notices"]
        found += [(lang, p) for p in sorted((ROOT / "templates").rglob(f"{lang}.md.j2"))]
        found.append((lang, ROOT / "site" / "messages" / f"{lang}.yml"))
    return found


@pytest.mark.unit
def test_no_page_writes_the_student_id_format_by_hand(default_ids: None) -> None:
    problems = [
        f"{path.relative_to(ROOT)}:{number}: {match.group(0)!r}"
        for lang, path in written_by_hand()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        for match in hand_written(lang, identity.digits()).finditer(line)
    ]
    assert problems == [], "write {{ digits }}, {{ example_username }}… instead:\n" + "\n".join(
        problems
    )


@pytest.mark.unit
@pytest.mark.parametrize(
    ("lang", "line", "found"),
    [
        ("en", "Your 7-digit student ID, for example `S0123456`.", ["7-digit", "S0123456"]),
        ("fr", "Votre numéro d'élève à 7\u00a0chiffres : 0123456.", ["7\u00a0chiffres", "0123456"]),
        ("es", "Tu ID de estudiante tiene 7 dígitos.", ["7 dígitos"]),
        ("vi", "Mã số học sinh gồm 7 chữ số.", ["7 chữ số"]),
        ("en", "Your {{ digits }}-digit ID, like `{{ example_username }}`; a 4-digit year.", []),
    ],
)
def test_the_check_finds_a_hand_written_format(lang: str, line: str, found: list[str]) -> None:
    assert [m.group(0) for m in hand_written(lang, 7).finditer(line)] == found


@pytest.mark.unit
def test_the_macros_fill_a_guide_and_an_unknown_one_fails(default_ids: None) -> None:
    from mkdocs.exceptions import PluginError

    hook = hook_module("district_ids")
    page = (ROOT / "site" / "docs" / "en" / "students" / "index.md").read_text(encoding="utf-8")
    shown = hook.substitute(page, "en/students/index.md")
    assert "{{" not in shown and "7-digit student ID" in shown and "| 0123456 | S0123456 |" in shown
    with pytest.raises(PluginError, match="unknown macro"):
        hook.substitute("Type {{ digit }} digits.", "x.md")
    texts = hook.fill_texts({"a": {"b": "{digits} digits, then wait {wait}", "c": "{prefix}"}})
    assert texts == {"a": {"b": "7 digits, then wait {wait}", "c": "S"}}


# The built site, configured for 9 digits ----------------------------------------------------


@pytest.fixture(scope="module")
def built_nine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built for a district of 9-digit IDs."""
    return build_site(tmp_path_factory.mktemp("site-nine"), **NINE)


def page_text(path: Path) -> str:
    """A built page's words: no scripts, no tags, plain spaces."""
    html = re.sub(r"<script\b.*?</script>", " ", path.read_text(encoding="utf-8"), flags=re.S)
    text = re.sub(r"<[^>]+>", " ", html)
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


@pytest.mark.unit
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_built_claim_form_says_nine(built_nine: Path, lang: str) -> None:
    folder = built_nine / ("" if lang == "en" else lang)
    html = (folder / "students" / "claim" / "index.html").read_text(encoding="utf-8")
    found = re.search(r'<script type="application/json" id="portal-messages">(.*?)</script>', html)
    assert found
    data = json.loads(found.group(1))
    assert data["identity"] == {"digits": 9, "prefix": "S"}
    for text in (data["labels"]["student_id_hint"], data["errors"]["student_id_format"]):
        assert "9" in text and "7" not in text and "{" not in text


@pytest.mark.unit
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_built_guides_say_nine(built_nine: Path, lang: str) -> None:
    folder = built_nine / ("" if lang == "en" else lang)
    index = page_text(folder / "students" / "index.html")
    assert "012345678 S012345678" in index  # the table of ID and username
    assert re.search(rf"\b9{DIGIT_WORDS[lang]}", index)
    for page in ("students/claim", "students/login", "help/troubleshooting"):
        text = page_text(folder / page / "index.html")
        assert re.search(rf"\b9{DIGIT_WORDS[lang]}", text), page
        assert not hand_written(lang, 7).search(text), page
        assert "{{" not in text, page
