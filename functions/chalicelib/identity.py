"""Usernames and student IDs: their shapes and normal forms.

Both follow the district's settings (config.py): a student ID is PORTAL_STUDENT_ID_DIGITS digits
(7 by default) and a student's username is PORTAL_USERNAME_PREFIX ("S") followed by the ID.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .config import settings
from .errors import DomainError

# Any username a login form may carry: students' prefix and digits, parents' letters and digits,
# staff names with dots or dashes. Anything else cannot exist, so it is refused up front.
WELL_FORMED_USERNAME = re.compile(r"[A-Za-z0-9._-]{1,64}")
# The example ID of the guides and forms, at any length from 4 to 12: the digits counted up.
COUNTING = "012345678901"


class StudentIdFormat(DomainError):
    """The student ID is not the district's number of digits; the message says what to change."""

    code = "student_id_format"


def digits() -> int:
    """How many digits a student ID has in this district."""
    return settings().student_id_digits


def prefix() -> str:
    """What comes before the student ID in a student's username ("S")."""
    return settings().username_prefix


@lru_cache(maxsize=8)
def _patterns(length: int, letters: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The student ID and the student username for one configuration, compiled once."""
    sid = f"[0-9]{{{length}}}"
    # Each letter in either case, ASCII only: a case-insensitive match would also take the
    # long s (ſ) or the Kelvin sign for letters of the prefix.
    either = "".join(f"[{c.lower()}{c.upper()}]" for c in letters)
    return re.compile(sid), re.compile(either + sid)


def student_id_pattern() -> re.Pattern[str]:
    """A whole student ID: exactly the district's number of ASCII digits."""
    return _patterns(digits(), prefix())[0]


def student_username_pattern() -> re.Pattern[str]:
    """A whole student username: the prefix in either case, then a student ID."""
    return _patterns(digits(), prefix())[1]


def is_student_id(value: str) -> bool:
    """True for exactly the district's number of digits (no spaces, no other characters)."""
    return bool(student_id_pattern().fullmatch(value))


def prefix_words() -> str:
    """The prefix as an English sentence names it: 'the letter S', 'the letters AB'."""
    return f"the letter{'s' if len(prefix()) > 1 else ''} {prefix()}"


def student_id(raw: str) -> str:
    """The ID from what a student typed, or StudentIdFormat saying what is wrong."""
    value = raw.strip()
    if is_student_id(value):
        return value
    if student_username_pattern().fullmatch(value):
        raise StudentIdFormat(
            f"Your student ID is the {digits()} digits only: remove {prefix_words()}.",
            field="student_id",
        )
    raise StudentIdFormat(f"The student ID must be exactly {digits()} digits.", field="student_id")


def student_username(sid: str) -> str:
    """The student's username as shown to them: the prefix followed by the ID."""
    return f"{prefix()}{sid}"


def student_key(sid: str) -> str:
    """The account key of a student: the username in lower case."""
    return username_key(student_username(sid))


def id_of_student_username(username: str) -> str | None:
    """The student ID inside a student username, or None for any other username."""
    name = username.strip()
    return name[len(prefix()) :] if is_student_username(name) else None


def example_id() -> str:
    """The example student ID the guides and forms show: 0123456 at the default 7 digits."""
    return COUNTING[: digits()]


def shown() -> dict[str, str]:
    """What the guides and letters write for the district's identifiers, by macro name
    (site/hooks/district_ids.py, the notice templates): never a number typed by hand."""
    example = example_id()
    return {
        "digits": str(digits()),
        "prefix": prefix(),
        "example_id": example,
        "example_username": student_username(example),
        "example_username_lower": student_key(example),
    }


def sized(seed_id: str) -> str:
    """A 7-digit ID of the seeds (the demo district) at the district's length: cut short, or
    continued by counting on from 7, so each seed ID stays distinct at every length."""
    return (seed_id + COUNTING[7:])[: digits()]


def username_key(username: str) -> str:
    """The case-insensitive key of a username."""
    return username.strip().lower()


def is_well_formed(username: str) -> bool:
    """True for any username that could belong to an account."""
    return bool(WELL_FORMED_USERNAME.fullmatch(username.strip()))


def is_student_username(username: str) -> bool:
    """True for the prefix and a student ID, the prefix in either case."""
    return bool(student_username_pattern().fullmatch(username.strip()))


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
