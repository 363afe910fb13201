"""`portal sis import` (portal.sis.importer): validation, stored items, re-imports (QUALITY R4)."""

from __future__ import annotations

import copy
import csv
import json
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from portal.sis.oneroster import HEADERS, manifest_rows

ROOT = Path(__file__).resolve().parents[1]
AS_OF = date(2026, 3, 1)
ENTERED = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
Data = dict[str, list[dict[str, str]]]

MINIMAL: Data = {
    "orgs.csv": [
        {"sourcedId": "d1", "name": "Clayton County", "type": "district", "identifier": "CC"},
        {"sourcedId": "sch1", "name": "McGarrah Elementary", "type": "school",
         "identifier": "0101", "parentSourcedId": "d1",
         "metadata.email": " Office@McGarrah.example.org "},
    ],
    "academicSessions.csv": [
        {"sourcedId": "y2026", "title": "2025-2026", "type": "schoolYear",
         "startDate": "2025-07-01", "endDate": "2026-06-30", "schoolYear": "2026"},
        {"sourcedId": "t1", "title": "Fall", "type": "term", "startDate": "2025-07-01",
         "endDate": "2025-12-31", "parentSourcedId": "y2026", "schoolYear": "2026"},
        {"sourcedId": "t2", "title": "Spring", "type": "term", "startDate": "2026-01-01",
         "endDate": "2026-06-30", "parentSourcedId": "y2026", "schoolYear": "2026"},
    ],
    "users.csv": [
        {"sourcedId": "tch1", "enabledUser": "true", "orgSourcedIds": "sch1", "role": "teacher",
         "givenName": "Ann", "familyName": "Lee", "identifier": "104211",
         "email": "ann.lee@example.org"},
        {"sourcedId": "stu1", "enabledUser": "true", "orgSourcedIds": "sch1", "role": "student",
         "givenName": "Zoë", "familyName": "O'Brien-Nguyễn", "identifier": "0123456",
         "agentSourcedIds": "par1", "grades": "05", "metadata.language": "vi"},
        {"sourcedId": "stu2", "enabledUser": "true", "orgSourcedIds": "sch1", "role": "student",
         "givenName": "Marcia", "familyName": "Student", "middleName": "A.",
         "identifier": "0234561", "agentSourcedIds": "par1,gua2", "grades": "03"},
        {"sourcedId": "par1", "enabledUser": "true", "orgSourcedIds": "sch1", "role": "parent",
         "givenName": "Minnie", "familyName": "Clayton", "email": "minnie@example.org",
         "agentSourcedIds": "stu1,stu2", "metadata.language": "fr"},
        {"sourcedId": "gua2", "enabledUser": "true", "orgSourcedIds": "sch1",
         "role": "guardian", "givenName": "José Luis", "familyName": "de la Cruz",
         "metadata.language": "pt"},
    ],
    "courses.csv": [
        {"sourcedId": "crs1", "schoolYearSourcedId": "y2026", "title": "Mathematics 5",
         "courseCode": "MATH-05", "orgSourcedId": "sch1"},
    ],
    "classes.csv": [
        {"sourcedId": "cls1", "title": "Math 5", "courseSourcedId": "crs1", "location": "101",
         "schoolSourcedId": "sch1", "termSourcedIds": "t1,t2", "periods": "2"},
        {"sourcedId": "cls2", "title": "Art", "courseSourcedId": "crs1", "location": "Art Room",
         "schoolSourcedId": "sch1", "termSourcedIds": "t2", "periods": "5"},
    ],
    "enrollments.csv": [
        {"sourcedId": "e1", "classSourcedId": "cls1", "schoolSourcedId": "sch1",
         "userSourcedId": "tch1", "role": "teacher", "primary": "true"},
        {"sourcedId": "e2", "classSourcedId": "cls1", "schoolSourcedId": "sch1",
         "userSourcedId": "stu1", "role": "student", "primary": "false"},
        {"sourcedId": "e3", "classSourcedId": "cls2", "schoolSourcedId": "sch1",
         "userSourcedId": "stu1", "role": "student"},
        {"sourcedId": "e4", "classSourcedId": "cls1", "schoolSourcedId": "sch1",
         "userSourcedId": "stu2", "role": "student", "beginDate": "2025-08-04"},
    ],
    "demographics.csv": [
        {"sourcedId": "stu1", "birthDate": "2015-03-04"},
        {"sourcedId": "stu2", "birthDate": "2017-11-30"},
    ],
    "categories.csv": [
        {"sourcedId": "cat1", "title": "Tests", "metadata.weight": "40"},
        {"sourcedId": "cat2", "title": "Homework", "metadata.weight": ""},
    ],
    "lineItems.csv": [
        {"sourcedId": "li1", "title": "Quiz 1", "assignDate": "2025-09-01",
         "dueDate": "2025-09-05", "classSourcedId": "cls1", "categorySourcedId": "cat1",
         "gradingPeriodSourcedId": "t1", "resultValueMin": "0", "resultValueMax": "10"},
        {"sourcedId": "li2", "title": "Worksheet", "assignDate": "2025-09-20",
         "dueDate": "2025-10-01T23:59:00Z", "classSourcedId": "cls1",
         "categorySourcedId": "cat2", "resultValueMax": "20"},
        {"sourcedId": "li3", "title": "Project", "assignDate": "2026-04-01",
         "dueDate": "2026-05-01", "classSourcedId": "cls1", "categorySourcedId": "cat1",
         "resultValueMax": "100"},
        {"sourcedId": "li4", "title": "Sketch", "assignDate": "2026-01-20",
         "dueDate": "2026-02-01", "classSourcedId": "cls2", "categorySourcedId": "cat2",
         "resultValueMax": "10"},
    ],
    "results.csv": [
        {"sourcedId": "r1", "lineItemSourcedId": "li1", "studentSourcedId": "stu1",
         "scoreStatus": "fully graded", "score": "9.5", "scoreDate": "2025-09-06",
         "comment": "Turned in late."},
        {"sourcedId": "r2", "lineItemSourcedId": "li2", "studentSourcedId": "stu1",
         "scoreStatus": "fully graded", "score": "18", "scoreDate": "2025-10-01"},
        {"sourcedId": "r3", "lineItemSourcedId": "li1", "studentSourcedId": "stu2",
         "scoreStatus": "fully graded", "score": "7.0", "scoreDate": "2025-09-05"},
    ],
    "relationships.csv": [
        {"guardianSourcedId": "gua2", "studentSourcedId": "stu2", "portalAccess": "false"},
    ],
    "households.csv": [
        {"sourcedId": "h1", "phone": "(770) 555-0101", "primaryAddress": "1 Main St, Rex, GA",
         "mailingAddress": "PO Box 9, Rex, GA", "memberSourcedIds": "par1,stu1,stu2"},
    ],
    "attendance.csv": [
        {"sourcedId": "a1", "studentSourcedId": "stu1", "classSourcedId": "cls1",
         "date": "2025-09-02", "status": "tardy"},
    ],
}  # fmt: skip


