"""A OneRoster 1.2 export imported: the same tables as its 1.1 twin; preferred names shown."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any
from urllib.parse import quote

from chalicelib import school_year
from portal.activation_keys import issue_keys
from portal.notices import audience, definition
from portal.sis import oneroster12 as ors12
from portal.synthetic.generate import generate_district

from .support.factories import PASSWORD, claim, get, login, post, staff_session
from .support.families import activate, decoded, parent_username
from .support.notices import DEMO_NOTICE
from .test_sis_import import empty, minimal, run_import, snapshot, write_export  # noqa: F401
from .test_sis_roles import read_rows, twin_data, with_preferred_names, write_twin


def import_fresh(directory: Path) -> dict[str, list[str]]:
    """Every table's items after importing `directory` into fresh tables."""
    from chalicelib import storage

    storage.delete_tables()
    storage.create_tables()
    run_import(directory)
    return snapshot()


def test_generated_twins_give_identical_tables(dynamodb: str, tmp_path: Path) -> None:
    generate_district(120, 9, tmp_path / "1.1", school_year=2026)
    generate_district(120, 9, tmp_path / "1.2", school_year=2026, oneroster="1.2")
    tables = import_fresh(tmp_path / "1.1")
    assert import_fresh(tmp_path / "1.2") == tables
    profiles = tables["sis"]
    assert sum('"preferred_given_name"' in item for item in profiles) > 0


def test_hand_written_twins_give_identical_tables(dynamodb: str, tmp_path: Path) -> None:
    """Preferred names, a leaving student and a principal of two orgs, item for item."""
    data = with_preferred_names(minimal())
    tables = import_fresh(write_export(tmp_path / "1.1", data))
    assert import_fresh(write_twin(tmp_path / "1.2", twin_data(data))) == tables
    zoe = [item for item in tables["sis"] if '"student#0123456"' in item and '"profile"' in item]
    assert len(zoe) == 1 and '"preferred_middle_name": {"S": "Lan"}' in zoe[0]


# --- preferred names shown to families and staff, legal names claimed ------------------------


def district_with_preferred_names(directory: Path) -> tuple[dict[str, str], dict[str, str]]:
    """A generated 1.2 district this school year where a student goes by "Bex" and one of
    their guardians (with portal access) by "Lou Ames": (student row, guardian row)."""
    generate_district(40, 21, directory, school_year=school_year.current(), oneroster="1.2")
    roles = {r["userSourcedId"]: r["role"] for r in read_rows(directory / ors12.ROLES_FILE)}
    users = read_rows(directory / "users.csv")
    emails = {u["sourcedId"]: u["email"] for u in users}
    access = [r for r in read_rows(directory / "relationships.csv")
              if r["portalAccess"] == "true" and emails[r["guardianSourcedId"]]]  # fmt: skip
    student_sid, guardian_sid = access[0]["studentSourcedId"], access[0]["guardianSourcedId"]
    assert roles[student_sid] == "student"
    for user in users:
        names = {"preferredGivenName": "", "preferredMiddleName": "", "preferredFamilyName": ""}
        if user["sourcedId"] == student_sid:
            names["preferredGivenName"] = "Bex"
        elif user["sourcedId"] == guardian_sid:
            names.update(preferredGivenName="Lou", preferredFamilyName="Ames")
        user.update(names)
    with (directory / "users.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=ors12.USERS_HEADER, lineterminator="\n")
        writer.writeheader()
        writer.writerows(users)
    by_id = {u["sourcedId"]: u for u in users}
    return by_id[student_sid], by_id[guardian_sid]


def test_preferred_names_are_shown_and_legal_names_claimed(
    empty: None,  # noqa: F811 - the fixture imported above
    api: Any,
    tmp_path: Path,
) -> None:
    student, guardian = district_with_preferred_names(tmp_path)
    run_import(tmp_path)
    sid, given, middle, family = (student["identifier"], student["givenName"],
                                  student["middleName"], student["familyName"])  # fmt: skip
    shown = " ".join(p for p in ("Bex", middle, family) if p)
    # The claim matches the legal names only.
    start = {"last_name": family, "first_name": "Bex", "student_id": sid}
    refused = post(api, "/claim/start", start)
    assert refused.status_code == 403 and decoded(refused)["error"] == "claim_failed"
    token = decoded(post(api, "/claim/start", {**start, "first_name": given}))["claim_token"]
    weak = {"claim_token": token, "password": "Bexley-river-2026", "password_confirm": ""}
    weak["password_confirm"] = weak["password"]  # the name the student goes by is personal too
    rejected = post(api, "/claim/password", weak)
    assert decoded(rejected)["error"] == "password_contains_personal_info"
    username = claim(api, sid, given, family)
    token = login(api, username, PASSWORD)["session_token"]
    assert decoded(get(api, "/me", token))["display_name"] == f"Bex {family}"
    assert [s["display_name"] for s in decoded(get(api, "/students", token))["students"]] == [shown]
    # Letters home (the staff pages' and the CLI's) greet the guardian by that name.
    school, gid = student["primaryOrgSourcedId"], guardian["sourcedId"]
    admin = staff_session(api, "school_admin", school)
    sent = post(api, "/staff/activation-letters", {"scope": "guardian", "id": gid}, admin)
    (letter,) = decoded(sent)["letters"]
    assert letter["name"] == "Lou Ames" and shown in letter["students"]
    issue_keys(gid, tmp_path / "keys.csv")
    (row,) = read_rows(tmp_path / "keys.csv")
    assert (row["given_name"], row["family_name"]) == ("Lou", "Ames")
    # The guardian's portal: their own name, the student switcher and the household.
    parent = activate(api, gid, parent_username())
    assert decoded(get(api, "/me", parent))["display_name"] == "Lou Ames"
    assert shown in [s["display_name"] for s in decoded(get(api, "/students", parent))["students"]]
    members = [m["name"] for h in decoded(get(api, "/household", parent))["households"]
               for m in h["members"]]  # fmt: skip
    assert {"Lou Ames", f"Bex {family}"} <= set(members)
    assert f"{guardian['givenName']} {guardian['familyName']}" not in members
    # Staff find the student by either name and see the one the student goes by.
    teacher = staff_session(api, "teacher", school)
    for query in ("Bex", given):
        found = decoded(get(api, f"/staff/students?q={quote(query)}", teacher))["students"]
        assert shown in [s["display_name"] for s in found], query
    parents = decoded(get(api, f"/staff/parents?q={quote('Lou Ames')}", admin))["parents"]
    assert "Lou Ames" in [p["name"] for p in parents]
    # The back-to-school notice greets them by the names they go by.
    notice = definition.parse({**definition.read(DEMO_NOTICE), "id": "bts-preferred"})
    (greeting,) = [r for r in audience.resolve(notice).recipients if "Lou Ames" in r.names]
    assert "Bex" in greeting.students
