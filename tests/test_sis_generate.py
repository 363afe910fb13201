"""Tests for the synthetic OneRoster district generator and the hand-written demo export."""

from __future__ import annotations

import csv
import unicodedata
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pytest

from chalicelib import school_year
from chalicelib.languages import LANGUAGES
from portal.addresses import normal_address
from portal.sis import oneroster
from portal.sis.oneroster import HEADERS, split_ids
from portal.synthetic.families import LANGUAGE_WEIGHTS
from portal.synthetic.generate import DEMO_IDENTIFIERS, generate_district

pytestmark = pytest.mark.unit

DEMO_DIR = Path(__file__).resolve().parents[1] / "portal" / "demo" / "sis"
YEAR = 2027
GUARDIAN_ROLES = set(oneroster.GUARDIAN_ROLES)


def read(directory: Path, name: str) -> list[dict[str, str]]:
    """Rows of one file, failing on any row whose width differs from the header's."""
    with (directory / name).open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == HEADERS[name], name
        rows = list(reader)
    for row in rows:
        assert None not in row and None not in row.values(), (name, row)
    return rows


def load(directory: Path) -> dict[str, list[dict[str, str]]]:
    """Every file of an export, keyed by file name."""
    return {name: read(directory, name) for name in HEADERS}


def reference_problems(data: dict[str, list[dict[str, str]]]) -> list[str]:
    """Every id that does not resolve, every duplicate id, every one-sided inconsistency."""
    problems: list[str] = []

    def ids(name: str) -> set[str]:
        values = [row["sourcedId"] for row in data[name]]
        dupes = [v for v, n in Counter(values).items() if n > 1]
        problems.extend(f"{name}: duplicate sourcedId {v}" for v in dupes)
        return set(values)

    def check(name: str, column: str, targets: set[str], multi: bool = False) -> None:
        for line, row in enumerate(data[name], start=2):
            values = split_ids(row[column]) if multi else [row[column]]
            problems.extend(f"{name}:{line}: {column}: unknown {v}" for v in values
                            if v not in targets)  # fmt: skip

    orgs, sessions, courses = ids("orgs.csv"), ids("academicSessions.csv"), ids("courses.csv")
    classes, categories, items = ids("classes.csv"), ids("categories.csv"), ids("lineItems.csv")
    users = {row["sourcedId"]: row for row in data["users.csv"]}
    ids("users.csv")
    ids("enrollments.csv")
    ids("results.csv")
    ids("attendance.csv")
    ids("households.csv")
    students = {sid for sid, row in users.items() if row["role"] == "student"}
    guardians = {sid for sid, row in users.items() if row["role"] in GUARDIAN_ROLES}
    check("orgs.csv", "parentSourcedId", orgs | {""})
    check("academicSessions.csv", "parentSourcedId", sessions | {""})
    check("users.csv", "orgSourcedIds", orgs, multi=True)
    check("users.csv", "agentSourcedIds", set(users), multi=True)
    check("courses.csv", "schoolYearSourcedId", sessions)
    check("courses.csv", "orgSourcedId", orgs)
    check("classes.csv", "courseSourcedId", courses)
    check("classes.csv", "schoolSourcedId", orgs)
    check("classes.csv", "termSourcedIds", sessions, multi=True)
    check("enrollments.csv", "classSourcedId", classes)
    check("enrollments.csv", "schoolSourcedId", orgs)
    check("enrollments.csv", "userSourcedId", set(users))
    check("demographics.csv", "sourcedId", students)
    check("lineItems.csv", "classSourcedId", classes)
    check("lineItems.csv", "categorySourcedId", categories)
    check("lineItems.csv", "gradingPeriodSourcedId", sessions)
    check("results.csv", "lineItemSourcedId", items)
    check("results.csv", "studentSourcedId", students)
    check("relationships.csv", "guardianSourcedId", guardians)
    check("relationships.csv", "studentSourcedId", students)
    check("households.csv", "memberSourcedIds", set(users), multi=True)
    check("attendance.csv", "studentSourcedId", students)
    check("attendance.csv", "classSourcedId", classes)
    # Agents link students to guardians only; relationships name links that exist.
    links = set()
    for sid, row in users.items():
        for agent in split_ids(row["agentSourcedIds"]):
            if sid in students and agent in guardians:
                links.add((agent, sid))
            elif sid in guardians and agent in students:
                links.add((sid, agent))
            else:
                problems.append(f"users.csv: {sid} ({row['role']}) has agent {agent}")
    problems.extend(f"relationships.csv: no agent link {r['guardianSourcedId']} → "
                    f"{r['studentSourcedId']}" for r in data["relationships.csv"]
                    if (r["guardianSourcedId"], r["studentSourcedId"]) not in links)  # fmt: skip
    # Grades and attendance only for classes the student is enrolled in.
    enrolled = {(e["userSourcedId"], e["classSourcedId"]) for e in data["enrollments.csv"]}
    class_of = {row["sourcedId"]: row["classSourcedId"] for row in data["lineItems.csv"]}
    for r in data["results.csv"]:
        if (r["studentSourcedId"], class_of.get(r["lineItemSourcedId"])) not in enrolled:
            problems.append(f"results.csv: {r['sourcedId']} for a class not taken")
    for a in data["attendance.csv"]:
        if (a["studentSourcedId"], a["classSourcedId"]) not in enrolled:
            problems.append(f"attendance.csv: {a['sourcedId']} for a class not taken")
    return problems


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    """A 2,000-student district, generated once for the module."""
    out = tmp_path_factory.mktemp("district")
    return out, generate_district(2000, seed=11, out_dir=out, school_year=YEAR)


