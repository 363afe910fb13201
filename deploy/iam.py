"""The API's IAM policy: the DynamoDB actions its code can reach, checked against the policy file.

The Lambda runs app.py and chalicelib/. Every DynamoDB call lives in chalicelib/storage/, so
the actions the function needs follow from which storage functions app.py and the domain
modules can reach. The importer's scan and batch writes, and table creation, are reachable
only from the staff CLI (portal/), so the function is never granted them.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chalicelib import schema

ROOT = Path(__file__).resolve().parent.parent
FUNCTIONS = ROOT / "functions"
CHALICELIB = FUNCTIONS / "chalicelib"
STORAGE = CHALICELIB / "storage"
# Chalice reads `iam_policy_file` from the .chalice/ folder of the project.
POLICY_FILE = FUNCTIONS / ".chalice" / "policy-prod.json"
APP_NAME = "district-portal"
STAGE = "prod"
FUNCTION_NAME = f"{APP_NAME}-{STAGE}"  # what `chalice deploy` names it; the template keeps it
TABLE_PREFIX = "portal-"
SIS_TABLE = "sis"  # the SIS mirror: written by `portal sis import` only, read by the API

# boto3 client method -> IAM action (transactions are judged per operation, see below).
CLIENT_ACTIONS = {
    "get_item": "dynamodb:GetItem",
    "batch_get_item": "dynamodb:BatchGetItem",
    "put_item": "dynamodb:PutItem",
    "update_item": "dynamodb:UpdateItem",
    "delete_item": "dynamodb:DeleteItem",
    "query": "dynamodb:Query",
    "scan": "dynamodb:Scan",
    "batch_write_item": "dynamodb:BatchWriteItem",
}
# A TransactWriteItems/TransactGetItems needs the action of each operation kind it carries.
TRANSACTION_CALLS = {"transact_write_items", "transact_get_items"}
TRANSACTION_ACTIONS = {
    "Put": "dynamodb:PutItem",
    "Update": "dynamodb:UpdateItem",
    "Delete": "dynamodb:DeleteItem",
    "ConditionCheck": "dynamodb:ConditionCheckItem",
    "Get": "dynamodb:GetItem",
}
# Table management: the CLI and the template do it; the function must never need it.
ADMIN_CALLS = {
    "create_table",
    "delete_table",
    "update_table",
    "describe_table",
    "list_tables",
    "update_time_to_live",
    "get_waiter",
}
LOG_ACTIONS = {"logs:CreateLogStream", "logs:PutLogEvents"}


@dataclass
class _Function:
    """What one storage function does: client calls, names it refers to, dict keys it builds."""

    calls: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    dict_keys: set[str] = field(default_factory=set)


@dataclass
class Required:
    """DynamoDB actions the API needs on the SIS mirror and on the service tables."""

    sis: set[str]
    service: set[str]
    admin_calls: set[str]
    reachable: set[tuple[str, str]]
    sis_written_by_service_store: bool = False


def _storage_modules() -> dict[str, Path]:
    return {
        ("__init__" if p.stem == "__init__" else p.stem): p for p in sorted(STORAGE.glob("*.py"))
    }


def _parse_storage() -> tuple[dict[tuple[str, str], _Function], dict[str, dict[str, str]]]:
    """Summaries of every top-level storage function, and each module's imported names."""
    functions: dict[tuple[str, str], _Function] = {}
    imports: dict[str, dict[str, str]] = {}
    for module, path in _storage_modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imports[module] = {}
        for node in tree.body:
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                source = node.module or "__init__"
                for alias in node.names:
                    imports[module][alias.asname or alias.name] = source
            if isinstance(node, ast.FunctionDef):
                functions[(module, node.name)] = _summarise(node)
    return functions, imports


def _summarise(node: ast.FunctionDef) -> _Function:
    summary = _Function()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Attribute) and _is_client_call(sub.value):
            summary.calls.add(sub.attr)
        elif isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Load):
            summary.names.add(sub.id)
        elif isinstance(sub, ast.Dict):
            summary.dict_keys |= {
                k.value
                for k in sub.keys
                if isinstance(k, ast.Constant) and isinstance(k.value, str)
            }
    return summary


CLIENT_FACTORIES = {"client", "bulk_client"}


