"""DynamoDB operations for accounts, tokens, counters and the access log.

Item layouts (table `accounts`, key pk = lower-case username):
  student: role=student, student_id, claimed_gen (int, only while claimed), password_hash,
           password_history (newest first), answers {question id: hash}, session_epoch
  parent:  role=parent, guardian_id, password_hash, password_history, session_epoch,
           disabled (bool), must_change_password (bool)
  staff:   role=staff, staff_role, school, password_hash, password_history, session_epoch,
           must_change_password
  pk "#generation": gen (int) — bumped by the new-school-year reset; a student account is
           claimed only while its claimed_gen equals it, so the reset is one write.
Table `tokens`, pk = "<kind>#<sha256 of the token>", ttl = epoch seconds (DynamoDB TTL).
Table `limits`, pk = counter name: n (int), next_allowed_at (epoch), ttl.
Table `events`, pk = "access#<username>" or "audit#<YYYY-MM-DD>", sk = "<iso time>#<random>".
"""

from __future__ import annotations

from typing import Any

from ..errors import ConditionFailed
from . import call, client, from_item, name, to_item

GENERATION_KEY = "#generation"


def get(
    table: str, pk: str, sk: str | None = None, consistent: bool = True
) -> dict[str, Any] | None:
    """One item as plain values, or None."""
    key = {"pk": pk} if sk is None else {"pk": pk, "sk": sk}
    found = call(
        client().get_item, TableName=name(table), Key=to_item(key), ConsistentRead=consistent
    )
    item = found.get("Item")
    return from_item(item) if item else None


def get_many(keys: list[tuple[str, str] | tuple[str, str, str]]) -> list[dict[str, Any] | None]:
    """Items from several tables in one round trip, in order: (table, pk) or (table, pk, sk)."""
    request: dict[str, Any] = {}
    for table, pk, *sk in keys:
        entry = request.setdefault(name(table), {"Keys": [], "ConsistentRead": True})
        entry["Keys"].append(to_item({"pk": pk, "sk": sk[0]} if sk else {"pk": pk}))
    found: dict[tuple[str, str, str], dict[str, Any]] = {}
    while request:
        page = call(client().batch_get_item, RequestItems=request)
        for table_name, items in page.get("Responses", {}).items():
            for raw in items:
                item = from_item(raw)
                found[(table_name, item["pk"], item.get("sk", ""))] = item
        request = page.get("UnprocessedKeys") or {}
    return [found.get((name(key[0]), key[1], key[2] if len(key) > 2 else "")) for key in keys]


def write_many(puts: list[tuple[str, dict[str, Any]]], deletes: list[tuple[str, str]]) -> None:
    """Unconditional puts and deletes across tables in one BatchWriteItem round trip."""
    request: dict[str, list[dict[str, Any]]] = {}
    for table, item in puts:
        request.setdefault(name(table), []).append({"PutRequest": {"Item": to_item(item)}})
    for table, pk in deletes:
        request.setdefault(name(table), []).append({"DeleteRequest": {"Key": to_item({"pk": pk})}})
    while request:
        request = (
            call(client().batch_write_item, RequestItems=request).get("UnprocessedItems") or {}
        )


def put(table: str, item: dict[str, Any], *, if_absent: bool = False) -> None:
    """Write an item; with if_absent, raise ConditionFailed when the key exists."""
    kwargs: dict[str, Any] = {"TableName": name(table), "Item": to_item(item)}
    if if_absent:
        kwargs["ConditionExpression"] = "attribute_not_exists(pk)"
    call(client().put_item, **kwargs)


def delete(table: str, pk: str, *, must_exist: bool = False) -> None:
    """Delete an item; with must_exist, raise ConditionFailed when it is already gone."""
    kwargs: dict[str, Any] = {"TableName": name(table), "Key": to_item({"pk": pk})}
    if must_exist:
        kwargs["ConditionExpression"] = "attribute_exists(pk)"
    call(client().delete_item, **kwargs)


