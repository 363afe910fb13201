"""OneRoster 1.2 (roles.csv, preferred names) read into the model 1.1 builds; no database."""

from __future__ import annotations

import csv
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from portal.sis import oneroster12 as ors12
from portal.sis.model import Export
from portal.sis.oneroster import manifest_rows
from portal.sis.validate import ExportInvalid, validate
from portal.synthetic.generate import generate_district

from .test_sis_import import Data, minimal, write_export

pytestmark = pytest.mark.unit

YEAR = 2027
PREFERRED = {"metadata.preferredGivenName": "Zee", "metadata.preferredMiddleName": "Lan",
             "metadata.preferredFamilyName": "Nguyen"}  # fmt: skip


def with_preferred_names(data: Data) -> Data:
    """The hand-written export with preferred names for a student and a guardian, a leaving
    student and a principal, so that a twin has more than the plain case to carry."""
    data["users.csv"][1].update(PREFERRED)  # Zoë O'Brien-Nguyễn goes by Zee Lan Nguyen
    data["users.csv"][3]["metadata.preferredGivenName"] = "Min"  # Minnie Clayton
    data["users.csv"][2]["status"] = "tobedeleted"  # Marcia is leaving
    data["users.csv"].append(
        {"sourcedId": "adm1", "enabledUser": "true", "orgSourcedIds": "sch1,d1",
         "role": "administrator", "givenName": "Pat", "familyName": "Okafor",
         "identifier": "104299", "metadata.preferredGivenName": "Patty"}
    )  # fmt: skip
    return data


def twin_data(data: Data) -> Data:
    """The 1.2 twin of a 1.1 export: each user row without its roles, roles.csv beside it."""
    users, roles = [], []
    for user in data["users.csv"]:
        row, held = ors12.twin(user)
        users.append(row)
        roles += held
    return {**data, "users.csv": users, ors12.ROLES_FILE: roles}


