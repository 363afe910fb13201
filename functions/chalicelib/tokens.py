"""Random bearer tokens: 256 bits from `secrets`, stored only as SHA-256, expiring (S6)."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from . import clock
from .storage import tokens as stored

# A token is only ever compared by its hash, so a leaked table does not leak live tokens.
MAX_TOKEN_LENGTH = 128


def new_token() -> str:
    """A fresh URL-safe token with 256 bits of randomness."""
    return secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    """SHA-256 hex of a high-entropy secret (no salt needed: it is never guessable)."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def key(kind: str, token: str) -> str:
    """The stored id of a token of one kind."""
    return stored.token_id(kind, digest(token))


def item(kind: str, token: str, lifetime_s: int, **attributes: Any) -> dict[str, Any]:
    """What is stored of a new token valid for lifetime_s seconds."""
    return item_until(kind, token, int(clock.now()) + lifetime_s, **attributes)


def item_until(kind: str, token: str, expires_at: int, **attributes: Any) -> dict[str, Any]:
    """What is stored of a new token: its id, kind, expiry and what it carries."""
    return {
        "pk": key(kind, token),
        "kind": kind,
        "expires_at": expires_at,
        "ttl": expires_at,
        **attributes,
    }


def issue(kind: str, lifetime_s: int, **attributes: Any) -> str:
    """Store a new token of `kind` valid for lifetime_s seconds; return the token itself."""
    token = new_token()
    stored.add(item(kind, token, lifetime_s, **attributes))
    return token


def load(kind: str, token: object) -> dict[str, Any] | None:
    """The live token item, or None for anything unknown, expired or malformed."""
    if not isinstance(token, str) or not 0 < len(token) <= MAX_TOKEN_LENGTH:
        return None
    found = stored.get(key(kind, token))
    # DynamoDB's TTL deletes lazily (up to days later): expiry is checked here, always.
    if found is None or int(found.get("expires_at", 0)) <= clock.now():
        return None
    return found


def revoke(kind: str, token: str) -> None:
    """Delete a token whether or not it still exists."""
    stored.revoke(key(kind, token))


def update(kind: str, token: str, values: dict[str, Any]) -> bool:
    """Set attributes on a live token; False when it vanished meanwhile."""
    return stored.update_live(key(kind, token), values, int(clock.now()))
