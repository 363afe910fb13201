"""Argon2id hashing of secrets and the password policy (QUALITY.md S1, S2)."""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher, Type
from argon2.exceptions import Argon2Error

from .errors import DomainError

# OWASP's Argon2id floor: 19 MiB, 2 passes, 1 lane; the parameters travel in every hash string,
# so raising them later only needs needs_rehash() at the next successful login.
MEMORY_KIB = 19456
TIME_COST = 2
PARALLELISM = 1

MIN_LENGTH = 8
MAX_LENGTH = 128
HISTORY_SIZE = 24
# Shorter personal values ("Li", "Al") would reject far too many honest passwords.
MIN_PERSONAL_LENGTH = 3

COMMON_PASSWORDS_FILE = Path(__file__).parent / "data" / "common-passwords.txt"

# Contract codes (CONTRACT.md section 4), not secrets.
PASSWORD_MISMATCH = "password_mismatch"  # noqa: S105
PASSWORD_TOO_SHORT = "password_too_short"  # noqa: S105
PASSWORD_TOO_LONG = "password_too_long"  # noqa: S105
PASSWORD_TOO_COMMON = "password_too_common"  # noqa: S105
PASSWORD_CONTAINS_PERSONAL_INFO = "password_contains_personal_info"  # noqa: S105
PASSWORD_REUSED = "password_reused"  # noqa: S105


_hasher = PasswordHasher(
    time_cost=TIME_COST,
    memory_cost=MEMORY_KIB,
    parallelism=PARALLELISM,
    hash_len=32,
    salt_len=16,
    type=Type.ID,
)

# Splits "Mary-Jane O'Neil" into its words so each one counts as personal information.
_WORD_SEPARATORS = re.compile(r"[\W_]+")


class PasswordRejected(DomainError):
    """The new password breaks a rule of the password policy."""

    def __init__(self, code: str) -> None:
        # No message of our own: the API takes each code's sentence from its catalogue.
        field = "password_confirm" if code == PASSWORD_MISMATCH else "password"
        super().__init__(code=code, field=field)


def _nfc(s: str) -> str:
    """Return the NFC form, so composed and decomposed input are the same password."""
    return unicodedata.normalize("NFC", s)


def _secret_bytes(s: str) -> bytes:
    """Encode a secret for Argon2: NFC, UTF-8, every character kept (never truncated)."""
    # NFC (NIST SP 800-63B 5.1.1.2) so "é" typed on any keyboard verifies; surrogatepass so a
    # lone surrogate from a JSON "\\ud800" escape hashes instead of raising a 500.
    return _nfc(s).encode("utf-8", "surrogatepass")


def hash_secret(s: str) -> str:
    """Hash a password or canonical answer with Argon2id and a fresh random salt."""
    return _hasher.hash(_secret_bytes(s))


def verify_secret(hash: str, s: str) -> bool:
    """Tell whether `s` matches `hash`; False for a mismatch or a malformed hash."""
    if not isinstance(hash, str) or not isinstance(s, str):
        return False
    try:
        return _hasher.verify(hash, _secret_bytes(s))
    except (Argon2Error, ValueError):
        # Argon2Error covers mismatches; ValueError covers malformed and unsupported hashes.
        return False


def needs_rehash(hash: str) -> bool:
    """Tell whether `hash` was made with other parameters than today's (or is unreadable)."""
    try:
        return _hasher.check_needs_rehash(hash)
    except (Argon2Error, ValueError):
        return True


@cache
def _dummy_hash() -> str:
    """Hash a random throwaway secret once per process for dummy_verify."""
    return hash_secret(secrets.token_urlsafe(16))


def dummy_verify(s: str) -> None:
    """Spend one verification's time on nothing, so unknown users cost what known ones do."""
    verify_secret(_dummy_hash(), s)


def skeleton(s: str) -> str:
    """What a guesser compares: compatibility forms folded (fullwidth "ｐ" is "p"), case folded,
    invisible format characters (zero-width space, joiners) and white space dropped."""
    folded = unicodedata.normalize("NFKC", s).casefold()
    return "".join(c for c in folded if not c.isspace() and unicodedata.category(c) != "Cf")


@cache
def common_passwords() -> frozenset[str]:
    """The 10,000 most common passwords in lower case, read once per process."""
    with COMMON_PASSWORDS_FILE.open(encoding="utf-8") as f:
        return frozenset(line.rstrip("\n") for line in f if line.strip())


def is_common(password: str) -> bool:
    """Tell whether the password is one of the 10,000 most common (ignoring case, width and
    invisible characters), or nothing but spaces and invisible characters."""
    # lower() rather than casefold() for the list itself, which was lower-cased with lower().
    bare = skeleton(password)
    return _nfc(password).lower() in common_passwords() or bare in common_passwords() or not bare


def _personal_fragments(personal: Iterable[str]) -> set[str]:
    """Case-folded personal values and their words, each at least 3 characters long."""
    fragments: set[str] = set()
    for value in personal:
        if not value:
            continue
        folded = unicodedata.normalize("NFKC", value).strip().casefold()
        words = [w for w in _WORD_SEPARATORS.split(folded) if w]
        for candidate in (folded, "".join(words), *words):
            if len(candidate) >= MIN_PERSONAL_LENGTH:
                fragments.add(candidate)
    return fragments


def contains_personal_info(password: str, personal: Iterable[str]) -> bool:
    """Tell whether the password contains a name, ID or username, ignoring case, width and
    invisible characters."""
    folded, bare = _nfc(password).casefold(), skeleton(password)
    return any(f in folded or skeleton(f) in bare for f in _personal_fragments(personal))


def check_password(
    password: str,
    confirm: str,
    *,
    personal: Iterable[str],
    previous_hashes: Sequence[str],
    min_length: int = MIN_LENGTH,
) -> None:
    """Raise PasswordRejected with the first rule the new password breaks."""
    # The district may raise the floor, never lower it below the seeds' 8 characters.
    if not MIN_LENGTH <= min_length <= MAX_LENGTH:
        raise ValueError(f"min_length must be between {MIN_LENGTH} and {MAX_LENGTH}")
    normalized = _nfc(password)
    if normalized != _nfc(confirm):
        raise PasswordRejected(PASSWORD_MISMATCH)
    # Length in code points of the NFC form: "é" counts once however it was typed.
    if len(normalized) < min_length:
        raise PasswordRejected(PASSWORD_TOO_SHORT)
    if len(normalized) > MAX_LENGTH:
        raise PasswordRejected(PASSWORD_TOO_LONG)
    if is_common(normalized):
        raise PasswordRejected(PASSWORD_TOO_COMMON)
    if contains_personal_info(normalized, personal):
        raise PasswordRejected(PASSWORD_CONTAINS_PERSONAL_INFO)
    # Last because every comparison costs one Argon2 verification (the caller passes <= 24).
    if any(verify_secret(old, normalized) for old in previous_hashes):
        raise PasswordRejected(PASSWORD_REUSED)