def write_export(
    directory: Path,
    data: Data,
    headers: dict[str, list[str]] | None = None,
    quoting: int = csv.QUOTE_MINIMAL,
    line_end: str = "\n",
) -> Path:
    """Write `data` as an export (header = line 1, row i on line i + 2) with a bulk manifest."""
    directory.mkdir(parents=True, exist_ok=True)
    files = {"manifest.csv": [], **data}
    for name, rows in files.items():
        header = (headers or {}).get(name, HEADERS[name])
        with (directory / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator=line_end, quoting=quoting)
            writer.writerow(header)
            if name == "manifest.csv":
                writer.writerows(rows or manifest_rows(HEADERS))
            writer.writerows([[row.get(column, "") for column in header] for row in rows])
    return directory


def declare(directory: Path, **files: str) -> None:
    """Rewrite the export's manifest.csv with `file.<name>` declared as given (the rest kept)."""
    path = directory / "manifest.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    values = {f"file.{name}": value for name, value in files.items()}
    rows = [[key, values.pop(key, value)] for key, value in rows]
    rows += [[key, value] for key, value in values.items()]
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def minimal() -> Data:
    """A fresh copy of the hand-written export, safe to change."""
    return copy.deepcopy(MINIMAL)


def run_import(directory: Path, **kwargs: Any) -> Any:
    """import_export with the test's fixed dates, no progress bar."""
    from portal.sis.importer import import_export

    kwargs.setdefault("entered_at", ENTERED)
    kwargs.setdefault("as_of", AS_OF)
    return import_export(directory, progress=False, **kwargs)


def snapshot() -> dict[str, list[str]]:
    """Every item of every table, as canonical JSON of the raw attribute values."""
    from chalicelib import schema
    from chalicelib.storage import db

    out: dict[str, list[str]] = {}
    for table in schema.TABLES:
        kwargs: dict[str, Any] = {"TableName": db.name(table.name), "ConsistentRead": True}
        items: list[str] = []
        while True:
            page = db.call(db.client().scan, **kwargs)
            items += [json.dumps(item, sort_keys=True) for item in page.get("Items", [])]
            if "LastEvaluatedKey" not in page:
                break
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        out[table.name] = sorted(items)
    return out


