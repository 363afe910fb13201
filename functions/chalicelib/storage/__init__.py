"""The only code that talks to DynamoDB, one module per kind of thing it holds.

db (the client, items, pages, transactions, error translation; used by this package only),
tables (create, drop, ping, raw items for tools), accounts, logins, tokens, activation_keys,
limits, events, tickets, notices, deliveries, sis. Each module offers functions named after
what they do (complete a claim, record a failed login) and raises named errors from
chalicelib.errors: botocore errors never escape, and a database that cannot answer becomes
StorageUnavailable.
"""

from __future__ import annotations

from .db import (
    CLIENT_CONFIG,
    CONNECT_TIMEOUT_S,
    MAX_ATTEMPTS,
    WORST_CASE_DEAD_DB_S,
    client,
    reset_client,
)
from .tables import create_tables, delete_tables, ping

__all__ = [
    "CLIENT_CONFIG",
    "CONNECT_TIMEOUT_S",
    "MAX_ATTEMPTS",
    "WORST_CASE_DEAD_DB_S",
    "client",
    "create_tables",
    "delete_tables",
    "ping",
    "reset_client",
]
