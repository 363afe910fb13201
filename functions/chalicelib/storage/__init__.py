"""The only code that talks to DynamoDB: clients, tables and error translation.

Everything else calls these functions with plain Python values; botocore errors never
escape: ConditionalCheckFailed becomes ConditionFailed, a cancelled transaction becomes
TransactionCanceled, and an unreachable or throttled database becomes StorageUnavailable.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any, TypeVar

import boto3
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from .. import schema
from ..config import settings
from ..errors import ConditionFailed, StorageUnavailable, TransactionCanceled

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

_lock = threading.Lock()
_client: Any = None
_serializer = TypeSerializer()
_deserializer = TypeDeserializer()
T = TypeVar("T")


def client() -> Any:
    """The process-wide DynamoDB client, created on first use."""
    global _client
    if _client is None:
        with _lock:
            if _client is None:
                _client = _new_client()
    return _client


def _new_client() -> Any:
    cfg = settings()
    kwargs: dict[str, Any] = {"config": CLIENT_CONFIG, "region_name": cfg.aws_region}
    if cfg.dynamodb_endpoint_url:
        kwargs["endpoint_url"] = cfg.dynamodb_endpoint_url
    if cfg.env != "aws":
        # DynamoDB Local runs with -sharedDb, so any credentials see the same tables.
        kwargs.update(aws_access_key_id="local", aws_secret_access_key="local")  # noqa: S106
    return boto3.session.Session().client("dynamodb", **kwargs)


def reset_client() -> None:
    """Forget the client so the next call reads settings again (tests, CLI)."""
    global _client
    with _lock:
        _client = None


def name(table: str) -> str:
    """Full table name under the configured prefix."""
    return f"{settings().table_prefix}{table}"


@contextmanager
def translated_errors() -> Iterator[None]:
    """Turn botocore failures into the named errors the domain understands."""
    try:
        yield
    except ClientError as err:
        code = err.response.get("Error", {}).get("Code", "")
        if code == "ConditionalCheckFailedException":
            raise ConditionFailed(code) from None
        if code == "TransactionCanceledException":
            reasons = [r.get("Code", "None") for r in err.response.get("CancellationReasons", [])]
            raise TransactionCanceled(reasons) from None
        if code in UNAVAILABLE_CODES:
            raise StorageUnavailable(code) from None
        raise  # a malformed request is our bug: let it surface as a 500 and be logged
    except BotoCoreError as err:
        raise StorageUnavailable(type(err).__name__) from None


def call(fn: Callable[..., T], **kwargs: Any) -> T:
    """Run one client call with error translation."""
    with translated_errors():
        return fn(**kwargs)


def to_item(values: dict[str, Any]) -> dict[str, Any]:
    """Python values to DynamoDB attribute values (None values are dropped)."""
    return {
        k: _serializer.serialize(_plain_to_dynamo(v)) for k, v in values.items() if v is not None
    }


def from_item(item: dict[str, Any]) -> dict[str, Any]:
    """DynamoDB attribute values to Python values (numbers become int or float)."""
    return {k: _dynamo_to_plain(_deserializer.deserialize(v)) for k, v in item.items()}


def _plain_to_dynamo(value: Any) -> Any:
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, dict):
        return {k: _plain_to_dynamo(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain_to_dynamo(v) for v in value]
    return value


def _dynamo_to_plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _dynamo_to_plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dynamo_to_plain(v) for v in value]
    if isinstance(value, set):
        return {_dynamo_to_plain(v) for v in value}
    return value


def ping() -> None:
    """Raise StorageUnavailable unless the database answers a cheap read."""
    call(
        client().get_item,
        TableName=name("accounts"),
        Key=to_item({"pk": "#health"}),
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
            call(client().create_table, **request)
        except StorageUnavailable as err:
            if "ResourceInUse" not in str(err):  # created meanwhile by another process
                raise
        created.append(request["TableName"])
    for table in schema.TABLES:
        full = schema.table_name(settings().table_prefix, table)
        call(client().get_waiter("table_exists").wait, TableName=full)
        if table.ttl_attribute and full in created:
            call(
                client().update_time_to_live,
                TableName=full,
                TimeToLiveSpecification={"Enabled": True, "AttributeName": table.ttl_attribute},
            )
    return created


def delete_tables() -> None:
    """Drop every table of this prefix (tests only)."""
    for full in _list_tables():
        call(client().delete_table, TableName=full)


def _list_tables() -> list[str]:
    prefix = settings().table_prefix
    names: list[str] = []
    kwargs: dict[str, Any] = {}
    while True:
        page = call(client().list_tables, **kwargs)
        names += [n for n in page.get("TableNames", []) if n.startswith(prefix)]
        if "LastEvaluatedTableName" not in page:
            return names
        kwargs["ExclusiveStartTableName"] = page["LastEvaluatedTableName"]
