"""What the manifest decides, warnings apart from errors, and `portal sis check` (no database).

Strict on what the product reads, lenient on what it never reads: a file or column it never
uses never refuses an export; what is odd in it is a warning, in the errors' line shape.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from portal.sis.oneroster import HEADERS

from .test_sis_import import Data, declare, minimal, write_export

pytestmark = pytest.mark.unit

Setup = Callable[[Data, dict[str, list[str]]], None]
GRADEBOOK = ("categories.csv", "lineItems.csv", "results.csv")
USERS = len(HEADERS["users.csv"])  # columns of users.csv as the product writes it


def without(column: str) -> list[str]:
    """users.csv's header without one column."""
    return [c for c in HEADERS["users.csv"] if c != column]


def renamed(name: str, old: str, new: str) -> Setup:
    """A file whose header spells one column differently (its values stay in place)."""

    def setup(data: Data, headers: dict[str, list[str]]) -> None:
        headers[name] = [new if c == old else c for c in HEADERS[name]]
        for row in data[name]:
            row[new] = row.pop(old, "")

    return setup


def header(name: str, columns: list[str]) -> Setup:
    """A file with another header; rows keep the values of the columns it still has."""

    def setup(data: Data, headers: dict[str, list[str]]) -> None:
        headers[name] = columns

    return setup


def check_directory(directory: Path) -> tuple[list[str], list[str]]:
    """(errors, warnings) of an export already written."""
    from portal.sis.validate import ExportInvalid, validate

    try:
        return [], validate(directory).warnings
    except ExportInvalid as invalid:
        return invalid.errors, invalid.warnings


def check(
    tmp_path: Path, setup: Setup | None = None, **declared: str
) -> tuple[list[str], list[str]]:
    """(errors, warnings) of the minimal export changed by `setup` and `declared`."""
    data: Data = minimal()
    headers: dict[str, list[str]] = {}
    if setup:
        setup(data, headers)
    directory = write_export(tmp_path, data, headers)
    declare(directory, **declared)
    return check_directory(directory)


def test_the_minimal_export_has_neither_errors_nor_warnings(tmp_path: Path) -> None:
    assert check(tmp_path) == ([], [])


def test_gradebook_and_demographics_declared_absent(tmp_path: Path) -> None:
    from portal.sis.validate import validate

    data = minimal()
    for name in (*GRADEBOOK, "demographics.csv"):
        del data[name]
    directory = write_export(tmp_path, data)
    declare(directory, categories="absent", lineItems="absent", results="absent",
            demographics="absent")  # fmt: skip
    export = validate(directory)
    assert export.warnings == [] and not export.gradebook
    assert export.line_items == {} and not any(k.line_items for k in export.classes.values())
    assert set(export.rows) == set(data) | {"manifest.csv"}  # nothing else was read


def test_categories_alone_absent_keeps_the_grades(tmp_path: Path) -> None:
    from portal.sis.validate import validate

    data = minimal()
    del data["categories.csv"]
    directory = write_export(tmp_path, data)
    declare(directory, categories="absent")
    export = validate(directory)
    # Line items naming a category are not refused: the categories are simply not known.
    assert export.warnings == [] and export.gradebook and export.categories == {}
    assert export.classes["cls1"].line_items == ["li1", "li2", "li3"]


