"""Parent portal: activation keys, parent accounts, lockout, and seeing only one's own children."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from chalicelib import activation, audit, clock, limits, noticeboard
from chalicelib.errors import InvalidRequest
from chalicelib.storage import activation_keys as stored_keys

from .support.api import Concurrently, body
from .support.demo import DEMO, PARENT_PASSWORD, drop_link, import_demo, parent
from .support.factories import PASSWORD, add_student, claim, get, login, post, staff_session
from .support.families import activate, add_guardian, new_school


@pytest.fixture(scope="module")
def demo(dynamodb: str) -> Iterator[None]:
    """The demo district imported through the real importer."""
    import_demo()
    yield


def test_key_format_and_check(api: Any, demo: None) -> None:
    key = activation.issue("gdn-rafael-pena", "test")
    assert len(key) == 38 and key[0] == "{" and key[-1] == "}"
    for typed in (key, key.lower(), key.strip("{}"), key.replace("-", " "), f"  {key}  "):
        response = post(api, "/activation/check", {"activation_key": typed})
        assert response.status_code == 200 and body(response) == {"valid": True}


def test_unknown_used_revoked_and_expired_keys_look_the_same(api: Any, demo: None) -> None:
    first = activation.issue("gdn-lan-tran", "test")
    second = activation.issue("gdn-lan-tran", "test")  # revokes the first
    answers = [
        post(api, "/activation/check", {"activation_key": k})
        for k in (first, "{00000000-0000-0000-0000-000000000000}", "not a key")
    ]
    created = post(
        api,
        "/activation/account",
        {
            "activation_key": second,
            "username": "LanTran",
            "password": PARENT_PASSWORD,
            "password_confirm": PARENT_PASSWORD,
        },
    )
    assert created.status_code == 201 and body(created) == {"username": "LanTran"}
    answers.append(post(api, "/activation/check", {"activation_key": second}))
    third = activation.issue("gdn-donald-clayton", "test")
    clock.advance(60 * 24 * 3600 + 1)
    answers.append(post(api, "/activation/check", {"activation_key": third}))
    assert {a.status_code for a in answers} == {404}
    assert len({a.body for a in answers}) == 1
    assert body(answers[0])["error"] == "activation_key_invalid"


@pytest.mark.parametrize(
    ("username", "code"),
    [
        ("12345678", "username_invalid"),
        ("S0123456", "username_invalid"),
        ("ab", "username_invalid"),
        ("a" * 31, "username_invalid"),
        ("Minnie.C", "username_invalid"),
        ("Zoë", "username_invalid"),
        ("lantran", "username_taken"),
    ],
)
def test_username_rules(api: Any, demo: None, username: str, code: str) -> None:
    parent(api, "gdn-lan-tran", "LanTran")
    key = activation.issue("gdn-rafael-pena", "test")
    response = post(
        api,
        "/activation/account",
        {
            "activation_key": key,
            "username": username,
            "password": PARENT_PASSWORD,
            "password_confirm": PARENT_PASSWORD,
        },
    )
    assert body(response)["error"] == code
    assert post(api, "/activation/check", {"activation_key": key}).status_code == 200  # not used


def test_fifty_concurrent_activations_of_one_key(
    api: Any, demo: None, concurrently: Concurrently
) -> None:
    """R1: one key, 50 parallel account creations with different usernames: exactly one."""
    key = activation.issue("gdn-rafael-pena", "test")

    def create(client: Any, i: int) -> int:
        return post(
            client,
            "/activation/account",
            {
                "activation_key": key,
                "username": f"Rafael{i:02d}",
                "password": PARENT_PASSWORD,
                "password_confirm": PARENT_PASSWORD,
            },
        ).status_code

    statuses = concurrently(create, range(50), workers=10)
    assert statuses.count(201) == 1
    assert statuses.count(404) == 49


def test_parent_lockout_and_reactivation(api: Any, demo: None) -> None:
    parent(api, "gdn-minnie-clayton", "MinnieC")
    for _ in range(5):
        assert (
            post(api, "/login", {"username": "minniec", "password": "wrong-one-1"}).status_code
            == 401
        )
    # After 5 failures every name waits (issue 15, M2); then the right password tells a parent
    # that the school must reactivate the account, and a wrong one still says nothing more.
    waiting = post(api, "/login", {"username": "MinnieC", "password": PARENT_PASSWORD})
    assert waiting.status_code == 429
    clock.advance(body(waiting)["retry_after"])
    right = post(api, "/login", {"username": "MinnieC", "password": PARENT_PASSWORD})
    assert right.status_code == 423 and body(right)["error"] == "account_disabled"
    clock.advance(limits.MAX_WAIT_S)
    assert post(api, "/login", {"username": "MinnieC", "password": "x-wrong-2"}).status_code == 401
    teacher = staff_session(api, "teacher", school="mcgarrah-es")
    assert post(api, "/staff/parents/MinnieC/reactivate", {}, teacher).status_code == 403
    other_school = staff_session(api, "school_admin", school="babb-ms")
    assert post(api, "/staff/parents/MinnieC/reactivate", {}, other_school).status_code == 403
    admin = staff_session(api, "school_admin", school="mcgarrah-es")
    assert post(api, "/staff/parents/MinnieC/reactivate", {}, admin).status_code == 200
    login(api, "MinnieC", PARENT_PASSWORD)
    log = body(get(api, "/me/access-log", login(api, "MinnieC", PARENT_PASSWORD)["session_token"]))
    assert [e["success"] for e in log["entries"][:8]] == [
        True,
        True,
        False,
        False,
        False,
        False,
        False,
        False,
    ]


def test_temporary_password_must_be_changed(api: Any, demo: None) -> None:
    parent(api, "gdn-minnie-clayton", "MinnieC")
    admin = staff_session(api, "school_admin", school="mcgarrah-es")
    issued = post(api, "/staff/parents/MinnieC/temporary-password", {}, admin)
    assert issued.status_code == 200
    temporary = body(issued)["temporary_password"]
    session = login(api, "MinnieC", temporary)
    assert session["must_change_password"] is True
    blocked = get(api, "/students", session["session_token"])
    assert blocked.status_code == 403 and body(blocked)["error"] == "password_change_required"
    changed = post(
        api,
        "/me/password",
        {
            "current_password": temporary,
            "new_password": PARENT_PASSWORD + "x",
            "new_password_confirm": PARENT_PASSWORD + "x",
        },
        session["session_token"],
    )
    assert changed.status_code == 204
    assert get(api, "/students", session["session_token"]).status_code == 200
    # Put the module's shared password back for the other tests.
    back = post(api, "/staff/parents/MinnieC/temporary-password", {}, admin)
    temp = body(back)["temporary_password"]
    token = login(api, "MinnieC", temp)["session_token"]
    from chalicelib import passwords
    from chalicelib.storage import tables

    post(
        api,
        "/me/password",
        {
            "current_password": temp,
            "new_password": "Another-long-one-77",
            "new_password_confirm": "Another-long-one-77",
        },
        token,
    )
    digest = passwords.hash_secret(PARENT_PASSWORD)
    minnie = tables.get_item("accounts", {"pk": "minniec"})
    assert minnie is not None
    tables.put_item("accounts", {**minnie, "password_hash": digest, "password_history": [digest]})


def test_staff_issue_activation_key(api: Any, demo: None) -> None:
    admin = staff_session(api, "school_admin", school="babb-ms")
    issued = post(api, "/staff/activation-keys", {"guardian_id": "gdn-donald-clayton"}, admin)
    assert issued.status_code == 201
    assert post(api, "/activation/check", body(issued)).status_code == 200
    other = post(api, "/staff/activation-keys", {"guardian_id": "gdn-minnie-clayton"}, admin)
    unknown = post(api, "/staff/activation-keys", {"guardian_id": "gdn-nobody"}, admin)
    assert other.status_code == 403  # another school's guardian: like an unknown one
    assert (other.status_code, other.body) == (unknown.status_code, unknown.body)


def test_parent_sees_only_authorized_children(api: Any, demo: None) -> None:
    minnie = parent(api, "gdn-minnie-clayton", "MinnieC")
    listed = body(get(api, "/students", minnie))["students"]
    assert listed == [
        {
            "student_id": "0123456",
            "display_name": "Greg Student",
            "school": "McGarrah Elementary School",
            "school_name": "McGarrah Elementary School",
            "school_email": "mcgarrah.es@ccps.example.org",
            "grade": "05",
        },
        {
            "student_id": "0234561",
            "display_name": "Marcia A. Student",
            "school": "McGarrah Elementary School",
            "school_name": "McGarrah Elementary School",
            "school_email": "mcgarrah.es@ccps.example.org",
            "grade": "03",
        },
    ]
    rafael = parent(api, "gdn-rafael-pena", "RafaelP")
    assert [s["student_id"] for s in body(get(api, "/students", rafael))["students"]] == ["0123456"]


LOOKUPS = ["schedule", "attendance", "grades", "calendar"]


@pytest.mark.parametrize("what", LOOKUPS)
def test_lookup_matrix_is_one_404(api: Any, demo: None, what: str) -> None:
    """S7: another household's child, an unlinked child, a child without portal access and a
    non-existent id all answer the same 404."""
    minnie = parent(api, "gdn-minnie-clayton", "MinnieC")
    rafael = parent(api, "gdn-rafael-pena", "RafaelP")
    assert get(api, f"/students/0123456/{what}", minnie).status_code == 200
    denied = [
        get(api, f"/students/0393354/{what}", minnie),  # another household
        get(api, f"/students/9999999/{what}", minnie),  # does not exist
        get(api, f"/students/0234561/{what}", rafael),  # linked, portalAccess=false
        get(api, f"/students/abc/{what}", minnie),  # not even an id
    ]
    assert {r.status_code for r in denied} == {404}
    assert len({r.body for r in denied}) == 1
    assert body(denied[0])["error"] == "not_found"


def test_removed_link_takes_effect_on_the_next_call(api: Any, demo: None, tmp_path: Path) -> None:
    minnie = parent(api, "gdn-minnie-clayton", "MinnieC")
    assert get(api, "/students/0234561/grades", minnie).status_code == 200
    changed = tmp_path / "sis"
    shutil.copytree(DEMO, changed)
    drop_link(changed, "gdn-minnie-clayton", "stu-marcia-student")
    import_demo(changed)
    try:
        after = get(api, "/students/0234561/grades", minnie)
        assert after.status_code == 404
        assert [s["student_id"] for s in body(get(api, "/students", minnie))["students"]] == [
            "0123456"
        ]
    finally:
        import_demo()
    assert get(api, "/students/0234561/grades", minnie).status_code == 200


def _household_names(api: Any, token: str) -> set[str]:
    """The member names of every household GET /household shows the caller."""
    households = body(get(api, "/household", token))["households"]
    return {m["name"] for h in households for m in h["members"]}


def test_household_lists_only_guardians_and_visible_students(
    api: Any, demo: None, tmp_path: Path
) -> None:
    """A child whose link was removed, or who is linked without portal access, is not listed."""
    rafael = parent(api, "gdn-rafael-pena", "RafaelP")
    assert _household_names(api, rafael) == {"Rafael Peña Ortiz", "Greg Student"}
    minnie = parent(api, "gdn-minnie-clayton", "MinnieC")
    assert _household_names(api, minnie) == {"Minnie Clayton", "Greg Student", "Marcia Student"}
    changed = tmp_path / "sis"
    shutil.copytree(DEMO, changed)
    drop_link(changed, "gdn-minnie-clayton", "stu-marcia-student")
    import_demo(changed)
    try:
        assert _household_names(api, minnie) == {"Minnie Clayton", "Greg Student"}
    finally:
        import_demo()
    assert "Marcia Student" in _household_names(api, minnie)


def test_lookup_contents(api: Any, demo: None) -> None:
    minnie = parent(api, "gdn-minnie-clayton", "MinnieC")
    schedule = body(get(api, "/students/0123456/schedule", minnie))
    assert schedule["school_year"] == 2027 and len(schedule["terms"]) == 4
    assert all(c["periods"] and c["teachers"] for c in schedule["classes"])
    emails = {c["title"]: c["teacher_email"] for c in schedule["classes"]}
    assert emails["Mathematics 5"] == "dolores.tejada@example.org"
    assert emails["Art"] == "aaliyah.washington@example.org"
    grades = body(get(api, "/students/0123456/grades", minnie))
    statuses = {a["status"] for c in grades["classes"] for a in c["assignments"]}
    assert {"late", "missing"} <= statuses
    assert all(c["categories"] for c in grades["classes"])
    assert all(sum(k["weight"] for k in c["categories"]) == 100 for c in grades["classes"])
    attendance = body(get(api, "/students/0123456/attendance", minnie))
    assert attendance["entries"] and sum(attendance["summary"].values()) == len(
        attendance["entries"]
    )
    calendar = body(get(api, "/students/0123456/calendar?from=2026-09-01&to=2026-10-31", minnie))
    assert calendar["days"] and all(
        "2026-09-01" <= d["date"] <= "2026-10-31" for d in calendar["days"]
    )
    bad = get(api, "/students/0123456/calendar?from=2026-13-01", minnie)
    assert bad.status_code == 400 and body(bad)["error"] == "invalid_request"
    household = body(get(api, "/household", minnie))["households"][0]
    names = {m["name"] for m in household["members"]}
    assert {"Minnie Clayton", "Greg Student"} <= names
    assert all("stu-" not in json.dumps(m) for m in household["members"])


def test_notices_by_audience_language_and_read_state(api: Any, demo: None) -> None:
    noticeboard.publish("district-welcome", "fr", "2026-08-01", "Bienvenue", "Bonjour.")
    noticeboard.publish(
        "district-welcome", "en", "2026-08-01", "Welcome", "Hello.", html="<p>Hello.</p>"
    )
    noticeboard.publish(
        "babb-picture-day",
        "en",
        "2026-09-10",
        "Picture day",
        "Smile.",
        school="babb-ms",
        school_name="Babb Middle School",
    )
    minnie = parent(api, "gdn-minnie-clayton", "MinnieC")
    seen = body(get(api, "/notices", minnie, **{"Accept-Language": "en"}))
    assert [n["id"] for n in seen["district"]] == ["district-welcome"]
    assert seen["school"] == []  # Babb is not one of Minnie's children's schools
    french = body(get(api, "/notices?lang=fr", minnie))
    assert french["district"][0]["title"] == "Bienvenue"
    assert french["district"][0]["html"] == ""  # published without HTML: clients show body
    assert seen["district"][0]["html"] == "<p>Hello.</p>" and seen["district"][0]["body"]
    assert post(api, "/notices/district-welcome/read", {}, minnie).status_code == 204
    again = body(get(api, "/notices?lang=en", minnie))
    assert again["district"][0]["new"] is False
    assert post(api, "/notices/babb-picture-day/read", {}, minnie).status_code == 404


def test_students_see_only_themselves(api: Any) -> None:
    # Students of their own: a demo student may already be claimed by another test module.
    school = new_school()
    sid, other = add_student(school=school), add_student("Marcia", "Student", school=school)
    claim(api, sid)
    token = login(api, f"S{sid}", PASSWORD)["session_token"]
    assert [s["student_id"] for s in body(get(api, "/students", token))["students"]] == [sid]
    assert get(api, f"/students/{sid}/schedule", token).status_code == 200
    assert get(api, f"/students/{other}/schedule", token).status_code == 404


def test_a_guardian_with_an_account_gets_no_key_and_old_keys_tell_nothing(
    api: Any, demo: None
) -> None:
    """Issue 15, I1: a key for a guardian who has an account would check as valid and answer
    username_taken for any name typed. Now none is issued, and one issued before says it is
    invalid, whatever username comes with it."""
    school = new_school()  # a guardian of its own: the demo's stay unactivated for other tests
    guardian = add_guardian("Dora", "Keyed", [add_student(school=school)], school)
    activate(api, guardian, "DoraKeyed")
    with pytest.raises(InvalidRequest):
        activation.issue(guardian, "test")
    legacy = activation.new_key()  # as issued before this rule, straight into storage
    stored_keys.issue_with_audit(
        activation._key_id(activation.normal_form(legacy) or ""),
        guardian,
        int(clock.now()) + activation.KEY_LIFETIME_S,
        audit.entry(audit.operator("test"), "activation_key_issue", guardian),
    )
    check = post(api, "/activation/check", {"activation_key": legacy})
    unknown = post(api, "/activation/check", {"activation_key": activation.new_key()})
    assert check.status_code == 404 and check.body == unknown.body
    for username in ("DoraKeyed", "SomebodyNew", "x"):
        created = post(
            api,
            "/activation/account",
            {
                "activation_key": legacy,
                "username": username,
                "password": PARENT_PASSWORD,
                "password_confirm": PARENT_PASSWORD,
            },
        )
        assert created.status_code == 404 and created.body == unknown.body
