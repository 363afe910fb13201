"""Every DynamoDB call for the SIS mirror (table `sis`): reads, parallel scans, batch writes.

Item layouts are documented in chalicelib/sis.py (read model) and portal/sis/items.py (writer).
Reads return plain Python values; the importer's scan and batch write deal in DynamoDB's
attribute-value form so a large import never pays for converting items it does not change.
"""

from __future__ import annotations

import json
import queue
import random
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from decimal import Decimal
from typing import Any

import boto3
from botocore.config import Config

from ..config import settings
from ..errors import StorageUnavailable
from . import call, client, from_item, name, to_item

TABLE = "sis"
INDEX = "gsi1"
BATCH_WRITE_MAX = 25  # DynamoDB's limit per BatchWriteItem
BATCH_GET_MAX = 100  # DynamoDB's limit per BatchGetItem
SCAN_PAGE = 500  # items per scan call
MAX_ROUNDS = 12  # unprocessed-item retries before giving up (backoff tops out near 3 s)

Wire = dict[str, Any]  # one item in attribute-value form: {"pk": {"S": "..."}, ...}

# The CLI's bulk scans and writes run without an API caller waiting: a batch of 25 may take
# seconds on a busy DynamoDB Local, so wait longer than the API's 2 s rather than abort an
# import; and skip botocore's per-attribute parameter validation, which costs more CPU than
# the serialisation itself, for items the importer built well-formed.
BULK_CONFIG = Config(
    read_timeout=60, retries={"mode": "standard", "max_attempts": 8}, parameter_validation=False
)
_bulk_lock = threading.Lock()
_bulk: tuple[Any, Any] | None = None  # (the API client it derives from, the bulk client)


def bulk_client() -> Any:
    """The client for bulk scans and writes: client()'s endpoint and region, BULK_CONFIG."""
    global _bulk
    base = client()
    with _bulk_lock:
        if _bulk is None or _bulk[0] is not base:  # client() was reset (tests, new settings)
            kwargs: dict[str, Any] = {
                "region_name": base.meta.region_name,
                "endpoint_url": base.meta.endpoint_url,
                "config": base.meta.config.merge(BULK_CONFIG),
            }
            if settings().env != "aws":  # as client(): DynamoDB Local takes any credentials
                kwargs.update(aws_access_key_id="local", aws_secret_access_key="local")  # noqa: S106
            _bulk = (base, boto3.session.Session().client("dynamodb", **kwargs))
        return _bulk[1]


def get(pk: str, sk: str) -> dict[str, Any] | None:
    """One item as plain values, or None."""
    answer = call(
        client().get_item,
        TableName=name(TABLE),
        Key=to_item({"pk": pk, "sk": sk}),
        ConsistentRead=True,
    )
    item = answer.get("Item")
    return from_item(item) if item else None


def query(pk: str, sk_prefix: str = "") -> list[dict[str, Any]]:
    """Every item of one partition whose sort key starts with `sk_prefix`, in key order."""
    return _query(None, "pk", "sk", pk, sk_prefix)


def query_index(gsi1pk: str, gsi1sk_prefix: str = "") -> list[dict[str, Any]]:
    """Every item of one gsi1 partition whose gsi1sk starts with the prefix, in key order."""
    return _query(INDEX, "gsi1pk", "gsi1sk", gsi1pk, gsi1sk_prefix)


def _query(
    index: str | None, hash_name: str, range_name: str, value: str, prefix: str
) -> list[dict[str, Any]]:
    """Follow LastEvaluatedKey until the whole (prefixed) partition is read."""
    kwargs: dict[str, Any] = {
        "TableName": name(TABLE),
        "KeyConditionExpression": "#h = :h" + (" AND begins_with(#r, :r)" if prefix else ""),
        "ExpressionAttributeNames": {"#h": hash_name, **({"#r": range_name} if prefix else {})},
        "ExpressionAttributeValues": to_item({":h": value, **({":r": prefix} if prefix else {})}),
    }
    if index:
        kwargs["IndexName"] = index
    else:
        kwargs["ConsistentRead"] = True  # a GSI cannot be read consistently
    items: list[dict[str, Any]] = []
    while True:
        page = call(client().query, **kwargs)
        items += [from_item(item) for item in page.get("Items", [])]
        if "LastEvaluatedKey" not in page:
            return items
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def get_many(keys: Iterable[tuple[str, str]]) -> list[dict[str, Any]]:
    """Items for (pk, sk) keys, as plain values, in no particular order; missing keys skipped."""
    wanted = list(dict.fromkeys(keys))  # BatchGetItem refuses duplicate keys
    found: list[dict[str, Any]] = []
    for start in range(0, len(wanted), BATCH_GET_MAX):
        request: dict[str, Any] = {
            name(TABLE): {
                "Keys": [
                    to_item({"pk": pk, "sk": sk})
                    for pk, sk in wanted[start : start + BATCH_GET_MAX]
                ],
                "ConsistentRead": True,
            }
        }
        for attempt in range(MAX_ROUNDS):
            answer = call(client().batch_get_item, RequestItems=request)
            found += [from_item(item) for item in answer.get("Responses", {}).get(name(TABLE), [])]
            request = answer.get("UnprocessedKeys") or {}
            if not request:
                break
            _backoff(attempt)
        else:
            raise StorageUnavailable("BatchGetItem left keys unprocessed")
    return found


