"""Argon2id hashing and the password policy (QUALITY.md S1, S2)."""

from __future__ import annotations

import re
import unicodedata

import pytest
from argon2 import PasswordHasher

from chalicelib import passwords
from chalicelib.errors import DomainError
from chalicelib.passwords import (
    HISTORY_SIZE,
    PasswordRejected,
    check_password,
    common_passwords,
    dummy_verify,
    hash_secret,
    needs_rehash,
    verify_secret,
)

pytestmark = pytest.mark.unit

# One student as the claim sees them: first name, last name, student ID, username.
PERSONAL = ("Maria", "Nguyen", "0123456", "S0123456")
ARGON2ID_PREFIX = re.compile(r"^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$")
E_ACUTE = "\u00e9"
E_DECOMPOSED = "e\u0301"


def history_password(n: int) -> str:
    """The n-th of a user's previous passwords."""
    return f"lanterns-and-kites-{n:02d}"


@pytest.fixture(scope="module")
def history() -> list[str]:
    """The hashes of a user's last 24 passwords, built once (each hash costs ~40 ms)."""
    return [hash_secret(history_password(n)) for n in range(HISTORY_SIZE)]


@pytest.fixture(scope="module")
def one_hash() -> str:
    """A single stored hash shared by the hashing tests."""
    return hash_secret("correct horse battery")


def rejection(password: str, confirm: str | None = None, **kwargs: object) -> str | None:
    """The code check_password raises for a password, or None when it is accepted."""
    kwargs.setdefault("personal", PERSONAL)
    kwargs.setdefault("previous_hashes", ())
    try:
        check_password(password, password if confirm is None else confirm, **kwargs)
    except PasswordRejected as err:
        return err.code
    return None


# S1: Argon2id with the parameters in the hash string, salted.


def test_hash_is_argon2id_with_parameters(one_hash: str) -> None:
    assert ARGON2ID_PREFIX.match(one_hash)


def test_equal_inputs_give_different_hashes(one_hash: str) -> None:
    again = hash_secret("correct horse battery")
    assert again != one_hash
    assert verify_secret(again, "correct horse battery")
    assert verify_secret(one_hash, "correct horse battery")


@pytest.mark.parametrize(
    "attempt",
    ["correct horse batterY", "correct horse battery ", " correct horse battery", "", "correct"],
)
def test_wrong_secret_does_not_verify(one_hash: str, attempt: str) -> None:
    assert verify_secret(one_hash, attempt) is False


@pytest.mark.parametrize(
    "stored",
    [
        "",
        "not a hash",
        "$argon2id$v=19$m=19456,t=2,p=1$bad$bad",
        "$argon2id$v=19$m=1,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA",
        "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW",
        "pbkdf2_sha256$600000$salt$hash",
    ],
)
def test_malformed_hash_never_raises(stored: str) -> None:
    assert verify_secret(stored, "anything at all") is False
    assert needs_rehash(stored) is True


def test_truncated_hash_never_raises(one_hash: str) -> None:
    assert verify_secret(one_hash[:-5], "correct horse battery") is False


def test_needs_rehash_only_for_other_parameters(one_hash: str) -> None:
    weaker = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash("x")
    assert needs_rehash(one_hash) is False
    assert needs_rehash(weaker) is True
    # Older hashes still verify, so a login can upgrade them.
    assert verify_secret(weaker, "x") is True


def test_dummy_verify_uses_one_argon2id_hash_per_process() -> None:
    assert dummy_verify("whatever the user typed") is None
    dummy = passwords._dummy_hash()
    assert dummy is passwords._dummy_hash()
    assert ARGON2ID_PREFIX.match(dummy)


def test_composed_and_decomposed_are_the_same_secret() -> None:
    stored = hash_secret(E_ACUTE * 8)
    assert verify_secret(stored, E_DECOMPOSED * 8)


def test_never_truncated() -> None:
    base = "x" * 127
    stored = hash_secret(base + "a")
    assert rejection(base + "a") is None
    assert verify_secret(stored, base + "a")
    assert not verify_secret(stored, base + "b")
    assert not verify_secret(stored, base)