def update(
    table: str,
    pk: str,
    set_values: dict[str, Any] | None = None,
    *,
    remove: tuple[str, ...] = (),
    add: dict[str, int] | None = None,
    condition: str | None = None,
    condition_values: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Update named attributes of one item and return the item after the update."""
    names: dict[str, str] = {}
    values: dict[str, Any] = {}
    clauses = []
    sets = []
    for i, (attr, value) in enumerate((set_values or {}).items()):
        names[f"#s{i}"] = attr
        values[f":s{i}"] = value
        sets.append(f"#s{i} = :s{i}")
    if sets:
        clauses.append("SET " + ", ".join(sets))
    if remove:
        for i, attr in enumerate(remove):
            names[f"#r{i}"] = attr
        clauses.append("REMOVE " + ", ".join(f"#r{i}" for i in range(len(remove))))
    if add:
        adds = []
        for i, (attr, amount) in enumerate(add.items()):
            names[f"#a{i}"] = attr
            values[f":a{i}"] = amount
            adds.append(f"#a{i} :a{i}")
        clauses.append("ADD " + ", ".join(adds))
    values.update(condition_values or {})
    kwargs: dict[str, Any] = {
        "TableName": name(table),
        "Key": to_item({"pk": pk}),
        "UpdateExpression": " ".join(clauses),
        "ReturnValues": "ALL_NEW",
    }
    if names:
        kwargs["ExpressionAttributeNames"] = names
    if values:
        kwargs["ExpressionAttributeValues"] = to_item(values)
    if condition:
        kwargs["ConditionExpression"] = condition
    return from_item(call(client().update_item, **kwargs)["Attributes"])


def transact(operations: list[dict[str, Any]]) -> None:
    """Run a TransactWriteItems of ready-made operations (see the helpers below)."""
    call(client().transact_write_items, TransactItems=operations)


def op_put(
    table: str,
    item: dict[str, Any],
    condition: str | None = None,
    values: dict[str, Any] | None = None,
    names: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A transaction Put (names maps #placeholders to reserved attribute names)."""
    body: dict[str, Any] = {"TableName": name(table), "Item": to_item(item)}
    _conditioned(body, condition, values)
    if names:
        body["ExpressionAttributeNames"] = names
    return {"Put": body}


def op_delete(
    table: str,
    pk: str,
    condition: str | None = "attribute_exists(pk)",
    values: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A transaction Delete, by default only of an existing item."""
    body: dict[str, Any] = {"TableName": name(table), "Key": to_item({"pk": pk})}
    _conditioned(body, condition, values)
    return {"Delete": body}


def op_check(table: str, pk: str, condition: str, values: dict[str, Any]) -> dict[str, Any]:
    """A transaction ConditionCheck."""
    body: dict[str, Any] = {"TableName": name(table), "Key": to_item({"pk": pk})}
    _conditioned(body, condition, values)
    return {"ConditionCheck": body}


def _conditioned(
    body: dict[str, Any], condition: str | None, values: dict[str, Any] | None
) -> None:
    if condition:
        body["ConditionExpression"] = condition
    if values:
        body["ExpressionAttributeValues"] = to_item(values)


def generation() -> int:
    """The current account generation (0 before the first new-year reset)."""
    item = get("accounts", GENERATION_KEY)
    return int(item["gen"]) if item else 0


def bump_generation() -> int:
    """Start a new school year for every student account at once; return the new generation."""
    return int(update("accounts", GENERATION_KEY, add={"gen": 1})["gen"])


def count_attempt(key: str, cap: int, now: int, next_allowed_at: int, ttl: int) -> int | None:
    """Count one attempt atomically before it is judged; None when the cap forbids it.

    Below the cap every attempt passes; at or above it only one attempt passes per waiting
    period, because the first one moves next_allowed_at into the future for the others.
    """
    try:
        item = update(
            "limits",
            key,
            {"next_allowed_at": next_allowed_at, "ttl": ttl},
            add={"n": 1},
            condition="attribute_not_exists(n) OR n < :cap OR next_allowed_at <= :now",
            condition_values={":cap": cap, ":now": now},
        )
    except ConditionFailed:
        return None
    return int(item["n"])


def count_window(key: str, limit: int, ttl: int) -> bool:
    """Count one event in a fixed window; False once the window holds `limit` events."""
    try:
        update(
            "limits",
            key,
            {"ttl": ttl},
            add={"n": 1},
            condition="attribute_not_exists(n) OR n < :limit",
            condition_values={":limit": limit},
        )
    except ConditionFailed:
        return False
    return True


def query_events(pk: str, limit: int = 100) -> list[dict[str, Any]]:
    """Newest events of one partition first."""
    page = call(
        client().query,
        TableName=name("events"),
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues=to_item({":pk": pk}),
        ScanIndexForward=False,
        Limit=limit,
    )
    return [from_item(item) for item in page.get("Items", [])]


def put_event(item: dict[str, Any]) -> None:
    """Append one event (access log line or audit record)."""
    call(client().put_item, TableName=name("events"), Item=to_item(item))


def query_index(
    table: str, index: str, hash_key: str, value: str, sort_prefix: str | None = None
) -> list[dict[str, Any]]:
    """Every item of one index partition, optionally with a sort-key prefix."""
    expression = "#h = :h"
    names = {"#h": hash_key}
    values: dict[str, Any] = {":h": value}
    if sort_prefix is not None:
        expression += " AND begins_with(#s, :s)"
        names["#s"] = "sort"
        values[":s"] = sort_prefix
    items: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {
        "TableName": name(table),
        "IndexName": index,
        "KeyConditionExpression": expression,
        "ExpressionAttributeNames": names,
        "ExpressionAttributeValues": to_item(values),
    }
    while True:
        page = call(client().query, **kwargs)
        items += [from_item(i) for i in page.get("Items", [])]
        if "LastEvaluatedKey" not in page:
            return items
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def account_with_generation(key: str) -> tuple[dict[str, Any] | None, int]:
    """An account and the current generation in one round trip."""
    account, generation_item = get_many([("accounts", key), ("accounts", GENERATION_KEY)])
    return account, int(generation_item["gen"]) if generation_item else 0
