"""The one door to DynamoDB: the client, table names, items, pages, transactions and errors.

Only the modules of this package import it. Everything DynamoDB-shaped lives here or in them:
attribute values, expressions, pagination tokens, and the positions of a cancelled
transaction's reasons, which `transact` turns into the labels its caller gave each operation.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

import boto3
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from ..config import settings
from ..errors import StorageUnavailable

# Bounded so a dead database answers 503 instead of hanging (QUALITY R2): with the database
# gone, each attempt fails within CONNECT_TIMEOUT_S and standard mode sleeps at most 25 ms,
# then 50 ms, between attempts of a connection error, so a call gives up within
# WORST_CASE_DEAD_DB_S. Throttling is retried with 1 s, then 2 s, of backoff before
# StorageUnavailable surfaces (R7).
CONNECT_TIMEOUT_S = 0.5
READ_TIMEOUT_S = 2
MAX_ATTEMPTS = 3
WORST_CASE_DEAD_DB_S = MAX_ATTEMPTS * CONNECT_TIMEOUT_S + 0.025 + 0.05
CLIENT_CONFIG = Config(
    connect_timeout=CONNECT_TIMEOUT_S,
    read_timeout=READ_TIMEOUT_S,
    retries={"mode": "standard", "total_max_attempts": MAX_ATTEMPTS},
    max_pool_connections=50,
    # Every request is built by this package, and DynamoDB validates it again anyway; botocore's
    # client-side check cost ~0.5 ms of CPU per login, CPU that Argon2 needs (QUALITY P2).
    parameter_validation=False,
)
# The CLI's bulk scans and writes run without an API caller waiting: a batch of 25 may take
# seconds on a busy DynamoDB Local, so wait longer than the API's 2 s rather than abort an import.
BULK_CONFIG = CLIENT_CONFIG.merge(
    Config(read_timeout=60, retries={"mode": "standard", "total_max_attempts": 9})
)
MAX_ROUNDS = 12  # retries of unprocessed batch items before giving up (backoff tops out near 3 s)

# Codes that mean "the database cannot serve this now", after botocore's own retries.
UNAVAILABLE_CODES = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "InternalServerError",
        "ServiceUnavailable",
        "ResourceNotFoundException",
        "ResourceInUseException",
        "LimitExceededException",
        "UnrecognizedClientException",
        "",
    }
)

Item = dict[str, Any]  # plain Python values
Wire = dict[str, Any]  # attribute-value form: {"pk": {"S": "..."}, ...}
T = TypeVar("T")

_lock = threading.Lock()
_clients: dict[bool, Any] = {}
_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


class ConditionFailed(Exception):
    """A conditional write found the item in another state (modules of this package only)."""


class Canceled(Exception):
    """A transaction was refused: the labels whose condition failed (none: a conflict)."""

    def __init__(self, failed: set[str]) -> None:
        super().__init__(", ".join(sorted(failed)) or "conflict")
        self.failed = failed


def client(bulk: bool = False) -> Any:
    """The process-wide DynamoDB client, made on first use (bulk: the CLI's patient one)."""
    found = _clients.get(bulk)
    if found is None:
        with _lock:
            found = _clients.get(bulk)
            if found is None:
                found = _clients[bulk] = _new_client(BULK_CONFIG if bulk else CLIENT_CONFIG)
    return found


def _new_client(config: Config) -> Any:
    cfg = settings()
    kwargs: dict[str, Any] = {"config": config, "region_name": cfg.aws_region}
    if cfg.dynamodb_endpoint_url:
        kwargs["endpoint_url"] = cfg.dynamodb_endpoint_url
    if cfg.env != "aws":
        # DynamoDB Local runs with -sharedDb, so any credentials see the same tables.
        kwargs.update(aws_access_key_id="local", aws_secret_access_key="local")  # noqa: S106
    return boto3.session.Session().client("dynamodb", **kwargs)


def reset_client() -> None:
    """Forget the clients so the next call reads settings again (tests, CLI)."""
    with _lock:
        _clients.clear()


def name(table: str) -> str:
    """Full table name under the configured prefix."""
    return f"{settings().table_prefix}{table}"


@contextmanager
def translated_errors() -> Iterator[None]:
    """Turn botocore failures into named errors; a cancelled transaction keeps its reasons."""
    try:
        yield
    except ClientError as err:
        code = err.response.get("Error", {}).get("Code", "")
        if code == "ConditionalCheckFailedException":
            raise ConditionFailed(code) from None
        if code in UNAVAILABLE_CODES:
            raise StorageUnavailable(code) from None
        raise  # a malformed request (or a cancelled transaction, see transact) is ours to see
    except BotoCoreError as err:
        raise StorageUnavailable(type(err).__name__) from None


def call(fn: Callable[..., T], **kwargs: Any) -> T:
    """Run one client call with error translation."""
    with translated_errors():
        return fn(**kwargs)


# --- items -------------------------------------------------------------------------------


def encode(values: Item) -> Wire:
    """Plain values to attribute-value form (None dropped), fast for the common types.

    Numbers are written the way DynamoDB hands them back (no exponent, no trailing zeros), so a
    stored item and a freshly built one compare equal byte for byte.
    """
    out: Wire = {}
    for k, v in values.items():
        if type(v) is str:  # most attributes: skip the general dispatch
            out[k] = {"S": v}
        elif v is not None:
            out[k] = _attr(v)
    return out


def _attr(value: Any) -> Any:
    kind = type(value)
    if kind is str:
        return {"S": value}
    if kind is bool:
        return {"BOOL": value}
    if kind is int:
        return {"N": str(value)}
    if kind is float:
        return {"N": _number(value)}
    if kind is list or kind is tuple:
        return {"L": [_attr(v) for v in value]}
    if kind is dict:
        return {"M": {k: _attr(v) for k, v in value.items() if v is not None}}
    if value is None:
        return {"NULL": True}
    return _serializer.serialize(value)  # anything rarer (sets, bytes) by boto3's rules


def _number(value: float) -> str:
    if value.is_integer():
        return str(int(value))
    return format(Decimal(repr(value)).normalize(), "f")


def decode(item: Wire) -> Item:
    """Attribute-value form to plain values (numbers become int or float)."""
    return {k: _plain(_deserializer.deserialize(v)) for k, v in item.items()}


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, set):
        return {_plain(v) for v in value}
    return value