WARNINGS: list[tuple[str, Setup | None, dict[str, str], list[str]]] = [
    ("demographics of another OneRoster version",
     header("demographics.csv", [c for c in HEADERS["demographics.csv"] if c != "white"]), {},
     ["demographics.csv:1: white: missing column (no column like it in this file)"]),
    ("demographics with a bad date and an unknown user",
     lambda d, h: d["demographics.csv"].append({"sourcedId": "ghost", "birthDate": "3/4/2015"}),
     {}, ["demographics.csv:4: sourcedId: unknown user 'ghost'",
          "demographics.csv:4: birthDate: bad date '3/4/2015' (expected YYYY-MM-DD)"]),
    ("demographics declared bulk, missing", lambda d, h: d.pop("demographics.csv"), {},
     ["demographics.csv:—: —: missing file"]),
    ("demographics declared delta", None, {"demographics": "delta"},
     ["manifest.csv:10: value: file.demographics is a delta file; the import does not read "
      "demographics.csv"]),
    ("demographics declared nonsense", None, {"demographics": "full"},
     ["manifest.csv:10: value: bad value 'full' for file.demographics (expected one of: "
      "absent, bulk, delta)"]),
    ("a file declared absent is there all the same", None, {"demographics": "absent"},
     ["demographics.csv:—: —: not read: the manifest declares it absent"]),
    ("a file never read is declared bulk but missing", None, {"resources": "bulk"},
     ["resources.csv:—: —: missing file (declared bulk; the import does not read it)"]),
    ("results without line items", lambda d, h: d.pop("lineItems.csv"), {"lineItems": "absent"},
     ["categories.csv:—: —: not read: the manifest declares lineItems.csv absent, so there are "
      "no grades",
      "results.csv:—: —: not read: the manifest declares lineItems.csv absent, so there are "
      "no grades"]),
    ("an unknown column", header("users.csv", [*HEADERS["users.csv"], "nickname"]), {},
     ["users.csv:1: nickname: unknown column, not read"]),
    ("a misspelt extension column",
     renamed("users.csv", "metadata.language", "metadata.langauge"), {},
     ["users.csv:1: metadata.langauge: unknown column, not read (did you mean "
      "metadata.language?)"]),
    ("an unknown column twice", header("users.csv", [*HEADERS["users.csv"], "x", "x"]), {},
     ["users.csv:1: x: unknown column, not read",
      f"users.csv:1: x: column {USERS + 2} repeats column {USERS + 1}"]),
    ("a column without a name", header("orgs.csv", [*HEADERS["orgs.csv"], ""]), {},
     ["orgs.csv:1: —: column 9 has no name; not read"]),
]  # fmt: skip


@pytest.mark.parametrize(("case", "setup", "declared", "expected"), WARNINGS,
                         ids=[w[0] for w in WARNINGS])  # fmt: skip
def test_what_the_product_never_reads_only_warns(
    tmp_path: Path, case: str, setup: Setup | None, declared: dict[str, str], expected: list[str]
) -> None:
    assert check(tmp_path, setup, **declared) == ([], expected)


def test_a_district_metadata_column_is_no_warning(tmp_path: Path) -> None:
    assert check(tmp_path, header("users.csv", [*HEADERS["users.csv"], "metadata.sis.code"])) == (
        [],
        [],
    )


ERRORS: list[tuple[str, Setup | None, dict[str, str], list[str]]] = [
    ("a column spelt another way", renamed("classes.csv", "termSourcedIds", "termSourcedId"),
     {}, ["classes.csv:1: termSourcedIds: missing column (found termSourcedId)"]),
    ("a column in other letter case", renamed("users.csv", "identifier", "Identifier"), {},
     ["users.csv:1: identifier: missing column (found Identifier)"]),
    ("a column missing, nothing like it", header("users.csv", without("identifier")), {},
     ["users.csv:1: identifier: missing column (no column like it in this file)"]),
    ("a column the product reads, twice",
     header("users.csv", [*HEADERS["users.csv"], "givenName"]), {},
     [f"users.csv:1: givenName: column {USERS + 1} repeats column 9"]),
    ("the gradebook declared bulk, missing", lambda d, h: d.pop("results.csv"), {},
     ["results.csv:—: —: missing file"]),
    ("a needed file declared absent", None, {"users": "absent"},
     ["manifest.csv:16: value: file.users is absent, but the import needs users.csv"]),
    ("a file the product reads, declared nonsense", None, {"classes": "full"},
     ["manifest.csv:6: value: bad value 'full' for file.classes (expected one of: absent, "
      "bulk, delta)"]),
    ("a file the product reads, declared delta", None, {"results": "delta"},
     ["manifest.csv:15: value: file.results is a delta file: only full snapshots are "
      "accepted"]),
]  # fmt: skip


@pytest.mark.parametrize(("case", "setup", "declared", "expected"), ERRORS,
                         ids=[e[0] for e in ERRORS])  # fmt: skip
def test_what_the_product_reads_is_strict(
    tmp_path: Path, case: str, setup: Setup | None, declared: dict[str, str], expected: list[str]
) -> None:
    assert check(tmp_path, setup, **declared) == (expected, [])


def test_a_file_declared_twice_is_refused(tmp_path: Path) -> None:
    directory = write_export(tmp_path, minimal())
    with (directory / "manifest.csv").open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(
            [["file.users", "absent"], ["file.resources", "bulk"]]
        )
    errors, warnings = check_directory(directory)
    assert errors == ["manifest.csv:19: propertyName: second row for file.users (first on line 16)"]
    assert warnings == [
        "manifest.csv:20: propertyName: second row for file.resources (first on line 14)"
    ]


