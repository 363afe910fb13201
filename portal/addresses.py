"""Email addresses as the SIS exports them: one test of whether an address can be used."""

from __future__ import annotations

import re

ADDRESS = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def normal_address(email: str) -> str | None:
    """The address as keyed and sent (trimmed, lower case), or None when it is unusable."""
    email = (email or "").strip().lower()
    return email if ADDRESS.fullmatch(email) else None
