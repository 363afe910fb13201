"""DynamoDB operations for notices (table `notices`, keys pk, sk).

pk "published#<lang>", sk "<YYYY-MM-DD>#<notice id>": id, date, school (org sourcedId or
   absent for district notices), school_name, title, body — one rendering per language
pk "read#<username>", sk "<notice id>": the user opened this notice
pk "delivery#<notice id>", sk "<email>#<lang>": state, message_id, attempts, error
"""

from __future__ import annotations

from typing import Any

from . import call, client, from_item, name, to_item


def query(pk: str, sk_prefix: str = "") -> list[dict[str, Any]]:
    """Every item of one partition (optionally under a sort-key prefix), in key order."""
    values = {":pk": pk, ":sk": sk_prefix} if sk_prefix else {":pk": pk}
    kwargs: dict[str, Any] = {
        "TableName": name("notices"),
        "KeyConditionExpression": "pk = :pk"
        + (" AND begins_with(sk, :sk)" if sk_prefix else ""),
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
