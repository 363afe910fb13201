"""`portal notices check`: exactly the contract's fields, every rule, every template variable."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from portal.cli import app
from portal.notices import definition, render
from portal.notices.definition import NoticeInvalid

from .support import ROOT
from .support.notices import DEMO_NOTICE, notice_file

pytestmark = pytest.mark.unit

LINKS = yaml.safe_load(DEMO_NOTICE.read_text())["links"]
SEED_2021 = {  # the 2021-22 seed letter's facts, with its reset window ending before it starts
    "id": "back-to-school-2021-22",
    "school_year": "2021-2022",
    "login_deadline": "2021-08-02",
    "reset_window": {"start": "2021-07-26", "end": "2021-07-23"},
}


def problems(**changes: Any) -> list[str]:
    data = definition.read(DEMO_NOTICE)
    for key, value in changes.items():
        if value is None:
            data.pop(key)
        else:
            data[key] = value
    with pytest.raises(NoticeInvalid) as caught:
        definition.parse(data)
    return caught.value.problems


def test_the_demo_definition_is_valid_and_renders() -> None:
    notice = definition.load(DEMO_NOTICE)
    render.check(notice)
    assert notice.school_year == "2026-2027" and str(notice.login_deadline) == "2026-08-03"
    assert (str(notice.reset_window.start), str(notice.reset_window.end)) == (
        "2026-07-20",
        "2026-07-31",
    )
    assert all(url.startswith("https://example.org/") for url in dict(notice.links).values())


def test_the_2021_window_that_ends_before_it_starts() -> None:
    assert problems(**SEED_2021) == ["reset_window: start 2021-07-26 is after end 2021-07-23"]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"colour": "blue"}, "colour: unknown field (allowed: id, kind, school_year,"),
        ({"links": {**LINKS, "homework": "https://x.org/"}}, "links.homework: unknown field"),
        ({"sender": {"name": "A", "email": "a@b.org", "phone": "1"}}, "sender.phone: unknown"),
        ({"kind": None}, "kind: missing"),
        ({"audience": None}, "audience: missing"),
        ({"links": {k: v for k, v in LINKS.items() if k != "wifi"}}, "links.wifi: missing"),
        ({"links": {**LINKS, "claim_video": "not a url"}}, "links.claim_video: 'not a url' is not"),
        ({"login_deadline": "2026-02-30"}, "login_deadline: '2026-02-30' is not a date"),
        ({"login_deadline": "August 3"}, "login_deadline: 'August 3' is not a date"),
        ({"reset_window": {"start": "2026-07-20"}}, "reset_window.end: missing"),
        ({"reset_window": "July"}, "reset_window: 'July' must be a mapping"),
        ({"login_deadline": "2027-08-03"}, "login_deadline: 2027-08-03 is outside the school year"),
        (
            {"reset_window": {"start": "2026-06-20", "end": "2026-07-31"}},
            "reset_window.start: 2026-06-20 is outside the school year 2026-2027 "
            "(2026-07-01 to 2027-06-30)",
        ),
        (
            {"reset_window": {"start": "2026-07-20", "end": "2026-08-05"}},
            "reset_window: end 2026-08-05 is after login_deadline 2026-08-03",
        ),
        ({"school_year": "2026-2028"}, "school_year: '2026-2028' must be two years in a row"),
        ({"school_year": 2026}, "school_year: 2026 must be text"),
        ({"new_student_delay_hours": 48}, "new_student_delay_hours: 48 differs from CLAIM_DELAY"),
        ({"new_student_delay_hours": "24"}, "new_student_delay_hours: '24' must be a whole"),
        ({"audience": "schools:babb-ms"}, "audience: 'schools:babb-ms' must be 'district' or"),
        ({"audience": "school:"}, "audience: 'school:' must be"),
        ({"id": "Back To School"}, "id: 'Back To School' must be lower-case letters"),
        ({"sender": {"name": "A", "email": "nope"}}, "sender.email: 'nope' is not an email"),
        (
            {"sender": {"name": {"en": "Office", "fr": "Service"}, "email": "a@b.org"}},
            "sender.name: give a name for each of en, fr, es, vi",
        ),
    ],
)
def test_each_problem_names_the_field_and_value(changes: dict[str, Any], expected: str) -> None:
    found = problems(**changes)
    assert any(p.startswith(expected) for p in found), found


def test_every_problem_is_listed_at_once() -> None:
    found = problems(colour="blue", links={**LINKS, "wifi": None}, **SEED_2021)
    assert "reset_window: start 2021-07-26 is after end 2021-07-23" in found
    assert any(p.startswith("colour: unknown field") for p in found)
    assert any(p.startswith("links.wifi:") for p in found)


def test_optional_fields_may_be_left_out() -> None:
    data = definition.read(DEMO_NOTICE)
    del data["sender"], data["new_student_delay_hours"]
    notice = definition.parse(data)
    assert notice.sender is None and notice.delay_hours == 24


def test_yaml_mistakes(tmp_path: Path) -> None:
    twice = tmp_path / "twice.yml"
    twice.write_text(DEMO_NOTICE.read_text() + "audience: district\n")
    broken = tmp_path / "broken.yml"
    broken.write_text("id: [unclosed\n")
    listed = tmp_path / "list.yml"
    listed.write_text("- id: x\n")
    for path, expected in (
        (twice, "audience: given twice"),
        (broken, "not valid YAML"),
        (listed, "must be a mapping"),
        (tmp_path / "missing.yml", "cannot be read"),
    ):
        with pytest.raises(NoticeInvalid) as caught:
            definition.load(path)
        assert expected in caught.value.problems[0]


def test_a_template_variable_without_value_is_reported(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    french = templates / "notices" / "back-to-school" / "fr.md.j2"
    french.write_text(french.read_text().replace("{{ links.wifi }}", "{{ links.homework }}"))
    vietnamese = templates / "notices" / "back-to-school" / "vi.md.j2"
    vietnamese.write_text(vietnamese.read_text().replace("{{ login_deadline }}", "{{ deadline }}"))
    with pytest.raises(NoticeInvalid) as caught:
        render.check(definition.load(DEMO_NOTICE), templates)
    found = "\n".join(caught.value.problems)
    assert "notices/back-to-school/fr.md.j2: body" in found and "homework" in found
    assert "notices/back-to-school/vi.md.j2" in found and "'deadline' is undefined" in found
    assert "en.md.j2" not in found and "es.md.j2" not in found


def test_an_unknown_kind_has_no_templates() -> None:
    notice = definition.parse({**definition.read(DEMO_NOTICE), "kind": "picture-day"})
    with pytest.raises(NoticeInvalid) as caught:
        render.check(notice)
    assert caught.value.problems[0].startswith("kind: 'picture-day' has no usable template")


def test_cli_check(tmp_path: Path) -> None:
    runner = CliRunner()
    good = runner.invoke(app, ["notices", "check", str(DEMO_NOTICE)])
    assert good.exit_code == 0, good.output
    assert "back-to-school-2026-27 is valid" in good.output
    bad = runner.invoke(app, ["notices", "check", str(notice_file(tmp_path, **SEED_2021))])
    assert bad.exit_code == 1
    assert "reset_window: start 2021-07-26 is after end 2021-07-23" in bad.output