@pytest.fixture(scope="module")
def data(district: tuple[Path, dict[str, int]]) -> dict[str, list[dict[str, str]]]:
    """The generated district read back."""
    return load(district[0])


def files_of(directory: Path) -> dict[str, bytes]:
    """Every file's bytes."""
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def test_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    first = generate_district(300, seed=5, out_dir=tmp_path / "a", school_year=YEAR)
    second = generate_district(300, seed=5, out_dir=tmp_path / "b", school_year=YEAR)
    assert first == second
    assert files_of(tmp_path / "a") == files_of(tmp_path / "b")
    assert sorted(files_of(tmp_path / "a")) == sorted(HEADERS)


def test_different_seed_gives_different_files(tmp_path: Path) -> None:
    generate_district(300, seed=5, out_dir=tmp_path / "a", school_year=YEAR)
    generate_district(300, seed=6, out_dir=tmp_path / "b", school_year=YEAR)
    a, b = files_of(tmp_path / "a"), files_of(tmp_path / "b")
    assert a["users.csv"] != b["users.csv"]
    assert a["results.csv"] != b["results.csv"]


def test_counts_match_rows_and_files_read_back(
    district: tuple[Path, dict[str, int]], data: dict[str, list[dict[str, str]]]
) -> None:
    directory, counts = district
    assert counts == {name: len(rows) for name, rows in data.items()}
    raw = (directory / "users.csv").read_bytes()
    assert b"\r" not in raw and not raw.startswith(b"\xef\xbb\xbf")


def test_bulk_rows_leave_status_and_date_empty(data: dict[str, list[dict[str, str]]]) -> None:
    for name, rows in data.items():
        if "dateLastModified" in HEADERS[name]:  # attendance's own "status" is not this one
            assert all(r["status"] == "" and r["dateLastModified"] == "" for r in rows), name


def test_manifest_names_bulk_core_files(data: dict[str, list[dict[str, str]]]) -> None:
    manifest = {r["propertyName"]: r["value"] for r in data["manifest.csv"]}
    assert manifest["manifest.version"] == "1.0" and manifest["oneroster.version"] == "1.1"
    assert manifest["file.users"] == "bulk" and manifest["file.results"] == "bulk"
    assert manifest["file.resources"] == manifest["file.classResources"] == "absent"
    assert manifest["source.systemName"] == "Infinite Campus"
    assert manifest["source.systemCode"] == "CCPS"
    assert not any(k.startswith("file.") and v == "delta" for k, v in manifest.items())


