"""Claiming a student account: identity, then password, then 3 challenge answers."""

from __future__ import annotations

import random
import time
from typing import Any

from . import clock, identity, passwords, questions, sis, tokens
from .config import settings
from .errors import DomainError, InvalidRequest, StorageUnavailable, TransactionCanceled
from .storage import accounts as store

CLAIM_LIFETIME_S = 15 * 60
CONFLICT_RETRIES = 8


class ClaimFailed(DomainError):
    """The Claim Account Operation Failed."""

    code = "claim_failed"


class AlreadyClaimed(DomainError):
    """This account is already claimed. Use Forgot my Password."""

    code = "already_claimed"


class ClaimNotOpen(DomainError):
    """This account cannot be claimed yet."""

    code = "claim_not_open"


class ClaimTokenInvalid(DomainError):
    """The claim has expired. Please start again."""

    code = "claim_token_invalid"


def is_claimed(account: dict[str, Any] | None, generation: int) -> bool:
    """A student account is claimed only in the generation it was claimed in."""
    return account is not None and account.get("claimed_gen") == generation


def start(last_name: str, first_name: str, student_id: str) -> str:
    """Check the identity against the SIS and return a claim token."""
    sid = identity.student_id(student_id)
    student = sis.get_student(sid)
    if (
        student is None
        or not student.active
        or not identity.same_name(last_name, student.family_name)
        or not identity.same_name(first_name, student.given_name)
    ):
        raise ClaimFailed()  # one answer for every cause: nothing to learn from it
    opens_at = student.first_seen_at + settings().claim_delay_hours * 3600
    if clock.now() < opens_at:
        raise ClaimNotOpen(opens_at=clock.iso(opens_at))
    username = identity.username_key(identity.student_username(sid))
    account, generation = store.account_with_generation(username)
    if is_claimed(account, generation):
        raise AlreadyClaimed()
    return tokens.issue("claim", CLAIM_LIFETIME_S, student_id=sid)


def set_password(claim_token: str, password: str, confirm: str) -> str:
    """Check the password against the policy and keep its hash on the claim; return username."""
    claim = _live_claim(claim_token)
    sid = claim["student_id"]
    student = sis.get_student(sid)
    if student is None or not student.active:
        raise ClaimTokenInvalid()
    username = identity.student_username(sid)
    account = store.get("accounts", username.lower())
    passwords.check_password(
        password,
        confirm,
        personal=[student.given_name, student.family_name, sid, username],
        previous_hashes=(account or {}).get("password_history", [])[: passwords.HISTORY_SIZE],
    )
    if not tokens.update("claim", claim_token, {"password_hash": passwords.hash_secret(password)}):
        raise ClaimTokenInvalid()
    return username


def save_answers(claim_token: str, answers: list[tuple[int, str]]) -> str:
    """Save password and answers together, making the account claimed; return username."""
    claim = _live_claim(claim_token)
    if "password_hash" not in claim:
        raise InvalidRequest("Choose a password before the questions.", field="password")
    chosen = questions.validate_selection(answers)
    hashed = {str(qid): passwords.hash_secret(answer) for qid, answer in chosen}
    sid = claim["student_id"]
    username = identity.student_username(sid)
    key = username.lower()
    for attempt in range(CONFLICT_RETRIES):
        account, generation = store.account_with_generation(key)
        if is_claimed(account, generation):
            raise AlreadyClaimed()
        item = _claimed_item(key, sid, account, claim["password_hash"], hashed, generation)
        try:
            store.transact(
                [
                    store.op_put(
                        "accounts",
                        item,
                        "attribute_not_exists(pk) OR attribute_not_exists(claimed_gen)"
                        " OR claimed_gen <> :gen",
                        {":gen": generation},
                    ),
                    store.op_delete("tokens", tokens.key("claim", claim_token)),
                    store.op_check(
                        "accounts",
                        store.GENERATION_KEY,
                        "attribute_not_exists(gen) OR gen = :gen",
                        {":gen": generation},
                    ),
                ]
            )
            return username
        except TransactionCanceled as err:
            account_reason, claim_reason, generation_reason = (err.reasons + ["None"] * 3)[:3]
            if account_reason == "ConditionalCheckFailed":
                raise AlreadyClaimed() from None
            if claim_reason == "ConditionalCheckFailed":
                raise ClaimTokenInvalid() from None
            if generation_reason == "ConditionalCheckFailed":
                raise ClaimTokenInvalid() from None
            # TransactionConflict: another completion is in flight; look again shortly.
            time.sleep(random.uniform(0.01, 0.05) * (attempt + 1))  # noqa: S311
    raise StorageUnavailable("claim transaction kept conflicting")


def _claimed_item(
    key: str,
    sid: str,
    account: dict[str, Any] | None,
    password_hash: str,
    answers: dict[str, str],
    generation: int,
) -> dict[str, Any]:
    previous = account or {}
    history = [password_hash, *previous.get("password_history", [])][: passwords.HISTORY_SIZE]
    return {
        "pk": key,
        "role": "student",
        "student_id": sid,
        "claimed_gen": generation,
        "password_hash": password_hash,
        "password_history": history,
        "answers": answers,
        "session_epoch": int(previous.get("session_epoch", 0)) + 1,
    }


def _live_claim(claim_token: str) -> dict[str, Any]:
    claim = tokens.load("claim", claim_token)
    if claim is None:
        raise ClaimTokenInvalid()
    return claim
