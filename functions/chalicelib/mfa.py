"""The MFA step of school and district administrators' logins: enroll, confirm, log in with a code.

After the right password `POST /login` answers an MFA token (5 minutes, used up by the login
that succeeds) instead of a session. Codes are counted under the same failure counter as the
password, before they are judged, so a stolen password gives no faster guessing of codes.
"""

from __future__ import annotations

from typing import Any, NoReturn

from . import accesslog, audit, clock, limits, sessions, tokens, totp
from .account import Account
from .errors import AccountChanged, DomainError, TokenGone
from .storage import accounts as stored_accounts
from .storage import logins
from .storage import mfa as stored_mfa

MFA_ROLES = ("school_admin", "district_admin")
TOKEN_KIND = "mfa"  # noqa: S105 - the kind of token, not a secret
TOKEN_LIFETIME_S = 5 * 60


class MfaFailed(DomainError):
    """The code is wrong, used already or too old."""

    code = "mfa_failed"


class MfaTokenInvalid(DomainError):
    """The MFA token is unknown, used or expired (or the account changed): log in again."""

    code = "mfa_token_invalid"


class EnrollmentRequired(DomainError):
    """No authenticator is set up yet: enroll first."""

    code = "mfa_enrollment_required"


class AlreadyEnrolled(DomainError):
    """An authenticator is set up already; only a district admin can reset it."""

    code = "mfa_already_enrolled"


def required(account: Account) -> bool:
    """Whether this account passes a TOTP step after its password."""
    return account.role == "staff" and account.staff_role in MFA_ROLES


def challenge(account: Account) -> dict[str, Any]:
    """The answer to a right password of an administrator: an MFA token, no session yet."""
    token = tokens.issue(
        TOKEN_KIND, TOKEN_LIFETIME_S, username=account.key, epoch=account.session_epoch
    )
    enrolled = stored_mfa.get(account.key) is not None
    return {"mfa_required": True, "mfa_token": token, "enrolled": enrolled}


def enroll(mfa_token: str) -> dict[str, str]:
    """A TOTP secret to scan (the same one again if asked twice with one token)."""
    item, account = _token_holder(mfa_token)
    if stored_mfa.get(account.key) is not None:
        raise AlreadyEnrolled()
    secret = str(item.get("pending_secret") or totp.new_secret())
    if not tokens.update(TOKEN_KIND, mfa_token, {"pending_secret": secret}):
        raise MfaTokenInvalid()
    uri = totp.provisioning_uri(secret, account.username)
    return {"secret": secret, "otpauth_uri": uri, "qr_svg": totp.qr_svg(uri)}


def confirm(mfa_token: str, code: str, ip: str) -> dict[str, Any]:
    """The first code from the app: saves the enrollment, opens a session, gives recovery codes."""
    limits.per_ip("login", ip)
    item, account = _token_holder(mfa_token)
    secret = item.get("pending_secret")
    if not secret:
        raise EnrollmentRequired()
    if stored_mfa.get(account.key) is not None:
        raise AlreadyEnrolled()
    counter = _count_attempt(account)
    step = totp.matching_step(str(secret), code, clock.now())
    if step is None:
        _failed(account, ip)
    recovery_codes = totp.new_recovery_codes()
    enrollment = {
        "pk": stored_mfa.key_of(account.key),
        "secret": secret,
        "recovery": {str(i): totp.hash_recovery_code(c) for i, c in enumerate(recovery_codes)},
        "last_step": step,
        "version": 1,
        "enrolled_at": clock.iso(clock.now()),
    }
    token, session_item = sessions.new(account)
    try:
        stored_mfa.complete_enrollment(tokens.key(TOKEN_KIND, mfa_token), enrollment, session_item)
    except TokenGone:
        raise MfaTokenInvalid() from None
    except AccountChanged:
        raise AlreadyEnrolled() from None
    _succeeded(account, ip, counter)
    who = {"staff": account.key, "role": account.staff_role, "school": account.school, "ip": ip}
    audit.record_by(who, "mfa_enroll", account.key)
    return {**sessions.login_body(token, account), "recovery_codes": recovery_codes}


def login(mfa_token: str, code: str, ip: str) -> dict[str, Any]:
    """The code after the password: a TOTP code or an unused recovery code opens the session."""
    limits.per_ip("login", ip)
    _, account = _token_holder(mfa_token)
    enrollment = stored_mfa.get(account.key)
    if enrollment is None:
        raise EnrollmentRequired()
    counter = _count_attempt(account)
    spent = _spend(enrollment, code)
    if spent is None:
        _failed(account, ip)
    token, session_item = sessions.new(account)
    try:
        stored_mfa.complete_login(
            tokens.key(TOKEN_KIND, mfa_token), spent, int(enrollment["version"]), session_item
        )
    except TokenGone:
        raise MfaTokenInvalid() from None
    except AccountChanged:
        _failed(account, ip)  # another login spent this very code first
    _succeeded(account, ip, counter)
    return sessions.login_body(token, account)


def _token_holder(mfa_token: str) -> tuple[dict[str, Any], Account]:
    """The live MFA token and its account, unless the account changed since the password."""
    item = tokens.load(TOKEN_KIND, mfa_token)
    account = stored_accounts.get(str(item["username"])) if item else None
    if (
        item is None
        or account is None
        or not required(account)
        or account.disabled
        or account.session_epoch != int(item["epoch"])
    ):
        raise MfaTokenInvalid()
    return item, account


def _spend(enrollment: dict[str, Any], code: str) -> dict[str, Any] | None:
    """The enrollment after using this code, or None when the code does not count."""
    version = int(enrollment["version"]) + 1
    if totp.is_totp_shaped(code):
        step = totp.matching_step(str(enrollment["secret"]), code, clock.now())
        # RFC 6238 section 5.2: a code, once accepted, is never accepted again.
        if step is None or step <= int(enrollment.get("last_step", -1)):
            return None
        return {**enrollment, "last_step": step, "version": version}
    recovery = dict(enrollment.get("recovery", {}))
    slot = totp.matching_recovery_code(recovery, code)
    if slot is None:
        return None
    del recovery[slot]
    return {**enrollment, "recovery": recovery, "version": version}


def _count_attempt(account: Account) -> str:
    """Count the attempt under the login's counter before judging it (429 while waiting)."""
    counter = limits.login_counter(account.key)
    limits.slow_down(counter)
    return counter


def _failed(account: Account, ip: str) -> NoReturn:
    """Log the failed attempt in the account's access log and refuse it."""
    logins.record_failure(accesslog.entry(account.key, ip, False))
    raise MfaFailed()


def _succeeded(account: Account, ip: str, counter: str) -> None:
    logins.record_success_after_mfa(accesslog.entry(account.key, ip, True), counter)