def stored(pk: str, sk: str = "profile") -> dict[str, Any] | None:
    """One item of the sis table as plain values."""
    from chalicelib.storage import tables

    return tables.get_item("sis", {"pk": pk, "sk": sk})


@pytest.fixture
def empty(dynamodb: str) -> Iterator[None]:
    """An empty sis table (cheaper than recreating every table)."""
    from chalicelib.storage import sis as store

    def keys() -> Iterator[dict[str, Any]]:
        for page in store.scan(2, projection=("pk", "sk")):
            for item in page:
                yield store.delete_request(*store.key_of(item))

    store.batch_write(list(keys()))
    yield


# --- a valid export -------------------------------------------------------------------------


def test_minimal_export_items(empty: None, tmp_path: Path) -> None:
    summary = run_import(write_export(tmp_path, minimal()))
    assert summary.rows["users.csv"] == 5 and summary.rows["results.csv"] == 3
    assert stored("student#0123456") == {
        "pk": "student#0123456", "sk": "profile", "gsi1pk": "sourced#stu1", "gsi1sk": "student",
        "gsi2pk": "school#sch1", "gsi2sk": "student#0123456", "student_id": "0123456",
        "sourced_id": "stu1", "given_name": "Zoë",
        "family_name": "O'Brien-Nguyễn", "middle_name": "", "school": "sch1",
        "school_name": "McGarrah Elementary", "school_email": "office@mcgarrah.example.org",
        "grade": "05", "years": [2026], "active": True,
        "first_seen_at": int(ENTERED.timestamp()), "language": "vi", "household": "h1",
    }  # fmt: skip
    marcia = stored("student#0234561")
    assert marcia is not None and marcia["middle_name"] == "A." and marcia["language"] == "en"
    assert stored("guardian#gua2") == {
        "pk": "guardian#gua2", "sk": "profile", "sourced_id": "gua2", "given_name": "José Luis",
        "family_name": "de la Cruz", "role": "guardian", "email": "", "language": "en",
        "active": True,
    }  # fmt: skip
    assert stored("guardian#par1", "link#0123456") == {
        "pk": "guardian#par1", "sk": "link#0123456", "gsi1pk": "student#0123456",
        "gsi1sk": "link#par1", "gsi2pk": "school#sch1", "gsi2sk": "guardian#par1#0123456",
        "guardian_id": "par1", "student_id": "0123456", "portal_access": True,
    }  # fmt: skip
    assert stored("guardian#gua2", "link#0234561")["portal_access"] is False  # type: ignore[index]
    assert stored("student#0123456", "class#cls1") == {
        "pk": "student#0123456", "sk": "class#cls1", "gsi2pk": "class#cls1",
        "gsi2sk": "student#0123456", "class_id": "cls1", "title": "Math 5",
        "course_title": "Mathematics 5", "course_code": "MATH-05", "periods": ["2"],
        "room": "101", "teachers": ["Ann Lee"], "teacher_email": "ann.lee@example.org",
        "terms": ["t1", "t2"], "school": "sch1",
        "school_year": 2026,
    }  # fmt: skip
    assert stored("student#0123456", "att#2025-09-02#a1") == {
        "pk": "student#0123456", "sk": "att#2025-09-02#a1", "date": "2025-09-02",
        "status": "tardy", "class_id": "cls1", "class_title": "Math 5",
    }  # fmt: skip
    assert stored("household#h1")["members"] == ["par1", "stu1", "stu2"]  # type: ignore[index]
    assert stored("year#2026", "year")["title"] == "2025-2026"  # type: ignore[index]
    assert stored("year#2026", "term#t1")["end"] == "2025-12-31"  # type: ignore[index]
    assert stored("org#sch1")["name"] == "McGarrah Elementary"  # type: ignore[index]
    assert stored("org#d1")["email"] == ""  # type: ignore[index]
    assert stored("student#0123456", "class#cls2")["teacher_email"] == ""  # type: ignore[index]