# --- reads -------------------------------------------------------------------------------


def get(table: str, key: Item, consistent: bool = True) -> Item | None:
    """One item as plain values, or None."""
    found = call(
        client().get_item, TableName=name(table), Key=encode(key), ConsistentRead=consistent
    )
    item = found.get("Item")
    return decode(item) if item else None


def pages(
    fn: Callable[..., dict[str, Any]],
    kwargs: dict[str, Any],
    token: tuple[str, str] = ("LastEvaluatedKey", "ExclusiveStartKey"),
) -> Iterator[dict[str, Any]]:
    """Every page of a query, scan or listing, following its continuation token."""
    answer_key, request_key = token
    kwargs = dict(kwargs)
    while True:
        page = call(fn, **kwargs)
        yield page
        if answer_key not in page:
            return
        kwargs[request_key] = page[answer_key]


def query(
    table: str,
    hash_name: str,
    value: str,
    *,
    range_name: str = "sk",
    prefix: str = "",
    index: str | None = None,
    newest_first: bool = False,
    limit: int | None = None,
) -> list[Item]:
    """Items of one partition (of the table or an index) whose range key starts with prefix."""
    kwargs: dict[str, Any] = {
        "TableName": name(table),
        "KeyConditionExpression": "#h = :h" + (" AND begins_with(#r, :r)" if prefix else ""),
        "ExpressionAttributeNames": {"#h": hash_name, **({"#r": range_name} if prefix else {})},
        "ExpressionAttributeValues": encode({":h": value, **({":r": prefix} if prefix else {})}),
        "ScanIndexForward": not newest_first,
    }
    if index:
        kwargs["IndexName"] = index
    else:
        kwargs["ConsistentRead"] = True  # a GSI cannot be read consistently
    if limit is not None:
        kwargs["Limit"] = limit
        page = call(client().query, **kwargs)
        return [decode(i) for i in page.get("Items", [])]
    return [decode(i) for page in pages(client().query, kwargs) for i in page.get("Items", [])]


