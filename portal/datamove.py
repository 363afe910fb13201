"""`portal data export DIR` and `portal data import DIR`: every table, moved as it is.

A pilot runs on one machine, then moves to AWS (or a table is restored elsewhere): export writes
each table as JSON lines of DynamoDB's own typed items (numbers as strings, sets and binary kept)
sorted by key, and a manifest with each file's item count and SHA-256. Import checks the whole
export first (manifest, files, counts, checksums) and that every table of the target stack exists
and is empty; only then does it write. A round trip gives identical tables.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chalicelib import clock, schema
from chalicelib.config import settings
from chalicelib.storage import tables

FORMAT = "portal-data/1"
MANIFEST = "manifest.json"


class DataProblem(Exception):
    """The export or the target stack is not fit for an import: nothing was written."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Moved:
    """Items per table, and where they went."""

    counts: dict[str, int]
    folder: Path


def _jsonable(value: Any) -> Any:
    """A typed attribute value with its binary parts as base64 (JSON has no bytes)."""
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def _typed(value: Any, kind: str | None = None) -> Any:
    """The inverse of _jsonable: B and BS values back to bytes."""
    if isinstance(value, dict):
        return {k: _typed(v, k) for k, v in value.items()}
    if kind == "B":
        return base64.b64decode(value)
    if kind == "BS":
        return [base64.b64decode(v) for v in value]
    if isinstance(value, list):
        return [_typed(v) for v in value]
    return value


def _key(table: schema.Table, item: dict[str, Any]) -> tuple[str, ...]:
    """An item's key values, to write each table in one order."""
    return tuple(
        json.dumps(item[k], sort_keys=True) for k in (table.hash_key, table.range_key) if k
    )


def export_data(folder: Path, progress: Callable[[str, int], object] = lambda t, n: None) -> Moved:
    """Write every table and the manifest into `folder` (created; must hold no export yet)."""
    if (folder / MANIFEST).exists():
        raise DataProblem([f"{folder / MANIFEST}: an export is already there"])
    folder.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "exported_at": clock.iso(clock.now()),
        "table_prefix": settings().table_prefix,
        "tables": {},
    }
    counts = {}
    for table in schema.TABLES:
        items = sorted(tables.wire_items(table.name), key=lambda item: _key(table, item))
        lines = "".join(
            json.dumps(_jsonable(item), sort_keys=True, ensure_ascii=False) + "\n" for item in items
        ).encode("utf-8")
        name = f"{table.name}.jsonl"
        (folder / name).write_bytes(lines)
        manifest["tables"][table.name] = {
            "file": name,
            "items": len(items),
            "sha256": hashlib.sha256(lines).hexdigest(),
        }
        counts[table.name] = len(items)
        progress(table.name, len(items))
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return Moved(counts, folder)


def check_export(folder: Path) -> dict[str, list[dict[str, Any]]]:
    """Every table's items from an export, after checking it whole; DataProblem otherwise."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataProblem(
            [f"{folder / MANIFEST}: missing (is this a `portal data export`?)"]
        ) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise DataProblem([f"{folder / MANIFEST}: not JSON ({error})"]) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise DataProblem([f"{folder / MANIFEST}: format is not {FORMAT}"])
    listed = manifest.get("tables") or {}
    problems, loaded = [], {}
    for table in schema.TABLES:
        entry = listed.get(table.name)
        if not isinstance(entry, dict):
            problems.append(f"{MANIFEST}: table {table.name!r} is not listed")
            continue
        path = folder / str(entry.get("file"))
        if not path.is_file():
            problems.append(f"{path.name}: missing")
            continue
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != entry.get("sha256"):
            problems.append(f"{path.name}: checksum differs from the manifest (changed or cut)")
            continue
        items = []
        for number, line in enumerate(data.decode("utf-8").splitlines(), 1):
            try:
                item = json.loads(line)
            except json.JSONDecodeError:
                problems.append(f"{path.name}:{number}: not a JSON item")
                continue
            if not isinstance(item, dict) or table.hash_key not in item:
                problems.append(f"{path.name}:{number}: no {table.hash_key!r} key")
                continue
            items.append(_typed(item))
        if len(items) != entry.get("items"):
            problems.append(
                f"{path.name}: {len(items)} items, the manifest says {entry.get('items')}"
            )
        loaded[table.name] = items
    if problems:
        raise DataProblem(problems)
    return loaded


def import_data(folder: Path, progress: Callable[[str, int], object] = lambda t, n: None) -> Moved:
    """Load an export into this stack's tables, which must exist and be empty."""
    loaded = check_export(folder)
    missing = tables.missing_tables()
    if missing:
        raise DataProblem(
            [f"table {name} does not exist (start the stack first)" for name in missing]
        )
    full = [t.name for t in schema.TABLES if not tables.is_empty(t.name)]
    if full:
        raise DataProblem(
            [f"table {name} is not empty: import only into a fresh stack" for name in full]
        )
    counts = {}
    for table in schema.TABLES:
        items = loaded[table.name]
        for start in range(0, len(items), 500):
            chunk = items[start : start + 500]
            tables.load_wire_items(table.name, chunk)
            progress(table.name, len(chunk))
        counts[table.name] = len(items)
    return Moved(counts, folder)