def test_contact_addresses_and_unknown_metadata_columns(empty: None, tmp_path: Path) -> None:
    """An unusable address is left out, the next teacher's is taken, metadata.* never refuses."""
    data = minimal()
    data["orgs.csv"][1]["metadata.email"] = "front office"
    data["users.csv"][0]["email"] = ""  # the primary teacher has no address in the SIS
    data["users.csv"].append(
        {"sourcedId": "tch2", "enabledUser": "true", "orgSourcedIds": "sch1", "role": "teacher",
         "givenName": "Bảo", "familyName": "Ngô", "identifier": "104212",
         "email": "bao.ngo@example.org", "metadata.district.code": "X-1"}
    )  # fmt: skip
    data["enrollments.csv"].append(
        {"sourcedId": "e5", "classSourcedId": "cls1", "schoolSourcedId": "sch1",
         "userSourcedId": "tch2", "role": "teacher", "primary": "false"}
    )  # fmt: skip
    headers = {n: [*HEADERS[n], "metadata.district.code"] for n in ("orgs.csv", "users.csv")}
    run_import(write_export(tmp_path, data, headers))
    assert stored("student#0123456")["school_email"] == ""  # type: ignore[index]
    klass = stored("student#0123456", "class#cls1")
    assert klass is not None and klass["teachers"] == ["Ann Lee", "Bảo Ngô"]
    assert klass["teacher_email"] == "bao.ngo@example.org"


def test_gradebook_lines_and_statuses(empty: None, tmp_path: Path) -> None:
    from chalicelib import sis

    run_import(write_export(tmp_path, minimal()))
    lines = {g["line_item_id"]: g for g in sis.grades("0123456")}
    assert {k: g["status"] for k, g in lines.items()} == {
        "li1": "late", "li2": "scored", "li3": "pending", "li4": "missing",
    }  # fmt: skip
    assert lines["li1"] == {
        "class_id": "cls1", "class_title": "Math 5", "line_item_id": "li1", "title": "Quiz 1",
        "category": "Tests", "category_weight": 40, "assign_date": "2025-09-01",
        "due_date": "2025-09-05", "max_score": 10, "score": 9.5, "score_date": "2025-09-06",
        "comment": "Turned in late.", "status": "late",
    }  # fmt: skip
    assert "category_weight" not in lines["li2"] and "score" not in lines["li3"]
    assert stored("student#0234561", "grade#cls1#li1")["score"] == 7  # type: ignore[index]


def test_reimport_changes_nothing(empty: None, tmp_path: Path) -> None:
    directory = write_export(tmp_path, minimal())
    run_import(directory)
    before = snapshot()
    summary = run_import(directory, entered_at=datetime(2027, 1, 1, tzinfo=UTC))
    assert summary.changed == 0 and sum(summary.unchanged.values()) > 20
    assert snapshot() == before


def test_pending_becomes_missing_on_a_later_day(empty: None, tmp_path: Path) -> None:
    directory = write_export(tmp_path, minimal())
    run_import(directory)
    summary = run_import(directory, as_of=date(2026, 5, 2))
    assert stored("student#0123456", "grade#cls1#li3")["status"] == "missing"  # type: ignore[index]
    assert summary.written["grades"] == 2 and summary.changed == 2  # li3 of both students


def without_student(data: Data, sid: str) -> Data:
    """The export minus one student and every row that names them."""
    data["users.csv"] = [u for u in data["users.csv"] if u["sourcedId"] != sid]
    for user in data["users.csv"]:
        agents = [a for a in user.get("agentSourcedIds", "").split(",") if a and a != sid]
        user["agentSourcedIds"] = ",".join(agents)
    naming = {"enrollments.csv": "userSourcedId", "demographics.csv": "sourcedId",
              "results.csv": "studentSourcedId", "attendance.csv": "studentSourcedId",
              "relationships.csv": "studentSourcedId"}  # fmt: skip
    for name, column in naming.items():
        data[name] = [row for row in data[name] if row[column] != sid]
    for home in data["households.csv"]:
        home["memberSourcedIds"] = ",".join(
            m for m in home["memberSourcedIds"].split(",") if m != sid
        )
    return data


def test_dropped_student_becomes_inactive_and_returns(empty: None, tmp_path: Path) -> None:
    from chalicelib import sis

    run_import(write_export(tmp_path / "a", minimal()))
    first_seen = sis.get_student("0234561").first_seen_at  # type: ignore[union-attr]
    later = datetime(2026, 2, 1, tzinfo=UTC)
    summary = run_import(write_export(tmp_path / "b", without_student(minimal(), "stu2")),
                         entered_at=later)  # fmt: skip
    gone = sis.get_student("0234561")
    assert gone is not None and not gone.active and gone.first_seen_at == first_seen
    assert summary.deactivated["students"] == 1 and summary.deleted["links"] == 2
    assert sis.guardians_of_student("0234561") == []
    assert [s.student_id for s, _ in sis.students_of_guardian("par1")] == ["0123456"]
    assert sis.schedule("0234561") == [] and sis.grades("0234561") == []
    again = run_import(write_export(tmp_path / "b", without_student(minimal(), "stu2")))
    assert again.changed == 0  # an inactive profile stays as it is
    run_import(write_export(tmp_path / "c", minimal()), entered_at=later)
    back = sis.get_student("0234561")
    assert back is not None and back.active and back.first_seen_at == first_seen


