"""Every error code of the HTTP contract with its status and English message."""

from __future__ import annotations

# code: (HTTP status, English sentence). The site translates codes; this text is a fallback.
ERRORS: dict[str, tuple[int, str]] = {
    "invalid_request": (400, "The request is not valid."),
    "not_found": (404, "Not found."),
    "method_not_allowed": (405, "This method is not allowed here."),
    "unavailable": (503, "The service is unavailable. Please try again in a few minutes."),
    "internal_error": (500, "Something went wrong on our side."),
    "too_many_attempts": (429, "Too many attempts. Please wait and try again."),
    "student_id_format": (400, "The student ID does not have the district's number of digits."),
    "claim_failed": (403, "The Claim Account Operation Failed."),
    "already_claimed": (409, "This account is already claimed. Use Forgot my Password."),
    "claim_not_open": (403, "This account cannot be claimed yet."),
    "claim_token_invalid": (401, "The claim has expired. Please start again."),
    "password_mismatch": (400, "The two passwords do not match."),
    "password_too_short": (400, "The password is too short."),
    "password_too_long": (400, "The password is too long (128 characters at most)."),
    "password_too_common": (400, "This password is too common. Choose another one."),
    "password_contains_personal_info": (400, "The password must not contain your name or ID."),
    "password_reused": (400, "This password was used before. Choose a new one."),
    "answers_invalid": (400, "Answer exactly 3 different questions with valid answers."),
    "authentication_failed": (401, "Authentication Failed"),
    "account_disabled": (423, "This account is disabled. Please contact your school."),
    "session_invalid": (401, "Your session has ended. Please log in again."),
    "password_change_required": (403, "You must change your password before continuing."),
    "reset_failed": (401, "The answers do not match our records."),
    "reset_token_invalid": (401, "The password reset has expired. Please start again."),
    "activation_key_invalid": (404, "This activation key is not valid."),
    "username_invalid": (400, "Use 3 to 30 letters and digits, not only digits."),
    "username_taken": (409, "This username is already taken."),
    "forbidden": (403, "You are not allowed to do this."),
    "mfa_failed": (401, "This code is not valid. Check your authenticator app and try again."),
    "mfa_token_invalid": (401, "Your login has expired. Please log in again."),
    "mfa_enrollment_required": (409, "Set up your authenticator app first."),
    "mfa_already_enrolled": (409, "An authenticator app is already set up for this account."),
}


def status_of(code: str) -> int:
    """HTTP status for a contract code."""
    return ERRORS.get(code, (400, ""))[0]


def message_of(code: str) -> str:
    """English sentence for a contract code."""
    return ERRORS.get(code, (400, "The request is not valid."))[1]