def _is_client_call(node: ast.AST) -> bool:
    """`client()`, `bulk_client()` or `storage.client()`: a boto3 client of the storage code."""
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    return (isinstance(func, ast.Name) and func.id in CLIENT_FACTORIES) or (
        isinstance(func, ast.Attribute) and func.attr in CLIENT_FACTORIES
    )


def _absolute(module_path: Path, node: ast.ImportFrom) -> str:
    """The dotted name an ImportFrom refers to, for files under functions/."""
    if node.level == 0:
        return node.module or ""
    parts = list(module_path.relative_to(FUNCTIONS).with_suffix("").parts)[:-1]
    base = parts[: len(parts) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _roots(functions: dict[tuple[str, str], _Function]) -> tuple[set[tuple[str, str]], bool]:
    """Storage functions named by app.py and by the domain modules (not the storage itself),
    and whether any of them is handed the SIS table's name by a generic store."""
    submodules = {m for m, _ in functions if m != "__init__"}
    files = [FUNCTIONS / "app.py"] + [
        p for p in sorted(CHALICELIB.rglob("*.py")) if STORAGE not in p.parents
    ]
    roots: set[tuple[str, str]] = set()
    sis_by_name = False
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        bound: dict[str, str] = {}  # local name -> storage module it stands for
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                source = _absolute(path, node)
                for alias in node.names:
                    local = alias.asname or alias.name
                    if source == "chalicelib" and alias.name == "storage":
                        bound[local] = "__init__"
                    elif source == "chalicelib.storage":
                        if alias.name in submodules:
                            bound[local] = alias.name
                        else:
                            roots.add(("__init__", alias.name))
                    elif source.startswith("chalicelib.storage."):
                        roots.add((source.rsplit(".", 1)[1], alias.name))
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith("chalicelib.storage") and alias.asname:
                        bound[alias.asname] = alias.name.rsplit(".", 1)[1]
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and bound.get(node.func.value.id, SIS_TABLE) != SIS_TABLE
                and any(isinstance(a, ast.Constant) and a.value == SIS_TABLE for a in node.args)
            ):
                sis_by_name = True
            if not isinstance(node, ast.Attribute):
                continue
            owner = node.value
            if isinstance(owner, ast.Name) and owner.id in bound:
                roots.add((bound[owner.id], node.attr))
            elif (
                isinstance(owner, ast.Attribute)
                and isinstance(owner.value, ast.Name)
                and bound.get(owner.value.id) == "__init__"
                and owner.attr in submodules
            ):
                roots.add((owner.attr, node.attr))
    return {r for r in roots if r in functions}, sis_by_name


def required_actions() -> Required:
    """Every DynamoDB action the function can reach, split by table group."""
    functions, imports = _parse_storage()
    roots, sis_by_name = _roots(functions)
    todo = sorted(roots)
    seen: set[tuple[str, str]] = set()
    while todo:
        key = todo.pop()
        if key in seen:
            continue
        seen.add(key)
        module, _ = key
        for name in functions[key].names:
            for target in ((module, name), (imports[module].get(name, ""), name)):
                if target in functions and target not in seen:
                    todo.append(target)
    sis: set[str] = set()
    service: set[str] = set()
    admin: set[str] = set()
    transacts = any(functions[k].calls & TRANSACTION_CALLS for k in seen)
    for key in seen:
        summary = functions[key]
        actions = {CLIENT_ACTIONS[c] for c in summary.calls if c in CLIENT_ACTIONS}
        if transacts:
            actions |= {
                TRANSACTION_ACTIONS[k] for k in summary.dict_keys & TRANSACTION_ACTIONS.keys()
            }
        admin |= summary.calls & ADMIN_CALLS
        unknown = summary.calls - CLIENT_ACTIONS.keys() - TRANSACTION_CALLS - ADMIN_CALLS
        if unknown:
            raise ValueError(f"storage.{key[0]}.{key[1]} calls {sorted(unknown)}: map it in iam.py")
        (sis if key[0] == SIS_TABLE else service).update(actions)
    if sis_by_name:  # a generic store is pointed at the SIS mirror: it may do anything there
        sis |= service
    return Required(sis, service, admin, seen, sis_by_name)


# The policy file -------------------------------------------------------------------------------


def table_arn(table: str) -> str:
    """A table's ARN in the policy file (region and account are filled in by the template)."""
    return f"arn:aws:dynamodb:*:*:table/{TABLE_PREFIX}{table}"