def scan(segments: int = 4, projection: tuple[str, ...] = ()) -> Iterator[list[Wire]]:
    """Pages of every item in attribute-value form, read by `segments` parallel scanners.

    Pages are small and few are buffered: a parsed 1 MB page costs ~10 MB of Python objects,
    and the importer must stay under 500 MB whatever the table's size.
    """
    pages: queue.Queue[list[Wire] | BaseException | None] = queue.Queue(maxsize=segments)
    stop = threading.Event()

    def run(segment: int) -> None:
        kwargs: dict[str, Any] = {
            "TableName": name(TABLE),
            "Segment": segment,
            "TotalSegments": segments,
            "ConsistentRead": True,
            "Limit": SCAN_PAGE,
        }
        if projection:
            kwargs["ProjectionExpression"] = ", ".join(f"#p{i}" for i in range(len(projection)))
            kwargs["ExpressionAttributeNames"] = {f"#p{i}": p for i, p in enumerate(projection)}
        try:
            while not stop.is_set():
                page = call(bulk_client().scan, **kwargs)
                pages.put(page.get("Items", []))
                if "LastEvaluatedKey" not in page:
                    break
                kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        except BaseException as err:  # noqa: BLE001 - handed to the consumer thread
            pages.put(err)
        finally:
            pages.put(None)

    threads = [threading.Thread(target=run, args=(s,), daemon=True) for s in range(segments)]
    for thread in threads:
        thread.start()
    try:
        running = segments
        while running:
            page = pages.get()
            if page is None:
                running -= 1
            elif isinstance(page, BaseException):
                raise page
            else:
                yield page
    finally:
        stop.set()
        while any(t.is_alive() for t in threads):  # drain so no scanner blocks on a full queue
            try:
                pages.get(timeout=0.05)
            except queue.Empty:
                pass


def encode(values: dict[str, Any]) -> Wire:
    """Plain values to attribute-value form, fast for the types SIS items use (None dropped).

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
    return to_item({"v": value})["v"]  # anything rarer goes through boto3's serializer


def _number(value: float) -> str:
    if value.is_integer():
        return str(int(value))
    return format(Decimal(repr(value)).normalize(), "f")


def fingerprint(item: Wire) -> int:
    """A 64-bit hash of an item's whole content, the same for equal items in this process."""
    return hash(json.dumps(item, sort_keys=True, separators=(",", ":")))


def key_of(item: Wire) -> tuple[str, str]:
    """(pk, sk) of an item in attribute-value form."""
    return item["pk"]["S"], item["sk"]["S"]


def put_request(item: Wire) -> Wire:
    """A BatchWriteItem entry writing `item`."""
    return {"PutRequest": {"Item": item}}


def delete_request(pk: str, sk: str) -> Wire:
    """A BatchWriteItem entry deleting one key."""
    return {"DeleteRequest": {"Key": {"pk": {"S": pk}, "sk": {"S": sk}}}}


def batch_write(
    requests: Iterable[Wire], workers: int = 4, done: Callable[[int], None] | None = None
) -> int:
    """Send put/delete entries in chunks of 25 over `workers` threads; return how many were sent.

    The caller's iterable is consumed lazily with at most ~2 chunks per worker in flight, so a
    generator of millions of items never sits in memory at once. Entries must have unique keys
    within any 25 in a row (DynamoDB refuses duplicates in one call).
    """
    table = name(TABLE)
    sent = 0
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sis-write") as pool:
        pending: set[Future[int]] = set()
        chunk: list[Wire] = []

        def submit(entries: list[Wire]) -> None:
            if len(pending) >= workers * 2:
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    pending.discard(future)
                    _report(future.result(), done)
            pending.add(pool.submit(_write_chunk, table, entries))

        for request in requests:
            chunk.append(request)
            if len(chunk) == BATCH_WRITE_MAX:
                submit(chunk)
                sent += len(chunk)
                chunk = []
        if chunk:
            submit(chunk)
            sent += len(chunk)
        for future in pending:
            _report(future.result(), done)
    return sent


def _report(count: int, done: Callable[[int], None] | None) -> None:
    if done is not None:
        done(count)


def _write_chunk(table: str, entries: list[Wire]) -> int:
    """One BatchWriteItem call, retrying UnprocessedItems with jittered exponential backoff."""
    request = {table: entries}
    for attempt in range(MAX_ROUNDS):
        answer = call(bulk_client().batch_write_item, RequestItems=request)
        request = answer.get("UnprocessedItems") or {}
        if not request:
            return len(entries)
        _backoff(attempt)
    raise StorageUnavailable("BatchWriteItem left items unprocessed after retries")


def _backoff(attempt: int) -> None:
    """Full-jitter exponential backoff: 50 ms doubling, capped at ~3 s."""
    time.sleep(random.uniform(0, min(3.0, 0.05 * 2**attempt)))  # noqa: S311 - jitter, not secrecy
