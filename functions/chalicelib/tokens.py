"""Random bearer tokens: 256 bits from `secrets`, stored only as SHA-256, expiring (S6)."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from . import clock
from .errors import ConditionFailed
from .storage import accounts as store

# A token is only ever compared by its hash, so a leaked table does not leak live tokens.
MAX_TOKEN_LENGTH = 128


def new_token() -> str:
    """A fresh URL-safe token with 256 bits of randomness."""
    return secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    """SHA-256 hex of a high-entropy secret (no salt needed: it is never guessable)."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def key(kind: str, token: str) -> str:
    """Table key of a token of one kind."""
    return f"{kind}#{digest(token)}"


def issue(kind: str, lifetime_s: int, **attributes: Any) -> str:
    """Store a new token of `kind` valid for lifetime_s seconds; return the token itself."""
    token = new_token()
    expires = int(clock.now()) + lifetime_s
    store.put(
        "tokens",
        {"pk": key(kind, token), "kind": kind, "expires_at": expires, "ttl": expires, **attributes},
        if_absent=True,
    )
    return token


def load(kind: str, token: object) -> dict[str, Any] | None:
    """The live token item, or None for anything unknown, expired or malformed."""
    if not isinstance(token, str) or not 0 < len(token) <= MAX_TOKEN_LENGTH:
        return None
    item = store.get("tokens", key(kind, token))
    # DynamoDB's TTL deletes lazily (up to days later): expiry is checked here, always.
    if item is None or int(item.get("expires_at", 0)) <= clock.now():
        return None
    return item


def revoke(kind: str, token: str) -> None:
    """Delete a token whether or not it still exists."""
    store.delete("tokens", key(kind, token))


def update(kind: str, token: str, values: dict[str, Any]) -> bool:
    """Set attributes on a live token; False when it vanished meanwhile."""
    try:
        store.update(
            "tokens",
            key(kind, token),
            values,
            condition="attribute_exists(pk) AND expires_at > :now",
            condition_values={":now": int(clock.now())},
        )
    except ConditionFailed:
        return False
    return True