def test_dropped_link_is_deleted(empty: None, tmp_path: Path) -> None:
    from chalicelib import sis

    run_import(write_export(tmp_path / "a", minimal()))
    data = minimal()
    data["users.csv"][1]["agentSourcedIds"] = ""  # stu1 no longer names par1 ...
    data["users.csv"][3]["agentSourcedIds"] = "stu2"  # ... nor par1 stu1
    summary = run_import(write_export(tmp_path / "b", data))
    assert stored("guardian#par1", "link#0123456") is None
    assert [s.student_id for s, _ in sis.students_of_guardian("par1")] == ["0234561"]
    assert summary.deleted["links"] == 1 and summary.changed == 1


def test_dropped_class_of_a_present_student_is_deleted(empty: None, tmp_path: Path) -> None:
    run_import(write_export(tmp_path / "a", minimal()))
    data = minimal()
    data["enrollments.csv"] = [e for e in data["enrollments.csv"] if e["sourcedId"] != "e3"]
    data["attendance.csv"].append({"sourcedId": "a2", "studentSourcedId": "stu1",
                                   "classSourcedId": "cls1", "date": "2025-09-03",
                                   "status": "excused"})  # fmt: skip
    summary = run_import(write_export(tmp_path / "b", data))
    assert stored("student#0123456", "class#cls2") is None
    assert stored("student#0123456", "grade#cls2#li4") is None
    assert summary.deleted["classes"] == 1 and summary.deleted["grades"] == 1
    # Items new to this import survive the clean-up that follows the writes.
    assert stored("student#0123456", "att#2025-09-03#a2")["status"] == "excused"  # type: ignore[index]
    assert summary.written["attendance"] == 1 and summary.changed == 3


@pytest.mark.parametrize(("change", "value"), [("status", "tobedeleted"), ("enabledUser", "false")])
def test_tobedeleted_or_disabled_user_is_inactive(
    empty: None, tmp_path: Path, change: str, value: str
) -> None:
    data = minimal()
    data["users.csv"][1][change] = value
    data["users.csv"][3][change] = value
    run_import(write_export(tmp_path, data))
    assert stored("student#0123456")["active"] is False  # type: ignore[index]
    assert stored("guardian#par1")["active"] is False  # type: ignore[index]


def test_entered_at_applies_to_new_students_only(empty: None, tmp_path: Path) -> None:
    from chalicelib import clock

    run_import(write_export(tmp_path / "a", without_student(minimal(), "stu2")), entered_at=None)
    assert abs(stored("student#0123456")["first_seen_at"] - clock.now()) < 60  # type: ignore[index]
    later = datetime(2026, 8, 1, 9, 30)  # naive: read in DISTRICT_TZ (America/New_York)
    run_import(write_export(tmp_path / "b", minimal()), entered_at=later)
    assert stored("student#0234561")["first_seen_at"] == int(  # type: ignore[index]
        datetime(2026, 8, 1, 13, 30, tzinfo=UTC).timestamp()
    )
    assert abs(stored("student#0123456")["first_seen_at"] - clock.now()) < 60  # type: ignore[index]


def test_plain_export_without_extensions(empty: None, tmp_path: Path) -> None:
    from chalicelib import sis

    data = minimal()
    for name in ("relationships.csv", "households.csv", "attendance.csv"):
        del data[name]
    headers = {n: [c for c in HEADERS[n] if not c.startswith("metadata.")]
               for n in ("orgs.csv", "users.csv", "categories.csv")}  # fmt: skip
    run_import(write_export(tmp_path, data, headers))
    student = sis.get_student("0123456")
    assert student is not None and student.language == "en" and student.household is None
    assert student.school_email == "" and student.school_name == "McGarrah Elementary"
    assert [(g.guardian_id, a) for g, a in sis.guardians_of_student("0234561")] == [
        ("gua2", True),
        ("par1", True),
    ]
    assert sis.attendance("0123456") == []


