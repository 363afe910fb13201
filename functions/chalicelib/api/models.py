"""Request bodies of the API, validated strictly (unknown fields, wrong types, sizes → 400)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Name = Annotated[str, StringConstraints(min_length=1, max_length=100)]
Secret = Annotated[str, StringConstraints(min_length=1, max_length=1024)]
Token = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Username = Annotated[str, StringConstraints(min_length=1, max_length=64)]
ShortText = Annotated[str, StringConstraints(max_length=500)]
Answer = Annotated[str, StringConstraints(max_length=200)]
Language = Literal["en", "fr", "es", "vi"]  # chalicelib.languages.LANGUAGES, as a JSON schema


class Body(BaseModel):
    """Strict JSON object: no extra fields, no type coercion."""

    model_config = ConfigDict(extra="forbid", strict=True)


class ClaimStart(Body):
    """POST /claim/start"""

    last_name: Name
    first_name: Name
    student_id: Annotated[str, StringConstraints(min_length=1, max_length=20)]


class ClaimPassword(Body):
    """POST /claim/password"""

    claim_token: Token
    password: Secret
    password_confirm: Secret


class AnswerIn(Body):
    """One challenge answer."""

    question_id: int
    answer: Answer


class ClaimAnswers(Body):
    """POST /claim/answers"""

    claim_token: Token
    answers: Annotated[list[AnswerIn], Field(min_length=1, max_length=8)]


class Identify(Body):
    """POST /login/identify"""

    username: Username


class Login(Body):
    """POST /login"""

    username: Username
    password: Secret


class MfaToken(Body):
    """POST /login/mfa/enroll"""

    mfa_token: Token


class MfaCode(Body):
    """POST /login/mfa and /login/mfa/confirm: a 6-digit TOTP code or a recovery code."""

    mfa_token: Token
    code: Annotated[str, StringConstraints(min_length=1, max_length=32)]


class ChangePassword(Body):
    """POST /me/password"""

    current_password: Secret
    new_password: Secret
    new_password_confirm: Secret


class ChooseLanguage(Body):
    """PUT /me/language"""

    language: Language


class ResetStart(Body):
    """POST /reset/start"""

    username: Username


class ResetAnswers(Body):
    """POST /reset/answers"""

    reset_token: Token
    answers: Annotated[list[AnswerIn], Field(min_length=3, max_length=3)]


class ResetPassword(Body):
    """POST /reset/password"""

    reset_token: Token
    password: Secret
    password_confirm: Secret


class TicketCreate(Body):
    """POST /staff/reset-tickets"""

    student_id: Annotated[str, StringConstraints(min_length=1, max_length=20)]
    reason: ShortText = ""


class StaffAccountCreate(Body):
    """POST /staff/accounts (district_admin); a district_admin has no school."""

    username: Username
    role: Literal["teacher", "technician", "school_admin", "district_admin"]
    school: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = None


class KeyIssue(Body):
    """POST /staff/activation-keys"""

    guardian_id: Annotated[str, StringConstraints(min_length=1, max_length=200)]


class ActivationCheck(Body):
    """POST /activation/check"""

    activation_key: Annotated[str, StringConstraints(min_length=1, max_length=100)]


class ActivationAccount(Body):
    """POST /activation/account"""

    activation_key: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    username: Username
    password: Secret
    password_confirm: Secret
