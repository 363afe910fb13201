"""The API's IAM policy: the DynamoDB actions its code can reach, checked against the policy file.

The Lambda runs app.py and chalicelib/. Every DynamoDB call lives in chalicelib/storage/, whose
modules call the generic door storage/db.py with the table they mean, so the actions the
function needs, table by table, follow from which storage functions app.py and the domain
modules can reach and which db functions (or client methods) those call on which table. The
importer's scan and batch writes, and table creation, are reachable only from the staff CLI
(portal/), so the function is never granted them.
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
IMPORTER = ROOT / "portal" / "sis"
# Chalice reads `iam_policy_file` from the .chalice/ folder of the project.
POLICY_FILE = FUNCTIONS / ".chalice" / "policy-prod.json"
APP_NAME = "district-portal"
STAGE = "prod"
FUNCTION_NAME = f"{APP_NAME}-{STAGE}"  # what `chalice deploy` names it; the template keeps it
TABLE_PREFIX = "portal-"
SIS_TABLE = "sis"  # the SIS mirror: written by `portal sis import` only, read by the API
TABLES = {t.name for t in schema.TABLES}

# boto3 client method -> IAM action.
CLIENT_ACTIONS = {
    "get_item": "dynamodb:GetItem",
    "batch_get_item": "dynamodb:BatchGetItem",
    "put_item": "dynamodb:PutItem",
    "update_item": "dynamodb:UpdateItem",
    "delete_item": "dynamodb:DeleteItem",
    "query": "dynamodb:Query",
    "scan": "dynamodb:Scan",
    "batch_write_item": "dynamodb:BatchWriteItem",
    "transact_write_items": "dynamodb:ConditionCheckItem",  # only with a check_op, see below
}
# storage/db.py function -> (client method it makes, position of its table argument). A
# transaction needs, per table, the action of each operation it carries (put_op, delete_op,
# check_op), not one of its own.
DB_CALLS = {
    "get": ("get_item", 0),
    "put": ("put_item", 0),
    "delete": ("delete_item", 0),
    "update": ("update_item", 0),
    "query": ("query", 0),
    "put_op": ("put_item", 1),
    "delete_op": ("delete_item", 1),
    "update_op": ("update_item", 1),
    "check_op": ("transact_write_items", 1),
}
# db functions taking (table, ...) tuples: the tables are those of the tuples in the function.
DB_BATCHES = {"batch_get": "batch_get_item", "batch_write": "batch_write_item"}
# db functions that reach no table by themselves (their client calls are seen where made).
DB_NEUTRAL = {
    "pages", "call", "name", "encode", "decode", "transact", "client", "put_entry",
    "delete_entry", "key_values", "backoff", "Canceled", "ConditionFailed", "Wire", "Item",
}  # fmt: skip
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
# The deployment secret (chalicelib/storage/secret.py), created by the API stack under this name
# (Secrets Manager appends six random characters to a secret's ARN).
SECRET_NAME = "portal-deployment-secret"  # noqa: S105 (a name, not a secret)
SECRET_ACTIONS = {"secretsmanager:GetSecretValue"}
ANY_TABLE = "*"  # what a function that takes its table as a parameter may touch


@dataclass
class _Function:
    """What one storage function does: client methods it causes on which tables, and the
    storage functions it names."""

    calls: set[str] = field(default_factory=set)
    grants: set[tuple[str, str]] = field(default_factory=set)  # (table, client method)
    refs: set[tuple[str, str]] = field(default_factory=set)  # (module, function)


@dataclass
class Required:
    """DynamoDB actions the API needs, table by table."""

    by_table: dict[str, set[str]]
    admin_calls: set[str]
    reachable: set[tuple[str, str]]

    @property
    def sis(self) -> set[str]:
        """Actions on the SIS mirror."""
        return self.by_table.get(SIS_TABLE, set())

    @property
    def service(self) -> set[str]:
        """Actions on every other table."""
        return {a for t, actions in self.by_table.items() if t != SIS_TABLE for a in actions}


@dataclass
class _Module:
    """A storage module: its string constants and the storage modules it imports."""

    constants: dict[str, str] = field(default_factory=dict)
    modules: dict[str, str] = field(default_factory=dict)  # local name -> storage module
    names: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (module, name)


def _storage_modules() -> dict[str, Path]:
    return {
        ("__init__" if p.stem == "__init__" else p.stem): p for p in sorted(STORAGE.glob("*.py"))
    }


def _parse_storage() -> tuple[dict[tuple[str, str], _Function], dict[str, _Module]]:
    """Summaries of every top-level storage function, and what each module binds."""
    trees = {m: ast.parse(p.read_text(encoding="utf-8")) for m, p in _storage_modules().items()}
    modules: dict[str, _Module] = {}
    for module, tree in trees.items():
        info = modules[module] = _Module()
        for node in tree.body:
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                for alias in node.names:
                    local = alias.asname or alias.name
                    if node.module is None and alias.name in trees:
                        info.modules[local] = alias.name
                    elif node.module in trees:
                        info.names[local] = (node.module, alias.name)
            elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
                for target in node.targets:
                    if isinstance(target, ast.Name) and isinstance(node.value.value, str):
                        info.constants[target.id] = node.value.value
    functions: dict[tuple[str, str], _Function] = {}
    for module, tree in trees.items():
        if module == "db":
            continue  # the generic door: its calls are judged where they are made
        for node in tree.body:
            if isinstance(node, ast.FunctionDef):
                functions[(module, node.name)] = _summarise(node, module, modules)
    return functions, modules


def _table(node: ast.AST, module: str, modules: dict[str, _Module]) -> str | None:
    """The table an expression names: "tokens", TABLE, accounts.TABLE."""
    info = modules[module]
    if isinstance(node, ast.Constant) and node.value in TABLES:
        return str(node.value)
    if isinstance(node, ast.Name):
        if node.id in info.constants:
            found = info.constants[node.id]
        elif node.id in info.names:
            source, name = info.names[node.id]
            found = modules[source].constants.get(name, "")
        else:
            return None
        return found if found in TABLES else None
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        source = info.modules.get(node.value.id)
        found = modules[source].constants.get(node.attr, "") if source else ""
        return found if found in TABLES else None
    return None


def _summarise(node: ast.FunctionDef, module: str, modules: dict[str, _Module]) -> _Function:
    info = modules[module]
    params = {a.arg for a in node.args.args}
    summary = _Function()
    named: set[str] = set()  # tables named by db.name(...)
    tupled: set[str] = set()  # tables first in a tuple: (TABLE, key)
    client_calls: set[str] = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Tuple) and sub.elts:
            found = _table(sub.elts[0], module, modules)
            if found:
                tupled.add(found)
        if isinstance(sub, ast.Attribute) and _is_client_call(sub.value):
            client_calls.add(sub.attr)
        if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Load) and sub.id not in params:
            summary.refs.add(info.names.get(sub.id, (module, sub.id)))
        if not isinstance(sub, ast.Call) or not isinstance(sub.func, ast.Attribute):
            continue
        owner = sub.func.value
        target = info.modules.get(owner.id) if isinstance(owner, ast.Name) else None
        if target is None:
            continue
        if target != "db":
            summary.refs.add((target, sub.func.attr))
            continue
        attr = sub.func.attr
        if attr == "name" and sub.args:
            found = _table(sub.args[0], module, modules)
            if found:
                named.add(found)
        elif attr in DB_CALLS:
            method, position = DB_CALLS[attr]
            argument = sub.args[position] if len(sub.args) > position else None
            found = _table(argument, module, modules) if argument is not None else None
            if found is None and isinstance(argument, ast.Name) and argument.id in params:
                found = ANY_TABLE  # a tool's function handed any table (tables.get_item)
            if found is None:
                raise ValueError(f"storage.{module}.{node.name}: db.{attr} on an unknown table")
            summary.calls.add(method)
            summary.grants.add((found, method))
        elif attr in DB_BATCHES:
            summary.calls.add(DB_BATCHES[attr])
            summary.grants |= {(t, DB_BATCHES[attr]) for t in tupled}
        elif attr not in DB_NEUTRAL:
            raise ValueError(f"storage.{module}.{node.name} calls db.{attr}: map it in iam.py")
    # Batches may build their tuples after the call in source order: look again.
    for method in summary.calls & set(DB_BATCHES.values()):
        summary.grants |= {(t, method) for t in tupled}
    summary.calls |= client_calls
    summary.grants |= {(t, c) for t in named for c in client_calls}
    return summary


CLIENT_FACTORIES = {"client"}


def _is_client_call(node: ast.AST) -> bool:
    """`client()`, `db.client(bulk=True)`: a boto3 client of the storage code."""
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    return (isinstance(func, ast.Name) and func.id in CLIENT_FACTORIES) or (
        isinstance(func, ast.Attribute) and func.attr in CLIENT_FACTORIES
    )


def _absolute(module_path: Path, node: ast.ImportFrom) -> str:
    """The dotted name an ImportFrom refers to, for files under functions/ or portal/."""
    if node.level == 0:
        return node.module or ""
    top = FUNCTIONS if FUNCTIONS in module_path.parents else ROOT
    parts = list(module_path.relative_to(top).with_suffix("").parts)[:-1]
    base = parts[: len(parts) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def api_files() -> list[Path]:
    """What the API function runs: app.py and the domain modules (not the storage itself)."""
    return [FUNCTIONS / "app.py"] + [
        p for p in sorted(CHALICELIB.rglob("*.py")) if STORAGE not in p.parents
    ]


def importer_files() -> list[Path]:
    """What the nightly import function runs besides chalicelib: portal/sis/."""
    return sorted(IMPORTER.glob("*.py"))


def _roots(functions: dict[tuple[str, str], _Function], files: list[Path]) -> set[tuple[str, str]]:
    """Storage functions named by the given files."""
    submodules = {m for m, _ in functions if m != "__init__"}
    package = _storage_modules()["__init__"]
    exported: dict[str, tuple[str, str]] = {}
    for node in ast.parse(package.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
            exported.update({a.asname or a.name: (node.module, a.name) for a in node.names})
    roots: set[tuple[str, str]] = set()
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
                        if alias.name in submodules or alias.name == "db":
                            bound[local] = alias.name
                        elif alias.name in exported:
                            roots.add(exported[alias.name])
                    elif source.startswith("chalicelib.storage."):
                        roots.add((source.rsplit(".", 1)[1], alias.name))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Attribute):
                continue
            owner = node.value
            if isinstance(owner, ast.Name) and owner.id in bound:
                module = bound[owner.id]
                roots.add(exported.get(node.attr, ("", "")) if module == "__init__" else
                          (module, node.attr))  # fmt: skip
    return {r for r in roots if r in functions}


def required_actions(files: list[Path] | None = None) -> Required:
    """Every DynamoDB action the code of `files` (the API's by default) can reach, by table."""
    functions, _ = _parse_storage()
    todo = sorted(_roots(functions, api_files() if files is None else files))
    seen: set[tuple[str, str]] = set()
    while todo:
        key = todo.pop()
        if key in seen:
            continue
        seen.add(key)
        todo += [ref for ref in functions[key].refs if ref in functions and ref not in seen]
    by_table: dict[str, set[str]] = {}
    admin: set[str] = set()
    for key in seen:
        summary = functions[key]
        admin |= summary.calls & ADMIN_CALLS
        unknown = summary.calls - CLIENT_ACTIONS.keys() - ADMIN_CALLS
        if unknown:
            raise ValueError(f"storage.{key[0]}.{key[1]} calls {sorted(unknown)}: map it in iam.py")
        for table, method in summary.grants:
            if table == ANY_TABLE:
                raise ValueError(
                    f"the API reaches storage.{key[0]}.{key[1]}, which takes any table"
                )
            if method in CLIENT_ACTIONS:
                by_table.setdefault(table, set()).add(CLIENT_ACTIONS[method])
    return Required(by_table, admin, seen)


def importer_actions() -> Required:
    """Every DynamoDB action `portal sis import` can reach: the nightly function's grants."""
    return required_actions(importer_files())


# The policy file -------------------------------------------------------------------------------


def table_arn(table: str) -> str:
    """A table's ARN in the policy file (region and account are filled in by the template)."""
    return f"arn:aws:dynamodb:*:*:table/{TABLE_PREFIX}{table}"


def index_arns() -> list[str]:
    """Every global secondary index of every table."""
    return [f"{table_arn(t.name)}/index/{i.name}" for t in schema.TABLES for i in t.indexes]


def secret_arn() -> str:
    """The stack's deployment secret, whatever suffix Secrets Manager gave it."""
    return f"arn:aws:secretsmanager:*:*:secret:{SECRET_NAME}-*"


def log_group_arn() -> str:
    """The function's log group and its streams."""
    return f"arn:aws:logs:*:*:log-group:/aws/lambda/{FUNCTION_NAME}:*"


def expected_policy() -> dict[str, Any]:
    """The least-privilege policy the code needs today (what policy-prod.json must say):
    on each table exactly the actions the code reaches on it."""
    need = required_actions()
    if need.admin_calls:
        raise ValueError(f"the API reaches table management calls {sorted(need.admin_calls)}")
    statements: list[dict[str, Any]] = [
        {
            "Sid": "Table" + "".join(part.title() for part in table.name.split("_")),
            "Effect": "Allow",
            "Action": sorted(need.by_table[table.name]),
            "Resource": [table_arn(table.name)],
        }
        for table in schema.TABLES
        if need.by_table.get(table.name)
    ]
    queried = [
        f"{table_arn(t.name)}/index/{i.name}"
        for t in schema.TABLES
        for i in t.indexes
        if "dynamodb:Query" in need.by_table.get(t.name, set())
    ]
    if queried:
        statements.append(
            {"Sid": "QueryIndexes", "Effect": "Allow", "Action": ["dynamodb:Query"],
             "Resource": queried}
        )  # fmt: skip
    statements.append(
        {
            "Sid": "ReadDeploymentSecret",
            "Effect": "Allow",
            "Action": sorted(SECRET_ACTIONS),
            "Resource": [secret_arn()],
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