def index_arns() -> list[str]:
    """Every global secondary index of every table."""
    return [f"{table_arn(t.name)}/index/{i.name}" for t in schema.TABLES for i in t.indexes]


def log_group_arn() -> str:
    """The function's log group and its streams."""
    return f"arn:aws:logs:*:*:log-group:/aws/lambda/{FUNCTION_NAME}:*"


def expected_policy() -> dict[str, Any]:
    """The least-privilege policy the code needs today (what policy-prod.json must say)."""
    need = required_actions()
    if need.admin_calls:
        raise ValueError(f"the API reaches table management calls {sorted(need.admin_calls)}")
    statements: list[dict[str, Any]] = [
        {
            "Sid": "ReadSisMirror",
            "Effect": "Allow",
            "Action": sorted(need.sis),
            "Resource": [table_arn(SIS_TABLE)],
        },
        {
            "Sid": "ReadWriteServiceTables",
            "Effect": "Allow",
            "Action": sorted(need.service),
            "Resource": [table_arn(t.name) for t in schema.TABLES if t.name != SIS_TABLE],
        },
    ]
    if "dynamodb:Query" in need.sis | need.service and index_arns():
        statements.append(
            {
                "Sid": "QueryIndexes",
                "Effect": "Allow",
                "Action": ["dynamodb:Query"],
                "Resource": index_arns(),
            }
        )
    statements.append(
        {
            "Sid": "WriteOwnLogs",
            "Effect": "Allow",
            "Action": sorted(LOG_ACTIONS),
            "Resource": [log_group_arn()],
        }
    )
    return {"Version": "2012-10-17", "Statement": statements}


def load_policy(path: Path = POLICY_FILE) -> dict[str, Any]:
    """The policy file Chalice attaches to the function's role."""
    return json.loads(path.read_text(encoding="utf-8"))


def _grants(policy: dict[str, Any]) -> set[tuple[str, str]]:
    pairs = set()
    for statement in policy["Statement"]:
        actions = statement["Action"]
        resources = statement["Resource"]
        for action in [actions] if isinstance(actions, str) else actions:
            for resource in [resources] if isinstance(resources, str) else resources:
                pairs.add((action, resource))
    return pairs


def policy_problems(policy: dict[str, Any] | None = None) -> list[str]:
    """Why the policy file is not exactly what the code needs (empty when it is)."""
    policy = load_policy() if policy is None else policy
    problems = []
    for statement in policy["Statement"]:
        if statement.get("Effect") != "Allow":
            continue
        actions = statement["Action"]
        for action in [actions] if isinstance(actions, str) else actions:
            if "*" in action:
                problems.append(f"{statement.get('Sid', '?')}: wildcard action {action}")
        resources = statement["Resource"]
        for resource in [resources] if isinstance(resources, str) else resources:
            if resource == "*" or not resource.startswith("arn:"):
                problems.append(f"{statement.get('Sid', '?')}: resource {resource!r}")
    have = _grants(policy)
    want = _grants(expected_policy())
    problems += [f"missing: {a} on {r}" for a, r in sorted(want - have)]
    problems += [f"not needed: {a} on {r}" for a, r in sorted(have - want)]
    return problems


def template_policy(policy: dict[str, Any]) -> dict[str, Any]:
    """The policy with each `arn:aws:SERVICE:*:*:` made exact for the stack's partition,
    region and account."""

    def exact(resource: str) -> Any:
        parts = resource.split(":", 5)
        if len(parts) == 6 and parts[:2] == ["arn", "aws"] and parts[3:5] == ["*", "*"]:
            return {
                "Fn::Sub": f"arn:${{AWS::Partition}}:{parts[2]}:${{AWS::Region}}:"
                f"${{AWS::AccountId}}:{parts[5]}"
            }
        return resource

    statements = []
    for statement in policy["Statement"]:
        resources = statement["Resource"]
        resources = [resources] if isinstance(resources, str) else resources
        statements.append({**statement, "Resource": [exact(r) for r in resources]})
    return {**policy, "Statement": statements}


def main() -> None:
    """Print the policy the code needs, or write it with --write."""
    import sys

    text = json.dumps(expected_policy(), indent=2) + "\n"
    if "--write" in sys.argv[1:]:
        POLICY_FILE.write_text(text, encoding="utf-8")
        print(f"wrote {POLICY_FILE.relative_to(ROOT)}")
    else:
        print(text, end="")


if __name__ == "__main__":
    main()