def write_twin(directory: Path, data: Data) -> Path:
    """Write the 1.2 export `data` (already in 1.2 columns) with its 1.2 manifest."""
    roles = data[ors12.ROLES_FILE]
    write_export(directory, {k: v for k, v in data.items() if k != ors12.ROLES_FILE}, ors12.HEADERS)
    files = {
        "manifest.csv": manifest_rows(data, ors12.VERSION, ors12.MANIFEST_FILE_ENTRIES),
        ors12.ROLES_FILE: [[r.get(c, "") for c in ors12.ROLES_HEADER] for r in roles],
    }
    for name, rows in files.items():
        with (directory / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(ors12.HEADERS[name])
            writer.writerows(rows)
    return directory


def model(export: Export) -> dict[str, Any]:
    """Everything an export's model holds but where it was read from and rows per file."""
    found = {f.name: getattr(export, f.name) for f in fields(export)}
    del found["directory"], found["rows"]
    found["results"] = list(export.results.values)
    return found


def problems(directory: Path) -> list[str]:
    """The errors validation lists (none: an empty list)."""
    try:
        validate(directory)
    except ExportInvalid as invalid:
        return invalid.errors
    return []


# --- the same model from both versions -----------------------------------------------------


def test_hand_written_twin_reads_into_the_same_model(tmp_path: Path) -> None:
    data = with_preferred_names(minimal())
    old = validate(write_export(tmp_path / "1.1", data))
    twin = twin_data(data)
    twin["users.csv"][2]["primaryOrgSourcedId"] = ""  # Marcia's school: the role she is leaving
    new = validate(write_twin(tmp_path / "1.2", twin))
    assert model(new) == model(old)
    zoe = new.students["stu1"]
    assert (zoe.given, zoe.family) == ("Zoë", "O'Brien-Nguyễn")  # legal names kept for claims
    assert (zoe.preferred_given, zoe.preferred_middle, zoe.preferred_family) == (
        "Zee", "Lan", "Nguyen")  # fmt: skip
    assert new.guardians["par1"].preferred_given == "Min"
    assert new.roles["adm1"] == "administrator" and new.teacher_names["adm1"] == "Patty Okafor"
    assert not new.students["stu2"].active and new.students["stu2"].role == "student"
    assert new.rows[ors12.ROLES_FILE] == len(data["users.csv"]) + 1  # the principal has two orgs


def test_secondary_roles_add_orgs_not_roles(tmp_path: Path) -> None:
    data = twin_data(minimal())
    for user in data["users.csv"]:
        user["primaryOrgSourcedId"] = ""  # the school then comes from the roles' orgs alone
    data[ors12.ROLES_FILE][1]["orgSourcedId"] = "d1"  # Zoë's primary role: at the district...
    data[ors12.ROLES_FILE].append(
        {"sourcedId": "r-extra", "userSourcedId": "stu1", "roleType": "secondary",
         "role": "aide", "orgSourcedId": "sch1"}  # ...and a secondary one at her school
    )  # fmt: skip
    export = validate(write_twin(tmp_path, data))
    assert export.roles["stu1"] == "student" and export.students["stu1"].school == "sch1"
    data[ors12.ROLES_FILE][1]["roleType"] = "secondary"  # now no primary role at all
    assert problems(write_twin(tmp_path, data)) == [
        "users.csv:3: sourcedId: user 'stu1' has no primary role in roles.csv"
    ]


def test_primary_org_comes_first(tmp_path: Path) -> None:
    data = twin_data(minimal())
    data["orgs.csv"].append({"sourcedId": "sch2", "name": "Babb Middle", "type": "school",
                             "identifier": "0102", "parentSourcedId": "d1"})  # fmt: skip
    data[ors12.ROLES_FILE][1]["orgSourcedId"] = "sch2"  # Zoë is a student of two schools
    data[ors12.ROLES_FILE].append({**data[ors12.ROLES_FILE][1], "sourcedId": "r-2",
                                   "orgSourcedId": "sch1"})  # fmt: skip
    assert data["users.csv"][1]["primaryOrgSourcedId"] == "sch1"
    assert validate(write_twin(tmp_path, data)).students["stu1"].school == "sch1"
    data["users.csv"][1]["primaryOrgSourcedId"] = ""  # then the first school of her roles
    assert validate(write_twin(tmp_path, data)).students["stu1"].school == "sch2"


# --- roles.csv and users.csv errors ----------------------------------------------------------

ROLE_LIST = ("student, parent, guardian, relative, teacher, administrator, aide, proctor, "
             "counselor, districtAdministrator, principal, siteAdministrator, "
             "systemAdministrator")  # fmt: skip
INVALID: list[tuple[str, str, int, str, str, list[str]]] = [
    # Users are checked once users.csv is read: its problems are listed first.
    ("unknown user", ors12.ROLES_FILE, 2, "userSourcedId", "ghost",
     ["users.csv:4: sourcedId: user 'stu2' has no primary role in roles.csv",
      "roles.csv:4: userSourcedId: unknown user 'ghost'"]),
    ("unknown org", ors12.ROLES_FILE, 0, "orgSourcedId", "sch9",
     ["roles.csv:2: orgSourcedId: unknown org 'sch9'"]),
    ("no primary role", ors12.ROLES_FILE, 2, "roleType", "secondary",
     ["users.csv:4: sourcedId: user 'stu2' has no primary role in roles.csv"]),
    ("bad role type", ors12.ROLES_FILE, 2, "roleType", "main",
     ["roles.csv:4: roleType: bad value 'main' (expected one of: primary, secondary)"]),
    ("unknown role", ors12.ROLES_FILE, 0, "role", "pupil",
     [f"roles.csv:2: role: bad value 'pupil' (expected one of: {ROLE_LIST})"]),
    ("unknown primary org", "users.csv", 1, "primaryOrgSourcedId", "sch9",
     ["users.csv:3: primaryOrgSourcedId: unknown org 'sch9'"]),
]  # fmt: skip


@pytest.mark.parametrize(("case", "name", "index", "column", "value", "expected"), INVALID,
                         ids=[c[0] for c in INVALID])  # fmt: skip
def test_invalid_roles(tmp_path: Path, case: str, name: str, index: int, column: str,
                       value: str, expected: list[str]) -> None:  # fmt: skip
    data = twin_data(minimal())
    data[name][index][column] = value
    assert problems(write_twin(tmp_path, data)) == expected


def test_primary_roles_that_disagree(tmp_path: Path) -> None:
    data = twin_data(minimal())
    data[ors12.ROLES_FILE].append({**data[ors12.ROLES_FILE][0], "sourcedId": "r-2",
                                   "role": "parent"})  # fmt: skip
    assert problems(write_twin(tmp_path, data)) == [
        "roles.csv:7: role: second primary role 'parent' of user 'tch1' (primary role "
        "'teacher' on line 2)"
    ]


def test_missing_roles_file_is_one_problem(tmp_path: Path) -> None:
    directory = write_twin(tmp_path, twin_data(minimal()))
    (directory / ors12.ROLES_FILE).unlink()
    assert problems(directory) == ["roles.csv:—: —: missing file"]


def test_a_1_2_users_file_needs_no_role_columns_but_a_1_1_one_does(tmp_path: Path) -> None:
    data = twin_data(minimal())
    assert problems(write_twin(tmp_path / "1.2", data)) == []
    directory = write_twin(tmp_path / "1.1", data)
    manifest = directory / "manifest.csv"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(",1.2", ",1.1"), "utf-8")
    assert problems(directory) == [
        "users.csv:1: orgSourcedIds: missing column (found primaryOrgSourcedId)",
        "users.csv:1: role: missing column (no column like it in this file)",
    ]


