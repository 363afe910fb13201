"""The seam between the rules and DynamoDB: only chalicelib/storage/ speaks DynamoDB."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[1]
STORAGE = ROOT / "functions" / "chalicelib" / "storage"
# Mail to SES and the SIS exports read from S3 are not the product's storage: their two adapters
# are the only other modules that may use boto3.
BOTO3_ALLOWED = {ROOT / "portal" / "notices" / "ses.py", ROOT / "portal" / "sis" / "s3source.py"}
# What DynamoDB's API looks like in source: expressions, placeholders, attribute-value form,
# transactions and their cancellation reasons.
DYNAMODB_SYNTAX = re.compile(
    r"ConditionExpression|UpdateExpression|KeyConditionExpression|ProjectionExpression"
    r"|FilterExpression|ExpressionAttribute|attribute_(?:not_)?exists|begins_with\("
    r"|TransactItems|CancellationReasons|ConditionalCheckFailed|TransactionCanceled|\.reasons\b"
    r"|LastEvaluatedKey|ExclusiveStartKey|UnprocessedItems|UnprocessedKeys"
    r"|[\w\])]\[\"(?:S|N|L|M|BOOL)\"\]|\"BOOL\"|\{\"[SN]\": "
    r"|[\"'][^\"'\n]*\s:[a-z_]+\b[^\"'\n]*[\"']"  # a ":value" placeholder inside a string
)
# Generic item access is for tools and tests; the rules call functions named for what they do.
GENERIC = {"chalicelib.storage.db", "chalicelib.storage.tables"}


def domain_files() -> list[Path]:
    """Every module of the rules and the CLI: the Lambda's, and portal/'s."""
    files = [
        ROOT / "functions" / "app.py",
        *sorted((ROOT / "functions" / "chalicelib").rglob("*.py")),
    ]
    files += sorted((ROOT / "portal").rglob("*.py"))
    return [f for f in files if STORAGE not in f.parents]


def imported(path: Path) -> set[str]:
    """Every module a file imports (relative imports made absolute)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = path.relative_to(ROOT / "functions" if "functions" in path.parts else ROOT)
    parts = list(package.with_suffix("").parts[:-1])
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return found


def test_domain_modules_hold_no_dynamodb_syntax() -> None:
    offending = {}
    for path in domain_files():
        lines = [
            f"{n}: {line.strip()}"
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if DYNAMODB_SYNTAX.search(line)
        ]
        if lines:
            offending[str(path.relative_to(ROOT))] = lines
    assert offending == {}


def test_only_storage_and_the_ses_and_s3_adapters_import_boto3() -> None:
    users = {
        str(p.relative_to(ROOT))
        for p in domain_files()
        if p not in BOTO3_ALLOWED
        and any(m.split(".")[0] in ("boto3", "botocore") for m in imported(p))
    }
    assert users == set()


def test_rules_call_storage_by_intention_not_generic_item_access() -> None:
    allowed = {
        ROOT / "portal" / "localstack.py",  # creates the tables of a new local stack
        ROOT / "portal" / "datamove.py",  # moves whole tables, item for item, between stacks
    }
    users = {
        str(p.relative_to(ROOT))
        for p in domain_files()
        if p not in allowed and imported(p) & GENERIC
    }
    assert users == set()


def test_the_syntax_check_catches_what_it_looks_for() -> None:
    caught = [
        'condition="attribute_not_exists(pk)"',
        'kwargs["ConditionExpression"] = "n < :cap"',
        'int(item["first_seen_at"]["N"])',
        "reasons = err.reasons",
        '"#st = :open"',
    ]
    assert not DYNAMODB_SYNTAX.search('return ["E"] * 2 + ["M"] * middle')
    assert [bool(DYNAMODB_SYNTAX.search(line)) for line in caught] == [True] * len(caught)
