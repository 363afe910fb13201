"""Usernames and student IDs (chalicelib/identity.py): shapes and normal forms."""

from __future__ import annotations

import pytest

from chalicelib import identity

pytestmark = pytest.mark.unit


def test_a_student_id_is_seven_digits_after_outer_spaces() -> None:
    assert identity.student_id(" 0123456 ") == "0123456"


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("S0123456", "remove the letter S"),
        ("s0123456", "remove the letter S"),
        ("012345", "exactly 7 digits"),
        ("01234567", "exactly 7 digits"),
        ("０１２３４５６", "exactly 7 digits"),  # fullwidth digits are not the SIS identifier
        ("", "exactly 7 digits"),
    ],
)
def test_a_wrong_id_says_what_to_change(typed: str, says: str) -> None:
    with pytest.raises(identity.StudentIdFormat) as refused:
        identity.student_id(typed)
    assert says in str(refused.value)
    assert refused.value.code == "student_id_format"
    assert refused.value.extra["field"] == "student_id"


def test_student_usernames_and_keys() -> None:
    assert identity.student_username("0123456") == "S0123456"
    assert identity.student_key("0123456") == "s0123456"
    assert identity.username_key("  MinnieC ") == "minniec"
    assert identity.is_student_username("s0123456") and identity.is_student_username("S0123456")
    assert not identity.is_student_username("S012345") and not identity.is_student_username(
        "X0123456"
    )


@pytest.mark.parametrize("name", ["MinnieC", "S0123456", "teacher.one", "a-b_c", "x" * 64])
def test_well_formed_usernames(name: str) -> None:
    assert identity.is_well_formed(name)


@pytest.mark.parametrize("name", ["", "x" * 65, "Minnie C", "mínnie", "a@b", "<script>"])
def test_malformed_usernames(name: str) -> None:
    assert not identity.is_well_formed(name)


def test_names_match_exactly_after_nfc_and_outer_spaces() -> None:
    assert identity.same_name(" Zoë ", "Zoe\u0308")  # composed and decomposed ë
    assert not identity.same_name("zoë", "Zoë")  # case counts
    assert not identity.same_name("Mary Jane", "Mary  Jane")  # inner characters count
    assert identity.same_name("O'Neil-Nguyễn", "O'Neil-Nguyễn")