def test_every_reference_resolves(data: dict[str, list[dict[str, str]]]) -> None:
    assert reference_problems(data) == []


def test_student_identifiers(data: dict[str, list[dict[str, str]]]) -> None:
    students = [u for u in data["users.csv"] if u["role"] == "student"]
    ids = [u["identifier"] for u in students]
    assert len(students) == 2000 and len(set(ids)) == 2000
    assert all(len(i) == 7 and i.isascii() and i.isdigit() for i in ids)
    assert not DEMO_IDENTIFIERS & set(ids)
    assert any(i.startswith("0") for i in ids)
    assert all(u["sourcedId"] != u["identifier"] and u["identifier"] not in u["sourcedId"]
               for u in students)  # fmt: skip


def test_schools_year_and_terms(data: dict[str, list[dict[str, str]]]) -> None:
    orgs = data["orgs.csv"]
    district = [o for o in orgs if o["type"] == "district"]
    schools = [o for o in orgs if o["type"] == "school"]
    assert len(district) == 1 and len(schools) >= 3
    assert {o["parentSourcedId"] for o in schools} == {district[0]["sourcedId"]}
    kinds = {o["name"].rsplit(" ", 2)[-2] for o in schools}
    assert kinds == {"Elementary", "Middle", "High"}
    sessions = data["academicSessions.csv"]
    (year,) = [s for s in sessions if s["type"] == "schoolYear"]
    terms = sorted((s for s in sessions if s["type"] == "term"), key=lambda s: s["startDate"])
    assert (year["startDate"], year["endDate"], year["schoolYear"]) == (
        "2026-07-01", "2027-06-30", "2027")  # fmt: skip
    assert len(terms) == 4 and all(t["parentSourcedId"] == year["sourcedId"] for t in terms)
    assert terms[0]["startDate"] == "2026-07-01" and terms[-1]["endDate"] == "2027-06-30"
    for before, after in zip(terms, terms[1:], strict=False):
        gap = date.fromisoformat(after["startDate"]) - date.fromisoformat(before["endDate"])
        assert gap.days == 1


def test_language_shares(data: dict[str, list[dict[str, str]]]) -> None:
    expected = {"en": 0.60, "es": 0.25, "vi": 0.10, "fr": 0.05}
    for roles in (GUARDIAN_ROLES, {"student"}):
        people = [u for u in data["users.csv"] if u["role"] in roles]
        shares = Counter(u["metadata.language"] for u in people)
        assert set(shares) == set(expected)
        for lang, share in expected.items():
            assert abs(shares[lang] / len(people) - share) < 0.04, (roles, lang, shares)


def test_names_keep_every_kind_of_character(data: dict[str, list[dict[str, str]]]) -> None:
    people = [u for u in data["users.csv"] if u["role"] != "teacher"]
    names = [(u["givenName"], u["middleName"], u["familyName"]) for u in people]
    full = [" ".join(n) for n in names]
    assert sum(not n.isascii() for n in full) > len(full) * 0.2
    assert any("'" in n for n in full) and any("-" in n for n in full)
    assert any(" " in family for _, _, family in names)  # García López, de la Cruz
    assert any(ch in n for n in full for ch in "ễầ")  # Vietnamese
    assert all(unicodedata.is_normalized("NFC", part) for n in names for part in n)
    assert all(given.strip() == given and family.strip() == family and given and family
               for given, _, family in names)  # fmt: skip
    students = [u for u in people if u["role"] == "student"]
    assert 0.2 < sum(bool(u["middleName"]) for u in students) / len(students) < 0.5