def test_bom_and_crlf_are_accepted(empty: None, tmp_path: Path) -> None:
    from chalicelib import sis

    directory = write_export(tmp_path, minimal())
    users = directory / "users.csv"
    users.write_bytes(b"\xef\xbb\xbf" + users.read_bytes().replace(b"\n", b"\r\n"))
    run_import(directory)
    student = sis.get_student("0123456")
    assert student is not None and student.family_name == "O'Brien-Nguyễn"


def test_every_value_quoted_with_crlf_imports_the_same(empty: None, tmp_path: Path) -> None:
    """An export written as public sample-data generators write it: every value quoted
    (the header too, empty values as ""), CRLF line ends; it gives the very same items."""
    quoted = write_export(tmp_path / "quoted", minimal(), quoting=csv.QUOTE_ALL, line_end="\r\n")
    users = (quoted / "users.csv").read_bytes()
    assert users.startswith(b'"sourcedId","status",') and b'"",""' in users
    assert users.count(b"\r\n") == len(MINIMAL["users.csv"]) + 1
    summary = run_import(quoted)
    assert summary.warnings == [] and summary.rows["users.csv"] == 5
    assert stored("student#0123456")["family_name"] == "O'Brien-Nguyễn"  # type: ignore[index]
    assert stored("student#0234561", "class#cls1")["terms"] == ["t1", "t2"]  # type: ignore[index]
    assert run_import(write_export(tmp_path / "plain", minimal())).changed == 0


def test_gradebook_declared_absent_imports_without_grades(empty: None, tmp_path: Path) -> None:
    """The manifest decides: an export without the gradebook and demographics imports, and the
    grades of the last import go (families see that there is nothing to show yet)."""
    from chalicelib import sis

    run_import(write_export(tmp_path / "full", minimal()))
    assert len(sis.grades("0123456")) == 4
    data = minimal()
    for name in ("categories.csv", "lineItems.csv", "results.csv", "demographics.csv"):
        del data[name]
    directory = write_export(tmp_path / "absent", data)
    declare(directory, categories="absent", lineItems="absent", results="absent",
            demographics="absent")  # fmt: skip
    summary = run_import(directory)
    assert summary.warnings == [] and "results.csv" not in summary.rows
    assert sis.grades("0123456") == [] and sis.grades("0234561") == []
    assert summary.deleted["grades"] == 7 and summary.changed == 7
    assert {c["class_id"] for c in sis.schedule("0123456")} == {"cls1", "cls2"}
    assert sis.attendance("0123456")[0]["status"] == "tardy"


def import_cli(directory: Path) -> Any:
    """`portal sis import DIR` in this process, against the session's DynamoDB Local."""
    from typer.testing import CliRunner

    from portal.cli import app

    return CliRunner().invoke(app, ["sis", "import", str(directory), "--entered-at",
                                    ENTERED.isoformat()])  # fmt: skip


def test_import_prints_warnings_and_imports(empty: None, tmp_path: Path) -> None:
    data = minimal()
    data["demographics.csv"][1]["birthDate"] = "30/11/2017"
    result = import_cli(write_export(tmp_path, data))
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    lines = result.stdout.splitlines()
    heading = lines.index("1 warning(s); they refuse nothing:")
    assert lines[heading + 1] == (
        "demographics.csv:3: birthDate: bad date '30/11/2017' (expected YYYY-MM-DD)"
    )
    assert "Rows read" in lines[heading + 2]
    assert stored("student#0234561")["given_name"] == "Marcia"  # type: ignore[index]


def test_import_refused_lists_errors_and_warnings_apart(empty: None, tmp_path: Path) -> None:
    data = minimal()
    data["demographics.csv"][1]["birthDate"] = "30/11/2017"
    data["enrollments.csv"][1]["classSourcedId"] = "cls9"
    before = snapshot()
    result = import_cli(write_export(tmp_path, data))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "enrollments.csv:3: classSourcedId: unknown class 'cls9'",
        "1 problem(s) found; nothing was imported.",
    ]
    assert result.stdout.splitlines()[-2:] == [
        "1 warning(s); they refuse nothing:",
        "demographics.csv:3: birthDate: bad date '30/11/2017' (expected YYYY-MM-DD)",
    ]
    assert snapshot() == before