def batch_get(keys: list[tuple[str, Item]]) -> dict[tuple[str, tuple[Any, ...]], Item]:
    """Items for (table, key) pairs in one or more BatchGetItem calls, by (table, key values)."""
    found: dict[tuple[str, tuple[Any, ...]], Item] = {}
    for start in range(0, len(keys), 100):  # DynamoDB's limit per BatchGetItem
        request: dict[str, Any] = {}
        for table, key in keys[start : start + 100]:
            entry = request.setdefault(name(table), {"Keys": [], "ConsistentRead": True})
            entry["Keys"].append(encode(key))
        tables = {name(table): table for table, _ in keys}
        for attempt in range(MAX_ROUNDS):
            answer = call(client().batch_get_item, RequestItems=request)
            for full, items in answer.get("Responses", {}).items():
                for raw in items:
                    item = decode(raw)
                    found[(tables[full], key_values(item))] = item
            request = answer.get("UnprocessedKeys") or {}
            if not request:
                break
            backoff(attempt)
        else:
            raise StorageUnavailable("BatchGetItem left keys unprocessed")
    return found


def key_values(item: Item) -> tuple[Any, ...]:
    """(pk,) or (pk, sk) of an item, as batch_get files what it found."""
    return (item["pk"], item["sk"]) if "sk" in item else (item["pk"],)


# --- writes ------------------------------------------------------------------------------


def put(table: str, item: Item, condition: str | None = None) -> None:
    """Write an item, if `condition` (an expression without values) holds."""
    kwargs: dict[str, Any] = {"TableName": name(table), "Item": encode(item)}
    if condition:
        kwargs["ConditionExpression"] = condition
    call(client().put_item, **kwargs)


def delete(table: str, key: Item, condition: str | None = None) -> None:
    """Delete an item, if `condition` (an expression without values) holds."""
    kwargs: dict[str, Any] = {"TableName": name(table), "Key": encode(key)}
    if condition:
        kwargs["ConditionExpression"] = condition
    call(client().delete_item, **kwargs)


def update(
    table: str,
    key: Item,
    set_values: Item | None = None,
    *,
    remove: tuple[str, ...] = (),
    add: dict[str, int | set[str]] | None = None,
    condition: str | None = None,
    values: Item | None = None,
) -> Item:
    """Update named attributes of one item; return the item after the update."""
    names: dict[str, str] = {}
    placeholders: Item = {}
    clauses = []
    sets = []
    for i, (attr, value) in enumerate((set_values or {}).items()):
        names[f"#s{i}"] = attr
        placeholders[f":s{i}"] = value
        sets.append(f"#s{i} = :s{i}")
    if sets:
        clauses.append("SET " + ", ".join(sets))
    if remove:
        names.update({f"#r{i}": attr for i, attr in enumerate(remove)})
        clauses.append("REMOVE " + ", ".join(f"#r{i}" for i in range(len(remove))))
    if add:
        adds = []
        for i, (attr, amount) in enumerate(add.items()):
            names[f"#a{i}"] = attr
            placeholders[f":a{i}"] = amount
            adds.append(f"#a{i} :a{i}")
        clauses.append("ADD " + ", ".join(adds))
    placeholders.update(values or {})
    kwargs: dict[str, Any] = {
        "TableName": name(table),
        "Key": encode(key),
        "UpdateExpression": " ".join(clauses),
        "ReturnValues": "ALL_NEW",
    }
    if names:
        kwargs["ExpressionAttributeNames"] = names
    if placeholders:
        kwargs["ExpressionAttributeValues"] = encode(placeholders)
    if condition:
        kwargs["ConditionExpression"] = condition
    return decode(call(client().update_item, **kwargs)["Attributes"])