def test_a_1_2_manifest_may_not_declare_roles_absent(tmp_path: Path) -> None:
    directory = write_twin(tmp_path, twin_data(minimal()))
    manifest = directory / "manifest.csv"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace("file.roles,bulk", "file.roles,absent"), "utf-8")
    line = text.splitlines().index("file.roles,bulk") + 1
    assert problems(directory) == [
        f"manifest.csv:{line}: value: file.roles is absent, but the import needs roles.csv"
    ]


def test_unsupported_version(tmp_path: Path) -> None:
    directory = write_export(tmp_path, minimal())
    manifest = directory / "manifest.csv"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(",1.1", ",1.3"), "utf-8")
    assert problems(directory) == [
        "manifest.csv:3: value: OneRoster version '1.3' is not supported (expected one of: 1.1, "
        "1.2)"
    ]


# --- the generator's twin --------------------------------------------------------------------


def read_rows(path: Path) -> list[dict[str, str]]:
    """Rows of one CSV file."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_generated_1_2_district_is_the_twin_of_the_1_1_one(tmp_path: Path) -> None:
    old, new = tmp_path / "1.1", tmp_path / "1.2"
    counts = generate_district(150, 4, old, school_year=YEAR)
    twin_counts = generate_district(150, 4, new, school_year=YEAR, oneroster="1.2")
    changed = {"manifest.csv", "users.csv", ors12.ROLES_FILE}
    assert {k: n for k, n in twin_counts.items() if k not in changed} == {
        k: n for k, n in counts.items() if k not in changed}  # fmt: skip
    assert twin_counts["users.csv"] == counts["users.csv"]
    assert {p.name for p in new.iterdir()} == {p.name for p in old.iterdir()} | changed
    for path in old.iterdir():
        if path.name not in changed:
            assert (new / path.name).read_bytes() == path.read_bytes(), path.name
    with (new / "users.csv").open(encoding="utf-8", newline="") as handle:
        assert next(csv.reader(handle)) == ors12.USERS_HEADER
    users = read_rows(old / "users.csv")
    roles = read_rows(new / ors12.ROLES_FILE)
    held = [(r["userSourcedId"], r["role"], r["orgSourcedId"], r["roleType"]) for r in roles]
    assert held == [(u["sourcedId"], u["role"], org, "primary")
                    for u in users for org in u["orgSourcedIds"].split(",")]  # fmt: skip
    manifest = {r["propertyName"]: r["value"] for r in read_rows(new / "manifest.csv")}
    assert manifest["oneroster.version"] == "1.2" and manifest["file.roles"] == "bulk"
    preferred = [u for u in users if u["metadata.preferredGivenName"]]
    assert 0 < len(preferred) < len(users) * 0.1
    assert all(u["metadata.preferredGivenName"] != u["givenName"] for u in preferred)
    twin = validate(new)
    assert model(twin) == model(validate(old)) and twin.warnings == []


def test_generate_command_takes_the_version(tmp_path: Path) -> None:
    from portal.cli import app

    runner = CliRunner()
    args = ["sis", "generate", "--students", "5", "--seed", "2"]
    done = runner.invoke(app, [*args, "--oneroster", "1.2", str(tmp_path / "new")])
    assert done.exit_code == 0, done.output
    assert (tmp_path / "new" / ors12.ROLES_FILE).is_file()
    refused = runner.invoke(app, [*args, "--oneroster", "2.0", str(tmp_path / "bad")])
    assert refused.exit_code == 2 and not (tmp_path / "bad").exists()
    with pytest.raises(ValueError, match="oneroster must be one of 1.1, 1.2"):
        generate_district(5, 2, tmp_path / "none", oneroster="1.0")