def test_generated_district_names_exact(empty: None, tmp_path: Path) -> None:
    from chalicelib import sis
    from portal.synthetic.generate import generate_district

    generate_district(200, 11, tmp_path, school_year=2026)
    summary = run_import(tmp_path)
    assert summary.written["students"] == 200
    with (tmp_path / "users.csv").open(encoding="utf-8", newline="") as handle:
        students = [u for u in csv.DictReader(handle) if u["role"] == "student"]
    # Prefer a name that a careless import would damage (accent, apostrophe, hyphen, space).
    pick = max(students, key=lambda u: sum(not c.isascii() or c in "'- " for c in
                                           u["givenName"] + u["familyName"]))  # fmt: skip
    student = sis.get_student(pick["identifier"])
    assert student is not None and student.active
    assert (student.given_name, student.family_name, student.middle_name) == (
        pick["givenName"],
        pick["familyName"],
        pick["middleName"],
    )
    assert run_import(tmp_path).changed == 0


def test_demo_export_imports_cleanly(empty: None) -> None:
    from chalicelib import sis

    summary = run_import(ROOT / "portal" / "demo" / "sis")
    assert summary.written["students"] >= 3
    daffy = sis.get_student("0393354")
    assert daffy is not None and (daffy.given_name, daffy.family_name) == ("Daffy", "Clayton")
    marcia = sis.get_student("0234561")
    assert marcia is not None and (marcia.given_name, marcia.middle_name) == ("Marcia", "A.")


# --- invalid exports: one test per kind of error, nothing written --------------------------

Change = Callable[[Data, Path], None]


def _set(name: str, index: int, column: str, value: str) -> Change:
    def change(data: Data, directory: Path) -> None:
        data[name][index][column] = value

    return change


def _append(name: str, row: dict[str, str]) -> Change:
    def change(data: Data, directory: Path) -> None:
        data[name].append(row)

    return change


def _duplicate(name: str, index: int) -> Change:
    def change(data: Data, directory: Path) -> None:
        data[name].append(dict(data[name][index]))

    return change


INVALID: list[tuple[str, Change, list[str]]] = [
    ("missing file", lambda d, p: d.pop("orgs.csv"), ["orgs.csv:—: —: missing file"]),
    ("missing column", lambda d, p: None,
     ["users.csv:1: identifier: missing column (no column like it in this file)"]),
    ("not UTF-8", lambda d, p: None, ["users.csv:4: —: not UTF-8"]),
    ("duplicate sourcedId", _duplicate("classes.csv", 0),
     ["classes.csv:4: sourcedId: duplicate sourcedId 'cls1' (first on line 2)"]),
    ("duplicate sourcedId, large file", _duplicate("enrollments.csv", 1),
     ["enrollments.csv:6: sourcedId: duplicate sourcedId 'e2' (first on line 3)"]),
    ("duplicate result", _append("results.csv", {**MINIMAL["results.csv"][0], "sourcedId": "r9"}),
     ["results.csv:5: studentSourcedId: second result for this student and line item "
      "(first on line 2)"]),
    ("unknown class", _set("enrollments.csv", 1, "classSourcedId", "cls9"),
     ["enrollments.csv:3: classSourcedId: unknown class 'cls9'"]),
    ("unknown agent", _set("users.csv", 1, "agentSourcedIds", "par1,ghost"),
     ["users.csv:3: agentSourcedIds: unknown user 'ghost'"]),
    ("unknown org", _set("users.csv", 0, "orgSourcedIds", "sch9"),
     ["users.csv:2: orgSourcedIds: unknown org 'sch9'"]),
    ("unknown term", _set("classes.csv", 1, "termSourcedIds", "t1,t9"),
     ["classes.csv:3: termSourcedIds: unknown academic session 't9'"]),
    ("unknown line item", _set("results.csv", 2, "lineItemSourcedId", "li9"),
     ["results.csv:4: lineItemSourcedId: unknown line item 'li9'"]),
    ("unknown category", _set("lineItems.csv", 0, "categorySourcedId", "cat9"),
     ["lineItems.csv:2: categorySourcedId: unknown category 'cat9'"]),
    ("unknown household member", _set("households.csv", 0, "memberSourcedIds", "par1,kid9"),
     ["households.csv:2: memberSourcedIds: unknown user 'kid9'"]),
    ("wrong kind of user", _set("results.csv", 0, "studentSourcedId", "tch1"),
     ["results.csv:2: studentSourcedId: user 'tch1' has role 'teacher', expected student"]),
    ("identifier not 7 digits", _set("users.csv", 1, "identifier", "S0123456"),
     ["users.csv:3: identifier: student identifier 'S0123456' is not 7 digits"]),
    ("identifier of non-ASCII digits", _set("users.csv", 1, "identifier", "０１２３４５６"),
     ["users.csv:3: identifier: student identifier '０１２３４５６' is not 7 digits"]),
    ("duplicate identifier", _set("users.csv", 2, "identifier", "0123456"),
     ["users.csv:4: identifier: duplicate student identifier '0123456' (first on line 3)"]),
    ("unknown role", _set("users.csv", 4, "role", "grandparent"),
     ["users.csv:6: role: unknown role 'grandparent'"]),
    ("bad date", _set("academicSessions.csv", 1, "startDate", "09/01/2025"),
     ["academicSessions.csv:3: startDate: bad date '09/01/2025' (expected YYYY-MM-DD)"]),
    ("impossible date", _set("attendance.csv", 0, "date", "2026-02-30"),
     ["attendance.csv:2: date: bad date '2026-02-30' (expected YYYY-MM-DD)"]),
    ("bad date-time", _set("lineItems.csv", 1, "dueDate", "2025-10-01 noon"),
     ["lineItems.csv:3: dueDate: bad date '2025-10-01 noon' "
      "(expected YYYY-MM-DD or ISO 8601 date-time)"]),
    ("bad attendance status", _set("attendance.csv", 0, "status", "late"),
     ["attendance.csv:2: status: bad value 'late' (expected one of: present, excused, "
      "unexcused, tardy, exempt, unknown)"]),
    ("bad portalAccess", _set("relationships.csv", 0, "portalAccess", "yes"),
     ["relationships.csv:2: portalAccess: bad value 'yes' (expected true or false)"]),
    ("bad enabledUser", _set("users.csv", 3, "enabledUser", "no"),
     ["users.csv:5: enabledUser: bad value 'no' (expected true or false)"]),
    ("bad status", _set("classes.csv", 0, "status", "deleted"),
     ["classes.csv:2: status: bad value 'deleted' (expected one of: \"\", active, "
      "tobedeleted)"]),
    ("not a number", _set("results.csv", 1, "score", "A+"),
     ["results.csv:3: score: not a number: 'A+'"]),
    ("required value", _set("users.csv", 2, "familyName", ""),
     ["users.csv:4: familyName: required value missing"]),
    ("delta manifest", lambda d, p: None,
     ["manifest.csv:11: value: file.enrollments is a delta file: only full snapshots are "
      "accepted"]),
]  # fmt: skip


