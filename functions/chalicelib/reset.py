"""Forgotten password: username, the 3 challenge answers, then a new password (S5)."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from . import identity, limits, passwords, questions, sis, tokens
from .account import Account
from .errors import AccountChanged, DomainError, InvalidRequest, TokenGone
from .storage import accounts as stored_accounts
from .storage import secret
from .storage import tokens as stored_tokens

RESET_LIFETIME_S = 15 * 60
FAILED_RESETS_CAP = 5
BLOCK_S = 24 * 3600


class ResetFailed(DomainError):
    """The three answers, judged together, do not match (never says which)."""

    code = "reset_failed"


class ResetTokenInvalid(DomainError):
    """The reset token is unknown, used or expired."""

    code = "reset_token_invalid"


def start(username: str, lang: str) -> dict[str, Any]:
    """A reset token and the user's 3 questions; unknown users get plausible, useless ones."""
    if not identity.is_well_formed(username):
        raise InvalidRequest("Enter your username.", field="username")  # no account has it
    key = identity.username_key(username)
    account = _resettable(key)
    if account is not None:
        ids = sorted(int(q) for q in account.answers)
    else:
        ids = decoy_questions(key)
    token = tokens.issue(
        "reset", RESET_LIFETIME_S, username=key, stage="answers", real=account is not None
    )
    return {"reset_token": token, "questions": questions.questions(lang, ids)}


def decoy_questions(key: str) -> list[int]:
    """Three question ids derived from the username, the same on every try.

    Keyed with the deployment's secret: without it nobody can compute an unknown username's
    decoy and tell it from the questions a real student chose (issue 15, M1).
    """
    message = f"reset-decoy:{key}".encode()
    seed = hmac.new(secret.deployment_secret(), message, hashlib.sha256).digest()
    pool = list(questions.QUESTION_IDS)
    chosen = []
    for byte in seed:
        pick = pool[byte % len(pool)]
        if pick not in chosen:
            chosen.append(pick)
        if len(chosen) == 3:
            break
    return sorted(chosen)


def check_answers(reset_token: str, answers: list[tuple[int, str]]) -> str:
    """Judge the 3 answers together; on success return the token for the password step."""
    reset = tokens.load("reset", reset_token)
    if reset is None or reset.get("stage") != "answers":
        raise ResetTokenInvalid()
    key = reset["username"]
    counter = limits.reset_counter(key)
    if limits.cap_at(counter, FAILED_RESETS_CAP, BLOCK_S) is None:
        raise limits.TooManyAttempts(retry_after=limits.retry_after(counter))
    account = _resettable(key) if reset.get("real") else None
    if not _answers_match(account, answers):
        raise ResetFailed()
    limits.clear(counter)
    next_token = tokens.new_token()
    # The password step keeps the deadline of the first step.
    successor = tokens.item_until(
        "reset", next_token, int(reset["expires_at"]), username=key, stage="password", real=True
    )
    try:
        stored_tokens.exchange(tokens.key("reset", reset_token), successor)
    except TokenGone:
        raise ResetTokenInvalid() from None
    return next_token


def set_password(reset_token: str, password: str, confirm: str) -> str:
    """Save the new password once; every session of the account ends."""
    reset = tokens.load("reset", reset_token)
    if reset is None or reset.get("stage") != "password":
        raise ResetTokenInvalid()
    account = _resettable(reset["username"])
    if account is None:
        raise ResetTokenInvalid()
    student = sis.get_student(account.student_id)
    passwords.check_password(
        password,
        confirm,
        personal=account.personal_values(sis.names_of(student)),
        previous_hashes=account.recent_passwords(),
    )
    changed = account.with_password(passwords.hash_secret(password))
    try:
        stored_accounts.complete_reset(changed, account, tokens.key("reset", reset_token))
    except (TokenGone, AccountChanged):
        raise ResetTokenInvalid() from None
    return account.username


def _resettable(key: str) -> Account | None:
    """The claimed, active student account behind a username, or None."""
    account, generation = stored_accounts.with_generation(key)
    if account is None or account.role != "student":
        return None
    holder_active = sis.is_active(sis.holder_of(account))
    return account if account.resettable(generation, holder_active) else None


def _answers_match(account: Account | None, answers: list[tuple[int, str]]) -> bool:
    """All three answers right; every answer is hashed so timing says nothing about which."""
    stored = account.answers if account else {}
    results = []
    for question_id, answer in answers:
        try:
            canonical = questions.canonical_answer(question_id, answer)
        except DomainError:
            canonical = answer  # a malformed answer is simply a wrong one (never say which)
        expected = stored.get(str(question_id))
        if expected is None:
            passwords.dummy_verify(canonical)
            results.append(False)
        else:
            results.append(passwords.verify_secret(expected, canonical))
    return (
        account is not None
        and len(results) == 3
        and all(results)
        and ({str(q) for q, _ in answers} == set(stored))
    )
