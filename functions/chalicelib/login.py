"""Two-step login for students, parents and staff in one case-insensitive username space."""

from __future__ import annotations

from typing import Any

from . import accesslog, identity, limits, mfa, passwords, sessions, sis, together
from .account import Account
from .errors import DomainError, InvalidRequest
from .storage import accounts as stored_accounts
from .storage import logins


class AuthenticationFailed(DomainError):
    """Unknown user or wrong password: one answer for both (S3)."""

    code = "authentication_failed"


class AccountDisabled(DomainError):
    """A parent account disabled after 5 failed logins (or a staff account a district disabled)."""

    code = "account_disabled"


def identify(username: str) -> dict[str, str]:
    """Step one: any well-formed username moves on to the password (nothing is revealed)."""
    if not identity.is_well_formed(username):
        raise InvalidRequest("Enter your username.", field="username")
    return {"next": "password"}


def login(username: str, password: str, ip: str) -> dict[str, Any]:
    """Step two: check the password under the failure policy and open a session."""
    if not identity.is_well_formed(username):
        raise InvalidRequest("Enter your username.", field="username")  # no account has it
    key = identity.username_key(username)
    counter = limits.login_counter(key)
    student_id = identity.id_of_student_username(key)
    # The address's window and the login's reads do not depend on each other: one wait for
    # both (a Lambda serves one request at a time, so waits add up to the latency: P2).
    _, read = together.both(
        lambda: limits.per_ip("login", ip), lambda: logins.read(key, counter, student_id)
    )
    usable = read.account if _may_log_in(read) else None
    # One policy for every username, so that the answers to wrong passwords never tell a staff
    # member, a parent or a student from a name that matches no one (issue 15, M2): after 5
    # failures in a row each attempt waits 1 s, then 2 s, 4 s… (≤ 15 min) and a 429 with
    # Retry-After answers the impatient. A parent's account is also disabled at the 5th failure
    # (the seeds' rule), which only the right password reveals (423).
    attempts = limits.slow_down(counter, read.counter)
    allowed = not (usable and usable.disabled)
    ok = _verify(usable, password)
    # A failure on a name that matches no one is written too: the same write as an account's
    # failure, so that the answer takes as long (S3; the dummy hash evens out the rest).
    log_line = (
        accesslog.entry(key, ip, ok and allowed)
        if usable
        else accesslog.unknown_name_entry(key, ip)
    )
    if ok and not allowed:
        logins.record_failure(log_line)
        raise AccountDisabled()
    if not ok:
        logins.record_failure(log_line)
        if usable is not None and usable.role == "parent" and allowed and attempts >= limits.CAP:
            stored_accounts.disable(usable.key)
        raise AuthenticationFailed()
    assert usable is not None
    if not _holder_listed(usable):
        # A family whose person the SIS no longer lists: only the right password gets here, so
        # this read (not batched: the account names the person) never times a wrong one (S3).
        logins.record_failure(accesslog.entry(key, ip, False))
        raise AuthenticationFailed()
    if mfa.required(usable):
        # No session and no cleared counter yet: the code is judged under the same counter.
        return mfa.challenge(usable)
    token, session_item = sessions.new(usable)
    logins.record_success(session_item, log_line, counter)
    return sessions.login_body(token, usable)


def _may_log_in(read: logins.LoginRead) -> bool:
    """Whether a password is judged against this account, from the batched read alone: a
    student's claim this school year and SIS listing; a family's or staff account as stored."""
    account = read.account
    if account is None:
        return False
    if account.role == "student":
        listed = sis.is_active(sis.student_from_profile(read.student_profile))
        return account.exists_for_login(read.generation, listed)
    return account.exists_for_login(read.generation, holder_active=True)


def _holder_listed(account: Account) -> bool:
    """Whether the SIS still lists the parent behind a family account (students were read in
    the batch, staff have none)."""
    if account.role != "parent":
        return True
    return sis.is_active(sis.holder_of(account))


def _verify(account: Account | None, password: str) -> bool:
    if account is None or not account.password_hash:
        passwords.dummy_verify(password)  # same cost as a real check: no timing oracle (S3)
        return False
    return passwords.verify_secret(account.password_hash, password)