def test_households_guardians_and_split_access(data: dict[str, list[dict[str, str]]]) -> None:
    users = data["users.csv"]
    guardians = [u for u in users if u["role"] in GUARDIAN_ROLES]
    assert {u["role"] for u in guardians} == GUARDIAN_ROLES
    students = [u for u in users if u["role"] == "student"]
    per_student = Counter(len(split_ids(u["agentSourcedIds"])) for u in students)
    assert set(per_student) <= {1, 2}
    siblings = Counter(u["agentSourcedIds"] for u in students)
    assert max(siblings.values()) >= 3
    links = data["relationships.csv"]
    denied = [r for r in links if r["portalAccess"] == "false"]
    assert {r["portalAccess"] for r in links} == {"true", "false"}
    assert 0.015 < len(denied) / len(links) < 0.06
    emails = Counter(u["email"] for u in guardians)
    assert 0 < emails[""] < len(guardians) * 0.06
    shared = [e for e, n in emails.items() if e and n > 1]
    assert shared and max(emails[e] for e in shared) == 2
    assert all(e.rsplit("@", 1)[1].startswith("example.") for e in emails if e)
    homes = data["households.csv"]
    assert all(h["phone"] and h["primaryAddress"] for h in homes)
    member_of = Counter(m for h in homes for m in split_ids(h["memberSourcedIds"]))
    assert all(member_of[u["sourcedId"]] >= 1 for u in students + guardians)


def test_schedules(data: dict[str, list[dict[str, str]]]) -> None:
    classes = {c["sourcedId"]: c for c in data["classes.csv"]}
    enrollments = data["enrollments.csv"]
    per_student = Counter(e["userSourcedId"] for e in enrollments if e["role"] == "student")
    assert len(per_student) == 2000 and set(per_student.values()) <= {6, 7}
    taught = Counter(e["classSourcedId"] for e in enrollments if e["role"] == "teacher")
    assert set(taught) == set(classes) and set(taught.values()) == {1}
    assert all(c["periods"] and c["location"] and c["termSourcedIds"] for c in classes.values())
    assert {c["classType"] for c in classes.values()} == {"homeroom", "scheduled"}
    assert {c["grades"] for c in classes.values()} == set(oneroster.GRADES)
    # No teacher is in two rooms at once.
    slots = Counter()
    for e in enrollments:
        if e["role"] == "teacher":
            c = classes[e["classSourcedId"]]
            for term in split_ids(c["termSourcedIds"]):
                slots[(e["userSourcedId"], c["periods"], term)] += 1
    assert max(slots.values()) == 1


def test_birth_dates_fit_grades(data: dict[str, list[dict[str, str]]]) -> None:
    grade = {u["sourcedId"]: oneroster.GRADES.index(u["grades"]) for u in data["users.csv"]
             if u["role"] == "student"}  # fmt: skip
    cutoff = date(YEAR - 1, 9, 1)
    for row in data["demographics.csv"]:
        born = date.fromisoformat(row["birthDate"])
        age = cutoff.year - born.year - ((cutoff.month, cutoff.day) < (born.month, born.day))
        assert age - 5 - grade[row["sourcedId"]] in (0, 1), row
        assert row["sex"] in ("male", "female")