# --- portal sis check -----------------------------------------------------------------------


def run_check(directory: Path) -> tuple[int, str, str]:
    """`portal sis check DIR` in this process: (exit code, stdout, stderr)."""
    from portal.cli import app

    result = CliRunner().invoke(app, ["sis", "check", str(directory)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_check_a_good_export(tmp_path: Path) -> None:
    code, out, err = run_check(write_export(tmp_path, minimal()))
    assert (code, err) == (0, "")
    data = minimal()
    rows = sum(len(rows) for rows in data.values()) + 17  # and the manifest's 17
    assert out == (f"✓ No problems, 0 warning(s): {rows} rows in {len(data) + 1} files; "
                   "`portal sis import` would import this export.\n")  # fmt: skip


def test_check_warnings_alone_exit_0(tmp_path: Path) -> None:
    data = minimal()
    data["demographics.csv"][0]["birthDate"] = "2015-02-30"
    code, out, err = run_check(write_export(tmp_path, data))
    assert (code, err) == (0, "")
    assert out.splitlines()[:2] == [
        "1 warning(s); they refuse nothing:",
        "demographics.csv:2: birthDate: bad date '2015-02-30' (expected YYYY-MM-DD)",
    ]
    assert out.splitlines()[2].startswith("✓ No problems, 1 warning(s): ")


def test_check_errors_and_warnings_exit_1(tmp_path: Path) -> None:
    data: Data = minimal()
    headers: dict[str, list[str]] = {}
    renamed("classes.csv", "termSourcedIds", "termSourcedId")(data, headers)
    data["results.csv"][1]["score"] = "A+"
    data["demographics.csv"][0]["sourcedId"] = "ghost"
    code, out, err = run_check(write_export(tmp_path, data, headers))
    assert code == 1
    assert out.splitlines() == [
        "1 warning(s); they refuse nothing:",
        "demographics.csv:2: sourcedId: unknown user 'ghost'",
    ]
    assert err.splitlines() == [
        "classes.csv:1: termSourcedIds: missing column (found termSourcedId)",
        "results.csv:3: score: not a number: 'A+'",
        "2 problem(s) and 1 warning(s) found: `portal sis import` would refuse this export.",
    ]


def test_check_the_export_of_the_issue(tmp_path: Path) -> None:
    """Written as a public sample-data generator writes it: every value quoted, CRLF line ends,
    the gradebook and demographics declared absent."""
    data = minimal()
    for name in (*GRADEBOOK, "demographics.csv"):
        del data[name]
    directory = write_export(tmp_path, data, quoting=csv.QUOTE_ALL, line_end="\r\n")
    declare(directory, categories="absent", lineItems="absent", results="absent",
            demographics="absent")  # fmt: skip
    code, out, err = run_check(directory)
    assert (code, err) == (0, ""), err
    assert out.startswith("✓ No problems, 0 warning(s): ")


def test_the_demo_and_generated_exports_have_no_warnings(tmp_path: Path) -> None:
    """What the product itself writes is clean: a nightly import does not cry wolf."""
    from portal.sis.validate import validate
    from portal.synthetic.generate import generate_district

    assert validate(Path(__file__).resolve().parents[1] / "portal/demo/sis").warnings == []
    generate_district(30, 3, tmp_path, school_year=2026)
    assert validate(tmp_path).warnings == []


def test_check_needs_no_database(tmp_path: Path) -> None:
    """The installed command, pointed at a database that does not answer, still checks."""
    from portal import dynamodb_local

    directory = write_export(tmp_path, minimal())
    closed = dynamodb_local.free_port()
    env = {**os.environ, "DYNAMODB_ENDPOINT_URL": f"http://127.0.0.1:{closed}"}
    done = subprocess.run(
        [str(Path(sys.executable).parent / "portal"), "sis", "check", str(directory)],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    assert "No problems, 0 warning(s)" in done.stdout
    bad = tmp_path / "bad"
    data = minimal()
    del data["orgs.csv"]
    write_export(bad, data)
    done = subprocess.run(
        [str(Path(sys.executable).parent / "portal"), "sis", "check", str(bad)],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.splitlines()[0] == "orgs.csv:—: —: missing file"