def _special(case: str, directory: Path) -> None:
    """File-level damage that the row data cannot express."""
    users = directory / "users.csv"
    if case == "missing column":
        text = users.read_text(encoding="utf-8").split("\n")
        header = text[0].split(",")
        index = header.index("identifier")
        rows = list(csv.reader(text))
        with users.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows(
                [r[:index] + r[index + 1 :] for r in rows if r]
            )
    elif case == "not UTF-8":
        lines = users.read_bytes().split(b"\n")
        lines[3] = lines[3].replace(b"Marcia", "M\xe1rcia".encode("latin-1"))
        users.write_bytes(b"\n".join(lines))
    elif case == "delta manifest":
        manifest = directory / "manifest.csv"
        text = manifest.read_text(encoding="utf-8").replace("file.enrollments,bulk",
                                                            "file.enrollments,delta")  # fmt: skip
        manifest.write_text(text, encoding="utf-8")


@pytest.mark.parametrize(("case", "change", "expected"), INVALID, ids=[c[0] for c in INVALID])
def test_invalid_export_writes_nothing(
    dynamodb: str, tmp_path: Path, case: str, change: Change, expected: list[str]
) -> None:
    from portal.sis.importer import ExportInvalid

    data = minimal()
    change(data, tmp_path)
    directory = write_export(tmp_path, data)
    _special(case, directory)
    before = snapshot()
    with pytest.raises(ExportInvalid) as raised:
        run_import(directory)
    assert raised.value.errors == expected
    assert snapshot() == before


def test_every_problem_is_listed_in_file_order(dynamodb: str, tmp_path: Path) -> None:
    from portal.sis.importer import ExportInvalid

    data = minimal()
    data["attendance.csv"][0]["status"] = "late"
    data["users.csv"][1]["identifier"] = "123"
    data["users.csv"][4]["agentSourcedIds"] = "nobody"
    data["users.csv"][2]["role"] = "pupil"
    with pytest.raises(ExportInvalid) as raised:
        run_import(write_export(tmp_path, data))
    assert [e.split(": ")[0] for e in raised.value.errors] == [
        "users.csv:3",
        "users.csv:4",
        "users.csv:6",
        "attendance.csv:2",
    ]
