"""Named domain errors: each carries a stable contract code, never an HTTP status."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A refusal the caller should see, named by its contract code."""

    code = "invalid_request"

    def __init__(self, message: str = "", *, code: str | None = None, **extra: Any) -> None:
        super().__init__(message or self.__class__.__doc__ or "")
        if code:
            self.code = code
        self.extra = extra


class InvalidRequest(DomainError):
    """The request is malformed."""

    code = "invalid_request"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message, field=field)


class NotFound(DomainError):
    """Nothing is here, or nothing the caller may see."""

    code = "not_found"


class StorageUnavailable(Exception):
    """The database did not answer in time, even after bounded retries."""


class ConditionFailed(Exception):
    """A conditional write found the item in another state than expected."""


class TransactionCanceled(Exception):
    """A DynamoDB transaction was refused; `reasons` holds one code per item."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__(", ".join(reasons))
        self.reasons = reasons
