"""The account model (chalicelib/account.py) and its stored form: pure rules, no database."""

from __future__ import annotations

from dataclasses import replace

import pytest

from chalicelib.account import Account, new_student
from chalicelib.passwords import HISTORY_SIZE
from chalicelib.storage.accounts import from_item, to_item

pytestmark = pytest.mark.unit

STUDENT = replace(
    new_student("0123456"), claimed_gen=3, password_hash="h1", password_history=("h1",)
)
PARENT = Account(
    key="minniec",
    role="parent",
    display_username="MinnieC",
    guardian_id="gdn-1",
    password_hash="p1",
    password_history=("p1",),
)
STAFF = Account(key="t.one", role="staff", staff_role="teacher", school="sch-1")


def test_a_student_account_exists_only_while_claimed_this_year_and_listed() -> None:
    assert STUDENT.exists_for_login(3, holder_active=True)
    assert not STUDENT.exists_for_login(4, holder_active=True)  # the new-year reset
    assert not STUDENT.exists_for_login(3, holder_active=False)  # left the SIS
    assert not replace(STUDENT, claimed_gen=None).exists_for_login(3, holder_active=True)


def test_a_disabled_parent_still_exists_so_the_right_password_learns_it() -> None:
    disabled = replace(PARENT, disabled=True)
    assert disabled.exists_for_login(0, holder_active=True)
    assert not disabled.session_valid(disabled.session_epoch, 0, holder_active=True)
    assert not PARENT.exists_for_login(0, holder_active=False)


def test_staff_exist_whatever_the_sis_says() -> None:
    assert STAFF.exists_for_login(7, holder_active=False)


def test_a_session_ends_with_any_change_to_the_account() -> None:
    epoch = STUDENT.session_epoch
    assert STUDENT.session_valid(epoch, 3, holder_active=True)
    assert not STUDENT.with_password("h2").session_valid(epoch, 3, holder_active=True)
    assert not STUDENT.unclaimed().session_valid(epoch, 3, holder_active=True)
    assert not STUDENT.session_valid(epoch, 4, holder_active=True)


def test_only_claimed_students_can_reset() -> None:
    assert STUDENT.resettable(3, holder_active=True)
    assert not PARENT.resettable(0, holder_active=True)
    assert not STUDENT.resettable(4, holder_active=True)


def test_a_password_change_remembers_and_ends_sessions() -> None:
    changed = STUDENT.with_password("h2")
    assert changed.password_hash == "h2"
    assert changed.password_history == ("h2", "h1")
    assert changed.session_epoch == STUDENT.session_epoch + 1
    assert not changed.must_change_password


def test_history_keeps_the_last_24() -> None:
    account = STUDENT
    for n in range(30):
        account = account.with_password(f"x{n}")
    assert len(account.password_history) == HISTORY_SIZE
    assert account.password_history[0] == "x29"
    assert account.recent_passwords() == account.password_history


def test_a_temporary_password_must_be_changed_and_lifts_a_disable() -> None:
    temporary = replace(PARENT, disabled=True).with_password("t1", temporary=True)
    assert temporary.must_change_password and not temporary.disabled
    changed = temporary.with_password("p2")
    assert not changed.must_change_password


def test_claim_and_unclaim() -> None:
    fresh = new_student("0234561")
    assert fresh.key == "s0234561" and fresh.username == "S0234561"
    claimed = fresh.claimed(5, "h", {"1": "a", "7": "b", "8": "c"})
    assert claimed.is_claimed(5) and claimed.answers == {"1": "a", "7": "b", "8": "c"}
    assert claimed.password_history == ("h",) and claimed.session_epoch == 1
    unclaimed = claimed.unclaimed()
    assert not unclaimed.is_claimed(5) and unclaimed.answers == {}
    assert unclaimed.password_history == ("h",)  # reuse stays refused after a ticket
    assert unclaimed.session_epoch == 2


def test_first_password_starts_the_history_without_ending_a_session() -> None:
    created = replace(PARENT, password_hash="", password_history=()).first_password("p")
    assert created.password_history == ("p",) and created.session_epoch == PARENT.session_epoch


def test_personal_values_cover_username_id_and_names() -> None:
    assert set(STUDENT.personal_values(["Greg", "Student"])) == {
        "s0123456",
        "S0123456",
        "0123456",
        "Greg",
        "Student",
    }
    assert set(PARENT.personal_values(["Minnie", "Clayton"])) == {
        "minniec",
        "MinnieC",
        "Minnie",
        "Clayton",
    }


def test_usernames_as_shown() -> None:
    assert (STUDENT.username, PARENT.username, STAFF.username) == ("S0123456", "MinnieC", "t.one")


@pytest.mark.parametrize("account", [STUDENT, STUDENT.unclaimed(), PARENT, STAFF])
def test_the_stored_form_round_trips(account: Account) -> None:
    assert from_item(to_item(account)) == account


def test_stored_shapes_hold_only_what_each_role_uses() -> None:
    assert set(to_item(STUDENT)) == {
        "pk",
        "role",
        "student_id",
        "claimed_gen",
        "password_hash",
        "password_history",
        "session_epoch",
    }
    assert "claimed_gen" not in to_item(STUDENT.unclaimed())
    parent = to_item(PARENT)
    assert parent["disabled"] is False and parent["must_change_password"] is False
    assert parent["display_username"] == "MinnieC" and parent["guardian_id"] == "gdn-1"
    assert "school" not in to_item(replace(STAFF, school=None))