def test_gradebook_dates_late_and_missing(data: dict[str, list[dict[str, str]]]) -> None:
    first, last = school_year.bounds(YEAR)
    weights = Counter(c["title"] + "=" + c["metadata.weight"] for c in data["categories.csv"])
    assert {"Homework=20", "Quizzes=30", "Tests=50"} <= set(weights)
    items = {li["sourcedId"]: li for li in data["lineItems.csv"]}
    for li in items.values():
        assign, due = date.fromisoformat(li["assignDate"]), date.fromisoformat(li["dueDate"])
        assert first <= assign <= due <= last
        assert float(li["resultValueMin"]) < float(li["resultValueMax"])
    results = data["results.csv"]
    late = [r for r in results if r["scoreDate"] > items[r["lineItemSourcedId"]]["dueDate"]]
    assert 0.03 < len(late) / len(results) < 0.15
    assert all(0 <= float(r["score"]) <= float(items[r["lineItemSourcedId"]]["resultValueMax"])
               for r in results)  # fmt: skip
    scored = {(r["studentSourcedId"], r["lineItemSourcedId"]) for r in results}
    by_class = defaultdict(list)
    for li in items.values():
        by_class[li["classSourcedId"]].append(li["sourcedId"])
    expected = {(e["userSourcedId"], li) for e in data["enrollments.csv"]
                if e["role"] == "student" for li in by_class[e["classSourcedId"]]}  # fmt: skip
    missing = expected - scored
    assert 0.02 < len(missing) / len(expected) < 0.1
    per_student = (len(results) + len(data["attendance.csv"])) / 2000
    assert 20 < per_student < 35  # keeps the ~40 items per student of the import benchmark


def test_attendance_mix(data: dict[str, list[dict[str, str]]]) -> None:
    rows = data["attendance.csv"]
    statuses = Counter(r["status"] for r in rows)
    assert set(statuses) <= set(oneroster.ATTENDANCE_STATUSES)
    assert {"excused", "unexcused", "tardy", "exempt", "unknown"} <= set(statuses)
    assert statuses["present"] < len(rows) * 0.03
    assert 2 < len(rows) / 2000 < 6
    first, last = school_year.bounds(YEAR)
    assert all(first <= date.fromisoformat(r["date"]) <= last for r in rows)
    assert len({(r["studentSourcedId"], r["date"]) for r in rows}) == len(rows)


def test_progress_and_default_school_year(tmp_path: Path) -> None:
    seen: list[int] = []
    counts = generate_district(2500, seed=1, out_dir=tmp_path, progress=seen.append)
    assert seen[-1] == 2500 and seen == sorted(seen) and len(seen) >= 3
    assert counts["demographics.csv"] == 2500
    years = {r["schoolYear"] for r in read(tmp_path, "academicSessions.csv")}
    assert years == {str(school_year.current())}


@pytest.mark.parametrize("students", [0, -1])
def test_rejects_empty_district(tmp_path: Path, students: int) -> None:
    with pytest.raises(ValueError, match="students"):
        generate_district(students, seed=1, out_dir=tmp_path)


def test_generator_draws_every_language_and_only_those() -> None:
    assert sorted(LANGUAGE_WEIGHTS) == sorted(LANGUAGES)
    assert all(weight > 0 for weight in LANGUAGE_WEIGHTS.values())


def test_school_year_helpers() -> None:
    assert school_year.of(date(2026, 11, 24)) == 2027
    assert school_year.of(date(2026, 7, 1)) == 2027
    assert school_year.of(date(2026, 6, 30)) == 2026
    assert school_year.bounds(2027) == (date(2026, 7, 1), date(2027, 6, 30))
    here = school_year.of(date.today())
    assert school_year.current("Pacific/Kiritimati") in {here, here + 1}


def test_demo_export_is_complete_and_consistent() -> None:
    assert sorted(p.name for p in DEMO_DIR.glob("*.csv")) == sorted(HEADERS)
    demo = load(DEMO_DIR)
    assert reference_problems(demo) == []
    emails = [u["email"] for u in demo["users.csv"] if u["email"]]
    assert emails and all(e.endswith("@example.org") for e in emails)
    years = {r["schoolYear"] for r in demo["academicSessions.csv"]}
    assert years == {"2027"}
    assert sum(r["type"] == "term" for r in demo["academicSessions.csv"]) == 4


