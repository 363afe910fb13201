"""TOTP codes (RFC 6238) and one-time recovery codes for staff MFA: pure rules, no storage."""

from __future__ import annotations

import hmac
import re
import secrets
from typing import TYPE_CHECKING

from . import passwords

if TYPE_CHECKING:
    import pyotp

ISSUER = "CCPS Portal"
STEP_S = 30
DIGITS = 6
# One step either side: a phone whose clock is a little off still works (RFC 6238 section 5.2).
DRIFT_STEPS = 1
RECOVERY_COUNT = 10
# 32 letters and digits without look-alikes (0/o, 1/l/i): 12 of them carry 60 bits.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_GROUPS = 3
RECOVERY_GROUP_LEN = 4
_TOTP_SHAPE = re.compile(r"[0-9]{6}")
_SEPARATORS = re.compile(r"[\s-]+")


# pyotp and segno are imported on first use: only administrators' logins need them, and a
# Lambda cold start should not pay for them (QUALITY P6).


def _totp(secret: str) -> pyotp.TOTP:
    import pyotp

    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_S)


def new_secret() -> str:
    """A fresh base32 TOTP secret of 160 bits (RFC 4226's recommended length)."""
    import pyotp

    return pyotp.random_base32(32)


def provisioning_uri(secret: str, account_name: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return _totp(secret).provisioning_uri(name=account_name, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The otpauth address as an SVG QR code (made here: the secret never leaves for a service)."""
    import segno

    code = segno.make(uri, error="m")
    svg: str = code.svg_inline(scale=4, border=4, title="TOTP QR code")
    return svg


def is_totp_shaped(code: str) -> bool:
    """Whether the code is a 6-digit TOTP code (anything else may be a recovery code)."""
    return bool(_TOTP_SHAPE.fullmatch(_normalize(code)))


def matching_step(secret: str, code: str, now: float) -> int | None:
    """The time step whose code this is (within the allowed drift), or None."""
    code = _normalize(code)
    if not _TOTP_SHAPE.fullmatch(code):
        return None
    totp = _totp(secret)
    current = int(now) // STEP_S
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        # Compared in constant time; each step is checked so the caller learns which one.
        if hmac.compare_digest(totp.at(step * STEP_S), code):
            return step
    return None


def new_recovery_codes() -> list[str]:
    """Ten random recovery codes written as xxxx-xxxx-xxxx."""
    return [_recovery_code() for _ in range(RECOVERY_COUNT)]


def _recovery_code() -> str:
    groups = (
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_GROUP_LEN))
        for _ in range(RECOVERY_GROUPS)
    )
    return "-".join(groups)


def hash_recovery_code(code: str) -> str:
    """A recovery code hashed with Argon2id, as passwords are."""
    return passwords.hash_secret(_normalize(code))


def matching_recovery_code(hashes: dict[str, str], code: str) -> str | None:
    """The slot of the unused recovery code this is, or None."""
    normalized = _normalize(code)
    if len(normalized) != RECOVERY_GROUPS * RECOVERY_GROUP_LEN:
        return None  # never spend ten Argon2 checks on something that cannot be a code
    for slot, hashed in sorted(hashes.items()):
        if passwords.verify_secret(hashed, normalized):
            return slot
    return None


def _normalize(code: str) -> str:
    """Codes as typed: spaces and dashes ignored, letters in any case."""
    return _SEPARATORS.sub("", code).lower()