def batch_write(entries: list[tuple[str, Wire]], bulk: bool = False) -> None:
    """Unconditional (table, PutRequest/DeleteRequest) entries, ≤ 25, retried until all land."""
    request: dict[str, list[Wire]] = {}
    for table, entry in entries:
        request.setdefault(name(table), []).append(entry)
    for attempt in range(MAX_ROUNDS):
        request = call(client(bulk).batch_write_item, RequestItems=request).get("UnprocessedItems")
        if not request:
            return
        backoff(attempt)
    raise StorageUnavailable("BatchWriteItem left items unprocessed after retries")


def put_entry(item: Item | Wire, wire: bool = False) -> Wire:
    """A BatchWriteItem entry writing an item."""
    return {"PutRequest": {"Item": item if wire else encode(item)}}


def delete_entry(key: Item) -> Wire:
    """A BatchWriteItem entry deleting a key."""
    return {"DeleteRequest": {"Key": encode(key)}}


def backoff(attempt: int) -> None:
    """Full-jitter exponential backoff: 50 ms doubling, capped at ~3 s."""
    time.sleep(random.uniform(0, min(3.0, 0.05 * 2**attempt)))  # noqa: S311 - jitter, not secrecy


# --- transactions ------------------------------------------------------------------------


@dataclass(frozen=True)
class Op:
    """One operation of a transaction, with the label its failure is reported by."""

    label: str
    kind: str  # Put, Delete, Update or ConditionCheck
    body: dict[str, Any]


def put_op(
    label: str,
    table: str,
    item: Item,
    condition: str | None = None,
    values: Item | None = None,
    names: dict[str, str] | None = None,
) -> Op:
    """A transaction Put."""
    return Op(label, "Put", _conditioned(table, {"Item": encode(item)}, condition, values, names))


def delete_op(
    label: str, table: str, key: Item, condition: str | None = None, values: Item | None = None
) -> Op:
    """A transaction Delete."""
    return Op(label, "Delete", _conditioned(table, {"Key": encode(key)}, condition, values))


def check_op(label: str, table: str, key: Item, condition: str, values: Item) -> Op:
    """A transaction ConditionCheck."""
    return Op(label, "ConditionCheck", _conditioned(table, {"Key": encode(key)}, condition, values))


def _conditioned(
    table: str,
    body: dict[str, Any],
    condition: str | None,
    values: Item | None,
    names: dict[str, str] | None = None,
) -> dict[str, Any]:
    body = {"TableName": name(table), **body}
    if condition:
        body["ConditionExpression"] = condition
    if values:
        body["ExpressionAttributeValues"] = encode(values)
    if names:
        body["ExpressionAttributeNames"] = names
    return body


def transact(operations: list[Op]) -> None:
    """Run the operations atomically; Canceled names the labels whose condition failed."""
    try:
        with translated_errors():
            client().transact_write_items(TransactItems=[{o.kind: o.body} for o in operations])
    except ClientError as err:
        if err.response.get("Error", {}).get("Code") != "TransactionCanceledException":
            raise
        reasons = [r.get("Code", "None") for r in err.response.get("CancellationReasons", [])]
        # DynamoDB gives one reason per operation, in the order they were sent.
        failed = {
            op.label
            for op, reason in zip(operations, reasons, strict=False)
            if reason == "ConditionalCheckFailed"
        }
        if not failed and "TransactionConflict" not in reasons:
            raise StorageUnavailable(", ".join(reasons)) from None  # throttled, in progress...
        raise Canceled(failed) from None
