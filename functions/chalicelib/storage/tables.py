"""Whole tables: create, list and drop them, check the database answers, raw items for tools.

The raw item functions serve tooling that handles items as they are stored (the tests' set-up
and inspection, data export and import), never the domain modules.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from .. import schema
from ..config import settings
from ..errors import StorageUnavailable
from . import db


def ping() -> None:
    """Raise StorageUnavailable unless the database answers a cheap read."""
    db.call(
        db.client().get_item,
        TableName=db.name("accounts"),
        Key=db.encode({"pk": "#health"}),
        ProjectionExpression="pk",
    )


def create_tables() -> list[str]:
    """Create every missing table (idempotent); return the names created."""
    existing = set(_list_tables())
    created = []
    for table in schema.TABLES:
        request = schema.create_table_request(settings().table_prefix, table)
        if request["TableName"] in existing:
            continue
        try:
            db.call(db.client().create_table, **request)
        except StorageUnavailable as err:
            if "ResourceInUse" not in str(err):  # created meanwhile by another process
                raise
        created.append(request["TableName"])
    for table in schema.TABLES:
        full = schema.table_name(settings().table_prefix, table)
        db.call(db.client().get_waiter("table_exists").wait, TableName=full)
        if full not in created:
            _add_missing_indexes(table, full)
        if table.ttl_attribute and full in created:
            db.call(
                db.client().update_time_to_live,
                TableName=full,
                TimeToLiveSpecification={"Enabled": True, "AttributeName": table.ttl_attribute},
            )
    return created


def _add_missing_indexes(table: schema.Table, full: str) -> None:
    """Give a table made by an older version the indexes added since, one at a time (DynamoDB
    builds one new index per update), waiting until each can be queried."""
    request = schema.create_table_request(settings().table_prefix, table)
    for index in request.get("GlobalSecondaryIndexes", []):
        described = db.call(db.client().describe_table, TableName=full)["Table"]
        have = {i["IndexName"] for i in described.get("GlobalSecondaryIndexes", [])}
        if index["IndexName"] in have:
            continue
        db.call(
            db.client().update_table,
            TableName=full,
            AttributeDefinitions=request["AttributeDefinitions"],
            GlobalSecondaryIndexUpdates=[{"Create": index}],
        )
        _wait_for_index(full, index["IndexName"])


def _wait_for_index(full: str, name: str) -> None:
    """Poll until an index being built is ACTIVE (backfilling takes a while on a big table)."""
    while True:
        described = db.call(db.client().describe_table, TableName=full)["Table"]
        states = {i["IndexName"]: i["IndexStatus"] for i in described["GlobalSecondaryIndexes"]}
        if states.get(name) == "ACTIVE":
            return
        time.sleep(1)


def delete_tables() -> None:
    """Drop every table of this prefix (tests only)."""
    for full in _list_tables():
        db.call(db.client().delete_table, TableName=full)


def _list_tables() -> list[str]:
    prefix = settings().table_prefix
    listing = db.pages(
        db.client().list_tables, {}, ("LastEvaluatedTableName", "ExclusiveStartTableName")
    )
    return [n for page in listing for n in page.get("TableNames", []) if n.startswith(prefix)]


def get_item(table: str, key: dict[str, Any]) -> dict[str, Any] | None:
    """One item exactly as stored, as plain values, or None."""
    return db.get(table, key)


def put_item(table: str, item: dict[str, Any]) -> None:
    """Write one item as given, replacing any item with its key."""
    db.put(table, item)


def scan_items(table: str) -> list[dict[str, Any]]:
    """Every item of a table, as plain values (small tables: tests and tools)."""
    kwargs = {"TableName": db.name(table), "ConsistentRead": True}
    return [db.decode(i) for page in db.pages(db.client().scan, kwargs) for i in page["Items"]]


def wire_items(table: str) -> Iterator[dict[str, Any]]:
    """Every item of a table in DynamoDB's own typed form, page by page (exports)."""
    kwargs = {"TableName": db.name(table), "ConsistentRead": True}
    for page in db.pages(db.client(bulk=True).scan, kwargs):
        yield from page["Items"]


def is_empty(table: str) -> bool:
    """Whether a table holds no item at all (one small read)."""
    answer = db.call(db.client().scan, TableName=db.name(table), Limit=1, ConsistentRead=True)
    return not answer.get("Items") and "LastEvaluatedKey" not in answer


def missing_tables() -> list[str]:
    """The tables of this prefix that do not exist yet, by their full names."""
    existing = set(_list_tables())
    names = [schema.table_name(settings().table_prefix, table) for table in schema.TABLES]
    return [name for name in names if name not in existing]


def load_wire_items(table: str, items: list[dict[str, Any]]) -> None:
    """Write items given in DynamoDB's typed form, 25 per call (imports)."""
    for start in range(0, len(items), 25):
        batch = items[start : start + 25]
        db.batch_write([(table, db.put_entry(item, wire=True)) for item in batch], bulk=True)
