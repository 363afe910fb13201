"""The DynamoDB tables, defined once for local set-up, tests and the AWS template."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Index:
    """A global secondary index projecting every attribute."""

    name: str
    hash_key: str
    range_key: str | None = None


@dataclass(frozen=True)
class Table:
    """One table: string keys only, on-demand billing, optional TTL attribute."""

    name: str
    hash_key: str
    range_key: str | None = None
    indexes: tuple[Index, ...] = field(default_factory=tuple)
    ttl_attribute: str | None = None
    purpose: str = ""


# Item layouts are documented next to the code that writes them; keys are all strings.
TABLES: tuple[Table, ...] = (
    Table(
        "sis",
        "pk",
        "sk",
        indexes=(Index("gsi1", "gsi1pk", "gsi1sk"), Index("gsi2", "gsi2pk", "gsi2sk")),
        purpose="mirror of the SIS export: students, guardians, links, classes, grades",
    ),
    Table("accounts", "pk", purpose="one item per username (lower case): students, parents, staff"),
    Table(
        "tokens", "pk", ttl_attribute="ttl", purpose="hashed claim/reset/session/activation tokens"
    ),
    Table(
        "tickets",
        "pk",
        indexes=(Index("by_school", "school", "sort"),),
        purpose="teacher reset tickets",
    ),
    Table("events", "pk", "sk", ttl_attribute="ttl", purpose="access log and staff audit trail"),
    Table("limits", "pk", ttl_attribute="ttl", purpose="failure counters and rate limits"),
    Table("notices", "pk", "sk", purpose="notices, their renderings and delivery records"),
)


def table_name(prefix: str, table: Table) -> str:
    """Full name of a table under a deployment prefix."""
    return f"{prefix}{table.name}"


def _attributes(table: Table) -> list[dict[str, str]]:
    names = [table.hash_key, table.range_key]
    for index in table.indexes:
        names += [index.hash_key, index.range_key]
    unique = sorted({n for n in names if n})
    return [{"AttributeName": n, "AttributeType": "S"} for n in unique]


def _key_schema(hash_key: str, range_key: str | None) -> list[dict[str, str]]:
    keys = [{"AttributeName": hash_key, "KeyType": "HASH"}]
    if range_key:
        keys.append({"AttributeName": range_key, "KeyType": "RANGE"})
    return keys


def create_table_request(prefix: str, table: Table) -> dict[str, Any]:
    """The CreateTable request for one table (boto3 client shape)."""
    request: dict[str, Any] = {
        "TableName": table_name(prefix, table),
        "AttributeDefinitions": _attributes(table),
        "KeySchema": _key_schema(table.hash_key, table.range_key),
        "BillingMode": "PAY_PER_REQUEST",
    }
    if table.indexes:
        request["GlobalSecondaryIndexes"] = [
            {
                "IndexName": index.name,
                "KeySchema": _key_schema(index.hash_key, index.range_key),
                "Projection": {"ProjectionType": "ALL"},
            }
            for index in table.indexes
        ]
    return request


def cloudformation_resources(prefix: str) -> dict[str, Any]:
    """CloudFormation resources for every table (merged into `chalice package` output)."""
    resources: dict[str, Any] = {}
    for table in TABLES:
        request = create_table_request(prefix, table)
        properties: dict[str, Any] = {
            "TableName": request["TableName"],
            "AttributeDefinitions": request["AttributeDefinitions"],
            "KeySchema": request["KeySchema"],
            "BillingMode": "PAY_PER_REQUEST",
            "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
            "SSESpecification": {"SSEEnabled": True},
        }
        if "GlobalSecondaryIndexes" in request:
            properties["GlobalSecondaryIndexes"] = request["GlobalSecondaryIndexes"]
        if table.ttl_attribute:
            properties["TimeToLiveSpecification"] = {
                "AttributeName": table.ttl_attribute,
                "Enabled": True,
            }
        logical_id = "".join(part.title() for part in table.name.split("_")) + "Table"
        resources[logical_id] = {
            "Type": "AWS::DynamoDB::Table",
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Properties": properties,
        }
    return resources
