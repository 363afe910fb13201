"""Usernames and student IDs: their shapes and normal forms."""

from __future__ import annotations

import re
import unicodedata

from .errors import DomainError

STUDENT_ID = re.compile(r"[0-9]{7}")
STUDENT_USERNAME = re.compile(r"[sS][0-9]{7}")
# Any username a login form may carry: students' S+7 digits, parents' letters and digits,
# staff names with dots or dashes. Anything else cannot exist, so it is refused up front.
WELL_FORMED_USERNAME = re.compile(r"[A-Za-z0-9._-]{1,64}")


class StudentIdFormat(DomainError):
    """The student ID is not 7 digits; the message says what to change."""

    code = "student_id_format"


def student_id(raw: str) -> str:
    """The 7-digit ID from what a student typed, or StudentIdFormat saying what is wrong."""
    value = raw.strip()
    if STUDENT_ID.fullmatch(value):
        return value
    if STUDENT_USERNAME.fullmatch(value):
        raise StudentIdFormat(
            "Your student ID is the 7 digits only: remove the letter S.", field="student_id"
        )
    raise StudentIdFormat("The student ID must be exactly 7 digits.", field="student_id")


def student_username(sid: str) -> str:
    """The student's username as shown to them: S followed by the 7-digit ID."""
    return f"S{sid}"


def student_key(sid: str) -> str:
    """The account key of a student: the username in lower case."""
    return username_key(student_username(sid))


def username_key(username: str) -> str:
    """The case-insensitive key of a username."""
    return username.strip().lower()


def is_well_formed(username: str) -> bool:
    """True for any username that could belong to an account."""
    return bool(WELL_FORMED_USERNAME.fullmatch(username.strip()))


def is_student_username(username: str) -> bool:
    """True for S + 7 digits, in either case."""
    return bool(STUDENT_USERNAME.fullmatch(username.strip()))


def same_name(typed: str, recorded: str) -> bool:
    """Exact name match after NFC and trimming outer spaces (case and inner characters count)."""
    return unicodedata.normalize("NFC", typed.strip()) == unicodedata.normalize(
        "NFC", recorded.strip()
    )


def search_form(text: str) -> str:
    """A name or query as searches compare it: no accents, no case, single spaces (đ is d)."""
    decomposed = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())
