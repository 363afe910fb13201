"""DynamoDB operations for notices (table `notices`, keys pk, sk).

pk "published#<lang>", sk "<YYYY-MM-DD>#<notice id>": id, date, school (org sourcedId or
   absent for district notices), school_name, title, body — one rendering per language
pk "read#<username>", sk "<notice id>": the user opened this notice
pk "delivery#<notice id>", sk "<email>#<lang>": one message of `portal notices send`:
   lang, state ("sending" from just before the message leaves until it is known to be sent;
   "sent"; "failed" with error), attempts (1 more at each try: the condition that keeps two
   senders from sending one message twice), message_id (the same on every attempt), at (when
   it was sent or failed), provider_id (SES MessageId)
pk "delivery#<notice id>", sk "~noaddress#<guardian sourcedId>": a guardian of the audience
   with no email address: lang, state "no_address"

This module also holds the filtered scan of the `sis` table that finds a notice's recipients.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from . import call, client, from_item, name, to_item
from .sis import encode  # the fast plain-values encoder (records are str and int only)


def query(pk: str, sk_prefix: str = "") -> list[dict[str, Any]]:
    """Every item of one partition (optionally under a sort-key prefix), in key order."""
    values = {":pk": pk, ":sk": sk_prefix} if sk_prefix else {":pk": pk}
    kwargs: dict[str, Any] = {
        "TableName": name("notices"),
        "KeyConditionExpression": "pk = :pk" + (" AND begins_with(sk, :sk)" if sk_prefix else ""),
        "ExpressionAttributeValues": to_item(values),
    }
    items: list[dict[str, Any]] = []
    while True:
        page = call(client().query, **kwargs)
        items += [from_item(i) for i in page.get("Items", [])]
        if "LastEvaluatedKey" not in page:
            return items
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def put(item: dict[str, Any]) -> None:
    """Write one notices-table item."""
    call(client().put_item, TableName=name("notices"), Item=to_item(item))


def delete(pk: str, sk: str) -> None:
    """Delete one notices-table item."""
    call(client().delete_item, TableName=name("notices"), Key=to_item({"pk": pk, "sk": sk}))


# --- delivery records (portal/notices/send.py) ------------------------------------------------

TRANSACT_MAX = 100  # DynamoDB's limit of items per TransactWriteItems


def deliveries(notice_id: str) -> list[dict[str, Any]]:
    """Every delivery record of one notice (consistent read)."""
    return query(f"delivery#{notice_id}")


def write_deliveries(writes: list[dict[str, Any]]) -> None:
    """Apply up to 100 record writes atomically (one TransactWriteItems).

    Each write is {"put": item} or {"delete": {"pk", "sk"}}, optionally with "absent": True
    (the item must not exist) or "attempts": n (its stored attempts must equal n). A failed
    condition cancels the whole call: TransactionCanceled carries one reason per write, in
    order ("ConditionalCheckFailed" for those whose condition failed, "None" for the others).
    """
    table = name("notices")
    items = []
    for write in writes:
        if "put" in write:
            op: dict[str, Any] = {"TableName": table, "Item": encode(write["put"])}
            kind = "Put"
        else:
            op = {"TableName": table, "Key": encode(write["delete"])}
            kind = "Delete"
        if write.get("absent"):
            op["ConditionExpression"] = "attribute_not_exists(pk)"
        elif "attempts" in write:
            op["ConditionExpression"] = "attempts = :attempts"
            op["ExpressionAttributeValues"] = encode({":attempts": write["attempts"]})
        items.append({kind: op})
    call(client().transact_write_items, TransactItems=items)


# --- recipients: guardians and students of the SIS mirror --------------------------------------

PEOPLE_FIELDS = ("pk", "sk", "active", "school", "given_name", "family_name", "email",
                 "language", "guardian_id", "student_id")  # fmt: skip
SCAN_PAGE = 1000  # items examined per scan call: short calls stay far from the read timeout


def scan_people(segments: int = 4) -> list[dict[str, Any]]:
    """Every profile and guardian link of the `sis` table (parallel scan, filtered server-side).

    Only the attributes a notice's audience needs are read: the rest of the SIS mirror
    (schedules, attendance, grades) is skipped by the filter.
    """
    names = {f"#f{i}": field for i, field in enumerate(PEOPLE_FIELDS)}
    base: dict[str, Any] = {
        "TableName": name("sis"),
        "TotalSegments": segments,
        "ConsistentRead": True,
        "Limit": SCAN_PAGE,
        "ProjectionExpression": ", ".join(names),
        "FilterExpression": "#f1 = :profile OR begins_with(#f1, :link)",
        "ExpressionAttributeNames": names,
        "ExpressionAttributeValues": to_item({":profile": "profile", ":link": "link#"}),
    }

    def segment(number: int) -> list[dict[str, Any]]:
        kwargs = {**base, "Segment": number}
        found: list[dict[str, Any]] = []
        while True:
            page = call(client().scan, **kwargs)
            found += [from_item(item) for item in page.get("Items", [])]
            if "LastEvaluatedKey" not in page:
                return found
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    with ThreadPoolExecutor(max_workers=segments, thread_name_prefix="notices-scan") as pool:
        return [item for part in pool.map(segment, range(segments)) for item in part]
