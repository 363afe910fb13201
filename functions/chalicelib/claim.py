"""Claiming a student account: identity, then password, then 3 challenge answers."""

from __future__ import annotations

import random
import time
from typing import Any

from . import account, clock, identity, limits, passwords, questions, sis, tokens
from .config import settings
from .errors import (
    AlreadyClaimed,
    DomainError,
    InvalidRequest,
    StorageUnavailable,
    TokenGone,
    WriteConflict,
)
from .storage import accounts as stored_accounts

CLAIM_LIFETIME_S = 15 * 60
CONFLICT_RETRIES = 8


class ClaimFailed(DomainError):
    """No active SIS record matches the identity exactly: one answer for every cause."""

    code = "claim_failed"


class ClaimNotOpen(DomainError):
    """A student new to the SIS waits CLAIM_DELAY_HOURS; `opens_at` says until when."""

    code = "claim_not_open"


class ClaimTokenInvalid(DomainError):
    """The claim token is unknown, used or expired."""

    code = "claim_token_invalid"


def start(last_name: str, first_name: str, student_id: str) -> str:
    """Check the identity against the SIS and return a claim token."""
    sid = identity.student_id(student_id)
    # Counted per student ID and per name pair before anything is looked up, whether or not
    # they exist, so guessing one student's ID or name is slowed like a password (issue 15, M3)
    # and the answers stay the same for every cause.
    counters = limits.claim_counters(sid, last_name, first_name)
    for counter in counters:
        limits.slow_down(counter)
    student = sis.get_student(sid)
    if (
        student is None
        or not student.active
        or not identity.same_name(last_name, student.family_name)
        or not identity.same_name(first_name, student.given_name)
    ):
        raise ClaimFailed()  # one answer for every cause: nothing to learn from it
    for counter in counters:
        limits.clear(counter)
    opens_at = student.first_seen_at + settings().claim_delay_hours * 3600
    if clock.now() < opens_at:
        raise ClaimNotOpen(opens_at=clock.iso(opens_at))
    found, generation = stored_accounts.with_generation(identity.student_key(sid))
    if found is not None and found.is_claimed(generation):
        raise AlreadyClaimed()
    return tokens.issue("claim", CLAIM_LIFETIME_S, student_id=sid)


def set_password(claim_token: str, password: str, confirm: str) -> str:
    """Check the password against the policy and keep its hash on the claim; return username."""
    claim = _live_claim(claim_token)
    sid = claim["student_id"]
    student = sis.get_student(sid)
    if student is None or not student.active:
        raise ClaimTokenInvalid()
    current = stored_accounts.get(identity.student_key(sid)) or account.new_student(sid)
    passwords.check_password(
        password,
        confirm,
        personal=current.personal_values(sis.names_of(student)),
        previous_hashes=current.recent_passwords(),
    )
    if not tokens.update("claim", claim_token, {"password_hash": passwords.hash_secret(password)}):
        raise ClaimTokenInvalid()
    return current.username


def save_answers(claim_token: str, answers: list[tuple[int, str]]) -> str:
    """Save password and answers together, making the account claimed; return username."""
    claim = _live_claim(claim_token)
    if "password_hash" not in claim:
        raise InvalidRequest("Choose a password before the questions.", field="password")
    chosen = questions.validate_selection(answers)
    hashed = {str(qid): passwords.hash_secret(answer) for qid, answer in chosen}
    sid = claim["student_id"]
    for attempt in range(CONFLICT_RETRIES):
        found, generation = stored_accounts.with_generation(identity.student_key(sid))
        current = found or account.new_student(sid)
        if current.is_claimed(generation):
            raise AlreadyClaimed()
        claimed = current.claimed(generation, claim["password_hash"], hashed)
        try:
            stored_accounts.complete_claim(claimed, tokens.key("claim", claim_token), generation)
            return claimed.username
        except TokenGone:
            raise ClaimTokenInvalid() from None
        except WriteConflict:
            # Another completion is in flight: look again shortly.
            time.sleep(random.uniform(0.01, 0.05) * (attempt + 1))  # noqa: S311
    raise StorageUnavailable("claim transaction kept conflicting")


def _live_claim(claim_token: str) -> dict[str, Any]:
    claim = tokens.load("claim", claim_token)
    if claim is None:
        raise ClaimTokenInvalid()
    return claim