def test_demo_people() -> None:
    demo = load(DEMO_DIR)
    orgs = {o["sourcedId"]: o["name"] for o in demo["orgs.csv"]}
    users = {u["sourcedId"]: u for u in demo["users.csv"]}
    students = {u["identifier"]: u for u in users.values() if u["role"] == "student"}
    seen = {i: (u["givenName"], u["middleName"], u["familyName"], u["grades"],
                orgs[u["orgSourcedIds"]]) for i, u in students.items()}  # fmt: skip
    assert seen == {
        "0393354": ("Daffy", "", "Clayton", "07", "Babb Middle School"),
        "0123456": ("Greg", "", "Student", "05", "McGarrah Elementary School"),
        "0234561": ("Marcia", "A.", "Student", "03", "McGarrah Elementary School"),
    }

    def guardians_of(identifier: str) -> dict[str, tuple[str, str, str]]:
        agents = split_ids(students[identifier]["agentSourcedIds"])
        return {f"{users[a]['givenName']} {users[a]['familyName']}":
                (users[a]["role"], users[a]["metadata.language"], users[a]["email"])
                for a in agents}  # fmt: skip

    minnie = ("parent", "en", "minnie.clayton@example.org")
    assert guardians_of("0123456")["Minnie Clayton"] == minnie
    assert guardians_of("0234561")["Minnie Clayton"] == minnie
    assert guardians_of("0393354")["Donald Clayton"] == (
        "parent", "fr", "donald.clayton@example.org")  # fmt: skip
    languages = {u["metadata.language"] for u in users.values() if u["role"] in GUARDIAN_ROLES}
    assert languages == {"en", "fr", "es", "vi"}


def test_demo_greg_has_one_late_and_one_missing_assignment() -> None:
    demo = load(DEMO_DIR)
    (greg,) = [u["sourcedId"] for u in demo["users.csv"] if u["identifier"] == "0123456"]
    classes = {e["classSourcedId"] for e in demo["enrollments.csv"] if e["userSourcedId"] == greg}
    items = {li["sourcedId"]: li for li in demo["lineItems.csv"]
             if li["classSourcedId"] in classes}  # fmt: skip
    results = {r["lineItemSourcedId"]: r for r in demo["results.csv"]
               if r["studentSourcedId"] == greg}  # fmt: skip
    today = "2026-11-24"
    late = [i for i, r in results.items() if r["scoreDate"] > items[i]["dueDate"]]
    missing = [i for i, li in items.items() if i not in results and li["dueDate"] < today]
    assert len(late) == 1 and len(missing) == 1


def weights_by_class(data: dict[str, list[dict[str, str]]]) -> dict[str, float]:
    """Each class's category weights added up, over the categories its assignments use."""
    weights = {c["sourcedId"]: float(c["metadata.weight"]) for c in data["categories.csv"]}
    used: dict[str, set[str]] = defaultdict(set)
    for item in data["lineItems.csv"]:
        used[item["classSourcedId"]].add(item["categorySourcedId"])
    # A category no assignment uses would be left out of the portal's grades, and of this sum.
    assert set(weights) == set().union(*used.values())
    return {klass: sum(weights[c] for c in categories) for klass, categories in used.items()}


@pytest.mark.parametrize("which", ["demo", "generated"])
def test_category_weights_add_up_to_100_in_each_class(
    which: str, data: dict[str, list[dict[str, str]]]
) -> None:
    export = load(DEMO_DIR) if which == "demo" else data
    totals = weights_by_class(export)
    assert totals and set(totals.values()) == {100}


@pytest.mark.parametrize("which", ["demo", "generated"])
def test_schools_and_teachers_have_contact_addresses(
    which: str, data: dict[str, list[dict[str, str]]]
) -> None:
    export = load(DEMO_DIR) if which == "demo" else data
    schools = [o for o in export["orgs.csv"] if o["type"] == "school"]
    teachers = [u for u in export["users.csv"] if u["role"] == "teacher"]
    addresses = [o["metadata.email"] for o in schools] + [t["email"] for t in teachers]
    assert schools and teachers
    assert all(normal_address(a) == a for a in addresses), addresses
    assert len({o["metadata.email"] for o in schools}) == len(schools)