def test_lone_surrogate_hashes_instead_of_failing() -> None:
    stored = hash_secret("kites\ud800lanterns")
    assert verify_secret(stored, "kites\ud800lanterns")
    assert not verify_secret(stored, "kites\ud801lanterns")


# S2: the policy, one rule at a time, with the contract's codes.


@pytest.mark.parametrize(
    ("password", "confirm", "code"),
    [
        ("zqxwvbnm", "zqxwvbnm", None),
        ("zqxwvbnm", "zqxwvbnM", "password_mismatch"),
        ("zqxwvbnm", "zqxwvbnm ", "password_mismatch"),
        ("a", "b", "password_mismatch"),  # mismatch is reported before length
        (E_ACUTE * 8, E_DECOMPOSED * 8, None),  # the same characters however typed
    ],
)
def test_mismatch(password: str, confirm: str, code: str | None) -> None:
    assert rejection(password, confirm) == code


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("", "password_too_short"),
        ("zqxwvbn", "password_too_short"),  # 7
        ("zqxwvbnm", None),  # 8
        (" zqxwvbn", None),  # spaces count and are never stripped
        (E_ACUTE * 8, None),  # 8 code points composed
        (E_DECOMPOSED * 8, None),  # 16 code points typed, 8 characters after NFC
        (E_DECOMPOSED * 7, "password_too_short"),  # 14 code points typed, 7 characters
        ("\U0001f600" * 8, None),  # characters, not UTF-16 units or bytes
        ("\U0001f600" * 7, "password_too_short"),
        ("q" * 128, None),
        ("q" * 129, "password_too_long"),
        (E_DECOMPOSED * 128, None),  # 256 code points typed, 128 characters
        (E_ACUTE * 129, "password_too_long"),
    ],
)
def test_length(password: str, code: str | None) -> None:
    assert rejection(password) == code


@pytest.mark.parametrize(
    ("min_length", "password", "code"),
    [(12, "zqxwvbnmpoi", "password_too_short"), (12, "zqxwvbnmpoiu", None)],
)
def test_minimum_can_be_raised(min_length: int, password: str, code: str | None) -> None:
    assert rejection(password, min_length=min_length) == code


@pytest.mark.parametrize("min_length", [0, 7, 129])
def test_minimum_cannot_go_below_8_or_above_128(min_length: int) -> None:
    with pytest.raises(ValueError, match="min_length"):
        check_password(
            "zqxwvbnm", "zqxwvbnm", personal=(), previous_hashes=(), min_length=min_length
        )


@pytest.mark.parametrize(
    "password",
    ["password1", "Password1", "PASSWORD1", "password", "iloveyou", "ILoveYou", "qwertyuiop"],
)
def test_common_passwords_rejected_in_any_case(password: str) -> None:
    assert rejection(password) == "password_too_common"


@pytest.mark.parametrize(
    "password",
    [
        "ｐａｓｓｗｏｒｄ１",  # fullwidth letters and digit (issue 15, I2)
        "pass\u200bword1",  # a zero-width space inside
        "pass\u2060word\ufeff1",  # word joiner and BOM
        "PASS WORD 1",  # spaces inside a common password
        " " * 12,  # only spaces
        "\u3000" * 10,  # only ideographic spaces
        "\u200b" * 9,  # only zero-width spaces
    ],
)
def test_disguised_and_blank_passwords_are_common(password: str) -> None:
    assert rejection(password) == "password_too_common"


@pytest.mark.parametrize(
    ("personal", "password"),
    [
        (("Maria",), "ｍａｒｉａ2024!!"),  # fullwidth
        (("Maria",), "ma\u200bria2024!!"),  # zero-width space
        (("0123456",), "x０１２３４５６y"),  # fullwidth digits
    ],
)
def test_disguised_personal_info(personal: tuple[str, ...], password: str) -> None:
    assert rejection(password, personal=personal) == "password_contains_personal_info"


@pytest.mark.parametrize(
    "password",
    ["lowercaseonly", "purplemonkeydishwasher", "90817263545", "!@#$%^&*()_+", "zqxwvbnm"],
)
def test_no_composition_rules(password: str) -> None:
    assert rejection(password) is None


