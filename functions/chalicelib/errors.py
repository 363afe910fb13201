"""Named errors: refusals the caller sees (by contract code) and outcomes of storage writes.

A DomainError carries a stable contract code, never an HTTP status or an English sentence: the
sentence of each code lives in api/codes.py, and a refusal adds a message of its own only to
say exactly what was wrong with the input.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A refusal the caller should see, named by its contract code."""

    code = "invalid_request"

    def __init__(self, message: str = "", *, code: str | None = None, **extra: Any) -> None:
        super().__init__(message)
        if code:
            self.code = code
        self.extra = extra


class InvalidRequest(DomainError):
    """The request is malformed; the message says what and `field` where."""

    code = "invalid_request"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message, field=field)


class NotFound(DomainError):
    """Nothing is here, or nothing the caller may see."""

    code = "not_found"


class AlreadyClaimed(DomainError):
    """The student account is claimed in this school year (maybe by a concurrent claim)."""

    code = "already_claimed"


class UsernameTaken(DomainError):
    """Another account has this username (usernames are unique whatever their case)."""

    code = "username_taken"


class StorageUnavailable(Exception):
    """The database did not answer in time, even after bounded retries."""


class TokenGone(Exception):
    """A token, activation key or ticket was used, revoked or expired since it was read."""


class AccountChanged(Exception):
    """The account is no longer as it was read (a new password, a reset, a new school year)."""


class WriteConflict(Exception):
    """Another write to the same items was in flight: read again, then try again."""


class WritesRefused(Exception):
    """A group of conditional writes was refused whole; `refused` holds the failing positions."""

    def __init__(self, refused: set[int]) -> None:
        super().__init__(f"refused: {sorted(refused)}")
        self.refused = refused


class Forbidden(DomainError):
    """Out of role or out of school (staff routes)."""

    code = "forbidden"
