"""The staff audit trail: written with each action in one transaction, filtered, read as CSV."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from chalicelib import audit, clock, staff
from chalicelib.errors import AccountChanged, UsernameTaken
from chalicelib.storage import accounts as stored_accounts
from chalicelib.storage import db, tables
from chalicelib.storage import tickets as stored_tickets
from portal.cli import app as cli

from .support.api import body
from .support.factories import add_student, get, post, staff_session, unique_student_id


def _entries(api: Any, token: str, query: str = "") -> list[dict[str, str]]:
    response = get(api, f"/staff/audit{query}", token)
    assert response.status_code == 200, response.body
    return list(body(response)["entries"])


def _school() -> str:
    return f"org-audit-{unique_student_id()}"


def test_a_ticket_and_its_resolution_are_audited_with_who_where_and_from_where(api: Any) -> None:
    school = _school()
    sid = add_student(school=school)
    teacher = staff_session(api, "teacher", school=school)
    technician = staff_session(api, "technician", school=school)
    admin = staff_session(api, "school_admin", school=school)
    opened = post(
        api, "/staff/reset-tickets", {"student_id": sid, "reason": "forgot"}, teacher,
        **{"X-Forwarded-For": "203.0.113.7"},
    )  # fmt: skip
    ticket_id = body(opened)["ticket_id"]
    assert post(api, f"/staff/reset-tickets/{ticket_id}/resolve", {}, technician).status_code == 200
    found = _entries(api, admin)
    by_action = {e["action"]: e for e in found}
    filed, resolved = by_action["ticket_open"], by_action["ticket_resolve"]
    assert filed["role"] == "teacher" and filed["school"] == school
    assert filed["target"] == sid and filed["result"] == "ok" and filed["ip"]
    assert filed["staff"].startswith("teacher") and filed["at"].endswith("Z")
    assert resolved["role"] == "technician" and resolved["target"] == ticket_id
    assert [e["at"] for e in found] == sorted((e["at"] for e in found), reverse=True)


def test_refused_attempts_are_recorded_with_their_result(api: Any) -> None:
    school = _school()
    teacher = staff_session(api, "teacher", school=school)
    technician = staff_session(api, "technician", school=school)
    unknown = "00000000-0000-4000-8000-000000000000"
    assert post(api, f"/staff/reset-tickets/{unknown}/resolve", {}, teacher).status_code == 403
    assert post(api, f"/staff/reset-tickets/{unknown}/resolve", {}, technician).status_code == 403
    other = add_student(school="org-elsewhere")
    ticket = {"student_id": other, "reason": "x"}
    assert post(api, "/staff/reset-tickets", ticket, teacher).status_code == 403
    admin = staff_session(api, "school_admin", school=school)
    results = {(e["role"], e["action"], e["result"]) for e in _entries(api, admin)}
    assert ("teacher", "ticket_resolve", "forbidden") in results
    assert ("technician", "ticket_resolve", "not_found") in results
    assert ("teacher", "ticket_open", "not_found") in results


def test_an_action_refused_by_the_database_leaves_no_entry_and_a_refused_entry_no_action(
    dynamodb: str,
) -> None:
    actor = audit.Actor("teacher.tx", "teacher", "org-tx", "198.51.100.1")
    ticket = {"pk": f"t-{unique_student_id()}", "school": "org-tx", "sort": "open#x",
              "status": "open", "student_id": "1234567"}  # fmt: skip
    first = audit.entry(actor, "ticket_open", "1234567")
    stored_tickets.open_with_audit(ticket, first)
    # The ticket exists already: the action fails, so its audit entry is not written either.
    second = audit.entry(actor, "ticket_open", "1234567")
    with pytest.raises(db.Canceled):
        stored_tickets.open_with_audit(ticket, second)
    assert tables.get_item("events", {"pk": second["pk"], "sk": second["sk"]}) is None
    # The entry cannot be written (its key is taken): the action is not done either.
    other = {**ticket, "pk": f"t-{unique_student_id()}"}
    with pytest.raises(db.Canceled):
        stored_tickets.open_with_audit(other, first)
    assert stored_tickets.get(other["pk"]) is None
    # The same holds for a password change, whose refusal is a named error.
    missing = stored_accounts.from_item({"pk": "nobody-tx", "role": "parent", "session_epoch": 3})
    third = audit.entry(actor, "parent_temporary_password", "nobody-tx")
    with pytest.raises(AccountChanged):
        stored_accounts.save_password(missing, missing, third)
    assert tables.get_item("events", {"pk": third["pk"], "sk": third["sk"]}) is None


def test_a_staff_account_is_audited_with_its_creation_only(api: Any) -> None:
    school = _school()
    username = f"ops{unique_student_id()}"
    staff.add_staff(username, "teacher", school)
    with pytest.raises(UsernameTaken):
        staff.add_staff(username.upper(), "technician", school)
    district = staff_session(api, "district_admin")
    added = _entries(api, district, f"?action=staff_add&school={school}")
    assert [(e["target"], e["role"], e["staff"]) for e in added] == [(username, "operator", "cli")]


def test_filters_by_staff_action_school_and_days(api: Any) -> None:
    school = _school()
    district = staff_session(api, "district_admin")
    teacher_a = audit.Actor("teacher.a", "teacher", school, "192.0.2.1")
    teacher_b = audit.Actor("teacher.b", "teacher", school, "192.0.2.2")
    clock.freeze()
    clock.advance(-3 * 86400)
    audit.record(teacher_a, "ticket_open", "1000001")
    old_day = clock.utcnow().date().isoformat()
    clock.advance(3 * 86400)
    audit.record(teacher_a, "ticket_resolve", "t-1")
    clock.advance(1)  # the frozen clock would give both entries one time
    audit.record(teacher_b, "ticket_open", "1000002")
    today = clock.utcnow().date().isoformat()
    by_school = _entries(api, district, f"?school={school}&from={old_day}")
    assert [e["target"] for e in by_school] == ["1000002", "t-1", "1000001"]
    only_today = _entries(api, district, f"?school={school}&from={today}&to={today}")
    assert {e["target"] for e in only_today} == {"1000002", "t-1"}
    assert [e["target"] for e in _entries(api, district, f"?staff=Teacher.A&from={old_day}")] == [
        "t-1",
        "1000001",
    ]
    opened = _entries(api, district, f"?school={school}&action=ticket_open&from={old_day}")
    assert [e["target"] for e in opened] == ["1000002", "1000001"]


def test_a_school_admin_reads_only_their_school(api: Any) -> None:
    school, other = _school(), _school()
    audit.record(audit.Actor("t.mine", "teacher", school, "192.0.2.3"), "ticket_open", "1000003")
    audit.record(audit.Actor("t.other", "teacher", other, "192.0.2.4"), "ticket_open", "1000004")
    admin = staff_session(api, "school_admin", school=school)
    assert {e["school"] for e in _entries(api, admin)} == {school}
    refused = get(api, f"/staff/audit?school={other}", admin)
    assert refused.status_code == 403 and body(refused)["error"] == "forbidden"


@pytest.mark.parametrize(
    "query",
    ["?from=2026-02-30", "?to=yesterday", "?to=2026-W01-1", "?from=20260101",
     "?from=2026-08-02&to=2026-08-01", "?from=2024-01-01&to=2026-01-01", "?staff=" + "x" * 201],
)  # fmt: skip
def test_bad_filters_answer_400(api: Any, query: str) -> None:
    district = staff_session(api, "district_admin")
    response = get(api, f"/staff/audit{query}", district)
    assert response.status_code == 400 and body(response)["error"] == "invalid_request"


@pytest.mark.parametrize(
    "query", ["?to=0001-01-01", "?from=0001-01-01&to=0001-01-01", "?to=9999-12-31",
              "?from=9999-12-31&to=9999-12-31", "?from=0001-01-07&to=0001-01-07"],
)  # fmt: skip
def test_the_first_and_last_days_there_are_answer_empty(api: Any, query: str) -> None:
    district = staff_session(api, "district_admin")
    for path in ("/staff/audit", "/staff/audit.csv"):
        response = get(api, f"{path}{query}", district)
        assert response.status_code == 200, response.body
    assert body(get(api, f"/staff/audit{query}", district)) == {"entries": []}


def test_csv_download_and_cli_export_are_the_same_file(api: Any, tmp_path: Path) -> None:
    school = _school()
    actor = audit.Actor("teacher.csv", "teacher", school, "192.0.2.5")
    audit.record(actor, "ticket_open", '=HYPERLINK("http://evil")')
    audit.record(actor, "ticket_open", 'Nguyễn, "Lan"')
    district = staff_session(api, "district_admin")
    response = get(api, f"/staff/audit.csv?school={school}", district)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.body.decode("utf-8"))))
    assert [r["target"] for r in rows] == ['Nguyễn, "Lan"', '\'=HYPERLINK("http://evil")']
    assert rows[0]["role"] == "teacher" and rows[0]["ip"] == "192.0.2.5"
    out = tmp_path / "audit.csv"
    result = CliRunner().invoke(cli, ["staff", "audit-export", str(out), "--school", school])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == response.body
    bad = CliRunner().invoke(cli, ["staff", "audit-export", str(out), "--from", "2026-13-01"])
    assert bad.exit_code == 1 and "YYYY-MM-DD" in bad.output


def test_an_activation_key_never_reaches_the_trail(api: Any, dynamodb: str) -> None:
    from .support.demo import import_demo

    import_demo()
    admin = staff_session(api, "school_admin", school="babb-ms")
    issued = post(api, "/staff/activation-keys", {"guardian_id": "gdn-donald-clayton"}, admin)
    key = body(issued)["activation_key"]
    stored = json.dumps(tables.scan_items("events")) + json.dumps(tables.scan_items("tokens"))
    compact = key.strip("{}").replace("-", "")
    assert key not in stored and compact not in stored and compact.lower() not in stored
    entries = [e for e in _entries(api, admin) if e["action"] == "activation_key_issue"]
    assert entries and entries[0]["target"] == "gdn-donald-clayton"