@pytest.mark.parametrize(
    ("personal", "password", "code"),
    [
        (PERSONAL, "maria2024!!", "password_contains_personal_info"),  # first name
        (PERSONAL, "iLOVEmariaXX", "password_contains_personal_info"),  # any case
        (PERSONAL, "teamNGUYEN99", "password_contains_personal_info"),  # last name
        (PERSONAL, "xx0123456yy", "password_contains_personal_info"),  # student ID
        (PERSONAL, "my-s0123456-pw", "password_contains_personal_info"),  # username
        (PERSONAL, "mari-nguye-012345", None),  # near misses are fine
        (("Li", "Al", "Bo"), "lilyandlion", None),  # values under 3 characters are ignored
        (("Ana",), "bananarama", "password_contains_personal_info"),  # 3 characters count
        (("Mary Jane",), "maryjane123", "password_contains_personal_info"),  # without the space
        (("Mary Jane",), "captainjanewayxx", "password_contains_personal_info"),  # one word
        (("De La Cruz",), "delicious-lace", None),  # "de" and "la" are too short alone
        (("Élodie",), "ÉLODIE-rocks", "password_contains_personal_info"),  # accented, any case
        ((f"{E_DECOMPOSED}lodie",), f"{E_ACUTE}lodie-rocks", "password_contains_personal_info"),
        (("", "  "), "zqxwvbnm", None),  # blank values are ignored
    ],
)
def test_personal_info(personal: tuple[str, ...], password: str, code: str | None) -> None:
    assert rejection(password, personal=personal) == code


def test_reuse_of_any_of_the_last_24(history: list[str]) -> None:
    assert len(history) == HISTORY_SIZE == 24
    assert rejection(history_password(0), previous_hashes=history) == "password_reused"
    assert rejection(history_password(23), previous_hashes=history) == "password_reused"
    assert rejection("lanterns-and-kites-24", previous_hashes=history) is None


def test_reuse_ignores_unreadable_history(history: list[str]) -> None:
    mixed = ["garbage", "", history[5]]
    assert rejection(history_password(5), previous_hashes=mixed) == "password_reused"


@pytest.mark.parametrize(
    ("password", "confirm", "personal", "code"),
    [
        ("maria", "maria!", PERSONAL, "password_mismatch"),
        ("maria", "maria", PERSONAL, "password_too_short"),
        ("password1", "password1", ("password",), "password_too_common"),
        (history_password(3), history_password(3), ("kites",), "password_contains_personal_info"),
    ],
)
def test_rules_apply_in_contract_order(
    history: list[str], password: str, confirm: str, personal: tuple[str, ...], code: str
) -> None:
    assert rejection(password, confirm, personal=personal, previous_hashes=history) == code


def test_rejection_is_a_domain_error_with_a_field() -> None:
    with pytest.raises(PasswordRejected) as caught:
        check_password("zqxwvbn", "zqxwvbn", personal=(), previous_hashes=())
    assert isinstance(caught.value, DomainError)
    assert caught.value.code == "password_too_short"
    assert caught.value.extra == {"field": "password"}
    assert "zqxwvbn" not in str(caught.value)  # the password never reaches a message


def test_codes_are_the_contract_codes() -> None:
    assert {
        passwords.PASSWORD_MISMATCH,
        passwords.PASSWORD_TOO_SHORT,
        passwords.PASSWORD_TOO_LONG,
        passwords.PASSWORD_TOO_COMMON,
        passwords.PASSWORD_CONTAINS_PERSONAL_INFO,
        passwords.PASSWORD_REUSED,
    } == {
        "password_mismatch",
        "password_too_short",
        "password_too_long",
        "password_too_common",
        "password_contains_personal_info",
        "password_reused",
    }


def test_common_password_list_file() -> None:
    lines = passwords.COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").split("\n")
    assert lines[-1] == ""  # one final newline, no blank line inside
    entries = lines[:-1]
    assert len(entries) == 10_000
    assert len(set(entries)) == 10_000
    assert all(e and e == e.lower() and e == e.strip() for e in entries)
    assert entries[:4] == ["123456", "123456789", "qwerty", "password"]
    assert common_passwords() == frozenset(entries)
    assert common_passwords() is common_passwords()  # loaded once per process
    assert all(unicodedata.is_normalized("NFC", e) for e in entries)
